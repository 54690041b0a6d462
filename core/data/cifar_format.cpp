#include "cifar_format.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <sstream>

#include "io/file_bytes.h"
#include "image_catalog.h"
#include "numerics/input_error.h"

namespace uhop {
namespace {
constexpr size_t kCifar10Record = 1 + kCifarPixelBytes;
constexpr size_t kCifar100Record = 2 + kCifarPixelBytes;

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
  return text;
}

enum class NameHint { none, cifar10, cifar100 };

NameHint name_hint(const std::string& path) {
  const std::string full = lower(path);
  const std::string file = lower(file_name_of(path));
  if (file == "train.bin" || file == "test.bin" || full.find("cifar-100") != std::string::npos ||
      full.find("cifar100") != std::string::npos)
    return NameHint::cifar100;
  if (file.find("data_batch") != std::string::npos || file.find("test_batch") != std::string::npos ||
      full.find("cifar-10") != std::string::npos || full.find("cifar10") != std::string::npos)
    return NameHint::cifar10;
  return NameHint::none;
}

const std::vector<std::string>& cifar10_class_names() {
  static const std::vector<std::string> names = {"airplane", "automobile", "bird",  "cat",  "deer",
                                                 "dog",      "frog",       "horse", "ship", "truck"};
  return names;
}

// One name per non-empty line, or empty when the file is absent, not a regular file, over 64 KiB or has the wrong
// number of lines.
std::vector<std::string> read_class_names(const std::filesystem::path& file, size_t expected) {
  std::vector<uint8_t> bytes;
  try {
    bytes = read_whole_file(file.string(), 1 << 16);
  } catch (const InputError&) {
    return {};
  }
  std::istringstream in(std::string(bytes.begin(), bytes.end()));
  std::vector<std::string> names;
  std::string line;
  while (std::getline(in, line)) {
    while (!line.empty() && std::isspace(static_cast<unsigned char>(line.back()))) line.pop_back();
    if (!line.empty()) names.push_back(line);
  }
  return names.size() == expected ? names : std::vector<std::string>{};
}

// records.data holds the items from first_item on (a partial read: only those are fetched).
ImageCatalog cifar_catalog(const CifarRecords& records, const std::string& source, const std::string& file_name,
                           long long first_item = 0) {
  ImageCatalog catalog;
  catalog.source = source;
  catalog.format = records.kind == CifarKind::cifar10 ? "CIFAR-10" : "CIFAR-100 (fine labels)";
  catalog.total = records.count;
  catalog.labels = records.labels;
  catalog.colour = true;
  catalog.item_pixels = kCifarSide * kCifarSide;
  catalog.item_width = catalog.item_height = kCifarSide;
  catalog.name_of = [file_name](int item) { return file_name + "#" + std::to_string(item); };
  catalog.fetch = [records_data = records.data, record_bytes = records.record_bytes, first_item](
                      int item, ImageView& view, std::string&) {
    const uint8_t* pixels =
        records_data + static_cast<size_t>(item - first_item) * record_bytes + (record_bytes - kCifarPixelBytes);
    view = planar_view(pixels, kCifarSide, kCifarSide, 3);
    return true;
  };
  return catalog;
}
}  // namespace

CifarKind cifar_kind(uint64_t size, const std::string& name) {
  if (size == 0) throw input_error(name, "empty file (0 bytes)");
  const bool fits10 = size % kCifar10Record == 0, fits100 = size % kCifar100Record == 0;
  const NameHint hint = name_hint(name);
  if (hint == NameHint::cifar100 && !fits100)
    throw input_error(name, "named like a CIFAR-100 batch but its " + std::to_string(size) +
                                " bytes are not a multiple of the 3074-byte record (truncated?)");
  if (hint == NameHint::cifar10 && !fits10)
    throw input_error(name, "named like a CIFAR-10 batch but its " + std::to_string(size) +
                                " bytes are not a multiple of the 3073-byte record (truncated?)");
  if (hint == NameHint::cifar100) return CifarKind::cifar100;
  if (hint == NameHint::cifar10) return CifarKind::cifar10;
  if (fits10 && fits100)
    throw input_error(name,
                      "size fits both CIFAR-10 and CIFAR-100 records; name it data_batch_*.bin (CIFAR-10) "
                      "or train.bin/test.bin (CIFAR-100)");
  if (fits10) return CifarKind::cifar10;
  if (fits100) return CifarKind::cifar100;
  throw input_error(name, "size " + std::to_string(size) +
                              " bytes is not a multiple of a CIFAR-10 record (3073 bytes) or a CIFAR-100 record "
                              "(3074 bytes) (truncated?)");
}

CifarRecords parse_cifar(const uint8_t* data, size_t size, const std::string& name) {
  return parse_cifar_as(cifar_kind(size, name), data, size, name);
}

