// How a Python call runs core work: with the GIL released (other Python threads run meanwhile), and a ProgressFn
// for the core that takes the GIL back briefly, at most every 20 ms, to run Python's signal handlers (Ctrl+C raises
// KeyboardInterrupt: the work is cancelled and the exception propagates) and the caller's progress= callback
// (called with a fraction in [0, 1]; returning False cancels with uhop.Cancelled, raising cancels with that
// exception). The core's InputError becomes uhop.InputError (a ValueError) with the same one-line message.
#pragma once
#include <pybind11/pybind11.h>

#include <chrono>
#include <optional>
#include <utility>

#include "numerics/progress.h"

namespace uhop_python {
namespace py = pybind11;

class PythonProgress {
 public:
  // callback: None or a callable taking the fraction.
  explicit PythonProgress(py::object callback = py::none()) : callback_(std::move(callback)) {}
  // For the core, to be called with the GIL released. span maps the core's fraction into [begin, begin + span]
  // of the whole call (a call made of several pieces of work).
  uhop::ProgressFn fn(double begin = 0, double span = 1);
  // Called with the GIL held between pieces of work: signals and the callback now (not throttled). Throws the
  // pending Python exception or uhop.Cancelled.
  void check(double fraction);
  // After the core threw Cancelled (the GIL held again): the reason as a Python exception.
  [[noreturn]] void rethrow_cancel();

 private:
  bool poll_with_gil(double fraction);  // false: stop (error_ holds a Python exception, or the callback said no)

  py::object callback_;
  std::optional<py::error_already_set> error_;
  std::chrono::steady_clock::time_point last_poll_{};
};

// Runs work() with the GIL released; Cancelled from the core becomes the Python exception that caused it.
template <typename Work>
auto run_released(PythonProgress& progress, Work&& work) -> decltype(work()) {
  try {
    py::gil_scoped_release release;
    return work();
  } catch (const uhop::Cancelled&) {
    progress.rethrow_cancel();
  }
}
}  // namespace uhop_python
