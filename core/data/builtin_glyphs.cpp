#include "builtin_glyphs.h"

#include <memory>

#include "image_catalog.h"

namespace uhop {
namespace {
constexpr int kDotCols = 5, kDotRows = 7, kDotScale = 3;

// Our own 5x7 dot designs, '#' = ink. Rows top to bottom.
const char* const kGlyphDots[kGlyphCount][kDotRows] = {
    {".###.", "#...#", "#..##", "#.#.#", "##..#", "#...#", ".###."},  // 0
    {"..#..", ".##..", "..#..", "..#..", "..#..", "..#..", ".###."},  // 1
    {".###.", "#...#", "....#", "...#.", "..#..", ".#...", "#####"},  // 2
    {"####.", "....#", "....#", ".###.", "....#", "....#", "####."},  // 3
    {"...#.", "..##.", ".#.#.", "#..#.", "#####", "...#.", "...#."},  // 4
    {"#####", "#....", "####.", "....#", "....#", "#...#", ".###."},  // 5
    {"..##.", ".#...", "#....", "####.", "#...#", "#...#", ".###."},  // 6
    {"#####", "....#", "...#.", "..#..", ".#...", ".#...", ".#..."},  // 7
    {".###.", "#...#", "#...#", ".###.", "#...#", "#...#", ".###."},  // 8
    {".###.", "#...#", "#...#", ".####", "....#", "...#.", ".##.."},  // 9
    {".###.", "#...#", "#...#", "#####", "#...#", "#...#", "#...#"},  // A
    {"####.", "#...#", "#...#", "####.", "#...#", "#...#", "####."},  // B
    {".###.", "#...#", "#....", "#....", "#....", "#...#", ".###."},  // C
    {"###..", "#..#.", "#...#", "#...#", "#...#", "#..#.", "###.."},  // D
    {"#####", "#....", "#....", "####.", "#....", "#....", "#####"},  // E
    {"#####", "#....", "#....", "####.", "#....", "#....", "#...."},  // F
    {".###.", "#...#", "#....", "#.###", "#...#", "#...#", ".###."},  // G
    {"#...#", "#...#", "#...#", "#####", "#...#", "#...#", "#...#"},  // H
    {".###.", "..#..", "..#..", "..#..", "..#..", "..#..", ".###."},  // I
    {"..###", "...#.", "...#.", "...#.", "...#.", "#..#.", ".##.."},  // J
    {"#...#", "#..#.", "#.#..", "##...", "#.#..", "#..#.", "#...#"},  // K
    {"#....", "#....", "#....", "#....", "#....", "#....", "#####"},  // L
    {"#...#", "##.##", "#.#.#", "#.#.#", "#...#", "#...#", "#...#"},  // M
    {"#...#", "#...#", "##..#", "#.#.#", "#..##", "#...#", "#...#"},  // N
    {".###.", "#...#", "#...#", "#...#", "#...#", "#...#", ".###."},  // O
    {"####.", "#...#", "#...#", "####.", "#....", "#....", "#...."},  // P
    {".###.", "#...#", "#...#", "#...#", "#.#.#", "#..#.", ".##.#"},  // Q
    {"####.", "#...#", "#...#", "####.", "#.#..", "#..#.", "#...#"},  // R
    {".####", "#....", "#....", ".###.", "....#", "....#", "####."},  // S
    {"#####", "..#..", "..#..", "..#..", "..#..", "..#..", "..#.."},  // T
    {"#...#", "#...#", "#...#", "#...#", "#...#", "#...#", ".###."},  // U
    {"#...#", "#...#", "#...#", "#...#", "#...#", ".#.#.", "..#.."},  // V
    {"#...#", "#...#", "#...#", "#.#.#", "#.#.#", "#.#.#", ".#.#."},  // W
    {"#...#", "#...#", ".#.#.", "..#..", ".#.#.", "#...#", "#...#"},  // X
    {"#...#", "#...#", ".#.#.", "..#..", "..#..", "..#..", "..#.."},  // Y
    {"#####", "....#", "...#.", "..#..", ".#...", "#....", "#####"},  // Z
};
}  // namespace

std::vector<uint8_t> builtin_glyph_pixels() {
  constexpr int side = kGlyphSide, plane = side * side;
  // The 15x21 dot area sits centred: 6 px left, 3 px top.
  constexpr int left = (side - kDotCols * kDotScale) / 2, top = (side - kDotRows * kDotScale) / 2;
  std::vector<uint8_t> pixels(static_cast<size_t>(kGlyphCount) * plane);
  std::vector<int> ink(plane);
  for (int g = 0; g < kGlyphCount; ++g) {
    for (int y = 0; y < side; ++y)
      for (int x = 0; x < side; ++x) {
        const int row = (y - top) / kDotScale, col = (x - left) / kDotScale;
        const bool inside = y >= top && x >= left && row < kDotRows && col < kDotCols;
        ink[y * side + x] = inside && kGlyphDots[g][row][col] == '#' ? 255 : 0;
      }
    // Soften the edges with the [1 2 1] x [1 2 1] / 16 kernel so strokes have gray borders like scanned glyphs.
    for (int y = 0; y < side; ++y)
      for (int x = 0; x < side; ++x) {
        int sum = 0;
        for (int dy = -1; dy <= 1; ++dy)
          for (int dx = -1; dx <= 1; ++dx) {
            const int yy = y + dy, xx = x + dx;
            if (yy < 0 || yy >= side || xx < 0 || xx >= side) continue;
            sum += ink[yy * side + xx] * (2 - (dy != 0)) * (2 - (dx != 0));
          }
        pixels[static_cast<size_t>(g) * plane + y * side + x] = static_cast<uint8_t>((sum + 8) / 16);
      }
  }
  return pixels;
}

std::vector<std::string> builtin_glyph_names() {
  std::vector<std::string> names;
  for (char c = '0'; c <= '9'; ++c) names.emplace_back(1, c);
  for (char c = 'A'; c <= 'Z'; ++c) names.emplace_back(1, c);
  return names;
}

MemorySet load_builtin_glyphs(const LoadOptions& options, std::vector<std::string>* warnings,
                              const ProgressFn& progress) {
  const auto pixels = std::make_shared<std::vector<uint8_t>>(builtin_glyph_pixels());
  ImageCatalog catalog;
  catalog.source = "builtin:glyphs";
  catalog.format = "builtin glyphs";
  catalog.total = kGlyphCount;
  catalog.class_names = builtin_glyph_names();
  for (int i = 0; i < kGlyphCount; ++i) catalog.labels.push_back(i);
  catalog.name_of = [names = catalog.class_names](int item) { return "glyph " + names[item]; };
  catalog.fetch = [pixels](int item, ImageView& view, std::string&) {
    view = interleaved_view(pixels->data() + static_cast<size_t>(item) * kGlyphSide * kGlyphSide, kGlyphSide,
                            kGlyphSide, 1);
    return true;
  };
  return build_memory_set(catalog, options, warnings, progress);
}
}  // namespace uhop
