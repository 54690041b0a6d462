// IDX (raw and gzip) and CIFAR-10/100 loaders: round trips through files the tests write, labels, and every kind
// of bad file named in the message.
#include <catch2/catch.hpp>

#include "data/cifar_format.h"
#include "data/idx_format.h"
#include "numerics/input_error.h"
#include "loader_test_files.h"
#include "data/memory_sources.h"

using namespace uhop;
using namespace uhop_test;
using Catch::Matchers::Contains;

namespace {
void check_idx_round_trip(const MemorySet& set, int count, int rows, int cols) {
  REQUIRE(set.count() == count);
  REQUIRE(set.shape.width == cols);
  REQUIRE(set.shape.height == rows);
  REQUIRE(set.shape.channels == 1);
  REQUIRE(set.dim() == rows * cols);
  for (int i = 0; i < count; ++i)
    for (int r = 0; r < rows; ++r)
      for (int c = 0; c < cols; ++c) REQUIRE(set.patterns(i, r * cols + c) == Approx(test_pixel(i, r, c) / 255.0));
}
}  // namespace

TEST_CASE("IDX raw round trip with labels", "[loaders][idx]") {
  TempDir dir("idx-raw");
  write_bytes(dir.file("train-images-idx3-ubyte"), idx_images(5, 3, 4, test_pixel));
  write_bytes(dir.file("train-labels-idx1-ubyte"), idx_labels({7, 0, 3, 3, 9}));
  const MemorySet set = load_memories(dir.file("train-images-idx3-ubyte"));
  check_idx_round_trip(set, 5, 3, 4);
  CHECK(set.labels == std::vector<int>{7, 0, 3, 3, 9});
  CHECK(set.names[2] == "train-images-idx3-ubyte#2");
  CHECK(set.source == dir.file("train-images-idx3-ubyte"));
  CHECK_THAT(set.preprocessing, Contains("IDX: gray, 4x3, scaled to [0,1]"));
}

TEST_CASE("IDX gzip round trip; labels found with or without .gz", "[loaders][idx]") {
  TempDir dir("idx-gz");
  write_gz(dir.file("t10k-images-idx3-ubyte.gz"), idx_images(6, 2, 3, test_pixel));
  SECTION("gz labels") {
    write_gz(dir.file("t10k-labels-idx1-ubyte.gz"), idx_labels({1, 2, 3, 4, 5, 6}));
    const MemorySet set = load_memories(dir.file("t10k-images-idx3-ubyte.gz"));
    check_idx_round_trip(set, 6, 2, 3);
    CHECK(set.labels == std::vector<int>{1, 2, 3, 4, 5, 6});
  }
  SECTION("raw labels next to gz images") {
    write_bytes(dir.file("t10k-labels-idx1-ubyte"), idx_labels({1, 2, 3, 4, 5, 6}));
    CHECK(load_memories(dir.file("t10k-images-idx3-ubyte.gz")).labels == std::vector<int>{1, 2, 3, 4, 5, 6});
  }
  SECTION("no labels file: labels unknown") {
    const MemorySet set = load_memories(dir.file("t10k-images-idx3-ubyte.gz"));
    CHECK(set.labels == std::vector<int>(6, -1));
  }
  SECTION("a file whose name says nothing is recognised by its content") {
    fs::copy_file(dir.file("t10k-images-idx3-ubyte.gz"), dir.file("mystery.dat"));
    check_idx_round_trip(load_memories(dir.file("mystery.dat")), 6, 2, 3);
  }
}

TEST_CASE("IDX labels file name rule", "[loaders][idx]") {
  TempDir dir("idx-names");
  write_bytes(dir.file("emnist-letters-train-labels-idx1-ubyte"), idx_labels({1}));
  CHECK(find_idx_labels_file(dir.file("emnist-letters-train-images-idx3-ubyte.gz")) ==
        dir.file("emnist-letters-train-labels-idx1-ubyte"));
  CHECK(find_idx_labels_file(dir.file("train-images-idx3-ubyte")).empty());
  CHECK(find_idx_labels_file(dir.file("digits.idx")).empty());
}

