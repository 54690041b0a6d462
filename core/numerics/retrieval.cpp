#include "retrieval.h"

#include <cmath>
#include <cstdio>
#include <limits>

#include "input_error.h"

namespace uhop {
Similarity parse_similarity(const std::string& s) {
  if (s == "dot") return Similarity::dot;
  if (s == "kernel") return Similarity::kernel;
  if (s == "euclidean") return Similarity::euclidean;
  if (s == "manhattan") return Similarity::manhattan;
  throw InputError("unknown similarity '" + s + "' (expected dot, kernel, euclidean or manhattan)");
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
  if (!std::isfinite(settings.beta) || !(settings.beta > 0) || settings.beta > kMaxBeta) {
    char got[32];
    std::snprintf(got, sizeof got, "%g", settings.beta);
    throw InputError(std::string("beta must be a number in (0, 1e100] (got ") + got + ")");
  }
  validate(settings.sep);
}

RetrievalOperator make_retrieval_operator(const Matrix& memories, const Matrix& w, Similarity similarity,
                                          const Matrix* features) {
  RetrievalOperator op;
  op.memories = memories;
  op.similarity = similarity;
  if (similarity == Similarity::kernel) {
    if (w.cols() != memories.cols())
      throw InputError("W has " + std::to_string(w.cols()) + " columns but memories have dimension " +
                       std::to_string(memories.cols()));
    op.w = w;
    // A = (Xi W^T) W: two thin products, cheaper than forming W^T W (d x d) when D ~ d and M < d.
    if (features && features->rows() == memories.rows() && features->cols() == w.rows()) {
      op.scores_matrix.noalias() = *features * w;
    } else {
      const Matrix z = memories * w.transpose();
      op.scores_matrix.noalias() = z * w;
    }
  } else if (similarity == Similarity::dot) {
    op.scores_matrix = memories;
  }
  return op;
}

Vector similarity_scores(const RetrievalOperator& op, const Vector& x) {
  switch (op.similarity) {
    case Similarity::dot:
    case Similarity::kernel:
      return op.scores_matrix * x;
    case Similarity::euclidean:
      return -(op.memories.rowwise() - x.transpose()).rowwise().norm();
    case Similarity::manhattan:
      return -(op.memories.rowwise() - x.transpose()).cwiseAbs().rowwise().sum();
  }
  return {};
}

Vector retrieval_weights(const RetrievalOperator& op, const RetrievalSettings& settings, const Vector& x) {
  const Vector s = similarity_scores(op, x);
  return separate(settings.beta_after_sep ? s : Vector(settings.beta * s), settings.sep);
}

Vector retrieval_step(const RetrievalOperator& op, const RetrievalSettings& settings, const Vector& x) {
  Vector out = op.memories.transpose() * retrieval_weights(op, settings, x);
  if (settings.beta_after_sep) out *= settings.beta;
  return out;
}

Matrix retrieval_step_batch(const RetrievalOperator& op, const RetrievalSettings& settings, const Matrix& queries) {
  Matrix s(queries.rows(), op.memories.rows());
  if (op.similarity == Similarity::dot || op.similarity == Similarity::kernel) {
    s.noalias() = queries * op.scores_matrix.transpose();
  } else if (op.similarity == Similarity::euclidean) {
    // -||xi - x|| = -sqrt(||xi||^2 - 2 <xi, x> + ||x||^2): one product instead of Q*M vector differences.
    s.noalias() = -2.0 * queries * op.memories.transpose();
    s.colwise() += queries.rowwise().squaredNorm();
    s.rowwise() += op.memories.rowwise().squaredNorm().transpose();
    s = -s.cwiseMax(0.0).cwiseSqrt();
  } else {
    for (Eigen::Index q = 0; q < queries.rows(); ++q)
      s.row(q) = similarity_scores(op, queries.row(q).transpose()).transpose();
  }
  if (!settings.beta_after_sep) s *= settings.beta;
  separate_rows(s, settings.sep);
  Matrix out(queries.rows(), op.memories.cols());
  out.noalias() = s * op.memories;
  if (settings.beta_after_sep) out *= settings.beta;
  return out;
}

double energy(const RetrievalOperator& op, const RetrievalSettings& settings, const Vector& x) {
  if (!has_energy(op.similarity) || settings.sep.top_k > 0) return std::numeric_limits<double>::quiet_NaN();
  const double self = op.similarity == Similarity::kernel ? (op.w * x).squaredNorm() : x.squaredNorm();
  const Vector k = op.scores_matrix * x;
  return 0.5 * self - psi_star(settings.beta * k, settings.sep) / settings.beta;
}

double feature_distance(const RetrievalOperator& op, const Vector& x, const Vector& y) {
  if (op.similarity == Similarity::kernel) return (op.w * (x - y)).norm();
  return (x - y).norm();
}
}  // namespace uhop
