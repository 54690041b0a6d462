// Issue 24 item 11, the smaller cases, each a test: demo's target is range-checked, not wrapped; a PNG-folder
// recording into a device says what the device is; a comment right after a PNM maxval is accepted; unit
// normalization handles rows of denormals and of huge values. (The 64 KiB FEXTRA gzip is in
// test_decompression_bombs.cpp, the folder-wide temp cleanup in test_commit_sets.cpp.)
#include <catch2/catch.hpp>

#include <cmath>
#include <string>
#include <vector>

#include "cli_runner.h"
#include "data/image_decode.h"
#include "data/image_preprocess.h"
#include "numerics/input_error.h"
#include "plot/plot_animation.h"

using namespace uhop;
using Catch::Matchers::Contains;

TEST_CASE("demo --target past the last memory is refused, not wrapped to memory 0", "[cli][hostile]") {
  cli::TempDir dir;
  const cli::Result r = cli::run(dir, "demo --memories builtin:glyphs --count 6 --steps 1 --target 1000");
  CHECK(r.code == 2);
  CHECK_THAT(r.err, Contains("--target 1000 is outside 0..5"));
}

TEST_CASE("recording PNG frames into /dev/full says it is a device", "[plot][hostile]") {
  CHECK_THROWS_WITH(AnimationWriter("/dev/full", 64, 64, 10),
                    Contains("character device") && !Contains("not an empty"));
}

TEST_CASE("a PNM comment right after maxval is part of the header", "[data][pnm]") {
  std::string text = "P2 2 2 255#c\n0 64 128 255\n";
  DecodedImage image;
  std::string problem;
  REQUIRE(decode_image(reinterpret_cast<const uint8_t*>(text.data()), text.size(), "c.pgm", 1 << 20, image, problem));
  CHECK(image.width == 2);
  CHECK(image.pixels.size() == 4);
  CHECK(int(image.pixels[3]) == 255);
  std::string binary = "P5 2 1 255#comment\n";
  binary += std::string("\x10\x20", 2);
  REQUIRE(
      decode_image(reinterpret_cast<const uint8_t*>(binary.data()), binary.size(), "c.pgm", 1 << 20, image, problem));
  CHECK(int(image.pixels[1]) == 0x20);
}

TEST_CASE("a PNM comment after maxval's whitespace: skipped in P2/P3, raster in P5/P6 (the netpbm spec)",
          "[data][pnm]") {
  // The audit's file: "P2 8 8 255 #c" then 64 samples (was refused: "sample 1 is missing").
  std::string text = "P2 8 8 255 #c\n";
  for (int i = 0; i < 64; ++i) text += std::to_string(i) + (i % 8 == 7 ? "\n" : " ");
  DecodedImage image;
  std::string problem;
  const auto decodes = [&](const std::string& bytes) {
    problem.clear();
    return decode_image(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size(), "c.pgm", 1 << 20, image, problem);
  };
  REQUIRE(decodes(text));
  CHECK(image.width == 8);
  CHECK(int(image.pixels[63]) == 63);
  // Comments between the samples of the text forms, as libnetpbm reads them.
  REQUIRE(decodes("P3 1 2 255\n1 2 3 # first pixel\n4 5 6\n"));
  CHECK(int(image.pixels[5]) == 6);
  // P5: maxval, one whitespace byte, then the raster: the '#' after "255 " is the first sample, not a comment.
  REQUIRE(decodes("P5 3 1 255 #\x10\x20"));
  CHECK(int(image.pixels[0]) == '#');
  CHECK(int(image.pixels[2]) == 0x20);
}

TEST_CASE("unit normalization reaches rows of denormals and of huge values", "[data][normalize]") {
  for (const double x : {1e-310, 4e-320, 1e200, 1.0}) {
    INFO(x);
    std::vector<double> row = {x, -x, 0.0, x};
    normalize_row(row.data(), static_cast<long long>(row.size()), Normalization::unit_norm);
    double sum_sq = 0;
    for (double v : row) sum_sq += v * v;
    CHECK(sum_sq == Approx(1.0).epsilon(1e-12));
    CHECK(row[0] == Approx(1 / std::sqrt(3.0)));
  }
  std::vector<double> zero = {0.0, 0.0};
  normalize_row(zero.data(), 2, Normalization::unit_norm);
  CHECK(zero[0] == 0.0);
}
