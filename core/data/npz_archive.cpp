#include "npz_archive.h"

#include <algorithm>
#include <cctype>

#include <zlib.h>

#include "io/file_bytes.h"
#include "numerics/input_error.h"

namespace uhop {
namespace {
constexpr uint32_t kLocalHeader = 0x04034b50, kCentralHeader = 0x02014b50, kEndOfDirectory = 0x06054b50;
constexpr uint32_t kZip64End = 0x06064b50, kZip64Locator = 0x07064b50;
constexpr size_t kEndBytes = 22, kCentralBytes = 46, kLocalBytes = 30;
constexpr uint64_t kDeflateMaxRatio = 1032;  // deflate cannot do better than ~1032:1
constexpr size_t kMaxEntries = 1 << 16;

// Little-endian reads, bounds-checked against the archive.
struct Bytes {
  const uint8_t* data;
  size_t size;
  const std::string& name;
  void need(uint64_t at, uint64_t bytes, const char* what) const {
    if (at > size || bytes > size - at) throw input_error(name, std::string(".npz: truncated ") + what);
  }
  uint64_t le(uint64_t at, int bytes) const {
    uint64_t v = 0;
    for (int k = bytes - 1; k >= 0; --k) v = v << 8 | data[at + k];
    return v;
  }
};

// The end-of-central-directory record: searched backwards through the last 64 KiB + 22 bytes (its comment).
size_t find_end_record(const Bytes& b) {
  if (b.size < kEndBytes) throw input_error(b.name, ".npz: too short to be a zip archive");
  const size_t lowest = b.size > kEndBytes + 0xffff ? b.size - kEndBytes - 0xffff : 0;
  for (size_t at = b.size - kEndBytes + 1; at-- > lowest;)
    if (b.le(at, 4) == kEndOfDirectory && at + kEndBytes + b.le(at + 20, 2) == b.size) return at;
  throw input_error(b.name, ".npz: no zip end-of-directory record (not a zip archive, or truncated)");
}

// ZIP64 extra field (id 1): the 64-bit values of the fields whose 32-bit copy is 0xFFFFFFFF, in this order.
void read_zip64_extra(const Bytes& b, uint64_t extra, uint64_t extra_len, uint64_t& uncompressed, uint64_t& compressed,
                      uint64_t& offset) {
  uint64_t at = extra, end = extra + extra_len;
  while (at + 4 <= end) {
    const uint64_t id = b.le(at, 2), len = b.le(at + 2, 2);
    if (at + 4 + len > end) throw input_error(b.name, ".npz: malformed extra field in the zip directory");
    if (id == 1) {
      uint64_t field = at + 4;
      for (uint64_t* value : {&uncompressed, &compressed, &offset}) {
        if (*value != 0xffffffffu) continue;
        if (field + 8 > at + 4 + len) throw input_error(b.name, ".npz: short ZIP64 extra field");
        *value = b.le(field, 8);
        field += 8;
      }
    }
    at += 4 + len;
  }
}

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
  return text;
}
}  // namespace

bool is_zip(const uint8_t* data, size_t size) {
  return size >= 4 && data[0] == 'P' && data[1] == 'K' && data[2] == 3 && data[3] == 4;
}

