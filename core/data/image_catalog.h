// What every image source looks like to the loader before any pixel is converted: how many items, their labels
// and names, and a way to fetch one item's pixels. pick_order and build_memory_set then do offset/count/pick,
// sizing, conversion and bookkeeping once for all formats.
#pragma once
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include "image_preprocess.h"
#include "memory_sources.h"

namespace uhop {
struct ImageCatalog {
  std::string source;                    // the SRC string, for MemorySet::source and messages
  std::string format;                    // "IDX", "CIFAR-10", ..., first words of MemorySet::preprocessing
  int total = 0;                         // items available
  std::vector<int> labels;               // per item, -1 unknown; empty = all unknown
  std::vector<std::string> class_names;  // label -> name, may be empty
  bool colour = false;                   // items may have colour (then keep_rgb gives 3 channels)
  std::function<std::string(int item)> name_of;
  // Sets view to item's pixels (valid until the next call) or returns false with problem set when the item
  // cannot be read (it is then skipped with a warning). Throws InputError for problems that must stop the load.
  std::function<bool(int item, ImageView& view, std::string& problem)> fetch;
  // fetch moves forward only (a gzip stream: one image in memory at a time, each resized as it arrives):
  // build_memory_set then fetches the picked items in ascending order and puts the rows in pick order after.
  // Such a catalog must never skip an item (fetch throws instead of returning false).
  bool forward_only = false;
  // Pixels per item when every item has one size known before any is fetched (IDX, CIFAR), else 0: the default
  // count's M × d budget (LoadOptions::default_max_values) is then applied before the first fetch.
  long long item_pixels = 0;
  int item_width = 0, item_height = 0;  // ... and their width and height (item_pixels = width x height)
};

// The order in which items are taken: items [offset, total) ordered by pick. first: file order; random: a seeded
// Fisher-Yates shuffle; per_class: each class's items shuffled with the seed, then round-robin over classes in
// ascending label order (unlabelled items last). Throws InputError when offset or count is out of range.
// per_class without any labels falls back to random with a warning. At most `most` items are returned (their order
// unchanged): with pick first only those are ever listed.
std::vector<int> pick_order(int total, const std::vector<int>& labels, const LoadOptions& options,
                            const std::string& source, std::vector<std::string>* warnings,
                            long long most = std::numeric_limits<long long>::max());

// How many memories a load of total items of dim values each will take (options.count, or all after the offset up
// to options.default_max_count and options.default_max_values / dim; dim 0 = not known yet; with count_at_most at
// most what there is): what LoadOptions::check_fits is asked about before the bulk of a file is read.
long long planned_count(long long total, const LoadOptions& options, long long dim = 0);

// Throws InputError when memories of `shape` (d = shape.size() values) took their size from the file (the caller
// asked for no width x height, or the source ignores it: resizable false for arrays and CSV) and d is more than
// options.default_max_dim. The message names d, the limit and what lifts it (--size WxH when resizable,
// --allow-large).
void check_default_dim(const LoadOptions& options, const ImageShape& shape, const std::string& source,
                       bool resizable = true);

// The warning when the default count's limits cut a load that gave no count (says the limit and how to lift it).
void warn_default_count(long long total, const LoadOptions& options, const std::string& source,
                        std::vector<std::string>* warnings, long long dim = 0);

// Fetches items in pick order until options.count (0 = all) are read, converting each to a row. The target size is
// options.width x options.height or the first read image's size. Unreadable items are skipped and listed in one
// warning; if none is readable, or fewer than an explicit count, it throws.
MemorySet build_memory_set(const ImageCatalog& catalog, const LoadOptions& options, std::vector<std::string>* warnings,
                           const ProgressFn& progress);

// Builds "file#index" style names; "a/b/train.bin" -> "train.bin".
std::string file_name_of(const std::string& path);
}  // namespace uhop
