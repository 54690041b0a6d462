#include "image_catalog.h"

#include <algorithm>
#include <climits>
#include <cmath>
#include <filesystem>
#include <map>
#include <memory>

#include "io/file_bytes.h"
#include "numerics/input_error.h"
#include "numerics/rng.h"

namespace uhop {
std::string file_name_of(const std::string& path) {
  return std::filesystem::path(path).filename().string();
}

namespace {
void shuffle_with(std::vector<int>& items, Rng& rng) {
  // Fisher-Yates: every permutation equally likely, same sequence for the same seed on every platform.
  for (size_t i = items.size(); i > 1; --i) std::swap(items[i - 1], items[rng.below(i)]);
}

bool has_labels(const std::vector<int>& labels) {
  return std::any_of(labels.begin(), labels.end(), [](int label) { return label >= 0; });
}

std::string size_text(int width, int height) {
  return std::to_string(width) + "x" + std::to_string(height);
}

const char* pick_name(Pick pick) {
  switch (pick) {
    case Pick::random:
      return "random";
    case Pick::per_class:
      return "per-class";
    case Pick::first:
      break;
  }
  return "first";
}

// Stages rows in a row-major block and copies it into the column-major matrix when full: filling a column-major
// matrix one row at a time would stride by M doubles per value.
struct RowBlockWriter {
  Matrix& patterns;
  RowMatrix block;
  Eigen::Index next_row = 0;  // first matrix row of the block
  Eigen::Index filled = 0;
  RowBlockWriter(Matrix& target, Eigen::Index block_rows) : patterns(target), block(block_rows, target.cols()) {}
  double* next() {
    if (filled == block.rows()) flush();
    return block.row(filled++).data();
  }
  void flush() {
    if (filled == 0) return;
    patterns.middleRows(next_row, filled) = block.topRows(filled);
    next_row += filled;
    filled = 0;
  }
};
}  // namespace

std::vector<int> pick_order(int total, const std::vector<int>& labels, const LoadOptions& options,
                            const std::string& source, std::vector<std::string>* warnings, long long most) {
  if (options.offset < 0) throw input_error(source, "offset must be >= 0, got " + std::to_string(options.offset));
  if (options.count < 0) throw input_error(source, "count must be >= 0, got " + std::to_string(options.count));
  if (total <= 0) throw input_error(source, "contains no items");
  // How many items there are is the file's content: said only for a source the user named.
  const auto there_are = [&](long long n) { return options.quote_content ? std::to_string(n) : std::string("fewer"); };
  if (options.offset >= total)
    throw input_error(source, "offset " + std::to_string(options.offset) + " is past the end: there are " +
                                  (options.quote_content ? "only " + std::to_string(total) : "fewer") + " items");
  const int available = total - options.offset;
  if (options.count > available && options.count_at_most) {
    if (warnings)
      warnings->push_back(source + ": asked for up to " + std::to_string(options.count) + " memories, there are " +
                          there_are(available) + ": taking all" +
                          (options.quote_content ? " " + there_are(available) : std::string(" of them")));
  } else if (options.count > available)
    throw input_error(source, "asked for " + std::to_string(options.count) + " memories but there are " +
                                  (options.quote_content ? "only " + std::to_string(available) : "fewer") +
                                  (options.offset > 0 ? " after offset " + std::to_string(options.offset) : ""));
  Pick pick = options.pick;
  if (pick == Pick::first) {  // no more than asked for: a header's count is never a vector of that size here
    std::vector<int> order(static_cast<size_t>(std::min<long long>(available, std::max(0LL, most))));
    for (size_t i = 0; i < order.size(); ++i) order[i] = options.offset + static_cast<int>(i);
    return order;
  }
  std::vector<int> order(available);
  for (int i = 0; i < available; ++i) order[i] = options.offset + i;
  if (pick == Pick::per_class && !has_labels(labels)) {
    if (warnings) warnings->push_back(source + ": no labels, so pick per-class picks at random instead");
    pick = Pick::random;
  }
  Rng rng(options.seed);
  if (pick == Pick::random) shuffle_with(order, rng);
  if (pick == Pick::per_class) {
    std::map<int, std::vector<int>> by_class;  // ascending label order; unlabelled (-1) moved last below
    std::vector<int> unlabelled;
    for (int item : order) (labels[item] >= 0 ? by_class[labels[item]] : unlabelled).push_back(item);
    std::vector<std::vector<int>> classes;
    for (auto& entry : by_class) classes.push_back(std::move(entry.second));
    if (!unlabelled.empty()) classes.push_back(std::move(unlabelled));
    for (auto& members : classes) shuffle_with(members, rng);
    order.clear();
    for (size_t round = 0; order.size() < static_cast<size_t>(available); ++round)
      for (const auto& members : classes)
        if (round < members.size()) order.push_back(members[round]);
  }
  if (most >= 0 && order.size() > static_cast<size_t>(most)) order.resize(static_cast<size_t>(most));
  return order;
}

namespace {
// Row k (fetched k-th) moves to row row_of[k], following each cycle of the permutation with one spare row.
void put_rows_in_pick_order(MemorySet& set, const std::vector<int>& row_of) {
  const size_t n = row_of.size();
  std::vector<char> placed(n, 0);
  for (size_t start = 0; start < n; ++start) {
    if (placed[start]) continue;
    Vector moving = set.patterns.row(static_cast<Eigen::Index>(start)).transpose();
    size_t k = start;
    while (!placed[k]) {
      const size_t to = static_cast<size_t>(row_of[k]);
      Vector displaced = set.patterns.row(static_cast<Eigen::Index>(to)).transpose();
      set.patterns.row(static_cast<Eigen::Index>(to)) = moving.transpose();
      placed[k] = 1;
      moving = std::move(displaced);
      k = to;
    }
  }
  std::vector<std::string> names(n);
  std::vector<int> labels(n);
  for (size_t k = 0; k < n; ++k) {
    names[static_cast<size_t>(row_of[k])] = std::move(set.names[k]);
    labels[static_cast<size_t>(row_of[k])] = set.labels[k];
  }
  set.names = std::move(names);
  set.labels = std::move(labels);
}
}  // namespace

namespace {
// The most memories a load without a count takes: default_max_count, and default_max_values / dim (at least 1).
long long default_count_cap(const LoadOptions& options, long long dim) {
  long long cap = options.default_max_count > 0 ? options.default_max_count : LLONG_MAX;
  if (options.default_max_values > 0 && dim > 0) cap = std::min(cap, std::max(1LL, options.default_max_values / dim));
  return cap;
}
}  // namespace

void check_default_dim(const LoadOptions& options, const ImageShape& shape, const std::string& source, bool resizable) {
  const long long d = shape.size();
  if (options.default_max_dim <= 0 || d <= options.default_max_dim || (resizable && options.width > 0)) return;
  const int side =
      static_cast<int>(std::sqrt(static_cast<double>(options.default_max_dim / std::max(1, shape.channels))));
  // The size comes from the file: said only for a source the user named.
  const std::string what = !options.quote_content ? std::string("the memories have more values each (d)")
                           : shape.height > 1     ? "images of " + size_text(shape.width, shape.height) +
                                                    (shape.channels == 3 ? " RGB" : "") +
                                                    " give d = " + std::to_string(d) + " values per memory"
                                              : "d = " + std::to_string(d) + " values per memory";
  // A file's own size is not the user asking for it: Stage I's d x d W grows as d² (LoadOptions::default_max_dim).
  throw LargeRequestError(
      (source.empty() ? "" : source + ": ") + what + ", more than a file gives without asking for that size (at most " +
      std::to_string(options.default_max_dim) + " values" +
      (resizable ? ", e.g. " + size_text(side, side) + (shape.channels == 3 ? " RGB" : "") : std::string()) +
      ": Stage I's d x d W grows as d^2): " +
      (resizable ? "resize them with --size WxH, or take them as they are with --allow-large"
                 : "take them as they are with --allow-large"));
}

void warn_default_count(long long total, const LoadOptions& options, const std::string& source,
                        std::vector<std::string>* warnings, long long dim) {
  const long long available = std::max(0LL, total - options.offset), cap = default_count_cap(options, dim);
  if (options.count > 0 || available <= cap || !warnings) return;
  const bool by_values = options.default_max_count <= 0 || cap < options.default_max_count;
  // The number of items is the file's content: said only for a source the user named.
  warnings->push_back(source + ": holds " + (options.quote_content ? std::to_string(available) : "more") +
                      " items; without a count at most " + std::to_string(cap) + " are used" +
                      (by_values ? " (" + std::to_string(dim) + " values each, at most " +
                                       std::to_string(options.default_max_values) + " values in all)"
                                 : std::string()) +
                      (options.quote_content ? " (ask for more with --count " + std::to_string(available) + ")"
                                             : std::string(" (ask for more with a count)")));
}

long long planned_count(long long total, const LoadOptions& options, long long dim) {
  const long long available = std::max(0LL, total - options.offset);
  if (options.count <= 0) return std::min(available, default_count_cap(options, dim));
  return options.count_at_most ? std::min<long long>(options.count, available) : options.count;
}

MemorySet build_memory_set(const ImageCatalog& catalog, const LoadOptions& options, std::vector<std::string>* warnings,
                           const ProgressFn& progress) {
  const std::string& source = catalog.source;
  if (options.width < 0 || options.height < 0 || (options.width == 0) != (options.height == 0))
    throw input_error(source, "image size must give both width and height > 0 (got " +
                                  size_text(options.width, options.height) + ")");
  if (static_cast<long long>(options.width) * options.height > options.max_image_pixels)
    throw input_error(
        source, "target size " + size_text(options.width, options.height) + " is larger than the image pixel limit");
  const int channels = options.keep_rgb && catalog.colour ? 3 : 1;
  const long long known_dim = options.width > 0 ? static_cast<long long>(options.width) * options.height * channels
                                                : catalog.item_pixels * channels;
  int wanted = static_cast<int>(planned_count(catalog.total, options, known_dim));
  if (options.check_fits)  // what the caller can hold, before anything else about the request
    options.check_fits(wanted, options.width > 0 ? ImageShape{options.width, options.height,
                                                              options.keep_rgb && catalog.colour ? 3 : 1}
                                                 : ImageShape{0, 0, 1});
  if (catalog.item_pixels > 0)  // every item's size is known from the header: refused before the first fetch
    check_default_dim(options, ImageShape{catalog.item_width, catalog.item_height, channels}, source);
  std::vector<int> order = pick_order(catalog.total, catalog.labels, options, source, warnings);
  if (known_dim > 0) warn_default_count(catalog.total, options, source, warnings, known_dim);
  std::vector<int> row_of;  // forward_only: the row (pick position) of the k-th item fetched
  if (catalog.forward_only) {
    order.resize(std::min<size_t>(order.size(), static_cast<size_t>(wanted)));
    std::vector<int> by_item(order.size());
    for (size_t k = 0; k < by_item.size(); ++k) by_item[k] = static_cast<int>(k);
    std::sort(by_item.begin(), by_item.end(), [&](int a, int b) { return order[a] < order[b]; });
    std::vector<int> ascending(order.size());
    for (size_t k = 0; k < by_item.size(); ++k) ascending[k] = order[by_item[k]];
    row_of = std::move(by_item);
    order = std::move(ascending);
  }

  MemorySet set;
  set.source = source;
  set.class_names = catalog.class_names;
  TargetFormat target;
  target.channels = options.keep_rgb && catalog.colour ? 3 : 1;
  target.normalization = options.normalization;
  std::unique_ptr<RowBlockWriter> writer;
  std::vector<float> scratch;
  std::vector<std::string> skipped;
  std::map<std::pair<int, int>, int> source_sizes;  // (width, height) -> images of that size, for the record
  int taken = 0;
  size_t tried = 0;
  // In messages: an item's name (a folder's entry names are its content), or with quote_content false its number
  // ("item 3": the third in the source's order, e.g. a folder's name order).
  const auto message_name = [&](int item) {
    return options.quote_content ? catalog.name_of(item) : "item " + std::to_string(item + 1);
  };
  for (; tried < order.size() && taken < wanted; ++tried) {
    const int item = order[tried];
    ImageView view;
    std::string problem;
    if (!catalog.fetch(item, view, problem)) {
      if (catalog.forward_only) throw input_error(catalog.name_of(item), problem);
      skipped.push_back(message_name(item) + " (" + problem + ")");
      continue;
    }
    if (!writer) {
      // The first readable image fixes the shape unless the caller gave one.
      target.width = options.width > 0 ? options.width : view.width;
      target.height = options.height > 0 ? options.height : view.height;
      if (known_dim == 0) {  // the first image told d: the default count's M × d budget applies now
        wanted = static_cast<int>(std::min<long long>(wanted, planned_count(catalog.total, options, target.dim())));
        warn_default_count(catalog.total, options, source, warnings, target.dim());
      }
      if (options.check_fits) options.check_fits(wanted, ImageShape{target.width, target.height, target.channels});
      check_default_dim(options, ImageShape{target.width, target.height, target.channels}, source);
      const long long values = static_cast<long long>(wanted) * target.dim();
      if (values > options.max_values)
        throw input_error(source, std::to_string(wanted) + " memories of " + std::to_string(target.dim()) +
                                      " values need " + std::to_string(values / (1 << 20)) +
                                      " Mi values, more than the limit of " +
                                      std::to_string(options.max_values / (1 << 20)) +
                                      " Mi: ask for fewer (count) or a smaller size");
      set.patterns.resize(wanted, target.dim());
      advise_huge_pages(set.patterns.data(), sizeof(double) * set.patterns.size());
      writer = std::make_unique<RowBlockWriter>(set.patterns, std::min(wanted, 256));
    }
    image_to_row(view, target, writer->next(), scratch);
    set.names.push_back(catalog.name_of(item));
    set.labels.push_back(catalog.labels.empty() ? -1 : catalog.labels[item]);
    ++source_sizes[{view.width, view.height}];
    ++taken;
    if (taken % 64 == 0) report_progress(progress, static_cast<double>(taken) / wanted);
  }
  if (taken == 0)
    throw input_error(source, "none of the " + std::to_string(tried) + " images could be read, e.g. " +
                                  (skipped.empty() ? std::string("?") : skipped.front()));
  if (!skipped.empty() && warnings) {
    std::string list;
    for (size_t i = 0; i < skipped.size() && i < 20; ++i) list += (i ? ", " : "") + skipped[i];
    if (skipped.size() > 20) list += " and " + std::to_string(skipped.size() - 20) + " more";
    warnings->push_back(source + ": skipped " + std::to_string(skipped.size()) + " unreadable file" +
                        (skipped.size() > 1 ? "s: " : ": ") + list);
  }
  if (taken < wanted) {
    const std::string readable = "asked for " + std::to_string(options.count) + " memories but only " +
                                 std::to_string(taken) + " images are readable";
    if (options.count > 0 && !options.count_at_most) throw input_error(source, readable);
    if (options.count > 0 && warnings)
      warnings->push_back(source + ": " + readable + ": loaded " + std::to_string(taken));
    writer->flush();
    set.patterns.conservativeResize(taken, Eigen::NoChange);
  }
  writer->flush();
  if (catalog.forward_only) put_rows_in_pick_order(set, row_of);
  set.shape = {target.width, target.height, target.channels};

  // The record: format, channels, size (and how it was reached), scaling, normalization, which items.
  std::string record = catalog.format + ": ";
  if (target.channels == 3)
    record += "RGB (C,H,W)";
  else
    record += catalog.colour ? "gray (luma 0.299R+0.587G+0.114B)" : "gray";
  int resized = 0;
  bool shrunk = false, enlarged = false;
  for (const auto& [size, n] : source_sizes) {
    if (size.first == target.width && size.second == target.height) continue;
    resized += n;
    shrunk = shrunk || size.first > target.width || size.second > target.height;
    enlarged = enlarged || size.first < target.width || size.second < target.height;
  }
  const std::string filter = shrunk && enlarged ? "box when shrinking, bilinear when enlarging"
                             : shrunk           ? "box"
                                                : "bilinear";
  const std::string target_text = size_text(target.width, target.height);
  if (resized == 0)
    record += ", " + target_text;
  else if (source_sizes.size() == 1)
    record += ", resized " + size_text(source_sizes.begin()->first.first, source_sizes.begin()->first.second) + "->" +
              target_text + " (" + filter + ")";
  else
    record += ", resized " + std::to_string(resized) + " of " + std::to_string(taken) + " images to " + target_text +
              " (" + filter + ")";
  record += ", scaled to [0,1]";
  if (options.normalization != Normalization::none) record += ", " + describe_normalization(options.normalization);
  record += "; " + std::to_string(taken) + " picked " + pick_name(options.pick);
  if (options.pick != Pick::first) record += " (seed " + std::to_string(options.seed) + ")";
  if (options.offset > 0) record += " from offset " + std::to_string(options.offset);
  set.preprocessing = record;
  report_progress(progress, 1.0);
  return set;
}
}  // namespace uhop
