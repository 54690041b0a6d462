#include "studio_sweep.h"

#include <cstdlib>
#include <sstream>

#include "numerics/input_error.h"
#include "numerics/number_text.h"
#include "session/sweep_presets.h"

namespace studio {
namespace {
std::vector<std::string> split_list(const std::string& key, const std::string& text) {
  std::vector<std::string> out;
  std::stringstream in(text);
  for (std::string item; std::getline(in, item, ',');) {
    if (item.empty()) throw uhop::InputError(key + ": empty entry in '" + text + "'");
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
    } else if (k == "sigma") {
      s.sigma = parse_number(k, v);
    } else if (k == "count") {
      s.count = parse_int(k, v, 1, 1 << 24);
    } else if (k == "beta") {
      s.beta = parse_number(k, v);
      if (!(s.beta > 0)) throw uhop::InputError("beta: expected a positive number, got '" + v + "'");
    } else if (k == "steps") {
      s.retrieval_steps = parse_int(k, v, 1, 10000);
    } else if (k == "train_count") {
      uhop::set_sweep_train_count(s, v);
    } else if (k == "beta_after_sep") {
      if (v != "0" && v != "1") throw uhop::InputError("beta_after_sep: expected 0 or 1, got '" + v + "'");
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
          "unknown sweep option '" + k +
          "' (preset vary values methods seeds first_seed stage1_steps memories sigma count beta steps "
          "train_count beta_after_sep init lr schedule loss t noise out)");
    }
  }
  if (r.out_dir.empty()) throw uhop::InputError("out: the sweep needs an output folder, e.g. out=sweep-M");
  uhop::sweep_cells(s);  // validates methods, values, noise and Stage I settings
  return r;
}
}  // namespace studio
