// The precision of the heavy products (Stage I's features, pair sweeps and gradient; Stage II's scores and weighted
// sums): float halves their time and memory traffic, while sums, losses, statistics and W stay in double.
#pragma once
#include <string>

namespace uhop {
enum class Precision {
  single_precision,  // products in float
  double_precision,  // everything in double
};
Precision parse_precision(const std::string& s);  // "single" | "double" (throws InputError)
const char* to_string(Precision p);               // "single" | "double"
}  // namespace uhop
