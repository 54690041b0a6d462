#include "studio_worker.h"

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <new>

#include "numerics/corruption.h"
#include "numerics/input_error.h"
#include "data/memory_sources.h"
#include "numerics/progress.h"
#include "session/session_file.h"
#include "brush.h"
#include "studio_text.h"

namespace studio {
namespace {
double now_seconds() {
  using clock = std::chrono::steady_clock;
  return std::chrono::duration<double>(clock::now().time_since_epoch()).count();
}

bool same_stage1(const uhop::Stage1Settings& a, const uhop::Stage1Settings& b) {
  return a.init == b.init && a.dim == b.dim && a.lr == b.lr && a.schedule == b.schedule && a.optimizer == b.optimizer &&
         a.t == b.t && a.loss == b.loss && a.normalize_rows == b.normalize_rows && a.seed == b.seed &&
         a.train_count == b.train_count && a.precision == b.precision && a.batch == b.batch &&
         a.stats_every == b.stats_every;
}

bool same_stage2(const uhop::RetrievalSettings& a, const uhop::RetrievalSettings& b) {
  return a.similarity == b.similarity && a.sep.alpha == b.sep.alpha && a.sep.top_k == b.sep.top_k && a.beta == b.beta &&
         a.beta_after_sep == b.beta_after_sep && a.precision == b.precision;
}

// E(x_{s+1}) <= E(x_s) up to rounding, for every step where both are defined (CCCP: energy never rises). Rounding
// is 1e-9 |E| in double and 1e-5 |E| in single precision (docs/decisions.md "Precision").
bool energy_never_rises(const std::vector<uhop::RetrievalRecord>& log, uhop::Precision precision) {
  const double tolerance = precision == uhop::Precision::single_precision ? 1e-5 : 1e-9;
  for (size_t s = 1; s < log.size(); ++s) {
    double a = log[s - 1].energy, b = log[s].energy;
    if (std::isfinite(a) && std::isfinite(b) && b > a + tolerance * std::max(1.0, std::abs(a))) return false;
  }
  return true;
}
}  // namespace

Heatmap feature_cosine_heatmap(const uhop::Matrix& memories, const uhop::Matrix& w, int max_size) {
  Heatmap h;
  if (memories.rows() == 0) return h;
  const uhop::Matrix c = uhop::feature_cosine_sample(memories, w, max_size);
  h.n = static_cast<int>(c.rows());
  h.values.resize(static_cast<size_t>(h.n) * h.n);
  for (int i = 0; i < h.n; ++i)
    for (int j = 0; j < h.n; ++j) h.values[static_cast<size_t>(i) * h.n + j] = static_cast<float>(c(i, j));
  return h;
}

StudioWorker::StudioWorker(StudioState initial, WorkerThreading threading)
    : pumped_(threading == WorkerThreading::pump), state_(std::move(initial)) {
  publish(true);
  if (!pumped_) thread_ = std::thread([this] { run(); });
}

StudioWorker::~StudioWorker() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
  }
  cancel_ = true;
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void StudioWorker::push(Command command) {
  if (command.kind == CommandKind::cancel) return cancel();
  {
    std::lock_guard<std::mutex> lock(mutex_);
    queue_.push_back(std::move(command));
  }
  cv_.notify_all();
}

void StudioWorker::cancel() {
  // The flag stops the work in progress; the queued `cancel` clears it (and stops playing) once that work ends.
  cancel_ = true;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    queue_.clear();
    Command c;
    c.kind = CommandKind::cancel;
    queue_.push_back(c);
  }
  cv_.notify_all();
}

std::shared_ptr<const StudioSnapshot> StudioWorker::snapshot() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return snapshot_;
}

bool StudioWorker::idle() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return queue_.empty() && !working_ && !playing_ && !background_pending_;
}

bool StudioWorker::wait_idle(double timeout_seconds) const {
  std::unique_lock<std::mutex> lock(mutex_);
  return cv_.wait_for(lock, std::chrono::duration<double>(timeout_seconds),
                      [this] { return queue_.empty() && !working_ && !playing_ && !background_pending_; });
}

