// Dispatch from a SRC string to the loader for its format; CSV memories and the built-in sets.
#include "memory_sources.h"

#include <algorithm>
#include <cctype>
#include <filesystem>

#include "array_memories.h"
#include "builtin_glyphs.h"
#include "cifar_format.h"
#include "csv_matrix.h"
#include "io/file_bytes.h"
#include "idx_format.h"
#include "image_catalog.h"
#include "image_folder.h"
#include "image_preprocess.h"
#include "numerics/input_error.h"
#include "numerics/number_text.h"

namespace uhop {
namespace fs = std::filesystem;

std::vector<std::string> fashion_mnist_class_names() {
  return {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"};
}

namespace {
// A packed subset of the data set (the browser's, scripts/web.sh) keeps every label, so picks are those of the
// whole set, but only some images: the rest are zero. items.txt beside the files lists the items it holds, one
// index or range "A-B" per line. A pick that reaches an item not held is refused before anything is read.
void check_packed_subset(const std::string& folder, const std::string& labels_path, const LoadOptions& options,
                         const std::string& source) {
  const std::string list_path = (fs::path(folder) / "items.txt").string();
  std::error_code error;
  if (!fs::is_regular_file(list_path, error)) return;
  const std::vector<uint8_t> list_bytes = read_whole_file(list_path, 1 << 20);
  std::vector<std::pair<long long, long long>> held;  // inclusive ranges
  std::string text(list_bytes.begin(), list_bytes.end()), line;
  long long first_range_end = -1;
  for (size_t start = 0; start < text.size();) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    line = text.substr(start, end - start);
    start = end + 1;
    if (line.empty()) continue;
    const size_t dash = line.find('-');
    const long long a = parse_whole_number(line.substr(0, dash), 0, 1LL << 31, list_path);
    const long long b =
        dash == std::string::npos ? a : parse_whole_number(line.substr(dash + 1), a, 1LL << 31, list_path);
    if (held.empty()) first_range_end = b;
    held.emplace_back(a, b);
  }
  const std::vector<uint8_t> label_bytes = read_idx_file(labels_path, 1LL << 24);
  const std::vector<int> labels = parse_idx_labels(label_bytes.data(), label_bytes.size(), labels_path);
  const std::vector<int> order = pick_order(static_cast<int>(labels.size()), labels, options, source, nullptr);
  const long long n = std::min<long long>(planned_count(static_cast<long long>(labels.size()), options),
                                          static_cast<long long>(order.size()));
  for (long long k = 0; k < n; ++k) {
    const int item = order[static_cast<size_t>(k)];
    const bool ok =
        std::any_of(held.begin(), held.end(), [&](const auto& r) { return item >= r.first && item <= r.second; });
    if (!ok)
      throw InputError(source + ": item " + std::to_string(item) +
                       " is not in this build's subset of Fashion-MNIST (the first " +
                       std::to_string(first_range_end + 1) +
                       " training images and those the story and presets use): pick=first with a count up to " +
                       std::to_string(first_range_end + 1) + " loads from it; the desktop app has the whole set");
  }
}
}  // namespace

MemorySet load_builtin_fashion_mnist(const std::string& folder, bool test_split, const LoadOptions& options,
                                     std::vector<std::string>* warnings, const ProgressFn& progress) {
  const std::string split = test_split ? "t10k" : "train";
  const std::string images = (fs::path(folder) / (split + "-images-idx3-ubyte.gz")).string();
  const std::string labels = (fs::path(folder) / (split + "-labels-idx1-ubyte.gz")).string();
  std::error_code error;
  for (const std::string& file : {images, labels})
    if (!fs::is_regular_file(file, error))
      throw input_error(file,
                        "Fashion-MNIST is not installed: install it with 'apt install dataset-fashion-mnist' "
                        "or use builtin:glyphs");
  LoadOptions trusted = options;
  trusted.default_max_count = 0;  // the installed data set: all of it is what builtin:fashion-mnist means
  trusted.default_max_values = 0;
  trusted.default_max_dim = 0;
  check_packed_subset(folder, labels, trusted, test_split ? "builtin:fashion-mnist/test" : "builtin:fashion-mnist");
  return load_idx(images, trusted, warnings, progress,
                  test_split ? "builtin:fashion-mnist/test" : "builtin:fashion-mnist", fashion_mnist_class_names());
}

namespace {
std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
  return text;
}

bool ends_with(const std::string& text, const std::string& tail) {
  return text.size() >= tail.size() && text.compare(text.size() - tail.size(), tail.size(), tail) == 0;
}

// Content check for files whose name says nothing: does it start like an IDX file (raw or gzip)?
bool starts_like_idx(const std::string& path) {
  std::vector<uint8_t> head = read_file_prefix(path, 1 << 12);
  if (is_gzip(head.data(), head.size())) head = gunzip(head.data(), head.size(), path, 4, true);
  return head.size() >= 4 && head[0] == 0 && head[1] == 0 && head[2] >= 0x08 && head[2] <= 0x0E && head[3] > 0;
}
}  // namespace

