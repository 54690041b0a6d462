// IDX, the MNIST family's format (MNIST, Fashion-MNIST, EMNIST; raw or .gz): magic 00 00 <type> <ndims>, ndims
// big-endian uint32 sizes, then the values row-major. Images: type 0x08 (unsigned byte) with 3 dims (count, rows,
// cols); labels: type 0x08 with 1 dim (count). The header says exactly how many bytes follow, so every size is
// checked against it before anything is allocated, and gzip data is inflated only up to that promise.
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "memory_sources.h"

namespace uhop {
// Most items an IDX images (and so labels) file may declare: 2^24 (EMNIST's largest split has 814,255), so a
// labels table is at most 64 MB whatever a header says.
constexpr long long kMaxIdxItems = 1LL << 24;

struct IdxHeader {
  int type = 0;  // 0x08 ubyte, 0x09 sbyte, 0x0B int16, 0x0C int32, 0x0D float32, 0x0E float64
  std::vector<uint32_t> dims;
  uint64_t header_bytes = 0;  // 4 + 4 * dims
  uint64_t data_bytes = 0;    // product of dims * element size
};
// Throws InputError for a short header, wrong magic or unknown type. quote_content false (a file named inside another
// data file): messages here and below name the header's field and the kind of problem, never a value read from it.
IdxHeader parse_idx_header(const uint8_t* data, size_t size, const std::string& name, bool quote_content = true);

struct IdxImages {
  int count = 0;
  int rows = 0;
  int cols = 0;
  const uint8_t* pixels = nullptr;  // count * rows * cols bytes, image i at i * rows * cols
};
// data/size: the whole decompressed file. Checks magic, type, dims, rows*cols <= max_image_pixels and that the file
// size is exactly what the header says.
IdxImages parse_idx_images(const uint8_t* data, size_t size, const std::string& name, long long max_image_pixels,
                           bool quote_content = true);
std::vector<int> parse_idx_labels(const uint8_t* data, size_t size, const std::string& name, bool quote_content = true);

// The bytes of an IDX file as stored (raw or gzip) -> the decompressed file, which must be exactly as long as its
// header promises and at most max_bytes. Raw input is passed through without a copy.
std::vector<uint8_t> decode_idx_bytes(std::vector<uint8_t> stored, const std::string& name, long long max_bytes,
                                      bool quote_content = true);
// Reads and decodes a file, checking its size against the header before reading all of it: raw files must be
// exactly as long as promised, gzip files can neither be larger than the promise nor smaller than deflate's 1032:1
// allows. on_header (optional) sees the header first and may throw to refuse the file before the bulk is read.
std::vector<uint8_t> read_idx_file(const std::string& path, long long max_bytes,
                                   const std::function<void(const IdxHeader&)>& on_header = {});

// The labels file next to an images file: "images-idx3" -> "labels-idx1" in the name (so train-images-idx3-ubyte.gz
// -> train-labels-idx1-ubyte.gz), with or without ".gz". "" when there is none.
std::string find_idx_labels_file(const std::string& images_path);

// An IDX images file plus its labels file when present. EMNIST files (name contains "emnist") store each image
// transposed; they are shown upright. source names the set in messages and MemorySet::source.
MemorySet load_idx(const std::string& images_path, const LoadOptions& options, std::vector<std::string>* warnings,
                   const ProgressFn& progress, const std::string& source,
                   const std::vector<std::string>& class_names = {});
// The same from bytes in memory (raw or gzip), images only: the fuzzer's entry point.
MemorySet load_idx_from_memory(const uint8_t* data, size_t size, const std::string& name, const LoadOptions& options);
}  // namespace uhop
