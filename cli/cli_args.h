// Flag parsing and memory loading shared by the uhop subcommands (each subcommand lists its own flags; anything
// else is an error naming it).
//
// Every flag is parsed once, strictly: a flag given twice is refused ("--count given twice"), a value given to a
// switch is refused ("--normalize-rows takes no value": "--normalize-rows=0" must not switch it on), an empty value
// is refused (an empty path would mean the current folder), and numbers go through core/numerics/number_text.h with
// a range per flag, so "--count 4294967298" is refused instead of wrapping and "--beta 1e400" instead of becoming
// inf. Step counts are bounded by kMaxStage1Steps / kMaxStage2Steps (core/session/session.h).
#pragma once
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "data/memory_sources.h"
#include "numerics/input_error.h"
#include "numerics/number_text.h"
#include "numerics/real_settings.h"
#include "session/session.h"

namespace uhop::cli {
// --flag value pairs and bare switches; anything unknown is an error naming it.
struct Args {
  std::map<std::string, std::string> values;
  std::set<std::string> switches;

  bool has(const std::string& k) const { return values.count(k) || switches.count(k); }
  std::string str(const std::string& k, const std::string& fallback = "") const {
    auto it = values.find(k);
    return it == values.end() ? fallback : it->second;
  }
  std::string required(const std::string& k) const {
    auto it = values.find(k);
    if (it == values.end()) throw InputError("missing required flag --" + k);
    return it->second;
  }
  // A finite number (inf, nan and values beyond a double are refused), inside the flag's range when
  // core/numerics/real_settings.h has one (the same range the Studio and session files use).
  double number(const std::string& k, double fallback) const {
    if (!values.count(k)) return fallback;
    return checked_real(k, parse_real_number(values.at(k), "--" + k));
  }
  // A whole number in [lo, hi] (the one range-checked integer parser every flag uses).
  long long integer(const std::string& k, long long fallback, long long lo, long long hi) const {
    if (!values.count(k)) return fallback;
    return parse_whole_number(values.at(k), lo, hi, "--" + k);
  }
  int count(const std::string& k, int fallback, int lo = 0, int hi = INT_MAX) const {
    return static_cast<int>(integer(k, fallback, lo, hi));
  }
  uint64_t seed(const std::string& k, uint64_t fallback = 0) const {
    if (!values.count(k)) return fallback;
    return parse_seed_number(values.at(k), "--" + k);
  }
};

inline const std::set<std::string> kMemoryFlags = {"memories", "count", "offset", "pick", "size", "normalize"};
// --allow-large: take what a file (or a session file) declares beyond the sizes given without asking
// (LoadOptions::default_max_dim; uhop replay: session/session_budget.h).
inline const std::set<std::string> kMemorySwitches = {"rgb", "allow-large"};
// Flags whose value may be empty (free text); every other flag needs a value.
inline const std::set<std::string> kMayBeEmpty = {"description"};

inline Args parse_args(int argc, char** argv, int first, std::set<std::string> flags, std::set<std::string> switches) {
  flags.insert(kMemoryFlags.begin(), kMemoryFlags.end());
  switches.insert(kMemorySwitches.begin(), kMemorySwitches.end());
  Args a;
  for (int i = first; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg.rfind("--", 0) != 0)
      throw InputError("unexpected argument " + quoted_excerpt(arg) + " (flags start with --)");
    std::string key = arg.substr(2), value;
    const auto eq = key.find('=');
    const bool inline_value = eq != std::string::npos;
    if (inline_value) value = key.substr(eq + 1), key = key.substr(0, eq);
    if (a.has(key)) throw InputError("--" + key + " given twice");
    if (switches.count(key)) {
      if (inline_value)
        throw InputError("--" + key + " takes no value (got " + quoted_excerpt(value) +
                         "); leave it out to switch it off");
      a.switches.insert(key);
    } else if (flags.count(key)) {
      if (!inline_value) {
        if (i + 1 >= argc) throw InputError("flag --" + key + " needs a value");
        value = argv[++i];
      }
      if (value.empty() && !kMayBeEmpty.count(key)) throw InputError("--" + key + " needs a value, got an empty one");
      a.values[key] = value;
    } else {
      throw InputError("unknown flag --" + key + " (see --help)");
    }
  }
  return a;
}

// "WxH" with 1..4096 each.
inline void parse_size_flag(const std::string& text, int& width, int& height) {
  const auto x = text.find('x');
  const std::string what = "--size (WxH, e.g. 28x28)";
  if (x == std::string::npos) throw InputError(what + ": expected WxH, got " + quoted_excerpt(text));
  width = static_cast<int>(parse_whole_number(text.substr(0, x), 1, 4096, what + " width"));
  height = static_cast<int>(parse_whole_number(text.substr(x + 1), 1, 4096, what + " height"));
}

// The memory flags as LoadOptions; seed_flag names the flag that seeds --pick random/per-class.
inline LoadOptions load_options(const Args& a, const std::string& seed_flag = "seed") {
  LoadOptions o;
  o.count = a.count("count", 0);
  o.offset = a.count("offset", 0);
  if (a.has("pick")) o.pick = parse_pick(a.str("pick"));
  o.seed = a.seed(seed_flag, 0);
  o.keep_rgb = a.has("rgb");
  if (a.has("size")) parse_size_flag(a.str("size"), o.width, o.height);
  if (a.has("normalize")) o.normalization = parse_normalization(a.str("normalize"));
  if (a.has("allow-large")) {  // the user asked for the file's own size, however large, and however many pixels
    o.default_max_dim = 0;
    o.max_decoded_pixels = 0;
  }
  return o;
}

inline void print_warnings(const std::vector<std::string>& warnings) {
  for (const auto& w : warnings) std::cerr << "uhop: warning: " << printable_text(w) << "\n";
}

// Loads the memories for a Session: what a session cannot hold (more than 10000 memories, a W over 2^25 values for
// this d and feature_dim) is refused before the file is read (with_session_limits).
inline MemorySet load(const Args& a, long long feature_dim = 0, bool count_at_most = false) {
  std::vector<std::string> warnings;
  LoadOptions options = load_options(a);
  options.count_at_most = count_at_most;
  MemorySet set = load_memories(a.required("memories"), with_session_limits(options, feature_dim), &warnings);
  print_warnings(warnings);
  return set;
}
}  // namespace uhop::cli
