#include "retrieval_run.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <string>

#include "input_error.h"
#include "query_margin.h"

namespace uhop {
namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

bool is_softmax(const RetrievalSettings& s) {
  return s.sep.top_k == 0 && s.sep.alpha == 1.0 && !s.beta_after_sep;
}

std::string number_text(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3g", v);
  return buf;
}

// The row for state x (step s) and its Sep weights. Throws InputError when a value is not representable (beta s(x)
// or the energy overflows), so a run never logs NaN: the caller has not changed the run yet.
RetrievalRecord describe_state(const RetrievalRun& run, const Vector& x, int s, Vector& weights) {
  const Vector target = run.op.memories->row(run.target).transpose();
  const RetrievalSettings& set = run.settings;
  const Vector scores = similarity_scores(run.op, x);
  const Vector scaled = set.beta_after_sep ? scores : Vector(set.beta * scores);
  if (!scaled.allFinite())
    throw InputError("Stage II step " + std::to_string(s) + ": beta s(x) is too large for a double (beta = " +
                     number_text(set.beta) + "): lower beta or scale the memories down");
  weights = separate(scaled, set.sep);

  RetrievalRecord r;
  r.step = s;
  r.error = (x - target).norm();
  r.paper_error = paper_error(target, x);
  r.target_weight = weights[run.target];
  r.score_margin = score_margin(scores, run.target);
  squared_distances(*run.op.memories, x).minCoeff(&r.nearest);
  r.energy = kNaN;
  if (has_energy(run.op.similarity) && set.sep.top_k == 0) {
    // E(x) = 1/2 K(x,x) - (1/beta) Psi*(beta k(x)), with k(x) = the scores just computed.
    const double self = run.op.similarity == Similarity::kernel ? (run.op.w * x).squaredNorm() : x.squaredNorm();
    r.energy = 0.5 * self - psi_star(set.beta * scores, set.sep) / set.beta;
    if (!std::isfinite(r.energy))
      throw InputError("Stage II step " + std::to_string(s) + ": the energy is too large for a double (beta = " +
                       number_text(set.beta) + "): scale the memories down");
  }
  if (!weights.allFinite() || !std::isfinite(r.error) || !std::isfinite(r.paper_error))
    throw InputError("Stage II step " + std::to_string(s) + ": a value is too large for a double (beta = " +
                     number_text(set.beta) + "): lower beta or scale the memories down");
  r.one_hot =
      set.sep.top_k == 0 && !set.beta_after_sep && entmax_is_one_hot(scores, run.target, set.beta, set.sep.alpha);
  r.bound = r.bound_value = kNaN;
  if (run.has_stats) {
    r.sphere_defined = true;
    r.in_sphere = feature_distance(run.op, x, target) <= run.stats.r_phi;
    r.exact_guaranteed = r.in_sphere && set.sep.top_k == 0 && !set.beta_after_sep &&
                         exact_retrieval_guaranteed(run.stats, run.target, set.beta, set.sep.alpha);
    if (is_softmax(set)) r.bound_value = retrieval_error_bound(run.stats, run.target, set.beta);
    if (s >= 1 && run.log.back().in_sphere) {
      if (run.log.back().exact_guaranteed)
        r.bound = 0.0;
      else
        r.bound = r.bound_value;
    }
  }
  return r;
}

// Largest |beta s(x)| a run can meet: x_0 = the query, later states are convex combinations of memories (without
// beta_after_sep), so |K(xi, x)| <= m_Phi max(m_Phi, ||W q||) for dot/kernel and |s| <= max ||xi - x|| for the
// distances. Refused up front when beta times that bound, summed over M memories, would leave the range of a
// double: Sep's sorting sums and the energy would overflow.
void check_scores_representable(const RetrievalRun& run, const Vector& query) {
  const Matrix& xi = *run.op.memories;
  const RetrievalSettings& set = run.settings;
  double bound = 0;
  if (run.op.similarity == Similarity::manhattan) {
    bound = xi.cwiseAbs().rowwise().sum().maxCoeff() + query.cwiseAbs().sum();
  } else {
    const double m = xi.rowwise().norm().maxCoeff();
    if (run.op.similarity == Similarity::euclidean) {
      bound = m + query.norm();
    } else {
      // ||W xi_mu||^2 = row mu of A = Xi W^T W (Xi for dot) dotted with xi_mu (in float when A is: a float
      // overflow there is refused too, as the scores would overflow the same way).
      const double m_phi =
          std::sqrt(run.op.scores_matrix
                        ? run.op.scores_matrix->cwiseProduct(xi).rowwise().sum().maxCoeff()
                        : static_cast<double>(
                              run.op.scores_single->cwiseProduct(*run.op.memories_single).rowwise().sum().maxCoeff()));
      const double q = run.op.similarity == Similarity::kernel ? (run.op.w * query).norm() : query.norm();
      bound = m_phi * std::max(m_phi, q);
    }
  }
  const double limit = 1e300 / static_cast<double>(std::max<Eigen::Index>(1, xi.rows()));
  const double beta = set.beta_after_sep ? 1.0 : set.beta;
  if (!(beta * bound <= limit))
    throw InputError("Stage II: beta times the largest similarity (" + number_text(beta) + " x " + number_text(bound) +
                     ") is too large for a double: lower beta or scale the memories down");
}
}  // namespace