void StudioWorker::run() {
  // UHOP_WORKER_NICE=N lowers the numerics' priority so the UI yields less often: set before the first parallel
  // product, so the OpenMP team Eigen starts from this thread inherits it (Linux: nice is per thread). Measured
  // with --bench-frames at M = 1000 (docs/speed.md): nice 5 gives wall p99 20 ms instead of 27 ms but trains ~3x
  // slower, so the default leaves both cores to the numerics.
#ifdef SYS_gettid  // Linux (run() is the threaded mode: the browser's pump mode never gets here)
  if (const char* nice_env = std::getenv("UHOP_WORKER_NICE"))
    ::setpriority(PRIO_PROCESS, static_cast<id_t>(::syscall(SYS_gettid)), std::atoi(nice_env));
#endif
  for (;;) {
    {
      std::unique_lock<std::mutex> lock(mutex_);
      auto has_work = [this] { return stop_ || !queue_.empty(); };
      if (!playing_) {
        cv_.wait(lock, [&] { return has_work() || playing_ || background_pending_; });
      } else {
        const double wait = next_play_step_ - now_seconds();
        if (wait > 0) cv_.wait_for(lock, std::chrono::duration<double>(wait), has_work);
      }
      if (stop_) return;
    }
    work_once();
  }
}

void StudioWorker::pump(double budget_seconds) {
  const double until = now_seconds() + budget_seconds;
  while (work_once() && now_seconds() < until) {
  }
}

bool StudioWorker::work_once_unguarded() {
  Command command;
  bool have = false;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!queue_.empty()) {
      command = std::move(queue_.front());
      queue_.pop_front();
      have = true;
      working_ = true;
    }
  }
  if (have) {
    // The status describes the last command: a new one starts with none (a stale error or "stopped after 200
    // steps" would otherwise stay on screen after later successful actions). A pumped command's later steps are
    // the same command: they keep what its first step said.
    if (command.steps_done == 0) {
      error_.clear();
      message_.clear();
      suggested_size_.clear(), quick_size_.clear();
      refused_source_.clear();
      refused_session_.clear();
    }
    continued_ = false;
    const std::string where =
        (command.line > 0 ? "line " + std::to_string(command.line) + ": " : "") + to_string(command.kind) + ": ";
    try {
      process(command);
    } catch (const uhop::Cancelled&) {
      message_ = "cancelled";
    } catch (const std::bad_alloc&) {  // not "std::bad_alloc": say what happened
      report_error(where + "out of memory (the request is too large for this machine)");
    } catch (const std::exception& e) {  // InputError for bad input; anything else is reported, not fatal
      report_error(where + e.what());
    }
    if (!continued_) {
      busy_label_.clear();
      progress_ = 0;
      ++commands_done_;
    }
    update_background_work();
    continued_ ? maybe_publish() : publish(true);
    {
      std::lock_guard<std::mutex> lock(mutex_);
      working_ = false;
    }
    cv_.notify_all();
    return true;
  }
  if (playing_ && now_seconds() >= next_play_step_) {
    try {
      step_playing();
    } catch (const uhop::Cancelled&) {
      stage1_playing_ = stage2_playing_ = false;
      playing_ = false;
      message_ = "cancelled";
      publish(true);
    } catch (const std::exception& e) {
      stage1_playing_ = stage2_playing_ = false;
      playing_ = false;
      report_error(std::string("play: ") + e.what());
      publish(true);
    }
    update_background_work();
    cv_.notify_all();
    return true;
  }
  if (!playing_ && background_pending_) {  // idle: a live landscape catches up (gives way to commands)
    try {
      if (refresh_landscape(true, true, false)) publish(true);
    } catch (const std::exception& e) {
      landscape_live_ = false;
      report_error(std::string("landscape: ") + e.what());
    }
    update_background_work();
    cv_.notify_all();
    return true;
  }
  return false;
}

void StudioWorker::report_error(const std::string& what) {
  error_ = last_error_ = what;
  ++error_id_;
}

void StudioWorker::set_busy(const std::string& label, double progress) {
  busy_label_ = label;
  progress_ = progress;
}

void StudioWorker::restart_query() {
  if (!session_) return;
  const auto& set = session_->memories();
  if (state_.target < 0 || state_.target >= set.count()) {
    throw uhop::InputError("target " + std::to_string(state_.target) + " is outside 0.." +
                           std::to_string(set.count() - 1));
  }
  uhop::Vector xi = set.patterns.row(state_.target).transpose();
  session_->set_query(uhop::corrupt(xi, set.shape, state_.corruption, state_.corruption_seed), state_.target);
  query_edits_.clear();
  query_unlinkable_ = false;
}

