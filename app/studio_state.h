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

  static uhop::LoadOptions default_load_options() {
    uhop::LoadOptions o;
    o.count = 20;
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
// stats_every similarity alpha topk beta T speed2 precision2.
void apply_setting(StudioState& state, const std::string& key, const std::string& value);
// "key=value" lines for every setting, in a fixed order; apply_setting of each line gives back the same state.
std::string to_text(const StudioState& state);
std::vector<std::string> setting_keys();
}  // namespace studio
