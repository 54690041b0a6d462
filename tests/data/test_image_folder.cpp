// Image folders and single image files through stb_image: PNG/BMP/TGA/JPEG written with stb_image_write, a PGM
// written by hand; resize and gray numbers against hand-computed pixels; unreadable files and limits.
#include <catch2/catch.hpp>

#include <stb_image_write.h>

#include "data/image_folder.h"
#include "numerics/input_error.h"
#include "loader_test_files.h"
#include "data/memory_sources.h"

using namespace uhop;
using namespace uhop_test;
using Catch::Matchers::Contains;

namespace {
// Interleaved pixels with value(c, y, x).
std::vector<uint8_t> pixels_of(int width, int height, int channels,
                               const std::function<uint8_t(int, int, int)>& value) {
  std::vector<uint8_t> out;
  for (int y = 0; y < height; ++y)
    for (int x = 0; x < width; ++x)
      for (int c = 0; c < channels; ++c) out.push_back(value(c, y, x));
  return out;
}

void write_png(const std::string& path, int width, int height, int channels, const std::vector<uint8_t>& pixels) {
  REQUIRE(stbi_write_png(path.c_str(), width, height, channels, pixels.data(), width * channels));
}

uint8_t ramp(int c, int y, int x) {
  return static_cast<uint8_t>(10 + 60 * c + 20 * y + 7 * x);
}
}  // namespace

TEST_CASE("PNG, BMP, TGA and a hand-written PGM round trip exactly", "[loaders][images]") {
  TempDir dir("formats");
  const std::vector<uint8_t> gray = pixels_of(5, 3, 1, ramp);
  write_png(dir.file("a.png"), 5, 3, 1, gray);
  REQUIRE(stbi_write_bmp(dir.file("b.bmp").c_str(), 5, 3, 1, gray.data()));
  REQUIRE(stbi_write_tga(dir.file("c.tga").c_str(), 5, 3, 1, gray.data()));
  std::vector<uint8_t> pgm = {'P', '5', '\n', '5', ' ', '3', '\n', '2', '5', '5', '\n'};
  pgm.insert(pgm.end(), gray.begin(), gray.end());
  write_bytes(dir.file("d.pgm"), pgm);

  for (const char* name : {"a.png", "b.bmp", "c.tga", "d.pgm"}) {
    INFO(name);
    const MemorySet one = load_memories(dir.file(name));
    REQUIRE(one.count() == 1);
    REQUIRE(one.shape.width == 5);
    REQUIRE(one.shape.height == 3);
    CHECK(one.names[0] == name);
    for (int y = 0; y < 3; ++y)
      for (int x = 0; x < 5; ++x) REQUIRE(one.patterns(0, y * 5 + x) == Approx(ramp(0, y, x) / 255.0));
  }
  const MemorySet all = load_memories(dir.path.string());
  REQUIRE(all.count() == 4);
  CHECK(all.names == std::vector<std::string>{"a.png", "b.bmp", "c.tga", "d.pgm"});
  CHECK(all.labels == std::vector<int>(4, -1));
  CHECK((all.patterns.row(0) - all.patterns.row(3)).norm() == 0);
}

TEST_CASE("JPEG loads (lossy: values close)", "[loaders][images]") {
  TempDir dir("jpeg");
  const std::vector<uint8_t> rgb = pixels_of(16, 16, 3, [](int, int, int) { return 128; });
  REQUIRE(stbi_write_jpg(dir.file("flat.jpg").c_str(), 16, 16, 3, rgb.data(), 95));
  const MemorySet set = load_memories(dir.file("flat.jpg"));
  REQUIRE(set.shape.width == 16);
  CHECK(set.patterns.maxCoeff() == Approx(128 / 255.0).margin(3 / 255.0));
  CHECK(set.patterns.minCoeff() == Approx(128 / 255.0).margin(3 / 255.0));
}