RetrievalRun start_retrieval(const Matrix& memories, const Matrix& w, const RetrievalSettings& settings,
                             const Vector& query, int target, const SeparationStats* stats, const Matrix* features) {
  return start_retrieval(std::make_shared<const Matrix>(memories), w, settings, query, target, stats, features);
}

RetrievalRun start_retrieval(std::shared_ptr<const Matrix> shared_memories, const Matrix& w,
                             const RetrievalSettings& settings, const Vector& query, int target,
                             const SeparationStats* stats, const Matrix* features,
                             std::shared_ptr<const MatrixF> memories_single) {
  validate(settings);
  const Matrix& memories = *shared_memories;
  if (memories.rows() < 1) throw InputError("no memories to retrieve from");
  if (target < 0 || target >= memories.rows())
    throw InputError("target " + std::to_string(target) + " is outside 0.." + std::to_string(memories.rows() - 1));
  if (query.size() != memories.cols())
    throw InputError("query has " + std::to_string(query.size()) + " values but memories have dimension " +
                     std::to_string(memories.cols()));
  if (!query.allFinite()) throw InputError("query has a NaN or infinite value");
  RetrievalRun run;
  run.settings = settings;
  run.op = make_retrieval_operator(std::move(shared_memories), w, settings.similarity, settings.precision,
                                   std::move(memories_single), features);
  run.has_stats = stats != nullptr && has_energy(settings.similarity);
  if (run.has_stats) run.stats = *stats;
  run.target = target;
  check_scores_representable(run, query);
  PendingState first;
  first.record = describe_state(run, query, 0, first.weights);
  first.x = query;
  commit_retrieval_step(run, std::move(first));
  return run;
}

PendingState prepare_retrieval_step(const RetrievalRun& run) {
  // x_{s+1} = Xi^T p_s, with p_s = Sep(beta s(x_s)) already computed for row s.
  PendingState next;
  next.x = weighted_memories(run.op, run.weights);
  if (run.settings.beta_after_sep) next.x *= run.settings.beta;
  const int s = static_cast<int>(run.trajectory.size());
  if (!next.x.allFinite())  // beta_after_sep multiplies x by beta every step
    throw InputError("Stage II step " + std::to_string(s) +
                     ": x is too large for a double (with beta after Sep, x grows by beta each step)");
  next.record = describe_state(run, next.x, s, next.weights);
  return next;
}

void commit_retrieval_step(RetrievalRun& run, PendingState state) {
  run.trajectory.push_back(std::move(state.x));
  run.log.push_back(state.record);
  run.weights = std::move(state.weights);
}

void retrieval_run_step(RetrievalRun& run) {
  commit_retrieval_step(run, prepare_retrieval_step(run));
}
}  // namespace uhop
