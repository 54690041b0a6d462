// The image decoders (issue 12, item 11): PNG through libpng, JPEG through libjpeg-turbo, BMP/TGA/PNM through the
// project's own code. Each format's variants decode to the pixels the test wrote (by hand, byte by byte, with
// zlib for PNG and libjpeg for a progressive JPEG), and headers that promise more pixels than the limit or than the
// file can hold are refused before any pixel buffer is allocated (under a limit far below what they declare).
#include <catch2/catch.hpp>

#include <cstdio>
#include <jpeglib.h>
#include <stb_image_write.h>
#include <zlib.h>

#include <functional>
#include <string>
#include <vector>

#include "data/image_decode.h"
#include "data/image_folder.h"
#include "data/memory_sources.h"
#include "loader_test_files.h"
#include "numerics/input_error.h"

using namespace uhop;
using Catch::Matchers::Contains;

namespace {
using Bytes = std::vector<uint8_t>;

void le16(Bytes& b, uint32_t v) {
  b.push_back(v & 0xFF), b.push_back((v >> 8) & 0xFF);
}
void le32(Bytes& b, uint32_t v) {
  le16(b, v & 0xFFFF), le16(b, v >> 16);
}
void be32(Bytes& b, uint32_t v) {
  for (int s = 24; s >= 0; s -= 8) b.push_back((v >> s) & 0xFF);
}

uint8_t pattern(int c, int y, int x) {
  return static_cast<uint8_t>(13 + 50 * c + 31 * y + 17 * x);
}

// Decodes with a generous limit; REQUIREs success.
DecodedImage decode(const Bytes& bytes, long long max_pixels = 1 << 20) {
  DecodedImage image;
  std::string problem;
  const bool ok = decode_image(bytes.data(), bytes.size(), "test", max_pixels, image, problem);
  INFO(problem);
  REQUIRE(ok);
  return image;
}
std::string refusal(const Bytes& bytes, long long max_pixels = 1 << 20) {
  DecodedImage image;
  std::string problem;
  try {
    if (decode_image(bytes.data(), bytes.size(), "test", max_pixels, image, problem)) return "decoded";
  } catch (const InputError& e) {
    return e.what();
  }
  CHECK(image.pixels.empty());
  return problem;
}
void check_pixels(const DecodedImage& image, int width, int height, int channels,
                  const std::function<uint8_t(int, int, int)>& value) {
  REQUIRE(image.width == width);
  REQUIRE(image.height == height);
  REQUIRE(image.channels == channels);
  for (int y = 0; y < height; ++y)
    for (int x = 0; x < width; ++x)
      for (int c = 0; c < channels; ++c) {
        INFO("y " << y << " x " << x << " c " << c);
        REQUIRE(static_cast<int>(image.pixels[(y * width + x) * channels + c]) == static_cast<int>(value(c, y, x)));
      }
}

// ---- PNG by hand: IHDR, optional PLTE and tRNS, one zlib IDAT, IEND.
Bytes png_file(uint32_t width, uint32_t height, int depth, int color, const Bytes& raw_rows, const Bytes& palette = {},
               int interlace = 0, const Bytes& trns = {}) {
  Bytes png = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  Bytes ihdr;
  be32(ihdr, width), be32(ihdr, height);
  ihdr.insert(ihdr.end(),
              {static_cast<uint8_t>(depth), static_cast<uint8_t>(color), 0, 0, static_cast<uint8_t>(interlace)});
  uhop_test::append_png_chunk(png, "IHDR", ihdr);
  if (!palette.empty()) uhop_test::append_png_chunk(png, "PLTE", palette);
  if (!trns.empty()) uhop_test::append_png_chunk(png, "tRNS", trns);
  uLongf size = compressBound(static_cast<uLong>(raw_rows.size()));
  Bytes z(size);
  REQUIRE(compress2(z.data(), &size, raw_rows.data(), static_cast<uLong>(raw_rows.size()), 9) == Z_OK);
  z.resize(size);
  uhop_test::append_png_chunk(png, "IDAT", z);
  uhop_test::append_png_chunk(png, "IEND", {});
  return png;
}
// Filter byte 0 then the packed samples of each row.
Bytes png_rows(int width, int height, int bits_per_pixel, const std::function<uint64_t(int, int)>& sample) {
  Bytes raw;
  for (int y = 0; y < height; ++y) {
    raw.push_back(0);
    Bytes row((width * bits_per_pixel + 7) / 8, 0);
    for (int x = 0; x < width; ++x) {
      const uint64_t v = sample(y, x);
      if (bits_per_pixel >= 8) {
        for (int b = bits_per_pixel / 8 - 1, k = 0; b >= 0; --b, ++k)
          row[x * bits_per_pixel / 8 + k] = (v >> (8 * b)) & 0xFF;
      } else {
        const int bit = x * bits_per_pixel;
        row[bit / 8] |= static_cast<uint8_t>(v << (8 - bits_per_pixel - bit % 8));
      }
    }
    raw.insert(raw.end(), row.begin(), row.end());
  }
  return raw;
}
}  // namespace

