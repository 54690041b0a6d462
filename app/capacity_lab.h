// The Studio's capacity lab (docs/capacity.md): the `capacity` script command and the Capacity window turn options
// into a CapacityRequest; a CapacityLab runs it on its own thread, or in slices between frames where there are no
// threads (the browser), so the UI never waits; it publishes a new
// CapacityOutcome after every measured row so the window fills in live, with progress and Cancel. No GUI types.
#pragma once
#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "numerics/capacity.h"
#include "plot/plot_figure.h"
#include "plot/plot_heatmap.h"
#include "session/capacity_figures.h"
#include "studio_commands.h"  // WorkerThreading

namespace studio {
enum class CapacityView { curves, phase, basin, laws };
const char* to_string(CapacityView v);
const std::vector<std::string>& capacity_view_names();  // curves phase basin laws

using CapacityOptions = std::vector<std::pair<std::string, std::string>>;
struct CapacityRequest {
  CapacityView view = CapacityView::curves;
  uhop::CapacitySettings settings;  // curves/phase: as run; basin: one alpha and beta, start overlap per rho
  std::vector<double> rhos;         // basin
  int law_trials = 24;              // laws: trials per (law, N, alpha)
};
// Options (key=value): view=curves|phase|basin|laws model=hebbian|polynomial|exponential
// patterns=spherical|gaussian|binary dim=N alphas=A,B,..|LO:HI:COUNT betas=B,..|LO:HI:COUNT degree=n trials=K
// start_overlap=R steps=T seed=S rhos=..|LO:HI:COUNT (basin). Each view starts from its own defaults (the
// Capacity window's), the options override them. Throws uhop::InputError naming the key (and what core refuses).
CapacityRequest capacity_request(const CapacityOptions& options);
// The preset `capacity-exponential-threshold`: spherical patterns, N = 16, beta 1 and 2, 12 loads across alpha_1.
CapacityOptions capacity_preset(const std::string& name);  // throws InputError for an unknown name
const std::vector<std::string>& capacity_preset_names();

struct CapacityOutcome {
  uint64_t version = 0;
  CapacityRequest request;
  CapacityOptions options;              // as given
  std::vector<uhop::CapacityRow> rows;  // measured so far (curves, phase: by cell; basin: by rho)
  std::vector<uhop::CapacityLawPoint> law_points;
  uhop::PlotFigure figure;      // curves, basin, laws
  uhop::HeatmapFigure heatmap;  // phase
  bool running = false, cancelled = false;
  double progress = 0, seconds = 0;
  std::string error;   // why it stopped (bad input), empty when none
  std::string status;  // one line: "12 of 24 rows, 3.1 s"
};

class CapacityLab {
 public:
  explicit CapacityLab(WorkerThreading threading = WorkerThreading::thread);
  ~CapacityLab();
  CapacityLab(const CapacityLab&) = delete;
  CapacityLab& operator=(const CapacityLab&) = delete;
  // Cancels and joins a running request, then starts this one. Throws InputError (nothing started) for bad options.
  void start(const CapacityOptions& options);
  void cancel();
  void stop();  // cancel and join (at exit)
  // Pump mode: runs parts of the request (a cell, a start overlap, a law's dimension) for about budget_seconds.
  void pump(double budget_seconds);
  bool running() const { return running_.load(); }
  std::shared_ptr<const CapacityOutcome> latest() const;
  bool wait_idle(double timeout_seconds);  // for tests (pumps a pumped lab)

 private:
  struct Run;
  std::unique_ptr<Run> plan(CapacityRequest request, CapacityOptions options);
  bool step();  // runs the next part; false when the run has ended (done, cancelled or failed)
  void refresh(Run& r);
  void publish(const CapacityOutcome& o);
  const bool pumped_;
  std::unique_ptr<Run> run_;
  mutable std::mutex mutex_;
  std::shared_ptr<const CapacityOutcome> latest_;
  std::thread thread_;
  std::atomic<bool> cancel_{false}, running_{false};
  uint64_t version_ = 0;
};
}  // namespace studio
