// uhop.Session: Stage I over NumPy memories, the same Session the CLI's `uhop stage1` and the Studio drive, so the
// log and W are the CLI's numbers (tested in python/tests/test_against_cli.py).
#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <memory>

#include "bindings.h"
#include "numerics/corruption.h"
#include "numerics/input_error.h"
#include "numpy_arrays.h"
#include "python_calls.h"
#include "session/run_logs.h"
#include "session/session.h"

namespace uhop_python {
namespace {
using uhop::Matrix;

// Columns of a run log as a dict of arrays: step (and nearest) int64, the rest float64 with NaN for empty cells.
py::dict columns_dict(const uhop::LogColumns& c) {
  py::dict out;
  for (size_t k = 0; k < c.names.size(); ++k) {
    if (c.names[k] == "step" || c.names[k] == "nearest") {
      py::array_t<long long> a(static_cast<py::ssize_t>(c.values[k].size()));
      for (size_t i = 0; i < c.values[k].size(); ++i) a.mutable_at(i) = static_cast<long long>(c.values[k][i]);
      out[py::str(c.names[k])] = a;
    } else {
      out[py::str(c.names[k])] = to_numpy(c.values[k]);
    }
  }
  return out;
}

class PySession {
 public:
  PySession(const py::handle& x, const py::handle& init, const py::object& dim, double lr, const std::string& schedule,
            const std::string& optimizer, const std::string& loss, double t, uint64_t seed,
            const std::string& precision, int batch, int train_count, int stats_every, bool normalize_rows,
            const py::object& probe, uint64_t probe_seed, int probe_steps, double probe_beta,
            const py::object& progress_callback) {
    Matrix patterns = matrix_from(x, "X");
    uhop::Stage1Settings s;
    s.lr = lr;
    if (py::isinstance<py::str>(init)) s.init = uhop::parse_feature_init(init.cast<std::string>());
    s.dim = dim.is_none() ? 0 : dim.cast<int>();
    if (s.dim < 0) throw py::value_error("dim must be >= 1 (or None for D = d)");
    s.schedule = uhop::parse_schedule(schedule);
    s.optimizer = uhop::parse_optimizer(optimizer);
    s.loss = uhop::parse_loss_kind(loss);
    s.t = t;
    s.seed = seed;
    s.precision = uhop::parse_precision(precision);
    s.batch = batch;
    s.train_count = train_count;
    s.stats_every = stats_every;
    // `uhop stage1 --normalize-rows` normalizes once, after its last step; a Session has no last step, so the flag
    // alone would do nothing: the caller says when, with normalize_rows().
    if (normalize_rows)
      throw py::value_error(
          "normalize_rows=True: a Session has no last step to apply it after; call session.normalize_rows() when "
          "training is done (what `uhop stage1 --normalize-rows` does after step N)");
    Matrix w0;
    const bool given_w0 = !py::isinstance<py::str>(init);
    if (given_w0) w0 = matrix_from(init, "init (W_0)", -1, patterns.cols());
    std::optional<uhop::ProbeSettings> p;
    if (!probe.is_none()) {
      uhop::ProbeSettings ps;
      ps.corruption = uhop::parse_corruption(probe.cast<std::string>());
      ps.seed = probe_seed;
      ps.steps = probe_steps;
      ps.beta = probe_beta;
      uhop::validate(ps);
      p = ps;
    }
    probe_columns_ = p.has_value();
    uhop::RetrievalSettings stage2;
    stage2.precision = s.precision;  // as `uhop stage1`: W = I's statistics are then row 0's sweep
    PythonProgress progress(progress_callback);
    uhop::MemorySet memories = uhop::memory_set_from_matrix(std::move(patterns), "array");
    session_ = run_released(progress, [&] {
      auto session = std::make_unique<uhop::Session>(std::move(memories), s, stage2, progress.fn(0, 0.9));
      if (given_w0) session->set_initial_w(w0, progress.fn(0.9, 0.1));
      if (p) session->set_probe(p);
      return session;
    });
  }

