// Audit 27 N1: a folder of small PNGs declaring large sizes decoded each one at full size before resizing it (120
// interlaced 8192 x 8192 1-bit PNGs of 8 KB: 374 s). One folder load decodes at most LoadOptions::max_decoded_pixels
// (the images' declared pixels); past it the load is refused, naming the folder, the images and pixels so far, the
// limit and --allow-large (max_decoded_pixels 0). Here the limit is lowered so the folders stay small and quick.
#include <catch2/catch.hpp>

#include <zlib.h>

#include <chrono>
#include <string>
#include <vector>

#include "data/memory_sources.h"
#include "loader_test_files.h"
#include "numerics/input_error.h"

namespace {
using namespace uhop;
using namespace uhop_test;
using Catch::Matchers::Contains;
using Bytes = std::vector<uint8_t>;

constexpr int kSide = 1024;  // each image declares 1024 x 1024 = 2^20 pixels
constexpr long long kImagePixels = 1LL * kSide * kSide;

// A 1-bit gray PNG of kSide x kSide zeros (a few hundred bytes); truncated: its IDAT holds only half the stream.
Bytes tiny_large_png(bool truncated = false) {
  Bytes png = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  Bytes ihdr;
  uhop_test::put_u32_big_endian(ihdr, kSide), uhop_test::put_u32_big_endian(ihdr, kSide);
  ihdr.insert(ihdr.end(), {1, 0, 0, 0, 0});
  uhop_test::append_png_chunk(png, "IHDR", ihdr);
  const Bytes raw(static_cast<size_t>(kSide) * (1 + kSide / 8), 0);  // filter byte 0 then 128 bytes, per row
  uLongf size = compressBound(static_cast<uLong>(raw.size()));
  Bytes z(size);
  REQUIRE(compress2(z.data(), &size, raw.data(), static_cast<uLong>(raw.size()), 9) == Z_OK);
  z.resize(truncated ? size / 2 : size);
  uhop_test::append_png_chunk(png, "IDAT", z);
  uhop_test::append_png_chunk(png, "IEND", {});
  return png;
}

void write_copies(const TempDir& dir, int copies, bool truncated = false) {
  const Bytes png = tiny_large_png(truncated);
  for (int k = 0; k < copies; ++k) {
    const std::string name = std::string(k < 10 ? "0" : "") + std::to_string(k) + ".png";
    write_bytes(dir.file(name), png);
  }
}

LoadOptions small_load(long long max_decoded_pixels) {
  LoadOptions o;
  o.width = o.height = 8;
  o.max_decoded_pixels = max_decoded_pixels;
  return o;
}
}  // namespace

TEST_CASE("a folder load decodes at most max_decoded_pixels: refused past it, loaded with the limit lifted",
          "[data][images][hostile][bomb]") {
  TempDir dir("decode-budget");
  write_copies(dir, 12);
  const std::string folder = dir.path.string();

  const auto start = std::chrono::steady_clock::now();
  try {
    load_memories(folder, small_load(10 * kImagePixels));
    FAIL("a folder of 12 x 2^20 declared pixels loaded under a limit of 10 x 2^20");
  } catch (const InputError& e) {
    const std::string message = e.what();
    CHECK_THAT(message, Contains(folder));
    CHECK_THAT(message, Contains("10 images decoded so far hold 10485760 pixels"));
    CHECK_THAT(message, Contains("limit of 10485760 pixels"));
    CHECK_THAT(message, Contains("--allow-large"));
  }
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(5));

  // Exactly at the limit loads; so does the limit lifted (--allow-large), and a folder within the default limit.
  CHECK(load_memories(folder, small_load(12 * kImagePixels)).count() == 12);
  CHECK(load_memories(folder, small_load(0)).count() == 12);
  CHECK(load_memories(folder, small_load(LoadOptions().max_decoded_pixels)).count() == 12);
  // A count within the limit decodes only what it takes.
  LoadOptions two = small_load(2 * kImagePixels);
  two.count = 2;
  CHECK(load_memories(folder, two).count() == 2);
}

TEST_CASE("images that fail after their header passed count against the decode budget", "[data][images][hostile]") {
  // Each truncated PNG costs the decoder its work before it turns out unreadable (a skipped image): counted.
  TempDir dir("decode-budget-truncated");
  write_copies(dir, 4, true);
  CHECK_THROWS_WITH(load_memories(dir.path.string(), small_load(2 * kImagePixels)),
                    Contains("2 images decoded so far hold 2097152 pixels"));
}

TEST_CASE("the default decode budget leaves real folders of small images far below it", "[data][images]") {
  // 60,000 MNIST-size images (28 x 28) are 47 M pixels; the default is 2^30, about 16 images of 8192 x 8192.
  CHECK(60000LL * 28 * 28 * 20 < LoadOptions().max_decoded_pixels);
  CHECK(LoadOptions().max_decoded_pixels == 1LL << 30);
}
