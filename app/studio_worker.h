// The worker thread that owns the uhop::Session. The UI pushes Commands (never blocks) and reads the latest
// immutable StudioSnapshot; the worker publishes a new one after each command and, rate-limited, while it steps,
// so a long Stage I run is not slowed down by the UI.
#pragma once
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "insight_snapshot.h"
#include "numerics/memory_set.h"
#include "session/session.h"
#include "state_link.h"
#include "studio_commands.h"
#include "studio_state.h"
#include "studio_sweep.h"

namespace studio {
// The memory set as the UI needs it; shared between snapshots and replaced only when the memories change.
struct MemoryGallery {
  uint64_t version = 0;
  uhop::MemorySet set;
};

// The feature cosines for the heatmap: all memories up to kMaxHeatmap, else kMaxHeatmap evenly spaced ones (a
// sample, exact cosines; no M x M matrix, so 60,000 memories cost what 256 do).
struct Heatmap {
  static constexpr int kMaxHeatmap = 256;
  int n = 0;                  // n x n, row-major
  std::vector<float> values;  // feature cosine K_mu,nu / (||W xi_mu|| ||W xi_nu||), in [-1, 1]
};

// A folder loaded at the default M loads all its images up to this many (StudioWorker::load).
constexpr int kFolderDefaultCount = 1000;

struct StudioSnapshot {
  uint64_t version = 0;                           // increases with every publish
  uint64_t commands_done = 0;                     // commands fully processed so far (script runners wait on this)
  StudioState state;                              // the settings as the worker applied them
  std::shared_ptr<const MemoryGallery> memories;  // null before the first load
  bool has_session = false;

  // Stage I
  std::vector<uhop::Stage1Record> stage1_log;
  uhop::SeparationStats stats, identity_stats;
  bool stats_current = false;      // stats describe the current W (else the W of step stats_step)
  int stats_step = -1;             // the Stage I step whose W the statistics describe
  Heatmap heat_initial, heat_now;  // step 0 and the current W
  bool stage1_playing = false;
  bool stage1_finished = false;  // `stage1 finish` after the last step (for links and sessions)

  // Stage II (main run with the chosen similarity, plus the MHM baseline with the same alpha and beta)
  uhop::Vector query, target_image;
  std::vector<uhop::Vector> trajectory;  // x_0 .. x_t
  std::vector<uhop::RetrievalRecord> retrieval_log, baseline_log;
  uhop::Vector baseline_final;
  uhop::Vector weights;  // Sep_alpha(beta s(x_t)) over the memories
  int nearest = -1;
  bool success = false;           // the nearest memory to x_t is the target
  bool exact_guaranteed = false;  // Theorem 2 holds at x_t
  bool energy_monotone = true;    // E(x_{s+1}) <= E(x_s) + 1e-9 |E| for every logged step
  bool stage2_playing = false;
  // The query = the target's corrupted copy, then these edits (for links); query_unlinkable: it came from a file,
  // a vector or a session instead, so a link cannot rebuild it.
  std::vector<QueryEdit> query_edits;
  bool query_unlinkable = false;

  // The last finished sweep (null before the first); the file of the last session saved or loaded.
  std::shared_ptr<const SweepOutcome> sweep;
  bool sweep_running = false;
  std::string session_path;
  InsightSnapshot insight;  // the "why" views (insight_worker.cpp)

  // Status
  bool busy = false;
  std::string busy_label;
  double progress = 0;     // of the busy work, in [0,1]
  std::string error;       // the last command's error (bad input), empty when none
  std::string last_error;  // the most recent error of any command (kept: for logs, scripts' exit status, tests)
  uint64_t error_id = 0;   // increases with each new error so the UI can pop it up once
  std::string message;     // last informational message (e.g. a fallback)
  std::vector<std::string> warnings;
  // error and message describe the last command: a later command that succeeds clears them, so the status bar
  // never keeps a stale "stopped after 200 steps" or an old error.
  std::string suggested_size;  // "WxH" after a load refused for its size (d x d W too large): the UI offers it
  std::string refused_source;  // ... for this source
  std::string quick_size;      // ... and the size at which Stage I is quick (d <= kQuickStudioDim), when smaller
  // A session file refused for what it declares (session_budget.h): the UI offers "Open anyway" (load-session FILE
  // allow-large).
  std::string refused_session;
  std::string stage1_warning;  // e.g. the loss jumped (learning rate too large for the optimizer); empty when none
};

class StudioWorker {
 public:
  explicit StudioWorker(StudioState initial = {}, WorkerThreading threading = WorkerThreading::thread);
  ~StudioWorker();
  StudioWorker(const StudioWorker&) = delete;
  StudioWorker& operator=(const StudioWorker&) = delete;

  void push(Command command);  // never blocks on work; `cancel` acts at once
  void cancel();               // stop long work and playing; drops queued commands
  std::shared_ptr<const StudioSnapshot> snapshot() const;
  // Nothing queued, nothing in progress, nothing playing.
  bool idle() const;
  // For tests and scripts without a UI: blocks until idle() or the timeout (seconds) passes; returns idle().
  bool wait_idle(double timeout_seconds = 60) const;
  // Publishes at most this often while stepping (default 60/s); 0 = after every step.
  void set_max_publish_rate(double per_second) { min_publish_interval_ = per_second > 0 ? 1.0 / per_second : 0; }
  // Called on the worker thread after each publish (the UI posts an empty event so an idle frame loop wakes up).
  // Set before pushing the first command.
  void set_on_publish(std::function<void()> f) { on_publish_ = std::move(f); }
  // Pump mode: does queued work, playing steps and background work on the calling thread for about this long (at
  // least one unit of work when there is any).
  void pump(double budget_seconds);

