// load_memories as a whole: SRC dispatch, offset/count/pick semantics, CSV, the built-in sets, progress and
// cancel, and the real Fashion-MNIST when the Debian package is installed.
#include <catch2/catch.hpp>

#include <filesystem>
#include <set>

#include "data/builtin_glyphs.h"
#include "data/image_catalog.h"
#include "numerics/input_error.h"
#include "loader_test_files.h"
#include "data/memory_sources.h"

using namespace uhop;
using namespace uhop_test;
using Catch::Matchers::Contains;

namespace {
// 12 images of 2x2 whose first pixel encodes the index; labels 2,0,1 repeating, so per-class has work to do.
std::string write_labelled_idx(const TempDir& dir) {
  write_bytes(dir.file("p-images-idx3-ubyte"), idx_images(12, 2, 2, [](int i, int, int) { return i * 10; }));
  std::vector<int> labels;
  for (int i = 0; i < 12; ++i) labels.push_back((i + 2) % 3);
  write_bytes(dir.file("p-labels-idx1-ubyte"), idx_labels(labels));
  return dir.file("p-images-idx3-ubyte");
}

std::vector<int> indices_of(const MemorySet& set) {
  std::vector<int> indices;
  for (int i = 0; i < set.count(); ++i) indices.push_back(static_cast<int>(std::lround(set.patterns(i, 0) * 25.5)));
  return indices;
}
}  // namespace

TEST_CASE("offset and count with pick first", "[loaders][pick]") {
  TempDir dir("pick-first");
  const std::string path = write_labelled_idx(dir);
  LoadOptions options;
  options.offset = 3;
  options.count = 4;
  const MemorySet set = load_memories(path, options);
  CHECK(indices_of(set) == std::vector<int>{3, 4, 5, 6});
  CHECK(set.names.front() == "p-images-idx3-ubyte#3");
  CHECK(set.labels == std::vector<int>{2, 0, 1, 2});
  CHECK_THAT(set.preprocessing, Contains("4 picked first from offset 3"));
  options.count = 0;
  CHECK(load_memories(path, options).count() == 9);  // 0 = all after the offset
}

TEST_CASE("pick random: distinct, within range, reproducible for a seed", "[loaders][pick]") {
  TempDir dir("pick-random");
  const std::string path = write_labelled_idx(dir);
  LoadOptions options;
  options.pick = Pick::random;
  options.offset = 2;
  options.count = 6;
  options.seed = 42;
  const std::vector<int> a = indices_of(load_memories(path, options));
  CHECK(a == indices_of(load_memories(path, options)));
  const std::set<int> distinct(a.begin(), a.end());
  CHECK(distinct.size() == 6);
  CHECK(*distinct.begin() >= 2);
  CHECK(*distinct.rbegin() <= 11);
  bool any_different = false;
  for (uint64_t seed = 43; seed < 48; ++seed) {
    options.seed = seed;
    any_different = any_different || indices_of(load_memories(path, options)) != a;
  }
  CHECK(any_different);
}

TEST_CASE("pick per-class: round-robin over classes in label order", "[loaders][pick]") {
  TempDir dir("pick-class");
  const std::string path = write_labelled_idx(dir);
  LoadOptions options;
  options.pick = Pick::per_class;
  options.count = 7;
  options.seed = 5;
  const MemorySet set = load_memories(path, options);
  CHECK(set.labels == std::vector<int>{0, 1, 2, 0, 1, 2, 0});
  const std::vector<int> picked = indices_of(set);
  CHECK(std::set<int>(picked.begin(), picked.end()).size() == 7);
  for (int i = 0; i < 7; ++i) CHECK((picked[i] + 2) % 3 == set.labels[i]);  // each row is its label's image
  CHECK(picked == indices_of(load_memories(path, options)));

  options.count = 0;
  SECTION("unequal classes: exhausted classes drop out of the rotation") {
    const std::vector<int> labels = {1, 1, 1, 1, 0};
    const std::vector<int> order = pick_order(5, labels, options, "x", nullptr);
    std::vector<int> order_labels;
    for (int item : order) order_labels.push_back(labels[item]);
    CHECK(order_labels == std::vector<int>{0, 1, 1, 1, 1});
  }
  SECTION("no labels: falls back to random with a warning") {
    std::vector<std::string> warnings;
    const std::vector<int> order = pick_order(5, {}, options, "x", &warnings);
    CHECK(order.size() == 5);
    REQUIRE(warnings.size() == 1);
    CHECK_THAT(warnings[0], Contains("no labels"));
  }
}

TEST_CASE("offset and count out of range", "[loaders][pick][bad-input]") {
  TempDir dir("pick-bad");
  const std::string path = write_labelled_idx(dir);
  LoadOptions options;
  options.offset = 12;
  REQUIRE_THROWS_WITH(load_memories(path, options), Contains(path) && Contains("offset 12 is past the end"));
  options.offset = 10;
  options.count = 3;
  REQUIRE_THROWS_WITH(load_memories(path, options),
                      Contains("asked for 3 memories but there are only 2 after offset 10"));
  options = {};
  options.count = -1;
  REQUIRE_THROWS_WITH(load_memories(path, options), Contains("count must be >= 0"));
  options = {};
  options.offset = -2;
  REQUIRE_THROWS_WITH(load_memories(path, options), Contains("offset must be >= 0"));
}

