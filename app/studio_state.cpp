#include "studio_state.h"

#include <algorithm>
#include <climits>
#include <cmath>
#include <cstdio>
#include <sstream>

#include "numerics/input_error.h"
#include "numerics/number_text.h"

namespace studio {
namespace {
std::string bad(const std::string& key, const std::string& value, const std::string& why) {
  return "bad value " + uhop::quoted_excerpt(value) + " for " + key + ": " + why;
}

// Numbers go through the core's range-checked parsers (no wrap-around, no inf, no 20-digit seeds saturating).
double parse_double(const std::string& key, const std::string& value) {
  return uhop::parse_real_number(value, key);
}

long long parse_int(const std::string& key, const std::string& value, long long lo, long long hi) {
  return uhop::parse_whole_number(value, lo, hi, key);
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
// The export_* keys. The whole ExportSettings is checked after the change (uhop::check_export_settings) and left as
// it was when the change is refused. Switching the unit converts the size at 96 CSS pixels per inch, so the figure
// keeps its physical size.
void apply_export_setting(uhop::ExportSettings& e, const std::string& key, const std::string& value) {
  uhop::ExportSettings next = e;
  try {
    if (key == "export_format") {
      next.format = uhop::parse_plot_format(value);
    } else if (key == "export_unit") {
      next.unit = uhop::parse_size_unit(value);
      if (next.unit != e.unit && e.width > 0) {
        const double f = next.unit == uhop::SizeUnit::cm ? 2.54 / 96 : 96 / 2.54;
        const double lo = next.unit == uhop::SizeUnit::cm ? 1 : 32, hi = next.unit == uhop::SizeUnit::cm ? 100 : 8000;
        next.width = std::clamp(std::round(e.width * f * 10) / 10, lo, hi);
        next.height = std::clamp(std::round(e.height * f * 10) / 10, lo, hi);
      }
    } else if (key == "export_size") {
      const auto x = value.find('x');
      if (value == "0") {
        next.width = next.height = 0;
      } else if (x == std::string::npos) {
        throw uhop::InputError("expected WxH (e.g. 640x360, 16x9 in cm) or 0 for the size on screen");
      } else {
        next.width = parse_double(key, value.substr(0, x));
        next.height = parse_double(key, value.substr(x + 1));
      }
    } else if (key == "export_dpi") {
      next.dpi = parse_double(key, value);
    } else if (key == "export_font_scale") {
      next.font_scale = parse_double(key, value);
    } else if (key == "export_theme") {
      next.theme = uhop::parse_plot_theme(value);
    } else if (key == "export_folder") {
      next.folder = value;
    } else {
      throw uhop::InputError("unknown setting");
    }
    uhop::check_export_settings(next);
  } catch (const uhop::InputError& err) {
    const std::string what = err.what();
    throw uhop::InputError(what.rfind("bad value", 0) == 0 ? what : bad(key, value, what));
  }
  e = next;
}
}  // namespace

std::vector<std::string> setting_keys() {
  // clang-format off
  std::vector<std::string> keys = {
      "source", "count", "offset", "pick", "seed", "rgb", "width", "height", "norm", "target", "corruption",
      "corruption_seed", "init", "dim", "lr", "schedule", "optimizer", "t", "loss", "normalize_rows", "w_seed",
      "train_count", "speed1", "stop_after", "precision1", "batch", "stats_every", "similarity", "alpha", "topk",
      "beta", "beta_after_sep", "T", "speed2", "precision2", "probe", "probe_seed", "probe_steps", "probe_beta",
      "probe_every", "epsilon", "rival", "landscape_grid"};
  // clang-format on
  for (const char* k : {"export_format", "export_unit", "export_size", "export_dpi", "export_font_scale",
                        "export_theme", "export_folder"})
    keys.push_back(k);
  return keys;
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
    if (b <= 0 || b > uhop::kMaxBeta) throw uhop::InputError(bad(key, value, "beta must be in (0, 1e100]"));
    s.stage2.beta = b;
  } else if (key == "beta_after_sep") {
    s.stage2.beta_after_sep = parse_bool(key, value);
  } else if (key == "T") {
    s.stage2_steps = static_cast<int>(parse_int(key, value, 0, uhop::kMaxStage2Steps));
  } else if (key == "speed2") {
    s.stage2_speed = parse_double(key, value);
    if (s.stage2_speed < 0) throw uhop::InputError(bad(key, value, "steps per second must be >= 0"));
  } else if (key.rfind("export_", 0) == 0) {
    apply_export_setting(s.exports, key, value);
  } else if (key == "probe") {
    s.probe = parse_bool(key, value);
  } else if (key == "probe_seed") {
    s.probe_seed = static_cast<uint64_t>(parse_int(key, value, 0, LLONG_MAX));
  } else if (key == "probe_steps") {
    s.probe_steps = static_cast<int>(parse_int(key, value, 0, 1000));
  } else if (key == "probe_beta") {
    const double b = parse_double(key, value);
    if (b <= 0) throw uhop::InputError(bad(key, value, "beta must be > 0"));
    s.probe_beta = b;
  } else if (key == "probe_every") {
    s.probe_every = static_cast<int>(parse_int(key, value, 0, 100000));
  } else if (key == "epsilon") {
    const double e = parse_double(key, value);
    if (e <= 0) throw uhop::InputError(bad(key, value, "epsilon must be > 0"));
    s.bound_epsilon = e;
  } else if (key == "rival") {
    s.rival = value == "auto" ? -1 : static_cast<int>(parse_int(key, value, -1, kBig));
  } else if (key == "landscape_grid") {
    s.landscape_grid = static_cast<int>(parse_int(key, value, 8, 512));
  } else {
    throw uhop::InputError("unknown setting " + uhop::quoted_excerpt(key));
  }
}

double default_strength(uhop::CorruptionKind kind) {
  switch (kind) {
    case uhop::CorruptionKind::gaussian:
      return 0.3;
    case uhop::CorruptionKind::gaussian_norm:
      return 3.0;
    case uhop::CorruptionKind::dropout:
      return 0.5;
    case uhop::CorruptionKind::mask_half:
      return 0.0;
    case uhop::CorruptionKind::occlude:
      return 0.3;
    case uhop::CorruptionKind::salt_pepper:
      return 0.1;
  }
  return 0.0;
}

uhop::Corruption with_kind(const uhop::Corruption& current, uhop::CorruptionKind kind) {
  using K = uhop::CorruptionKind;
  const auto is_probability = [](K k) { return k == K::dropout || k == K::occlude || k == K::salt_pepper; };
  uhop::Corruption next{kind, current.strength};
  if (kind == K::mask_half) {
    next.strength = 0;
  } else if (!(current.strength > 0) || current.kind == K::mask_half ||
             (is_probability(kind) && current.strength >= 0.95) ||
             is_probability(kind) != is_probability(current.kind)) {
    // A strength of another meaning (a sigma is not a probability) or none at all: the kind's default.
    next.strength = default_strength(kind);
  }
  return next;
}

double default_lr(uhop::Optimizer optimizer) {
  return optimizer == uhop::Optimizer::adam ? 0.01 : 0.1;
}

std::vector<std::pair<std::string, std::string>> optimizer_change(const StudioState& state, uhop::Optimizer next) {
  std::vector<std::pair<std::string, std::string>> out = {{"optimizer", uhop::to_string(next)}};
  if (next != state.stage1.optimizer && state.stage1.lr == default_lr(state.stage1.optimizer))
    out.emplace_back("lr", num(default_lr(next)));
  return out;
}

std::vector<std::string> unusual_settings(const StudioState& state) {
  std::vector<std::string> out;
  if (state.stage2.beta_after_sep)
    out.push_back("β after Sep (the reference code's quirk): x⁺ = β Ξᵀ Sep(s(x)), so the energy need not fall");
  if (state.stage1.train_count > 0)
    out.push_back("W is trained on the first " + std::to_string(state.stage1.train_count) + " memories only");
  if (state.stage1.schedule == uhop::Schedule::reference)
    out.push_back("reference schedule: γ_i = γ/√(i!) stops W after a few steps");
  return out;
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
    << "\ntopk=" << s.stage2.sep.top_k << "\nbeta=" << num(s.stage2.beta)
    << "\nbeta_after_sep=" << (s.stage2.beta_after_sep ? 1 : 0) << "\nT=" << s.stage2_steps
    << "\nspeed2=" << num(s.stage2_speed) << "\nprecision2=" << uhop::to_string(s.stage2.precision)
    << "\nprobe=" << (s.probe ? 1 : 0) << "\nprobe_seed=" << s.probe_seed << "\nprobe_steps=" << s.probe_steps
    << "\nprobe_beta=" << num(s.probe_beta) << "\nprobe_every=" << s.probe_every << "\nepsilon=" << num(s.bound_epsilon)
    << "\nrival=" << s.rival << "\nlandscape_grid=" << s.landscape_grid;
  const uhop::ExportSettings& e = s.exports;
  o << "\nexport_format=" << uhop::to_string(e.format) << "\nexport_unit=" << uhop::to_string(e.unit)
    << "\nexport_size=" << num(e.width) << "x" << num(e.height) << "\nexport_dpi=" << num(e.dpi)
    << "\nexport_font_scale=" << num(e.font_scale) << "\nexport_theme=" << uhop::to_string(e.theme)
    << "\nexport_folder=" << e.folder << "\n";
  return o.str();
}
}  // namespace studio