MemorySet load_memories(const std::string& src, const LoadOptions& options, std::vector<std::string>* warnings,
                        const ProgressFn& progress) {
  if (src.empty()) throw InputError("no memory source given");
  const std::string builtin_prefix = "builtin:";
  if (src.rfind(builtin_prefix, 0) == 0) {
    const std::string name = src.substr(builtin_prefix.size());
    if (name == "glyphs") return load_builtin_glyphs(options, warnings, progress);
    if (name == "fashion-mnist" || name == "fashion-mnist/train")
      return load_builtin_fashion_mnist(kFashionMnistDir, false, options, warnings, progress);
    if (name == "fashion-mnist/test")
      return load_builtin_fashion_mnist(kFashionMnistDir, true, options, warnings, progress);
    throw input_error(src,
                      "unknown built-in set (known: builtin:glyphs, builtin:fashion-mnist, "
                      "builtin:fashion-mnist/test)");
  }
  // Before the file checks: "FILE.npz:NAME" is not a path.
  if (is_npy_source(src)) return load_npy_memories(src, options, warnings, progress);
  std::error_code error;
  const fs::file_status status = fs::status(src, error);
  if (status.type() == fs::file_type::not_found) throw input_error(src, "no such file or folder");
  if (status.type() == fs::file_type::directory) return load_image_folder(src, options, warnings, progress);
  // Opened and checked (a FIFO, a device such as /dev/zero, a socket are refused here, without blocking). Emptiness
  // is read, not taken from the reported size: /proc files report 0 bytes and are read like any other file.
  if (read_file_prefix(src, 1).empty()) throw input_error(src, "empty file (0 bytes)");

  const std::string file = lower(fs::path(src).filename().string());
  const std::string unzipped = ends_with(file, ".gz") ? file.substr(0, file.size() - 3) : file;
  if (ends_with(file, ".csv")) return load_csv_memories(src, options, warnings, progress);
  if (has_image_extension(file)) return load_image_file(src, options, warnings, progress);
  if (unzipped.find("idx") != std::string::npos) return load_idx(src, options, warnings, progress, src);
  if (looks_like_cifar(src)) return load_cifar(src, options, warnings, progress, src);
  if (starts_like_idx(src)) return load_idx(src, options, warnings, progress, src);
  throw input_error(
      src,
      "unrecognised format: expected a folder of images, an image, a .csv file, a NumPy .npy/.npz file, an "
      "IDX file (*-idx3-ubyte[.gz]), a CIFAR .bin batch, builtin:glyphs or builtin:fashion-mnist");
}

Pick parse_pick(const std::string& s) {
  if (s == "first") return Pick::first;
  if (s == "random") return Pick::random;
  if (s == "per-class") return Pick::per_class;
  throw InputError("unknown pick " + quoted_excerpt(s) + " (expected first, random or per-class)");
}

Normalization parse_normalization(const std::string& s) {
  if (s == "none") return Normalization::none;
  if (s == "unit") return Normalization::unit_norm;
  if (s == "center") return Normalization::centered;
  throw InputError("unknown normalization " + quoted_excerpt(s) + " (expected none, unit or center)");
}
}  // namespace uhop
