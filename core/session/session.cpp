#include "session.h"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <limits>

#include "numerics/input_error.h"
#include "numerics/query_margin.h"
#include "numerics/real_settings.h"

namespace uhop {
namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

bool is_identity(const Matrix& w) {
  return w.rows() == w.cols() && w.isIdentity(0.0);
}

// The statistics cells of a row and Lemma 1's margins, which come from the same statistics.
void fill_stats(Stage1Record& r, const SeparationStats& s, int target) {
  r.delta_phi_min = s.delta_min;
  r.delta_phi_mean = s.delta_mean;
  r.delta_phi_max = s.delta_max;
  r.r_phi = s.r_phi;
  r.m_phi = s.m_phi;
  r.bound_margin_min = bound_margin_min(s);
  r.bound_margin_mean = bound_margin_mean(s);
  r.bound_margin_target = bound_margin(s, target);
}

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
// A stage in single precision forms the same products and pair sums in float (largest 3.4e38): S^2 M <= 1e30 there.
constexpr double kMaxScaleSquaredTimesMSingle = 1e30;

double scale_limit(const Stage1Settings& s1, const RetrievalSettings& s2) {
  const bool single = s1.precision == Precision::single_precision || s2.precision == Precision::single_precision;
  return single ? kMaxScaleSquaredTimesMSingle : kMaxScaleSquaredTimesM;
}

// What to do about a refused scale: in single precision, double holds far more.
std::string scale_advice(double limit) {
  return limit < kMaxScaleSquaredTimesM ? " (in single precision, the default, the limit is 1e30: --precision double "
                                          "allows 1e150)"
                                        : "";
}

bool scale_fits(double w_norm, double x_norm, Eigen::Index m, double limit) {
  const double scale = w_norm * x_norm;
  return scale * scale * static_cast<double>(m) <= limit;
}
}  // namespace

void check_session_memory_count(long long m) {
  if (m > kMaxSessionMemories)
    throw InputError("M = " + std::to_string(m) + " memories is more than a session holds (" +
                     std::to_string(kMaxSessionMemories) +
                     ": a session sweeps all M^2/2 pairs when it is built and per Stage I step); load fewer memories");
}

