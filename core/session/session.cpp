#include "session.h"

#include <cmath>
#include <limits>

#include "numerics/input_error.h"

namespace uhop {
namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

bool is_identity(const Matrix& w) {
  return w.rows() == w.cols() && w.isIdentity(0.0);
}

void fill_stats(Stage1Record& r, const SeparationStats& s) {
  r.delta_phi_min = s.delta_min;
  r.delta_phi_mean = s.delta_mean;
  r.delta_phi_max = s.delta_max;
  r.r_phi = s.r_phi;
  r.m_phi = s.m_phi;
}
}  // namespace

void validate(const Stage1Settings& s, int d, int m) {
  if (m < 2) throw InputError("Stage I needs at least 2 memories (got " + std::to_string(m) + ")");
  if (s.dim != 0 && s.dim < d)
    throw InputError("feature dimension D = " + std::to_string(s.dim) + " is smaller than d = " + std::to_string(d) +
                     " (W needs full column rank)");
  if (!std::isfinite(s.lr) || s.lr < 0) throw InputError("learning rate must be a finite number >= 0");
  if (!std::isfinite(s.t) || !(s.t > 0)) throw InputError("temperature t must be a finite number > 0");
  if (s.train_count < 0 || s.train_count == 1) throw InputError("train count must be 0 (all) or >= 2");
  if (s.batch < 0 || s.batch == 1) throw InputError("batch must be 0 (all memories) or >= 2");
  if (s.stats_every < 1) throw InputError("stats-every must be >= 1");
}

Session::Session(MemorySet memories, Stage1Settings stage1, RetrievalSettings stage2, const ProgressFn& progress)
    : memories_(std::move(memories)), stage1_(stage1), stage2_(stage2) {
  validate(stage1_, memories_.dim(), memories_.count());
  validate(stage2_);
  if (!memories_.patterns.allFinite()) throw InputError("memories contain a NaN or infinite value");
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
  stage1_ = s;
  if (precision_changed) rebuild_stage1_kernel();
  // The last row describes W under the old loss; the next gradient is taken under the new one.
  if (loss_changed) gradient_ready_ = false;
  if (loss_changed || precision_changed) identity_evaluation_.reset();
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
  if (!w.allFinite()) throw InputError("W contains a NaN or infinite value");
  std::vector<Stage1Record> previous_log;
  previous_log.swap(stage1_log_);
  const Matrix previous_w = w_;
  w_ = w;
  try {
    evaluate_current_w(progress);
  } catch (...) {
    w_ = previous_w;
    stage1_log_.swap(previous_log);
    gradient_ready_ = kernel_holds_w_ = false;
    stats_current_ = false;
    throw;
  }
  adam_ = AdamState{};
  restart_retrieval();
}

void Session::evaluate_current_w(const ProgressFn& progress) {
  Stage1Record r;
  r.step = static_cast<int>(stage1_log_.size());
  r.lr = r.grad_norm = r.batch_loss = kNaN;
  r.loss = r.delta_phi_min = r.delta_phi_mean = r.delta_phi_max = r.r_phi = r.m_phi = kNaN;
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
    if (ev.has_stats) fill_stats(r, ev.stats);
  }
  stats_current_ = ev.has_stats;
  if (ev.has_stats) {
    stats_ = std::move(ev.stats);
    stats_step_ = r.step;
  }
  w_is_last_row_ = true;
  stage1_log_.push_back(r);
}

void Session::prepare_full_gradient(const ProgressFn& progress) {
  if (gradient_ready_) return;
  Stage1Request request = loss_request();
  request.gradient = true;
  current_loss_ = kernel_->evaluate(w_, {}, request, progress).loss;
  gradient_ready_ = kernel_holds_w_ = true;
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
  apply_update(w_, grad_, gamma, stage1_.optimizer, adam_);
  const auto roll_back = [&] {
    w_ = previous_w_;
    adam_ = previous_adam;
    stats_ = previous_stats;
    stats_current_ = previous_current;
    stats_step_ = previous_stats_step;
    gradient_ready_ = kernel_holds_w_ = false;
  };
  if (w_.allFinite() && std::isfinite(batch_loss)) {
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
    stage1_log_.pop_back();
    stage1_log_.back() = previous_row;
  }
  // Diverged: keep the last good W (nothing the user had is lost) and say what to change.
  roll_back();
  throw InputError("Stage I diverged at step " + std::to_string(i + 1) + " (learning rate " + std::to_string(gamma) +
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
    fill_stats(r, stats_);
    stats_step_ = r.step;
  }
  retrieval_stale_ = true;
}

void Session::finish_stage1() {
  if (!stage1_.normalize_rows) return;
  normalize_rows(w_);
  w_is_last_row_ = false;  // the last row describes W before normalization
  stats_current_ = false;
  gradient_ready_ = kernel_holds_w_ = false;
  retrieval_stale_ = true;
}

void Session::set_retrieval_settings(const RetrievalSettings& s) {
  validate(s);
  const bool precision_changed = s.precision != stage2_.precision;
  stage2_ = s;
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
}

void Session::set_query(const Vector& query, int target) {
  if (target < 0 || target >= memories_.count())
    throw InputError("target " + std::to_string(target) + " is outside 0.." + std::to_string(memories_.count() - 1));
  if (query.size() != memories_.dim())
    throw InputError("query has " + std::to_string(query.size()) +
                     " values, expected d = " + std::to_string(memories_.dim()));
  if (!query.allFinite()) throw InputError("query has a NaN or infinite value");
  query_ = query;
  target_ = target;
  restart_retrieval();
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
  // The kernel operator A = Z W reuses the features Z = Xi W^T that Stage I holds for this W (double, all rows).
  // Its bound needs the statistics of this W: without them (a mini-batch row between --stats-every rows) the run
  // has no bound or sphere until ensure_stats().
  const SeparationStats* stats = kernel ? (stats_current_ ? &stats_ : nullptr) : &identity_stats_;
  const Matrix* features = kernel && kernel_holds_w_ ? kernel_->double_features_of_all() : nullptr;
  retrieval_ = start_retrieval(patterns_, kernel ? w_ : Matrix(), stage2_, query_, target_, stats, features,
                               stage2_.precision == Precision::single_precision ? patterns_single_ : nullptr);
  for (size_t s = 0; s < steps; ++s) retrieval_run_step(retrieval_);
  retrieval_stale_ = false;
}

void Session::restart_retrieval() {
  retrieval_.log.clear();
  retrieval_stale_ = true;
  ensure_retrieval();
  RetrievalSettings mhm = stage2_;
  mhm.similarity = Similarity::dot;
  baseline_ = start_retrieval(patterns_, Matrix(), mhm, query_, target_, &identity_stats_, nullptr,
                              stage2_.precision == Precision::single_precision ? patterns_single_ : nullptr);
}

void Session::stage2_step() {
  ensure_retrieval();
  retrieval_run_step(retrieval_);
  retrieval_run_step(baseline_);
}

void Session::reset() {
  reset_stage1();
}
}  // namespace uhop