TEST_CASE("RGB to gray by luma, or kept as C,H,W planes", "[loaders][images]") {
  TempDir dir("rgb");
  write_png(dir.file("rgb.png"), 3, 2, 3, pixels_of(3, 2, 3, ramp));
  const MemorySet gray = load_memories(dir.file("rgb.png"));
  REQUIRE(gray.dim() == 6);
  // Pixel (y=1, x=2): R = 10+20+14 = 44, G = 104, B = 164 -> (0.299*44 + 0.587*104 + 0.114*164) / 255.
  CHECK(gray.patterns(0, 1 * 3 + 2) == Approx((0.299 * 44 + 0.587 * 104 + 0.114 * 164) / 255.0).epsilon(1e-6));
  CHECK_THAT(gray.preprocessing, Contains("gray (luma 0.299R+0.587G+0.114B)"));

  LoadOptions options;
  options.keep_rgb = true;
  const MemorySet colour = load_memories(dir.file("rgb.png"), options);
  REQUIRE(colour.shape.channels == 3);
  REQUIRE(colour.dim() == 18);
  for (int c = 0; c < 3; ++c)
    for (int y = 0; y < 2; ++y)
      for (int x = 0; x < 3; ++x) REQUIRE(colour.patterns(0, c * 6 + y * 3 + x) == Approx(ramp(c, y, x) / 255.0));

  SECTION("a gray image in an RGB set is replicated to R = G = B") {
    write_png(dir.file("s.png"), 3, 2, 1, pixels_of(3, 2, 1, ramp));
    const MemorySet mixed = load_memories(dir.path.string(), options);
    REQUIRE(mixed.names[1] == "s.png");
    for (int c = 0; c < 3; ++c) CHECK(mixed.patterns(1, c * 6 + 4) == Approx(ramp(0, 1, 1) / 255.0));
  }
}

TEST_CASE("Box resize averages the covered area; mixed sizes resized to the first", "[loaders][images][resize]") {
  TempDir dir("resize");
  // 4x4 gray, value 16*y + 4*x (+ 3 so it is not trivially zero).
  const auto value = [](int, int y, int x) { return static_cast<uint8_t>(3 + 16 * y + 4 * x); };
  write_png(dir.file("a.png"), 4, 4, 1, pixels_of(4, 4, 1, value));
  LoadOptions options;
  options.width = 2;
  options.height = 2;
  const MemorySet small = load_memories(dir.file("a.png"), options);
  REQUIRE(small.dim() == 4);
  // Output (Y, X) = mean of the 2x2 block: 3 + 16 * (2Y + 0.5) + 4 * (2X + 0.5).
  for (int Y = 0; Y < 2; ++Y)
    for (int X = 0; X < 2; ++X)
      CHECK(small.patterns(0, Y * 2 + X) == Approx((3 + 16 * (2 * Y + 0.5) + 4 * (2 * X + 0.5)) / 255.0).epsilon(1e-5));
  CHECK_THAT(small.preprocessing, Contains("resized 4x4->2x2 (box)"));

  SECTION("a folder of mixed sizes takes the first image's size") {
    write_png(dir.file("b.png"), 2, 2, 1, pixels_of(2, 2, 1, [](int, int, int) { return 200; }));
    write_png(dir.file("c.png"), 8, 6, 1, pixels_of(8, 6, 1, [](int, int y, int) { return y < 3 ? 0 : 255; }));
    const MemorySet set = load_memories(dir.path.string());
    REQUIRE(set.count() == 3);
    REQUIRE(set.shape.width == 4);
    REQUIRE(set.shape.height == 4);
    // Enlarged constant stays constant; bilinear never leaves [0,1].
    for (int i = 0; i < 16; ++i) CHECK(set.patterns(1, i) == Approx(200 / 255.0));
    // 6 rows -> 4: rows 0..1.5 black, 1.5..3 black, 3..4.5 white, 4.5..6 white.
    CHECK(set.patterns(2, 0) == Approx(0.0).margin(1e-6));
    CHECK(set.patterns(2, 15) == Approx(1.0).margin(1e-6));
    CHECK(set.patterns.minCoeff() >= 0.0);
    CHECK(set.patterns.maxCoeff() <= 1.0);
    CHECK_THAT(set.preprocessing,
               Contains("resized 2 of 3 images to 4x4 (box when shrinking, bilinear when enlarging)"));
  }
}