void check_session_memory_values(long long m, long long d) {
  if (d > 0 && m > kMaxMemoryValues / d)
    throw InputError("M x d = " + std::to_string(m) + " x " + std::to_string(d) +
                     " values is more than a session holds (2^27 values = 1.07 GB per copy of the memories); load "
                     "fewer memories or smaller images");
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
  options.max_csv_values = std::min(options.max_csv_values, kMaxMemoryValues);
  options.check_fits = [feature_dim](long long count, const ImageShape& shape) {
    check_session_memory_count(count);
    if (shape.size() > 0) {
      check_session_memory_values(count, shape.size());
      check_feature_map_fits(shape, feature_dim);
    }
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
  checked_real("lr", s.lr, "learning rate");
  checked_real("t", s.t, "temperature t");
  if (s.train_count < 0 || s.train_count == 1) throw InputError("train count must be 0 (all) or >= 2");
  if (s.batch < 0 || s.batch == 1) throw InputError("batch must be 0 (all memories) or >= 2");
  if (s.stats_every < 1) throw InputError("stats-every must be >= 1");
}

Session::Session(MemorySet memories, Stage1Settings stage1, RetrievalSettings stage2, const ProgressFn& progress)
    : memories_(std::move(memories)), stage1_(stage1), stage2_(stage2) {
  check_session_memory_count(memories_.count());
  check_session_memory_values(memories_.count(), memories_.dim());
  if (memories_.shape.size() == memories_.dim()) check_feature_map_fits(memories_.shape, stage1_.dim);
  validate(stage1_, memories_.dim(), memories_.count());
  validate(stage2_);
  if (!memories_.patterns.allFinite()) throw InputError("memories contain a NaN or infinite value");
  max_memory_norm_ = memories_.patterns.rowwise().norm().maxCoeff();
  const double limit = scale_limit(stage1_, stage2_);
  if (!scale_fits(1.0, max_memory_norm_, memories_.count(), limit))
    throw InputError("memories: values up to " + number_text(memories_.patterns.cwiseAbs().maxCoeff()) +
                     " are too large for the squares and sums a session computes (||xi||^2 times M must stay below " +
                     number_text(limit) + scale_advice(limit) + "): scale the memories down");
  // The other end: norms whose squares leave the floating-point range's normal numbers (1e-170 squared is 0 in
  // double, 1e-20 squared is denormal in float) gave error 0 -> 0 and loss 0 -> 0 with exit 0 (audit 27).
  const bool single = limit < kMaxScaleSquaredTimesM;
  const double smallest = single ? 1e-15 : 1e-100;  // ||xi||^2 stays above 1e-30 (float) or 1e-200 (double)
  const double largest_value = memories_.patterns.size() > 0 ? memories_.patterns.cwiseAbs().maxCoeff() : 0;
  if (largest_value > 0 && largest_value < smallest)  // (a norm itself underflows: it is computed from squares)
    throw InputError("memories: values are at most " + number_text(largest_value) +
                     ", too small for the squares a session computes (at least " + number_text(smallest) +
                     (single ? " in single precision, the default; --precision double allows 1e-100" : "") +
                     "): scale the memories up");
  patterns_ = std::make_shared<const Matrix>(memories_.patterns);
  rebuild_stage1_kernel();
  // W = I: the MHM statistics, in Stage II's precision. The same sweep also gives the loss of W = I, which row 0
  // reuses when Stage I starts from the identity, so an identity start costs one sweep over the pairs, not two.
  const bool shared = stage1_.precision == stage2_.precision;
  const auto identity_kernel =
      shared ? nullptr : uhop::make_stage1_kernel(patterns_, single_patterns_if(stage2_.precision), stage2_.precision);
  Stage1Request request = loss_request();
  request.stats = true;
  const auto& scaled = [&](double lo, double hi) -> ProgressFn {
    if (!progress) return {};
    return [=](double x) { return progress(lo + (hi - lo) * x); };
  };
  Stage1Evaluation identity = (shared ? *kernel_ : *identity_kernel).evaluate(Matrix(), {}, request, scaled(0, 0.5));
  identity_stats_ = identity.stats;
  identity_evaluation_ = std::move(identity);
  query_ = memories_.patterns.row(0).transpose();
  reset_stage1(scaled(0.5, 1));
}

std::shared_ptr<const MatrixF> Session::single_patterns_if(Precision p) {
  if (p != Precision::single_precision) return nullptr;
  if (!patterns_single_) patterns_single_ = std::make_shared<const MatrixF>(patterns_->cast<float>());
  return patterns_single_;
}

void Session::rebuild_stage1_kernel() {
  kernel_ = uhop::make_stage1_kernel(patterns_, single_patterns_if(stage1_.precision), stage1_.precision);
  gradient_ready_ = kernel_holds_w_ = false;
}

Stage1Request Session::loss_request() const {
  Stage1Request r;
  r.t = stage1_.t;
  r.loss = stage1_.loss;
  r.loss_rows = stage1_.train_count;
  return r;
}

void Session::set_stage1_settings(const Stage1Settings& s) {
  validate(s, memories_.dim(), memories_.count());
  const bool loss_changed = s.loss != stage1_.loss || s.t != stage1_.t || s.train_count != stage1_.train_count;
  const bool precision_changed = s.precision != stage1_.precision;
  if (precision_changed) check_scale_fits(s, stage2_);
  stage1_ = s;
  if (precision_changed) rebuild_stage1_kernel();
  // The last row describes W under the old loss; the next gradient is taken under the new one.
  if (loss_changed) gradient_ready_ = false;
  if (loss_changed || precision_changed) identity_evaluation_.reset();
}

void Session::check_scale_fits(const Stage1Settings& s1, const RetrievalSettings& s2) const {
  const double limit = scale_limit(s1, s2);
  const double w_norm = w_.size() ? w_.norm() : 1.0;
  if (!scale_fits(w_norm, std::max(max_memory_norm_, query_.norm()), memories_.count(), limit))
    throw InputError(
        "precision: the memories, W and query of this session are too large for single precision (S^2 "
        "M must stay below 1e30 there); keep double");
}

void Session::reset_stage1(const ProgressFn& progress) {
  set_initial_w(init_feature_map(stage1_.init, memories_.dim(), stage1_.dim, stage1_.seed), progress);
}

void Session::set_initial_w(const Matrix& w, const ProgressFn& progress) {
  if (w.cols() != memories_.dim())
    throw InputError("W has " + std::to_string(w.cols()) +
                     " columns but memories have dimension d = " + std::to_string(memories_.dim()));
  if (w.rows() < w.cols())
    throw InputError("W has D = " + std::to_string(w.rows()) + " rows < d = " + std::to_string(w.cols()) +
                     " (W needs full column rank, so D >= d)");
  check_feature_map_fits(ImageShape{static_cast<int>(w.cols()), 1, 1}, w.rows());
  if (!w.allFinite()) throw InputError("W contains a NaN or infinite value");
  const double limit = scale_limit(stage1_, stage2_);
  if (!scale_fits(w.norm(), std::max(max_memory_norm_, query_.norm()), memories_.count(), limit))
    throw InputError("W: entries up to " + number_text(w.cwiseAbs().maxCoeff()) +
                     " are too large: W xi and its squares do not fit" + scale_advice(limit) + "; scale W down");
  std::vector<Stage1Record> previous_log;
  previous_log.swap(stage1_log_);
  const Matrix previous_w = w_, previous_w0 = w0_;
  const double previous_w0_norm = w0_norm_;
  const int previous_probed_row = last_probed_row_;
  const SeparationStats previous_stats = stats_;
  const bool previous_current = stats_current_, previous_last_row = w_is_last_row_;
  const int previous_stats_step = stats_step_;
  w_ = w;
  w0_ = w;
  w0_norm_ = w.norm();
  last_probed_row_ = -1;
  try {
    evaluate_current_w(progress);
  } catch (...) {  // cancelled (or out of memory): the previous W, its log and its statistics stay
    w_ = previous_w;
    w0_ = previous_w0;
    w0_norm_ = previous_w0_norm;
    last_probed_row_ = previous_probed_row;
    stage1_log_.swap(previous_log);
    stats_ = previous_stats;
    stats_current_ = previous_current;
    w_is_last_row_ = previous_last_row;
    stats_step_ = previous_stats_step;
    gradient_ready_ = kernel_holds_w_ = false;
    throw;
  }
  adam_ = AdamState{};
  // The first W starts the runs; a new W_0 keeps them (same query and steps), and the main run follows W_0.
  if (baseline_.log.empty())
    restart_retrieval();
  else
    retrieval_stale_ = true;
}

void Session::evaluate_current_w(const ProgressFn& progress) {
  Stage1Record r;
  r.step = static_cast<int>(stage1_log_.size());
  r.lr = r.grad_norm = r.batch_loss = kNaN;
  r.loss = r.delta_phi_min = r.delta_phi_mean = r.delta_phi_max = r.r_phi = r.m_phi = kNaN;
  r.bound_margin_min = r.bound_margin_mean = r.bound_margin_target = kNaN;
  r.w_change = w0_norm_ > 0 ? (w_ - w0_).norm() / w0_norm_ : kNaN;
  const bool stats_row = r.step % stage1_.stats_every == 0;
  Stage1Evaluation ev;
  bool evaluated = false;
  gradient_ready_ = kernel_holds_w_ = false;
  if (r.step == 0 && identity_evaluation_ && is_identity(w_)) {
    ev = *identity_evaluation_;  // the constructor's sweep over W = I (in Stage II's precision)
    evaluated = true;
  } else if (!mini_batch() || stats_row) {
    Stage1Request request = loss_request();
    // Full batch: the next step's gradient comes from this same sweep. Row 0 of a large set leaves it to the first
    // step's own sweep, so a Session that never trains (uhop retrieve --w at M = 60,000) does not pay 2 M^2 D
    // flops for nothing; below 4096 memories that costs less than a second and the first step stays one sweep.
    request.gradient = !mini_batch() && (r.step > 0 || memories_.count() <= 4096);
    request.stats = stats_row;
    ev = kernel_->evaluate(w_, {}, request, progress);
    gradient_ready_ = request.gradient;
    kernel_holds_w_ = evaluated = true;
  }
  if (evaluated) {
    r.loss = current_loss_ = ev.loss;
    if (ev.has_stats) fill_stats(r, ev.stats, target_);
  }
  stats_current_ = ev.has_stats;
  if (ev.has_stats) {
    stats_ = std::move(ev.stats);
    stats_step_ = r.step;
  }
  w_is_last_row_ = true;
  fill_query_margins(r);
  if (probe_) {
    r.mhm_probe_paper_error = mhm_probe_.paper_error;
    r.mhm_probe_retrieved = mhm_probe_.retrieved;
    if (last_probed_row_ < 0 || r.step - last_probed_row_ >= probe_every_) probe_row(r);
  }
  stage1_log_.push_back(r);
}

void Session::prepare_full_gradient(const ProgressFn& progress) {
  if (gradient_ready_) return;
  Stage1Request request = loss_request();
  request.gradient = true;
  current_loss_ = kernel_->evaluate(w_, {}, request, progress).loss;
  gradient_ready_ = kernel_holds_w_ = true;
}

RetrievalSettings Session::probe_settings(Similarity similarity) const {
  RetrievalSettings rs = stage2_;
  rs.similarity = similarity;
  rs.beta = probe_->beta;
  return rs;
}

void Session::probe_row(Stage1Record& r) {
  const auto start = std::chrono::steady_clock::now();
  // The kernel operator reuses the features Z = Xi W^T Stage I's kernel holds for this W (else it forms them).
  const RetrievalOperator op = make_retrieval_operator(patterns_, w_, Similarity::kernel, stage2_.precision,
                                                       single_patterns_if(stage2_.precision), features());
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
  probe_ = p;
  last_probed_row_ = -1;
  probe_queries_ = p ? probe_queries(memories_, p->corruption, p->seed) : Matrix();
  mhm_probe_ = ProbeResult{};
  if (p) {
    const RetrievalOperator mhm = make_retrieval_operator(patterns_, Matrix(), Similarity::dot, stage2_.precision,
                                                          single_patterns_if(stage2_.precision));
    mhm_probe_ = run_probe(mhm, probe_settings(Similarity::dot), probe_queries_, p->steps);
  }
  // Earlier rows were probed under other settings (or not at all): U-Hop cells cleared, MHM's flat reference
  // (independent of W) on every row.
  for (Stage1Record& r : stage1_log_) {
    r.probe_paper_error = r.probe_retrieved = kNaN;
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

void Session::stage1_step(const ProgressFn& progress) {
  const int i = stage1_steps();
  const double gamma = learning_rate(stage1_.schedule, stage1_.lr, i);
  double batch_loss = 0;
  if (mini_batch()) {
    const int n = stage1_.train_count > 0 ? std::min(stage1_.train_count, memories_.count()) : memories_.count();
    Stage1Request request = loss_request();
    request.loss_rows = 0;  // the batch is drawn from the first n memories; its pairs are the loss
    request.gradient = true;
    kernel_holds_w_ = gradient_ready_ = false;
    batch_loss = kernel_->evaluate(w_, sample_batch(stage1_.seed, i, n, stage1_.batch), request, progress).loss;
  } else {
    prepare_full_gradient(progress);
    batch_loss = current_loss_;
  }
  kernel_->gradient(grad_);
  gradient_ready_ = false;
  previous_w_ = w_;
  const AdamState previous_adam = adam_;
  const SeparationStats previous_stats = stats_;
  const bool previous_current = stats_current_;
  const int previous_stats_step = stats_step_;
  const bool previous_last_row = w_is_last_row_;
  apply_update(w_, grad_, gamma, stage1_.optimizer, adam_);
  const auto roll_back = [&] {
    w_ = previous_w_;
    adam_ = previous_adam;
    stats_ = previous_stats;
    stats_current_ = previous_current;
    stats_step_ = previous_stats_step;
    w_is_last_row_ = previous_last_row;
    gradient_ready_ = kernel_holds_w_ = false;
  };
  if (w_.allFinite() && std::isfinite(batch_loss) &&
      scale_fits(w_.norm(), std::max(max_memory_norm_, query_.norm()), memories_.count(),
                 scale_limit(stage1_, stage2_))) {
    const Stage1Record previous_row = stage1_log_.back();
    stage1_log_.back().lr = gamma;
    stage1_log_.back().grad_norm = grad_.norm();
    stage1_log_.back().batch_loss = batch_loss;
    try {
      evaluate_current_w(progress);
    } catch (...) {  // cancelled (or out of memory) part-way: W_i and its row stay as they were
      stage1_log_.back() = previous_row;
      roll_back();
      throw;
    }
    const Stage1Record& last = stage1_log_.back();
    const bool has_loss = mini_batch() ? !std::isnan(last.loss) : true;
    const bool has_stats = !std::isnan(last.delta_phi_min);
    if ((!has_loss || std::isfinite(last.loss)) && (!has_stats || std::isfinite(last.delta_phi_min))) {
      retrieval_stale_ = true;  // the retrieval follows the current W; rebuilt when next looked at
      return;
    }
    if (last_probed_row_ == stage1_log_.back().step) last_probed_row_ = -1;
    stage1_log_.pop_back();
    stage1_log_.back() = previous_row;
  }
  // Diverged: keep the last good W (nothing the user had is lost) and say what to change.
  roll_back();
  throw InputError("Stage I diverged at step " + std::to_string(i + 1) + " (learning rate " + number_text(gamma, "%g") +
                   " makes W overflow); W is kept at step " + std::to_string(i) + ": lower the learning rate");
}

void Session::ensure_stats(const ProgressFn& progress) {
  if (stats_current_) return;
  Stage1Request request = loss_request();
  request.stats = true;
  request.gradient = !mini_batch();
  kernel_holds_w_ = gradient_ready_ = false;
  const Stage1Evaluation ev = kernel_->evaluate(w_, {}, request, progress);
  gradient_ready_ = request.gradient;
  kernel_holds_w_ = true;
  current_loss_ = ev.loss;
  stats_ = ev.stats;
  stats_current_ = true;
  if (w_is_last_row_) {
    Stage1Record& r = stage1_log_.back();
    if (std::isnan(r.loss)) r.loss = ev.loss;
    fill_stats(r, stats_, target_);
    stats_step_ = r.step;
  }
  retrieval_stale_ = true;
}

void Session::finish_stage1() {
  if (stage1_.normalize_rows) normalize_w_rows();
}

void Session::normalize_w_rows() {
  normalize_rows(w_);
  w_is_last_row_ = false;  // the last row describes W before normalization
  stats_current_ = false;
  gradient_ready_ = kernel_holds_w_ = false;
  retrieval_stale_ = true;
}

void Session::set_retrieval_settings(const RetrievalSettings& s) {
  validate(s);
  const bool precision_changed = s.precision != stage2_.precision;
  if (precision_changed) check_scale_fits(stage1_, s);
  // The probe uses the Stage II alpha/top-k (and precision): its history no longer holds when they change.
  const bool probe_changed = s.sep.alpha != stage2_.sep.alpha || s.sep.top_k != stage2_.sep.top_k ||
                             s.beta_after_sep != stage2_.beta_after_sep || precision_changed;
  const RetrievalSettings previous = stage2_;
  const SeparationStats previous_identity_stats = identity_stats_;
  stage2_ = s;
  try {
    if (precision_changed) {
      // MHM's statistics in the new precision (W = I).
      Stage1Request request;
      request.stats = true;
      request.want_loss = false;
      identity_evaluation_.reset();
      identity_stats_ = uhop::make_stage1_kernel(patterns_, single_patterns_if(s.precision), s.precision)
                            ->evaluate(Matrix(), {}, request)
                            .stats;
    }
    restart_retrieval();
  } catch (...) {
    // e.g. beta too large for these memories: keep the runs of the previous settings
    stage2_ = previous;
    identity_stats_ = previous_identity_stats;
    throw;
  }
  if (probe_ && probe_changed) set_probe(probe_);
}

void Session::set_query(const Vector& query, int target) {
  if (target < 0 || target >= memories_.count())
    throw InputError("target " + std::to_string(target) + " is outside 0.." + std::to_string(memories_.count() - 1));
  if (query.size() != memories_.dim())
    throw InputError("query has " + std::to_string(query.size()) +
                     " values, expected d = " + std::to_string(memories_.dim()));
  if (!query.allFinite()) throw InputError("query has a NaN or infinite value");
  const double w_norm = w_.size() ? w_.norm() : 1.0;
  const double limit = scale_limit(stage1_, stage2_);
  if (!scale_fits(w_norm, query.norm(), memories_.count(), limit))
    throw InputError("query: values up to " + number_text(query.cwiseAbs().maxCoeff()) + " are too large with this W" +
                     scale_advice(limit) + "; scale the query down");
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
  if (!stage1_log_.empty() && w_is_last_row_) fill_query_margins(stage1_log_.back());
  // The last row's target margin follows the target when that row has statistics.
  if (!stage1_log_.empty() && stats_step_ == stage1_log_.back().step && stats_.delta.size() == memories_.count())
    stage1_log_.back().bound_margin_target = bound_margin(stats_, target_);
}

void Session::fill_query_margins(Stage1Record& r) const {
  if (query_.size() != memories_.dim() || target_ < 0 || target_ >= memories_.count()) return;
  r.query_margin = query_margin(*patterns_, w_, query_, target_);
  r.mhm_query_margin = query_margin(*patterns_, Matrix(), query_, target_);
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
  RetrievalRun run = start_main_run();
  try {
    for (size_t s = 0; s < steps; ++s) retrieval_run_step(run);
  } catch (const InputError&) {
    // Only beta-after-Sep runs can overflow part-way (x grows by beta per step): the run keeps the steps that fit.
  }
  retrieval_ = std::move(run);
  retrieval_stale_ = false;
}

void Session::restart_retrieval() {
  // Both runs are built before either is installed: a refused setting (beta too large) leaves the old runs.
  RetrievalSettings mhm = stage2_;
  mhm.similarity = Similarity::dot;
  RetrievalRun baseline =
      start_retrieval(patterns_, Matrix(), mhm, query_, target_, &identity_stats_, nullptr,
                      stage2_.precision == Precision::single_precision ? patterns_single_ : nullptr);
  retrieval_ = start_main_run();
  retrieval_stale_ = false;
  baseline_ = std::move(baseline);
}

RetrievalRun Session::start_main_run() const {
  const bool kernel = stage2_.similarity == Similarity::kernel;
  // The kernel operator A = Z W reuses the features Z = Xi W^T that Stage I holds for this W (double, all rows).
  // Its bound needs the statistics of this W: without them (a mini-batch row between --stats-every rows) the run
  // has no bound or sphere until ensure_stats().
  const SeparationStats* stats = kernel ? (stats_current_ ? &stats_ : nullptr) : &identity_stats_;
  return start_retrieval(patterns_, kernel ? w_ : Matrix(), stage2_, query_, target_, stats,
                         kernel ? features() : nullptr,
                         stage2_.precision == Precision::single_precision ? patterns_single_ : nullptr);
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