TEST_CASE("PNG through libpng: gray, RGB(A), 16-bit, low bit depths, palettes; alpha dropped", "[decoders][png]") {
  const Bytes gray = png_rows(5, 3, 8, [](int y, int x) { return pattern(0, y, x); });
  check_pixels(decode(png_file(5, 3, 8, 0, gray)), 5, 3, 1, pattern);
  const Bytes rgb = png_rows(
      4, 3, 24, [](int y, int x) { return (pattern(0, y, x) << 16) | (pattern(1, y, x) << 8) | pattern(2, y, x); });
  check_pixels(decode(png_file(4, 3, 8, 2, rgb)), 4, 3, 3, pattern);
  // RGBA: alpha dropped, not composited.
  const Bytes rgba = png_rows(4, 2, 32, [](int y, int x) {
    return (static_cast<uint32_t>(pattern(0, y, x)) << 24) | (pattern(1, y, x) << 16) | (pattern(2, y, x) << 8) | 7u;
  });
  check_pixels(decode(png_file(4, 2, 8, 6, rgba)), 4, 2, 3, pattern);
  // 16-bit gray: the high byte.
  const Bytes wide = png_rows(3, 2, 16, [](int y, int x) { return pattern(0, y, x) * 256u + 99; });
  check_pixels(decode(png_file(3, 2, 16, 0, wide)), 3, 2, 1, pattern);
  // 1-bit gray expands to 0/255.
  const Bytes bits = png_rows(10, 2, 1, [](int y, int x) { return (x + y) % 2u; });
  check_pixels(decode(png_file(10, 2, 1, 0, bits)), 10, 2, 1, [](int, int y, int x) { return (x + y) % 2 ? 255 : 0; });
  // A 2-bit palette: colours from PLTE.
  const Bytes palette = {10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120};
  const Bytes indices = png_rows(5, 2, 2, [](int y, int x) { return (x + 2 * y) % 4u; });
  check_pixels(decode(png_file(5, 2, 2, 3, indices, palette)), 5, 2, 3,
               [&](int c, int y, int x) { return palette[3 * ((x + 2 * y) % 4) + c]; });
}

// Issue 24: tRNS (transparency without an alpha channel) is alpha like any other: dropped, never composited. A
// palette's entries keep their colours, a grey or RGB colour key changes nothing.
TEST_CASE("PNG with tRNS: palette alpha and grey/RGB colour keys decode like alpha, dropped", "[decoders][png]") {
  const Bytes palette = {10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120};
  const auto colour = [&](int c, int y, int x) { return palette[3 * ((x + 3 * y) % 4) + c]; };
  const Bytes alphas = {0, 128};  // fewer entries than the palette: the rest are opaque
  const Bytes indices8 = png_rows(4, 4, 8, [](int y, int x) { return (x + 3 * y) % 4u; });
  check_pixels(decode(png_file(4, 4, 8, 3, indices8, palette, 0, alphas)), 4, 4, 3, colour);
  const Bytes indices2 = png_rows(4, 4, 2, [](int y, int x) { return (x + 3 * y) % 4u; });
  check_pixels(decode(png_file(4, 4, 2, 3, indices2, palette, 0, {255, 0, 7, 9})), 4, 4, 3, colour);
  // Grey with a colour key (2 bytes): 8-bit, and 2-bit (expanded to 0, 85, 170, 255).
  const Bytes gray = png_rows(4, 4, 8, [](int y, int x) { return pattern(0, y, x); });
  check_pixels(decode(png_file(4, 4, 8, 0, gray, {}, 0, {0, pattern(0, 1, 1)})), 4, 4, 1, pattern);
  const Bytes gray2 = png_rows(4, 4, 2, [](int y, int x) { return (x + y) % 4u; });
  check_pixels(decode(png_file(4, 4, 2, 0, gray2, {}, 0, {0, 2})), 4, 4, 1,
               [](int, int y, int x) { return 85 * ((x + y) % 4); });
  // RGB with a colour key (6 bytes), 8- and 16-bit (the high byte).
  const Bytes rgb = png_rows(
      4, 4, 24, [](int y, int x) { return (pattern(0, y, x) << 16) | (pattern(1, y, x) << 8) | pattern(2, y, x); });
  const Bytes key = {0, pattern(0, 2, 2), 0, pattern(1, 2, 2), 0, pattern(2, 2, 2)};
  check_pixels(decode(png_file(4, 4, 8, 2, rgb, {}, 0, key)), 4, 4, 3, pattern);
  const Bytes rgb16 = png_rows(4, 4, 48, [](int y, int x) {
    return (uint64_t{pattern(0, y, x)} << 40) | (uint64_t{pattern(1, y, x)} << 24) | (uint64_t{pattern(2, y, x)} << 8);
  });
  check_pixels(decode(png_file(4, 4, 16, 2, rgb16, {}, 0, key)), 4, 4, 3, pattern);
}

