#include "real_settings.h"

#include <cmath>
#include <cstdio>

#include "input_error.h"

namespace uhop {
namespace {
// beta, probe-beta, t: 1/x appears in energies and softmax temperatures, so x >= 1e-100 keeps it <= 1e100.
constexpr RealRange kRanges[] = {
    {"beta", 1e-100, 1e100, false}, {"probe-beta", 1e-100, 1e100, false},
    {"t", 1e-100, 1e100, false},    {"alpha", 1, 1e6, false},
    {"lr", 0, 1e300, false},        {"sigma", 0, 1e6, false},
    {"fps", 1, 60, false},
};

std::string number(double x) {
  char text[40];
  std::snprintf(text, sizeof text, "%g", x);
  return text;
}
}  // namespace

const RealRange* real_range(const std::string& name) {
  for (const RealRange& range : kRanges)
    if (name == range.name) return &range;
  return nullptr;
}

double checked_real(const std::string& name, double value, const std::string& what) {
  const RealRange* range = real_range(name);
  if (!range) {
    if (!std::isfinite(value)) throw input_error(what.empty() ? "--" + name : what, "must be a finite number");
    return value;
  }
  const bool above_lo = range->lo_open ? value > range->lo : value >= range->lo;
  if (std::isfinite(value) && above_lo && value <= range->hi) return value;
  throw input_error(what.empty() ? "--" + name : what, "must be a number in " +
                                                           std::string(range->lo_open ? "(" : "[") + number(range->lo) +
                                                           ", " + number(range->hi) + "] (got " + number(value) + ")");
}
}  // namespace uhop
