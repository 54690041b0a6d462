#include "capacity_lab.h"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <functional>
#include <sstream>

#include "numerics/input_error.h"
#include "numerics/number_text.h"

namespace studio {
const char* to_string(CapacityView v) {
  switch (v) {
    case CapacityView::curves:
      return "curves";
    case CapacityView::phase:
      return "phase";
    case CapacityView::basin:
      return "basin";
    case CapacityView::laws:
      return "laws";
  }
  return "?";
}

const std::vector<std::string>& capacity_view_names() {
  static const std::vector<std::string> names = {"curves", "phase", "basin", "laws"};
  return names;
}

const std::vector<std::string>& capacity_preset_names() {
  static const std::vector<std::string> names = {"capacity-exponential-threshold"};
  return names;
}

CapacityOptions capacity_preset(const std::string& name) {
  if (name == "capacity-exponential-threshold")
    return {{"view", "curves"}, {"model", "exponential"}, {"patterns", "spherical"}, {"dim", "16"},
            {"betas", "1,2"},   {"alphas", "0.1:0.9:12"}, {"trials", "100"}};
  throw uhop::InputError("capacity: unknown preset " + uhop::quoted_excerpt(name) +
                         " (capacity-exponential-threshold)");
}

namespace {
// "A,B,C" or "LO:HI:COUNT" (COUNT evenly spaced values from LO to HI, 1..200).
std::vector<double> value_list(const std::string& key, const std::string& text) {
  const std::string what = "capacity " + key;
  std::vector<double> out;
  if (text.find(':') != std::string::npos) {
    std::stringstream in(text);
    std::string lo, hi, count;
    if (!std::getline(in, lo, ':') || !std::getline(in, hi, ':') || !std::getline(in, count))
      throw uhop::InputError(what + ": expected LO:HI:COUNT, got " + uhop::quoted_excerpt(text));
    const double a = uhop::parse_real_number(lo, what), b = uhop::parse_real_number(hi, what);
    const int n = static_cast<int>(uhop::parse_whole_number(count, 1, 200, what + " count"));
    for (int i = 0; i < n; ++i) out.push_back(n == 1 ? a : a + (b - a) * i / (n - 1));
    return out;
  }
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, ',')) out.push_back(uhop::parse_real_number(item, what));
  if (out.empty() || out.size() > 1000) throw uhop::InputError(what + ": give 1..1000 values");
  return out;
}

CapacityRequest view_defaults(CapacityView v) {
  CapacityRequest r;
  r.view = v;
  uhop::CapacitySettings& s = r.settings;
  s.model = uhop::CapacityModel::exponential;
  s.patterns = uhop::PatternEnsemble::spherical;
  switch (v) {
    case CapacityView::curves:  // the default curve: 12 loads x 200 trials at N = 16, beta 1
      s.dim = 16;
      s.alphas = value_list("alphas", "0.1:0.75:12");
      s.trials = 200;
      break;
    case CapacityView::phase:
      s.dim = 10;
      s.alphas = value_list("alphas", "0.1:1.2:12");
      s.betas = value_list("betas", "0.25:3:12");
      s.trials = 30;
      break;
    case CapacityView::basin:
      s.dim = 16;
      s.alphas = {0.3};
      s.betas = {2};
      s.trials = 100;
      r.rhos = value_list("rhos", "0.3:1:15");
      break;
    case CapacityView::laws:
      s.trials = r.law_trials;
      break;
  }
  return r;
}
}  // namespace

