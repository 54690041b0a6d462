#include "precision.h"

#include "input_error.h"

namespace uhop {
Precision parse_precision(const std::string& s) {
  if (s == "single") return Precision::single_precision;
  if (s == "double") return Precision::double_precision;
  throw InputError("unknown --precision " + quoted_excerpt(s) + " (expected single or double)");
}
const char* to_string(Precision p) {
  return p == Precision::single_precision ? "single" : "double";
}
}  // namespace uhop
