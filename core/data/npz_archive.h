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
// The entry's bytes (a whole .npy file), refused before inflating when the declared size is over max_bytes.
// Messages call the entry `where` ("a.npz:X", or "a.npz (entry 2)" when its name must not be echoed).
std::vector<uint8_t> npz_entry_bytes(const uint8_t* data, size_t size, const NpzEntry& entry, const std::string& where,
                                     uint64_t max_bytes);
// "a.npz:X" -> {"a.npz", "X"}; "a.npz" -> {"a.npz", ""}; anything without ".npz" -> {src, ""}.
std::pair<std::string, std::string> split_npz_source(const std::string& src);
}  // namespace uhop