TEST_CASE("EMNIST images are stored transposed and shown upright", "[loaders][idx]") {
  TempDir dir("emnist");
  // Stored 2 rows x 3 cols; upright image is 3 rows x 2 cols with upright(y, x) = stored(x, y).
  write_bytes(dir.file("emnist-digits-train-images-idx3-ubyte"), idx_images(1, 2, 3, test_pixel));
  const MemorySet set = load_memories(dir.file("emnist-digits-train-images-idx3-ubyte"));
  REQUIRE(set.shape.width == 2);
  REQUIRE(set.shape.height == 3);
  for (int y = 0; y < 3; ++y)
    for (int x = 0; x < 2; ++x) CHECK(set.patterns(0, y * 2 + x) == Approx(test_pixel(0, x, y) / 255.0));
  CHECK_THAT(set.preprocessing, Contains("EMNIST"));
}

TEST_CASE("IDX bad files throw InputError naming the file and the problem", "[loaders][idx][bad-input]") {
  TempDir dir("idx-bad");
  const std::vector<uint8_t> good = idx_images(4, 5, 5, test_pixel);
  const std::string path = dir.file("bad-images-idx3-ubyte");
  auto expect = [&](const std::vector<uint8_t>& bytes, const std::string& problem, bool gz = false) {
    const std::string file = gz ? path + ".gz" : path;
    if (gz)
      write_gz(file, bytes);
    else
      write_bytes(file, bytes);
    REQUIRE_THROWS_WITH(load_memories(file), Contains(file) && Contains(problem));
    fs::remove(file);
  };
  SECTION("wrong magic") {
    std::vector<uint8_t> bytes = good;
    bytes[0] = 0x12;
    expect(bytes, "wrong IDX magic: byte 0 of the first 4");
  }
  SECTION("truncated raw") {
    expect(std::vector<uint8_t>(good.begin(), good.end() - 7), "truncated");
  }
  SECTION("dimensions disagree with the file size") {
    std::vector<uint8_t> bytes = good;
    bytes.push_back(0);
    expect(bytes, "dimensions disagree with the file size");
  }
  SECTION("truncated content inside a complete gzip stream") {
    expect(std::vector<uint8_t>(good.begin(), good.end() - 30), "truncated", true);
  }
  SECTION("too much content in gzip") {
    std::vector<uint8_t> bytes = good;
    bytes.push_back(1);
    expect(bytes, "disagree", true);
  }
  SECTION("header shorter than its dimension count") {
    expect({0, 0, 8, 3, 0, 0}, "truncated IDX header");
  }
  SECTION("too short for a header") {
    expect({0, 0}, "too short");
  }
  SECTION("a labels file where images are expected") {
    expect(idx_labels({1, 2}), "1-D IDX file");
  }
  SECTION("unsupported type") {
    std::vector<uint8_t> bytes = good;
    bytes[2] = 0x0D;
    expect(bytes, "float32");
  }
  SECTION("no images") {
    expect(idx_images(0, 5, 5, test_pixel), "no images");
  }
  SECTION("a huge promise in a tiny file is refused before allocating") {
    std::vector<uint8_t> bytes = {0, 0, 8, 3};
    put_u32_big_endian(bytes, 4000000000u);
    put_u32_big_endian(bytes, 1000);
    put_u32_big_endian(bytes, 1000);
    expect(bytes, "more than the limit");
    expect(bytes, "more than the limit", true);
  }
  SECTION("a promise within the limit but a short gzip stream") {
    std::vector<uint8_t> bytes = {0, 0, 8, 3};
    put_u32_big_endian(bytes, 1000000);
    put_u32_big_endian(bytes, 28);
    put_u32_big_endian(bytes, 28);
    bytes.resize(bytes.size() + 1000, 7);
    // 41 bytes of gzip cannot inflate to the 784 MB promised (deflate's limit is 1032:1): refused before inflating.
    expect(bytes, "cannot hold the 784000016 bytes its header promises", true);
  }
  SECTION("zero-byte file") {
    expect({}, "empty file (0 bytes)");
  }
}