TEST_CASE("PNG refusals: over the pixel limit, more pixels than deflate can hold, broken data", "[decoders][png]") {
  // 8192 x 8192 at 1 bit needs 8 MiB of raw rows: a few hundred bytes of deflate cannot hold that (max 1032:1).
  const Bytes row0(1 + 1024, 0);
  Bytes bomb = png_file(8192, 8192, 1, 0, row0);
  CHECK_THAT(refusal(bomb, 8192LL * 8192), Contains("cannot hold that many pixels"));
  CHECK_THAT(refusal(bomb, 1 << 20), Contains("more than the limit"));
  // Truncated in the middle of IDAT: unreadable, with libpng's reason.
  Bytes good = png_file(16, 16, 8, 0, png_rows(16, 16, 8, [](int y, int x) { return pattern(0, y, x); }));
  CHECK_THAT(refusal(Bytes(good.begin(), good.begin() + 60)), Contains("cannot decode PNG"));
  // A corrupted chunk CRC on IHDR.
  Bytes bad_crc = good;
  bad_crc[29] ^= 0xFF;
  CHECK_THAT(refusal(bad_crc), Contains("PNG"));
}

namespace {
// ---- JPEG through libjpeg (baseline or progressive), to memory.
Bytes jpeg_file(int width, int height, int components, bool progressive,
                const std::function<uint8_t(int, int, int)>& value) {
  jpeg_compress_struct cinfo{};
  jpeg_error_mgr errors{};
  cinfo.err = jpeg_std_error(&errors);
  jpeg_create_compress(&cinfo);
  unsigned char* out = nullptr;
  unsigned long size = 0;
  jpeg_mem_dest(&cinfo, &out, &size);
  cinfo.image_width = width;
  cinfo.image_height = height;
  cinfo.input_components = components;
  cinfo.in_color_space = components == 1 ? JCS_GRAYSCALE : JCS_RGB;
  jpeg_set_defaults(&cinfo);
  jpeg_set_quality(&cinfo, 98, TRUE);
  if (progressive) jpeg_simple_progression(&cinfo);
  jpeg_start_compress(&cinfo, TRUE);
  Bytes row(static_cast<size_t>(width) * components);
  while (cinfo.next_scanline < cinfo.image_height) {
    for (int x = 0; x < width; ++x)
      for (int c = 0; c < components; ++c) row[x * components + c] = value(c, static_cast<int>(cinfo.next_scanline), x);
    JSAMPROW p = row.data();
    jpeg_write_scanlines(&cinfo, &p, 1);
  }
  jpeg_finish_compress(&cinfo);
  Bytes bytes(out, out + size);
  jpeg_destroy_compress(&cinfo);
  std::free(out);
  return bytes;
}
}  // namespace

TEST_CASE("JPEG through libjpeg-turbo: baseline and progressive, gray and colour", "[decoders][jpeg]") {
  const auto smooth = [](int c, int y, int x) { return static_cast<uint8_t>(60 + 30 * c + 4 * y + 3 * x); };
  for (bool progressive : {false, true}) {
    for (int components : {1, 3}) {
      INFO("progressive " << progressive << " components " << components);
      const DecodedImage image = decode(jpeg_file(24, 16, components, progressive, smooth));
      REQUIRE(image.width == 24);
      REQUIRE(image.height == 16);
      REQUIRE(image.channels == components);
      for (int y = 0; y < 16; ++y)
        for (int x = 0; x < 24; ++x)
          for (int c = 0; c < components; ++c)
            REQUIRE(std::abs(image.pixels[(y * 24 + x) * components + c] - smooth(c, y, x)) <= 8);
    }
  }
}

