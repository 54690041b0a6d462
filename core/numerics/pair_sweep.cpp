#include "pair_sweep.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "input_error.h"
#include "parallel_for.h"

namespace uhop {
namespace {
using Index = Eigen::Index;
constexpr double kInf = std::numeric_limits<double>::infinity();

using Round = std::vector<std::pair<Index, Index>>;

// Round 0 holds the diagonal tiles (A, A); then the circle method pairs every block with every other block once,
// one partner per block and round (a dummy block sits out when the count is odd), so a round's tiles share no rows.
std::vector<Round> tile_rounds(Index blocks) {
  std::vector<Round> rounds(1);
  for (Index a = 0; a < blocks; ++a) rounds[0].push_back({a, a});
  const Index n = blocks % 2 == 0 ? blocks : blocks + 1;
  for (Index r = 0; r + 1 < n; ++r) {
    Round round;
    const auto add = [&](Index a, Index b) {
      if (a < blocks && b < blocks) round.push_back({std::min(a, b), std::max(a, b)});
    };
    add(r, n - 1);
    for (Index k = 1; k < n / 2; ++k) add((r + k) % (n - 1), (r + n - 1 - k) % (n - 1));
    if (!round.empty()) rounds.push_back(std::move(round));
  }
  return rounds;
}

// What the sweep keeps per row; a tile touches only the rows of its two blocks.
struct RowState {
  std::vector<double> shift, loss_sum;  // avg loss: running max of e over the row's pairs; sum_{nu>mu} exp(e - shift)
  std::vector<double> best_e;           // closest partner nu > mu (largest e; ties: smallest nu)
  std::vector<Index> best_e_partner;
  std::vector<double> best_k;  // max_{nu != mu} K_mu,nu
  std::vector<Index> best_k_partner;
  std::vector<double> min_d2;  // smallest ||z_mu - z_nu||^2 among the tiles' best pairs kept at this row
  std::vector<Index> min_d2_partner;
};

template <typename T>
struct TileBuffers {
  MatrixT<T> k, weights;
  Matrix kd, e, w;
  Vector v;
};

template <typename T>
class Sweep {
 public:
  Sweep(PairSweep<T>& out, const MatrixT<T>& z, const Vector& norms, const PairSweepRequest& request)
      : out_(out), z_(z), req_(request), m_(z.rows()), n_(std::min(request.loss_rows, z.rows())) {
    block_ = request.block > 0 ? request.block : pair_sweep_block(m_);
    nsq_ = norms.array().square().matrix();
    inv_ = norms.unaryExpr([](double x) { return x > 0 ? 1.0 / x : 0.0; });
    unit_ = norms.unaryExpr([](double x) { return x > 0 ? 1.0 : 0.0; });
    avg_ = n_ >= 2 && req_.loss == LossKind::avg;
    weighted_ = avg_ && req_.weighted_sum;
    if (n_ >= 2) {
      rows_.shift.assign(n_, -kInf);
      rows_.loss_sum.assign(n_, 0.0);
      rows_.best_e.assign(n_, -kInf);
      rows_.best_e_partner.assign(n_, -1);
    }
    if (req_.stats) {
      rows_.best_k.assign(m_, -kInf);
      rows_.best_k_partner.assign(m_, -1);
      rows_.min_d2.assign(m_, kInf);
      rows_.min_d2_partner.assign(m_, -1);
    }
    if (weighted_) out_.weighted_features.setZero(n_, z.cols());
  }

  void run(const ProgressFn& progress) {
    const Index blocks = (m_ + block_ - 1) / block_;
    const std::vector<Round> rounds = tile_rounds(blocks);
    for (size_t r = 0; r < rounds.size(); ++r) {
      const Round& round = rounds[r];
      parallel_for(static_cast<long>(round.size()), [&](long i) { tile(round[i].first, round[i].second); });
      report_progress(progress, static_cast<double>(r + 1) / rounds.size());
    }
    if (n_ >= 2) finish_loss();
    if (req_.stats) finish_stats();
  }

