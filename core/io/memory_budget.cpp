#include "memory_budget.h"

#include <sys/resource.h>

#include <algorithm>
#include <cstdio>
#include <cstring>

namespace uhop {
namespace {
// The value of "Key:   N kB" in a /proc file, in bytes; 0 when absent.
uint64_t proc_kib(const char* path, const char* key) {
  std::FILE* f = std::fopen(path, "r");
  if (!f) return 0;
  char line[256];
  uint64_t bytes = 0;
  const size_t n = std::strlen(key);
  while (std::fgets(line, sizeof line, f)) {
    if (std::strncmp(line, key, n) == 0 && line[n] == ':') {
      unsigned long long kib = 0;
      if (std::sscanf(line + n + 1, "%llu", &kib) == 1) bytes = static_cast<uint64_t>(kib) * 1024;
      break;
    }
  }
  std::fclose(f);
  return bytes;
}
}  // namespace

uint64_t memory_available_bytes() {
  uint64_t available = UINT64_MAX;
  rlimit limit{};
  if (::getrlimit(RLIMIT_AS, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY) {
    const uint64_t used = proc_kib("/proc/self/status", "VmSize");
    const uint64_t cap = static_cast<uint64_t>(limit.rlim_cur);
    available = cap > used ? cap - used : 0;
  }
  if (const uint64_t free_memory = proc_kib("/proc/meminfo", "MemAvailable"); free_memory > 0)
    available = std::min(available, free_memory);
  return available;
}
}  // namespace uhop
