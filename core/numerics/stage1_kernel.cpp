#include "stage1_kernel.h"

#include <cmath>
#include <string>
#include <type_traits>

#include "input_error.h"
#include "pair_sweep.h"
#include "parallel_products.h"
#include "rng.h"

namespace uhop {
namespace {
using Index = Eigen::Index;

template <typename T>
class Stage1KernelT final : public Stage1Kernel {
 public:
  Stage1KernelT(std::shared_ptr<const Matrix> memories, std::shared_ptr<const MatrixT<T>> memories_t)
      : memories_(std::move(memories)), memories_t_(std::move(memories_t)) {}

  Precision precision() const override {
    return std::is_same<T, float>::value ? Precision::single_precision : Precision::double_precision;
  }

  Stage1Evaluation evaluate(const Matrix& w, const std::vector<int>& rows, const Stage1Request& request,
                            const ProgressFn& progress) override {
    gradient_ready_ = false;
    all_rows_ = rows.empty();
    rows_ = rows;
    const Index d = memories_->cols();
    if (w.size() != 0 && w.cols() != d)
      throw InputError("W has " + std::to_string(w.cols()) + " columns but memories have dimension " +
                       std::to_string(d));
    if (all_rows_) {
      memory_rows_ = memories_t_.get();
    } else {
      batch_.resize(static_cast<Index>(rows.size()), d);
      for (size_t i = 0; i < rows.size(); ++i) batch_.row(static_cast<Index>(i)) = memories_t_->row(rows[i]);
      memory_rows_ = &batch_;
    }
    identity_ = w.size() == 0;
    if (identity_) {
      features_ = memory_rows_;
    } else {
      w_t_ = w.template cast<T>();
      parallel_product(z_, *memory_rows_, w_t_.transpose());  // Z = Xi W^T
      features_ = &z_;
    }
    norms_ = row_norms(*features_);
    const Index count = features_->rows();
    loss_rows_ = request.loss_rows > 0 ? std::min<Index>(request.loss_rows, count) : count;
    PairSweepRequest sweep_request;
    sweep_request.t = t_ = request.t;
    sweep_request.loss = loss_ = request.loss;
    sweep_request.loss_rows = request.want_loss ? loss_rows_ : 0;
    sweep_request.weighted_sum = request.gradient && request.loss == LossKind::avg;
    sweep_request.stats = request.stats;
    pair_sweep(sweep_, *features_, norms_, sweep_request, progress);

    Stage1Evaluation out;
    out.loss = sweep_.loss;
    if (request.stats) {
      SeparationStats& s = out.stats;
      out.has_stats = true;
      s.delta = sweep_.delta;
      s.delta_min = s.delta.minCoeff();
      s.delta_max = s.delta.maxCoeff();
      s.delta_mean = s.delta.mean();
      s.r_phi = sweep_.r_phi;
      s.m_phi = norms_.maxCoeff();
      s.m = 0;
      for (Index i = 0; i < count; ++i) s.m = std::max(s.m, memories_->row(memory_index(i)).norm());
    }
    gradient_ready_ = request.gradient && request.want_loss;
    return out;
  }