TEST_CASE("CSV memories: one per row, offset/count, normalization", "[loaders][csv]") {
  TempDir dir("csv");
  std::ofstream(dir.file("m.csv")) << "3,4\n1,1\n0,2\n";
  const MemorySet all = load_memories(dir.file("m.csv"));
  REQUIRE(all.count() == 3);
  CHECK(all.shape.width == 2);
  CHECK(all.patterns(0, 1) == 4.0);
  LoadOptions options;
  options.offset = 1;
  options.count = 1;
  options.normalization = Normalization::unit_norm;
  std::vector<std::string> warnings;
  options.width = options.height = 28;
  const MemorySet one = load_memories(dir.file("m.csv"), options, &warnings);
  REQUIRE(one.count() == 1);
  CHECK(one.patterns(0, 0) == Approx(std::sqrt(0.5)));
  CHECK(one.names[0] == dir.file("m.csv") + "#1");
  CHECK_THAT(one.preprocessing, Contains("unit norm"));
  REQUIRE(warnings.size() == 1);
  CHECK_THAT(warnings[0], Contains("do not apply to CSV"));
  options = {};
  options.normalization = Normalization::centered;
  CHECK(load_memories(dir.file("m.csv"), options).patterns(0, 0) == Approx(-0.5));
  REQUIRE_THROWS_WITH(load_memories(dir.file("absent.csv")), Contains("absent.csv") && Contains("no such file"));
}

TEST_CASE("builtin:glyphs: 36 distinct deterministic 28x28 glyphs with look-alike pairs", "[loaders][builtin]") {
  const MemorySet set = load_memories("builtin:glyphs");
  REQUIRE(set.count() == kGlyphCount);
  REQUIRE(set.shape.width == 28);
  REQUIRE(set.shape.height == 28);
  REQUIRE(set.shape.channels == 1);
  CHECK(set.class_names.size() == 36);
  CHECK(set.class_names[24] == "O");
  CHECK(set.labels[35] == 35);
  CHECK(set.names[10] == "glyph A");
  CHECK(set.patterns.minCoeff() >= 0.0);
  CHECK(set.patterns.maxCoeff() == 1.0);
  CHECK(builtin_glyph_pixels() == builtin_glyph_pixels());
  // All distinct; O/0, I/1, B/8 and P/R are among the closest pairs, closer than the median pair.
  std::vector<double> distances;
  for (int a = 0; a < 36; ++a)
    for (int b = a + 1; b < 36; ++b) {
      distances.push_back((set.patterns.row(a) - set.patterns.row(b)).norm());
      REQUIRE(distances.back() > 0.5);
    }
  std::sort(distances.begin(), distances.end());
  const double median = distances[distances.size() / 2];
  const auto distance = [&](int a, int b) { return (set.patterns.row(a) - set.patterns.row(b)).norm(); };
  CHECK(distance(24, 0) < median / 2);   // O vs 0
  CHECK(distance(18, 1) < median / 2);   // I vs 1
  CHECK(distance(11, 8) < median / 2);   // B vs 8
  CHECK(distance(25, 27) < median / 2);  // P vs R

  LoadOptions options;
  options.width = options.height = 16;
  options.count = 10;
  options.pick = Pick::per_class;
  const MemorySet small = load_memories("builtin:glyphs", options);
  CHECK(small.dim() == 256);
  CHECK(small.labels == std::vector<int>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9});
}

TEST_CASE("builtin set errors", "[loaders][builtin][bad-input]") {
  TempDir dir("no-fashion");
  REQUIRE_THROWS_WITH(load_builtin_fashion_mnist(dir.path.string(), false),
                      Contains("train-images-idx3-ubyte.gz") && Contains("apt install dataset-fashion-mnist") &&
                          Contains("builtin:glyphs"));
  REQUIRE_THROWS_WITH(load_memories("builtin:mnist"), Contains("unknown built-in set"));
  REQUIRE_THROWS_WITH(load_memories(""), Contains("no memory source"));
  write_bytes(dir.file("notes.dat"), {'h', 'e', 'l', 'l', 'o'});
  REQUIRE_THROWS_WITH(load_memories(dir.file("notes.dat")), Contains("notes.dat") && Contains("unrecognised format"));
  write_bytes(dir.file("zero.dat"), {});
  REQUIRE_THROWS_WITH(load_memories(dir.file("zero.dat")), Contains("zero.dat") && Contains("empty file"));
}

TEST_CASE("progress is reported and cancel stops the load", "[loaders][progress]") {
  std::vector<double> fractions;
  load_memories("builtin:glyphs", {}, nullptr, [&](double f) {
    fractions.push_back(f);
    return true;
  });
  REQUIRE(!fractions.empty());
  CHECK(fractions.back() == 1.0);
  CHECK(std::is_sorted(fractions.begin(), fractions.end()));
  REQUIRE_THROWS_AS(load_memories("builtin:glyphs", {}, nullptr, [](double) { return false; }), Cancelled);
}

