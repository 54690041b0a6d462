#include "cpu_load.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <thread>

#include "numerics/parallel_for.h"

namespace uhop {
int free_cores() {
  const int cpus = std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
  // /proc/loadavg: "0.52 0.58 0.59 3/812 12345": the fourth field is runnable tasks / all tasks, the reader included.
  std::FILE* f = std::fopen("/proc/loadavg", "r");
  if (!f) return cpus;
  double l1 = 0, l5 = 0, l15 = 0;
  int running = 0, total = 0;
  const int got = std::fscanf(f, "%lf %lf %lf %d/%d", &l1, &l5, &l15, &running, &total);
  std::fclose(f);
  if (got != 5 || running < 1) return cpus;
  return std::max(1, cpus - (running - 1));
}

void follow_free_cores() {
  if (const char* fixed = std::getenv("UHOP_THREADS")) {
    const int n = std::atoi(fixed);
    if (n >= 1) {
      set_max_compute_threads(n);
      set_thread_budget({});
      return;
    }
  }
  set_thread_budget(free_cores);
}
}  // namespace uhop