  void gradient(Matrix& grad) override {
    if (!gradient_ready_) throw InputError("Stage I gradient asked without an evaluation that prepared it");
    gradient_ready_ = false;
    const Index n = loss_rows_, D = features_->cols(), d = memories_->cols();
    const Vector inv = norms_.head(n).unaryExpr([](double x) { return x > 0 ? 1.0 / x : 0.0; });
    if (loss_ == LossKind::max) {
      // Only the closest pair carries gradient: dL/dz_mu = (g_mu - f_mu (f_mu . g_mu)) / ||z_mu||,
      // g_a = -2t (f_a - f_b) = -g_b; a rank-2 update, in double.
      const Index a = sweep_.max_mu, b = sweep_.max_nu;
      const Eigen::RowVectorXd fa = features_->row(a).template cast<double>() * inv[a];
      const Eigen::RowVectorXd fb = features_->row(b).template cast<double>() * inv[b];
      const auto project = [&](const Eigen::RowVectorXd& g, const Eigen::RowVectorXd& f, double inv_norm) {
        return Eigen::RowVectorXd((g - f * f.dot(g)) * inv_norm);
      };
      const Eigen::RowVectorXd dza = project(-2.0 * t_ * (fa - fb), fa, inv[a]);
      const Eigen::RowVectorXd dzb = project(2.0 * t_ * (fa - fb), fb, inv[b]);
      grad.resize(D, d);
      grad.noalias() = dza.transpose() * memories_->row(memory_index(a));
      grad.noalias() += dzb.transpose() * memories_->row(memory_index(b));
      return;
    }
    // dZ = diag(c_z) Z + diag(c_u) (P F), with c_u = 2t/||z||, c_z = -2t (z . (P F)) / ||z||^3 (the dot
    // accumulated in double); built in place of P F.
    MatrixT<T>& dz = sweep_.weighted_features;
    Vector dots = Vector::Zero(n);
    for (Index j = 0; j < D; ++j)
      dots += features_->col(j).head(n).template cast<double>().cwiseProduct(dz.col(j).template cast<double>());
    const Eigen::Matrix<T, Eigen::Dynamic, 1> c_u = (2.0 * t_ * inv).template cast<T>();
    const Eigen::Matrix<T, Eigen::Dynamic, 1> c_z =
        (-2.0 * t_ * inv.cwiseAbs2().cwiseProduct(inv).cwiseProduct(dots)).template cast<T>();
    for (Index j = 0; j < D; ++j) dz.col(j) = c_u.cwiseProduct(dz.col(j)) + c_z.cwiseProduct(features_->col(j).head(n));
    parallel_product(grad_t_, dz.transpose(), memory_rows_->topRows(n));  // dL/dW = dZ^T Xi
    grad = grad_t_.template cast<double>();
  }

  const Matrix* double_features_of_all() const override {
    if constexpr (std::is_same<T, double>::value) {
      if (all_rows_ && !identity_ && features_ == &z_) return &z_;
    }
    return nullptr;
  }

 private:
  Index memory_index(Index i) const { return all_rows_ ? i : rows_[static_cast<size_t>(i)]; }

  std::shared_ptr<const Matrix> memories_;
  std::shared_ptr<const MatrixT<T>> memories_t_;
  std::vector<int> rows_;
  bool all_rows_ = true, identity_ = false, gradient_ready_ = false;
  MatrixT<T> batch_, w_t_, z_, grad_t_;
  const MatrixT<T>* memory_rows_ = nullptr;
  const MatrixT<T>* features_ = nullptr;
  Vector norms_;
  PairSweep<T> sweep_;
  Index loss_rows_ = 0;
  double t_ = 2.0;
  LossKind loss_ = LossKind::avg;
};
}  // namespace

std::unique_ptr<Stage1Kernel> make_stage1_kernel(std::shared_ptr<const Matrix> memories,
                                                 std::shared_ptr<const MatrixF> memories_single, Precision precision) {
  if (precision == Precision::double_precision) return std::make_unique<Stage1KernelT<double>>(memories, memories);
  if (!memories_single) memories_single = std::make_shared<const MatrixF>(memories->cast<float>());
  return std::make_unique<Stage1KernelT<float>>(std::move(memories), std::move(memories_single));
}

std::vector<int> sample_batch(uint64_t seed, int step, int n, int batch) {
  std::vector<int> rows;
  if (batch >= n) {
    for (int i = 0; i < n; ++i) rows.push_back(i);
    return rows;
  }
  Rng rng(seed ^ (0x9E3779B97F4A7C15ULL * (static_cast<uint64_t>(step) + 1)));
  rows.reserve(static_cast<size_t>(std::max(batch, 0)));
  int needed = batch;
  for (int i = 0; i < n && needed > 0; ++i) {
    // Take i with probability needed / (n - i): exactly `batch` indices, in order.
    if (rng.below(static_cast<uint64_t>(n - i)) < static_cast<uint64_t>(needed)) {
      rows.push_back(i);
      --needed;
    }
  }
  return rows;
}
}  // namespace uhop
