// Loading memories from what users have: image folders, IDX (MNIST family, raw or .gz), CIFAR-10/100 binaries,
// CSV, and built-in sets. Everything is checked before it is allocated; bad input throws InputError naming the
// file and the problem.
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "numerics/memory_set.h"
#include "numerics/progress.h"

namespace uhop {
enum class Pick { first, random, per_class };
enum class Normalization { none, unit_norm, centered };  // applied after scaling pixels to [0,1]

// LoadOptions::default_max_dim: 60 x 60 gray (34 x 34 RGB) images.
constexpr long long kDefaultMaxDim = 60 * 60;

struct LoadOptions {
  int count = 0;   // M; 0 = all available (after offset)
  int offset = 0;  // skip this many items first
  Pick pick = Pick::first;
  uint64_t seed = 0;      // for Pick::random / per_class
  bool keep_rgb = false;  // false: colour images become grayscale (d = h*w); true: d = 3*h*w, channel-major
  int width = 0;          // resize every image to width x height; 0 = the first image's size
  int height = 0;
  Normalization normalization = Normalization::none;
  // Larger images are refused from their header, before any pixel is decoded: 8192 x 8192 (a 64-megapixel photo)
  // needs at most 192 MB decoded and 256 MB of float scratch per plane while it is resized.
  long long max_image_pixels = 8192LL * 8192;
  // Cap on M*d (and on the bytes of one IDX/CIFAR file), checked before allocating: 2^30 doubles = 8 GiB.
  long long max_values = 1LL << 30;
  // Cap on the values of a CSV memory file (every row is parsed before offset/count apply): 2^26 = 512 MB of doubles.
  long long max_csv_values = 1LL << 26;
  // count is an upper bound: when fewer memories are available (after offset, or readable), take them all and say so
  // in a warning (uhop demo's default of 100 on the 36 built-in glyphs; the Studio: a folder of 12 images with
  // M = 20 loads the 12). Otherwise asking for more than there are is an error (a script asked for M).
  bool count_at_most = false;
  // With count 0 (the user gave none), at most this many memories from a file source: a 46 KB gzip of 60,000 blank
  // images must not buy minutes of retrieval without the user asking for that size (docs/hostile-input.md). A
  // warning says the limit; an explicit count lifts it. 0 = no limit (the built-in sets).
  int default_max_count = 10000;
  // And at most this many values (M × d) then: the budget of 10,000 MNIST-size images (28 × 28), 63 MB of doubles
  // and about a minute of a Stage I step's M² d. 10,000 images of 76 × 76 from a 56 KB gzip bought 3.4 GB and 72 s;
  // this takes 1,357 of them (M² d 1.1e10). 0 = no limit.
  long long default_max_values = 10000LL * 28 * 28;
  // And at most this many values per memory (d) when d comes from the file itself (no width x height asked; arrays
  // and CSV always): Stage I's d x d W and its optimizer state grow as d². A 56 KB gzip of 76 x 76 images bought
  // 1.8 GB for one Stage I step; at 60 x 60 (with the M x d budget above) the step peaks at 0.87 GB, at 64 x 64 at
  // 1.04 GB (docs/hostile-input.md). Refused with a message naming the limit, --size WxH and --allow-large.
  // 0 = no limit (the built-in sets, --allow-large).
  long long default_max_dim = kDefaultMaxDim;
  // At most this many pixels decoded (as each image's header declares them) across the images of one folder load,
  // whoever named the folder: an image is decoded at its own size before it is resized, so 120 interlaced 1-bit
  // palette PNGs of 8192 x 8192, 8 KB each (994 KB in all), bought 374 s. Measured: 0.4-1.4 s per 8192² image
  // (175 M pixels/s 1-bit gray, 47 M interlaced palette), so 2^30 pixels (16 such images) is 6-23 s; 60,000 MNIST
  // images of 28 x 28 are 47 M. An image counts once its header passed the checks, before its pixels are decoded
  // (one that then fails is skipped, but counted). Past it the load is refused, naming --allow-large. 0 = no limit.
  long long max_decoded_pixels = 1LL << 30;
  // Provenance: true when the user named the source (command line, the Studio's path box), so messages may quote a
  // short excerpt of a bad token; false when the name came from inside another data file (a session's
  // memories.source): messages then say where and what kind of problem, never the content.
  bool quote_content = true;
  // Called as soon as a loader knows how many memories it will take and their shape (d = shape.size(); 0 when the
  // shape is not known yet, e.g. an image folder before its first image is decoded), before it reads the bulk of
  // the data or allocates for it. A caller that cannot hold the result throws InputError here: a Session does
  // (see with_session_limits in session/session.h), so 60000 memories or a 200x200 W are refused before loading.
  std::function<void(long long count, const ImageShape& shape)> check_fits;
};

// SRC forms: a directory; a .csv file; a NumPy .npy file, .npz archive or FILE.npz:NAME (array_memories.h); an IDX
// images file (*-idx3-ubyte[.gz]); a CIFAR .bin batch; builtin:fashion-mnist[/train|/test]; builtin:glyphs. Warnings
// (e.g. skipped unreadable files) are appended.
//
// How a file is recognised: .csv -> CSV; an image extension -> one image; "idx" in the name -> IDX (labels file
// next to it picked up: "images-idx3" -> "labels-idx1"); .bin or a CIFAR-like name -> CIFAR (see cifar_format.h);
// otherwise the content is sniffed for the IDX magic (raw or gzip). Order of operations for images: offset, pick,
// count (see pick_order in image_catalog.h), then per image: channels (luma or RGB), resize, scale to [0,1],
// normalization. keep_rgb gives 3 channels for colour sources (folders, CIFAR); IDX and glyphs stay gray.
// CSV rows are used as given (no scaling; size and RGB options do not apply), then normalized.
// Throws InputError "file: problem" for anything wrong with the input, Cancelled when progress says stop.
MemorySet load_memories(const std::string& src, const LoadOptions& options = {},
                        std::vector<std::string>* warnings = nullptr, const ProgressFn& progress = {});

// Where Debian's dataset-fashion-mnist package puts the files.
constexpr const char* kFashionMnistDir = "/usr/share/datasets/fashion-mnist";
// builtin:fashion-mnist from a given folder (train-* or t10k-* files); throws InputError pointing at the package
// or builtin:glyphs when the files are missing.
MemorySet load_builtin_fashion_mnist(const std::string& folder, bool test_split, const LoadOptions& options = {},
                                     std::vector<std::string>* warnings = nullptr, const ProgressFn& progress = {});
// T-shirt/top, Trouser, Pullover, Dress, Coat, Sandal, Shirt, Sneaker, Bag, Ankle boot.
std::vector<std::string> fashion_mnist_class_names();

// Parses "first|random|per-class" and "none|unit|center"; throws InputError on anything else.
Pick parse_pick(const std::string& s);
Normalization parse_normalization(const std::string& s);
}  // namespace uhop