TEST_CASE("IDX corrupt or cut gzip streams", "[loaders][idx][bad-input]") {
  TempDir dir("idx-gz-bad");
  const std::vector<uint8_t> compressed = gzip_bytes(idx_images(50, 10, 10, test_pixel), dir.file("scratch.gz"));
  const std::string path = dir.file("x-images-idx3-ubyte.gz");
  SECTION("cut short") {
    write_bytes(path, std::vector<uint8_t>(compressed.begin(), compressed.begin() + compressed.size() / 2));
    REQUIRE_THROWS_WITH(load_memories(path), Contains(path) && Contains("truncated gzip data"));
  }
  SECTION("bytes flipped in the deflate data") {
    std::vector<uint8_t> bytes = compressed;
    for (size_t i = 20; i < 40 && i < bytes.size(); ++i) bytes[i] ^= 0x5A;
    write_bytes(path, bytes);
    REQUIRE_THROWS_AS(load_memories(path), InputError);
    REQUIRE_THROWS_WITH(load_memories(path), Contains(path));
  }
  SECTION("from memory, the fuzzer's entry point") {
    REQUIRE(load_idx_from_memory(compressed.data(), compressed.size(), "m", {}).count() == 50);
    REQUIRE_THROWS_AS(load_idx_from_memory(compressed.data(), 10, "m", {}), InputError);
  }
}

TEST_CASE("IDX labels that disagree with the images", "[loaders][idx][bad-input]") {
  TempDir dir("idx-labels-bad");
  write_bytes(dir.file("a-images-idx3-ubyte"), idx_images(3, 2, 2, test_pixel));
  SECTION("wrong count") {
    write_bytes(dir.file("a-labels-idx1-ubyte"), idx_labels({1, 2}));
    REQUIRE_THROWS_WITH(load_memories(dir.file("a-images-idx3-ubyte")),
                        Contains(dir.file("a-labels-idx1-ubyte")) && Contains("has 2 labels but"));
  }
  SECTION("not a labels file") {
    write_bytes(dir.file("a-labels-idx1-ubyte"), idx_images(3, 2, 2, test_pixel));
    REQUIRE_THROWS_WITH(load_memories(dir.file("a-images-idx3-ubyte")),
                        Contains(dir.file("a-labels-idx1-ubyte")) && Contains("1 dimension"));
  }
}

TEST_CASE("IDX images over the pixel limit are refused", "[loaders][idx][bad-input]") {
  TempDir dir("idx-limit");
  write_bytes(dir.file("big-images-idx3-ubyte"), idx_images(2, 4, 4, test_pixel));
  LoadOptions options;
  options.max_image_pixels = 15;
  REQUIRE_THROWS_WITH(load_memories(dir.file("big-images-idx3-ubyte"), options),
                      Contains("big-images-idx3-ubyte") && Contains("exceed the limit of 15 pixels"));
}

namespace {
uint8_t cifar_pixel(int record, int c, int y, int x) {
  return static_cast<uint8_t>(record * 50 + c * 70 + y * 3 + x);
}
}  // namespace

TEST_CASE("CIFAR-10 round trip: labels, planar RGB, luma gray", "[loaders][cifar]") {
  TempDir dir("cifar10");
  std::vector<uint8_t> bytes;
  const std::vector<int> labels = {3, 9, 0};
  for (int r = 0; r < 3; ++r)
    append_cifar_record(bytes, -1, labels[r], [r](int c, int y, int x) { return cifar_pixel(r, c, y, x); });
  const std::string path = dir.file("data_batch_1.bin");
  write_bytes(path, bytes);

  LoadOptions rgb;
  rgb.keep_rgb = true;
  const MemorySet colour = load_memories(path, rgb);
  REQUIRE(colour.count() == 3);
  REQUIRE(colour.shape.width == 32);
  REQUIRE(colour.shape.height == 32);
  REQUIRE(colour.shape.channels == 3);
  CHECK(colour.labels == labels);
  CHECK(colour.class_names.at(3) == "cat");
  for (int r = 0; r < 3; ++r)
    for (int c = 0; c < 3; ++c)
      for (int y : {0, 5, 31})
        for (int x : {0, 17, 31})
          REQUIRE(colour.patterns(r, c * 1024 + y * 32 + x) == Approx(cifar_pixel(r, c, y, x) / 255.0));
  CHECK_THAT(colour.preprocessing, Contains("CIFAR-10: RGB (C,H,W), 32x32"));

  const MemorySet gray = load_memories(path);
  REQUIRE(gray.shape.channels == 1);
  REQUIRE(gray.dim() == 1024);
  // Y = 0.299 R + 0.587 G + 0.114 B, e.g. record 1 pixel (2, 4): R = 50+6+4 = 60, G = 130, B = 200.
  const double expected = (0.299 * 60 + 0.587 * 130 + 0.114 * 200) / 255.0;
  CHECK(gray.patterns(1, 2 * 32 + 4) == Approx(expected).epsilon(1e-6));
  CHECK_THAT(gray.preprocessing, Contains("gray (luma 0.299R+0.587G+0.114B)"));
}