 private:
  void run();
  bool work_once();  // one command (or one step of one), one playing step or one background job; false: nothing to do
  bool work_once_unguarded();
  void recover_from_failure(const std::string& what);
  void continue_later(const Command& c, int steps_done);  // pump mode: the rest of c goes back to the queue's front
  void process(const Command& c);
  void step_playing();
  void publish(bool full);
  void maybe_publish();
  void set_busy(const std::string& label, double progress);
  void report_error(const std::string& what);
  void apply_settings_to_session(const StudioState& before);
  void restart_query();
  void load(const Command& c);
  void stage1_steps(const Command& c);  // from c.steps_done to c.number
  void ensure_stats();                  // statistics over all M for the last row, with progress and cancel
  uhop::ProgressFn busy_progress(const std::string& label, double from, double to);
  void save_session(const std::string& path);
  void load_session(const std::string& path, bool allow_large = false);
  void run_sweep(const Command& c);
  // ---- the "why" views (insight_worker.cpp)
  void apply_probe_settings();  // the session's probe from state_ (after loads and setting changes)
  // One Stage I step (progress and cancel as given); measures it and picks the probe's every-k.
  void timed_stage1_step(const uhop::ProgressFn& progress = {});
  void finish_stage1_run();                  // after a run of steps: the last row probed, the map refreshed
  void reset_views();                        // new memories or a new W_0: the map's alignment chain restarts
  void landscape_command(const Command& c);  // `landscape [rival=J|auto] [grid=N] | off`
  // Coarse or fine grid; abortable: gives way to a queued command (returns false); show_progress: in the status bar.
  bool refresh_landscape(bool fine, bool abortable, bool show_progress);
  bool landscape_stale() const;
  uint64_t landscape_inputs_key() const;
  uint64_t w_key() const;  // changes whenever W may have changed
  void update_feature_map(bool force);
  void publish_views(StudioSnapshot& s, bool full);
  void update_background_work();  // sets background_pending_ when a live landscape is stale

  const bool pumped_;  // WorkerThreading::pump
  mutable std::mutex mutex_;
  mutable std::condition_variable cv_;
  std::deque<Command> queue_;
  bool stop_ = false;
  bool working_ = false;    // a command is being processed
  bool continued_ = false;  // pump mode: the command just processed went back to the queue to continue
  std::atomic<bool> cancel_{false};
  std::atomic<bool> playing_{false};
  std::shared_ptr<const StudioSnapshot> snapshot_;
  std::thread thread_;

  // Owned by the worker thread only.
  StudioState state_;
  std::unique_ptr<uhop::Session> session_;
  std::shared_ptr<const MemoryGallery> gallery_;
  Heatmap heat_initial_, heat_now_;
  uhop::Matrix heat_now_w_;  // the W heat_now_ was computed for
  bool stage1_playing_ = false, stage2_playing_ = false;
  uint64_t version_ = 0, commands_done_ = 0, error_id_ = 0, memory_version_ = 0;
  std::string error_, message_, busy_label_, last_error_;
  std::function<void()> on_publish_;
  std::vector<std::string> warnings_;
  double progress_ = 0;
  double min_publish_interval_ = 1.0 / 60;
  double last_publish_ = -1e9;
  double next_play_step_ = 0;
  double last_full_time_ = -1e9;
  double last_full_cost_ = 0;  // seconds the last full publish took (the retrieval rebuilt for the new W)
  std::shared_ptr<const StudioSnapshot> last_full_;  // Stage II part reused by Stage-I-only publishes
  std::vector<QueryEdit> query_edits_;               // since the query was last made from the target (restart_query)
  bool query_unlinkable_ = false;
  bool stage1_finished_ = false;  // finish_stage1() was applied after the last Stage I step (saved in sessions)
  std::string suggested_size_, quick_size_, refused_source_, refused_session_, stage1_warning_;
  // Throws InputError (and sets suggested_size_) when images of `shape` make W larger than the Studio holds.
  void check_studio_size(const StudioState& next, const uhop::ImageShape& shape, long long count);
  void after_stage1_step();  // checks the new loss row (warning on a jump)
  bool sweep_running_ = false;
  std::shared_ptr<const SweepOutcome> sweep_;
  std::string session_path_;
  // The "why" views' state (worker thread only, except background_pending_ under mutex_).
  bool background_pending_ = false;
  bool landscape_live_ = false, landscape_computing_ = false;
  std::shared_ptr<const LandscapeView> landscape_;
  std::shared_ptr<const FeatureMapView> feature_map_;
  uint64_t landscape_key_ = 0, map_key_ = 0;  // what the current landscape / U-Hop map were computed from
  uhop::Matrix landscape_mhm_cache_;          // MHM's grid (independent of W) and what it was computed from
  uint64_t landscape_mhm_key_ = 0;
  bool map_anchor_to_mhm_ = true;  // the next U-Hop frame aligns to MHM's map (after a load or reset)
  double map_time_ = -1e9, landscape_time_ = -1e9;
  double stage1_seconds_ = 0, probe_seconds_ = 0;
  int probe_every_ = 1;
  uint64_t view_version_ = 0;
};

Heatmap feature_cosine_heatmap(const uhop::Matrix& memories, const uhop::Matrix& w,
                               int max_size = Heatmap::kMaxHeatmap);
}  // namespace studio
