#include "python_calls.h"

namespace uhop_python {
namespace {
constexpr std::chrono::milliseconds kPollInterval{20};
}

bool PythonProgress::poll_with_gil(double fraction) {
  if (PyErr_CheckSignals() != 0) {
    error_.emplace();  // fetches the pending exception (KeyboardInterrupt from Ctrl+C)
    return false;
  }
  if (callback_.is_none()) return true;
  try {
    const py::object answer = callback_(fraction);
    return !(py::isinstance<py::bool_>(answer) && !answer.cast<bool>());
  } catch (py::error_already_set& e) {
    error_.emplace(std::move(e));
    return false;
  }
}

uhop::ProgressFn PythonProgress::fn(double begin, double span) {
  return [this, begin, span](double fraction) {
    const auto now = std::chrono::steady_clock::now();
    if (now - last_poll_ < kPollInterval && fraction < 1.0) return true;
    last_poll_ = now;
    py::gil_scoped_acquire acquire;
    return poll_with_gil(begin + span * fraction);
  };
}

void PythonProgress::check(double fraction) {
  last_poll_ = std::chrono::steady_clock::now();
  if (!poll_with_gil(fraction)) rethrow_cancel();
}

void PythonProgress::rethrow_cancel() {
  if (error_) {
    py::error_already_set e = std::move(*error_);
    error_.reset();
    throw e;
  }
  throw uhop::Cancelled();
}
}  // namespace uhop_python
