#include "studio_state.h"

#include <climits>
#include <cmath>
#include <cstdio>
#include <sstream>

#include "numerics/input_error.h"

namespace studio {
namespace {
std::string bad(const std::string& key, const std::string& value, const std::string& why) {
  return "bad value '" + value + "' for " + key + ": " + why;
}

double parse_double(const std::string& key, const std::string& value) {
  char* end = nullptr;
  double v = std::strtod(value.c_str(), &end);
  if (value.empty() || *end != '\0' || !std::isfinite(v)) throw uhop::InputError(bad(key, value, "expected a number"));
  return v;
}

long long parse_int(const std::string& key, const std::string& value, long long lo, long long hi) {
  char* end = nullptr;
  long long v = std::strtoll(value.c_str(), &end, 10);
  if (value.empty() || *end != '\0') throw uhop::InputError(bad(key, value, "expected an integer"));
  if (v < lo || v > hi) {
    throw uhop::InputError(bad(key, value, "expected " + std::to_string(lo) + ".." + std::to_string(hi)));
  }
  return v;
}

bool parse_bool(const std::string& key, const std::string& value) {
  if (value == "1" || value == "true" || value == "on" || value == "yes") return true;
  if (value == "0" || value == "false" || value == "off" || value == "no") return false;
  throw uhop::InputError(bad(key, value, "expected 0 or 1"));
}

std::string num(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

const char* pick_name(uhop::Pick p) {
  switch (p) {
    case uhop::Pick::first:
      return "first";
    case uhop::Pick::random:
      return "random";
    case uhop::Pick::per_class:
      return "per-class";
  }
  return "first";
}

const char* norm_name(uhop::Normalization n) {
  switch (n) {
    case uhop::Normalization::none:
      return "none";
    case uhop::Normalization::unit_norm:
      return "unit";
    case uhop::Normalization::centered:
      return "center";
  }
  return "none";
}
}  // namespace

std::vector<std::string> setting_keys() {
  return {"source",     "count",       "offset",      "pick",
          "seed",       "rgb",         "width",       "height",
          "norm",       "target",      "corruption",  "corruption_seed",
          "init",       "dim",         "lr",          "schedule",
          "optimizer",  "t",           "loss",        "normalize_rows",
          "w_seed",     "train_count", "speed1",      "stop_after",
          "precision1", "batch",       "stats_every", "similarity",
          "alpha",      "topk",        "beta",        "T",
          "speed2",     "precision2"};
}

void apply_setting(StudioState& s, const std::string& key, const std::string& value) {
  constexpr long long kBig = 1LL << 30;
  if (key == "source") {
    if (value.empty()) throw uhop::InputError("source: empty");
    s.source = value;
  } else if (key == "count") {
    s.load.count = static_cast<int>(parse_int(key, value, 0, kBig));
  } else if (key == "offset") {
    s.load.offset = static_cast<int>(parse_int(key, value, 0, kBig));
  } else if (key == "pick") {
    s.load.pick = uhop::parse_pick(value);
  } else if (key == "seed") {
    s.load.seed = static_cast<uint64_t>(parse_int(key, value, 0, LLONG_MAX));
  } else if (key == "rgb") {
    s.load.keep_rgb = parse_bool(key, value);
  } else if (key == "width") {
    s.load.width = static_cast<int>(parse_int(key, value, 0, 4096));
  } else if (key == "height") {
    s.load.height = static_cast<int>(parse_int(key, value, 0, 4096));
  } else if (key == "size") {  // WxH or one number for a square
    auto x = value.find('x');
    if (x == std::string::npos) {
      s.load.width = s.load.height = static_cast<int>(parse_int(key, value, 0, 4096));
    } else {
      s.load.width = static_cast<int>(parse_int(key, value.substr(0, x), 0, 4096));
      s.load.height = static_cast<int>(parse_int(key, value.substr(x + 1), 0, 4096));
    }
  } else if (key == "norm") {
    s.load.normalization = uhop::parse_normalization(value);
  } else if (key == "target") {
    s.target = static_cast<int>(parse_int(key, value, 0, kBig));
  } else if (key == "corruption") {
    s.corruption = uhop::parse_corruption(value);
  } else if (key == "corruption_seed") {
    s.corruption_seed = static_cast<uint64_t>(parse_int(key, value, 0, LLONG_MAX));
  } else if (key == "init") {
    s.stage1.init = uhop::parse_feature_init(value);
  } else if (key == "dim") {
    s.stage1.dim = static_cast<int>(parse_int(key, value, 0, 1 << 16));
  } else if (key == "lr") {
    s.stage1.lr = parse_double(key, value);
    if (s.stage1.lr <= 0) throw uhop::InputError(bad(key, value, "the learning rate must be > 0"));
  } else if (key == "schedule") {
    s.stage1.schedule = uhop::parse_schedule(value);
  } else if (key == "optimizer") {
    s.stage1.optimizer = uhop::parse_optimizer(value);
  } else if (key == "t") {
    s.stage1.t = parse_double(key, value);
    if (s.stage1.t <= 0) throw uhop::InputError(bad(key, value, "the temperature must be > 0"));
  } else if (key == "loss") {
    s.stage1.loss = uhop::parse_loss_kind(value);
  } else if (key == "normalize_rows") {
    s.stage1.normalize_rows = parse_bool(key, value);
  } else if (key == "w_seed") {
    s.stage1.seed = static_cast<uint64_t>(parse_int(key, value, 0, LLONG_MAX));
  } else if (key == "train_count") {
    s.stage1.train_count = static_cast<int>(parse_int(key, value, 0, kBig));
  } else if (key == "speed1") {
    s.stage1_speed = parse_double(key, value);
    if (s.stage1_speed < 0) throw uhop::InputError(bad(key, value, "steps per second must be >= 0"));
  } else if (key == "stop_after") {
    s.stage1_stop_after = static_cast<int>(parse_int(key, value, 0, kBig));
  } else if (key == "precision1") {
    s.stage1.precision = uhop::parse_precision(value);
  } else if (key == "batch") {
    s.stage1.batch = static_cast<int>(parse_int(key, value, 0, kBig));
    if (s.stage1.batch == 1) throw uhop::InputError(bad(key, value, "0 (all memories) or >= 2"));
  } else if (key == "stats_every") {
    s.stage1.stats_every = static_cast<int>(parse_int(key, value, 1, kBig));
  } else if (key == "precision2") {
    s.stage2.precision = uhop::parse_precision(value);
  } else if (key == "similarity") {
    s.stage2.similarity = uhop::parse_similarity(value);
  } else if (key == "alpha") {
    double a = parse_double(key, value);
    if (a < 1) throw uhop::InputError(bad(key, value, "alpha must be >= 1"));
    s.stage2.sep.alpha = a;
  } else if (key == "topk") {
    s.stage2.sep.top_k = static_cast<int>(parse_int(key, value, 0, kBig));
  } else if (key == "beta") {
    double b = parse_double(key, value);
    if (b <= 0) throw uhop::InputError(bad(key, value, "beta must be > 0"));
    s.stage2.beta = b;
  } else if (key == "T") {
    s.stage2_steps = static_cast<int>(parse_int(key, value, 0, 100000));
  } else if (key == "speed2") {
    s.stage2_speed = parse_double(key, value);
    if (s.stage2_speed < 0) throw uhop::InputError(bad(key, value, "steps per second must be >= 0"));
  } else {
    throw uhop::InputError("unknown setting '" + key + "'");
  }
}

std::string to_text(const StudioState& s) {
  std::ostringstream o;
  o << "source=" << s.source << "\ncount=" << s.load.count << "\noffset=" << s.load.offset
    << "\npick=" << pick_name(s.load.pick) << "\nseed=" << s.load.seed << "\nrgb=" << (s.load.keep_rgb ? 1 : 0)
    << "\nwidth=" << s.load.width << "\nheight=" << s.load.height << "\nnorm=" << norm_name(s.load.normalization)
    << "\ntarget=" << s.target << "\ncorruption=" << uhop::to_string(s.corruption)
    << "\ncorruption_seed=" << s.corruption_seed << "\ninit=" << uhop::to_string(s.stage1.init)
    << "\ndim=" << s.stage1.dim << "\nlr=" << num(s.stage1.lr) << "\nschedule=" << uhop::to_string(s.stage1.schedule)
    << "\noptimizer=" << uhop::to_string(s.stage1.optimizer) << "\nt=" << num(s.stage1.t)
    << "\nloss=" << uhop::to_string(s.stage1.loss) << "\nnormalize_rows=" << (s.stage1.normalize_rows ? 1 : 0)
    << "\nw_seed=" << s.stage1.seed << "\ntrain_count=" << s.stage1.train_count << "\nspeed1=" << num(s.stage1_speed)
    << "\nstop_after=" << s.stage1_stop_after << "\nprecision1=" << uhop::to_string(s.stage1.precision)
    << "\nbatch=" << s.stage1.batch << "\nstats_every=" << s.stage1.stats_every
    << "\nsimilarity=" << uhop::to_string(s.stage2.similarity) << "\nalpha=" << num(s.stage2.sep.alpha)
    << "\ntopk=" << s.stage2.sep.top_k << "\nbeta=" << num(s.stage2.beta) << "\nT=" << s.stage2_steps
    << "\nspeed2=" << num(s.stage2_speed) << "\nprecision2=" << uhop::to_string(s.stage2.precision) << "\n";
  return o.str();
}
}  // namespace studio
