// uhop.sweep (the paper's retrieval-error sweeps, as `uhop sweep`: the merged.csv columns), uhop.landscape (the
// energy on a plane, as `uhop landscape`) and uhop.project (the feature map's PCA, as `uhop project`).
#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include "bindings.h"
#include "data/memory_sources.h"
#include "numerics/energy_landscape.h"
#include "numerics/feature_projection.h"
#include "numerics/input_error.h"
#include "numerics/real_settings.h"
#include "numpy_arrays.h"
#include "python_calls.h"
#include "session/session.h"
#include "session/sweep.h"
#include "session/sweep_presets.h"

namespace uhop_python {
namespace {
using uhop::Matrix;
using uhop::Vector;

// Keyword arguments of uhop.sweep -> SweepSettings, the CLI's flags in snake_case (preset first, the rest on top).
uhop::SweepSettings sweep_settings(const std::string& memories, const py::kwargs& kw) {
  const bool preset = kw.contains("preset") && !kw["preset"].is_none();
  uhop::SweepSettings s =
      preset ? uhop::sweep_preset(kw["preset"].cast<std::string>()) : uhop::default_sweep_settings();
  if (!memories.empty()) s.memories = memories;
  for (const auto& item : kw) {
    const std::string key = item.first.cast<std::string>();
    const py::handle v = item.second;
    if (key == "preset") continue;
    if (v.is_none()) continue;
    if (key == "vary")
      s.vary = uhop::parse_sweep_axis(v.cast<std::string>());
    else if (key == "values")
      s.values = v.cast<std::vector<double>>();
    else if (key == "methods")
      s.methods = v.cast<std::vector<std::string>>();
    else if (key == "seeds")
      s.seeds = v.cast<int>();
    else if (key == "first_seed")
      s.first_seed = v.cast<uint64_t>();
    else if (key == "stage1_steps")
      s.stage1_steps = v.cast<int>();
    else if (key == "lr")
      s.stage1.lr = v.cast<double>();
    else if (key == "init")
      s.stage1.init = uhop::parse_feature_init(v.cast<std::string>());
    else if (key == "schedule")
      s.stage1.schedule = uhop::parse_schedule(v.cast<std::string>());
    else if (key == "loss")
      s.stage1.loss = uhop::parse_loss_kind(v.cast<std::string>());
    else if (key == "t")
      s.stage1.t = v.cast<double>();
    else if (key == "train_count")
      uhop::set_sweep_train_count(s, std::string(py::str(v)));
    else if (key == "beta")
      s.beta = v.cast<double>();
    else if (key == "beta_after_sep")
      s.beta_after_sep = v.cast<bool>();
    else if (key == "steps")
      s.retrieval_steps = v.cast<int>();
    else if (key == "noise")
      s.noise = v.cast<std::string>();
    else if (key == "sigma")
      s.sigma = v.cast<double>();
    else if (key == "count")
      s.count = v.cast<int>();
    else if (key == "pick") {
      const std::string pick = v.cast<std::string>();
      if (pick != "random" && pick != "first") throw uhop::InputError("pick: the sweep takes random or first");
      s.random_subset = pick == "random";
    } else if (key == "offset")
      s.load.offset = v.cast<int>();
    else if (key == "rgb")
      s.load.keep_rgb = v.cast<bool>();
    else if (key == "allow_large") {  // the CLI's --allow-large: a file's own size beyond 3600 values, asked for
      const bool allow = v.cast<bool>();
      s.load.default_max_dim = allow ? 0 : uhop::LoadOptions().default_max_dim;
      s.load.max_decoded_pixels = allow ? 0 : uhop::LoadOptions().max_decoded_pixels;
    } else if (key == "normalize")
      s.load.normalization = uhop::parse_normalization(v.cast<std::string>());
    else if (key == "size") {
      const std::string text = py::str(v);
      const auto x = text.find('x');
      if (x == std::string::npos) throw uhop::InputError("size: expected 'WxH', got " + uhop::quoted_excerpt(text));
      s.load.width = std::stoi(text.substr(0, x));
      s.load.height = std::stoi(text.substr(x + 1));
    } else if (key != "progress")
      throw py::type_error("sweep() got an unexpected keyword argument " + uhop::quoted_excerpt(key));
  }
  if (s.seeds < 1 || s.seeds > 1000) throw py::value_error("seeds must be in 1..1000");
  if (s.retrieval_steps < 1) throw py::value_error("steps must be >= 1");
  return s;
}

py::dict sweep(const std::string& memories, const py::kwargs& kw) {
  const uhop::SweepSettings s = sweep_settings(memories, kw);
  const std::vector<uhop::SweepCell> cells = uhop::sweep_cells(s);  // validates before any work
  PythonProgress progress(kw.contains("progress") ? py::reinterpret_borrow<py::object>(kw["progress"]) : py::none());
  const std::vector<uhop::SweepCellResult> rows =
      run_released(progress, [&] { return uhop::run_sweep(s, {}, {}, progress.fn()); });
  py::list method, worst, missed;
  std::vector<double> m, sigma, seed, error, error_std, retrieved, d, loss;
  for (const auto& r : rows) {
    method.append(r.cell.method);
    m.push_back(r.cell.m), sigma.push_back(r.cell.sigma), seed.push_back(static_cast<double>(r.cell.seed));
    error.push_back(r.paper_error), error_std.push_back(r.paper_error_std), retrieved.push_back(r.retrieved);
    d.push_back(r.d), loss.push_back(r.stage1_loss);
    worst.append(r.worst_memory), missed.append(r.not_retrieved);
  }
  const py::object np = py::module_::import("numpy");
  py::dict out;
  out["method"] = np.attr("array")(method);
  out["M"] = np.attr("asarray")(to_numpy(m), "int64");
  out["sigma"] = to_numpy(sigma);
  out["seed"] = np.attr("asarray")(to_numpy(seed), "int64");
  out["paper_error"] = to_numpy(error);
  out["paper_error_std"] = to_numpy(error_std);
  out["retrieved"] = to_numpy(retrieved);
  out["d"] = np.attr("asarray")(to_numpy(d), "int64");
  out["stage1_loss"] = to_numpy(loss);
  out["worst_memory"] = np.attr("array")(worst);
  out["not_retrieved"] = np.attr("array")(missed);
  return out;
}

py::dict landscape(const py::handle& x, const py::handle& query, int target, int rival, const py::object& w,
                   double alpha, double beta, int grid, double lo, double hi, const py::object& progress_callback) {
  const Matrix memories = matrix_from(x, "X");
  const Vector q = vector_from(query, "query", memories.cols());
  const Matrix wm = w.is_none() ? Matrix() : matrix_from(w, "w", -1, memories.cols());
  if (grid < 2 || grid > 1024) throw py::value_error("grid must be in 2..1024");
  if (!(hi > lo)) throw py::value_error("hi must be > lo");
  uhop::SepSpec sep;
  sep.alpha = alpha;
  uhop::validate(sep);
  uhop::checked_real("beta", beta, "beta");  // the range every front end shares (core/numerics/real_settings.h)
  PythonProgress progress(progress_callback);
  py::dict out;
  const auto [a, energy_mhm, energy_kernel] = run_released(progress, [&] {
    const uhop::LandscapePlane plane = uhop::landscape_plane(memories, q, target, rival);
    const std::vector<double> axis = uhop::landscape_axis(grid, lo, hi);
    Matrix mhm = uhop::landscape_energy(plane, memories, Matrix(), sep, beta, axis, axis, nullptr, progress.fn(0, 0.5));
    Matrix kernel = wm.size() == 0 ? mhm
                                   : uhop::landscape_energy(plane, memories, wm, sep, beta, axis, axis, nullptr,
                                                            progress.fn(0.5, 0.5));
    return std::make_tuple(axis, mhm, kernel);
  });
  out["a"] = to_numpy(a);
  out["b"] = to_numpy(a);
  out["energy_mhm"] = to_numpy(energy_mhm);
  out["energy_kernel"] = to_numpy(energy_kernel);
  return out;
}

py::dict project(const py::handle& x, const py::object& w) {
  const Matrix memories = matrix_from(x, "X");
  if (memories.rows() < 2) throw py::value_error("project needs at least 2 memories");
  if (memories.rows() > uhop::kMaxGramMemories)
    throw py::value_error("project: M = " + std::to_string(memories.rows()) + " is more than " +
                          std::to_string(uhop::kMaxGramMemories) + " (it keeps M x M matrices)");
  const Matrix wm = w.is_none() ? Matrix() : matrix_from(w, "w", -1, memories.cols());
  PythonProgress progress;
  const uhop::FeatureMap2d map = run_released(progress, [&] {
    const Matrix features = wm.size() == 0 ? memories : Matrix(memories * wm.transpose());
    return uhop::feature_pca(features, nullptr, 2000);  // as `uhop project`
  });
  py::dict out;
  out["points"] = to_numpy(map.points);
  out["variance"] = to_numpy(map.variance);
  out["total_variance"] = map.total_variance;
  out["axes"] = to_numpy(map.axes);
  out["mean"] = to_numpy(map.mean);
  return out;
}
}  // namespace

void bind_views(py::module_& m) {
  m.def("sweep", &sweep, py::arg("memories") = "",
        R"(The paper's retrieval-error sweep, as `uhop sweep`, with its flags as keywords in snake_case (vary='M' or
'sigma', values, methods, seeds, first_seed, preset, stage1_steps, lr, init, schedule, loss, t, train_count, beta,
beta_after_sep, steps, noise, sigma, count, pick, offset, size, rgb, normalize, allow_large, progress). Returns the merged.csv
columns as arrays: method, M, sigma, seed, paper_error, paper_error_std, retrieved, d, stage1_loss, worst_memory,
not_retrieved (names: file names where the memories have them).)");
  m.def("landscape", &landscape, py::arg("X"), py::arg("query"), py::arg("target"), py::arg("rival"), py::kw_only(),
        py::arg("w") = py::none(), py::arg("alpha") = 1.0, py::arg("beta") = 1.0, py::arg("grid") = 41,
        py::arg("lo") = -0.25, py::arg("hi") = 1.25, py::arg("progress") = py::none(),
        R"(The energy on the plane q + a (xi_target - q) + b (xi_rival - q), as `uhop landscape`: a, b (grid,) and
energy_mhm, energy_kernel (grid, grid), row i = a_i. w None: W = I.)");
  m.def("project", &project, py::arg("X"), py::kw_only(), py::arg("w") = py::none(),
        R"(The normalized features W xi / ||W xi|| on their top two principal components, as `uhop project`:
points (M, 2), variance (2,), total_variance, axes (D, 2), mean (D,).)");
}
}  // namespace uhop_python
