#include "file_bytes.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#ifdef __linux__
#include <sys/mman.h>
#endif

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstring>
#include <memory>

#include "numerics/input_error.h"

namespace uhop {
namespace {
std::string errno_text(int error) {
  return std::strerror(error);
}

// What a non-regular file is, in words a user recognises.
std::string file_type_problem(mode_t mode) {
  if (S_ISDIR(mode)) return "is a folder, expected a file";
  if (S_ISFIFO(mode)) return "is a FIFO (named pipe), not a regular file: refusing to read from it";
  if (S_ISCHR(mode)) return "is a character device (like /dev/zero or /dev/null), not a regular file";
  if (S_ISBLK(mode)) return "is a block device, not a regular file";
  if (S_ISSOCK(mode)) return "is a socket, not a regular file";
  return "is not a regular file";
}

std::string open_problem(int error, bool refuse_symlinks) {
  if (error == ENOENT) return "no such file or folder";
  if (error == ELOOP && refuse_symlinks) return "is a symbolic link, which is not allowed here";
  if (error == ENOTDIR) return "a part of the path is not a folder";
  return "cannot open (" + errno_text(error) + ")";
}
}  // namespace

ReadableFile::ReadableFile(const std::string& path, bool refuse_symlinks) : path_(path) {
  if (path.empty()) throw InputError("empty file name");
  int flags = O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC;
  if (refuse_symlinks) flags |= O_NOFOLLOW;
  fd_ = ::open(path.c_str(), flags);
  if (fd_ < 0) {
    const int error = errno;
    struct stat info {};
    // Sockets (ENXIO) and other special files that cannot even be opened: say what they are.
    if (error != ENOENT && ::stat(path.c_str(), &info) == 0 && !S_ISREG(info.st_mode))
      throw input_error(path, file_type_problem(info.st_mode));
    throw input_error(path, open_problem(error, refuse_symlinks));
  }
  adopt();
}

ReadableFile::ReadableFile(int fd, const std::string& path) : fd_(fd), path_(path) {
  adopt();
}

void ReadableFile::adopt() {
  const std::string& path = path_;
  struct stat info {};
  if (::fstat(fd_, &info) != 0) {
    const int error = errno;
    ::close(fd_);
    fd_ = -1;
    throw input_error(path, "cannot read the file's status (" + errno_text(error) + ")");
  }
  if (!S_ISREG(info.st_mode)) {
    ::close(fd_);
    fd_ = -1;
    throw input_error(path, file_type_problem(info.st_mode));
  }
  reported_size_ = info.st_size > 0 ? static_cast<uint64_t>(info.st_size) : 0;
}

ReadableFile::~ReadableFile() {
  if (fd_ >= 0) ::close(fd_);
}

size_t ReadableFile::read_some(void* buffer, size_t bytes) {
  while (true) {
    const ssize_t got = ::read(fd_, buffer, bytes);
    if (got >= 0) return static_cast<size_t>(got);
    if (errno == EINTR) continue;
    throw input_error(path_, "read failed (" + errno_text(errno) + ")");
  }
}

void ReadableFile::seek(uint64_t offset) {
  if (::lseek(fd_, static_cast<off_t>(offset), SEEK_SET) < 0)
    throw input_error(path_, "cannot seek (" + errno_text(errno) + ")");
}

uint64_t regular_file_size(const std::string& path) {
  return ReadableFile(path).reported_size();
}

namespace {
// Reads until end of file or until more than max_bytes arrived (then over_limit is set and the extra is dropped).
std::vector<uint8_t> read_up_to(ReadableFile& file, uint64_t max_bytes, bool& over_limit) {
  std::vector<uint8_t> bytes;
  bytes.reserve(static_cast<size_t>(std::min<uint64_t>(file.reported_size(), std::min<uint64_t>(max_bytes, 1u << 30))));
  over_limit = false;
  uint8_t chunk[1 << 16];
  while (true) {
    const size_t got = file.read_some(chunk, sizeof chunk);
    if (got == 0) break;
    if (bytes.size() + got > max_bytes) {
      bytes.insert(bytes.end(), chunk, chunk + (max_bytes - bytes.size()));
      over_limit = true;
      break;
    }
    bytes.insert(bytes.end(), chunk, chunk + got);
  }
  return bytes;
}
}  // namespace

std::vector<uint8_t> read_file_prefix(const std::string& path, uint64_t max_bytes) {
  ReadableFile file(path);
  bool over_limit = false;
  return read_up_to(file, max_bytes, over_limit);
}

std::vector<uint8_t> read_whole_file(const std::string& path, uint64_t max_bytes, bool refuse_symlinks) {
  ReadableFile file(path, refuse_symlinks);
  return read_whole_file(file, max_bytes);
}

std::vector<uint8_t> read_whole_file(ReadableFile& file, uint64_t max_bytes) {
  const std::string& path = file.path();
  bool over_limit = false;
  std::vector<uint8_t> bytes = read_up_to(file, max_bytes, over_limit);
  if (over_limit)
    throw input_error(path, "file is more than the " + std::to_string(max_bytes) + " bytes this loader accepts");
  if (bytes.empty()) throw input_error(path, "empty file (0 bytes)");
  return bytes;
}

void ContentHasher::add(const void* data, size_t size) {
  const uint8_t* bytes = static_cast<const uint8_t*>(data);
  for (size_t i = 0; i < size; ++i) hash_ = (hash_ ^ bytes[i]) * 1099511628211ull;  // FNV-1a prime
}

std::string ContentHasher::text() const {
  char text[20];
  std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(hash_));
  return text;
}

