// Helpers for the loader tests: a temporary folder that cleans up after itself and writers for the byte formats
// (IDX, gzip, CIFAR records) so every test builds its own input.
#pragma once
#include <unistd.h>
#include <zlib.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

namespace uhop_test {
namespace fs = std::filesystem;

struct TempDir {
  fs::path path;
  explicit TempDir(const std::string& tag) {
    static int counter = 0;
    path = fs::temp_directory_path() /
           ("uhop-loaders-" + tag + "-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~TempDir() {
    std::error_code error;
    fs::remove_all(path, error);
  }
  std::string file(const std::string& name) const { return (path / name).string(); }
};

inline void write_bytes(const std::string& path, const std::vector<uint8_t>& bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  if (!out) throw std::runtime_error("cannot write " + path);
}

inline void write_gz(const std::string& path, const std::vector<uint8_t>& bytes) {
  gzFile file = gzopen(path.c_str(), "wb");
  if (!file) throw std::runtime_error("cannot gzopen " + path);
  if (!bytes.empty()) gzwrite(file, bytes.data(), static_cast<unsigned>(bytes.size()));
  gzclose(file);
}

inline std::vector<uint8_t> gzip_bytes(const std::vector<uint8_t>& bytes, const std::string& scratch_path) {
  write_gz(scratch_path, bytes);
  std::ifstream in(scratch_path, std::ios::binary);
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(in), {});
}

inline void put_u32_big_endian(std::vector<uint8_t>& out, uint32_t value) {
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<uint8_t>(value >> shift));
}

// IDX unsigned-byte images: pixel(image, row, col).
// A PNG chunk: big-endian length, type, data, and the CRC-32 of type and data.
inline void append_png_chunk(std::vector<uint8_t>& png, const char* type, const std::vector<uint8_t>& data) {
  put_u32_big_endian(png, static_cast<uint32_t>(data.size()));
  std::vector<uint8_t> body(type, type + 4);
  body.insert(body.end(), data.begin(), data.end());
  png.insert(png.end(), body.begin(), body.end());
  put_u32_big_endian(png, static_cast<uint32_t>(crc32(0, body.data(), static_cast<uInt>(body.size()))));
}

inline std::vector<uint8_t> idx_images(int count, int rows, int cols,
                                       const std::function<uint8_t(int, int, int)>& pixel) {
  std::vector<uint8_t> out = {0, 0, 0x08, 3};
  put_u32_big_endian(out, count);
  put_u32_big_endian(out, rows);
  put_u32_big_endian(out, cols);
  for (int i = 0; i < count; ++i)
    for (int r = 0; r < rows; ++r)
      for (int c = 0; c < cols; ++c) out.push_back(pixel(i, r, c));
  return out;
}

inline std::vector<uint8_t> idx_labels(const std::vector<int>& labels) {
  std::vector<uint8_t> out = {0, 0, 0x08, 1};
  put_u32_big_endian(out, static_cast<uint32_t>(labels.size()));
  for (int label : labels) out.push_back(static_cast<uint8_t>(label));
  return out;
}

// The test pixel pattern: distinct per image and position.
inline uint8_t test_pixel(int image, int row, int col) {
  return static_cast<uint8_t>(image * 37 + row * 11 + col * 3);
}

// CIFAR records: CIFAR-10 when coarse < 0 (1 label byte), else CIFAR-100 (coarse, fine). channel(c, y, x).
inline void append_cifar_record(std::vector<uint8_t>& out, int coarse, int label,
                                const std::function<uint8_t(int, int, int)>& channel) {
  if (coarse >= 0) out.push_back(static_cast<uint8_t>(coarse));
  out.push_back(static_cast<uint8_t>(label));
  for (int c = 0; c < 3; ++c)
    for (int y = 0; y < 32; ++y)
      for (int x = 0; x < 32; ++x) out.push_back(channel(c, y, x));
}
}  // namespace uhop_test