TEST_CASE("CIFAR-100 keeps the fine label; kind decided by size when the name says nothing", "[loaders][cifar]") {
  TempDir dir("cifar100");
  std::vector<uint8_t> bytes;
  append_cifar_record(bytes, 4, 77, [](int c, int y, int x) { return cifar_pixel(0, c, y, x); });
  append_cifar_record(bytes, 19, 99, [](int c, int y, int x) { return cifar_pixel(1, c, y, x); });
  SECTION("train.bin") {
    write_bytes(dir.file("train.bin"), bytes);
    const MemorySet set = load_memories(dir.file("train.bin"));
    CHECK(set.labels == std::vector<int>{77, 99});
    CHECK_THAT(set.preprocessing, Contains("CIFAR-100"));
  }
  SECTION("neutral name, 2 x 3074 bytes") {
    write_bytes(dir.file("records.bin"), bytes);
    CHECK(cifar_kind(bytes.size(), "records.bin") == CifarKind::cifar100);
    CHECK(load_memories(dir.file("records.bin")).labels == std::vector<int>{77, 99});
  }
  SECTION("neutral name, 3 x 3073 bytes") {
    CHECK(cifar_kind(3 * 3073, "records.bin") == CifarKind::cifar10);
  }
  SECTION("fine_label_names.txt gives class names") {
    std::ofstream names(dir.file("fine_label_names.txt"));
    for (int i = 0; i < 100; ++i) names << "class" << i << "\n";
    names.close();
    write_bytes(dir.file("test.bin"), bytes);
    CHECK(load_memories(dir.file("test.bin")).class_names.at(77) == "class77");
  }
}

TEST_CASE("CIFAR bad files", "[loaders][cifar][bad-input]") {
  TempDir dir("cifar-bad");
  std::vector<uint8_t> record;
  append_cifar_record(record, -1, 2, [](int, int, int) { return 1; });
  SECTION("size not a multiple of the record") {
    std::vector<uint8_t> bytes = record;
    bytes.resize(bytes.size() + 100, 0);
    write_bytes(dir.file("odd.bin"), bytes);
    REQUIRE_THROWS_WITH(load_memories(dir.file("odd.bin")),
                        Contains(dir.file("odd.bin")) && Contains("not a multiple of a CIFAR-10 record"));
  }
  SECTION("named CIFAR-10 but sized for CIFAR-100") {
    write_bytes(dir.file("data_batch_2.bin"), std::vector<uint8_t>(3074, 0));
    REQUIRE_THROWS_WITH(load_memories(dir.file("data_batch_2.bin")),
                        Contains("data_batch_2.bin") && Contains("not a multiple of the 3073-byte record"));
  }
  SECTION("label out of range") {
    std::vector<uint8_t> bytes = record;
    bytes.insert(bytes.end(), record.begin(), record.end());
    bytes[3073] = 12;
    write_bytes(dir.file("test_batch.bin"), bytes);
    REQUIRE_THROWS_WITH(load_memories(dir.file("test_batch.bin")),
                        Contains("test_batch.bin") && Contains("record 1: label 12"));
  }
  SECTION("zero bytes") {
    write_bytes(dir.file("data_batch_3.bin"), {});
    REQUIRE_THROWS_WITH(load_memories(dir.file("data_batch_3.bin")),
                        Contains("data_batch_3.bin") && Contains("empty file"));
  }
  SECTION("from memory") {
    REQUIRE(load_cifar_from_memory(record.data(), record.size(), "m.bin", {}).count() == 1);
    REQUIRE_THROWS_AS(load_cifar_from_memory(record.data(), 100, "m.bin", {}), InputError);
  }
}
