// The worker thread that owns the uhop::Session. The UI pushes Commands (never blocks) and reads the latest
// immutable StudioSnapshot; the worker publishes a new one after each command and, rate-limited, while it steps,
// so a long Stage I run is not slowed down by the UI.
#pragma once
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "numerics/memory_set.h"
#include "session/session.h"
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

  // The last finished sweep (null before the first); the file of the last session saved or loaded.
  std::shared_ptr<const SweepOutcome> sweep;
  bool sweep_running = false;
  std::string session_path;

  // Status
  bool busy = false;
  std::string busy_label;
  double progress = 0;    // of the busy work, in [0,1]
  std::string error;      // last error (bad input), empty when none
  uint64_t error_id = 0;  // increases with each new error so the UI can pop it up once
  std::string message;    // last informational message (e.g. a fallback)
  std::vector<std::string> warnings;
};

class StudioWorker {
 public:
  explicit StudioWorker(StudioState initial = {});
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

 private:
  void run();
  void process(const Command& c);
  void step_playing();
  void publish(bool full);
  void maybe_publish();
  void set_busy(const std::string& label, double progress);
  void report_error(const std::string& what);
  void apply_settings_to_session(const StudioState& before);
  void restart_query();
  void load(const Command& c);
  void stage1_steps(int n);
  void ensure_stats();  // statistics over all M for the last row, with progress and cancel
  uhop::ProgressFn busy_progress(const std::string& label, double from, double to);
  void save_session(const std::string& path);
  void load_session(const std::string& path);
  void run_sweep(const Command& c);

  mutable std::mutex mutex_;
  mutable std::condition_variable cv_;
  std::deque<Command> queue_;
  bool stop_ = false;
  bool working_ = false;  // a command is being processed
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
  std::string error_, message_, busy_label_;
  std::vector<std::string> warnings_;
  double progress_ = 0;
  double min_publish_interval_ = 1.0 / 60;
  double last_publish_ = -1e9;
  double next_play_step_ = 0;
  double last_full_time_ = -1e9;
  double last_full_cost_ = 0;  // seconds the last full publish took (the retrieval rebuilt for the new W)
  std::shared_ptr<const StudioSnapshot> last_full_;  // Stage II part reused by Stage-I-only publishes
  bool stage1_finished_ = false;  // finish_stage1() was applied after the last Stage I step (saved in sessions)
  bool sweep_running_ = false;
  std::shared_ptr<const SweepOutcome> sweep_;
  std::string session_path_;
};

Heatmap feature_cosine_heatmap(const uhop::Matrix& memories, const uhop::Matrix& w,
                               int max_size = Heatmap::kMaxHeatmap);
// The brush (see BrushStroke) applied to a query of the given shape.
void apply_stroke(uhop::Vector& query, const uhop::ImageShape& shape, const BrushStroke& stroke);
}  // namespace studio
