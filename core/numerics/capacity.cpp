#include "capacity.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <thread>

#include "capacity_theory.h"
#include "input_error.h"
#include "parallel_for.h"
#include "real_settings.h"
#include "rng.h"

namespace uhop {
CapacityModel parse_capacity_model(const std::string& s) {
  if (s == "hebbian") return CapacityModel::hebbian;
  if (s == "polynomial") return CapacityModel::polynomial;
  if (s == "exponential") return CapacityModel::exponential;
  throw InputError("unknown model " + quoted_excerpt(s) + " (hebbian, polynomial or exponential)");
}

const char* to_string(CapacityModel m) {
  switch (m) {
    case CapacityModel::hebbian:
      return "hebbian";
    case CapacityModel::polynomial:
      return "polynomial";
    case CapacityModel::exponential:
      return "exponential";
  }
  return "?";
}

int default_capacity_steps(CapacityModel m) {
  return m == CapacityModel::exponential ? 1 : 100;
}

namespace {
std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

int resolved_steps(const CapacitySettings& s) {
  return s.steps > 0 ? s.steps : default_capacity_steps(s.model);
}
int degree_of(const CapacitySettings& s) {
  return s.model == CapacityModel::hebbian ? 2 : s.degree;
}
}  // namespace

uint64_t capacity_pattern_count(const CapacitySettings& s, double alpha) {
  if (!(alpha > 0) || !std::isfinite(alpha)) throw InputError("--alphas: a load must be > 0, got " + num(alpha));
  double p = 0;
  if (s.model == CapacityModel::exponential) {
    if (alpha * s.dim > std::log(kMaxExponentialPatterns))
      throw InputError("--alphas: exp(" + num(alpha) + " * " + std::to_string(s.dim) +
                       ") patterns is beyond 2^62 (alpha * N must be <= 42.97)");
    p = std::round(std::exp(alpha * s.dim));
  } else {
    p = std::round(alpha * std::pow(static_cast<double>(s.dim), degree_of(s) - 1));
    if (p * s.dim > kMaxStoredComponents)
      throw InputError("--alphas: alpha " + num(alpha) + " gives P = " + num(p) + " patterns of N = " +
                       std::to_string(s.dim) + ": P * N is beyond 2^25 (this model stores its patterns)");
  }
  if (p < 1)
    throw InputError("--alphas: alpha " + num(alpha) + " gives fewer than one pattern at N = " + std::to_string(s.dim));
  return static_cast<uint64_t>(p);
}

std::vector<CapacityCell> capacity_cells(const CapacitySettings& s) {
  if (s.dim < 2 || s.dim > kMaxCapacityDim)
    throw InputError("--dim: N must be in 2.." + std::to_string(kMaxCapacityDim) + ", got " + std::to_string(s.dim));
  if (s.model != CapacityModel::exponential && s.patterns != PatternEnsemble::binary)
    throw InputError(std::string("--patterns: the ") + to_string(s.model) + " model stores binary patterns");
  if (s.model == CapacityModel::polynomial && (s.degree < 2 || s.degree > 8))
    throw InputError("--degree: n must be in 2..8, got " + std::to_string(s.degree));
  if (s.trials < 1 || s.trials > kMaxCapacityTrials)
    throw InputError("--trials: must be in 1.." + std::to_string(kMaxCapacityTrials));
  if (s.steps < 0 || s.steps > kMaxCapacitySteps)
    throw InputError("--steps: must be in 1.." + std::to_string(kMaxCapacitySteps));
  if (!(s.start_overlap >= 0 && s.start_overlap <= 1))
    throw InputError("--start-overlap: rho must be in [0, 1], got " + num(s.start_overlap));
  if (s.alphas.empty()) throw InputError("--alphas: give at least one load");
  if (s.betas.empty()) throw InputError("--beta: give at least one value");
  // beta's lower end is the one every command shares (real_settings.h: 1e-100, no denormals); the lab's own upper end
  // is lower than the table's (kMaxCapacityBeta).
  const RealRange& shared = *real_range("beta");
  for (double b : s.betas)
    if (!(b >= shared.lo && b <= kMaxCapacityBeta))
      throw InputError("--beta: must be a number in [" + num(shared.lo) + ", " + num(kMaxCapacityBeta) + "] (got " +
                       num(b) + ")");
  const std::vector<double> betas = s.model == CapacityModel::exponential ? s.betas : std::vector<double>{0.0};
  std::vector<CapacityCell> cells;
  for (double b : betas)
    for (double a : s.alphas) {
      capacity_pattern_count(s, a);
      cells.push_back({static_cast<int>(cells.size()), b, a});
    }
  return cells;
}

double capacity_theory(const CapacitySettings& s, double beta) {
  switch (s.model) {
    case CapacityModel::hebbian:
      return kHebbianAlphaC;
    case CapacityModel::polynomial:
      return polynomial_alpha_max(s.degree, s.dim);
    case CapacityModel::exponential:
      return exponential_threshold(s.patterns, beta, s.start_overlap);
  }
  return -1;
}

void wilson_interval(int k, int n, double& lo, double& hi) {
  const double z = 1.96, p = static_cast<double>(k) / n, z2n = z * z / n;
  const double center = (p + z2n / 2) / (1 + z2n);
  const double half = z * std::sqrt(p * (1 - p) / n + z2n / (4.0 * n)) / (1 + z2n);
  lo = std::max(0.0, center - half);
  hi = std::min(1.0, center + half);
}

namespace {
// The trial's own random choices (target, start point, update order): independent of its patterns' stream.
Rng trial_rng(uint64_t seed, int trial) {
  return Rng(counter_hash(stream_key(seed, static_cast<uint64_t>(trial)), 0xC0FFEE));
}

// A start point at overlap rho with the target: binary flips round(N (1 - rho) / 2) spins chosen at random;
// continuous ensembles take x = |xi_t| (rho u_t + sqrt(1 - rho^2) v), v a random unit vector orthogonal to u_t.
Vector start_point(PatternEnsemble e, const Vector& target, double rho, Rng& rng) {
  const int n = static_cast<int>(target.size());
  if (rho >= 1) return target;
  Vector x = target;
  if (e == PatternEnsemble::binary) {
    std::vector<int> order(n);
    std::iota(order.begin(), order.end(), 0);
    const int flips = static_cast<int>(std::lround(n * (1 - rho) / 2));
    for (int k = 0; k < flips; ++k) {
      std::swap(order[k], order[k + static_cast<int>(rng.below(static_cast<uint64_t>(n - k)))]);
      x[order[k]] = -x[order[k]];
    }
    return x;
  }
  const double norm = target.norm();
  const Vector u = target / norm;
  Vector v(n);
  for (int i = 0; i < n; ++i) v[i] = rng.normal();
  v -= u * u.dot(v);
  v.normalize();
  return norm * (rho * u + std::sqrt(1 - rho * rho) * v);
}

// A trial reports its work (pattern visits) through this as it goes; the callee may throw Cancelled.
using VisitTick = std::function<void(double visits)>;
constexpr double kVisitsPerCheck = 65536;  // a check costs an atomic add and load: ~0.1 % of 2^16 visits

// Asynchronous sign dynamics of the energy -sum_mu (xi_mu.x)^n on stored binary patterns (int8, column mu).
// Work: P x N visits for the first overlaps, then P per spin update (N P per sweep), reported every
// kVisitsPerCheck so that a cancel ends the trial inside its sweep.
CapacityTrial binary_trial(const CapacitySettings& s, uint64_t count, int trial, const VisitTick& tick) {
  const int n = s.dim, degree = degree_of(s), steps = resolved_steps(s);
  const uint64_t key = stream_key(s.seed, static_cast<uint64_t>(trial));
  std::vector<int8_t> xi(static_cast<size_t>(count) * n);
  MatrixF block(n, static_cast<Eigen::Index>(std::min<uint64_t>(count, kCapacityChunk)));
  for (uint64_t first = 0; first < count; first += kCapacityChunk) {
    const Eigen::Index len = static_cast<Eigen::Index>(std::min<uint64_t>(kCapacityChunk, count - first));
    generate_patterns(PatternEnsemble::binary, key, first, block.leftCols(len));
    for (Eigen::Index c = 0; c < len; ++c)
      for (int i = 0; i < n; ++i) xi[(first + c) * n + i] = block(i, c) > 0 ? 1 : -1;
  }
  Rng rng = trial_rng(s.seed, trial);
  const uint64_t target = rng.below(count);
  Vector t(n);
  for (int i = 0; i < n; ++i) t[i] = xi[target * n + i];
  const Vector start = start_point(PatternEnsemble::binary, t, s.start_overlap, rng);
  std::vector<int> x(n);
  for (int i = 0; i < n; ++i) x[i] = start[i] > 0 ? 1 : -1;
  std::vector<long> h(count);  // overlaps xi_mu.x
  for (uint64_t mu = 0; mu < count; ++mu) {
    long sum = 0;
    for (int i = 0; i < n; ++i) sum += xi[mu * n + i] * x[i];
    h[mu] = sum;
  }
  if (tick) tick(static_cast<double>(count) * n);
  auto power = [degree](double z) {
    double r = 1;
    for (int k = 0; k < degree; ++k) r *= z;
    return r;
  };
  std::vector<int> order(n);
  std::iota(order.begin(), order.end(), 0);
  double pending = 0;  // visits not yet reported
  for (int sweep = 0; sweep < steps; ++sweep) {
    for (int k = n - 1; k > 0; --k) std::swap(order[k], order[rng.below(static_cast<uint64_t>(k + 1))]);
    bool flipped = false;
    for (int i : order) {
      // Energy change of flipping x_i: -(sum_mu F(h_mu - 2 x_i xi_mu,i) - F(h_mu)); flip when it is negative.
      double gain = 0;
      for (uint64_t mu = 0; mu < count; ++mu) {
        const double hm = static_cast<double>(h[mu]);
        gain += power(hm - 2.0 * x[i] * xi[mu * n + i]) - power(hm);
      }
      if (gain > 0) {
        for (uint64_t mu = 0; mu < count; ++mu) h[mu] -= 2L * x[i] * xi[mu * n + i];
        x[i] = -x[i];
        flipped = true;
      }
      pending += static_cast<double>(count);
      if (pending >= kVisitsPerCheck && tick) {
        tick(pending);
        pending = 0;
      }
    }
    if (!flipped) break;
  }
  CapacityTrial r;
  r.final_overlap = static_cast<double>(h[target]) / n;
  r.retrieved = r.final_overlap >= kRetrievedOverlap;
  return r;
}

// Online softmax of one chunk of the stream: max score, sum of exp(score - max), sum of exp(score - max) xi_mu.
struct SoftmaxPart {
  double max = -INFINITY, sum = 0;
  Vector weighted;
  double target_score = NAN;  // when the target lies in this chunk
};

void merge_part(SoftmaxPart& into, const SoftmaxPart& p) {
  if (p.sum == 0) return;
  if (into.sum == 0) {
    const double keep = into.target_score;
    into = p;
    if (std::isnan(into.target_score)) into.target_score = keep;
    return;
  }
  const double top = std::max(into.max, p.max), a = std::exp(into.max - top), b = std::exp(p.max - top);
  into.sum = into.sum * a + p.sum * b;
  into.weighted = into.weighted * a + p.weighted * b;
  into.max = top;
  if (!std::isnan(p.target_score)) into.target_score = p.target_score;
}

SoftmaxPart softmax_chunk(PatternEnsemble e, uint64_t key, uint64_t first, uint64_t len, uint64_t target,
                          const VectorF& x, float beta) {
  thread_local MatrixF block;
  thread_local VectorF scores;
  const int n = static_cast<int>(x.size());
  if (block.rows() != n || block.cols() < static_cast<Eigen::Index>(len))
    block.resize(n, static_cast<Eigen::Index>(len));
  auto b = block.leftCols(static_cast<Eigen::Index>(len));
  generate_patterns(e, key, first, b);
  scores.noalias() = beta * (b.transpose() * x);
  SoftmaxPart p;
  p.max = scores.maxCoeff();
  const Eigen::ArrayXf w = (scores.array() - static_cast<float>(p.max)).exp();
  p.sum = w.cast<double>().sum();
  p.weighted = (b * w.matrix()).cast<double>();
  if (target >= first && target < first + len) p.target_score = scores[static_cast<Eigen::Index>(target - first)];
  return p;
}

// One update x <- Xi softmax(beta Xi^T x) over the stream, chunk partials merged in chunk order (so the result does
// not depend on the threads). `parallel` spreads groups of chunks over the pool.
SoftmaxPart stream_softmax(PatternEnsemble e, uint64_t key, uint64_t count, uint64_t target, const Vector& x,
                           double beta, bool parallel, const std::function<void(double)>& tick) {
  const VectorF xf = x.cast<float>();
  const uint64_t chunks = (count + kCapacityChunk - 1) / kCapacityChunk;
  const uint64_t group = parallel ? 64 : chunks;
  SoftmaxPart total;
  total.weighted = Vector::Zero(x.size());
  std::vector<SoftmaxPart> parts;
  for (uint64_t g0 = 0; g0 < chunks; g0 += group) {
    const uint64_t g = std::min(group, chunks - g0);
    parts.assign(g, SoftmaxPart{});
    auto body = [&](long c) {
      const uint64_t first = (g0 + static_cast<uint64_t>(c)) * kCapacityChunk;
      parts[c] =
          softmax_chunk(e, key, first, std::min(kCapacityChunk, count - first), target, xf, static_cast<float>(beta));
    };
    if (parallel)
      parallel_for(static_cast<long>(g), body);
    else
      for (uint64_t c = 0; c < g; ++c) body(static_cast<long>(c));
    for (const SoftmaxPart& p : parts) merge_part(total, p);
    if (tick) tick(static_cast<double>(g0 + g) / chunks);
  }
  return total;
}

CapacityTrial exponential_trial(const CapacitySettings& s, double beta, uint64_t count, int trial, bool parallel,
                                const std::function<void(double)>& tick) {
  const uint64_t key = stream_key(s.seed, static_cast<uint64_t>(trial));
  Rng rng = trial_rng(s.seed, trial);
  const uint64_t target = rng.below(count);
  const Vector t = generate_pattern(s.patterns, s.dim, key, target);
  Vector x = start_point(s.patterns, t, s.start_overlap, rng);
  CapacityTrial r;
  const int steps = resolved_steps(s);
  for (int step = 0; step < steps; ++step) {
    const SoftmaxPart p = stream_softmax(s.patterns, key, count, target, x, beta, parallel, [&](double f) {
      if (tick) tick((step + f) / steps);
    });
    if (step == 0) r.target_weight = std::exp(p.target_score - p.max) / p.sum;
    x = p.weighted / p.sum;
  }
  r.final_overlap = t.dot(x) / t.squaredNorm();
  r.retrieved = r.final_overlap >= kRetrievedOverlap;
  return r;
}

// Patterns at or above this count stream their chunks over the pool; below it, trials run side by side.
constexpr uint64_t kParallelStreamCount = 16 * kCapacityChunk;

// Cancel and progress for the trials of one cell run side by side. Trials report their visits (binary trials
// inside their sweeps, every trial at its end); only the calling thread calls the front end's progress callback
// (Python's signal handlers and the Studio's state live there), at most every kVisitsPerCheck visits. A false
// return raises `stop`, which every other trial sees at its next report and ends with Cancelled: the work after a
// cancel is bounded by kVisitsPerCheck per thread. When the caller has no trial left to start, it polls while the
// others finish their last ones.
class TrialWatch {
 public:
  TrialWatch(const ProgressFn& progress, double done, double total) : progress_(progress), done_(done), total_(total) {}
  bool on_caller() const { return std::this_thread::get_id() == caller_; }
  void add(double visits) {  // any thread; throws Cancelled once stopped
    visits_.fetch_add(static_cast<uint64_t>(visits));
    if (stop_.load()) throw Cancelled();
    if (on_caller() && visits_.load() >= polled_at_ + kVisitsPerCheck) poll();
  }
  void poll() {  // the caller only
    polled_at_ = static_cast<double>(visits_.load());
    try {
      report_progress(progress_, (done_ + polled_at_) / total_);
    } catch (const Cancelled&) {
      stop_.store(true);
      throw;
    }
  }

