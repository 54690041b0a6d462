// Reading files and gzip data with bounds, so a bad or hostile file cannot make us block or allocate without bound.
// Errors are InputError "path: problem".
//
// Every read in the project opens its file through ReadableFile: open(O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC)
// so a FIFO cannot block the open, then fstat on the descriptor itself (no gap between check and use), and anything
// that is not a regular file is refused with what it is (FIFO, character device such as /dev/zero or /dev/null,
// block device, socket, folder). The size fstat reports is never trusted as the length (a /proc file says 0, a file
// can grow): reads stop at end of file or at the caller's cap, whichever comes first.
#pragma once
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace uhop {
class ReadableFile {
 public:
  // refuse_symlinks: O_NOFOLLOW, the last component may not be a symlink. For paths that come out of data files
  // (a session's side files, see path_policy.h), not for paths a user typed.
  explicit ReadableFile(const std::string& path, bool refuse_symlinks = false);
  // Takes ownership of an open descriptor (e.g. from openat): the same fstat checks, then reads from it.
  ReadableFile(int fd, const std::string& path);
  ~ReadableFile();
  ReadableFile(const ReadableFile&) = delete;
  ReadableFile& operator=(const ReadableFile&) = delete;
  // Up to bytes bytes; 0 at end of file. Throws InputError on a read error.
  size_t read_some(void* buffer, size_t bytes);
  // Moves the read position to offset (from the start). Throws InputError when the file cannot seek.
  void seek(uint64_t offset);
  uint64_t reported_size() const { return reported_size_; }  // st_size: a hint for reserving, not the length
  const std::string& path() const { return path_; }

 private:
  void adopt();  // fstat the descriptor: refuse (and close) anything but a regular file
  int fd_ = -1;
  uint64_t reported_size_ = 0;
  std::string path_;
};

// Size of a regular file as fstat reports it; throws for a missing path, a folder, a FIFO, a device or an
// unreadable entry (the same checks as ReadableFile, without reading).
uint64_t regular_file_size(const std::string& path);

// Reads at most max_bytes from the start of the file (all of it when it is smaller).
std::vector<uint8_t> read_file_prefix(const std::string& path, uint64_t max_bytes);

// Reads the whole file, up to its end; throws when it is empty or longer than max_bytes (what the caller can
// accept), whatever its reported size.
std::vector<uint8_t> read_whole_file(const std::string& path, uint64_t max_bytes, bool refuse_symlinks = false);
std::vector<uint8_t> read_whole_file(ReadableFile& file, uint64_t max_bytes);

// A 64-bit FNV-1a hash of bytes, as 16 hex digits: a content check that tells a file from another version of it
// (a session's W side file from the one its JSON was saved with), not a defence against forgery.
std::string content_hash(const void* data, size_t size);
// The same hash fed in pieces (content_hash(all) == feeding every piece in order, then text()).
class ContentHasher {
 public:
  void add(const void* data, size_t size);
  std::string text() const;

 private:
  uint64_t hash_ = 14695981039346656037ull;  // FNV-1a offset basis
};

// A hint for big buffers about to be filled: back them with transparent huge pages where Linux allows it. Filling
// a fresh 376 MB matrix (60000 x 784 doubles) otherwise costs ~92k page faults, which dominate on some VMs.
void advise_huge_pages(void* data, size_t bytes);

// gzip magic 1f 8b.
bool is_gzip(const uint8_t* data, size_t size);

// Skips bytes of a stream that can only be read (inflated data): reads them into a 256 KiB scratch buffer; returns
// how many there were (fewer only at the end of the data). Reader has size_t read(uint8_t*, size_t).
template <class Reader>
uint64_t skip_by_reading(Reader& reader, uint64_t bytes) {
  std::vector<uint8_t> scratch(static_cast<size_t>(std::min<uint64_t>(bytes, 1 << 18)));
  uint64_t skipped = 0;
  while (skipped < bytes) {
    const size_t want = static_cast<size_t>(std::min<uint64_t>(bytes - skipped, scratch.size()));
    const size_t got = reader.read(scratch.data(), want);
    skipped += got;
    if (got < want) break;
  }
  return skipped;
}

// Inflates gzip (or zlib) data, concatenated members included, stopping once max_output bytes are produced (the
// caller compares the result with what it expects). With allow_truncated, running out of input early just returns
// what was inflated (for reading a header from a file prefix); otherwise it throws "truncated gzip data".
// Inflates gzip (or zlib) data piece by piece, concatenated members included: memory is one window whatever the
// data promises, so a caller can check what it reads as it goes and stop (a decompression bomb costs no memory).
class GzipReader {
 public:
  GzipReader(const uint8_t* data, size_t size, std::string name);
  ~GzipReader();
  GzipReader(const GzipReader&) = delete;
  GzipReader& operator=(const GzipReader&) = delete;
  // Fills out with up to bytes bytes; fewer only at the end of the data. Throws "corrupt gzip data" or, when the
  // data stops mid-stream, "truncated gzip data".
  size_t read(uint8_t* out, size_t bytes);
  // Skips bytes of output (inflating them into a scratch buffer); returns how many were skipped.
  uint64_t skip(uint64_t bytes);
  uint64_t produced() const { return produced_; }

 private:
  struct State;
  State* state_;
  const uint8_t* end_;
  const uint8_t* next_feed_;
  std::string name_;
  uint64_t produced_ = 0;
  bool finished_ = false;
};

std::vector<uint8_t> gunzip(const uint8_t* data, size_t size, const std::string& name, size_t max_output,
                            bool allow_truncated = false);

// Inflates raw deflate data (a zip entry, method 8) that must come to exactly expected_size bytes; the caller has
// checked expected_size against what it can hold before calling. Throws "corrupt"/"truncated"/"larger than
// declared" InputErrors.
std::vector<uint8_t> inflate_raw(const uint8_t* data, size_t size, const std::string& name, size_t expected_size);
// CRC-32 as zip and gzip use it.
uint32_t crc32_of(const uint8_t* data, size_t size);
}  // namespace uhop