TEST_CASE("Unit norm and centered rows", "[loaders][images]") {
  TempDir dir("normalize");
  write_png(dir.file("a.png"), 4, 3, 1, pixels_of(4, 3, 1, ramp));
  write_png(dir.file("z.png"), 4, 3, 1, std::vector<uint8_t>(12, 0));
  LoadOptions options;
  options.normalization = Normalization::unit_norm;
  const MemorySet unit = load_memories(dir.path.string(), options);
  CHECK(unit.patterns.row(0).norm() == Approx(1.0));
  CHECK(unit.patterns.row(1).norm() == 0.0);  // an all-black image has no direction; it stays zero
  CHECK_THAT(unit.preprocessing, Contains("scaled to [0,1], unit norm"));
  options.normalization = Normalization::centered;
  const MemorySet centered = load_memories(dir.path.string(), options);
  CHECK(std::abs(centered.patterns.row(0).mean()) < 1e-12);
  CHECK(centered.patterns(0, 0) == Approx(ramp(0, 0, 0) / 255.0 - load_memories(dir.file("a.png")).patterns.mean()));
}

TEST_CASE("Folders are read in name order; class subfolders give labels", "[loaders][images]") {
  TempDir dir("classes");
  fs::create_directories(dir.path / "dog");
  fs::create_directories(dir.path / "cat");
  fs::create_directories(dir.path / "empty");
  const auto flat = [](uint8_t v) { return std::vector<uint8_t>(4, v); };
  write_png(dir.file("dog/2.png"), 2, 2, 1, flat(1));
  write_png(dir.file("dog/1.png"), 2, 2, 1, flat(2));
  write_png(dir.file("cat/x.png"), 2, 2, 1, flat(3));
  write_png(dir.file("loose.png"), 2, 2, 1, flat(4));
  write_bytes(dir.file("README.txt"), {'h', 'i'});
  write_bytes(dir.file(".hidden.png"), {'x'});
  std::vector<std::string> warnings;
  const MemorySet set = load_memories(dir.path.string(), {}, &warnings);
  CHECK(warnings.empty());
  CHECK(set.names == std::vector<std::string>{"cat/x.png", "dog/1.png", "dog/2.png", "loose.png"});
  CHECK(set.labels == std::vector<int>{0, 1, 1, -1});
  CHECK(set.class_names == std::vector<std::string>{"cat", "dog"});
  CHECK(set.patterns(0, 0) == Approx(3 / 255.0));
}

TEST_CASE("Unreadable files in a folder are skipped with one warning", "[loaders][images][bad-input]") {
  TempDir dir("unreadable");
  write_png(dir.file("a.png"), 2, 2, 1, std::vector<uint8_t>(4, 9));
  write_bytes(dir.file("b.png"), {'n', 'o', 't', ' ', 'p', 'n', 'g'});
  write_bytes(dir.file("c.jpg"), {});
  write_png(dir.file("d.png"), 2, 2, 1, std::vector<uint8_t>(4, 10));
  std::vector<std::string> warnings;
  const MemorySet set = load_memories(dir.path.string(), {}, &warnings);
  CHECK(set.names == std::vector<std::string>{"a.png", "d.png"});
  REQUIRE(warnings.size() == 1);
  CHECK_THAT(warnings[0],
             Contains("skipped 2 unreadable files") && Contains("b.png") && Contains("c.jpg (empty file)"));

  SECTION("an explicit count that the readable files cannot meet") {
    LoadOptions options;
    options.count = 3;
    REQUIRE_THROWS_WITH(load_memories(dir.path.string(), options), Contains("only 2 images are readable"));
  }
  SECTION("count_at_most (the Studio) loads what is readable, with a note") {
    LoadOptions options;
    options.count = 3;
    options.count_at_most = true;
    std::vector<std::string> notes;
    const MemorySet two = load_memories(dir.path.string(), options, &notes);
    CHECK(two.count() == 2);
    CHECK_THAT(notes.back(), Contains("asked for 3 memories but only 2 images are readable: loaded 2"));
  }
  SECTION("count_at_most: a folder with fewer files than M loads them all, with a note") {
    LoadOptions options;
    options.count = 20;
    options.count_at_most = true;
    std::vector<std::string> notes;
    const MemorySet some = load_memories(dir.path.string(), options, &notes);
    CHECK(some.count() == 2);
    CHECK_THAT(notes.front(), Contains("asked for up to 20 memories, there are 4: taking all 4"));
  }
  SECTION("none readable") {
    fs::remove(dir.file("a.png"));
    fs::remove(dir.file("d.png"));
    REQUIRE_THROWS_WITH(load_memories(dir.path.string()),
                        Contains(dir.path.string()) && Contains("none of the 2 images could be read"));
  }
}