 private:
  const ProgressFn& progress_;
  const double done_, total_;  // work units before this cell, and in the whole run
  const std::thread::id caller_ = std::this_thread::get_id();
  std::atomic<bool> stop_{false};
  std::atomic<uint64_t> visits_{0};
  double polled_at_ = 0;  // the caller's last poll
};

// The cell's trials side by side on the pool, each credited with per_trial work units when it ends.
void run_trials(const CapacitySettings& s, double beta, uint64_t count, double per_trial, TrialWatch& watch,
                std::vector<CapacityTrial>& results) {
  std::atomic<int> started{0}, finished{0};
  parallel_for(s.trials, [&](long k) {
    started.fetch_add(1);
    {
      struct Finish {
        std::atomic<int>& n;
        ~Finish() { n.fetch_add(1); }  // also when the trial throws: the caller's wait below ends
      } finish{finished};
      double reported = 0;
      const VisitTick tick = [&](double v) {
        reported += v;
        watch.add(v);
      };
      results[k] = s.model == CapacityModel::exponential
                       ? exponential_trial(s, beta, count, static_cast<int>(k), false, {})
                       : binary_trial(s, count, static_cast<int>(k), tick);
      watch.add(std::max(0.0, per_trial - reported));
    }
    while (watch.on_caller() && started.load() == s.trials && finished.load() < s.trials) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
      watch.poll();
    }
  });
}
}  // namespace

