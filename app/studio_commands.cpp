#include "studio_commands.h"

#include <cstdlib>

#include <cctype>
#include <cstdio>
#include <cmath>
#include <sstream>

#include "io/file_bytes.h"
#include "numerics/input_error.h"
#include "plot/plot_animation.h"
#include "numerics/number_text.h"
#include "studio_state.h"
#include "capacity_lab.h"
#include "studio_sweep.h"

namespace studio {
namespace {
std::vector<std::string> split_words(const std::string& line) {
  std::vector<std::string> words;
  std::istringstream in(line);
  for (std::string w; in >> w;) words.push_back(w);
  return words;
}

bool split_key_value(const std::string& word, std::string& key, std::string& value) {
  auto eq = word.find('=');
  if (eq == std::string::npos || eq == 0) return false;
  key = word.substr(0, eq);
  value = word.substr(eq + 1);
  return true;
}

int parse_count(const std::string& what, const std::string& text, int lo, int hi) {
  return static_cast<int>(uhop::parse_whole_number(text, lo, hi, what));
}

std::pair<float, float> parse_point(const std::string& word) {
  float x = 0, y = 0;
  char extra = 0;
  if (std::sscanf(word.c_str(), "%f,%f%c", &x, &y, &extra) != 2 || !std::isfinite(x) || !std::isfinite(y)) {
    throw uhop::InputError("expected a point X,Y (finite numbers), got " + uhop::quoted_excerpt(word));
  }
  return {x, y};
}

// Checks key=value options on a scratch state so a bad value is reported with its line before anything runs.
void check_settings(const std::vector<std::pair<std::string, std::string>>& settings) {
  StudioState scratch;
  for (const auto& [k, v] : settings) apply_setting(scratch, k, v);
}

void parse_stage(const std::vector<std::string>& w, bool stage1, Command& c) {
  const std::string name = stage1 ? "stage1" : "stage2";
  if (w.size() != 2) throw uhop::InputError(name + ": expected one of steps=N, play, pause, reset");
  std::string key, value;
  if (split_key_value(w[1], key, value)) {
    if (key != "steps")
      throw uhop::InputError(name + ": unknown option " + uhop::quoted_excerpt(key) + " (expected steps=N)");
    c.kind = stage1 ? CommandKind::stage1_steps : CommandKind::stage2_steps;
    c.number = parse_count(name + " steps", value, 0, 1000000);
  } else if (w[1] == "play") {
    c.kind = stage1 ? CommandKind::stage1_play : CommandKind::stage2_play;
  } else if (w[1] == "pause") {
    c.kind = stage1 ? CommandKind::stage1_pause : CommandKind::stage2_pause;
  } else if (w[1] == "reset") {
    c.kind = stage1 ? CommandKind::stage1_reset : CommandKind::stage2_reset;
  } else if (w[1] == "finish" && stage1) {
    c.kind = CommandKind::stage1_finish;
  } else if (w[1] == "normalize" && stage1) {
    c.kind = CommandKind::stage1_normalize;
  } else {
    throw uhop::InputError(name + ": unknown action " + uhop::quoted_excerpt(w[1]));
  }
}

std::string lower_extension(const std::string& path) {
  const auto slash = path.find_last_of('/');
  const auto dot = path.find_last_of('.');
  if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) return "";
  std::string ext = path.substr(dot);
  for (char& ch : ext) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return ext;
}

bool is_one_of(const std::string& id, const std::vector<std::string>& ids) {
  for (const auto& known : ids) {
    if (id == known) return true;
  }
  return false;
}

std::string joined(const std::vector<std::string>& ids) {
  std::string out;
  for (const auto& id : ids) out += (out.empty() ? "" : " ") + id;
  return out;
}

void parse_export(const std::vector<std::string>& w, bool plot, Command& c) {
  const std::string verb = w[0];
  const auto& ids = plot ? export_plot_ids() : image_ids();
  if (w.size() < 3 || w.size() > (plot ? 4u : 3u)) {
    throw uhop::InputError(verb + (plot ? ": expected ID FILE [scale=N]" : ": expected ID FILE") +
                           " (ID: " + joined(ids) + ")");
  }
  if (!is_one_of(w[1], ids))
    throw uhop::InputError(verb + ": unknown id " + uhop::quoted_excerpt(w[1]) + " (known: " + joined(ids) + ")");
  c.kind = plot ? CommandKind::export_plot : CommandKind::export_image;
  c.id = w[1];
  c.path = w[2];
  c.number = 1;
  const std::string ext = lower_extension(c.path);
  if (plot ? ext != ".svg" && ext != ".pdf" && ext != ".png" && ext != ".csv" : ext != ".png") {
    throw uhop::InputError(verb + ": " + uhop::quoted_excerpt(c.path) + " must end in " +
                           (plot ? ".svg, .pdf, .png or .csv" : ".png"));
  }
  if (w.size() == 4) {
    std::string k, v;
    if (!split_key_value(w[3], k, v) || k != "scale")
      throw uhop::InputError(verb + ": expected scale=N, got " + uhop::quoted_excerpt(w[3]));
    if (ext != ".png") throw uhop::InputError(verb + ": scale=N is for PNG files");
    c.number = parse_count("scale", v, 1, 4);
  }
}

void parse_record(const std::vector<std::string>& w, Command& c) {
  if (w.size() == 2 && w[1] == "stop") {
    c.kind = CommandKind::record_stop;
    return;
  }
  if (w.size() < 3 || w.size() > 6 || w[1] != "start")
    throw uhop::InputError("record: expected 'record start FILE [panel=ID] [fps=N] [width=PX]' or 'record stop'");
  c.kind = CommandKind::record_start;
  c.path = w[2];
  c.number = 10;
  uhop::animation_format_of_path(c.path);  // a bad extension is reported with the line
  for (size_t i = 3; i < w.size(); ++i) {
    std::string k, v;
    if (split_key_value(w[i], k, v) && k == "panel") {
      if (!is_one_of(v, record_panel_ids()))
        throw uhop::InputError("record: unknown panel " + uhop::quoted_excerpt(v) +
                               " (known: " + joined(record_panel_ids()) + ")");
      c.id = v;
    } else if (split_key_value(w[i], k, v) && k == "fps") {
      c.number = parse_count("fps", v, 1, 60);
    } else if (split_key_value(w[i], k, v) && k == "width") {
      const int px = parse_count("width", v, 0, 7680);
      if (px != 0 && px < 16)
        throw uhop::InputError("record: width must be 16..7680 pixels, or 0 for the size on screen");
      c.settings = {{"width", std::to_string(px)}};
    } else {
      throw uhop::InputError("record: expected panel=ID, fps=N or width=PX, got " + uhop::quoted_excerpt(w[i]));
    }
  }
}

void parse_stroke(const std::vector<std::string>& w, bool erase, Command& c) {
  c.kind = CommandKind::brush;
  c.stroke.value = erase ? 0.0f : 1.0f;
  for (size_t i = 1; i < w.size(); ++i) {
    std::string key, value;
    if (split_key_value(w[i], key, value)) {
      char* end = nullptr;
      float v = std::strtof(value.c_str(), &end);
      if (value.empty() || *end != '\0')
        throw uhop::InputError(w[0] + ": bad number " + uhop::quoted_excerpt(value) + " for " + key);
      if (key == "radius" && v > 0 && v <= 1000) {
        c.stroke.radius = v;
      } else if (key == "value" && !erase && v >= 0 && v <= 1) {
        c.stroke.value = v;
      } else if (key == "intensity" && v > 0 && v <= 1) {
        c.stroke.intensity = v;
      } else {
        throw uhop::InputError(w[0] + ": bad option " + uhop::quoted_excerpt(w[i]) +
                               " (radius in (0,1000], value/intensity in [0,1])");
      }
    } else {
      c.stroke.points.push_back(parse_point(w[i]));
    }
  }
  if (c.stroke.points.empty()) throw uhop::InputError(w[0] + ": expected at least one point X,Y");
}
}  // namespace