TEST_CASE("JPEG refusals: a small file declaring a huge image, truncated and garbage data", "[decoders][jpeg]") {
  Bytes small = jpeg_file(8, 8, 1, true, [](int, int, int) { return 128; });
  // Patch the frame header (SOF2: FF C2, length, precision, height, width) to claim 8000 x 8000.
  for (size_t i = 0; i + 8 < small.size(); ++i) {
    if (small[i] == 0xFF && (small[i + 1] == 0xC0 || small[i + 1] == 0xC2)) {
      small[i + 5] = 8000 >> 8, small[i + 6] = 8000 & 0xFF, small[i + 7] = 8000 >> 8, small[i + 8] = 8000 & 0xFF;
      break;
    }
  }
  CHECK_THAT(refusal(small, 8192LL * 8192), Contains("cannot hold that many pixels"));
  CHECK_THAT(refusal(small, 1 << 20), Contains("more than the limit"));
  CHECK_THAT(refusal(Bytes{0xFF, 0xD8, 0xFF, 0xE0, 0, 16, 'J'}), Contains("cannot decode JPEG"));
}

// Issue 24 item 12: a small progressive file with hundreds of scans (each re-decodes the whole image: 990 scans in
// 260 KB took 9 s) is refused past kMaxScans = 100; real progressive files have about 10. The file repeats its
// last scan (libjpeg warns about the progression and decodes on).
TEST_CASE("JPEG refusals: more than 100 progressive scans", "[decoders][jpeg][hostile]") {
  const Bytes file =
      jpeg_file(16, 16, 3, true, [](int c, int y, int x) { return static_cast<uint8_t>(c * 40 + y * x); });
  size_t last_sos = 0;
  int scans = 0;
  for (size_t i = 0; i + 1 < file.size(); ++i)
    if (file[i] == 0xFF && file[i + 1] == 0xDA) last_sos = i, ++scans;
  REQUIRE(scans >= 5);
  REQUIRE(file[file.size() - 2] == 0xFF);
  REQUIRE(file.back() == 0xD9);  // EOI
  const auto with_scans = [&](int total) {
    Bytes b(file.begin(), file.end() - 2);
    for (int k = scans; k < total; ++k) b.insert(b.end(), file.begin() + last_sos, file.end() - 2);
    b.push_back(0xFF), b.push_back(0xD9);
    return b;
  };
  CHECK(decode(with_scans(100)).width == 16);
  CHECK_THAT(refusal(with_scans(101)), Contains("more than 100 progressive scans"));
  CHECK_THAT(refusal(with_scans(990)), Contains("more than 100 progressive scans"));
}

namespace {
// ---- BMP by hand.
Bytes bmp_file(int width, int height, int bpp, const Bytes& palette_bgrx,
               const std::function<uint32_t(int, int)>& pixel, uint32_t compression = 0,
               const std::vector<uint32_t>& masks = {}) {
  const int stride = (width * bpp + 31) / 32 * 4;
  const int rows = height < 0 ? -height : height;
  const uint32_t offset = 14 + 40 + static_cast<uint32_t>(masks.size() * 4 + palette_bgrx.size());
  Bytes b = {'B', 'M'};
  le32(b, offset + stride * rows), le32(b, 0), le32(b, offset);
  le32(b, 40), le32(b, static_cast<uint32_t>(width)), le32(b, static_cast<uint32_t>(height));
  le16(b, 1), le16(b, bpp), le32(b, compression), le32(b, stride * rows), le32(b, 2835), le32(b, 2835);
  le32(b, static_cast<uint32_t>(palette_bgrx.size() / 4)), le32(b, 0);
  for (uint32_t m : masks) le32(b, m);
  b.insert(b.end(), palette_bgrx.begin(), palette_bgrx.end());
  for (int r = 0; r < rows; ++r) {
    const int y = height < 0 ? r : rows - 1 - r;  // bottom-up unless the height is negative
    Bytes row(stride, 0);
    for (int x = 0; x < width; ++x) {
      const uint32_t v = pixel(y, x);
      if (bpp < 8) {
        row[x * bpp / 8] |= static_cast<uint8_t>(v << (8 - bpp - (x * bpp) % 8));
      } else {
        for (int k = 0; k < bpp / 8; ++k) row[x * bpp / 8 + k] = (v >> (8 * k)) & 0xFF;
      }
    }
    b.insert(b.end(), row.begin(), row.end());
  }
  return b;
}
Bytes gray_palette(int n) {
  Bytes p;
  for (int i = 0; i < n; ++i)
    p.insert(p.end(), {static_cast<uint8_t>(i * 255 / (n - 1)), static_cast<uint8_t>(i * 255 / (n - 1)),
                       static_cast<uint8_t>(i * 255 / (n - 1)), 0});
  return p;
}
}  // namespace

