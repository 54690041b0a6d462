// libFuzzer target: IDX images from bytes (raw or gzip) through the whole loader. InputError is the expected
// answer to bad bytes; anything else (a crash, a sanitizer report, another exception) is a bug.
#include <cstddef>
#include <cstdint>

#include "fuzz_limits.h"
#include "data/idx_format.h"
#include "numerics/input_error.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  try {
    uhop::load_idx_from_memory(data, size, "fuzz-images-idx3-ubyte", uhop_fuzz::options());
  } catch (const uhop::InputError&) {
  }
  return 0;
}
