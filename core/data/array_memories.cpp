#include "array_memories.h"

#include <algorithm>
#include <cctype>
#include <climits>
#include <functional>
#include <memory>

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

// "(100, 784)"; with quote_content false the count is left out ("(M, 784)"): it is the file's content, while d is
// what the memories show anyway.
std::string shape_text(const std::vector<long long>& shape, bool quote_content = true) {
  std::string s = "(";
  for (size_t k = 0; k < shape.size(); ++k)
    s += (k ? ", " : "") + (k == 0 && !quote_content ? std::string("M") : std::to_string(shape[k]));
  return s + (shape.size() == 1 ? ",)" : ")");
}

// What the header says the memories will be, checked with the caller before the values are read.
ImageShape memory_shape(const NpyHeader& h, const LoadOptions& options, const std::string& name) {
  if (h.shape.size() != 2 && h.shape.size() != 3)
    throw input_error(name, "expected a 2-D array (M, d) or a 3-D array (M, H, W) of memories, got " +
                                (options.quote_content ? "shape " + shape_text(h.shape)
                                                       : std::to_string(h.shape.size()) + " dimensions"));
  if (h.shape[0] > INT32_MAX) throw input_error(name, "the array has more than 2^31 rows");
  if (h.shape.size() == 2) return {static_cast<int>(std::min<long long>(h.shape[1], INT32_MAX)), 1, 1};
  if (h.shape[1] > options.max_image_pixels || h.shape[2] > options.max_image_pixels ||
      h.shape[1] * h.shape[2] > options.max_image_pixels)
    throw input_error(
        name, (options.quote_content ? "images of " + std::to_string(h.shape[2]) + "x" + std::to_string(h.shape[1])
                                     : std::string("the array's images")) +
                  " are larger than the limit of " + std::to_string(options.max_image_pixels) + " pixels");
  return {static_cast<int>(h.shape[2]), static_cast<int>(h.shape[1]), 1};
}

// An .npz's 'labels' array beside the memories: read only as far as the load needs it.
struct LabelsEntry {
  ByteStream* values = nullptr;  // the entry, positioned at its start
  uint64_t stored_bytes = 0;     // what the archive declares for it
  std::string where;
  std::function<void()> check_if_whole;
  NpyHeader header;  // once open_labels read it
};

// The labels header checked against the memories (a 1-D integer array of M values, as long as the archive declares)
// before any value of it is inflated; all M labels read only when pick per-class needs them. False (and a warning)
// when the labels do not fit the memories.
bool open_labels(LabelsEntry& labels, long long count, const LoadOptions& options, std::vector<int>& all,
                 const std::string& name, std::vector<std::string>* warnings) {
  labels.header = read_npy_header(*labels.values, labels.where, whole_array_cap(options), options.quote_content);
  const NpyHeader& h = labels.header;
  check_npy_length(h, labels.stored_bytes, labels.where, options.quote_content);
  if (h.shape.size() != 1 || h.kind == 'f' || h.shape[0] != count) {
    if (warnings)
      warnings->push_back(name + ": the archive's 'labels' array " +
                          (options.quote_content ? "has shape " + shape_text(h.shape) + " and dtype " + h.descr +
                                                       " for " + std::to_string(count) + " memories"
                                                 : std::string("is not one integer per memory")) +
                          ": not used as their labels");
    return false;
  }
  if (options.pick == Pick::per_class) {  // every label decides the order
    std::vector<long long> every(static_cast<size_t>(count));
    for (long long i = 0; i < count; ++i) every[static_cast<size_t>(i)] = i;
    all = read_npy_ints(h, *labels.values, every, labels.where);
  }
  return true;
}

