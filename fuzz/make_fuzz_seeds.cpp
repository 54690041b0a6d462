// Writes a small valid seed corpus for the fuzzers: IDX (raw and gzip), CIFAR-10/100 records, PNG/BMP/TGA/JPEG
// and a PGM. Usage: make_fuzz_seeds OUT_DIR (creates OUT_DIR/idx, OUT_DIR/cifar, OUT_DIR/image).
#include <stb_image_write.h>
#include <zlib.h>

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {
void write(const fs::path& path, const std::vector<uint8_t>& bytes) {
  std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(bytes.data()), bytes.size());
}

std::vector<uint8_t> gzip(const std::vector<uint8_t>& bytes) {
  uLongf size = compressBound(bytes.size()) + 32;
  std::vector<uint8_t> out(size);
  z_stream z{};
  deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);  // +16: gzip wrapper
  z.next_in = const_cast<Bytef*>(bytes.data());
  z.avail_in = bytes.size();
  z.next_out = out.data();
  z.avail_out = size;
  deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

std::vector<uint8_t> idx_images(int count, int rows, int cols) {
  std::vector<uint8_t> out = {0, 0, 8, 3};
  for (uint32_t dim : {uint32_t(count), uint32_t(rows), uint32_t(cols)})
    for (int shift = 24; shift >= 0; shift -= 8) out.push_back(uint8_t(dim >> shift));
  for (int i = 0; i < count * rows * cols; ++i) out.push_back(uint8_t(i * 7));
  return out;
}

void append_to_vector(void* context, void* data, int size) {
  auto* out = static_cast<std::vector<uint8_t>*>(context);
  out->insert(out->end(), static_cast<uint8_t*>(data), static_cast<uint8_t*>(data) + size);
}
}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s OUT_DIR\n", argv[0]);
    return 2;
  }
  const fs::path out = argv[1];
  for (const char* sub : {"idx", "cifar", "image"}) fs::create_directories(out / sub);

  write(out / "idx/raw-3x5x4", idx_images(3, 5, 4));
  write(out / "idx/gz-2x28x28", gzip(idx_images(2, 28, 28)));
  write(out / "idx/raw-1x1x1", idx_images(1, 1, 1));

  // CIFAR seeds carry one leading byte for the target's variant/name choice.
  for (int kind = 0; kind < 2; ++kind) {
    std::vector<uint8_t> bytes = {uint8_t(kind)};  // 0: data_batch_1.bin, 1: train.bin
    for (int record = 0; record < 2; ++record) {
      if (kind == 1) bytes.push_back(3);
      bytes.push_back(uint8_t(record + 1));
      for (int i = 0; i < 3072; ++i) bytes.push_back(uint8_t(i + record));
    }
    write(out / ("cifar/" + std::string(kind ? "cifar100" : "cifar10")), bytes);
  }

  // Images: 6x5 RGB and gray in several formats; leading byte 0 (native size) or 0x32 (resize to 4x4).
  std::vector<uint8_t> rgb, gray;
  for (int i = 0; i < 6 * 5; ++i) {
    gray.push_back(uint8_t(i * 8));
    for (int c = 0; c < 3; ++c) rgb.push_back(uint8_t(i * 8 + c * 40));
  }
  const auto save = [&](const std::string& name, uint8_t variant, auto&& encode) {
    std::vector<uint8_t> bytes = {variant};
    encode(&bytes);
    write(out / ("image/" + name), bytes);
  };
  save("png-rgb", 0, [&](auto* b) { stbi_write_png_to_func(append_to_vector, b, 6, 5, 3, rgb.data(), 18); });
  save("png-gray", 0x32, [&](auto* b) { stbi_write_png_to_func(append_to_vector, b, 6, 5, 1, gray.data(), 6); });
  save("bmp-rgb", 1, [&](auto* b) { stbi_write_bmp_to_func(append_to_vector, b, 6, 5, 3, rgb.data()); });
  save("tga-gray", 0x32, [&](auto* b) { stbi_write_tga_to_func(append_to_vector, b, 6, 5, 1, gray.data()); });
  save("jpg-rgb", 3, [&](auto* b) { stbi_write_jpg_to_func(append_to_vector, b, 6, 5, 3, rgb.data(), 90); });
  save("pgm", 0, [&](auto* b) {
    const std::string header = "P5\n6 5\n255\n";
    b->insert(b->end(), header.begin(), header.end());
    b->insert(b->end(), gray.begin(), gray.end());
  });
  std::printf("seeds written to %s\n", out.c_str());
  return 0;
}
