// builtin:glyphs, a small memory set the project draws itself, so there is always something to load (no dataset
// package, tests, demos): the digits 0-9 and letters A-Z as 28x28 grayscale images, labels 0..35. The glyphs come
// from a 5x7 dot design scaled 3x and softened, so look-alike pairs (O/0, I/1, S/5, B/8, Z/2, E/F, P/R, C/G, U/V)
// really are close, which is what makes a modern Hopfield network confuse them at low beta.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "memory_sources.h"

namespace uhop {
constexpr int kGlyphSide = 28;
constexpr int kGlyphCount = 36;

// kGlyphCount images of kGlyphSide x kGlyphSide bytes, one after another, row-major; the same bytes every run.
std::vector<uint8_t> builtin_glyph_pixels();
// "0".."9", "A".."Z".
std::vector<std::string> builtin_glyph_names();

MemorySet load_builtin_glyphs(const LoadOptions& options, std::vector<std::string>* warnings,
                              const ProgressFn& progress);
}  // namespace uhop