 private:
  void tile(Index ablock, Index bblock) {
    static thread_local TileBuffers<T> buf;
    const Index a0 = ablock * block_, na = std::min(block_, m_ - a0);
    const Index b0 = bblock * block_, nb = std::min(block_, m_ - b0);
    const bool diag = ablock == bblock;
    buf.k.noalias() = z_.middleRows(a0, na) * z_.middleRows(b0, nb).transpose();  // K tile, in T
    buf.kd = buf.k.template cast<double>();
    if (n_ >= 2) loss_part(buf, a0, na, b0, nb, diag);
    if (req_.stats) stats_part(buf, a0, na, b0, nb, diag);
  }

  // e = -t max(0, u_a + u_b - 2 K_ab / (||z_a|| ||z_b||)) (u = 1 for a nonzero feature): the loss, its closest
  // pair and, for avg, the row-shifted sums and weighted features.
  void loss_part(TileBuffers<T>& buf, Index a0, Index na, Index b0, Index nb, bool diag) {
    const Index nal = std::clamp<Index>(n_ - a0, 0, na), nbl = std::clamp<Index>(n_ - b0, 0, nb);
    if (nal == 0 || nbl == 0) return;
    Matrix& e = buf.e;
    e.noalias() =
        inv_.segment(a0, nal).asDiagonal() * buf.kd.topLeftCorner(nal, nbl) * inv_.segment(b0, nbl).asDiagonal();
    e = ((-2.0 * e).colwise() + unit_.segment(a0, nal)).rowwise() + unit_.segment(b0, nbl).transpose();
    e = -req_.t * e.cwiseMax(0.0);
    if (diag) e.diagonal().setConstant(-kInf);
    closest_partners(e, a0, nal, b0, nbl, diag);
    if (!avg_) return;
    raise_shifts(e.rowwise().maxCoeff(), a0);
    if (!diag) raise_shifts(e.colwise().maxCoeff().transpose(), b0);
    Matrix& w = buf.w;
    w = (e.colwise() - finite_shifts(a0, nal)).array().exp().matrix();  // exp(e_ab - shift_a)
    if (diag) {
      for (Index j = 1; j < nbl; ++j)
        for (Index i = 0; i < j; ++i) rows_.loss_sum[a0 + i] += w(i, j);
    } else {
      buf.v = w.rowwise().sum();
      for (Index i = 0; i < nal; ++i) rows_.loss_sum[a0 + i] += buf.v[i];
    }
    if (!weighted_) return;
    // (P F)_a += sum_b w_ab z_b / ||z_b||, and for an off-diagonal tile (P F)_b += sum_a w'_ab z_a / ||z_a||.
    MatrixT<T>& u = out_.weighted_features;
    buf.weights = (w * inv_.segment(b0, nbl).asDiagonal()).template cast<T>();
    u.middleRows(a0, nal).noalias() += buf.weights * z_.middleRows(b0, nbl);
    if (diag) return;
    w = (e.rowwise() - finite_shifts(b0, nbl).transpose()).array().exp().matrix();  // exp(e_ab - shift_b)
    buf.weights = (inv_.segment(a0, nal).asDiagonal() * w).transpose().template cast<T>();
    u.middleRows(b0, nbl).noalias() += buf.weights * z_.middleRows(a0, nal);
  }

  Vector finite_shifts(Index r0, Index count) const {
    Vector s(count);
    for (Index i = 0; i < count; ++i) s[i] = std::isfinite(rows_.shift[r0 + i]) ? rows_.shift[r0 + i] : 0.0;
    return s;
  }

  // A row's shift only rises; its sum and weighted features are rescaled by exp(old - new) when it does.
  void raise_shifts(const Vector& tile_max, Index r0) {
    for (Index i = 0; i < tile_max.size(); ++i) {
      double& shift = rows_.shift[r0 + i];
      if (!(tile_max[i] > shift)) continue;
      const double factor = std::exp(shift - tile_max[i]);
      rows_.loss_sum[r0 + i] *= factor;
      if (weighted_) out_.weighted_features.row(r0 + i) *= static_cast<T>(factor);
      shift = tile_max[i];
    }
  }