std::string content_hash(const void* data, size_t size) {
  ContentHasher hasher;
  hasher.add(data, size);
  return hasher.text();
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
        if (out.empty())
          throw input_error(name,
                            "truncated gzip data (the file ends before the first byte of content: a cut-off "
                            "gzip header?)");
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

std::vector<uint8_t> inflate_raw(const uint8_t* data, size_t size, const std::string& name, size_t expected_size) {
  InflateStream stream;
  z_stream& z = stream.z;
  if (inflateInit2(&z, -15) != Z_OK) throw input_error(name, "cannot start zlib");  // -15: raw deflate, no header
  // One byte of room beyond the promise, so a stream that would produce more is seen rather than cut silently.
  std::vector<uint8_t> out(expected_size + 1);
  const uint8_t* next_feed = data;
  const uint8_t* const end = data + size;
  size_t produced = 0;
  for (;;) {
    if (z.avail_in == 0 && next_feed < end) {
      const size_t piece = std::min<size_t>(end - next_feed, 1u << 30);
      z.next_in = const_cast<Bytef*>(next_feed);
      z.avail_in = static_cast<uInt>(piece);
      next_feed += piece;
    }
    const size_t room = std::min<size_t>(out.size() - produced, 1u << 30);
    z.next_out = out.data() + produced;
    z.avail_out = static_cast<uInt>(room);
    const int status = inflate(&z, Z_NO_FLUSH);
    produced += room - z.avail_out;
    if (produced > expected_size) throw input_error(name, "deflated data is larger than its declared size");
    if (status == Z_STREAM_END) break;
    if (status == Z_BUF_ERROR && z.avail_in == 0 && next_feed == end)
      throw input_error(name, "truncated deflate data (" + std::to_string(produced) + " of " +
                                  std::to_string(expected_size) + " bytes)");
    if (status != Z_OK && status != Z_BUF_ERROR) {
      const std::string reason = z.msg ? z.msg : "error " + std::to_string(status);
      throw input_error(name, "corrupt deflate data (zlib: " + reason + ")");
    }
  }
  if (produced != expected_size)
    throw input_error(name, "deflated data is " + std::to_string(produced) + " bytes, its entry declares " +
                                std::to_string(expected_size));
  out.resize(expected_size);
  return out;
}

uint32_t crc32_of(const uint8_t* data, size_t size) {
  uLong crc = crc32(0L, Z_NULL, 0);
  while (size > 0) {
    const uInt piece = static_cast<uInt>(std::min<size_t>(size, 1u << 30));
    crc = crc32(crc, data, piece);
    data += piece;
    size -= piece;
  }
  return static_cast<uint32_t>(crc);
}

struct GzipReader::State {
  z_stream z{};
};

GzipReader::GzipReader(const uint8_t* data, size_t size, std::string name)
    : state_(new State), end_(data + size), next_feed_(data), name_(std::move(name)) {
  if (inflateInit2(&state_->z, 15 + 32) != Z_OK) {  // gzip or zlib headers, detected automatically
    delete state_;
    throw input_error(name_, "cannot start zlib");
  }
}

GzipReader::~GzipReader() {
  inflateEnd(&state_->z);
  delete state_;
}

size_t GzipReader::read(uint8_t* out, size_t bytes) {
  z_stream& z = state_->z;
  size_t done = 0;
  while (done < bytes && !finished_) {
    if (z.avail_in == 0 && next_feed_ < end_) {
      const size_t piece = std::min<size_t>(end_ - next_feed_, 1u << 30);  // avail_in is 32-bit
      z.next_in = const_cast<Bytef*>(next_feed_);
      z.avail_in = static_cast<uInt>(piece);
      next_feed_ += piece;
    }
    const size_t room = std::min<size_t>(bytes - done, 1u << 30);
    z.next_out = out + done;
    z.avail_out = static_cast<uInt>(room);
    const int status = inflate(&z, Z_NO_FLUSH);
    done += room - z.avail_out;
    if (status == Z_STREAM_END) {
      // Another gzip member may follow; anything else after the end (padding) is ignored.
      const uint8_t* rest = z.next_in;
      if (!is_gzip(rest, static_cast<size_t>(end_ - rest))) {
        finished_ = true;
        break;
      }
      inflateReset(&z);
      const size_t piece = std::min<size_t>(end_ - rest, 1u << 30);
      z.next_in = const_cast<Bytef*>(rest);
      z.avail_in = static_cast<uInt>(piece);
      next_feed_ = rest + piece;
    } else if (status == Z_BUF_ERROR) {
      if (z.avail_in == 0 && next_feed_ == end_)
        throw input_error(name_, "truncated gzip data (the stream ends after " + std::to_string(produced_ + done) +
                                     " bytes of content)");
    } else if (status != Z_OK) {
      const std::string reason = z.msg ? z.msg : "error " + std::to_string(status);
      throw input_error(name_, "corrupt gzip data (zlib: " + reason + ")");
    }
  }
  produced_ += done;
  return done;
}

uint64_t GzipReader::skip(uint64_t bytes) {
  return skip_by_reading(*this, bytes);
}
}  // namespace uhop