// One array read from `in` (positioned at the start of its .npy bytes, stored_bytes long as stored or declared):
// its header checked against every limit first, then only the rows the load takes are read, converted and kept.
MemorySet load_array(ByteStream& in, uint64_t stored_bytes, const std::string& where, const std::string& source,
                     const LoadOptions& options, LabelsEntry* labels, std::vector<std::string>* warnings) {
  const NpyHeader h = read_npy_header(in, where, whole_array_cap(options), options.quote_content);
  const ImageShape shape = memory_shape(h, options, where);
  const long long total = h.shape[0], d = shape.size();
  if (options.check_fits) options.check_fits(planned_count(total, options, d), shape);
  check_default_dim(options, shape, where, false);  // arrays are used as given: --size does not lift it
  check_npy_length(h, stored_bytes, where, options.quote_content);
  std::vector<int> all_labels;
  const bool labelled = labels && open_labels(*labels, total, options, all_labels, where, warnings);
  const std::vector<int> order =
      pick_order(static_cast<int>(total), all_labels, options, source, warnings, planned_count(total, options, d));
  warn_default_count(total, options, source, warnings, d);
  const int taken = static_cast<int>(std::min<long long>(planned_count(total, options, d), order.size()));
  if (options.check_fits) options.check_fits(taken, shape);
  // The rows in file order (a stream only moves forward), each with the place its pick gave it.
  std::vector<int> by_row(static_cast<size_t>(taken));
  for (int k = 0; k < taken; ++k) by_row[k] = k;
  std::sort(by_row.begin(), by_row.end(), [&](int a, int b) { return order[a] < order[b]; });
  std::vector<long long> rows(by_row.size());
  for (size_t k = 0; k < rows.size(); ++k) rows[k] = order[by_row[k]];
  MemorySet set;
  set.source = source;
  set.shape = shape;
  set.patterns.resize(taken, d);
  read_npy_rows(h, in, rows, by_row, set.patterns, where);
  set.labels.assign(static_cast<size_t>(taken), -1);
  if (labelled) {
    const std::vector<int> values =
        all_labels.empty() ? read_npy_ints(labels->header, *labels->values, rows, labels->where) : std::vector<int>();
    for (size_t k = 0; k < rows.size(); ++k)
      set.labels[by_row[k]] = all_labels.empty() ? values[k] : all_labels[rows[k]];
    if (labels->check_if_whole) labels->check_if_whole();
  }
  set.names.resize(static_cast<size_t>(taken));
  for (size_t k = 0; k < rows.size(); ++k) set.names[by_row[k]] = source + "#" + std::to_string(rows[k]);
  const bool pixels = h.kind == 'u' && h.item_bytes == 1;
  Vector row(d);
  for (int i = 0; i < taken; ++i) {
    row = set.patterns.row(i).transpose();
    if (pixels) row /= 255.0;
    normalize_row(row.data(), row.size(), options.normalization);
    set.patterns.row(i) = row.transpose();
  }
  set.preprocessing = "NumPy " + h.descr + " " + shape_text(h.shape, options.quote_content) +
                      (pixels ? ", uint8 scaled to [0,1]" : ", as given");
  if (options.normalization != Normalization::none)
    set.preprocessing += ", " + describe_normalization(options.normalization);
  set.preprocessing += "; " + std::to_string(taken) + " rows";
  if (taken != total || options.pick != Pick::first)
    set.preprocessing += " picked " + std::string(options.pick == Pick::random ? "random" : "first") +
                         (options.offset > 0 ? " from offset " + std::to_string(options.offset) : "");
  return set;
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
  // The member's name is the archive's content too. From an archive named inside another data file the memories'
  // source is the archive as named (it holds one array besides 'labels', so it names the same one), or ARCHIVE:NAME
  // when that name came with it; messages then name the member by its number, like list_npz_entries.
  const std::string source = options.quote_content || !array.empty() ? path + ":" + chosen->name : path;
  const std::string where =
      options.quote_content ? source : path + " (entry " + std::to_string(chosen - entries.data() + 1) + ")";
  // Both entries are streamed: what their directory declares is checked before a byte is inflated, and only the
  // rows (and labels) the load takes are inflated.
  NpzEntryStream values(data, size, *chosen, where, max_bytes, options.quote_content);
  std::unique_ptr<NpzEntryStream> label_values;
  LabelsEntry label_entry;
  if (labels) {
    label_entry.where = path + ":labels";
    label_values =
        std::make_unique<NpzEntryStream>(data, size, *labels, label_entry.where, max_bytes, options.quote_content);
    label_entry.values = label_values.get();
    label_entry.stored_bytes = labels->uncompressed_bytes;
    label_entry.check_if_whole = [&] { label_values->check_if_whole(); };
  }
  MemorySet set =
      load_array(values, chosen->uncompressed_bytes, where, source, options, labels ? &label_entry : nullptr, warnings);
  values.check_if_whole();
  return set;
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
    // The header first: a shape the caller cannot hold is refused before the values are read, and only the rows
    // taken are read (seeking past the others).
    FileByteStream in(path);
    set = load_array(in, in.reported_size(), path, path, options, nullptr, warnings);
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
  MemoryByteStream in(data, size);
  return load_array(in, size, name, name, options, nullptr, nullptr);
}
}  // namespace uhop
