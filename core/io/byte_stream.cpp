#include "byte_stream.h"

#include <algorithm>
#include <cstring>

namespace uhop {
size_t MemoryByteStream::read(uint8_t* out, size_t bytes) {
  const size_t n = std::min(bytes, size_ - at_);
  if (n > 0) std::memcpy(out, data_ + at_, n);
  at_ += n;
  return n;
}

uint64_t MemoryByteStream::skip(uint64_t bytes) {
  const size_t n = static_cast<size_t>(std::min<uint64_t>(bytes, size_ - at_));
  at_ += n;
  return n;
}

size_t FileByteStream::read(uint8_t* out, size_t bytes) {
  size_t done = 0;
  while (done < bytes) {
    if (used_ == buffered_) {
      if (bytes - done >= buffer_.size()) {  // a long read goes straight to the caller's memory
        const size_t n = file_.read_some(out + done, bytes - done);
        position_ += n;
        done += n;
        if (n == 0) break;
        continue;
      }
      buffered_ = file_.read_some(buffer_.data(), buffer_.size());
      used_ = 0;
      position_ += buffered_;
      if (buffered_ == 0) break;
    }
    const size_t n = std::min(bytes - done, buffered_ - used_);
    std::memcpy(out + done, buffer_.data() + used_, n);
    used_ += n;
    done += n;
  }
  return done;
}

uint64_t FileByteStream::skip(uint64_t bytes) {
  const size_t in_buffer = static_cast<size_t>(std::min<uint64_t>(bytes, buffered_ - used_));
  used_ += in_buffer;
  const uint64_t rest = bytes - in_buffer;
  if (rest == 0) return bytes;
  // Past the buffer: seek (a skip beyond the end is cut to the end, as the file's size says).
  const uint64_t size = file_.reported_size();
  const uint64_t target = std::min(position_ + rest, std::max(size, position_));
  file_.seek(target);
  const uint64_t skipped = in_buffer + (target - position_);
  position_ = target;
  buffered_ = used_ = 0;
  return skipped;
}
}  // namespace uhop
