#include "idx_format.h"

#include <algorithm>
#include <climits>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <memory>

#include "io/file_bytes.h"
#include "image_catalog.h"
#include "numerics/input_error.h"

namespace uhop {
namespace {
uint32_t big_endian_u32(const uint8_t* p) {
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | uint32_t{p[3]};
}

const char* type_name(int type) {
  switch (type) {
    case 0x08:
      return "unsigned byte";
    case 0x09:
      return "signed byte";
    case 0x0B:
      return "int16";
    case 0x0C:
      return "int32";
    case 0x0D:
      return "float32";
    case 0x0E:
      return "float64";
  }
  return nullptr;
}

int element_bytes(int type) {
  switch (type) {
    case 0x0B:
      return 2;
    case 0x0C:
    case 0x0D:
      return 4;
    case 0x0E:
      return 8;
  }
  return 1;
}

std::string dims_text(const std::vector<uint32_t>& dims) {
  std::string text;
  for (size_t i = 0; i < dims.size(); ++i) text += (i ? "x" : "") + std::to_string(dims[i]);
  return text;
}

// The header must promise exactly the bytes present: fewer means a truncated file, more a wrong header.
// The header's numbers are the file's content: said only for a file the user named (quote_content).
void check_idx_size(const IdxHeader& header, uint64_t size, const std::string& name, bool quote_content) {
  const uint64_t expected = header.header_bytes + header.data_bytes;
  if (size == expected) return;
  const std::string promise = quote_content
                                  ? "header says " + dims_text(header.dims) + " (" + std::to_string(expected) +
                                        " bytes) but the file holds " + std::to_string(size) + " bytes"
                                  : std::string("the IDX header's dimensions promise ") +
                                        (size < expected ? "more" : "fewer") + " bytes than the file holds";
  throw input_error(name, promise + (size < expected ? " (truncated?)" : " (dimensions disagree with the file size)"));
}

// Largest header: 4 bytes of magic + 255 dims of 4 bytes.
constexpr size_t kMaxHeaderBytes = 4 + 4 * 255;

// The most of a gzip IDX file read before its IDX header is checked: room for a gzip header with a 64 KiB FEXTRA
// field and names or comments besides, and the first deflate block.
constexpr size_t kGzipPrefixBytes = 1 << 20;

// Does the gzip member header at data (RFC 1952: 10 fixed bytes, then FEXTRA, FNAME, FCOMMENT, FHCRC as its flags
// say) end within size bytes?
bool gzip_header_ends_within(const uint8_t* data, size_t size) {
  if (size < 10) return false;
  const uint8_t flags = data[3];
  size_t at = 10;
  if (flags & 4) {  // FEXTRA: a 2-byte length, then that many bytes
    if (size < at + 2) return false;
    at += 2 + (data[at] | (size_t{data[at + 1]} << 8));
  }
  for (const uint8_t field : {uint8_t{8}, uint8_t{16}}) {  // FNAME, FCOMMENT: zero-terminated
    if (!(flags & field)) continue;
    while (at < size && data[at] != 0) ++at;
    ++at;
  }
  if (flags & 2) at += 2;  // FHCRC
  return at <= size;
}

// Checks what can be checked from the header alone (type, size limit) and returns the file size it promises.
uint64_t promised_bytes(const IdxHeader& header, const std::string& name, long long max_bytes, bool quote_content) {
  if (header.type != 0x08)
    throw input_error(name, std::string("IDX data type is ") +
                                (quote_content ? type_name(header.type) : "not unsigned byte") +
                                "; only unsigned-byte images and labels are supported");
  const uint64_t expected = header.header_bytes + header.data_bytes;
  if (expected > static_cast<uint64_t>(max_bytes))
    throw input_error(name, (quote_content ? "header says " + dims_text(header.dims) + " (" + std::to_string(expected) +
                                                 " bytes), more"
                                           : std::string("the IDX header's dimensions promise more bytes")) +
                                " than the limit of " + std::to_string(max_bytes) + " bytes");
  return expected;
}
}  // namespace

IdxHeader parse_idx_header(const uint8_t* data, size_t size, const std::string& name, bool quote_content) {
  if (size < 4) throw input_error(name, "too short for an IDX header (" + std::to_string(size) + " bytes)");
  if (data[0] != 0 || data[1] != 0 || !type_name(data[2]) || data[3] == 0) {  // the bytes are never echoed
    const int bad = data[0] != 0 ? 0 : data[1] != 0 ? 1 : !type_name(data[2]) ? 2 : 3;
    throw input_error(name, "wrong IDX magic: byte " + std::to_string(bad) +
                                " of the first 4 is wrong (expected 00 00 <type 08..0e> <number of dimensions>)");
  }
  IdxHeader header;
  header.type = data[2];
  header.header_bytes = 4 + 4ull * data[3];
  if (size < header.header_bytes)
    throw input_error(name, quote_content ? "truncated IDX header (" + std::to_string(data[3]) + " dimensions need " +
                                                std::to_string(header.header_bytes) + " bytes, file has " +
                                                std::to_string(size) + ")"
                                          : std::string("truncated IDX header (shorter than its dimensions need)"));
  // Product of the dims, saturated so a hostile header cannot overflow it.
  uint64_t elements = 1;
  for (int i = 0; i < data[3]; ++i) {
    const uint32_t dim = big_endian_u32(data + 4 + 4 * i);
    header.dims.push_back(dim);
    elements = (dim != 0 && elements > (UINT64_MAX >> 4) / dim) ? (UINT64_MAX >> 4) : elements * dim;
  }
  header.data_bytes = elements * element_bytes(header.type);
  return header;
}

namespace {
// What an images header must say, checked before any pixel is read or inflated.
void check_images_header(const IdxHeader& header, const std::string& name, long long max_image_pixels,
                         bool quote_content) {
  // Each number the header holds is named by its field; its value only for a file the user named.
  const auto value = [&](const std::string& text) { return quote_content ? " " + text : std::string(); };
  if (header.type != 0x08)
    throw input_error(name, std::string("IDX data type is ") +
                                (quote_content ? type_name(header.type) : "not unsigned byte") +
                                "; only unsigned-byte images are supported");
  if (header.dims.size() == 1)
    throw input_error(name, "this is a 1-D IDX file (labels?), expected images (3 dimensions: count, rows, cols)");
  if (header.dims.size() != 3)
    throw input_error(name,
                      "IDX images need 3 dimensions (count, rows, cols), this file has " +
                          (quote_content ? std::to_string(header.dims.size()) + " (" + dims_text(header.dims) + ")"
                                         : std::string("another number")));
  for (size_t k = 0; k < header.dims.size(); ++k)
    if (header.dims[k] > INT_MAX)
      throw input_error(name, "the IDX header's " +
                                  std::string(k == 0   ? "image count"
                                              : k == 1 ? "rows"
                                                       : "cols") +
                                  value(std::to_string(header.dims[k])) + " is too large");
  if (header.dims[0] == 0) throw input_error(name, "contains no images (count 0)");
  if (header.dims[0] > kMaxIdxItems)
    throw input_error(name, quote_content
                                ? "header says " + std::to_string(header.dims[0]) + " images, more than the limit of " +
                                      std::to_string(kMaxIdxItems) + " items an IDX file may hold here"
                                : "the IDX header's image count is more than the limit of " +
                                      std::to_string(kMaxIdxItems) + " items an IDX file may hold here");
  if (header.dims[1] == 0 || header.dims[2] == 0)
    throw input_error(
        name,
        "image size" + value(std::to_string(header.dims[1]) + "x" + std::to_string(header.dims[2])) + " is empty");
  if (static_cast<long long>(header.dims[1]) * header.dims[2] > max_image_pixels)
    throw input_error(name, "images of" +
                                (quote_content ? " " + std::to_string(header.dims[1]) + "x" +
                                                     std::to_string(header.dims[2]) + " pixels"
                                               : std::string(" the IDX header's size")) +
                                " exceed the limit of " + std::to_string(max_image_pixels) + " pixels");
}
}  // namespace

IdxImages parse_idx_images(const uint8_t* data, size_t size, const std::string& name, long long max_image_pixels,
                           bool quote_content) {
  const IdxHeader header = parse_idx_header(data, size, name, quote_content);
  check_images_header(header, name, max_image_pixels, quote_content);
  check_idx_size(header, size, name, quote_content);
  return {static_cast<int>(header.dims[0]), static_cast<int>(header.dims[1]), static_cast<int>(header.dims[2]),
          data + header.header_bytes};
}

std::vector<int> parse_idx_labels(const uint8_t* data, size_t size, const std::string& name, bool quote_content) {
  const IdxHeader header = parse_idx_header(data, size, name, quote_content);
  if (header.type != 0x08 || header.dims.size() != 1)
    throw input_error(name, "IDX labels must be unsigned bytes with 1 dimension" +
                                (quote_content ? ", this file has " + std::string(type_name(header.type)) + " " +
                                                     dims_text(header.dims)
                                               : std::string()));
  check_idx_size(header, size, name, quote_content);
  return std::vector<int>(data + header.header_bytes, data + size);
}

std::vector<uint8_t> decode_idx_bytes(std::vector<uint8_t> stored, const std::string& name, long long max_bytes,
                                      bool quote_content) {
  if (stored.empty()) throw input_error(name, "empty file (0 bytes)");
  if (!is_gzip(stored.data(), stored.size())) {
    const IdxHeader header = parse_idx_header(stored.data(), stored.size(), name, quote_content);
    promised_bytes(header, name, max_bytes, quote_content);
    check_idx_size(header, stored.size(), name, quote_content);
    return stored;
  }
  // gzip: the size is unknown until inflated, so read the header first and inflate at most one byte more than it
  // promises (that extra byte tells "too long" from "exact").
  const std::vector<uint8_t> head = gunzip(stored.data(), stored.size(), name, kMaxHeaderBytes, true);
  const IdxHeader header = parse_idx_header(head.data(), head.size(), name, quote_content);
  const uint64_t expected = promised_bytes(header, name, max_bytes, quote_content);
  std::vector<uint8_t> content = gunzip(stored.data(), stored.size(), name, expected + 1);
  check_idx_size(header, content.size(), name, quote_content);
  return content;
}

namespace {
// The file as stored (raw, or gzip not inflated), after every check its header allows: its promise against
// max_bytes and the caller's on_header, a raw file's exact size, a gzip file's size against what deflate can do.
std::vector<uint8_t> read_idx_stored(const std::string& path, long long max_bytes,
                                     const std::function<void(const IdxHeader&)>& on_header, bool quote_content) {
  // Check the header (and what the caller makes of it) before reading and allocating for the whole file.
  const std::vector<uint8_t> prefix = read_file_prefix(path, kGzipPrefixBytes);
  if (prefix.empty()) throw input_error(path, "empty file (0 bytes)");
  const uint64_t size = regular_file_size(path);
  const bool gz = is_gzip(prefix.data(), prefix.size());
  if (gz && !gzip_header_ends_within(prefix.data(), prefix.size()))
    throw input_error(path, prefix.size() < kGzipPrefixBytes
                                ? std::string("the file ends inside its gzip header (truncated)")
                                : "the gzip header (its FEXTRA, FNAME and FCOMMENT fields) is longer than the limit "
                                  "of 1 MiB (" +
                                      std::to_string(kGzipPrefixBytes) + " bytes) read before the IDX header");
  const std::vector<uint8_t> head = gz ? gunzip(prefix.data(), prefix.size(), path, kMaxHeaderBytes, true) : prefix;
  const IdxHeader header = parse_idx_header(head.data(), head.size(), path, quote_content);
  const uint64_t expected = promised_bytes(header, path, max_bytes, quote_content);
  if (on_header) on_header(header);
  if (!gz && size > 0) check_idx_size(header, size, path, quote_content);
  // Deflate never grows data by more than a few bytes per 16 KiB block, so 1% + 64 KiB is generous; the gzip header
  // (FEXTRA, FNAME, FCOMMENT) may take up to the 1 MiB the prefix reads besides, and is not data.
  const uint64_t most_stored = expected + expected / 100 + (1 << 16) + kGzipPrefixBytes;
  if (gz && size > most_stored)
    throw input_error(path, "compressed file (" + std::to_string(size) + " bytes) is larger than the " +
                                (quote_content ? std::to_string(expected) + " bytes" : std::string("content")) +
                                " its header promises");
  // ...and never shrinks it more than 1032:1, so a small file promising much more is a bomb or a lie: refused
  // before inflating anything.
  if (gz && size > 0 && expected / 1032 > size + 1024)
    throw input_error(path, "a gzip file of " + std::to_string(size) + " bytes cannot hold the " +
                                (quote_content ? std::to_string(expected) + " bytes" : std::string("content")) +
                                " its header promises (deflate compresses at most 1032:1)");
  return read_whole_file(path, gz ? most_stored : expected);
}
}  // namespace

std::vector<uint8_t> read_idx_file(const std::string& path, long long max_bytes,
                                   const std::function<void(const IdxHeader&)>& on_header) {
  return decode_idx_bytes(read_idx_stored(path, max_bytes, on_header, true), path, max_bytes);
}

std::string find_idx_labels_file(const std::string& images_path) {
  namespace fs = std::filesystem;
  const fs::path path(images_path);
  std::string name = path.filename().string();
  bool replaced = false;
  for (const auto& [images, labels] : {std::pair<std::string, std::string>{"images-idx3", "labels-idx1"},
                                       std::pair<std::string, std::string>{"images.idx3", "labels.idx1"}}) {
    const size_t at = name.find(images);
    if (at != std::string::npos) {
      name.replace(at, images.size(), labels);
      replaced = true;
      break;
    }
  }
  if (!replaced) return "";
  const bool gz = name.size() > 3 && name.compare(name.size() - 3, 3, ".gz") == 0;
  const std::string other = gz ? name.substr(0, name.size() - 3) : name + ".gz";
  for (const std::string& candidate : {name, other}) {
    std::error_code error;
    const fs::path labels = path.parent_path() / candidate;
    if (fs::is_regular_file(labels, error)) return labels.string();
  }
  return "";
}

namespace {
bool is_emnist(const std::string& path) {
  std::string lower = file_name_of(path);
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  return lower.find("emnist") != std::string::npos;
}

// A catalog over decoded IDX bytes (kept alive by the caller).
ImageCatalog idx_catalog(const IdxImages& images, std::vector<int> labels, const std::string& source,
                         const std::string& file_name, bool transposed) {
  ImageCatalog catalog;
  catalog.source = source;
  catalog.format = transposed ? "IDX (EMNIST, transposed upright)" : "IDX";
  catalog.total = images.count;
  catalog.item_pixels = static_cast<long long>(images.rows) * images.cols;
  catalog.item_width = transposed ? images.rows : images.cols;
  catalog.item_height = transposed ? images.cols : images.rows;
  catalog.labels = std::move(labels);
  catalog.name_of = [file_name](int item) { return file_name + "#" + std::to_string(item); };
  catalog.fetch = [images, transposed](int item, ImageView& view, std::string&) {
    const uint8_t* pixels = images.pixels + static_cast<long long>(item) * images.rows * images.cols;
    if (transposed)  // stored[r][c] holds upright pixel (y = c, x = r)
      view = {pixels, images.rows, images.cols, 1, 0, 1, images.cols};
    else
      view = interleaved_view(pixels, images.cols, images.rows, 1);
    return true;
  };
  return catalog;
}
}  // namespace

namespace {
// The header of gzip IDX data, read from the stream itself (so a long gzip header is no problem).
IdxHeader read_streamed_header(GzipReader& reader, const std::string& name, bool quote_content) {
  uint8_t head[kMaxHeaderBytes];
  size_t got = reader.read(head, 4);
  if (got == 4 && head[0] == 0 && head[1] == 0) got += reader.read(head + 4, 4u * head[3]);
  return parse_idx_header(head, got, name, quote_content);
}

// A catalog over stored IDX bytes. Raw bytes: every image in place. gzip: the images are inflated one at a time as
// build_memory_set asks for them in ascending order (items not picked are inflated and dropped), so memory is one
// image whatever the header promises; the rest of the stream is then drained to check the promised size.
struct IdxSource {
  ImageCatalog catalog;
  std::function<void()> finish;  // checks the size of a streamed file after the load
};

IdxSource idx_source(const std::vector<uint8_t>& stored, const std::string& name, const LoadOptions& options,
                     const std::function<void(const IdxHeader&)>& on_header) {
  IdxSource source;
  const bool transposed = is_emnist(name);
  const bool quote = options.quote_content;
  if (!is_gzip(stored.data(), stored.size())) {
    const IdxImages images = parse_idx_images(stored.data(), stored.size(), name, options.max_image_pixels, quote);
    source.catalog = idx_catalog(images, {}, name, file_name_of(name), transposed);
    return source;
  }
  auto reader = std::make_shared<GzipReader>(stored.data(), stored.size(), name);
  const IdxHeader header = read_streamed_header(*reader, name, quote);
  check_images_header(header, name, options.max_image_pixels, quote);
  const uint64_t expected = promised_bytes(header, name, options.max_values, quote);
  if (on_header) on_header(header);
  IdxImages shape{static_cast<int>(header.dims[0]), static_cast<int>(header.dims[1]), static_cast<int>(header.dims[2]),
                  nullptr};
  source.catalog = idx_catalog(shape, {}, name, file_name_of(name), transposed);
  const size_t image_bytes = static_cast<size_t>(shape.rows) * shape.cols;
  auto image = std::make_shared<std::vector<uint8_t>>();
  auto next_item = std::make_shared<long long>(0);
  source.catalog.forward_only = true;
  source.catalog.fetch = [reader, image, next_item, shape, image_bytes, transposed, name, quote](
                             int item, ImageView& view, std::string&) {
    if (item < *next_item) throw input_error(name, "internal: streamed images fetched out of order");
    reader->skip(static_cast<uint64_t>(item - *next_item) * image_bytes);
    image->resize(image_bytes);
    if (reader->read(image->data(), image_bytes) != image_bytes)
      throw input_error(name, quote ? "the images stop at byte " + std::to_string(reader->produced()) + " of the " +
                                          std::to_string(static_cast<unsigned long long>(image_bytes) * shape.count) +
                                          " the header promises (truncated?)"
                                    : std::string("the images stop before the end the header promises (truncated?)"));
    *next_item = item + 1LL;
    if (transposed)
      view = {image->data(), shape.rows, shape.cols, 1, 0, 1, shape.cols};
    else
      view = interleaved_view(image->data(), shape.cols, shape.rows, 1);
    return true;
  };
  source.finish = [reader, expected, header, name, quote] {
    const uint64_t before = reader->produced();
    const uint64_t left = expected - std::min(expected, before);
    check_idx_size(header, before + reader->skip(left + 1), name,
                   quote);  // one byte more tells "too long" from "exact"
  };
  return source;
}

std::vector<int> read_labels_for(const std::string& labels_path, long long image_count, const std::string& images,
                                 long long max_bytes, bool quote_content) {
  // The labels file's header must agree with the images' count before a byte of it is inflated.
  const std::vector<uint8_t> bytes = read_idx_stored(
      labels_path, max_bytes,
      [&](const IdxHeader& header) {
        if (header.dims.size() == 1 && header.dims[0] != image_count)
          throw input_error(labels_path, quote_content ? "has " + std::to_string(header.dims[0]) + " labels but " +
                                                             images + " has " + std::to_string(image_count) + " images"
                                                       : "its IDX header's label count is not the images' count");
      },
      quote_content);
  const std::vector<uint8_t> content = decode_idx_bytes(bytes, labels_path, max_bytes, quote_content);
  return parse_idx_labels(content.data(), content.size(), labels_path, quote_content);
}
}  // namespace

MemorySet load_idx(const std::string& images_path, const LoadOptions& options, std::vector<std::string>* warnings,
                   const ProgressFn& progress, const std::string& source, const std::vector<std::string>& class_names) {
  report_progress(progress, 0.0);
  const auto check_fits = [&](const IdxHeader& header) {
    if (header.dims.size() != 3) return;
    const ImageShape shape = options.width > 0
                                 ? ImageShape{options.width, options.height, 1}
                                 : ImageShape{static_cast<int>(std::min<uint32_t>(header.dims[2], INT_MAX)),
                                              static_cast<int>(std::min<uint32_t>(header.dims[1], INT_MAX)), 1};
    if (options.check_fits) options.check_fits(planned_count(header.dims[0], options, shape.size()), shape);
    check_default_dim(options, shape, source);  // from the header, before anything is inflated
  };
  const std::vector<uint8_t> stored =
      read_idx_stored(images_path, options.max_values, check_fits, options.quote_content);
  IdxSource idx = idx_source(stored, images_path, options, check_fits);
  std::vector<int> labels;
  const std::string labels_path = find_idx_labels_file(images_path);
  if (!labels_path.empty())
    labels = read_labels_for(labels_path, idx.catalog.total, file_name_of(images_path), options.max_values,
                             options.quote_content);
  idx.catalog.labels = std::move(labels);
  idx.catalog.source = source;
  idx.catalog.class_names = class_names;
  MemorySet set = build_memory_set(idx.catalog, options, warnings, progress);
  if (idx.finish) idx.finish();
  return set;
}

MemorySet load_idx_from_memory(const uint8_t* data, size_t size, const std::string& name, const LoadOptions& options) {
  if (size == 0) throw input_error(name, "empty file (0 bytes)");
  const std::vector<uint8_t> stored(data, data + size);
  IdxSource idx = idx_source(stored, name, options, {});
  MemorySet set = build_memory_set(idx.catalog, options, nullptr, {});
  if (idx.finish) idx.finish();
  return set;
}
}  // namespace uhop