void StudioWorker::load(const Command& c) {
  StudioState next = state_;
  next.source = c.path;
  for (const auto& [k, v] : c.settings) apply_setting(next, k, v);
  std::vector<std::string> warnings;
  auto progress = [&](double f) {
    set_busy("Loading " + next.source, f);
    maybe_publish();
    return !cancel_.load();
  };
  set_busy("Loading " + next.source, 0);
  publish(false);
  uhop::MemorySet set;
  // A set the session cannot hold (too many memories, a W too large) is refused before the file is read; images too
  // large for W are refused by the Studio's own check first, which also offers a size that fits ("Load at WxH").
  // A folder is the user's own set: at the default M (20, meant for the large data sets) it loads all its images, up
  // to kFolderDefaultCount, with a note saying so (a folder of 30 loads 30). A typed M other than 20 is kept.
  std::error_code ec;
  const bool whole_folder =
      next.load.count == StudioState::default_load_options().count && std::filesystem::is_directory(next.source, ec);
  if (whole_folder) next.load.count = kFolderDefaultCount, next.load.count_at_most = true;
  uhop::LoadOptions options = uhop::with_session_limits(next.load, next.stage1.dim);
  options.check_fits = [this, &next, core = options.check_fits](long long count, const uhop::ImageShape& shape) {
    if (shape.size() > 0) check_studio_size(next, shape, count);
    core(count, shape);
  };
  try {
    set = uhop::load_memories(next.source, options, &warnings, progress);
  } catch (const uhop::InputError& e) {
    if (!c.fallback_to_glyphs || next.source.rfind("builtin:fashion-mnist", 0) != 0) throw;
    message_ = std::string(e.what()) + " -- showing builtin:glyphs instead";
    next.source = "builtin:glyphs";
    set = uhop::load_memories(next.source, options, &warnings, progress);
  }
  if (whole_folder) {
    warnings.erase(
        std::remove_if(warnings.begin(), warnings.end(),
                       [](const std::string& w) { return w.find(": asked for up to ") != std::string::npos; }),
        warnings.end());
    warnings.push_back("loaded all " + std::to_string(set.count()) + " images of the folder" +
                       (set.count() >= kFolderDefaultCount
                            ? " that fit the default limit of " + std::to_string(kFolderDefaultCount)
                            : "") +
                       " (set M under 'How many' to load fewer or more)");
    next.load.count = StudioState::default_load_options().count;  // the next folder gets the same treatment
  }
  if (next.target >= set.count()) next.target = 0;
  check_studio_size(next, set.shape, set.count());
  const std::string stats_label = "Statistics of " + std::to_string(set.count()) + " memories";
  auto session = std::make_unique<uhop::Session>(set, next.stage1, next.stage2, [&](double f) {
    set_busy(stats_label, f);
    maybe_publish();
    return !cancel_.load();
  });
  auto gallery = std::make_shared<MemoryGallery>();
  gallery->version = ++memory_version_;
  gallery->set = std::move(set);
  // Commit only once everything succeeded: a bad load leaves the previous memories and W in place.
  state_ = next;
  session_ = std::move(session);
  gallery_ = gallery;
  warnings_ = warnings;
  stage1_playing_ = stage2_playing_ = false;
  stage1_finished_ = false;
  stage1_warning_.clear();
  heat_initial_ = feature_cosine_heatmap(session_->memories().patterns, session_->w());
  heat_now_w_.resize(0, 0);  // new memories: the current heatmap is redone even for the same W
  restart_query();
  reset_views();
}

void StudioWorker::stage1_steps(const Command& c) {
  const int n = c.number;
  for (int i = c.steps_done; i < n; ++i) {
    if (cancel_) throw uhop::Cancelled();
    const std::string label = "Stage I: step " + std::to_string(i + 1) + " of " + std::to_string(n);
    set_busy(label, static_cast<double>(i) / n);
    timed_stage1_step(busy_progress(label, static_cast<double>(i) / n, static_cast<double>(i + 1) / n));
    after_stage1_step();
    if (pumped_ && i + 1 < n) return continue_later(c, i + 1);  // pumped: one step per turn
    maybe_publish();
  }
  ensure_stats();
  finish_stage1_run();
}

void StudioWorker::continue_later(const Command& c, int steps_done) {
  Command rest = c;
  rest.steps_done = steps_done;
  continued_ = true;
  std::lock_guard<std::mutex> lock(mutex_);
  queue_.push_front(std::move(rest));  // before anything queued meanwhile: the command is not finished
}

