// libFuzzer target: CIFAR batches from bytes, both record kinds (the first byte picks the name hint so the
// CIFAR-10 and CIFAR-100 paths are both reached). InputError is expected; anything else is a bug.
#include <cstddef>
#include <cstdint>

#include "data/cifar_format.h"
#include "fuzz_limits.h"
#include "numerics/input_error.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const char* names[] = {"data_batch_1.bin", "train.bin", "records.bin"};
  try {
    uhop::load_cifar_from_memory(data + 1, size - 1, names[data[0] % 3], uhop_fuzz::options(data[0]));
  } catch (const uhop::InputError&) {
  }
  return 0;
}
