#include "array_memories.h"

#include <algorithm>
#include <cctype>

#include "csv_matrix.h"
#include "image_catalog.h"
#include "image_preprocess.h"
#include "io/file_bytes.h"
#include "npy_format.h"
#include "npz_archive.h"
#include "numerics/input_error.h"

namespace uhop {
namespace {
std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
  return text;
}

// The cap on the values of an array read whole, and on the bytes of its file.
long long whole_array_cap(const LoadOptions& options) {
  return std::min(options.max_csv_values, options.max_values);
}

std::string shape_text(const std::vector<long long>& shape) {
  std::string s = "(";
  for (size_t k = 0; k < shape.size(); ++k) s += (k ? ", " : "") + std::to_string(shape[k]);
  return s + (shape.size() == 1 ? ",)" : ")");
}

// What the header says the memories will be, checked with the caller before the values are read.
ImageShape memory_shape(const NpyHeader& h, const LoadOptions& options, const std::string& name) {
  if (h.shape.size() != 2 && h.shape.size() != 3)
    throw input_error(
        name, "expected a 2-D array (M, d) or a 3-D array (M, H, W) of memories, got shape " + shape_text(h.shape));
  if (h.shape.size() == 2) return {static_cast<int>(std::min<long long>(h.shape[1], INT32_MAX)), 1, 1};
  if (h.shape[1] > options.max_image_pixels || h.shape[2] > options.max_image_pixels ||
      h.shape[1] * h.shape[2] > options.max_image_pixels)
    throw input_error(name, "images of " + std::to_string(h.shape[2]) + "x" + std::to_string(h.shape[1]) +
                                " are larger than allowed");
  return {static_cast<int>(h.shape[2]), static_cast<int>(h.shape[1]), 1};
}

// One array (a whole .npy file's bytes) as the set of all its memories, labels attached when given.
MemorySet array_memory_set(const std::vector<uint8_t>& bytes, const std::string& name, const std::string& source,
                           const LoadOptions& options, std::vector<int> labels, std::string& format,
                           std::vector<std::string>* warnings) {
  const NpyHeader h =
      parse_npy_header(bytes.data(), bytes.size(), name, whole_array_cap(options), options.quote_content);
  const ImageShape shape = memory_shape(h, options, name);
  if (options.check_fits) options.check_fits(planned_count(h.shape[0], options, shape.size()), shape);
  check_default_dim(options, shape, name, false);  // arrays are used as given: --size does not lift it
  MemorySet all = memory_set_from_matrix(npy_matrix(h, bytes.data(), bytes.size(), name), source);
  all.shape = shape;
  format = "NumPy " + h.descr + " " + shape_text(h.shape);
  if (h.kind == 'u' && h.item_bytes == 1) {
    all.patterns /= 255.0;
    format += ", uint8 scaled to [0,1]";
  } else {
    format += ", as given";
  }
  if (!labels.empty()) {
    if (static_cast<long long>(labels.size()) == all.count())
      all.labels = std::move(labels);
    else if (warnings)
      warnings->push_back(name + ": the archive's 'labels' array has " + std::to_string(labels.size()) +
                          " values for " + std::to_string(all.count()) + " memories: not used as their labels");
  }
  return all;
}

MemorySet npz_memories(const uint8_t* data, size_t size, const std::string& path, const std::string& array,
                       const LoadOptions& options, std::vector<std::string>* warnings) {
  const std::vector<NpzEntry> entries = list_npz_entries(data, size, path, options.quote_content);
  const NpzEntry* chosen = nullptr;
  const NpzEntry* labels = nullptr;
  std::string names;
  int candidates = 0;
  for (const NpzEntry& e : entries) {
    names += (names.empty() ? "" : ", ") + e.name;
    if (e.name == "labels" && array != "labels") {
      labels = &e;
    } else if (array.empty() || e.name == array) {
      if (!chosen) chosen = &e;
      ++candidates;
    }
  }
  // The member names are the archive's content: listed only from an archive the user named.
  const std::string listed =
      options.quote_content ? "arrays: " + text_excerpt(names, 200) : std::to_string(entries.size()) + " entries";
  if (array.empty() && candidates > 1)
    throw input_error(path, "holds several arrays (" + listed + "): name one as " + path + ":NAME");
  if (!chosen)
    throw input_error(path, (array.empty() ? std::string("holds no array") : "has no array " + quoted_excerpt(array)) +
                                " (" + listed + ")");
  const uint64_t max_bytes = kMaxNpyHeaderBytes + 12 + 8 * static_cast<uint64_t>(whole_array_cap(options));
  std::vector<int> label_values;
  if (labels) {
    const std::vector<uint8_t> bytes = npz_entry_bytes(data, size, *labels, path, max_bytes);
    const std::string where = path + ":labels";
    label_values = npy_int_vector(
        parse_npy_header(bytes.data(), bytes.size(), where, whole_array_cap(options), options.quote_content),
        bytes.data(), bytes.size(), where);
  }
  const std::string source = path + ":" + chosen->name;
  std::string format;
  const std::vector<uint8_t> bytes = npz_entry_bytes(data, size, *chosen, path, max_bytes);
  MemorySet all = array_memory_set(bytes, source, source, options, std::move(label_values), format, warnings);
  return take_memories(all, options, warnings, format);
}
}  // namespace

