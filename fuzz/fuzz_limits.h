// Loader limits for fuzzing: small enough that no input can push a run past libFuzzer's -rss_limit_mb, so a
// memory report means the loader ignored a limit, not that the limit was generous.
#pragma once
#include <cstdint>

#include "data/memory_sources.h"

namespace uhop_fuzz {
// variant (a byte of the input) chooses target size, RGB and normalization, to reach the resize paths.
inline uhop::LoadOptions options(uint8_t variant = 0) {
  uhop::LoadOptions options;
  options.max_image_pixels = 1 << 20;
  options.max_values = 1 << 24;
  options.keep_rgb = variant & 1;
  if (variant & 2) options.width = options.height = 1 + (variant >> 4);
  options.normalization = static_cast<uhop::Normalization>((variant >> 2) % 3);
  return options;
}
}  // namespace uhop_fuzz
