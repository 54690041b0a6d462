// Writers for NumPy .npy bytes and zip (.npz) archives, independent of the reader under test, so tests and the fuzz
// seeds can build any header (valid or lying) and any archive (stored or deflated, with declared sizes as given).
#pragma once
#include <zlib.h>

#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

namespace uhop_test {
// "\x93NUMPY", version, header length (2 bytes in version 1, 4 after), the dict padded with spaces to 64, values.
inline std::vector<uint8_t> npy_bytes(const std::string& dict, const std::vector<uint8_t>& values, int version = 1) {
  const size_t fixed = version == 1 ? 10 : 12;
  std::string header = dict;
  while ((fixed + header.size() + 1) % 64 != 0) header.push_back(' ');
  header.push_back('\n');
  std::vector<uint8_t> out = {0x93, 'N', 'U', 'M', 'P', 'Y', static_cast<uint8_t>(version), 0};
  const size_t n = header.size();
  out.push_back(static_cast<uint8_t>(n));
  out.push_back(static_cast<uint8_t>(n >> 8));
  if (version != 1) {
    out.push_back(static_cast<uint8_t>(n >> 16));
    out.push_back(static_cast<uint8_t>(n >> 24));
  }
  out.insert(out.end(), header.begin(), header.end());
  out.insert(out.end(), values.begin(), values.end());
  return out;
}

template <typename T>
std::vector<uint8_t> raw_values(const std::vector<T>& values) {
  std::vector<uint8_t> out(values.size() * sizeof(T));
  if (!values.empty()) std::memcpy(out.data(), values.data(), out.size());
  return out;
}

// A float64 C-order array of the given shape text, e.g. "(2, 3)".
inline std::vector<uint8_t> npy_f8(const std::string& shape, const std::vector<double>& values, int version = 1) {
  return npy_bytes("{'descr': '<f8', 'fortran_order': False, 'shape': " + shape + ", }", raw_values(values), version);
}

inline std::vector<uint8_t> raw_deflate(const std::vector<uint8_t>& bytes) {
  z_stream z{};
  if (deflateInit2(&z, 9, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK) throw std::runtime_error("deflateInit2");
  std::vector<uint8_t> out(deflateBound(&z, bytes.size()) + 16);
  z.next_in = const_cast<Bytef*>(bytes.data());
  z.avail_in = static_cast<uInt>(bytes.size());
  z.next_out = out.data();
  z.avail_out = static_cast<uInt>(out.size());
  if (deflate(&z, Z_FINISH) != Z_STREAM_END) throw std::runtime_error("deflate");
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

struct ZipEntry {
  std::string file;  // "X.npy"
  std::vector<uint8_t> content;
  bool deflated = false;
  // Lies for hostile archives: when set, the directory declares these instead of the truth.
  int64_t declared_size = -1;
  int64_t declared_crc = -1;
  uint16_t flags = 0;
  uint16_t method = 0xffff;  // 0xffff: 8 when deflated, else 0
};

// A minimal zip: local header + data per entry, then the central directory and its end record.
inline std::vector<uint8_t> zip_bytes(const std::vector<ZipEntry>& entries) {
  std::vector<uint8_t> out, directory;
  const auto u16 = [](std::vector<uint8_t>& o, uint32_t v) {
    o.push_back(static_cast<uint8_t>(v));
    o.push_back(static_cast<uint8_t>(v >> 8));
  };
  const auto u32 = [&](std::vector<uint8_t>& o, uint32_t v) {
    u16(o, v & 0xffff);
    u16(o, v >> 16);
  };
  for (const ZipEntry& e : entries) {
    const std::vector<uint8_t> data = e.deflated ? raw_deflate(e.content) : e.content;
    const uint32_t crc = e.declared_crc >= 0 ? static_cast<uint32_t>(e.declared_crc)
                                             : static_cast<uint32_t>(crc32(0, e.content.data(), e.content.size()));
    const uint32_t size =
        e.declared_size >= 0 ? static_cast<uint32_t>(e.declared_size) : static_cast<uint32_t>(e.content.size());
    const uint16_t method = e.method != 0xffff ? e.method : (e.deflated ? 8 : 0);
    const uint32_t offset = static_cast<uint32_t>(out.size());
    u32(out, 0x04034b50);
    u16(out, 20), u16(out, e.flags), u16(out, method), u16(out, 0), u16(out, 0);
    u32(out, crc), u32(out, static_cast<uint32_t>(data.size())), u32(out, size);
    u16(out, static_cast<uint32_t>(e.file.size())), u16(out, 0);
    out.insert(out.end(), e.file.begin(), e.file.end());
    out.insert(out.end(), data.begin(), data.end());
    u32(directory, 0x02014b50);
    u16(directory, 20), u16(directory, 20), u16(directory, e.flags), u16(directory, method);
    u16(directory, 0), u16(directory, 0);
    u32(directory, crc), u32(directory, static_cast<uint32_t>(data.size())), u32(directory, size);
    u16(directory, static_cast<uint32_t>(e.file.size())), u16(directory, 0), u16(directory, 0);
    u16(directory, 0), u16(directory, 0), u32(directory, 0), u32(directory, offset);
    directory.insert(directory.end(), e.file.begin(), e.file.end());
  }
  const uint32_t directory_offset = static_cast<uint32_t>(out.size());
  out.insert(out.end(), directory.begin(), directory.end());
  u32(out, 0x06054b50);
  u16(out, 0), u16(out, 0), u16(out, static_cast<uint32_t>(entries.size())),
      u16(out, static_cast<uint32_t>(entries.size()));
  u32(out, static_cast<uint32_t>(directory.size())), u32(out, directory_offset), u16(out, 0);
  return out;
}
}  // namespace uhop_test
