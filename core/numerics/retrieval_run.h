// One Stage II trajectory x_0, x_1, ... with a log row per state: what the CLI writes and the app plots.
#pragma once
#include <vector>

#include "retrieval.h"
#include "separation_stats.h"

namespace uhop {
// Row s describes x_s (s = 0 is the query).
struct RetrievalRecord {
  int step = 0;
  double energy = 0;       // E(x_s) without constants; NaN for distance similarities and top-k
  double error = 0;        // ||x_s - xi_target||
  double bound = 0;        // Lemma 1 bound on ||x_s - xi_target||: applies when s >= 1 and x_{s-1} was inside the
                           // sphere; 0 when exact retrieval is guaranteed (alpha > 1); NaN where it does not apply
  double bound_value = 0;  // the Lemma 1 number itself (alpha = 1, dot/kernel), whether or not it applies; else NaN
  bool sphere_defined = false;    // dot and kernel only: distance similarities have no R_Phi sphere
  bool in_sphere = false;         // ||W x_s - W xi_target|| <= R_Phi
  bool exact_guaranteed = false;  // x_s inside the sphere and beta (Delta^Phi - 2 m_Phi R_Phi) >= 1/(alpha-1)
  bool one_hot = false;           // Sep_alpha(beta s(x_s)) is exactly one-hot at the target
  double paper_error = 0;         // ||clip(xi_target) - clip(x_s)||^2
  double target_weight = 0;       // Sep weight of the target at x_s
  int nearest = 0;                // memory closest to x_s in pixel space (retrieval succeeded when it is the target)
  // The query's margin at x_s (query_margin.h): s_target(x_s) - max_{nu != target} s_nu(x_s) in the run's own
  // similarity (pixels for dot, feature space for kernel); the target's softmax weight passes 1/2 once it is
  // >= ln(M-1)/beta. NaN with a single memory.
  double score_margin = 0;
};

struct RetrievalRun {
  RetrievalSettings settings;
  RetrievalOperator op;
  SeparationStats stats;  // of the geometry the similarity uses (W = I for dot); unused for distances
  bool has_stats = false;
  int target = 0;
  std::vector<Vector> trajectory;    // x_0 .. x_s
  std::vector<RetrievalRecord> log;  // one row per state
  Vector weights;                    // Sep weights at the last state (they give the next state)
};

// stats may be null for distance similarities (then bound/in_sphere are undefined). Throws InputError on bad
// settings, a target outside [0, M), a query of the wrong dimension, or when beta times the largest similarity a
// state can meet would not fit in a double (refused up front: "lower beta").
// features: optional Xi W^T for this W (see make_retrieval_operator).
RetrievalRun start_retrieval(const Matrix& memories, const Matrix& w, const RetrievalSettings& settings,
                             const Vector& query, int target, const SeparationStats* stats,
                             const Matrix* features = nullptr);
// The same on shared memories (never copied), in settings.precision; memories_single: Xi in float, when at hand.
RetrievalRun start_retrieval(std::shared_ptr<const Matrix> memories, const Matrix& w, const RetrievalSettings& settings,
                             const Vector& query, int target, const SeparationStats* stats,
                             const Matrix* features = nullptr,
                             std::shared_ptr<const MatrixF> memories_single = nullptr);
void retrieval_run_step(RetrievalRun& run);  // appends x_{s+1} and its row

// A step in two halves, for callers that advance two runs together (Session: the main run and the MHM baseline):
// prepare both, then commit both, so a refused step changes neither. Every value of a prepared state is finite:
// where beta s(x), x or the energy would overflow a double, prepare throws InputError instead of logging NaN.
struct PendingState {
  Vector x;
  Vector weights;
  RetrievalRecord record;
};
PendingState prepare_retrieval_step(const RetrievalRun& run);
void commit_retrieval_step(RetrievalRun& run, PendingState state);
}  // namespace uhop