  // Column by column (contiguous), pairs a < b only; a later b wins only with a strictly larger e.
  void closest_partners(const Matrix& e, Index a0, Index nal, Index b0, Index nbl, bool diag) {
    for (Index j = 0; j < nbl; ++j) {
      const Index b = b0 + j;
      for (Index i = 0, end = diag ? std::min(j, nal) : nal; i < end; ++i) {
        const Index a = a0 + i;
        const double v = e(i, j);
        if (v > rows_.best_e[a] || (v == rows_.best_e[a] && b < rows_.best_e_partner[a]))
          rows_.best_e[a] = v, rows_.best_e_partner[a] = b;
      }
    }
  }

  void stats_part(TileBuffers<T>& buf, Index a0, Index na, Index b0, Index nb, bool diag) {
    Matrix& kd = buf.kd;
    if (diag) kd.diagonal().setConstant(-kInf);
    const auto keep_max = [&](Index row, double value, Index partner) {
      if (value > rows_.best_k[row]) rows_.best_k[row] = value, rows_.best_k_partner[row] = partner;
    };
    buf.v = kd.rowwise().maxCoeff();
    for (Index i = 0; i < na; ++i) {
      if (!(buf.v[i] > rows_.best_k[a0 + i])) continue;
      Index j = 0;
      while (j + 1 < nb && kd(i, j) != buf.v[i]) ++j;
      keep_max(a0 + i, buf.v[i], b0 + j);
    }
    if (!diag) {
      buf.v = kd.colwise().maxCoeff().transpose();
      for (Index j = 0; j < nb; ++j) {
        if (!(buf.v[j] > rows_.best_k[b0 + j])) continue;
        Index i = 0;
        while (i + 1 < na && kd(i, j) != buf.v[j]) ++i;
        keep_max(b0 + j, buf.v[j], a0 + i);
      }
    }
    // ||z_a - z_b||^2 = ||z_a||^2 + ||z_b||^2 - 2 K_ab (the diagonal is +inf here); the tile's smallest is kept at
    // its smaller row and recomputed from the rows at the end.
    Matrix& d2 = buf.e;
    d2 = ((-2.0 * kd).colwise() + nsq_.segment(a0, na)).rowwise() + nsq_.segment(b0, nb).transpose();
    Index i = 0, j = 0;
    const double v = d2.minCoeff(&i, &j);
    Index a = a0 + i, b = b0 + j;
    if (a > b) std::swap(a, b);
    if (v < rows_.min_d2[a]) rows_.min_d2[a] = v, rows_.min_d2_partner[a] = b;
  }

  double row_dot(Index a, Index b) const {
    return z_.row(a).template cast<double>().dot(z_.row(b).template cast<double>());
  }
  double unit_distance2(Index a, Index b) const {
    const Eigen::RowVectorXd fa = z_.row(a).template cast<double>() * inv_[a];
    const Eigen::RowVectorXd fb = z_.row(b).template cast<double>() * inv_[b];
    return (fa - fb).squaredNorm();
  }

  void finish_loss() {
    Index best_a = -1;
    for (Index a = 0; a < n_; ++a) {
      if (rows_.best_e_partner[a] < 0) continue;
      if (best_a < 0 || rows_.best_e[a] > rows_.best_e[best_a] ||
          (rows_.best_e[a] == rows_.best_e[best_a] && rows_.best_e_partner[a] < rows_.best_e_partner[best_a]))
        best_a = a;
    }
    if (best_a < 0) return;  // non-finite features: the loss stays NaN
    out_.max_mu = static_cast<int>(best_a);
    out_.max_nu = static_cast<int>(rows_.best_e_partner[best_a]);
    if (!avg_) {
      out_.loss = -req_.t * unit_distance2(out_.max_mu, out_.max_nu);
      return;
    }
    double top = -kInf;
    for (Index a = 0; a < n_; ++a)
      if (rows_.loss_sum[a] > 0) top = std::max(top, rows_.shift[a]);
    double sum = 0;
    for (Index a = 0; a < n_; ++a)
      if (rows_.loss_sum[a] > 0) sum += rows_.loss_sum[a] * std::exp(rows_.shift[a] - top);
    const double lse = top + std::log(sum);
    const double pairs = 0.5 * static_cast<double>(n_) * static_cast<double>(n_ - 1);
    out_.loss = lse - std::log(pairs);
    if (!weighted_) return;
    for (Index a = 0; a < n_; ++a)
      out_.weighted_features.row(a) *=
          static_cast<T>(std::isfinite(rows_.shift[a]) ? std::exp(rows_.shift[a] - lse) : 0.0);
  }