TEST_CASE("Image bad input", "[loaders][images][bad-input]") {
  TempDir dir("image-bad");
  SECTION("empty folder") {
    REQUIRE_THROWS_WITH(load_memories(dir.path.string()), Contains(dir.path.string()) && Contains("no image files"));
  }
  SECTION("image larger than the pixel limit") {
    write_png(dir.file("big.png"), 8, 8, 1, std::vector<uint8_t>(64, 1));
    LoadOptions options;
    options.max_image_pixels = 63;
    REQUIRE_THROWS_WITH(load_memories(dir.file("big.png"), options),
                        Contains("big.png") && Contains("8x8 = 64 pixels, more than the limit of 63"));
    REQUIRE_THROWS_WITH(load_memories(dir.path.string(), options),
                        Contains("big.png") && Contains("more than the limit"));
  }
  SECTION("zero-byte image file") {
    write_bytes(dir.file("zero.png"), {});
    REQUIRE_THROWS_WITH(load_memories(dir.file("zero.png")), Contains("zero.png") && Contains("empty file"));
  }
  SECTION("corrupt image file") {
    write_png(dir.file("cut.png"), 8, 8, 1, std::vector<uint8_t>(64, 1));
    const auto size = fs::file_size(dir.file("cut.png"));
    fs::resize_file(dir.file("cut.png"), size / 2);
    REQUIRE_THROWS_WITH(load_memories(dir.file("cut.png")), Contains("cut.png"));
  }
  SECTION("nonexistent path") {
    REQUIRE_THROWS_WITH(load_memories(dir.file("nope")), Contains(dir.file("nope")) && Contains("no such file"));
  }
  SECTION("only one of width and height") {
    write_png(dir.file("a.png"), 2, 2, 1, std::vector<uint8_t>(4, 1));
    LoadOptions options;
    options.width = 5;
    REQUIRE_THROWS_WITH(load_memories(dir.file("a.png"), options), Contains("both width and height"));
  }
  SECTION("from memory, the fuzzer's entry point") {
    const uint8_t junk[] = {0x89, 'P', 'N', 'G', 1, 2, 3};
    REQUIRE_THROWS_AS(load_image_from_memory(junk, sizeof junk, "junk", {}), InputError);
  }
}

TEST_CASE("a folder named inside another data file: entries that fail are named by position, not by name",
          "[loaders][images][hostile][provenance]") {
  TempDir dir("provenance-folder");
  fs::create_directories(dir.path / "f");
  write_png(dir.file("f/a.png"), 2, 2, 1, std::vector<uint8_t>(4, 9));
  write_bytes(dir.file("f/b-AUDIT25-SECRET.png"), {'x'});
  write_bytes(dir.file("f/c-AUDIT25-SECRET.bmp"), {'B', 'M', 'x'});
  LoadOptions inside;  // as a session's memories.source is loaded
  inside.quote_content = false;
  std::vector<std::string> warnings;
  CHECK(load_memories(dir.file("f"), inside, &warnings).count() == 1);
  REQUIRE(warnings.size() == 1);
  CHECK_THAT(warnings[0], Contains("skipped 2 unreadable files: item 2 (") && Contains("item 3 (BMP: file too short"));
  CHECK_THAT(warnings[0], !Contains("AUDIT25"));
  fs::remove(dir.file("f/a.png"));
  try {
    load_memories(dir.file("f"), inside);
    FAIL("loaded a folder of unreadable images");
  } catch (const InputError& e) {
    CHECK_THAT(std::string(e.what()),
               Contains("none of the 2 images could be read, e.g. item 1 (") && !Contains("AUDIT25"));
  }
  // Named by the user: the file names help them find the bad file.
  CHECK_THROWS_WITH(load_memories(dir.file("f")), Contains("b-AUDIT25-SECRET.png"));
}
