#include "session.h"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <limits>

#include "numerics/input_error.h"

namespace uhop {
namespace {
std::string number_text(double v, const char* format = "%.3g") {
  char buf[48];
  std::snprintf(buf, sizeof buf, format, v);
  return buf;
}

long long integer_sqrt(long long n) {
  long long r = static_cast<long long>(std::sqrt(static_cast<double>(n)));
  while (r * r > n) --r;
  while ((r + 1) * (r + 1) <= n) ++r;
  return r;
}

// Every Gram entry, score and energy of a session is bounded by S^2 with S = ||W||_F max(max ||xi||, ||query||);
// S^2 M <= 1e150 keeps them (and beta <= 1e100 times them, summed over M) far inside a double. Data anywhere near
// this is refused with a message instead of producing inf and NaN part-way.
constexpr double kMaxScaleSquaredTimesM = 1e150;

bool scale_fits(double w_norm, double x_norm, Eigen::Index m) {
  const double scale = w_norm * x_norm;
  return scale * scale * static_cast<double>(m) <= kMaxScaleSquaredTimesM;
}
}  // namespace

void check_session_memory_count(long long m) {
  if (m > kMaxSessionMemories)
    throw InputError("M = " + std::to_string(m) + " memories is more than a session holds (" +
                     std::to_string(kMaxSessionMemories) + ": Stage I keeps M x M matrices); load fewer memories");
}

void check_feature_map_fits(const ImageShape& shape, long long feature_dim) {
  const long long d = shape.size();
  const long long D = feature_dim > 0 ? feature_dim : d;
  if (d <= 0 || (D <= kMaxWValues / d && D * d <= kMaxWValues)) return;
  const double gb = static_cast<double>(D) * static_cast<double>(d) * 8 / 1e9;
  std::string what = shape.height > 1
                         ? "d = C*H*W = " + std::to_string(shape.channels) + "*" + std::to_string(shape.height) + "*" +
                               std::to_string(shape.width) + " = " + std::to_string(d) + " values per memory"
                         : "d = " + std::to_string(d) + " values per memory";
  what += ": W is D x d = " + std::to_string(D) + " x " + std::to_string(d) + " doubles = " + number_text(gb) +
          " GB, more than a session holds (2^25 values = 0.27 GB)";
  if (feature_dim > d && d * d <= kMaxWValues)
    what += "; pick a smaller feature dimension D (at most " + std::to_string(kMaxWValues / d) + ")";
  else if (shape.height > 1)
    what += "; pick a smaller image size (at most " +
            std::to_string(integer_sqrt(integer_sqrt(kMaxWValues) / shape.channels)) + "x" +
            std::to_string(integer_sqrt(integer_sqrt(kMaxWValues) / shape.channels)) +
            (shape.channels == 3 ? " in RGB)" : ")");
  else
    what += "; use fewer values per memory";
  throw InputError(what);
}

LoadOptions with_session_limits(LoadOptions options, long long feature_dim) {
  // CSV memories are parsed whole before count/offset apply: at most what a session could use of them. (IDX and CIFAR
  // files keep their own byte cap: a 100-memory pick from EMNIST's 88 MB file is fine.)
  options.max_csv_values = std::min(options.max_csv_values, kMaxSessionMemories * integer_sqrt(kMaxWValues));
  options.check_fits = [feature_dim](long long count, const ImageShape& shape) {
    check_session_memory_count(count);
    if (shape.size() > 0) check_feature_map_fits(shape, feature_dim);
  };
  return options;
}

void validate(const Stage1Settings& s, int d, int m) {
  if (m < 2) throw InputError("Stage I needs at least 2 memories (got " + std::to_string(m) + ")");
  check_session_memory_count(m);
  if (s.dim != 0 && s.dim < d)
    throw InputError("feature dimension D = " + std::to_string(s.dim) + " is smaller than d = " + std::to_string(d) +
                     " (W needs full column rank)");
  check_feature_map_fits(ImageShape{d, 1, 1}, s.dim);
  if (!std::isfinite(s.lr) || s.lr < 0) throw InputError("learning rate must be a finite number >= 0");
  if (!std::isfinite(s.t) || !(s.t > 0)) throw InputError("temperature t must be a finite number > 0");
  if (s.train_count < 0 || s.train_count == 1) throw InputError("train count must be 0 (all) or >= 2");
}

Session::Session(MemorySet memories, Stage1Settings stage1, RetrievalSettings stage2)
    : memories_(std::move(memories)), stage1_(stage1), stage2_(stage2) {
  check_session_memory_count(memories_.count());
  if (memories_.shape.size() == memories_.dim()) check_feature_map_fits(memories_.shape, stage1_.dim);
  validate(stage1_, memories_.dim(), memories_.count());
  validate(stage2_);
  if (!memories_.patterns.allFinite()) throw InputError("memories contain a NaN or infinite value");
  if (!scale_fits(1.0, memories_.patterns.rowwise().norm().maxCoeff(), memories_.count()))
    throw InputError("memories: values up to " + number_text(memories_.patterns.cwiseAbs().maxCoeff()) +
                     " are too large for the squares and sums a session computes in double precision (||xi||^2 "
                     "times M must stay below 1e150): scale the memories down");
  identity_stats_ = separation_stats(feature_geometry(memories_.patterns, Matrix()), memories_.patterns);
  query_ = memories_.patterns.row(0).transpose();
  reset_stage1();
}

void Session::set_stage1_settings(const Stage1Settings& s) {
  validate(s, memories_.dim(), memories_.count());
  const bool loss_changed = s.loss != stage1_.loss || s.t != stage1_.t || s.train_count != stage1_.train_count;
  stage1_ = s;
  if (loss_changed) {
    // The last row describes W under the old loss; re-evaluate so the next gradient uses the new one.
    update_separation_loss(loss_, geometry_, stage1_.t, stage1_.loss, stage1_.train_count);
  }
}

void Session::reset_stage1() {
  set_initial_w(init_feature_map(stage1_.init, memories_.dim(), stage1_.dim, stage1_.seed));
}

void Session::set_initial_w(const Matrix& w) {
  if (w.cols() != memories_.dim())
    throw InputError("W has " + std::to_string(w.cols()) +
                     " columns but memories have dimension d = " + std::to_string(memories_.dim()));
  if (w.rows() < w.cols())
    throw InputError("W has D = " + std::to_string(w.rows()) + " rows < d = " + std::to_string(w.cols()) +
                     " (W needs full column rank, so D >= d)");
  check_feature_map_fits(ImageShape{static_cast<int>(w.cols()), 1, 1}, w.rows());
  if (!w.allFinite()) throw InputError("W contains a NaN or infinite value");
  if (!scale_fits(w.norm(), std::max(memories_.patterns.rowwise().norm().maxCoeff(), query_.norm()), memories_.count()))
    throw InputError("W: entries up to " + number_text(w.cwiseAbs().maxCoeff()) +
                     " are too large: W xi and its squares do not fit in double precision; scale W down");
  w_ = w;
  w0_ = w;
  w0_norm_ = w.norm();
  adam_ = AdamState{};
  stage1_log_.clear();
  last_probed_row_ = -1;
  evaluate_current_w();
  // The first W starts the runs; a new W_0 keeps them (same query and steps), and the main run follows W_0.
  if (baseline_.log.empty())
    restart_retrieval();
  else
    retrieval_stale_ = true;
}

void Session::refresh_w_geometry() {
  update_feature_geometry(geometry_, memories_.patterns, w_);
  update_separation_loss(loss_, geometry_, stage1_.t, stage1_.loss, stage1_.train_count);
  stats_ = separation_stats(geometry_, memories_.patterns);
}

void Session::evaluate_current_w() {
  refresh_w_geometry();
  Stage1Record r;
  r.step = static_cast<int>(stage1_log_.size());
  r.loss = loss_.loss;
  r.delta_phi_min = stats_.delta_min;
  r.delta_phi_mean = stats_.delta_mean;
  r.delta_phi_max = stats_.delta_max;
  r.r_phi = stats_.r_phi;
  r.m_phi = stats_.m_phi;
  r.w_change = w0_norm_ > 0 ? (w_ - w0_).norm() / w0_norm_ : std::numeric_limits<double>::quiet_NaN();
  r.lr = r.grad_norm = std::numeric_limits<double>::quiet_NaN();
  r.bound_margin_min = bound_margin_min(stats_);
  r.bound_margin_mean = bound_margin_mean(stats_);
  r.bound_margin_target = bound_margin(stats_, target_);
  if (probe_) {
    r.mhm_probe_paper_error = mhm_probe_.paper_error;
    r.mhm_probe_retrieved = mhm_probe_.retrieved;
    if (last_probed_row_ < 0 || r.step - last_probed_row_ >= probe_every_) probe_row(r);
  }
  stage1_log_.push_back(r);
}

RetrievalSettings Session::probe_settings(Similarity similarity) const {
  RetrievalSettings rs = stage2_;
  rs.similarity = similarity;
  rs.beta = probe_->beta;
  return rs;
}

void Session::probe_row(Stage1Record& r) {
  const auto start = std::chrono::steady_clock::now();
  const RetrievalOperator op = make_retrieval_operator(memories_.patterns, w_, Similarity::kernel, &geometry_.features);
  const ProbeResult u = run_probe(op, probe_settings(Similarity::kernel), probe_queries_, probe_->steps);
  last_probe_seconds_ = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  r.probe_paper_error = u.paper_error;
  r.probe_retrieved = u.retrieved;
  r.mhm_probe_paper_error = mhm_probe_.paper_error;
  r.mhm_probe_retrieved = mhm_probe_.retrieved;
  last_probed_row_ = r.step;
}

void Session::set_probe(const std::optional<ProbeSettings>& p) {
  if (p) validate(*p);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  probe_ = p;
  last_probed_row_ = -1;
  probe_queries_ = p ? probe_queries(memories_, p->corruption, p->seed) : Matrix();
  mhm_probe_ = ProbeResult{};
  if (p) {
    const RetrievalOperator mhm = make_retrieval_operator(memories_.patterns, Matrix(), Similarity::dot);
    mhm_probe_ = run_probe(mhm, probe_settings(Similarity::dot), probe_queries_, p->steps);
  }
  // Earlier rows were probed under other settings (or not at all): U-Hop cells cleared, MHM's flat reference
  // (independent of W) on every row.
  for (Stage1Record& r : stage1_log_) {
    r.probe_paper_error = r.probe_retrieved = nan;
    r.mhm_probe_paper_error = mhm_probe_.paper_error;
    r.mhm_probe_retrieved = mhm_probe_.retrieved;
  }
  if (p && !stage1_log_.empty()) probe_row(stage1_log_.back());
}

void Session::set_probe_every(int k) {
  if (k < 1) throw InputError("probe every k-th step needs k >= 1 (got " + std::to_string(k) + ")");
  probe_every_ = k;
}

void Session::probe_now() {
  if (probe_ && !stage1_log_.empty() && last_probed_row_ != stage1_log_.back().step) probe_row(stage1_log_.back());
}

void Session::stage1_step() {
  separation_loss_gradient(grad_, gradient_work_, geometry_, loss_, memories_.patterns, stage1_.t, stage1_.loss);
  const int i = stage1_steps();
  const double gamma = learning_rate(stage1_.schedule, stage1_.lr, i);
  previous_w_ = w_;
  const AdamState previous_adam = adam_;
  apply_update(w_, grad_, gamma, stage1_.optimizer, adam_);
  if (w_.allFinite() && scale_fits(w_.norm(), std::max(memories_.patterns.rowwise().norm().maxCoeff(), query_.norm()),
                                   memories_.count())) {
    const Stage1Record previous_row = stage1_log_.back();
    stage1_log_.back().lr = gamma;
    stage1_log_.back().grad_norm = grad_.norm();
    evaluate_current_w();
    if (std::isfinite(stage1_log_.back().loss) && std::isfinite(stage1_log_.back().delta_phi_min)) {
      retrieval_stale_ = true;  // the retrieval follows the current W; rebuilt when next looked at
      return;
    }
    if (last_probed_row_ == stage1_log_.back().step) last_probed_row_ = -1;
    stage1_log_.pop_back();
    stage1_log_.back() = previous_row;
  }
  // Diverged: keep the last good W (nothing the user had is lost) and say what to change.
  w_ = previous_w_;
  adam_ = previous_adam;
  refresh_w_geometry();
  throw InputError("Stage I diverged at step " + std::to_string(i + 1) + " (learning rate " + std::to_string(gamma) +
                   " makes W overflow); W is kept at step " + std::to_string(i) + ": lower the learning rate");
}

void Session::finish_stage1() {
  if (stage1_.normalize_rows) normalize_w_rows();
}

void Session::normalize_w_rows() {
  normalize_rows(w_);
  refresh_w_geometry();
  retrieval_stale_ = true;
}

void Session::set_retrieval_settings(const RetrievalSettings& s) {
  validate(s);
  const bool probe_changed = s.sep.alpha != stage2_.sep.alpha || s.sep.top_k != stage2_.sep.top_k ||
                             s.beta_after_sep != stage2_.beta_after_sep;
  const RetrievalSettings previous = stage2_;
  stage2_ = s;
  try {
    restart_retrieval();
  } catch (const InputError&) {
    stage2_ = previous;  // e.g. beta too large for these memories: keep the runs of the previous settings
    throw;
  }
  if (probe_ && probe_changed) set_probe(probe_);  // the probe uses the Stage II alpha: its history no longer holds
}

void Session::set_query(const Vector& query, int target) {
  if (target < 0 || target >= memories_.count())
    throw InputError("target " + std::to_string(target) + " is outside 0.." + std::to_string(memories_.count() - 1));
  if (query.size() != memories_.dim())
    throw InputError("query has " + std::to_string(query.size()) +
                     " values, expected d = " + std::to_string(memories_.dim()));
  if (!query.allFinite()) throw InputError("query has a NaN or infinite value");
  const double w_norm = w_.size() ? w_.norm() : 1.0;
  if (!scale_fits(w_norm, query.norm(), memories_.count()))
    throw InputError("query: values up to " + number_text(query.cwiseAbs().maxCoeff()) +
                     " are too large for double precision with this W; scale the query down");
  const Vector previous_query = query_;
  const int previous_target = target_;
  query_ = query;
  target_ = target;
  try {
    restart_retrieval();
  } catch (const InputError&) {
    query_ = previous_query;
    target_ = previous_target;
    throw;
  }
  if (!stage1_log_.empty()) stage1_log_.back().bound_margin_target = bound_margin(stats_, target_);
}

void Session::reset_stage2() {
  restart_retrieval();
}

const RetrievalRun& Session::retrieval() const {
  ensure_retrieval();
  return retrieval_;
}

void Session::ensure_retrieval() const {
  if (!retrieval_stale_) return;
  // Replays as many steps as the run had, so the Stage II curves keep their length while W trains.
  const size_t steps = retrieval_.log.empty() ? 0 : retrieval_.log.size() - 1;
  const bool kernel = stage2_.similarity == Similarity::kernel;
  // The kernel operator A = Z W reuses the features Z = Xi W^T that Stage I already holds for this W.
  retrieval_ = start_retrieval(memories_.patterns, kernel ? w_ : Matrix(), stage2_, query_, target_,
                               kernel ? &stats_ : &identity_stats_, kernel ? &geometry_.features : nullptr);
  try {
    for (size_t s = 0; s < steps; ++s) retrieval_run_step(retrieval_);
  } catch (const InputError&) {
    // Only beta-after-Sep runs can overflow part-way (x grows by beta per step): the run keeps the steps that fit.
  }
  retrieval_stale_ = false;
}

void Session::restart_retrieval() {
  // Both runs are built before either is installed: a refused setting (beta too large) leaves the old runs.
  RetrievalSettings mhm = stage2_;
  mhm.similarity = Similarity::dot;
  RetrievalRun baseline = start_retrieval(memories_.patterns, Matrix(), mhm, query_, target_, &identity_stats_);
  const bool kernel = stage2_.similarity == Similarity::kernel;
  retrieval_ = start_retrieval(memories_.patterns, kernel ? w_ : Matrix(), stage2_, query_, target_,
                               kernel ? &stats_ : &identity_stats_, kernel ? &geometry_.features : nullptr);
  retrieval_stale_ = false;
  baseline_ = std::move(baseline);
}

void Session::stage2_step() {
  ensure_retrieval();
  PendingState main = prepare_retrieval_step(retrieval_);
  PendingState mhm = prepare_retrieval_step(baseline_);
  commit_retrieval_step(retrieval_, std::move(main));
  commit_retrieval_step(baseline_, std::move(mhm));
}

void Session::reset() {
  reset_stage1();
}
}  // namespace uhop