std::vector<NpzEntry> list_npz_entries(const uint8_t* data, size_t size, const std::string& name, bool quote_content) {
  const Bytes b{data, size, name};
  const size_t end = find_end_record(b);
  if (b.le(end + 4, 2) != 0 || b.le(end + 6, 2) != 0)
    throw input_error(name, ".npz: multi-disk zip archives are not supported");
  uint64_t count = b.le(end + 10, 2), directory_bytes = b.le(end + 12, 4), directory = b.le(end + 16, 4);
  if (count == 0xffff || directory_bytes == 0xffffffffu || directory == 0xffffffffu) {
    if (end < 20 || b.le(end - 20, 4) != kZip64Locator) throw input_error(name, ".npz: ZIP64 locator missing");
    const uint64_t record = b.le(end - 20 + 8, 8);
    b.need(record, 56, "ZIP64 end record");
    if (b.le(record, 4) != kZip64End) throw input_error(name, ".npz: bad ZIP64 end record");
    count = b.le(record + 32, 8), directory_bytes = b.le(record + 40, 8), directory = b.le(record + 48, 8);
  }
  b.need(directory, directory_bytes, "zip central directory");
  if (count > kMaxEntries || count * kCentralBytes > directory_bytes)
    throw input_error(name, ".npz: the zip directory declares " +
                                (quote_content ? std::to_string(count) + " entries" : std::string("more entries")) +
                                " than it can hold");
  std::vector<NpzEntry> entries;
  uint64_t at = directory;
  const uint64_t directory_end = directory + directory_bytes;
  for (uint64_t k = 0; k < count; ++k) {
    if (at + kCentralBytes > directory_end || b.le(at, 4) != kCentralHeader)
      throw input_error(name, ".npz: corrupt zip central directory (entry " + std::to_string(k) + ")");
    const uint64_t flags = b.le(at + 8, 2), name_len = b.le(at + 28, 2), extra_len = b.le(at + 30, 2),
                   comment_len = b.le(at + 32, 2);
    if (at + kCentralBytes + name_len + extra_len + comment_len > directory_end)
      throw input_error(name, ".npz: corrupt zip central directory (entry " + std::to_string(k) + ")");
    NpzEntry e;
    e.method = static_cast<int>(b.le(at + 10, 2));
    e.crc = static_cast<uint32_t>(b.le(at + 16, 4));
    e.compressed_bytes = b.le(at + 20, 4);
    e.uncompressed_bytes = b.le(at + 24, 4);
    uint64_t local = b.le(at + 42, 4);
    read_zip64_extra(b, at + kCentralBytes + name_len, extra_len, e.uncompressed_bytes, e.compressed_bytes, local);
    const std::string file(reinterpret_cast<const char*>(data + at + kCentralBytes), name_len);
    const std::string entry = quote_content ? "entry " + quoted_excerpt(file) : "entry " + std::to_string(k + 1);
    at += kCentralBytes + name_len + extra_len + comment_len;
    if (flags & 1) throw input_error(name, ".npz: " + entry + " is encrypted");
    if (e.method != 0 && e.method != 8)
      throw input_error(name, ".npz: " + entry + " uses zip method " +
                                  (quote_content ? std::to_string(e.method) + " " : std::string("other than 0 or 8 ")) +
                                  "(only stored and deflated entries are read)");
    // The local header repeats the name and has its own extra field; the data follows it.
    b.need(local, kLocalBytes, "zip local header");
    if (b.le(local, 4) != kLocalHeader) throw input_error(name, ".npz: corrupt zip local header");
    e.data_offset = local + kLocalBytes + b.le(local + 26, 2) + b.le(local + 28, 2);
    if (e.data_offset > directory || e.compressed_bytes > directory - e.data_offset)
      throw input_error(name, ".npz: " + entry + " runs past the start of the zip directory");
    if (e.method == 0 && e.compressed_bytes != e.uncompressed_bytes)
      throw input_error(name, ".npz: stored " + entry + " has two different sizes");
    const std::string lname = lower(file);
    e.name =
        lname.size() > 4 && lname.compare(lname.size() - 4, 4, ".npy") == 0 ? file.substr(0, file.size() - 4) : file;
    entries.push_back(e);
  }
  return entries;
}

struct NpzEntryStream::Inflater {
  z_stream z{};
  ~Inflater() { inflateEnd(&z); }
};

NpzEntryStream::NpzEntryStream(const uint8_t* data, size_t size, const NpzEntry& e, const std::string& where,
                               uint64_t max_bytes, bool quote_content)
    : start_(data + std::min<uint64_t>(e.data_offset, size)), entry_(e), where_(where) {
  if (e.method == 8 && e.uncompressed_bytes > e.compressed_bytes * kDeflateMaxRatio + 1024)
    throw input_error(where, quote_content ? "declares " + std::to_string(e.uncompressed_bytes) + " bytes from " +
                                                 std::to_string(e.compressed_bytes) +
                                                 " deflated ones, beyond what deflate can do (a zip bomb?)"
                                           : "declares more bytes than its deflated ones can hold (deflate does "
                                             "at most 1032:1: a zip bomb?)");
  if (e.uncompressed_bytes > max_bytes)
    throw input_error(where, (quote_content ? "the entry declares " + std::to_string(e.uncompressed_bytes) + " bytes"
                                            : std::string("the entry declares more bytes")) +
                                 ", more than the " + std::to_string(max_bytes) + " allowed");
  if (e.data_offset > size || e.compressed_bytes > size - e.data_offset)
    throw input_error(where, "truncated zip entry");
  if (e.method == 8) {
    inflater_ = new Inflater;
    if (inflateInit2(&inflater_->z, -15) != Z_OK) {  // -15: raw deflate, no header
      delete inflater_;
      throw input_error(where, "cannot start zlib");
    }
  }
  crc_ = static_cast<uint32_t>(crc32(0L, Z_NULL, 0));
}

