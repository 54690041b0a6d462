// libFuzzer target: CSV matrices (memories, W, queries) through the streaming parser, with a small value cap so the
// cap itself is exercised. InputError is expected; anything else is a bug.
#include <cstddef>
#include <cstdint>

#include "data/csv_matrix.h"
#include "numerics/input_error.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  try {
    uhop::parse_csv_matrix(reinterpret_cast<const char*>(data), size, "fuzz.csv", 1 << 12);
  } catch (const uhop::InputError&) {
  }
  return 0;
}