MemorySet take_memories(const MemorySet& all, const LoadOptions& options, std::vector<std::string>* warnings,
                        const std::string& format) {
  const std::string& path = all.source;
  const std::vector<int> order = pick_order(all.count(), all.labels, options, path, warnings);
  warn_default_count(all.count(), options, path, warnings, all.dim());
  const int taken = static_cast<int>(
      std::min<long long>(planned_count(all.count(), options, all.dim()), static_cast<long long>(order.size())));
  if (options.check_fits) options.check_fits(taken, all.shape);
  check_default_dim(options, all.shape.size() == all.dim() ? all.shape : ImageShape{static_cast<int>(all.dim()), 1, 1},
                    path, false);
  MemorySet set = all;
  set.patterns.resize(taken, all.dim());
  set.names.clear();
  set.labels.clear();
  Vector row(all.dim());
  for (int i = 0; i < taken; ++i) {
    row = all.patterns.row(order[i]).transpose();
    normalize_row(row.data(), row.size(), options.normalization);
    set.patterns.row(i) = row.transpose();
    set.names.push_back(all.names[order[i]]);
    set.labels.push_back(all.labels[order[i]]);
  }
  set.preprocessing = format;
  if (options.normalization != Normalization::none)
    set.preprocessing += ", " + describe_normalization(options.normalization);
  set.preprocessing += "; " + std::to_string(taken) + " rows";
  if (taken != all.count() || options.pick != Pick::first)
    set.preprocessing += " picked " + std::string(options.pick == Pick::random ? "random" : "first") +
                         (options.offset > 0 ? " from offset " + std::to_string(options.offset) : "");
  return set;
}

MemorySet load_csv_memories(const std::string& path, const LoadOptions& options, std::vector<std::string>* warnings,
                            const ProgressFn& progress) {
  report_progress(progress, 0.0);
  const MemorySet all = memory_set_from_matrix(
      read_csv_matrix(path, whole_array_cap(options), false, nullptr, options.quote_content), path);
  if (warnings && (options.width > 0 || options.height > 0 || options.keep_rgb))
    warnings->push_back(path + ": image size and RGB options do not apply to CSV memories (used as given)");
  MemorySet set = take_memories(all, options, warnings, "CSV: as given");
  report_progress(progress, 1.0);
  return set;
}

bool is_npy_source(const std::string& src) {
  const std::string file = lower(split_npz_source(src).first);
  const auto ends = [&](const char* tail) {
    const std::string t = tail;
    return file.size() >= t.size() && file.compare(file.size() - t.size(), t.size(), t) == 0;
  };
  return ends(".npy") || ends(".npz");
}

MemorySet load_npy_memories(const std::string& src, const LoadOptions& options, std::vector<std::string>* warnings,
                            const ProgressFn& progress) {
  report_progress(progress, 0.0);
  const auto [path, array] = split_npz_source(src);
  if (warnings && (options.width > 0 || options.height > 0 || options.keep_rgb))
    warnings->push_back(path + ": image size and RGB options do not apply to NumPy arrays (used as given)");
  const uint64_t cap = 8 * static_cast<uint64_t>(whole_array_cap(options));
  MemorySet set;
  if (has_npy_extension(path)) {
    if (!array.empty()) throw input_error(src, "only .npz archives hold named arrays");
    // The header first: a shape the caller cannot hold is refused before the values are read.
    const std::vector<uint8_t> head = read_file_prefix(path, kMaxNpyHeaderBytes + 12);
    const NpyHeader h =
        parse_npy_header(head.data(), head.size(), path, whole_array_cap(options), options.quote_content);
    if (options.check_fits)
      options.check_fits(
          planned_count(h.shape.empty() ? 0 : h.shape[0], options, memory_shape(h, options, path).size()),
          memory_shape(h, options, path));
    check_default_dim(options, memory_shape(h, options, path), path, false);
    const std::vector<uint8_t> bytes = read_whole_file(path, h.data_offset + h.data_bytes() + 1);
    std::string format;
    set = take_memories(array_memory_set(bytes, path, path, options, {}, format, warnings), options, warnings, format);
  } else {
    const std::vector<uint8_t> bytes = read_whole_file(path, cap + (1 << 20));
    set = npz_memories(bytes.data(), bytes.size(), path, array, options, warnings);
  }
  report_progress(progress, 1.0);
  return set;
}

MemorySet load_npy_memories_from_memory(const uint8_t* data, size_t size, const std::string& name,
                                        const std::string& array, const LoadOptions& options) {
  if (is_zip(data, size)) return npz_memories(data, size, name, array, options, nullptr);
  std::string format;
  const std::vector<uint8_t> bytes(data, data + size);
  return take_memories(array_memory_set(bytes, name, name, options, {}, format, nullptr), options, nullptr, format);
}
}  // namespace uhop