  void finish_stats() {
    out_.delta.resize(m_);
    parallel_for(static_cast<long>((m_ + 1023) / 1024), [&](long c) {
      for (Index a = c * 1024; a < std::min<Index>(m_, (c + 1) * 1024); ++a)
        out_.delta[a] = rows_.best_k_partner[a] < 0 ? std::numeric_limits<double>::quiet_NaN()
                                                    : nsq_[a] - row_dot(a, rows_.best_k_partner[a]);
    });
    Index best = 0;
    for (Index a = 1; a < m_; ++a)
      if (rows_.min_d2[a] < rows_.min_d2[best]) best = a;
    const Index partner = rows_.min_d2_partner[best];
    if (partner < 0) return;  // non-finite features: r_phi stays NaN
    out_.r_phi = 0.5 * (z_.row(best).template cast<double>() - z_.row(partner).template cast<double>()).norm();
  }

  PairSweep<T>& out_;
  const MatrixT<T>& z_;
  const PairSweepRequest& req_;
  Index m_, n_, block_ = 256;
  Vector nsq_, inv_, unit_;
  bool avg_ = false, weighted_ = false;
  RowState rows_;
};
}  // namespace

Eigen::Index pair_sweep_block(Eigen::Index rows) {
  if (rows >= 1024) return 256;
  const Eigen::Index quarter = (rows + 3) / 4;
  return std::max<Eigen::Index>(32, (quarter + 15) / 16 * 16);
}

template <typename T>
void pair_sweep(PairSweep<T>& out, const MatrixT<T>& features, const Vector& norms, const PairSweepRequest& request,
                const ProgressFn& progress) {
  const Index m = features.rows();
  if (norms.size() != m)
    throw InputError("pair sweep: " + std::to_string(norms.size()) + " norms for " + std::to_string(m) +
                     " feature rows");
  const Index n = std::min(request.loss_rows, m);
  if (request.loss_rows > 0 && n < 2)
    throw InputError("the separation loss needs at least 2 memories (got " + std::to_string(n) + ")");
  if (request.loss_rows > 0 && (!(request.t > 0) || !std::isfinite(request.t)))
    throw InputError("temperature t must be a finite number > 0");
  if (request.stats && m < 2) throw InputError("separation needs at least 2 memories (got " + std::to_string(m) + ")");
  out.loss = std::numeric_limits<double>::quiet_NaN();
  out.r_phi = std::numeric_limits<double>::quiet_NaN();
  out.delta.resize(0);
  if (!(request.weighted_sum && request.loss == LossKind::avg && n >= 2)) out.weighted_features.resize(0, 0);
  Sweep<T> sweep(out, features, norms, request);
  sweep.run(progress);
}

template <typename T>
Vector row_norms(const MatrixT<T>& features) {
  Vector sq = Vector::Zero(features.rows());
  for (Index j = 0; j < features.cols(); ++j) sq += features.col(j).template cast<double>().cwiseAbs2();
  return sq.cwiseSqrt();
}

template void pair_sweep<float>(PairSweep<float>&, const MatrixF&, const Vector&, const PairSweepRequest&,
                                const ProgressFn&);
template void pair_sweep<double>(PairSweep<double>&, const Matrix&, const Vector&, const PairSweepRequest&,
                                 const ProgressFn&);
template Vector row_norms<float>(const MatrixF&);
template Vector row_norms<double>(const Matrix&);
}  // namespace uhop