TEST_CASE("BMP, our decoder: 1/4/8-bit palettes, 16/24/32-bit, bit fields, top-down", "[decoders][bmp]") {
  const auto rgb24 = [](int y, int x) {
    return static_cast<uint32_t>(pattern(2, y, x) | (pattern(1, y, x) << 8) | (pattern(0, y, x) << 16));
  };
  check_pixels(decode(bmp_file(5, 3, 24, {}, rgb24)), 5, 3, 3, pattern);
  check_pixels(decode(bmp_file(5, -3, 24, {}, rgb24)), 5, 3, 3, pattern);
  check_pixels(decode(bmp_file(4, 2, 32, {}, rgb24)), 4, 2, 3, pattern);
  check_pixels(decode(bmp_file(4, 2, 32, {}, [&](int y, int x) { return rgb24(y, x) << 8; }, 3,
                               {0xFF000000u, 0x00FF0000u, 0x0000FF00u})),
               4, 2, 3, pattern);
  // 16-bit 5-5-5: each 5-bit value v becomes v * 255 / 31.
  check_pixels(
      decode(bmp_file(3, 2, 16, {}, [](int y, int x) { return static_cast<uint32_t>((x << 10) | (y << 5) | 31); })), 3,
      2, 3, [](int c, int y, int x) {
        return static_cast<uint8_t>((c == 0 ? x : c == 1 ? y : 31) * 255 / 31);
      });
  // Gray palettes give one channel.
  check_pixels(decode(bmp_file(9, 2, 1, gray_palette(2), [](int y, int x) { return (x + y) % 2u; })), 9, 2, 1,
               [](int, int y, int x) { return (x + y) % 2 ? 255 : 0; });
  check_pixels(decode(bmp_file(5, 3, 4, gray_palette(16), [](int y, int x) { return (x + 3 * y) % 16u; })), 5, 3, 1,
               [](int, int y, int x) { return static_cast<uint8_t>((x + 3 * y) % 16 * 17); });
  const Bytes colours = {1, 2, 3, 0, 4, 5, 6, 0, 7, 8, 9, 0};
  check_pixels(decode(bmp_file(3, 2, 8, colours, [](int y, int x) { return (x + y) % 3u; })), 3, 2, 3,
               [&](int c, int y, int x) { return colours[4 * ((x + y) % 3) + 2 - c]; });
}

TEST_CASE("BMP refusals: a 54-byte file declaring 16000x16000, RLE, bad palette index, short headers",
          "[decoders][bmp]") {
  Bytes bomb = bmp_file(1, 1, 24, {}, [](int, int) { return 0u; });
  bomb.resize(54);
  bomb[18] = 16000 & 0xFF, bomb[19] = 16000 >> 8, bomb[22] = 16000 & 0xFF, bomb[23] = 16000 >> 8;
  CHECK_THAT(refusal(bomb, 16384LL * 16384), Contains("cannot hold that many pixels"));
  CHECK_THAT(refusal(bomb), Contains("more than the limit"));
  Bytes rle = bmp_file(4, 4, 8, gray_palette(256), [](int, int) { return 0u; });
  rle[30] = 1;
  CHECK_THAT(refusal(rle), Contains("RLE"));
  CHECK_THAT(refusal(bmp_file(3, 1, 8, {0, 0, 0, 0}, [](int, int x) { return x; })), Contains("palette"));
  CHECK_THAT(refusal(Bytes{'B', 'M', 0, 0}), Contains("BMP"));
  Bytes negative = bmp_file(2, 2, 24, {}, [](int, int) { return 0u; });
  negative[18] = 0xFE, negative[19] = negative[20] = negative[21] = 0xFF;  // width -2
  CHECK_THAT(refusal(negative), Contains("no pixels"));
}

