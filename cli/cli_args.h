// Flag parsing and memory loading shared by the uhop subcommands (each subcommand lists its own flags; anything
// else is an error naming it).
#pragma once
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "numerics/input_error.h"
#include "data/memory_sources.h"

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
  double number(const std::string& k, double fallback) const {
    if (!values.count(k)) return fallback;
    const std::string& v = values.at(k);
    char* end = nullptr;
    const double x = std::strtod(v.c_str(), &end);
    if (v.empty() || *end != '\0') throw InputError("--" + k + " expects a number, got '" + v + "'");
    return x;
  }
  long long integer(const std::string& k, long long fallback) const {
    if (!values.count(k)) return fallback;
    const std::string& v = values.at(k);
    char* end = nullptr;
    const long long x = std::strtoll(v.c_str(), &end, 10);
    if (v.empty() || *end != '\0') throw InputError("--" + k + " expects a whole number, got '" + v + "'");
    return x;
  }
};

inline const std::set<std::string> kMemoryFlags = {"memories", "count", "offset", "pick", "size", "normalize"};
inline const std::set<std::string> kMemorySwitches = {"rgb"};

inline Args parse_args(int argc, char** argv, int first, std::set<std::string> flags, std::set<std::string> switches) {
  flags.insert(kMemoryFlags.begin(), kMemoryFlags.end());
  switches.insert(kMemorySwitches.begin(), kMemorySwitches.end());
  Args a;
  for (int i = first; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg.rfind("--", 0) != 0) throw InputError("unexpected argument '" + arg + "' (flags start with --)");
    std::string key = arg.substr(2), value;
    const auto eq = key.find('=');
    const bool inline_value = eq != std::string::npos;
    if (inline_value) value = key.substr(eq + 1), key = key.substr(0, eq);
    if (switches.count(key)) {
      // "--beta-after-sep=0" must not quietly mean "on".
      if (inline_value) throw InputError("--" + key + " is a switch and takes no value (got '" + value + "')");
      a.switches.insert(key);
    } else if (flags.count(key)) {
      if (!inline_value) {
        if (i + 1 >= argc) throw InputError("flag --" + key + " needs a value");
        value = argv[++i];
      }
      a.values[key] = value;
    } else {
      throw InputError("unknown flag --" + key + " (see --help)");
    }
  }
  return a;
}

// The memory flags as LoadOptions; seed_flag names the flag that seeds --pick random/per-class.
inline LoadOptions load_options(const Args& a, const std::string& seed_flag = "seed") {
  LoadOptions o;
  o.count = static_cast<int>(a.integer("count", 0));
  o.offset = static_cast<int>(a.integer("offset", 0));
  if (o.count < 0) throw InputError("--count must be >= 0");
  if (o.offset < 0) throw InputError("--offset must be >= 0");
  if (a.has("pick")) o.pick = parse_pick(a.str("pick"));
  o.seed = static_cast<uint64_t>(a.integer(seed_flag, 0));
  o.keep_rgb = a.has("rgb");
  if (a.has("size")) {
    const std::string s = a.str("size");
    int w = 0, h = 0;
    char extra = 0;
    if (std::sscanf(s.c_str(), "%dx%d%c", &w, &h, &extra) != 2 || w <= 0 || h <= 0 || w > 4096 || h > 4096)
      throw InputError("--size expects WxH with 1..4096 each, e.g. 28x28 (got '" + s + "')");
    o.width = w, o.height = h;
  }
  if (a.has("normalize")) o.normalization = parse_normalization(a.str("normalize"));
  return o;
}

inline MemorySet load(const Args& a) {
  std::vector<std::string> warnings;
  MemorySet set = load_memories(a.required("memories"), load_options(a), &warnings);
  for (const auto& w : warnings) std::cerr << "uhop: warning: " << w << "\n";
  return set;
}
}  // namespace uhop::cli
