// Long work reports progress and can be cancelled: the callback gets a fraction in [0,1] and returns false to
// ask the work to stop. Work that was cancelled throws Cancelled (not an InputError: nothing was wrong).
#pragma once
#include <functional>
#include <stdexcept>

namespace uhop {
using ProgressFn = std::function<bool(double fraction)>;
struct Cancelled : std::runtime_error {
  Cancelled() : std::runtime_error("cancelled") {}
};
inline void report_progress(const ProgressFn& progress, double fraction) {
  if (progress && !progress(fraction)) throw Cancelled();
}
}  // namespace uhop
