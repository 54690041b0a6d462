#include "studio_sweep.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <sstream>

#include "data/builtin_glyphs.h"
#include "numerics/input_error.h"
#include "numerics/number_text.h"
#include "session/sweep_presets.h"
#include "studio_worker.h"

namespace studio {
namespace {
std::vector<std::string> split_list(const std::string& key, const std::string& text) {
  std::vector<std::string> out;
  std::stringstream in(text);
  for (std::string item; std::getline(in, item, ',');) {
    if (item.empty()) throw uhop::InputError(key + ": empty entry in " + uhop::quoted_excerpt(text));
    out.push_back(item);
  }
  if (out.empty()) throw uhop::InputError(key + ": expected at least one value");
  return out;
}

double parse_number(const std::string& key, const std::string& text) {
  return uhop::parse_real_number(text, key);
}

int parse_int(const std::string& key, const std::string& text, int lo, int hi) {
  return static_cast<int>(uhop::parse_whole_number(text, lo, hi, key));
}
}  // namespace

SweepRequest sweep_request(const StudioState& state, const std::vector<std::pair<std::string, std::string>>& options) {
  SweepRequest r;
  uhop::SweepSettings& s = r.settings;
  // A preset first, wherever it stands among the options; every other option then overrides it.
  s = uhop::default_sweep_settings();
  for (const auto& [k, v] : options)
    if (k == "preset") s = uhop::sweep_preset(v);
  // The memories the user is looking at, preprocessed the same way; count/offset/pick are per cell.
  s.memories = state.source;
  s.load.width = state.load.width;
  s.load.height = state.load.height;
  s.load.keep_rgb = state.load.keep_rgb;
  s.load.normalization = state.load.normalization;
  for (const auto& [k, v] : options) {
    if (k == "preset") {
      continue;
    } else if (k == "vary") {
      s.vary = uhop::parse_sweep_axis(v);
    } else if (k == "values") {
      s.values.clear();
      for (const auto& item : split_list(k, v)) s.values.push_back(parse_number(k, item));
    } else if (k == "methods") {
      s.methods = split_list(k, v);
      for (const auto& m : s.methods) uhop::parse_sweep_method(m);
    } else if (k == "seeds") {
      s.seeds = parse_int(k, v, 1, 1000);
    } else if (k == "first_seed") {
      s.first_seed = static_cast<uint64_t>(parse_int(k, v, 0, 1 << 30));
    } else if (k == "stage1_steps") {
      s.stage1_steps = parse_int(k, v, 0, 1000000);
    } else if (k == "memories") {
      if (v.empty()) throw uhop::InputError("memories: expected a source");
      s.memories = v;
    } else if (k == "pick") {  // the CLI's --pick: random subsets (the seed picks them) or consecutive blocks
      if (v != "random" && v != "first")
        throw uhop::InputError("pick: the sweep takes random or first, got " + uhop::quoted_excerpt(v));
      s.random_subset = v == "random";
    } else if (k == "sigma") {
      s.sigma = parse_number(k, v);
    } else if (k == "count") {
      s.count = parse_int(k, v, 1, 1 << 24);
    } else if (k == "beta") {
      s.beta = parse_number(k, v);
      if (!(s.beta > 0)) throw uhop::InputError("beta: expected a positive number, got " + uhop::quoted_excerpt(v));
    } else if (k == "steps") {
      s.retrieval_steps = parse_int(k, v, 1, 10000);
    } else if (k == "train_count") {
      uhop::set_sweep_train_count(s, v);
    } else if (k == "beta_after_sep") {
      if (v != "0" && v != "1")
        throw uhop::InputError("beta_after_sep: expected 0 or 1, got " + uhop::quoted_excerpt(v));
      s.beta_after_sep = v == "1";
    } else if (k == "init") {
      s.stage1.init = uhop::parse_feature_init(v);
    } else if (k == "lr") {
      s.stage1.lr = parse_number(k, v);
    } else if (k == "schedule") {
      s.stage1.schedule = uhop::parse_schedule(v);
    } else if (k == "loss") {
      s.stage1.loss = uhop::parse_loss_kind(v);
    } else if (k == "t") {
      s.stage1.t = parse_number(k, v);
    } else if (k == "noise") {
      if (v.empty()) throw uhop::InputError("noise: expected a corruption kind, e.g. gaussian or dropout");
      s.noise = v;
    } else if (k == "out") {
      if (v.empty()) throw uhop::InputError("out: expected a folder");
      r.out_dir = v;
    } else {
      throw uhop::InputError(
          "unknown sweep option " + uhop::quoted_excerpt(k) +
          " (preset vary values methods seeds first_seed stage1_steps memories pick sigma count beta steps "
          "train_count beta_after_sep init lr schedule loss t noise out)");
    }
  }
  if (r.out_dir.empty()) throw uhop::InputError("out: the sweep needs an output folder, e.g. out=sweep-M");
  uhop::sweep_cells(s);  // validates methods, values, noise and Stage I settings
  return r;
}
// The Sweep panel's Run, on the worker thread: progress per cell, cancel between cells, the figure and outputs.
void StudioWorker::run_sweep(const Command& c) {
  const SweepRequest req = sweep_request(state_, c.settings);
  const int cells = static_cast<int>(uhop::sweep_cells(req.settings).size());
  int done = 0;
  auto label = [&] {
    return "Sweep: cell " + std::to_string(std::min(done + 1, cells)) + " of " + std::to_string(cells);
  };
  sweep_running_ = true;
  set_busy(label(), 0);
  publish(false);
  std::vector<uhop::SweepCellResult> results;
  try {
    results = uhop::run_sweep(
        req.settings, {},
        [&](const uhop::SweepCellResult&) {
          ++done;
          set_busy(label(), static_cast<double>(done) / cells);
          maybe_publish();
        },
        [&](double f) {
          set_busy(label(), f);
          maybe_publish();
          return !cancel_.load();
        });
    std::filesystem::create_directories(req.out_dir);
    uhop::write_sweep_outputs(req.out_dir, req.settings, results);
  } catch (...) {
    sweep_running_ = false;
    throw;
  }
  sweep_running_ = false;
  auto outcome = std::make_shared<SweepOutcome>();
  const auto& s = req.settings;
  const std::string fixed = s.vary == uhop::SweepAxis::count ? s.noise + " sigma " + uhop::format_sigma(s.sigma)
                                                             : "M = " + std::to_string(s.count) + ", " + s.noise;
  outcome->figure = uhop::sweep_figure(
      uhop::summarize_sweep(results), s.vary,
      "retrieval error vs " + std::string(uhop::to_string(s.vary)) + " (" + s.memories + ", " + fixed + ")");
  outcome->out_dir = req.out_dir;
  outcome->options = c.settings;
  outcome->settings = s;
  outcome->cells = cells;
  const size_t methods = s.methods.empty() ? uhop::default_sweep_methods().size() : s.methods.size();
  const size_t values = s.values.empty() ? uhop::paper_sweep_values(s.vary).size() : s.values.size();
  outcome->summary = std::to_string(cells) + " cells: " + std::to_string(methods) + " methods x " +
                     std::to_string(values) + " values x " + std::to_string(s.seeds) + " seeds";
  sweep_ = outcome;
  message_ = "sweep done: " + req.out_dir;
}
std::string sweep_source_problem(const uhop::SweepSettings& s) {
  if (s.memories.rfind("builtin:glyphs", 0) != 0) return "";
  double needed = s.count;
  if (s.vary == uhop::SweepAxis::count) {
    const std::vector<double> values = s.values.empty() ? uhop::paper_sweep_values(s.vary) : s.values;
    needed = 0;
    for (double v : values) needed = std::max(needed, v);
  }
  if (needed <= uhop::kGlyphCount) return "";
  return "The built-in glyphs hold " + std::to_string(uhop::kGlyphCount) + " memories; this sweep needs " +
         std::to_string(static_cast<long long>(needed)) +
         " per cell. Load Fashion-MNIST (60,000 images) and run "
         "it there.";
}
}  // namespace studio