const char* to_string(CommandKind kind) {
  switch (kind) {
    case CommandKind::load:
      return "load";
    case CommandKind::target:
      return "target";
    case CommandKind::corrupt:
      return "corrupt";
    case CommandKind::reroll:
      return "reroll";
    case CommandKind::brush:
      return "brush";
    case CommandKind::clear_query:
      return "clear";
    case CommandKind::set_query:
      return "set query";
    case CommandKind::load_query:
      return "query";
    case CommandKind::stage1_steps:
      return "stage1 steps";
    case CommandKind::stage1_play:
      return "stage1 play";
    case CommandKind::stage1_pause:
      return "stage1 pause";
    case CommandKind::stage1_reset:
      return "stage1 reset";
    case CommandKind::stage1_finish:
      return "stage1 finish";
    case CommandKind::stage1_normalize:
      return "stage1 normalize";
    case CommandKind::stage2_steps:
      return "stage2 steps";
    case CommandKind::stage2_play:
      return "stage2 play";
    case CommandKind::stage2_pause:
      return "stage2 pause";
    case CommandKind::stage2_reset:
      return "stage2 reset";
    case CommandKind::set:
      return "set";
    case CommandKind::wait:
      return "wait";
    case CommandKind::screenshot:
      return "screenshot";
    case CommandKind::cancel:
      return "cancel";
    case CommandKind::export_plot:
      return "export-plot";
    case CommandKind::export_image:
      return "export-image";
    case CommandKind::save_session:
      return "save-session";
    case CommandKind::load_session:
      return "load-session";
    case CommandKind::sweep:
      return "sweep";
    case CommandKind::record_start:
      return "record start";
    case CommandKind::record_stop:
      return "record stop";
    case CommandKind::story:
      return "story";
    case CommandKind::layout:
      return "layout";
    case CommandKind::landscape:
      return "landscape";
    case CommandKind::view:
      return "view";
    case CommandKind::open_link:
      return "open-link";
  }
  return "?";
}