uhop::ProgressFn StudioWorker::busy_progress(const std::string& label, double from, double to) {
  return [this, label, from, to](double f) {
    set_busy(label, from + (to - from) * f);
    maybe_publish();
    return !cancel_.load();
  };
}

// The last row always gets the statistics over all M (with --stats-every K, or mini-batch, rows between have none).
void StudioWorker::ensure_stats() {
  if (!session_ || session_->stats_current()) return;
  const std::string label = "Statistics of " + std::to_string(session_->memories().count()) + " memories";
  const bool in_command = !busy_label_.empty();  // a command's label is cleared when the command ends
  set_busy(label, 0);
  session_->ensure_stats(busy_progress(label, 0, 1));
  if (!in_command) busy_label_.clear();
}

void StudioWorker::after_stage1_step() {
  stage1_finished_ = false;
  if (stage1_warning_.empty()) stage1_warning_ = loss_jump_warning(session_->stage1_log(), state_.stage1.optimizer);
}

void StudioWorker::apply_settings_to_session(const StudioState& before) {
  if (!session_) return;
  if (!same_stage1(before.stage1, state_.stage1)) {
    session_->set_stage1_settings(state_.stage1);
    const auto& a = before.stage1;
    const auto& b = state_.stage1;
    if (a.init != b.init || a.dim != b.dim || a.seed != b.seed || a.train_count != b.train_count) {
      session_->reset_stage1();  // a new W_0 was asked for: the old log no longer describes it
      stage1_finished_ = false;
      stage1_warning_.clear();
      heat_initial_ = feature_cosine_heatmap(session_->memories().patterns, session_->w());
      message_ = "W re-initialized (" + std::string(uhop::to_string(b.init)) + ")";
    }
  }
  // Stage II settings keep W; the retrieval restarts from the query.
  if (!same_stage2(before.stage2, state_.stage2)) session_->set_retrieval_settings(state_.stage2);
  if (before.target != state_.target || uhop::to_string(before.corruption) != uhop::to_string(state_.corruption) ||
      before.corruption_seed != state_.corruption_seed) {
    restart_query();
  }
  apply_probe_settings();
}

