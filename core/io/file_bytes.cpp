#include "file_bytes.h"

#include <zlib.h>
#ifdef __linux__
#include <sys/mman.h>
#include <unistd.h>
#endif

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>

#include "numerics/input_error.h"

namespace uhop {
namespace fs = std::filesystem;

uint64_t regular_file_size(const std::string& path) {
  std::error_code error;
  const fs::file_status status = fs::status(path, error);
  if (status.type() == fs::file_type::not_found) throw input_error(path, "no such file or folder");
  if (error) throw input_error(path, "cannot access (" + error.message() + ")");
  if (status.type() == fs::file_type::directory) throw input_error(path, "is a folder, expected a file");
  if (status.type() != fs::file_type::regular) throw input_error(path, "not a regular file");
  const uint64_t size = fs::file_size(path, error);
  if (error) throw input_error(path, "cannot read the file size (" + error.message() + ")");
  return size;
}

namespace {
struct FileCloser {
  void operator()(std::FILE* f) const { std::fclose(f); }
};

std::vector<uint8_t> read_bytes(const std::string& path, uint64_t n) {
  std::unique_ptr<std::FILE, FileCloser> file(std::fopen(path.c_str(), "rb"));
  if (!file) throw input_error(path, std::string("cannot open (") + std::strerror(errno) + ")");
  std::vector<uint8_t> bytes(n);
  const size_t got = n ? std::fread(bytes.data(), 1, n, file.get()) : 0;
  if (got != n) throw input_error(path, "read failed after " + std::to_string(got) + " bytes");
  return bytes;
}
}  // namespace

std::vector<uint8_t> read_file_prefix(const std::string& path, uint64_t max_bytes) {
  return read_bytes(path, std::min(regular_file_size(path), max_bytes));
}

std::vector<uint8_t> read_whole_file(const std::string& path, uint64_t max_bytes) {
  const uint64_t size = regular_file_size(path);
  if (size == 0) throw input_error(path, "empty file (0 bytes)");
  if (size > max_bytes)
    throw input_error(path, "file is " + std::to_string(size) + " bytes, more than the " + std::to_string(max_bytes) +
                                " this loader accepts");
  return read_bytes(path, size);
}

void advise_huge_pages(void* data, size_t bytes) {
#if defined(__linux__) && defined(MADV_HUGEPAGE)
  constexpr size_t kHugePage = 2u << 20;
  if (bytes < 4 * kHugePage) return;
  // madvise wants page-aligned ranges: advise the whole huge pages inside the buffer.
  const uintptr_t begin = (reinterpret_cast<uintptr_t>(data) + kHugePage - 1) & ~(kHugePage - 1);
  const uintptr_t end = (reinterpret_cast<uintptr_t>(data) + bytes) & ~(kHugePage - 1);
  if (end > begin) madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE);  // only a hint
#else
  (void)data;
  (void)bytes;
#endif
}

bool is_gzip(const uint8_t* data, size_t size) {
  return size >= 2 && data[0] == 0x1f && data[1] == 0x8b;
}

namespace {
struct InflateStream {
  z_stream z{};
  InflateStream() = default;
  InflateStream(const InflateStream&) = delete;
  InflateStream& operator=(const InflateStream&) = delete;
  ~InflateStream() { inflateEnd(&z); }
};
}  // namespace

std::vector<uint8_t> gunzip(const uint8_t* data, size_t size, const std::string& name, size_t max_output,
                            bool allow_truncated) {
  InflateStream stream;
  z_stream& z = stream.z;
  // windowBits 15 + 32: accept gzip or zlib headers, detected automatically.
  if (inflateInit2(&z, 15 + 32) != Z_OK) throw input_error(name, "cannot start zlib");
  std::vector<uint8_t> out;
  out.reserve(std::min<size_t>(max_output, size < SIZE_MAX / 8 ? size * 4 + 4096 : max_output));
  advise_huge_pages(out.data(), out.capacity());
  std::vector<uint8_t> buffer(1 << 18);
  const uint8_t* const end = data + size;
  const uint8_t* next_feed = data;
  while (out.size() < max_output) {
    if (z.avail_in == 0 && next_feed < end) {
      // avail_in is 32-bit: feed huge inputs in 1 GiB pieces.
      const size_t piece = std::min<size_t>(end - next_feed, 1u << 30);
      z.next_in = const_cast<Bytef*>(next_feed);
      z.avail_in = static_cast<uInt>(piece);
      next_feed += piece;
    }
    const size_t room = std::min(buffer.size(), max_output - out.size());
    z.next_out = buffer.data();
    z.avail_out = static_cast<uInt>(room);
    const int status = inflate(&z, Z_NO_FLUSH);
    const size_t produced = room - z.avail_out;
    out.insert(out.end(), buffer.data(), buffer.data() + produced);
    if (status == Z_STREAM_END) {
      // gzip files may hold several members back to back; anything else after the end (e.g. padding) is ignored.
      const uint8_t* rest = z.next_in;
      if (!is_gzip(rest, static_cast<size_t>(end - rest))) break;
      inflateReset(&z);
      z.next_in = const_cast<Bytef*>(rest);
      const size_t piece = std::min<size_t>(end - rest, 1u << 30);
      z.avail_in = static_cast<uInt>(piece);
      next_feed = rest + piece;
      continue;
    }
    if (status == Z_BUF_ERROR) {  // no progress possible: out of input (output room is never zero here)
      if (z.avail_in == 0 && next_feed == end) {
        if (allow_truncated) break;
        throw input_error(
            name, "truncated gzip data (the stream ends after " + std::to_string(out.size()) + " bytes of content)");
      }
      continue;
    }
    if (status != Z_OK) {
      const std::string reason = z.msg ? z.msg : "error " + std::to_string(status);
      throw input_error(name, "corrupt gzip data (zlib: " + reason + ")");
    }
  }
  return out;
}
}  // namespace uhop
