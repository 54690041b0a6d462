// Stage II: Hopfield retrieval in kernel space (reference math sections 4 and 5).
#pragma once
#include <memory>
#include <string>

#include "linalg_types.h"
#include "precision.h"
#include "separation_functions.h"

namespace uhop {
enum class Similarity {
  dot,        // s_nu = <xi_nu, x>          (plain modern Hopfield, MHM)
  kernel,     // s_nu = K(xi_nu, x) = <W xi_nu, W x>   (U-Hop)
  euclidean,  // s_nu = -||xi_nu - x||
  manhattan,  // s_nu = -||xi_nu - x||_1
};
Similarity parse_similarity(const std::string& s);  // throws InputError
const char* to_string(Similarity s);
bool has_energy(Similarity s);  // dot and kernel

struct RetrievalSettings {
  Similarity similarity = Similarity::kernel;
  SepSpec sep;                  // alpha (1 softmax, 1.5 entmax, 2 sparsemax) or top-k
  double beta = 1.0;            // inverse temperature > 0
  bool beta_after_sep = false;  // the reference code's quirk: x+ = beta Xi^T Sep(s) instead of Xi^T Sep(beta s)
  // Scores s = A x and the weighted sum Xi^T p in float (single) or double; Sep, energies and the logged numbers
  // are double either way.
  Precision precision = Precision::double_precision;
};
// beta's upper limit: far past one-hot for any data a session accepts (Sep is computed relative to the largest score,
// so beta = 1e15 is exact); larger values could only overflow beta s(x).
constexpr double kMaxBeta = 1e100;
void validate(const RetrievalSettings& settings);  // 0 < beta <= kMaxBeta, alpha >= 1 (throws InputError)

// Everything a retrieval step needs, precomputed once per (Xi, W): A = Xi W^T W so that s(x) = A x in O(Md).
// The memories are shared with their owner (a Session holds 60,000 of them once), never copied.
struct RetrievalOperator {
  std::shared_ptr<const Matrix> memories;       // Xi (M x d)
  Matrix w;                                     // W (D x d); empty for dot (W = I)
  std::shared_ptr<const Matrix> scores_matrix;  // A = Xi W^T W (kernel), Xi (dot); null for distance similarities
  Similarity similarity = Similarity::dot;
  Precision precision = Precision::double_precision;
  std::shared_ptr<const MatrixF> memories_single, scores_single;  // float copies (single precision only)
  Eigen::Index count() const { return memories->rows(); }
};
// features, when given, must be Xi W^T for this W (e.g. Stage I's): it saves one M x d x D product.
// memories_single (optional, single precision): Xi in float, shared instead of converted again.
RetrievalOperator make_retrieval_operator(std::shared_ptr<const Matrix> memories, const Matrix& w,
                                          Similarity similarity, Precision precision = Precision::double_precision,
                                          std::shared_ptr<const MatrixF> memories_single = nullptr,
                                          const Matrix* features = nullptr);
// The same for a matrix the operator copies (small sets, tests).
RetrievalOperator make_retrieval_operator(const Matrix& memories, const Matrix& w, Similarity similarity,
                                          const Matrix* features = nullptr);

Vector similarity_scores(const RetrievalOperator& op, const Vector& x);  // s(x)
// ||xi_nu - x||^2 for every memory, column by column (no M x d temporary).
Vector squared_distances(const Matrix& memories, const Vector& x);
// Sep weights over memories for x: Sep_alpha(beta s(x)) (or Sep(s) with beta_after_sep).
Vector retrieval_weights(const RetrievalOperator& op, const RetrievalSettings& settings, const Vector& x);
// Xi^T p, in the operator's precision.
Vector weighted_memories(const RetrievalOperator& op, const Vector& p);
// One step x+ = T(x) = Xi^T Sep_alpha(beta s(x)) (Theorem 1).
Vector retrieval_step(const RetrievalOperator& op, const RetrievalSettings& settings, const Vector& x);
// Many queries at once: rows of X (Q x d) -> rows of T(X). S = X A^T, row-wise Sep, X+ = P Xi, done in blocks of
// queries (no Q x M matrix) in settings.precision on the core's threads.
Matrix retrieval_step_batch(const RetrievalOperator& op, const RetrievalSettings& settings, const Matrix& queries);

// E(x) = 1/2 K(x,x) - (1/beta) Psi*_alpha(beta k(x)) for dot and kernel (W = I for dot); NaN otherwise.
double energy(const RetrievalOperator& op, const RetrievalSettings& settings, const Vector& x);
// ||W x - W y|| (||x - y|| for dot): distance in feature space, for the in-sphere test.
double feature_distance(const RetrievalOperator& op, const Vector& x, const Vector& y);
}  // namespace uhop