void StudioWorker::process(const Command& c) {
  auto need_session = [this] {
    if (!session_) throw uhop::InputError("no memories loaded yet");
  };
  switch (c.kind) {
    case CommandKind::load:
      load(c);
      return;
    case CommandKind::cancel:
      cancel_ = false;
      stage1_playing_ = stage2_playing_ = false;
      landscape_live_ = false;
      message_ = "cancelled";
      return;
    case CommandKind::wait:
    case CommandKind::screenshot:  // the GUI handles these; to the worker they are no-ops
    case CommandKind::export_plot:
    case CommandKind::export_image:
    case CommandKind::record_start:
    case CommandKind::record_stop:
    case CommandKind::view:
      return;
    case CommandKind::load_session:
      load_session(c.path, c.number == 1);  // number 1: allow-large, the user asked for it
      return;
    case CommandKind::sweep:
      run_sweep(c);
      return;
    case CommandKind::landscape:
      landscape_command(c);
      return;
    case CommandKind::set:
    case CommandKind::corrupt:
    case CommandKind::target:
    case CommandKind::reroll: {
      StudioState before = state_;
      StudioState next = state_;
      for (const auto& [k, v] : c.settings) apply_setting(next, k, v);
      if (c.kind == CommandKind::target) next.target = c.number;
      if (c.kind == CommandKind::reroll) ++next.corruption_seed;
      if (session_ && next.target >= session_->memories().count()) {
        throw uhop::InputError("target " + std::to_string(next.target) + " is outside 0.." +
                               std::to_string(session_->memories().count() - 1));
      }
      state_ = next;
      try {
        apply_settings_to_session(before);
      } catch (...) {
        state_ = before;  // keep the previous, consistent settings
        if (session_) {
          session_->set_stage1_settings(before.stage1);
          session_->set_retrieval_settings(before.stage2);
        }
        throw;
      }
      return;
    }
    default:
      break;
  }
  need_session();
  const auto& shape = session_->memories().shape;
  switch (c.kind) {
    case CommandKind::brush: {
      uhop::Vector q = session_->query();
      apply_stroke(q, shape, c.stroke);
      session_->set_query(q, state_.target);
      query_edits_.push_back({false, c.stroke});
      return;
    }
    case CommandKind::clear_query:
      session_->set_query(uhop::Vector::Zero(session_->memories().dim()), state_.target);
      query_edits_.push_back({true, {}});
      return;
    case CommandKind::set_query:
      if (c.query.size() != session_->memories().dim()) {
        throw uhop::InputError("query has " + std::to_string(c.query.size()) + " values, the memories have " +
                               std::to_string(session_->memories().dim()));
      }
      session_->set_query(c.query, state_.target);
      query_unlinkable_ = true;
      return;
    case CommandKind::load_query: {
      uhop::LoadOptions o;
      o.count = 1;
      o.width = shape.width;
      o.height = shape.height;
      o.keep_rgb = shape.channels == 3;
      uhop::MemorySet one = uhop::load_memories(c.path, o);
      if (one.dim() != session_->memories().dim()) {
        throw uhop::InputError(c.path + ": the image has " + std::to_string(one.dim()) + " values, the memories have " +
                               std::to_string(session_->memories().dim()));
      }
      session_->set_query(one.patterns.row(0).transpose(), state_.target);
      query_unlinkable_ = true;
      return;
    }
    case CommandKind::stage1_steps:
      stage1_steps(c);
      return;
    case CommandKind::stage1_play:
      stage1_playing_ = true;
      next_play_step_ = now_seconds();
      return;
    case CommandKind::stage1_pause:
      stage1_playing_ = false;
      ensure_stats();
      finish_stage1_run();
      return;
    case CommandKind::stage1_reset:
      stage1_playing_ = false;
      session_->reset_stage1();
      stage1_finished_ = false;
      stage1_warning_.clear();
      heat_initial_ = feature_cosine_heatmap(session_->memories().patterns, session_->w());
      map_anchor_to_mhm_ = true;
      return;
    case CommandKind::stage1_finish:
      session_->finish_stage1();
      stage1_finished_ = true;
      ensure_stats();  // the statistics (and Stage II's bound) of the normalized W
      return;
    case CommandKind::stage1_normalize:
      session_->normalize_w_rows();
      ensure_stats();
      message_ = "rows of W normalized to unit length (after Stage I step " + std::to_string(session_->stage1_steps()) +
                 "; not a log row)";
      return;
    case CommandKind::save_session:
      save_session(c.path);
      return;
    case CommandKind::stage2_steps:
      for (int i = c.steps_done; i < c.number; ++i) {
        if (cancel_) throw uhop::Cancelled();
        session_->stage2_step();
        if (pumped_ && i + 1 < c.number) return continue_later(c, i + 1);  // pumped: one step per turn
        maybe_publish();
      }
      return;
    case CommandKind::stage2_play:
      // Play from the start when the run already reached T.
      if (static_cast<int>(session_->retrieval().log.size()) - 1 >= state_.stage2_steps) session_->reset_stage2();
      stage2_playing_ = true;
      next_play_step_ = now_seconds();
      return;
    case CommandKind::stage2_pause:
      stage2_playing_ = false;
      return;
    case CommandKind::stage2_reset:
      stage2_playing_ = false;
      session_->reset_stage2();
      return;
    default:
      return;
  }
}

void StudioWorker::step_playing() {
  if (!session_) {
    stage1_playing_ = stage2_playing_ = false;
  }
  double interval = 0;
  if (stage1_playing_) {
    const int stop = state_.stage1_stop_after;
    if (stop > 0 && session_->stage1_steps() >= stop) {
      stage1_playing_ = false;
      ensure_stats();
      finish_stage1_run();
      message_ = "Stage I stopped after " + std::to_string(stop) + " steps";
    } else {
      timed_stage1_step([this](double) { return !cancel_.load(); });
      after_stage1_step();
      if (state_.stage1_speed > 0) interval = 1.0 / state_.stage1_speed;
    }
  }
  if (stage2_playing_) {
    if (static_cast<int>(session_->retrieval().log.size()) - 1 >= state_.stage2_steps) {
      stage2_playing_ = false;
    } else {
      session_->stage2_step();
      if (state_.stage2_speed > 0) interval = std::max(interval, 1.0 / state_.stage2_speed);
    }
  }
  next_play_step_ = now_seconds() + interval;
  const bool still = stage1_playing_ || stage2_playing_;
  if (!still) {
    publish(true);
    std::lock_guard<std::mutex> lock(mutex_);
    playing_ = false;
  } else {
    maybe_publish();
  }
}