TEST_CASE("parse_pick and parse_normalization", "[loaders]") {
  CHECK(parse_pick("per-class") == Pick::per_class);
  CHECK(parse_normalization("center") == Normalization::centered);
  REQUIRE_THROWS_WITH(parse_pick("some"), Contains("unknown pick 'some'"));
  REQUIRE_THROWS_WITH(parse_normalization("l2"), Contains("unknown normalization 'l2'"));
}

TEST_CASE("builtin:fashion-mnist: all 60000 training images", "[loaders][builtin][fashion-mnist]") {
  const std::string images = std::string(kFashionMnistDir) + "/train-images-idx3-ubyte.gz";
  if (!std::filesystem::exists(images)) {
    WARN("skipped: " << images << " missing (apt install dataset-fashion-mnist)");
    return;
  }
  const MemorySet set = load_memories("builtin:fashion-mnist");
  REQUIRE(set.count() == 60000);
  REQUIRE(set.shape.width == 28);
  REQUIRE(set.shape.height == 28);
  REQUIRE(set.shape.channels == 1);
  REQUIRE(set.dim() == 784);
  REQUIRE(set.labels.size() == 60000);
  CHECK(*std::min_element(set.labels.begin(), set.labels.end()) == 0);
  CHECK(*std::max_element(set.labels.begin(), set.labels.end()) == 9);
  CHECK(set.class_names.at(9) == "Ankle boot");
  // Image 0, computed independently with python3's gzip module from the raw bytes: label 9, byte sum 76247,
  // max byte 255 -> sum 76247/255 = 299.0078431372549, mean 0.3813875550220088; image 1 byte sum 84598.
  CHECK(set.labels[0] == 9);
  CHECK(set.patterns.row(0).sum() == Approx(76247 / 255.0).epsilon(1e-12));
  CHECK(set.patterns.row(0).mean() == Approx(0.3813875550220088).epsilon(1e-12));
  CHECK(set.patterns.row(0).maxCoeff() == 1.0);
  CHECK(set.patterns.row(1).sum() == Approx(84598 / 255.0).epsilon(1e-12));
  CHECK(set.patterns(0, 14 * 28 + 14) == Approx(217 / 255.0));
  CHECK(std::vector<int>(set.labels.begin(), set.labels.begin() + 10) ==
        std::vector<int>{9, 0, 0, 3, 0, 2, 7, 2, 5, 5});
  for (int label = 0; label < 10; ++label) CHECK(std::count(set.labels.begin(), set.labels.end(), label) == 6000);

  const MemorySet test = load_memories("builtin:fashion-mnist/test");
  CHECK(test.count() == 10000);
  CHECK(test.labels[0] == 9);
  CHECK(test.patterns.row(0).sum() == Approx(33456 / 255.0).epsilon(1e-12));
}

// The browser's packed subset (scripts/web.sh): every label, the images listed in items.txt. The list in
// assets/web/fashion-mnist-items.txt must hold what the story and every shipped preset pick (per-class, seed 1,
// 20; first 20), or the browser would refuse them; a pick outside it is refused before any image is read.
TEST_CASE("builtin:fashion-mnist from a packed subset: the story's picks are held, others refused",
          "[loaders][builtin][fashion-mnist][web]") {
  const std::string images = std::string(kFashionMnistDir) + "/train-images-idx3-ubyte.gz";
  if (!std::filesystem::exists(images)) {
    WARN("skipped: " << images << " missing (apt install dataset-fashion-mnist)");
    return;
  }
  TempDir dir("packed-fashion");
  for (const char* name : {"train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"})
    std::filesystem::create_symlink(std::string(kFashionMnistDir) + "/" + name, dir.file(name));
  std::filesystem::copy_file(std::string(UHOP_SOURCE_DIR) + "/assets/web/fashion-mnist-items.txt",
                             dir.file("items.txt"));
  LoadOptions story;
  story.count = 20, story.pick = Pick::per_class, story.seed = 1;
  const MemorySet packed = load_builtin_fashion_mnist(dir.path.string(), false, story);
  const MemorySet whole = load_builtin_fashion_mnist(kFashionMnistDir, false, story);
  CHECK(packed.patterns == whole.patterns);
  LoadOptions first;
  first.count = 3000;
  CHECK(load_builtin_fashion_mnist(dir.path.string(), false, first).count() == 3000);
  first.count = 3001;  // item 3000 is not held
  REQUIRE_THROWS_WITH(load_builtin_fashion_mnist(dir.path.string(), false, first),
                      Contains("item 3000 is not in this build's subset") && Contains("the first 3000"));
  story.seed = 2;
  REQUIRE_THROWS_WITH(load_builtin_fashion_mnist(dir.path.string(), false, story), Contains("not in this build's"));
  write_bytes(dir.file("items.txt"), {'1', '-', 'x', '\n'});
  REQUIRE_THROWS_WITH(load_builtin_fashion_mnist(dir.path.string(), false, story), Contains("items.txt"));
}