const std::vector<std::string>& plot_ids() {
  static const std::vector<std::string> ids = {
      "loss",      "delta",           "radius",           "energy",          "error",
      "compare",   "sweep",           "probe-error",      "probe-retrieved", "margin",
      "beta-star", "feature-map-mhm", "feature-map-uhop", "landscape-mhm",   "landscape-uhop"};
  return ids;
}

const std::vector<std::string>& image_ids() {
  static const std::vector<std::string> ids = {"memories",     "query",    "target",        "trajectory",
                                               "heat-initial", "heat-now", "landscape-mhm", "landscape-uhop"};
  return ids;
}

const std::vector<std::string>& view_ids() {
  static const std::vector<std::string> ids = {"probe", "margin", "feature-map", "landscape",
                                               "sweep", "help",   "capacity"};
  return ids;
}

const std::vector<std::string>& export_plot_ids() {
  static const std::vector<std::string> ids = [] {
    std::vector<std::string> all = plot_ids();
    all.insert(all.end(),
               {"heat-initial", "heat-now", "capacity-curves", "capacity-phase", "capacity-basin", "capacity-laws"});
    return all;
  }();
  return ids;
}

const std::vector<std::string>& panel_ids() {
  static const std::vector<std::string> ids = {"memories", "query", "stage1", "stage2", "sweep", "help"};
  return ids;
}

const std::vector<std::string>& record_panel_ids() {
  static const std::vector<std::string> ids = [] {
    std::vector<std::string> all = export_plot_ids();
    all.insert(all.end(), panel_ids().begin(), panel_ids().end());
    return all;
  }();
  return ids;
}

Command make_command(CommandKind kind, int number) {
  Command c;
  c.kind = kind;
  c.number = number;
  return c;
}

Command make_set(const std::string& key, const std::string& value) {
  Command c;
  c.kind = CommandKind::set;
  c.settings.emplace_back(key, value);
  return c;
}

Command make_set(const std::string& key, double value) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.17g", value);
  return make_set(key, std::string(buf));
}

