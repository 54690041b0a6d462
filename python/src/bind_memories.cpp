// uhop.load_memories: every memory source the CLI takes (folders, images, CSV, .npy/.npz, IDX, CIFAR, built-in
// sets) with the CLI's memory flags as keyword arguments.
#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include "bindings.h"
#include "data/memory_sources.h"
#include "numerics/input_error.h"
#include "numerics/number_text.h"
#include "numpy_arrays.h"
#include "python_calls.h"

namespace uhop_python {
namespace {
// size: "WxH" (the CLI's --size) or a (width, height) pair.
void parse_size(const py::object& size, uhop::LoadOptions& o) {
  if (size.is_none()) return;
  if (py::isinstance<py::str>(size)) {
    const std::string text = size.cast<std::string>();
    const auto x = text.find('x');
    if (x == std::string::npos)
      throw uhop::InputError("size: expected 'WxH' (e.g. '28x28'), got " + uhop::quoted_excerpt(text));
    o.width = static_cast<int>(uhop::parse_whole_number(text.substr(0, x), 1, 4096, "size width"));
    o.height = static_cast<int>(uhop::parse_whole_number(text.substr(x + 1), 1, 4096, "size height"));
    return;
  }
  const auto pair = size.cast<std::pair<int, int>>();
  if (pair.first < 1 || pair.first > 4096 || pair.second < 1 || pair.second > 4096)
    throw py::value_error("size: width and height must be in 1..4096");
  o.width = pair.first, o.height = pair.second;
}

py::tuple load_memories(const std::string& src, const py::object& count, const std::string& pick,
                        const py::object& size, const std::string& normalize, int offset, uint64_t seed, bool rgb,
                        bool allow_large, const py::object& progress_callback) {
  uhop::LoadOptions o;
  if (allow_large) {  // the CLI's --allow-large: the file's own size, however large, and however many pixels
    o.default_max_dim = 0;
    o.max_decoded_pixels = 0;
  }
  if (!count.is_none()) {
    const long long n = count.cast<long long>();
    if (n < 1 || n > INT32_MAX) throw py::value_error("count must be >= 1 (or None for all)");
    o.count = static_cast<int>(n);
  }
  if (offset < 0) throw py::value_error("offset must be >= 0");
  o.offset = offset;
  o.pick = uhop::parse_pick(pick);
  o.seed = seed;
  o.keep_rgb = rgb;
  parse_size(size, o);
  o.normalization = uhop::parse_normalization(normalize);
  PythonProgress progress(progress_callback);
  std::vector<std::string> warnings;
  const uhop::MemorySet set =
      run_released(progress, [&] { return uhop::load_memories(src, o, &warnings, progress.fn()); });
  if (!warnings.empty()) {
    const py::object warn = py::module_::import("warnings").attr("warn");
    for (const std::string& w : warnings) warn(w, py::module_::import("builtins").attr("UserWarning"), 2);
  }
  bool any_label = false;
  for (int label : set.labels) any_label |= label >= 0;
  py::object labels = py::none();
  if (any_label) {
    py::array_t<long long> l(static_cast<py::ssize_t>(set.labels.size()));
    for (size_t i = 0; i < set.labels.size(); ++i) l.mutable_at(i) = set.labels[i];
    labels = l;
  }
  return py::make_tuple(to_numpy(set.patterns), labels);
}
}  // namespace

void bind_memories(py::module_& m) {
  m.def("load_memories", &load_memories, py::arg("src"), py::arg("count") = py::none(), py::kw_only(),
        py::arg("pick") = "first", py::arg("size") = py::none(), py::arg("normalize") = "none", py::arg("offset") = 0,
        py::arg("seed") = 0, py::arg("rgb") = false, py::arg("allow_large") = false, py::arg("progress") = py::none(),
        R"(Loads memories from SRC (a folder of images, an image, a .csv, a .npy, FILE.npz[:NAME], an IDX or CIFAR
file, builtin:glyphs, builtin:fashion-mnist[/test]) -> (X, labels): X float64 (M, d), labels int64 (M,) or None.
Options are the CLI's memory flags: count (M), pick ('first', 'random', 'per-class'), size ('WxH' or (w, h)),
normalize ('none', 'unit', 'center'), offset, seed (for random picks), rgb, allow_large (--allow-large: more than
3600 values per memory without a size, a folder of more than 2^30 pixels in all). Warnings become UserWarnings.)");
}
}  // namespace uhop_python
