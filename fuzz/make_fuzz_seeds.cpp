// Writes a small valid seed corpus for the fuzzers: IDX (raw and gzip), CIFAR-10/100 records, images (PNG, JPEG,
// BMP in 8/24-bit, TGA uncompressed and RLE, PGM/PPM binary and text), session files, CSV matrices and NumPy
// .npy/.npz files (tests/npy_test_files.h writes them).
// Usage: make_fuzz_seeds OUT_DIR (creates OUT_DIR/idx, OUT_DIR/cifar, OUT_DIR/image, OUT_DIR/session, OUT_DIR/csv,
// OUT_DIR/npy).
#include <stb_image_write.h>
#include <zlib.h>

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "../tests/npy_test_files.h"

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
  for (const char* sub : {"idx", "cifar", "image", "session", "csv", "npy"}) fs::create_directories(out / sub);

  using uhop_test::npy_bytes;
  using uhop_test::npy_f8;
  const std::vector<uint8_t> f8 = npy_f8("(3, 4)", {0, 0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4, 4.5, 5, 5.5});
  write(out / "npy/f8-v1", f8);
  write(out / "npy/f8-v3", npy_f8("(2, 2)", {1, 2, 3, 4}, 3));
  write(out / "npy/f4-fortran-3d", npy_bytes("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 2, 2), }",
                                             uhop_test::raw_values(std::vector<float>{1, 2, 3, 4, 5, 6, 7, 8})));
  write(out / "npy/u1-images",
        npy_bytes("{'descr': '|u1', 'fortran_order': False, 'shape': (2, 3, 3), }", std::vector<uint8_t>(18, 200)));
  const std::vector<uint8_t> labels = npy_bytes("{'descr': '<i8', 'fortran_order': False, 'shape': (3,), }",
                                                uhop_test::raw_values(std::vector<int64_t>{0, 1, 0}));
  write(out / "npy/npz-stored", uhop_test::zip_bytes({{"X.npy", f8, false}, {"labels.npy", labels, false}}));
  write(out / "npy/npz-deflated", uhop_test::zip_bytes({{"X.npy", f8, true}, {"labels.npy", labels, true}}));

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
  save("ppm", 1, [&](auto* b) {
    const std::string header = "P6 6 5 255\n";
    b->insert(b->end(), header.begin(), header.end());
    b->insert(b->end(), rgb.begin(), rgb.end());
  });
  save("pgm-text", 0x32, [&](auto* b) {
    std::string text = "P2\n# comment\n6 5\n255\n";
    for (uint8_t v : gray) text += std::to_string(v) + " ";
    b->insert(b->end(), text.begin(), text.end());
  });
  save("bmp-8bit", 0, [&](auto* b) {  // 8-bit palette BMP, bottom-up, 4-byte aligned rows
    const uint32_t stride = 8, offset = 14 + 40 + 256 * 4;
    const auto le32 = [&](uint32_t v) {
      for (int k = 0; k < 4; ++k) b->push_back(uint8_t(v >> (8 * k)));
    };
    b->push_back('B'), b->push_back('M'), le32(offset + stride * 5), le32(0), le32(offset);
    le32(40), le32(6), le32(5), b->push_back(1), b->push_back(0), b->push_back(8), b->push_back(0);
    le32(0), le32(stride * 5), le32(0), le32(0), le32(256), le32(0);
    for (int i = 0; i < 256; ++i) le32(uint32_t(i) * 0x010101u);
    for (int y = 4; y >= 0; --y)
      for (uint32_t x = 0; x < stride; ++x) b->push_back(x < 6 ? gray[y * 6 + x] : 0);
  });
  save("tga-rgb-raw", 1, [&](auto* b) {  // uncompressed true colour, top-left origin
    const uint8_t header[18] = {0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 6, 0, 5, 0, 24, 0x20};
    b->insert(b->end(), header, header + 18);
    for (int i = 0; i < 30; ++i) b->push_back(rgb[3 * i + 2]), b->push_back(rgb[3 * i + 1]), b->push_back(rgb[3 * i]);
  });
  stbi_write_tga_with_rle = 1;
  save("tga-rgb-rle", 0, [&](auto* b) { stbi_write_tga_to_func(append_to_vector, b, 6, 5, 3, rgb.data()); });

  // Session files: settings only, an embedded W with a Stage I log, a hand-drawn query, a side-file reference.
  const std::string head = R"({"format": "uhop-session", "version": 1, "description": "seed",
  "memories": {"source": "builtin:glyphs", "count": 4, "offset": 0, "pick": "random", "seed": 3, "rgb": false,
               "width": 0, "height": 0, "normalize": "unit"},
  "stage1": {"init": "gaussian", "dim": 3, "lr": 0.1, "schedule": "inv-sqrt", "optimizer": "adam", "t": 2.0,
             "loss": "avg", "normalize_rows": true, "seed": 1, "train_count": 0, "steps": 1, "finished": true},
  "stage2": {"similarity": "kernel", "alpha": 1.5, "top_k": 0, "beta": 2.0, "beta_after_sep": false, "steps": 2},
)";
  const auto text_file = [&](const fs::path& path, const std::string& text) { std::ofstream(path) << text; };
  text_file(out / "session/settings.json",
            head + R"(  "query": {"target": 1, "corruption": "gaussian:0.1", "seed": 2}})");
  text_file(out / "session/embedded.json", head + R"(  "query": {"target": 0, "vector": [0.5, 1e-3, -2]},
  "w": {"rows": [[1, 0, 0], [0, 1, 0], [0, 0, 1]]},
  "stage1_log": {"columns": ["step", "loss", "delta_phi_min", "delta_phi_mean", "r_phi", "delta_phi_max", "m_phi", "lr",
                 "grad_norm"], "rows": [[0, -1.5, 0.1, 0.2, 0.3, 0.4, 0.5, 0.1, 2.0], [1, -1.6, 0.1, 0.2, 0.3, 0.4, 0.5, null, null]]}})");
  text_file(
      out / "session/side-file.json",
      head +
          R"(  "query": {"target": 2}, "w": {"file": "s.w.csv", "rows": 800, "cols": 784, "bytes": 123, "fnv1a64": "0123456789abcdef"}})");

  // CSV matrices: plain, with spaces, CRLF and a byte-order mark, scientific notation.
  text_file(out / "csv/plain.csv", "1,0,0\n0,1,0\n0,0,1\n");
  text_file(out / "csv/spaces.csv", "\xEF\xBB\xBF 1.5 , -2e-3\t,3\r\n4,5,6\r\n\r\n");
  text_file(out / "csv/precise.csv", "0.10000000000000001,-1.7976931348623157e+308\n2.2250738585072014e-308,7\n");
  std::printf("seeds written to %s\n", out.c_str());
  return 0;
}