namespace {
// ---- TGA by hand: type 1/2/3 (+8 for RLE); RLE encodes runs of equal pixels and raw packets otherwise.
Bytes tga_file(int type, int width, int height, int bits, const std::function<Bytes(int, int)>& pixel, bool top = false,
               const Bytes& colour_map = {}, int map_bits = 24) {
  Bytes b = {0, static_cast<uint8_t>(colour_map.empty() ? 0 : 1), static_cast<uint8_t>(type)};
  le16(b, 0), le16(b, static_cast<uint32_t>(colour_map.size() / (map_bits / 8)));
  b.push_back(static_cast<uint8_t>(colour_map.empty() ? 0 : map_bits));
  le16(b, 0), le16(b, 0), le16(b, width), le16(b, height);
  b.push_back(static_cast<uint8_t>(bits));
  b.push_back(top ? 0x20 : 0);
  b.insert(b.end(), colour_map.begin(), colour_map.end());
  std::vector<Bytes> stored;
  for (int r = 0; r < height; ++r)
    for (int x = 0; x < width; ++x) stored.push_back(pixel(top ? r : height - 1 - r, x));
  if (type < 9) {
    for (const Bytes& p : stored) b.insert(b.end(), p.begin(), p.end());
    return b;
  }
  for (size_t i = 0; i < stored.size();) {
    size_t run = 1;
    while (i + run < stored.size() && run < 128 && stored[i + run] == stored[i]) ++run;
    if (run > 1) {
      b.push_back(static_cast<uint8_t>(0x80 | (run - 1)));
      b.insert(b.end(), stored[i].begin(), stored[i].end());
    } else {
      size_t raw = 1;
      while (i + raw < stored.size() && raw < 128 && stored[i + raw] != stored[i + raw - 1]) ++raw;
      b.push_back(static_cast<uint8_t>(raw - 1));
      for (size_t k = 0; k < raw; ++k) b.insert(b.end(), stored[i + k].begin(), stored[i + k].end());
      run = raw;
    }
    i += run;
  }
  return b;
}
}  // namespace

TEST_CASE("TGA, our decoder: gray, 24/32-bit, colour-mapped, uncompressed and RLE, both origins", "[decoders][tga]") {
  const auto bgr = [](int y, int x) { return Bytes{pattern(2, y, x), pattern(1, y, x), pattern(0, y, x)}; };
  const auto flat_runs = [](int c, int y, int x) { return static_cast<uint8_t>(40 * c + 10 * y + (x < 3 ? 0 : 5)); };
  const auto bgr_runs = [&](int y, int x) { return Bytes{flat_runs(2, y, x), flat_runs(1, y, x), flat_runs(0, y, x)}; };
  for (bool top : {false, true}) {
    INFO("top " << top);
    check_pixels(decode(tga_file(
                     3, 5, 3, 8, [](int y, int x) { return Bytes{pattern(0, y, x)}; }, top)),
                 5, 3, 1, pattern);
    check_pixels(decode(tga_file(2, 4, 3, 24, bgr, top)), 4, 3, 3, pattern);
    check_pixels(decode(tga_file(
                     2, 4, 3, 32,
                     [&](int y, int x) {
                       Bytes p = bgr(y, x);
                       p.push_back(9);
                       return p;
                     },
                     top)),
                 4, 3, 3, pattern);
    check_pixels(decode(tga_file(10, 7, 3, 24, bgr_runs, top)), 7, 3, 3, flat_runs);
    check_pixels(decode(tga_file(
                     11, 7, 3, 8, [&](int y, int x) { return Bytes{flat_runs(0, y, x)}; }, top)),
                 7, 3, 1, flat_runs);
  }
  const Bytes map = {30, 20, 10, 60, 50, 40};  // BGR entries 0 and 1
  check_pixels(decode(tga_file(
                   9, 5, 2, 8, [](int y, int x) { return Bytes{static_cast<uint8_t>((x + y) % 2)}; }, false, map)),
               5, 2, 3, [&](int c, int y, int x) { return map[3 * ((x + y) % 2) + 2 - c]; });
}