CifarRecords parse_cifar_as(CifarKind kind, const uint8_t* data, size_t size, const std::string& name,
                            bool quote_content, long long first_record) {
  CifarRecords records;
  records.kind = kind;
  records.record_bytes = records.kind == CifarKind::cifar10 ? kCifar10Record : kCifar100Record;
  if (size / records.record_bytes > static_cast<size_t>(INT32_MAX)) throw input_error(name, "too many records");
  records.count = static_cast<int>(size / records.record_bytes);
  records.data = data;
  records.labels.resize(records.count);
  for (int i = 0; i < records.count; ++i) {
    const uint8_t* record = data + i * records.record_bytes;
    if (records.kind == CifarKind::cifar10) {
      if (record[0] > 9)
        throw input_error(name, "record " + std::to_string(first_record + i) + ": label " +
                                    (quote_content ? std::to_string(record[0]) + " " : std::string("byte ")) +
                                    "is not a CIFAR-10 class (0..9); not a CIFAR-10 batch?");
      records.labels[i] = record[0];
    } else {
      if (record[0] > 19 || record[1] > 99)
        throw input_error(name, "record " + std::to_string(first_record + i) + ": labels " +
                                    (quote_content ? std::to_string(record[0]) + "/" + std::to_string(record[1]) + " "
                                                   : std::string("bytes ")) +
                                    "are not CIFAR-100 classes (coarse 0..19, fine 0..99); not a CIFAR-100 file?");
      records.labels[i] = record[1];
    }
  }
  return records;
}

bool looks_like_cifar(const std::string& path) {
  const std::string file = lower(file_name_of(path));
  return (file.size() > 4 && file.compare(file.size() - 4, 4, ".bin") == 0) || name_hint(path) != NameHint::none;
}

MemorySet load_cifar(const std::string& path, const LoadOptions& options, std::vector<std::string>* warnings,
                     const ProgressFn& progress, const std::string& source) {
  report_progress(progress, 0.0);
  const uint64_t size = regular_file_size(path);
  const CifarKind kind = cifar_kind(size, path);  // size and name checks before reading
  const int channels = options.keep_rgb ? 3 : 1;
  const ImageShape shape = options.width > 0 ? ImageShape{options.width, options.height, channels}
                                             : ImageShape{kCifarSide, kCifarSide, channels};
  if (options.check_fits) {
    const long long records =
        static_cast<long long>(size / (kind == CifarKind::cifar10 ? kCifar10Record : kCifar100Record));
    options.check_fits(planned_count(records, options, shape.size()), shape);
  }
  const size_t record_bytes = kind == CifarKind::cifar10 ? kCifar10Record : kCifar100Record;
  const long long total = static_cast<long long>(size / record_bytes);
  // Picking the first records: read only those (a sparse 1 GB file is not read whole for --count 2). Other picks
  // need every label first, so they read the file whole (bounded by max_values as before).
  long long first = 0, taken = total;
  if (options.pick == Pick::first) {
    first = std::min<long long>(options.offset, total);
    taken = std::min<long long>(planned_count(total, options, shape.size()), total - first);
  }
  if (static_cast<unsigned long long>(taken) * record_bytes > static_cast<uint64_t>(options.max_values))
    throw input_error(path, "the records asked for are more than the " + std::to_string(options.max_values) +
                                " bytes this loader accepts");
  std::vector<uint8_t> bytes(static_cast<size_t>(taken) * record_bytes);
  {
    ReadableFile file(path);
    file.seek(static_cast<uint64_t>(first) * record_bytes);
    size_t got = 0;
    while (got < bytes.size()) {
      const size_t n = file.read_some(bytes.data() + got, bytes.size() - got);
      if (n == 0) throw input_error(path, "the file ended before the records asked for (truncated while read?)");
      got += n;
    }
  }
  if (bytes.empty()) throw input_error(path, "no records after offset " + std::to_string(options.offset));
  CifarRecords part = parse_cifar_as(kind, bytes.data(), bytes.size(), path, options.quote_content, first);
  CifarRecords records = part;  // the whole file's numbering: item i is record i, read ones are [first, first+taken)
  records.count = static_cast<int>(total);
  records.labels.assign(static_cast<size_t>(total), -1);
  std::copy(part.labels.begin(), part.labels.end(), records.labels.begin() + first);
  ImageCatalog catalog = cifar_catalog(records, source, file_name_of(path), first);
  const std::filesystem::path folder = std::filesystem::path(path).parent_path();
  if (records.kind == CifarKind::cifar10) {
    catalog.class_names = read_class_names(folder / "batches.meta.txt", 10);
    if (catalog.class_names.empty()) catalog.class_names = cifar10_class_names();
  } else {
    catalog.class_names = read_class_names(folder / "fine_label_names.txt", 100);
  }
  return build_memory_set(catalog, options, warnings, progress);
}

MemorySet load_cifar_from_memory(const uint8_t* data, size_t size, const std::string& name,
                                 const LoadOptions& options) {
  const CifarRecords records = parse_cifar_as(cifar_kind(size, name), data, size, name, options.quote_content);
  return build_memory_set(cifar_catalog(records, name, name), options, nullptr, {});
}
}  // namespace uhop