  void step(long long n, const py::object& progress_callback) {
    if (n < 0 || n > uhop::kMaxStage1Steps)
      throw py::value_error("n must be in 0.." + std::to_string(uhop::kMaxStage1Steps));
    PythonProgress progress(progress_callback);
    run_released(progress, [&] {
      for (long long i = 0; i < n; ++i) {
        const uhop::ProgressFn f = progress.fn(static_cast<double>(i) / n, 1.0 / n);
        uhop::report_progress(f, 0.0);  // Ctrl+C between steps, however short they are
        session_->stage1_step(f);
      }
    });
  }

  py::array_t<double> w() const { return to_numpy(session_->w()); }

  py::dict log() {
    PythonProgress progress;
    run_released(progress, [&] { session_->ensure_stats(progress.fn()); });
    return columns_dict(uhop::stage1_log_columns(session_->stage1_log(), probe_columns_));
  }

  py::dict statistics() {
    PythonProgress progress;
    run_released(progress, [&] { session_->ensure_stats(progress.fn()); });
    const uhop::SeparationStats& s = session_->stats();
    py::dict out;
    out["delta_phi"] = to_numpy(s.delta);
    out["delta_phi_min"] = s.delta_min;
    out["delta_phi_mean"] = s.delta_mean;
    out["delta_phi_max"] = s.delta_max;
    out["r_phi"] = s.r_phi;
    out["m_phi"] = s.m_phi;
    out["m"] = s.m;
    out["bound_margin_min"] = uhop::bound_margin_min(s);
    out["step"] = session_->stats_step();
    return out;
  }

  void normalize_rows() { session_->normalize_w_rows(); }
  int steps() const { return session_->stage1_steps(); }
  int count() const { return session_->memories().count(); }
  int dim() const { return session_->memories().dim(); }

 private:
  std::unique_ptr<uhop::Session> session_;
  bool probe_columns_ = false;
};
}  // namespace

void bind_session(py::module_& m) {
  py::class_<PySession>(m, "Session", R"(Stage I of U-Hop on memories X (M, d): W (D, d) trained on the separation
loss, as `uhop stage1` does. init: 'identity', 'gaussian', 'orthogonal' or W_0 itself (an array (D, d)).)")
      .def(py::init<const py::handle&, const py::handle&, const py::object&, double, const std::string&,
                    const std::string&, const std::string&, double, uint64_t, const std::string&, int, int, int, bool,
                    const py::object&, uint64_t, int, double, const py::object&>(),
           py::arg("X"), py::kw_only(), py::arg("init") = "identity", py::arg("dim") = py::none(), py::arg("lr") = 0.1,
           py::arg("schedule") = "constant", py::arg("optimizer") = "sgd", py::arg("loss") = "avg", py::arg("t") = 2.0,
           py::arg("seed") = 0, py::arg("precision") = "single", py::arg("batch") = 0, py::arg("train_count") = 0,
           py::arg("stats_every") = 1, py::arg("normalize_rows") = false, py::arg("probe") = py::none(),
           py::arg("probe_seed") = 0, py::arg("probe_steps") = 1, py::arg("probe_beta") = 1.0,
           py::arg("progress") = py::none())
      .def("step", &PySession::step, py::arg("n") = 1, py::kw_only(), py::arg("progress") = py::none(),
           "n Stage I steps W <- W - lr dL/dW (the GIL is released; Ctrl+C cancels between and inside steps)")
      .def_property_readonly("w", &PySession::w, "W, float64 (D, d)")
      .def_property_readonly("log", &PySession::log,
                             "the `uhop stage1` log: column name -> array, one entry per row (row i = W_i)")
      .def_property_readonly("statistics", &PySession::statistics,
                             "separation statistics of the current W: delta_phi (M,), its min/mean/max, r_phi, m_phi")
      .def("normalize_rows", &PySession::normalize_rows,
           "scale every row of W to unit length now, as `uhop stage1 --normalize-rows` does after its last step (not "
           "logged as a step; .statistics are then of the normalized W)")
      .def_property_readonly("steps", &PySession::steps, "Stage I steps taken")
      .def_property_readonly("M", &PySession::count)
      .def_property_readonly("d", &PySession::dim);
}
}  // namespace uhop_python