void StudioWorker::maybe_publish() {
  const double now = now_seconds();
  if (now - last_publish_ < min_publish_interval_) return;
  // Rebuilding the retrieval after W changed costs a product with W^T W: at most a few times per second.
  // With 60,000 memories a rebuild takes a second: spaced so it takes at most a fifth of the worker's time.
  const bool full = !last_full_ || now - last_full_time_ >= std::max(0.5, 4 * last_full_cost_);
  publish(full);
}

void StudioWorker::publish(bool full) {
  auto s = std::make_shared<StudioSnapshot>();
  s->version = ++version_;
  s->commands_done = commands_done_;
  s->state = state_;
  s->memories = gallery_;
  s->stage1_playing = stage1_playing_;
  s->stage2_playing = stage2_playing_;
  s->stage1_finished = stage1_finished_;
  s->query_edits = query_edits_;
  s->query_unlinkable = query_unlinkable_;
  s->busy = !busy_label_.empty() || stage1_playing_ || stage2_playing_;
  s->busy_label = !busy_label_.empty() ? busy_label_
                  : stage1_playing_    ? "Stage I playing"
                  : stage2_playing_    ? "Stage II playing"
                                       : "";
  s->progress = progress_;
  // Text that reaches the screen is made printable here, once: it embeds paths and file excerpts.
  s->busy_label = uhop::printable_text(s->busy_label);
  s->error = uhop::printable_text(error_);
  s->last_error = uhop::printable_text(last_error_);
  s->error_id = error_id_;
  s->message = uhop::printable_text(message_);
  s->warnings = warnings_;
  for (std::string& w : s->warnings) w = uhop::printable_text(w);
  s->sweep = sweep_;
  s->suggested_size = suggested_size_;
  s->refused_source = refused_source_, s->quick_size = quick_size_;
  s->refused_session = refused_session_;
  s->stage1_warning = stage1_warning_;
  s->sweep_running = sweep_running_;
  s->session_path = session_path_;
  if (session_) {
    s->has_session = true;
    s->stage1_log = session_->stage1_log();
    s->stats = session_->stats();
    s->identity_stats = session_->identity_stats();
    s->heat_initial = heat_initial_;
    // The heatmap of the current W costs two products of up to 256 memories: redone when W changed, and while
    // Stage I plays only with the full publishes (a few per second).
    if ((full || !stage1_playing_ || heat_now_.n == 0) &&
        (heat_now_w_.rows() != session_->w().rows() || heat_now_w_ != session_->w())) {
      heat_now_ = feature_cosine_heatmap(session_->memories().patterns, session_->w());
      heat_now_w_ = session_->w();
    }
    s->heat_now = heat_now_;
    s->stats_current = session_->stats_current();
    s->stats_step = session_->stats_step();
    s->query = session_->query();
    s->target_image = session_->memories().patterns.row(session_->target()).transpose();
    if (full || !last_full_) {
      const double started = now_seconds();
      const uhop::RetrievalRun& run = session_->retrieval();
      s->trajectory = run.trajectory;
      s->retrieval_log = run.log;
      s->baseline_log = session_->baseline().log;
      if (!session_->baseline().trajectory.empty()) s->baseline_final = session_->baseline().trajectory.back();
      s->weights = run.weights;
      if (!run.log.empty()) {
        s->nearest = run.log.back().nearest;
        s->success = s->nearest == run.target;
        s->exact_guaranteed = run.log.back().exact_guaranteed;
      }
      s->energy_monotone = energy_never_rises(run.log, state_.stage2.precision);
      last_full_time_ = now_seconds();
      last_full_cost_ = last_full_time_ - started;
    } else {
      const StudioSnapshot& f = *last_full_;
      s->trajectory = f.trajectory;
      s->retrieval_log = f.retrieval_log;
      s->baseline_log = f.baseline_log;
      s->baseline_final = f.baseline_final;
      s->weights = f.weights;
      s->nearest = f.nearest;
      s->success = f.success;
      s->exact_guaranteed = f.exact_guaranteed;
      s->energy_monotone = f.energy_monotone;
    }
  }
  publish_views(*s, full);
  if (full || !last_full_) last_full_ = s;
  last_publish_ = now_seconds();
  {
    std::lock_guard<std::mutex> lock(mutex_);
    snapshot_ = s;
    playing_ = stage1_playing_ || stage2_playing_;
  }
  if (on_publish_) on_publish_();
}
}  // namespace studio