CapacityRequest capacity_request(const CapacityOptions& options) {
  for (const auto& [k, v] : options)
    if (k == "preset") {  // the preset first, every other option over it
      CapacityOptions merged = capacity_preset(v);
      for (const auto& kv : options)
        if (kv.first != "preset") merged.push_back(kv);
      return capacity_request(merged);
    }
  CapacityView view = CapacityView::curves;
  for (const auto& [k, v] : options)
    if (k == "view") {
      if (v == "curves")
        view = CapacityView::curves;
      else if (v == "phase")
        view = CapacityView::phase;
      else if (v == "basin")
        view = CapacityView::basin;
      else if (v == "laws")
        view = CapacityView::laws;
      else
        throw uhop::InputError("capacity view: expected curves, phase, basin or laws, got " + uhop::quoted_excerpt(v));
    }
  CapacityRequest r = view_defaults(view);
  uhop::CapacitySettings& s = r.settings;
  bool patterns_given = false;
  for (const auto& [k, v] : options) {
    const std::string what = "capacity " + k;
    if (k == "view") continue;
    if (k == "model")
      s.model = uhop::parse_capacity_model(v);
    else if (k == "patterns")
      s.patterns = uhop::parse_pattern_ensemble(v), patterns_given = true;
    else if (k == "dim")
      s.dim = static_cast<int>(uhop::parse_whole_number(v, 2, uhop::kMaxCapacityDim, what));
    else if (k == "alphas")
      s.alphas = value_list(k, v);
    else if (k == "betas")
      s.betas = value_list(k, v);
    else if (k == "degree")
      s.degree = static_cast<int>(uhop::parse_whole_number(v, 2, 8, what));
    else if (k == "trials")
      s.trials = r.law_trials = static_cast<int>(uhop::parse_whole_number(v, 1, 100000, what));
    else if (k == "start_overlap")
      s.start_overlap = uhop::parse_real_number(v, what);
    else if (k == "steps")
      s.steps = static_cast<int>(uhop::parse_whole_number(v, 1, uhop::kMaxCapacitySteps, what));
    else if (k == "seed")
      s.seed = uhop::parse_seed_number(v, what);
    else if (k == "rhos")
      r.rhos = value_list(k, v);
    else
      throw uhop::InputError("capacity: unknown option " + uhop::quoted_excerpt(k));
  }
  if (s.model != uhop::CapacityModel::exponential && !patterns_given) s.patterns = uhop::PatternEnsemble::binary;
  if (view != CapacityView::curves && view != CapacityView::laws && s.model != uhop::CapacityModel::exponential)
    throw uhop::InputError(std::string("capacity view=") + to_string(view) + ": the exponential model only");
  if (view == CapacityView::basin) {
    if (s.alphas.size() != 1 || s.betas.size() != 1)
      throw uhop::InputError("capacity view=basin: give one alpha and one beta");
    for (double rho : r.rhos)
      if (!(rho >= 0 && rho <= 1)) throw uhop::InputError("capacity rhos: each must be in [0, 1]");
  }
  if (view != CapacityView::laws) uhop::capacity_cells(s);  // everything core refuses, before anything runs
  return r;
}

// One request in parts (a cell, a start overlap, a law's dimension): a thread runs them back to back; a pumped lab
// runs them between frames (the browser: no threads), so the UI draws and Cancel works between parts.
struct CapacityLab::Run {
  CapacityRequest request;
  CapacityOutcome o;
  std::chrono::steady_clock::time_point start = std::chrono::steady_clock::now();
  double last_refresh = -1;
  std::vector<std::function<void()>> parts;
  size_t next = 0;
  double seconds() const { return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(); }
};

CapacityLab::CapacityLab(WorkerThreading threading) : pumped_(threading == WorkerThreading::pump) {}

CapacityLab::~CapacityLab() {
  stop();
}

void CapacityLab::start(const CapacityOptions& options) {
  CapacityRequest request = capacity_request(options);
  stop();
  cancel_ = false;
  running_ = true;
  run_ = plan(std::move(request), options);
  refresh(*run_);
  if (!pumped_) {
    thread_ = std::thread([this] {
      while (step()) {
      }
    });
  }
}

void CapacityLab::pump(double budget_seconds) {
  if (!pumped_ || !running_) return;
  const auto until = std::chrono::steady_clock::now() + std::chrono::duration<double>(budget_seconds);
  while (step() && std::chrono::steady_clock::now() < until) {
  }
}

void CapacityLab::cancel() {
  cancel_ = true;
}

void CapacityLab::stop() {
  cancel_ = true;
  if (thread_.joinable()) thread_.join();
  while (pumped_ && step()) {  // a pumped run ends at its next part (cancelled)
  }
}

std::shared_ptr<const CapacityOutcome> CapacityLab::latest() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return latest_;
}