NpzEntryStream::~NpzEntryStream() {
  delete inflater_;
}

size_t NpzEntryStream::read(uint8_t* out, size_t bytes) {
  bytes = static_cast<size_t>(std::min<uint64_t>(bytes, entry_.uncompressed_bytes - produced_));
  size_t done = 0;
  if (!inflater_) {
    std::copy(start_ + produced_, start_ + produced_ + bytes, out);
    done = bytes;
  }
  while (inflater_ && done < bytes && !ended_) {
    z_stream& z = inflater_->z;
    const uint64_t fed = static_cast<uint64_t>(z.next_in ? z.next_in - start_ : 0);
    if (z.avail_in == 0 && fed < entry_.compressed_bytes) {
      z.next_in = const_cast<Bytef*>(start_ + fed);  // avail_in is 32-bit: huge entries go in 1 GiB pieces
      z.avail_in = static_cast<uInt>(std::min<uint64_t>(entry_.compressed_bytes - fed, 1u << 30));
    }
    const size_t room = std::min<size_t>(bytes - done, 1u << 30);
    z.next_out = out + done;
    z.avail_out = static_cast<uInt>(room);
    const int status = inflate(&z, Z_NO_FLUSH);
    done += room - z.avail_out;
    if (status == Z_STREAM_END) {
      ended_ = true;
    } else if (status == Z_BUF_ERROR && z.avail_in == 0) {
      throw input_error(where_, "truncated deflate data (it stops " + std::string(done < bytes ? "before" : "at") +
                                    " the end of the entry's declared size)");
    } else if (status != Z_OK && status != Z_BUF_ERROR) {
      throw input_error(where_, "corrupt deflate data (zlib: " +
                                    std::string(z.msg ? z.msg : "error " + std::to_string(status)) + ")");
    }
  }
  if (done < bytes) throw input_error(where_, "deflated data ends before the entry's declared size");
  for (size_t at = 0; at < done;) {
    const uInt piece = static_cast<uInt>(std::min<size_t>(done - at, 1u << 30));
    crc_ = static_cast<uint32_t>(crc32(crc_, out + at, piece));
    at += piece;
  }
  produced_ += done;
  return done;
}

uint64_t NpzEntryStream::skip(uint64_t bytes) {
  return skip_by_reading(*this, bytes);
}

void NpzEntryStream::check_if_whole() {
  if (produced_ < entry_.uncompressed_bytes) return;
  if (inflater_ && !ended_) {
    z_stream& z = inflater_->z;
    uint8_t extra = 0;
    const uint64_t fed = static_cast<uint64_t>(z.next_in ? z.next_in - start_ : 0);
    if (z.avail_in == 0 && fed < entry_.compressed_bytes) {
      z.next_in = const_cast<Bytef*>(start_ + fed);
      z.avail_in = static_cast<uInt>(std::min<uint64_t>(entry_.compressed_bytes - fed, 1u << 30));
    }
    z.next_out = &extra;
    z.avail_out = 1;
    const int status = inflate(&z, Z_NO_FLUSH);
    if (z.avail_out == 0) throw input_error(where_, "deflated data is larger than its declared size");
    if (status != Z_STREAM_END) throw input_error(where_, "truncated or corrupt deflate data at its declared end");
    ended_ = true;
  }
  if (crc_ != entry_.crc) throw input_error(where_, "CRC-32 mismatch (corrupt archive)");
}

std::vector<uint8_t> npz_entry_bytes(const uint8_t* data, size_t size, const NpzEntry& e, const std::string& where,
                                     uint64_t max_bytes, bool quote_content) {
  NpzEntryStream stream(data, size, e, where, max_bytes, quote_content);
  std::vector<uint8_t> bytes(static_cast<size_t>(e.uncompressed_bytes));
  stream.read(bytes.data(), bytes.size());
  stream.check_if_whole();
  return bytes;
}

std::pair<std::string, std::string> split_npz_source(const std::string& src) {
  const std::string l = lower(src);
  if (l.size() >= 4 && l.compare(l.size() - 4, 4, ".npz") == 0) return {src, ""};
  const size_t at = l.rfind(".npz:");
  if (at == std::string::npos) return {src, ""};
  return {src.substr(0, at + 4), src.substr(at + 5)};
}
}  // namespace uhop
