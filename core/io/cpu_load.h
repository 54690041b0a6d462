// How busy the machine is, so the core's threads can follow the free cores (numerics/parallel_for.h): on a loaded
// machine two threads that wait for each other at every product are slower than one (docs/speed.md).
#pragma once

namespace uhop {
// Cores not running another task right now: online CPUs minus the runnable tasks of /proc/loadavg other than the
// caller (at least 1). Without /proc (not Linux): the hardware threads.
int free_cores();
// Installs free_cores() as the thread budget of the core's products. Front ends call it once at start; the
// environment variable UHOP_THREADS=N fixes the count instead (N >= 1).
void follow_free_cores();
}  // namespace uhop
