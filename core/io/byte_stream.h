// Forward-only byte sources: a loader reads what it needs and skips the rest, so it never holds more than the
// part it uses (a .npy file, a stored or deflated .npz member, bytes already in memory).
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "file_bytes.h"

namespace uhop {
class ByteStream {
 public:
  virtual ~ByteStream() = default;
  // Fills out with up to bytes bytes; fewer only at the end of the data.
  virtual size_t read(uint8_t* out, size_t bytes) = 0;
  // Moves past bytes bytes; returns how many there were (fewer only at the end of the data).
  virtual uint64_t skip(uint64_t bytes) = 0;
};

// Bytes in memory (not owned: they outlive the stream).
class MemoryByteStream : public ByteStream {
 public:
  MemoryByteStream(const uint8_t* data, size_t size) : data_(data), size_(size) {}
  size_t read(uint8_t* out, size_t bytes) override;
  uint64_t skip(uint64_t bytes) override;

 private:
  const uint8_t* data_;
  size_t size_;
  size_t at_ = 0;
};

// A regular file read through a buffer; a skip past the buffer seeks, so bytes skipped are never read.
class FileByteStream : public ByteStream {
 public:
  explicit FileByteStream(const std::string& path) : file_(path), buffer_(1 << 16) {}
  size_t read(uint8_t* out, size_t bytes) override;
  uint64_t skip(uint64_t bytes) override;
  uint64_t reported_size() const { return file_.reported_size(); }

 private:
  ReadableFile file_;
  std::vector<uint8_t> buffer_;
  size_t buffered_ = 0, used_ = 0;  // buffer_[used_, buffered_) not yet read
  uint64_t position_ = 0;           // file offset of buffer_[buffered_]
};
}  // namespace uhop
