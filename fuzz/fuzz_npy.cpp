// libFuzzer target: NumPy .npy files and .npz archives (zip: central directory, stored and deflated entries,
// labels) from bytes through the whole loader. InputError is the expected answer to bad bytes; anything else (a
// crash, a sanitizer report, another exception, memory past -rss_limit_mb) is a bug.
#include <cstddef>
#include <cstdint>

#include "data/array_memories.h"
#include "fuzz_limits.h"
#include "numerics/input_error.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  try {
    uhop::load_npy_memories_from_memory(data, size, "fuzz.npz", "", uhop_fuzz::options());
  } catch (const uhop::InputError&) {
  }
  return 0;
}
