#include "retrieval.h"

#include <cmath>
#include <limits>

#include "input_error.h"
#include "parallel_products.h"

namespace uhop {
Similarity parse_similarity(const std::string& s) {
  if (s == "dot") return Similarity::dot;
  if (s == "kernel") return Similarity::kernel;
  if (s == "euclidean") return Similarity::euclidean;
  if (s == "manhattan") return Similarity::manhattan;
  throw InputError("unknown --similarity '" + s + "' (expected dot, kernel, euclidean or manhattan)");
}
const char* to_string(Similarity s) {
  switch (s) {
    case Similarity::dot:
      return "dot";
    case Similarity::kernel:
      return "kernel";
    case Similarity::euclidean:
      return "euclidean";
    case Similarity::manhattan:
      return "manhattan";
  }
  return "?";
}
bool has_energy(Similarity s) {
  return s == Similarity::dot || s == Similarity::kernel;
}

void validate(const RetrievalSettings& settings) {
  if (!std::isfinite(settings.beta) || !(settings.beta > 0))
    throw InputError("beta must be a finite number > 0 (got " + std::to_string(settings.beta) + ")");
  validate(settings.sep);
}

RetrievalOperator make_retrieval_operator(std::shared_ptr<const Matrix> memories, const Matrix& w,
                                          Similarity similarity, Precision precision,
                                          std::shared_ptr<const MatrixF> memories_single, const Matrix* features) {
  RetrievalOperator op;
  op.memories = std::move(memories);
  op.similarity = similarity;
  op.precision = precision;
  const Matrix& xi = *op.memories;
  const bool single = precision == Precision::single_precision;
  if (single && (similarity == Similarity::dot || similarity == Similarity::kernel))
    op.memories_single =
        memories_single ? std::move(memories_single) : std::make_shared<const MatrixF>(xi.cast<float>());
  if (similarity == Similarity::kernel) {
    if (w.cols() != xi.cols())
      throw InputError("W has " + std::to_string(w.cols()) + " columns but memories have dimension " +
                       std::to_string(xi.cols()));
    op.w = w;
    // A = (Xi W^T) W: two thin products, cheaper than forming W^T W (d x d) when D ~ d and M < d.
    if (single) {
      const MatrixF wf = w.cast<float>();
      MatrixF z, a;
      parallel_product(z, *op.memories_single, wf.transpose());
      parallel_product(a, z, wf);
      op.scores_single = std::make_shared<const MatrixF>(std::move(a));
    } else {
      auto a = std::make_shared<Matrix>();
      if (features && features->rows() == xi.rows() && features->cols() == w.rows()) {
        parallel_product(*a, *features, w);
      } else {
        Matrix z;
        parallel_product(z, xi, w.transpose());
        parallel_product(*a, z, w);
      }
      op.scores_matrix = std::move(a);
    }
  } else if (similarity == Similarity::dot) {
    op.scores_matrix = op.memories;
    if (single) op.scores_single = op.memories_single;
  }
  return op;
}

RetrievalOperator make_retrieval_operator(const Matrix& memories, const Matrix& w, Similarity similarity,
                                          const Matrix* features) {
  return make_retrieval_operator(std::make_shared<const Matrix>(memories), w, similarity, Precision::double_precision,
                                 nullptr, features);
}

Vector similarity_scores(const RetrievalOperator& op, const Vector& x) {
  switch (op.similarity) {
    case Similarity::dot:
    case Similarity::kernel:
      if (op.scores_single) return (*op.scores_single * x.cast<float>()).cast<double>();
      return *op.scores_matrix * x;
    case Similarity::euclidean:
      return -squared_distances(*op.memories, x).cwiseSqrt();
    case Similarity::manhattan: {
      Vector s = Vector::Zero(op.count());
      for (Eigen::Index j = 0; j < op.memories->cols(); ++j) s += (op.memories->col(j).array() - x[j]).abs().matrix();
      return -s;
    }
  }
  return {};
}

Vector squared_distances(const Matrix& memories, const Vector& x) {
  Vector s = Vector::Zero(memories.rows());
  for (Eigen::Index j = 0; j < memories.cols(); ++j) s += (memories.col(j).array() - x[j]).square().matrix();
  return s;
}

// Xi^T p: the weighted sum of memories, in the operator's precision.
Vector weighted_memories(const RetrievalOperator& op, const Vector& p) {
  if (op.memories_single) return (op.memories_single->transpose() * p.cast<float>()).cast<double>();
  return op.memories->transpose() * p;
}

Vector retrieval_weights(const RetrievalOperator& op, const RetrievalSettings& settings, const Vector& x) {
  const Vector s = similarity_scores(op, x);
  return separate(settings.beta_after_sep ? s : Vector(settings.beta * s), settings.sep);
}

Vector retrieval_step(const RetrievalOperator& op, const RetrievalSettings& settings, const Vector& x) {
  Vector out = weighted_memories(op, retrieval_weights(op, settings, x));
  if (settings.beta_after_sep) out *= settings.beta;
  return out;
}

namespace {
// One block of queries: S = X A^T (or distances), row-wise Sep in double, X+ = P Xi, in T.
template <typename T>
void retrieval_block(const RetrievalOperator& op, const RetrievalSettings& settings, const Matrix& queries,
                     Eigen::Index q0, Eigen::Index count, const MatrixT<T>& scores_matrix, const MatrixT<T>& memories,
                     Matrix& out) {
  const auto x = queries.middleRows(q0, count);
  Matrix s(count, op.count());
  if (op.similarity == Similarity::dot || op.similarity == Similarity::kernel) {
    const MatrixT<T> xt = x.template cast<T>();
    const MatrixT<T> st = xt * scores_matrix.transpose();
    s = st.template cast<double>();
  } else if (op.similarity == Similarity::euclidean) {
    // -||xi - x|| = -sqrt(||xi||^2 - 2 <xi, x> + ||x||^2): one product instead of Q*M vector differences.
    s.noalias() = -2.0 * x * op.memories->transpose();
    s.colwise() += x.rowwise().squaredNorm();
    s.rowwise() += op.memories->rowwise().squaredNorm().transpose();
    s = -s.cwiseMax(0.0).cwiseSqrt();
  } else {
    for (Eigen::Index q = 0; q < count; ++q) s.row(q) = similarity_scores(op, x.row(q).transpose()).transpose();
  }
  if (!settings.beta_after_sep) s *= settings.beta;
  separate_rows(s, settings.sep);
  const MatrixT<T> pt = s.template cast<T>();
  const MatrixT<T> xnext = pt * memories;
  out.middleRows(q0, count) = xnext.template cast<double>();
  if (settings.beta_after_sep) out.middleRows(q0, count) *= settings.beta;
}
}  // namespace

Matrix retrieval_step_batch(const RetrievalOperator& op, const RetrievalSettings& settings, const Matrix& queries) {
  Matrix out(queries.rows(), op.memories->cols());
  constexpr Eigen::Index kQueryBlock = 64;
  const bool single = op.memories_single && op.scores_single;
  parallel_rows(queries.rows(), kQueryBlock, [&](Eigen::Index q0, Eigen::Index count) {
    if (single)
      retrieval_block<float>(op, settings, queries, q0, count, *op.scores_single, *op.memories_single, out);
    else
      retrieval_block<double>(op, settings, queries, q0, count, op.scores_matrix ? *op.scores_matrix : *op.memories,
                              *op.memories, out);
  });
  return out;
}

double energy(const RetrievalOperator& op, const RetrievalSettings& settings, const Vector& x) {
  if (!has_energy(op.similarity) || settings.sep.top_k > 0) return std::numeric_limits<double>::quiet_NaN();
  const double self = op.similarity == Similarity::kernel ? (op.w * x).squaredNorm() : x.squaredNorm();
  const Vector k = similarity_scores(op, x);
  return 0.5 * self - psi_star(settings.beta * k, settings.sep) / settings.beta;
}

double feature_distance(const RetrievalOperator& op, const Vector& x, const Vector& y) {
  if (op.similarity == Similarity::kernel) return (op.w * (x - y)).norm();
  return (x - y).norm();
}
}  // namespace uhop