TEST_CASE("TGA refusals: RLE that cannot hold the declared size, truncated packets, colours outside the map",
          "[decoders][tga]") {
  // An 18-byte header claiming 4000 x 4000 RLE with 100 bytes of packets.
  Bytes bomb = tga_file(10, 2, 2, 24, [](int, int) { return Bytes{1, 2, 3}; });
  bomb[12] = 4000 & 0xFF, bomb[13] = 4000 >> 8, bomb[14] = 4000 & 0xFF, bomb[15] = 4000 >> 8;
  bomb.resize(118, 0x7F);
  CHECK_THAT(refusal(bomb, 16384LL * 16384), Contains("cannot hold that many pixels"));
  // 18-byte uncompressed header claiming 16000 x 16000.
  Bytes header(bomb.begin(), bomb.begin() + 18);
  header[2] = 2, header[12] = 16000 & 0xFF, header[13] = 16000 >> 8, header[14] = 16000 & 0xFF, header[15] = 16000 >> 8;
  CHECK_THAT(refusal(header, 16384LL * 16384), Contains("cannot hold"));
  CHECK_THAT(refusal(header), Contains("more than the limit"));
  // Raw packets that promise more pixels than the data holds.
  Bytes cut = tga_file(10, 64, 64, 24, [](int y, int x) {
    return Bytes{static_cast<uint8_t>(x), static_cast<uint8_t>(y), 0};
  });
  cut.resize(cut.size() / 2);
  CHECK_THAT(refusal(cut), Contains("truncated"));
  const Bytes map = {1, 2, 3};
  CHECK_THAT(refusal(tga_file(
                 1, 2, 1, 8, [](int, int x) { return Bytes{static_cast<uint8_t>(x * 5)}; }, false, map)),
             Contains("colour map"));
}

TEST_CASE("PNM, our decoder: P2/P3 text, P5/P6 binary, comments, 16-bit maxval", "[decoders][pnm]") {
  std::string p2 = "P2\n# a comment\n3 2\n255\n";
  Bytes p5 = {'P', '5', ' ', '3', ' ', '2', ' ', '2', '5', '5', '\n'};
  Bytes p6 = {'P', '6', '\n', '2', ' ', '2', '\n', '2', '5', '5', '\n'};
  std::string p3 = "P3 2 2 255\n";
  for (int y = 0; y < 2; ++y)
    for (int x = 0; x < 3; ++x) {
      p2 += std::to_string(pattern(0, y, x)) + (x == 2 ? "\n" : " ");
      p5.push_back(pattern(0, y, x));
    }
  for (int y = 0; y < 2; ++y)
    for (int x = 0; x < 2; ++x)
      for (int c = 0; c < 3; ++c) p6.push_back(pattern(c, y, x)), p3 += std::to_string(pattern(c, y, x)) + " ";
  check_pixels(decode(Bytes(p2.begin(), p2.end())), 3, 2, 1, pattern);
  check_pixels(decode(p5), 3, 2, 1, pattern);
  check_pixels(decode(p6), 2, 2, 3, pattern);
  check_pixels(decode(Bytes(p3.begin(), p3.end())), 2, 2, 3, pattern);
  // maxval 65535: two bytes per sample, scaled to 0..255 with rounding.
  Bytes wide = {'P', '5', ' ', '2', ' ', '1', ' ', '6', '5', '5', '3', '5', '\n', 0xFF, 0xFF, 0x80, 0x00};
  check_pixels(decode(wide), 2, 1, 1, [](int, int, int x) { return x == 0 ? 255 : 128; });
  // maxval 15: 15 -> 255.
  const std::string small = "P2 2 1 15 15 0";
  check_pixels(decode(Bytes(small.begin(), small.end())), 2, 1, 1, [](int, int, int x) { return x == 0 ? 255 : 0; });
}

TEST_CASE("PNM refusals: a 19-byte header declaring 16000x16000, bad samples, unsupported kinds", "[decoders][pnm]") {
  const std::string bomb = "P5 16000 16000 255\n";
  CHECK_THAT(refusal(Bytes(bomb.begin(), bomb.end()), 16384LL * 16384), Contains("cannot hold that many pixels"));
  CHECK_THAT(refusal(Bytes(bomb.begin(), bomb.end())), Contains("more than the limit"));
  const std::string text_bomb = "P2 2000 2000 255\n1 2 3";
  CHECK_THAT(refusal(Bytes(text_bomb.begin(), text_bomb.end()), 8192LL * 8192), Contains("cannot hold"));
  const std::string over = "P2 2 1 10 5 11";
  CHECK_THAT(refusal(Bytes(over.begin(), over.end())), Contains("larger than maxval"));
  const std::string huge = "P5 99999999999999999999 2 255\n";
  CHECK_THAT(refusal(Bytes(huge.begin(), huge.end())), Contains("width and height"));
  const std::string bitmap = "P1 2 2 0 1 1 0";
  CHECK_THAT(refusal(Bytes(bitmap.begin(), bitmap.end())), Contains("not supported"));
}

