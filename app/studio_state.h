// Every setting of U-Hop Studio in one plain struct (the TensorFlow-Playground "state" table): what to load, which
// memory is the target, how the query is corrupted, Stage I and Stage II settings and the play controls. It is
// serializable as "key=value" lines with the same keys the script's `set` command takes, so a setup can be shared
// and reproduced. No GUI types.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "numerics/corruption.h"
#include "data/memory_sources.h"
#include "numerics/retrieval.h"
#include "plot/plot_export.h"
#include "session/session.h"

namespace studio {
struct StudioState {
  // ---- memories
  std::string source = "builtin:fashion-mnist";
  uhop::LoadOptions load = default_load_options();
  // ---- query
  int target = 0;
  uhop::Corruption corruption{uhop::CorruptionKind::gaussian, 0.3};
  uint64_t corruption_seed = 1;
  // ---- Stage I (training W)
  uhop::Stage1Settings stage1;
  double stage1_speed = 0;      // steps per second while playing; 0 = as fast as possible
  int stage1_stop_after = 200;  // play stops after this many steps in total; 0 = never
  // ---- Stage II (retrieval)
  uhop::RetrievalSettings stage2 = default_retrieval();
  int stage2_steps = 5;     // T: play runs the retrieval up to x_T
  double stage2_speed = 4;  // steps per second while playing; 0 = as fast as possible
  // ---- exports (the Export options dialog; saved in session files)
  uhop::ExportSettings exports;
  // ---- the "why" views (insight_worker.cpp): the probe of all M memories under the current corruption, Lemma 1's
  // epsilon, the landscape's rival and grid
  bool probe = true;           // probe while Stage I trains
  uint64_t probe_seed = 0;     // the probe's query seeds (fixed: the same queries at every step)
  int probe_steps = 1;         // T of the probe's batched Stage II (the paper's sweeps: 1)
  double probe_beta = 1;       // beta of the probe (the paper's sweeps: 1)
  int probe_every = 0;         // probe every k-th Stage I step; 0 = chosen so Stage I keeps >= 80 % of its speed
  double bound_epsilon = 0.1;  // beta* makes the Lemma 1 bound < epsilon
  int rival = -1;              // the landscape's second memory J; -1 = what MHM retrieves, else the nearest other
  int landscape_grid = 128;    // N x N points on the plane

  static uhop::LoadOptions default_load_options() {
    uhop::LoadOptions o;
    o.count = 20;
    o.count_at_most = true;  // a folder of 12 images with M = 20 loads the 12, with a note
    return o;
  }
  static uhop::RetrievalSettings default_retrieval() {
    uhop::RetrievalSettings r;
    r.beta = 4;
    return r;
  }
};

// Sets one field from its script/serialized name; throws uhop::InputError naming the key or value when either is bad.
// Keys: source count offset pick seed(load seed) rgb size width height norm target corruption corruption_seed
// init dim lr schedule optimizer t loss normalize_rows w_seed train_count speed1 stop_after precision1 batch
// stats_every similarity alpha topk beta beta_after_sep T speed2 precision2 probe probe_seed probe_steps probe_beta
// probe_every epsilon rival landscape_grid export_format export_unit export_size (WxH in the unit, 0 = as on screen)
// export_dpi export_font_scale export_theme export_folder.
void apply_setting(StudioState& state, const std::string& key, const std::string& value);
// "key=value" lines for every setting, in a fixed order; apply_setting of each line gives back the same state.
std::string to_text(const StudioState& state);
std::vector<std::string> setting_keys();

// ---- what a control does beyond setting one value (GUI-free so tests can prove it)

// The corruption after the user picks another kind: the strength carries over when it means something for the new
// kind, else the kind's default (mask-half has no strength; after it, gaussian gets 0.3, not 0.00 and a clean query).
uhop::Corruption with_kind(const uhop::Corruption& current, uhop::CorruptionKind kind);
double default_strength(uhop::CorruptionKind kind);

// Each optimizer's default learning rate: sgd 0.1, adam 0.01 (Adam at 0.1 collapses W on the built-in sets).
double default_lr(uhop::Optimizer optimizer);
// The settings to send when the user picks another optimizer: the optimizer, and its default lr when the current
// lr is still the old optimizer's default (a value the user typed is kept).
std::vector<std::pair<std::string, std::string>> optimizer_change(const StudioState& state, uhop::Optimizer next);

// Settings that change what the numbers mean and are easy to miss (the reference code's quirks): one line each for
// a warning on screen; empty when none is on.
std::vector<std::string> unusual_settings(const StudioState& state);
}  // namespace studio
