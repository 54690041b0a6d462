#include "retrieval.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

#include "input_error.h"
#include "real_settings.h"
#include "parallel_products.h"

namespace uhop {
Similarity parse_similarity(const std::string& s) {
  if (s == "dot") return Similarity::dot;
  if (s == "kernel") return Similarity::kernel;
  if (s == "euclidean") return Similarity::euclidean;
  if (s == "manhattan") return Similarity::manhattan;
  throw InputError("unknown similarity " + quoted_excerpt(s) + " (expected dot, kernel, euclidean or manhattan)");
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
  checked_real("beta", settings.beta, "beta");  // the one range every front end shares (real_settings.h)
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
bool plain_softmax(const RetrievalSettings& settings) {
  return settings.sep.top_k == 0 && settings.sep.alpha == 1.0;
}

// Sep over each column of S^T (M x count: one query per column, contiguous), in place. Softmax in T with the
// normalizing sum in double; other separation functions on a double copy of the column.
template <typename T>
void separate_columns(MatrixT<T>& st, const RetrievalSettings& settings) {
  const double scale = settings.beta_after_sep ? 1.0 : settings.beta;
  for (Eigen::Index q = 0; q < st.cols(); ++q) {
    auto col = st.col(q);
    // In T only while beta fits T (float: 3.4e38; beta 1e50 cast to inf made 0 * inf = NaN at the top score);
    // beyond, the scores are scaled in double like every other Sep.
    if (plain_softmax(settings) && scale <= static_cast<double>(std::numeric_limits<T>::max()) * 1e-8) {
      const T top = col.maxCoeff();
      col = ((col.array() - top) * static_cast<T>(scale)).exp().matrix();
      const double sum = col.template cast<double>().sum();
      col *= static_cast<T>(1.0 / sum);
    } else {
      const Vector z = scale * col.template cast<double>();
      col = separate(z, settings.sep).template cast<T>();
    }
  }
}

// One block of queries for dot/kernel: S^T = A X^T, column-wise Sep, X+^T = Xi^T P^T, all products in T.
template <typename T>
void retrieval_block(const RetrievalSettings& settings, const Matrix& queries, Eigen::Index q0, Eigen::Index count,
                     const MatrixT<T>& scores_matrix, const MatrixT<T>& memories, Matrix& out) {
  const MatrixT<T> xt = queries.middleRows(q0, count).transpose().template cast<T>();
  MatrixT<T> st(scores_matrix.rows(), count);
  st.noalias() = scores_matrix * xt;
  separate_columns(st, settings);
  MatrixT<T> next(memories.cols(), count);
  next.noalias() = memories.transpose() * st;
  out.middleRows(q0, count) = next.transpose().template cast<double>();
  if (settings.beta_after_sep) out.middleRows(q0, count) *= settings.beta;
}

// Distance similarities, in double: S = -||xi - x|| (or the L1 distance), row-wise Sep, X+ = P Xi.
void distance_block(const RetrievalOperator& op, const RetrievalSettings& settings, const Matrix& queries,
                    Eigen::Index q0, Eigen::Index count, Matrix& out) {
  const auto x = queries.middleRows(q0, count);
  Matrix s(count, op.count());
  if (op.similarity == Similarity::euclidean) {
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
  out.middleRows(q0, count).noalias() = s * *op.memories;
  if (settings.beta_after_sep) out.middleRows(q0, count) *= settings.beta;
}
}  // namespace

Matrix retrieval_step_batch(const RetrievalOperator& op, const RetrievalSettings& settings, const Matrix& queries) {
  Matrix out(queries.rows(), op.memories->cols());
  // Blocks of queries: their scores (M x block) stay in cache between the two products, and no Q x M matrix is
  // formed. The block depends on Q only (results do not depend on the thread count).
  const Eigen::Index block = std::clamp<Eigen::Index>((queries.rows() + 3) / 4, 16, 256);
  const bool single = op.memories_single && op.scores_single;
  const bool product = op.similarity == Similarity::dot || op.similarity == Similarity::kernel;
  parallel_rows(queries.rows(), block, [&](Eigen::Index q0, Eigen::Index count) {
    if (!product)
      distance_block(op, settings, queries, q0, count, out);
    else if (single)
      retrieval_block<float>(settings, queries, q0, count, *op.scores_single, *op.memories_single, out);
    else
      retrieval_block<double>(settings, queries, q0, count, *op.scores_matrix, *op.memories, out);
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