TEST_CASE("unsupported and unknown formats say so; GIF is refused by name", "[decoders]") {
  const std::string gif = "GIF89a\x01\x00\x01\x00";
  CHECK_THAT(refusal(Bytes(gif.begin(), gif.end())), Contains("GIF images are not supported"));
  CHECK_THAT(refusal(Bytes{'h', 'e', 'l', 'l', 'o', 0x1b, '[', '2', 'J', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}),
             Contains("not a readable image"));
  CHECK_THAT(refusal(Bytes{}), Contains("empty"));
}

TEST_CASE("files named inside another data file: each decoder says the kind of problem, never the file's bytes",
          "[decoders][hostile][provenance]") {
  const std::string secret = "AUDIT25-SECRET";
  struct Case {
    std::string what;
    Bytes bytes;
    std::string kind;       // in the message either way
    std::string from_file;  // bytes or a value of the file: only in the message of a file the user named
    long long max_pixels = 1 << 20;
  };
  std::vector<Case> cases;
  // PNG: a chunk after IHDR with the type "SECR" and a wrong CRC (libpng says "SECR: CRC error").
  Bytes png = png_file(2, 2, 8, 0, Bytes(6, 0));
  png.resize(33);
  const Bytes bad_chunk = {0, 0, 0, 4, 'S', 'E', 'C', 'R', 'X', 'X', 'X', 'X', 0, 0, 0, 0, 0, 0, 0, 0};
  png.insert(png.end(), bad_chunk.begin(), bad_chunk.end());
  cases.push_back({"PNG chunk type", png, "CRC", "SECR"});
  // JPEG: a marker 0x41 ('A') right after SOI (libjpeg: "Unsupported marker type 0x41").
  Bytes jpeg = {0xff, 0xd8, 0xff};
  jpeg.insert(jpeg.end(), secret.begin(), secret.end());
  cases.push_back({"JPEG marker", jpeg, "marker", "0x41"});
  // BMP: the header size field is "AUDI" = 1229215041; a compression type "AAAA"; a huge size.
  Bytes bmp = {'B', 'M'};
  bmp.resize(14, 0);
  bmp.insert(bmp.end(), secret.begin(), secret.end());
  bmp.resize(60, 0);
  cases.push_back({"BMP header size", bmp, "unknown header size", "1229215041"});
  Bytes compressed = bmp_file(2, 2, 24, {}, [](int, int) { return 0u; });
  compressed[30] = compressed[31] = compressed[32] = compressed[33] = 'A';
  cases.push_back({"BMP compression", compressed, "compression type", "1094795585"});
  Bytes wide = bmp_file(1, 1, 24, {}, [](int, int) { return 0u; });
  wide.resize(54);
  wide[18] = 16001 & 0xFF, wide[19] = 16001 >> 8, wide[22] = 16003 & 0xFF, wide[23] = 16003 >> 8;
  cases.push_back({"BMP size over the limit", wide, "more pixels than the limit", "16001x16003"});
  cases.push_back(
      {"BMP size over the file", wide, "more than a BMP of 54 bytes can hold", "16001x16003", 16384LL * 16384});
  cases.push_back({"BMP palette index",
                   bmp_file(3, 1, 8, {0, 0, 0, 0, 9, 9, 9, 0}, [](int, int x) { return x == 2 ? 77u : 0u; }),
                   "outside the palette", "77"});
  // TGA: a pixel's index outside the colour map.
  cases.push_back({"TGA colour index",
                   tga_file(1, 2, 1, 8, [](int, int x) { return Bytes{uint8_t(x ? 99 : 0)}; }, false, {1, 2, 3}),
                   "outside the colour map", "99"});
  // PNM: maxval is a value of the file.
  const std::string pnm = "P2 2 1 4321 5 43210";
  cases.push_back({"PNM maxval", Bytes(pnm.begin(), pnm.end()), "larger than maxval", "4321"});
  uhop_test::TempDir dir("provenance-images");
  const auto message = [&](const Case& c, bool quote_content) {
    const std::string path = dir.file("image.png");
    uhop_test::write_bytes(path, c.bytes);
    LoadOptions options;  // quote_content false: as a session's memories.source is loaded
    options.quote_content = quote_content;
    options.max_image_pixels = c.max_pixels;
    try {
      load_memories(path, options);
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string("(loaded)");
  };
  for (const Case& c : cases) {
    INFO(c.what);
    CHECK_THAT(message(c, true), Contains(c.from_file));  // the user's own file: the value helps them fix it
    const std::string inside = message(c, false);
    CHECK_THAT(inside, Contains(c.kind));
    CHECK_THAT(inside, !Contains(c.from_file) && !Contains("SECR") && !Contains("AUDI"));
  }
}
