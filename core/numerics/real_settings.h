// One range per real-valued setting, shared by every front end (CLI flags, scripts, the Studio, session files):
// "--beta 1e-310" is refused by landscape as by retrieve, instead of writing -inf. The ranges keep every derived
// quantity finite (1/beta and 1/t at most 1e100; see docs/hostile-input.md for the table).
#pragma once
#include <string>

namespace uhop {
struct RealRange {
  const char* name;  // the flag's name without "--" (also the setting's name in scripts and session files)
  double lo, hi;     // inclusive
  bool lo_open;      // (lo, hi] instead of [lo, hi]
};
// The range of a named setting, or nullptr when it has none (a name not in the table).
const RealRange* real_range(const std::string& name);
// value when it is finite and inside the range of name; otherwise throws InputError
// "<what>: must be a number in [lo, hi] (got value)". what defaults to "--<name>".
double checked_real(const std::string& name, double value, const std::string& what = "");
}  // namespace uhop