CapacityTrial run_capacity_trial(const CapacitySettings& s, double beta, uint64_t count, int trial) {
  if (s.model == CapacityModel::exponential) return exponential_trial(s, beta, count, trial, false, {});
  return binary_trial(s, count, trial, {});
}

std::vector<CapacityRow> run_capacity(const CapacitySettings& s, const std::vector<int>& indices,
                                      const std::function<void(const CapacityRow&)>& on_row,
                                      const ProgressFn& progress) {
  const std::vector<CapacityCell> cells = capacity_cells(s);
  std::vector<CapacityCell> todo;
  if (indices.empty()) todo = cells;
  for (int i : indices) {
    if (i < 0 || i >= static_cast<int>(cells.size()))
      throw InputError("--cell " + std::to_string(i) + ": there are " + std::to_string(cells.size()) + " cells (0.." +
                       std::to_string(cells.size() - 1) + ")");
    todo.push_back(cells[i]);
  }
  // Work units: pattern visits per trial, at most: exponential P x steps; hebbian/polynomial (steps + 1) x P x N
  // (the first overlaps, then up to `steps` sweeps of N spin updates over P patterns; a trial that converges
  // early is credited the rest when it ends). Plus a floor so tiny cells still count.
  const int steps = resolved_steps(s);
  auto cell_work = [&](const CapacityCell& c) {
    const double p = static_cast<double>(capacity_pattern_count(s, c.alpha));
    const double per_trial = s.model == CapacityModel::exponential ? p * steps : (steps + 1.0) * p * s.dim;
    return (per_trial + 64.0) * s.trials;
  };
  double total = 0, done = 0;
  for (const CapacityCell& c : todo) total += cell_work(c);
  report_progress(progress, 0);

  std::vector<CapacityRow> rows;
  for (const CapacityCell& c : todo) {
    const uint64_t count = capacity_pattern_count(s, c.alpha);
    const double per_trial = cell_work(c) / s.trials;
    std::vector<CapacityTrial> results(static_cast<size_t>(s.trials));
    const bool stream_parallel = s.model == CapacityModel::exponential && count >= kParallelStreamCount;
    if (stream_parallel) {
      for (int k = 0; k < s.trials; ++k) {
        results[k] = exponential_trial(s, c.beta, count, k, true,
                                       [&](double f) { report_progress(progress, (done + f * per_trial) / total); });
        done += per_trial;
      }
    } else {
      TrialWatch watch(progress, done, total);
      run_trials(s, c.beta, count, per_trial, watch, results);
      done += per_trial * s.trials;
      report_progress(progress, done / total);
    }
    CapacityRow row;
    row.cell = c;
    row.count = count;
    row.trials = s.trials;
    row.steps = steps;
    int hits = 0;
    double w_sum = 0, w_sq = 0, m_sum = 0;
    for (const CapacityTrial& r : results) {
      hits += r.retrieved;
      w_sum += r.target_weight;
      w_sq += r.target_weight * r.target_weight;
      m_sum += r.final_overlap;
    }
    row.retrieved = static_cast<double>(hits) / s.trials;
    wilson_interval(hits, s.trials, row.retrieved_lo, row.retrieved_hi);
    row.mean_final_overlap = m_sum / s.trials;
    if (s.model == CapacityModel::exponential) {
      row.mean_target_weight = w_sum / s.trials;
      const double var = s.trials > 1 ? std::max(0.0, (w_sq - w_sum * w_sum / s.trials) / (s.trials - 1)) : 0.0;
      row.mean_target_weight_se = std::sqrt(var / s.trials);
    }
    row.theory = capacity_theory(s, c.beta);
    rows.push_back(row);
    if (on_row) on_row(row);
  }
  report_progress(progress, 1);
  return rows;
}
}  // namespace uhop
