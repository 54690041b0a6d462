// uhop.retrieve (Stage II, as `uhop retrieve`), uhop.probe (every memory queried under one corruption, as
// `uhop stage1 --probe`), and the separation loss and its gradient for a given W (Stage I's kernel, as the log).
#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include "bindings.h"
#include "numerics/corruption.h"
#include "numerics/input_error.h"
#include "numerics/retrieval_probe.h"
#include "numerics/stage1_kernel.h"
#include "numpy_arrays.h"
#include "python_calls.h"
#include "session/run_logs.h"
#include "session/session.h"

namespace uhop_python {
namespace {
using uhop::Matrix;
using uhop::Vector;

// W, or the identity (MHM's geometry) when w is None; its columns must be d.
Matrix w_or_identity(const py::object& w, long long d) {
  if (w.is_none()) return Matrix::Identity(d, d);
  return matrix_from(w, "w", -1, d);
}

// The memory nearest to x in pixel space (ties to the lower index).
int nearest_memory(const Matrix& memories, const Vector& x) {
  Eigen::Index best = 0;
  (memories.rowwise() - x.transpose()).rowwise().squaredNorm().minCoeff(&best);
  return static_cast<int>(best);
}

py::dict retrieve(const py::handle& x, const py::handle& query, const py::object& w, const py::object& target,
                  const std::string& similarity, double alpha, double beta, long long steps, const py::object& top_k,
                  const std::string& precision, bool beta_after_sep, const py::object& progress_callback) {
  Matrix memories = matrix_from(x, "X");
  const long long d = memories.cols();
  const bool batch = array_ndim(query, "query") == 2;
  const Matrix queries =
      batch ? matrix_from(query, "query", -1, d) : Matrix(vector_from(query, "query", d).transpose());
  if (steps < 0 || steps > uhop::kMaxStage2Steps)
    throw py::value_error("steps must be in 0.." + std::to_string(uhop::kMaxStage2Steps));
  std::vector<int> targets(queries.rows(), -1);
  if (!target.is_none()) {
    if (py::isinstance<py::int_>(target)) {
      std::fill(targets.begin(), targets.end(), target.cast<int>());
    } else {
      targets = target.cast<std::vector<int>>();
      if (static_cast<long long>(targets.size()) != queries.rows())
        throw py::value_error("target: one index per query expected (" + std::to_string(queries.rows()) + "), got " +
                              std::to_string(targets.size()));
    }
    for (int t : targets)
      if (t < 0 || t >= memories.rows())
        throw py::value_error("target " + std::to_string(t) + " is outside 0.." + std::to_string(memories.rows() - 1));
  }
  uhop::RetrievalSettings rs;
  rs.similarity = uhop::parse_similarity(similarity);
  rs.sep.alpha = alpha;
  rs.sep.top_k = top_k.is_none() ? 0 : top_k.cast<int>();
  rs.beta = beta;
  rs.beta_after_sep = beta_after_sep;
  rs.precision = uhop::parse_precision(precision);
  uhop::validate(rs);
  const bool given_w = !w.is_none();
  const Matrix wm = given_w ? matrix_from(w, "w", -1, d) : Matrix();
  for (Eigen::Index q = 0; q < queries.rows(); ++q)
    if (targets[q] < 0) targets[q] = nearest_memory(memories, queries.row(q).transpose());

  uhop::Stage1Settings s1;
  s1.precision = rs.precision;  // as `uhop retrieve`
  PythonProgress progress(progress_callback);
  std::vector<std::vector<Vector>> trajectories;
  std::vector<uhop::LogColumns> logs;
  run_released(progress, [&] {
    uhop::Session session(uhop::memory_set_from_matrix(std::move(memories), "array"), s1, rs, progress.fn(0, 0.5));
    if (given_w) session.set_initial_w(wm);
    for (Eigen::Index q = 0; q < queries.rows(); ++q) {
      uhop::report_progress(progress.fn(0.5 + 0.5 * q / queries.rows(), 0), 0.0);
      session.set_query(queries.row(q).transpose(), targets[q]);
      for (long long s = 0; s < steps; ++s) session.stage2_step();
      trajectories.push_back(session.retrieval().trajectory);
      logs.push_back(uhop::retrieval_log_columns(session.retrieval().log));
    }
  });
  py::dict out;
  const py::ssize_t states = steps + 1, nq = queries.rows();
  py::array_t<double> xs = batch ? py::array_t<double>({nq, states, static_cast<py::ssize_t>(d)})
                                 : py::array_t<double>({states, static_cast<py::ssize_t>(d)});
  double* p = xs.mutable_data();
  for (const auto& trajectory : trajectories)
    for (const Vector& state : trajectory) p = std::copy(state.data(), state.data() + d, p);
  out["x"] = xs;
  const uhop::LogColumns& first = logs.front();
  for (size_t k = 0; k < first.names.size(); ++k) {
    const bool whole = first.names[k] == "step" || first.names[k] == "nearest";
    py::array column = whole ? py::array(py::array_t<long long>(batch ? std::vector<py::ssize_t>{nq, states}
                                                                      : std::vector<py::ssize_t>{states}))
                             : py::array(py::array_t<double>(batch ? std::vector<py::ssize_t>{nq, states}
                                                                   : std::vector<py::ssize_t>{states}));
    for (py::ssize_t q = 0; q < nq; ++q)
      for (py::ssize_t s = 0; s < states; ++s) {
        const double v = logs[q].values[k][s];
        if (whole)
          static_cast<long long*>(column.mutable_data())[q * states + s] = static_cast<long long>(v);
        else
          static_cast<double*>(column.mutable_data())[q * states + s] = v;
      }
    out[py::str(first.names[k])] = column;
  }
  if (batch)
    out["target"] = targets;
  else
    out["target"] = targets.front();
  return out;
}

py::dict probe(const py::handle& x, const py::object& w, const std::string& corruption, uint64_t seed, int steps,
               double beta, double alpha, const py::object& top_k, const std::string& precision,
               const py::object& progress_callback) {
  uhop::MemorySet memories = uhop::memory_set_from_matrix(matrix_from(x, "X"), "array");
  const Matrix wm = w_or_identity(w, memories.dim());
  uhop::ProbeSettings p;
  p.corruption = uhop::parse_corruption(corruption);
  p.seed = seed;
  p.steps = steps;
  p.beta = beta;
  uhop::validate(p);
  uhop::RetrievalSettings rs;
  rs.sep.alpha = alpha;
  rs.sep.top_k = top_k.is_none() ? 0 : top_k.cast<int>();
  rs.beta = beta;
  rs.precision = uhop::parse_precision(precision);
  uhop::validate(rs);
  PythonProgress progress(progress_callback);
  const auto [uhop_result, mhm_result] = run_released(progress, [&] {
    const Matrix queries = uhop::probe_queries(memories, p.corruption, p.seed);
    const auto shared = std::make_shared<const Matrix>(memories.patterns);
    std::shared_ptr<const uhop::MatrixF> single;
    if (rs.precision == uhop::Precision::single_precision)
      single = std::make_shared<const uhop::MatrixF>(memories.patterns.cast<float>());
    uhop::RetrievalSettings kernel = rs, dot = rs;
    kernel.similarity = uhop::Similarity::kernel;
    dot.similarity = uhop::Similarity::dot;
    const auto op_kernel = uhop::make_retrieval_operator(shared, wm, kernel.similarity, rs.precision, single);
    uhop::report_progress(progress.fn(), 0.25);
    const uhop::ProbeResult u = uhop::run_probe(op_kernel, kernel, queries, p.steps);
    uhop::report_progress(progress.fn(), 0.5);
    const auto op_dot = uhop::make_retrieval_operator(shared, Matrix(), dot.similarity, rs.precision, single);
    const uhop::ProbeResult mhm = uhop::run_probe(op_dot, dot, queries, p.steps);
    uhop::report_progress(progress.fn(), 1.0);
    return std::make_pair(u, mhm);
  });
  py::dict out;
  out["paper_error"] = uhop_result.paper_error;
  out["retrieved"] = uhop_result.retrieved;
  out["mhm_paper_error"] = mhm_result.paper_error;
  out["mhm_retrieved"] = mhm_result.retrieved;
  return out;
}

// The loss (and optionally dL/dW) of W on all memories (or the first train_count) through Stage I's kernel.
std::pair<double, Matrix> loss_and_gradient(const py::handle& x, const py::handle& w, double t, const std::string& loss,
                                            int train_count, const std::string& precision, bool gradient) {
  const auto memories = std::make_shared<const Matrix>(matrix_from(x, "X"));
  const Matrix wm = matrix_from(w, "w", -1, memories->cols());
  uhop::Stage1Request request;
  request.t = t;
  request.loss = uhop::parse_loss_kind(loss);
  request.loss_rows = train_count;
  request.gradient = gradient;
  const uhop::Precision p = uhop::parse_precision(precision);
  if (!(t > 0) || !std::isfinite(t)) throw py::value_error("t must be a finite number > 0");
  PythonProgress progress;
  return run_released(progress, [&] {
    std::shared_ptr<const uhop::MatrixF> single;
    if (p == uhop::Precision::single_precision) single = std::make_shared<const uhop::MatrixF>(memories->cast<float>());
    auto kernel = uhop::make_stage1_kernel(memories, single, p);
    const uhop::Stage1Evaluation e = kernel->evaluate(wm, {}, request, progress.fn());
    Matrix grad;
    if (gradient) kernel->gradient(grad);
    return std::make_pair(e.loss, grad);
  });
}
}  // namespace

void bind_retrieval(py::module_& m) {
  m.def("retrieve", &retrieve, py::arg("X"), py::arg("query"), py::kw_only(), py::arg("w") = py::none(),
        py::arg("target") = py::none(), py::arg("similarity") = "kernel", py::arg("alpha") = 1.0, py::arg("beta") = 1.0,
        py::arg("steps") = 1, py::arg("top_k") = py::none(), py::arg("precision") = "double",
        py::arg("beta_after_sep") = false, py::arg("progress") = py::none(),
        R"(Stage II from query (d,) or a batch (Q, d) over memories X (M, d), as `uhop retrieve`: a dict with x
(steps+1, d) (or (Q, steps+1, d)), target, and the log columns step, energy, error, bound, in_sphere, paper_error,
bound_value, exact_guaranteed, one_hot, target_weight, nearest (one entry per state; NaN = empty cell). w None
means W = I. target None: the memory nearest to each query. similarity: dot, kernel, euclidean, manhattan;
alpha 1 softmax, 1.5 entmax, 2 sparsemax; top_k: top-k softmax.)");
  m.def("probe", &probe, py::arg("X"), py::kw_only(), py::arg("w") = py::none(), py::arg("corruption") = "gaussian:0.1",
        py::arg("seed") = 0, py::arg("steps") = 1, py::arg("beta") = 1.0, py::arg("alpha") = 1.0,
        py::arg("top_k") = py::none(), py::arg("precision") = "double", py::arg("progress") = py::none(),
        R"(Every memory queried under one corruption (query mu seeded from seed and mu, as `uhop stage1 --probe`),
steps batched Stage II steps at beta: U-Hop (kernel with w; W = I when None) and MHM (dot). Returns paper_error,
retrieved, mhm_paper_error, mhm_retrieved.)");
  m.def(
      "separation_loss",
      [](const py::handle& x, const py::handle& w, double t, const std::string& loss, int train_count,
         const std::string& precision) {
        return loss_and_gradient(x, w, t, loss, train_count, precision, false).first;
      },
      py::arg("X"), py::arg("w"), py::kw_only(), py::arg("t") = 2.0, py::arg("loss") = "avg",
      py::arg("train_count") = 0, py::arg("precision") = "double",
      "Stage I's separation loss of W (D, d) on the normalized features of X (avg: log mean exp(-t ||f_mu - "
      "f_nu||^2))");
  m.def(
      "separation_loss_gradient",
      [](const py::handle& x, const py::handle& w, double t, const std::string& loss, int train_count,
         const std::string& precision) {
        return to_numpy(loss_and_gradient(x, w, t, loss, train_count, precision, true).second);
      },
      py::arg("X"), py::arg("w"), py::kw_only(), py::arg("t") = 2.0, py::arg("loss") = "avg",
      py::arg("train_count") = 0, py::arg("precision") = "double", "dL/dW (D, d) of separation_loss at W");
}
}  // namespace uhop_python