bool CapacityLab::wait_idle(double timeout_seconds) {
  const auto until = std::chrono::steady_clock::now() + std::chrono::duration<double>(timeout_seconds);
  while (running_ && std::chrono::steady_clock::now() < until) {
    if (pumped_) {
      pump(0.05);
    } else {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }
  return !running_;
}

void CapacityLab::publish(const CapacityOutcome& o) {
  auto copy = std::make_shared<CapacityOutcome>(o);
  std::lock_guard<std::mutex> lock(mutex_);
  copy->version = ++version_;
  latest_ = std::move(copy);
}

namespace {
struct LawPlan {
  std::string law;
  std::vector<int> dims;
  uhop::CapacityModel model;
  int degree;
  const char* alphas;
};
const LawPlan kLaws[] = {
    {"hebbian", {25, 50, 100, 200}, uhop::CapacityModel::hebbian, 2, "0.04:0.4:10"},
    {"polynomial n=3", {12, 20, 32, 48}, uhop::CapacityModel::polynomial, 3, "0.02:0.4:12"},
    {"polynomial n=4", {8, 12, 16, 24}, uhop::CapacityModel::polynomial, 4, "0.005:0.2:12"},
    {"exponential", {6, 9, 12, 15}, uhop::CapacityModel::exponential, 0, "0.1:1.0:10"},
};
}  // namespace

void CapacityLab::refresh(Run& r) {
  CapacityOutcome& o = r.o;
  const uhop::CapacitySettings& s = r.request.settings;
  switch (r.request.view) {
    case CapacityView::curves:
      o.figure = uhop::capacity_curve_figure(s, o.rows);
      break;
    case CapacityView::phase:
      o.heatmap = uhop::capacity_phase_figure(s, o.rows);
      break;
    case CapacityView::basin:
      o.figure = uhop::capacity_basin_figure(s, s.alphas[0], s.betas[0], r.request.rhos, o.rows);
      break;
    case CapacityView::laws:
      o.figure = uhop::capacity_laws_figure(o.law_points, uhop::PatternEnsemble::spherical, 1.0);
      break;
  }
  o.seconds = r.seconds();
  char buf[160];
  std::snprintf(buf, sizeof buf, "%s: %zu rows, %.0f %%, %.1f s", to_string(r.request.view),
                r.request.view == CapacityView::laws ? o.law_points.size() : o.rows.size(), 100 * o.progress,
                o.seconds);
  o.status = buf;
  r.last_refresh = o.seconds;
  publish(o);
}

bool CapacityLab::step() {
  if (!run_ || !running_) return false;
  Run& r = *run_;
  try {
    if (cancel_) throw uhop::Cancelled();
    if (r.next < r.parts.size()) r.parts[r.next++]();
    if (r.next < r.parts.size()) return true;
    r.o.progress = 1;
  } catch (const uhop::Cancelled&) {
    r.o.cancelled = true;
  } catch (const std::exception& e) {
    r.o.error = uhop::printable_text(e.what());
  }
  r.o.running = false;
  refresh(r);
  running_ = false;
  return false;
}

std::unique_ptr<CapacityLab::Run> CapacityLab::plan(CapacityRequest request, CapacityOptions options) {
  auto run = std::make_unique<Run>();
  Run& r = *run;
  r.request = std::move(request);
  r.o.request = r.request;
  r.o.options = std::move(options);
  r.o.running = true;
  const uhop::CapacitySettings& s = r.request.settings;
  // Progress of part `index` of `parts`; a false return (cancel) makes the core throw Cancelled.
  auto progress_of = [this, &r](int index, int parts) {
    return [this, &r, index, parts](double f) {
      r.o.progress = (index + f) / parts;
      if (r.seconds() - r.last_refresh > 0.1) refresh(r);  // the progress bar moves within a long part too
      return !cancel_.load();
    };
  };
  auto add_row = [this, &r](const uhop::CapacityRow& row) {
    r.o.rows.push_back(row);
    refresh(r);
  };
  if (r.request.view == CapacityView::curves || r.request.view == CapacityView::phase) {
    const int n = static_cast<int>(uhop::capacity_cells(s).size());
    for (int i = 0; i < n; ++i)
      r.parts.push_back([&s, i, n, add_row, progress_of] { uhop::run_capacity(s, {i}, add_row, progress_of(i, n)); });
  } else if (r.request.view == CapacityView::basin) {
    const int n = static_cast<int>(r.request.rhos.size());
    for (int i = 0; i < n; ++i)
      r.parts.push_back([&r, i, n, add_row, progress_of] {
        uhop::CapacitySettings one = r.request.settings;
        one.start_overlap = r.request.rhos[i];
        uhop::run_capacity(one, {}, add_row, progress_of(i, n));
      });
  } else {
    for (const LawPlan& plan : kLaws)
      for (int dim : plan.dims) r.o.law_points.push_back({plan.law, dim, uhop::kPlotNaN});
    const int parts = static_cast<int>(r.o.law_points.size());
    int index = 0;
    for (const LawPlan& plan : kLaws)
      for (int dim : plan.dims) {
        r.parts.push_back([this, &r, &plan, dim, index, parts] {
          uhop::CapacitySettings one;
          one.model = plan.model;
          one.patterns = plan.model == uhop::CapacityModel::exponential ? uhop::PatternEnsemble::spherical
                                                                        : uhop::PatternEnsemble::binary;
          one.degree = std::max(2, plan.degree);
          one.dim = dim;
          one.trials = r.request.law_trials;
          one.seed = r.request.settings.seed;
          one.alphas = value_list("alphas", plan.alphas);
          // Loads in increasing order until retrieval falls below 1/2: the crossing is all this view needs.
          std::vector<uhop::CapacityRow> rows;
          const int cells = static_cast<int>(one.alphas.size());
          for (int k = 0; k < cells; ++k) {
            const auto row = uhop::run_capacity(one, {k}, {}, [&](double f) {
              r.o.progress = (index + (k + f) / cells) / parts;
              if (r.seconds() - r.last_refresh > 0.1) refresh(r);
              return !cancel_.load();
            });
            rows.push_back(row[0]);
            if (row[0].retrieved < 0.5) break;
          }
          const double a = uhop::retrieved_crossing(rows);
          r.o.law_points[index].p_max = std::isfinite(a) ? uhop::capacity_law_count(plan.law, dim, a) : uhop::kPlotNaN;
          r.o.progress = static_cast<double>(index + 1) / parts;
          refresh(r);
        });
        ++index;
      }
  }
  return run;
}
}  // namespace studio
