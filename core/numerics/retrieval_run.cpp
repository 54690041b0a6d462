#include "retrieval_run.h"

#include <cmath>
#include <limits>

#include "input_error.h"

namespace uhop {
namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

bool is_softmax(const RetrievalSettings& s) {
  return s.sep.top_k == 0 && s.sep.alpha == 1.0 && !s.beta_after_sep;
}

// Fills the row for the newest state and caches its Sep weights for the next step.
void describe_last_state(RetrievalRun& run) {
  const Vector& x = run.trajectory.back();
  const int s = static_cast<int>(run.trajectory.size()) - 1;
  const Vector target = run.op.memories->row(run.target).transpose();
  const Vector scores = similarity_scores(run.op, x);
  const RetrievalSettings& set = run.settings;
  run.weights = separate(set.beta_after_sep ? scores : Vector(set.beta * scores), set.sep);

  RetrievalRecord r;
  r.step = s;
  r.error = (x - target).norm();
  r.paper_error = paper_error(target, x);
  r.target_weight = run.weights[run.target];
  squared_distances(*run.op.memories, x).minCoeff(&r.nearest);
  r.energy = kNaN;
  if (has_energy(run.op.similarity) && set.sep.top_k == 0) {
    // E(x) = 1/2 K(x,x) - (1/beta) Psi*(beta k(x)), with k(x) = the scores just computed.
    const double self = run.op.similarity == Similarity::kernel ? (run.op.w * x).squaredNorm() : x.squaredNorm();
    r.energy = 0.5 * self - psi_star(set.beta * scores, set.sep) / set.beta;
  }
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
  run.log.push_back(r);
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
  run.trajectory.push_back(query);
  describe_last_state(run);
  return run;
}

void retrieval_run_step(RetrievalRun& run) {
  // x_{s+1} = Xi^T p_s, with p_s = Sep(beta s(x_s)) already computed for row s.
  Vector next = weighted_memories(run.op, run.weights);
  if (run.settings.beta_after_sep) next *= run.settings.beta;
  run.trajectory.push_back(std::move(next));
  describe_last_state(run);
}
}  // namespace uhop
