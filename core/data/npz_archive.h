// NumPy's .npz (np.savez / np.savez_compressed): a zip archive with one NAME.npy entry per array. Read with our own
// zip parser, bounded: the central directory at the end says where each entry is and how long it is; entries are
// stored (method 0) or deflated (method 8, inflated by zlib). Every declared size is checked against the caller's
// cap, and against deflate's best ratio (1032:1), BEFORE anything is inflated, so a zip bomb is refused from its
// directory; what is inflated must then be exactly as long as declared and match its CRC-32. Encrypted entries,
// other methods, multi-disk archives and entries that overlap the directory are refused. ZIP64 sizes are read.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "io/byte_stream.h"

namespace uhop {
struct NpzEntry {
  std::string name;  // the array's name: the entry's file name without ".npy"
  int method = 0;    // 0 stored, 8 deflated
  uint32_t crc = 0;
  uint64_t compressed_bytes = 0;
  uint64_t uncompressed_bytes = 0;
  uint64_t data_offset = 0;  // where the stored or deflated bytes start in the archive
};

// Does the buffer start like a zip archive ("PK\3\4")?
bool is_zip(const uint8_t* data, size_t size);
// The entries of an archive (data/size: the whole file). Throws InputError for anything malformed, naming the entry
// by its file name, or only by its number when quote_content is false (an archive named inside another data file).
std::vector<NpzEntry> list_npz_entries(const uint8_t* data, size_t size, const std::string& name,
                                       bool quote_content = true);
// The entry's bytes, streamed: a stored entry straight from the archive, a deflated one inflated as it is read (one
// window in memory whatever the entry declares), so a reader can stop after the part it needs. The declared size is
// checked against max_bytes and against deflate's best ratio when the stream is made, before anything is inflated;
// reads stop at the declared size. Messages call the entry `where` ("a.npz:X", or "a.npz (entry 2)" when its name
// must not be echoed); with quote_content false they carry no size the archive declares.
class NpzEntryStream : public ByteStream {
 public:
  NpzEntryStream(const uint8_t* data, size_t size, const NpzEntry& entry, const std::string& where, uint64_t max_bytes,
                 bool quote_content = true);
  ~NpzEntryStream() override;
  NpzEntryStream(const NpzEntryStream&) = delete;
  NpzEntryStream& operator=(const NpzEntryStream&) = delete;
  size_t read(uint8_t* out, size_t bytes) override;
  uint64_t skip(uint64_t bytes) override;
  uint64_t produced() const { return produced_; }
  // After the last declared byte was read: the deflate data ends exactly there and the CRC-32 of every byte matches;
  // throws otherwise. A reader that stopped early never inflated the rest, so there is nothing to check: no-op.
  void check_if_whole();

 private:
  struct Inflater;
  const uint8_t* start_;
  NpzEntry entry_;
  std::string where_;
  Inflater* inflater_ = nullptr;  // deflated entries only
  uint64_t produced_ = 0;
  uint32_t crc_ = 0;
  bool ended_ = false;  // the deflate stream reached its end
};
// The whole entry (a whole .npy file) through NpzEntryStream, its end and CRC-32 checked.
std::vector<uint8_t> npz_entry_bytes(const uint8_t* data, size_t size, const NpzEntry& entry, const std::string& where,
                                     uint64_t max_bytes, bool quote_content = true);
// "a.npz:X" -> {"a.npz", "X"}; "a.npz" -> {"a.npz", ""}; anything without ".npz" -> {src, ""}.
std::pair<std::string, std::string> split_npz_source(const std::string& src);
}  // namespace uhop