bool parse_command_line(const std::string& raw, int line_number, Command& c) {
  // '#' starts a comment, except on an open-link line: a link is "...#s=1.<payload>" (no comment there).
  const size_t first = raw.find_first_not_of(" \t");
  const bool link_line = first != std::string::npos && raw.compare(first, 10, "open-link ") == 0;
  std::string line = link_line ? raw : raw.substr(0, raw.find('#'));
  auto w = split_words(line);
  if (w.empty()) return false;
  c = Command();
  c.line = line_number;
  try {
    const std::string& verb = w[0];
    if (verb == "load") {
      if (w.size() < 2) throw uhop::InputError("load: expected a source, e.g. load builtin:glyphs count=20");
      c.kind = CommandKind::load;
      c.path = w[1];
      for (size_t i = 2; i < w.size(); ++i) {
        std::string k, v;
        if (!split_key_value(w[i], k, v))
          throw uhop::InputError("load: expected key=value, got " + uhop::quoted_excerpt(w[i]));
        static const char* kLoadKeys[] = {"count", "offset", "pick", "seed", "size", "width", "height", "rgb", "norm"};
        bool ok = false;
        for (const char* allowed : kLoadKeys) ok = ok || k == allowed;
        if (!ok) throw uhop::InputError("load: unknown option " + uhop::quoted_excerpt(k));
        c.settings.emplace_back(k, v);
      }
      check_settings(c.settings);
    } else if (verb == "target") {
      if (w.size() != 2) throw uhop::InputError("target: expected one memory index");
      c.kind = CommandKind::target;
      c.number = parse_count("target", w[1], 0, 1 << 30);
    } else if (verb == "corrupt") {
      if (w.size() < 2 || w.size() > 3) throw uhop::InputError("corrupt: expected KIND[:STRENGTH] [seed=N]");
      c.kind = CommandKind::corrupt;
      c.settings.emplace_back("corruption", w[1]);
      if (w.size() == 3) {
        std::string k, v;
        if (!split_key_value(w[2], k, v) || k != "seed") {
          throw uhop::InputError("corrupt: expected seed=N, got " + uhop::quoted_excerpt(w[2]));
        }
        c.settings.emplace_back("corruption_seed", v);
      }
      check_settings(c.settings);
    } else if (verb == "reroll" || verb == "clear" || verb == "wait" || verb == "cancel") {
      if (w.size() != 1) throw uhop::InputError(verb + ": takes no arguments");
      c.kind = verb == "reroll"  ? CommandKind::reroll
               : verb == "clear" ? CommandKind::clear_query
               : verb == "wait"  ? CommandKind::wait
                                 : CommandKind::cancel;
    } else if (verb == "brush" || verb == "erase") {
      parse_stroke(w, verb == "erase", c);
    } else if (verb == "query" || verb == "screenshot") {
      if (w.size() != 2) throw uhop::InputError(verb + ": expected one file name");
      c.kind = verb == "query" ? CommandKind::load_query : CommandKind::screenshot;
      c.path = w[1];
    } else if (verb == "stage1" || verb == "stage2") {
      parse_stage(w, verb == "stage1", c);
    } else if (verb == "export-plot" || verb == "export-image") {
      parse_export(w, verb == "export-plot", c);
    } else if (verb == "record") {
      parse_record(w, c);
    } else if (verb == "save-session" || verb == "load-session") {
      // load-session FILE allow-large: open a session over the budget of session_budget.h (the user asks for it).
      const bool allow = verb == "load-session" && w.size() == 3 && w[2] == "allow-large";
      if (w.size() != 2 && !allow) throw uhop::InputError(verb + ": expected one file name");
      c.kind = verb == "save-session" ? CommandKind::save_session : CommandKind::load_session;
      c.path = w[1];
      c.number = allow ? 1 : 0;
    } else if (verb == "sweep") {
      c.kind = CommandKind::sweep;
      for (size_t i = 1; i < w.size(); ++i) {
        std::string k, v;
        if (!split_key_value(w[i], k, v))
          throw uhop::InputError("sweep: expected KEY=VALUE, got " + uhop::quoted_excerpt(w[i]));
        c.settings.emplace_back(k, v);
      }
      sweep_request(StudioState(), c.settings);  // bad options are reported with the line, before anything runs
    } else if (verb == "capacity") {             // GUI side: opens the Capacity window and starts the request there
      c.kind = CommandKind::view;
      c.id = "capacity";
      c.number = 1;
      c.path = "run";
      for (size_t i = 1; i < w.size(); ++i) {
        std::string k, v;
        if (!split_key_value(w[i], k, v))
          throw uhop::InputError("capacity: expected KEY=VALUE, got " + uhop::quoted_excerpt(w[i]));
        c.settings.emplace_back(k, v);
      }
      capacity_request(c.settings);  // bad options are reported with the line, before anything runs
    } else if (verb == "story" || verb == "tour" || verb == "next" || verb == "back") {
      c.kind = CommandKind::story;
      if (verb == "story" && w.size() == 3 && w[1] == "pace") {
        // story pace SECONDS: how long each caption stays in autoplay (0: each step's own time).
        char* end = nullptr;
        const double pace = std::strtod(w[2].c_str(), &end);
        if (end == w[2].c_str() || *end != 0 || !(pace >= 0 && pace <= 600))
          throw uhop::InputError("story pace: expected seconds from 0 to 600 (0: each step's own time), got " +
                                 uhop::quoted_excerpt(w[2]));
        c.id = "pace";
        c.settings = {{"pace", w[2]}};
      } else if (verb == "story" && w.size() == 3 && w[1] == "record") {
        c.id = "record";  // story record FILE: the whole story as GIF/MP4/PNG frames
        c.path = w[2];
      } else if (verb == "story") {
        if (w.size() > 2 || (w.size() == 2 && w[1] != "stop"))
          throw uhop::InputError("story: expected nothing, 'stop', 'pace SECONDS' or 'record FILE'");
        c.id = w.size() == 2 ? "stop" : "auto";
      } else {
        if (w.size() != 1) throw uhop::InputError(verb + ": takes no arguments");
        c.id = verb;
      }
    } else if (verb == "layout") {
      if (w.size() != 2 || (w[1] != "standard" && w[1] != "presentation"))
        throw uhop::InputError("layout: expected standard or presentation");
      c.kind = CommandKind::layout;
      c.id = w[1];
    } else if (verb == "open-link") {
      if (w.size() < 2 || w.size() > 3 || (w.size() == 3 && w[2] != "allow-large"))
        throw uhop::InputError("open-link: expected LINK [allow-large]");
      c.kind = CommandKind::open_link;
      c.path = w[1];
      c.number = w.size() == 3 ? 1 : 0;
    } else if (verb == "view") {
      if (w.size() < 2 || w.size() > 3 || !is_one_of(w[1], view_ids()) ||
          (w.size() == 3 && w[2] != "on" && w[2] != "off"))
        throw uhop::InputError("view: expected ID [on|off] (ID: " + joined(view_ids()) + ")");
      c.kind = CommandKind::view;
      c.id = w[1];
      c.number = w.size() == 3 && w[2] == "off" ? 0 : 1;
    } else if (verb == "landscape") {
      c.kind = CommandKind::landscape;
      if (w.size() == 2 && w[1] == "off") {
        c.id = "off";
      } else {
        for (size_t i = 1; i < w.size(); ++i) {
          std::string k, v;
          if (!split_key_value(w[i], k, v) || (k != "rival" && k != "grid"))
            throw uhop::InputError("landscape: expected rival=J|auto, grid=N or off, got " +
                                   uhop::quoted_excerpt(w[i]));
          c.settings.emplace_back(k == "grid" ? "landscape_grid" : k, v);
        }
        check_settings(c.settings);
      }
    } else if (verb == "set") {
      if (w.size() < 2) throw uhop::InputError("set: expected KEY=VALUE, e.g. set beta=4");
      c.kind = CommandKind::set;
      for (size_t i = 1; i < w.size(); ++i) {
        std::string k, v;
        if (!split_key_value(w[i], k, v))
          throw uhop::InputError("set: expected KEY=VALUE, got " + uhop::quoted_excerpt(w[i]));
        c.settings.emplace_back(k, v);
      }
      check_settings(c.settings);
    } else {
      throw uhop::InputError("unknown command " + uhop::quoted_excerpt(verb));
    }
  } catch (const uhop::InputError& e) {
    throw uhop::InputError("line " + std::to_string(line_number) + ": " + e.what());
  }
  return true;
}

ParsedScript parse_script(const std::string& text, const std::string& name) {
  ParsedScript out;
  std::istringstream in(text);
  int n = 0;
  for (std::string line; std::getline(in, line);) {
    ++n;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    try {
      Command c;
      if (parse_command_line(line, n, c)) out.commands.push_back(std::move(c));
    } catch (const uhop::InputError& e) {
      out.errors.push_back(name + ": " + e.what());
    }
  }
  return out;
}

ParsedScript load_script(const std::string& path) {
  // A FIFO or a device given as the script is refused without blocking; a script is at most 4 MiB.
  std::vector<uint8_t> bytes;
  try {
    bytes = uhop::read_whole_file(path, 4 << 20);
  } catch (const uhop::InputError& e) {
    ParsedScript out;
    out.errors.push_back(e.what());
    return out;
  }
  return parse_script(std::string(bytes.begin(), bytes.end()), path);
}
}  // namespace studio
