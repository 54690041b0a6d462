// libFuzzer target: an encoded image through the loader the app uses for image files (load_image_from_memory:
// libpng, libjpeg-turbo and the project's BMP/TGA/PNM decoders, then preprocessing; the first byte varies
// size/RGB/normalization so resizing is exercised too). InputError is expected; anything else is a bug.
#include <cstddef>
#include <cstdint>

#include "fuzz_limits.h"
#include "data/image_folder.h"
#include "numerics/input_error.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  try {
    uhop::load_image_from_memory(data + 1, size - 1, "fuzz-image", uhop_fuzz::options(data[0]));
  } catch (const uhop::InputError&) {
  }
  return 0;
}
