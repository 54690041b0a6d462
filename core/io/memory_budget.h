// How much more memory this process can get, so a front end can refuse a session that would not fit with a message
// before it allocates (an allocation that fails mid-way is a crash or a lost session; docs/hostile-input.md).
#pragma once
#include <cstdint>

namespace uhop {
// The smaller of: the address space left under RLIMIT_AS (its soft limit minus VmSize) and MemAvailable of
// /proc/meminfo. UINT64_MAX when neither is known (no /proc, no limit: the browser, other systems).
uint64_t memory_available_bytes();
}  // namespace uhop
