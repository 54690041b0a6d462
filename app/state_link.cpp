#include "state_link.h"

#include <zlib.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <stdexcept>

#include "numerics/input_error.h"
#include "numerics/number_text.h"
#include "session/session_budget.h"
#include "studio_worker.h"

namespace studio {
namespace {
[[noreturn]] void refuse(const std::string& why) {
  throw uhop::InputError("link: " + why);
}

std::vector<std::pair<std::string, std::string>> key_value_lines(const std::string& text) {
  std::vector<std::pair<std::string, std::string>> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (line.empty()) continue;
    const auto eq = line.find('=');
    if (eq == std::string::npos || eq == 0)
      refuse("expected key=value, got " + uhop::quoted_excerpt(line.substr(0, 40)));
    out.emplace_back(line.substr(0, eq), line.substr(eq + 1));
  }
  return out;
}

std::string float_text(float v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.9g", static_cast<double>(v));  // 9 digits: a float comes back exactly
  return buf;
}

float parse_float(const std::string& text, float lo, float hi, const std::string& what) {
  char* end = nullptr;
  const float v = std::strtof(text.c_str(), &end);
  if (text.empty() || *end != '\0' || !std::isfinite(v) || v < lo || v > hi)
    refuse("bad " + what + " " + uhop::quoted_excerpt(text.substr(0, 20)) + " (expected a number in [" +
           float_text(lo) + ", " + float_text(hi) + "])");
  return v;
}

// "R,V,I;x,y;x,y..." (radius, value, intensity; then the points).
std::string stroke_text(const BrushStroke& s) {
  std::string out = float_text(s.radius) + "," + float_text(s.value) + "," + float_text(s.intensity);
  for (const auto& [x, y] : s.points) out += ";" + float_text(x) + "," + float_text(y);
  return out;
}

std::vector<std::string> split(const std::string& text, char sep) {
  std::vector<std::string> parts;
  size_t start = 0;
  for (;;) {
    const auto at = text.find(sep, start);
    parts.push_back(text.substr(start, at - start));
    if (at == std::string::npos) return parts;
    start = at + 1;
  }
}

BrushStroke parse_stroke_text(const std::string& text, int& points_left) {
  const auto parts = split(text, ';');
  const auto head = split(parts[0], ',');
  if (head.size() != 3 || parts.size() < 2) refuse("a stroke needs R,V,I;X,Y[;X,Y...]");
  BrushStroke s;
  s.radius = parse_float(head[0], 1e-3f, 1000, "stroke radius");
  s.value = parse_float(head[1], 0, 1, "stroke value");
  s.intensity = parse_float(head[2], 1e-3f, 1, "stroke intensity");
  points_left -= static_cast<int>(parts.size()) - 1;
  if (points_left < 0) refuse("more than " + std::to_string(kMaxLinkPoints) + " stroke points");
  for (size_t i = 1; i < parts.size(); ++i) {
    const auto xy = split(parts[i], ',');
    if (xy.size() != 2) refuse("a stroke point must be X,Y, got " + uhop::quoted_excerpt(parts[i].substr(0, 20)));
    s.points.emplace_back(parse_float(xy[0], -1e5f, 1e5f, "stroke x"), parse_float(xy[1], -1e5f, 1e5f, "stroke y"));
  }
  return s;
}
}  // namespace

std::string base64url_encode(const std::string& bytes) {
  static const char* abc = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  uint32_t acc = 0;
  int bits = 0;
  for (unsigned char c : bytes) {
    acc = (acc << 8) | c;
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out += abc[(acc >> bits) & 63];
    }
  }
  if (bits > 0) out += abc[(acc << (6 - bits)) & 63];
  return out;
}

std::string base64url_decode(const std::string& text) {
  std::string out;
  out.reserve(text.size() * 3 / 4);
  uint32_t acc = 0;
  int bits = 0;
  for (char c : text) {
    int v = -1;
    if (c >= 'A' && c <= 'Z') v = c - 'A';
    if (c >= 'a' && c <= 'z') v = c - 'a' + 26;
    if (c >= '0' && c <= '9') v = c - '0' + 52;
    if (c == '-') v = 62;
    if (c == '_') v = 63;
    if (v < 0)
      refuse("character " + uhop::quoted_excerpt(std::string(1, c)) +
             " is not base64url (was the link cut or re-encoded?)");
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((acc >> bits) & 255);
    }
  }
  return out;
}

std::string deflate_text(const std::string& text) {
  z_stream z{};
  if (deflateInit2(&z, 9, Z_DEFLATED, -15, 9, Z_DEFAULT_STRATEGY) != Z_OK) throw std::runtime_error("deflateInit2");
  std::string out(deflateBound(&z, text.size()), '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  z.avail_in = static_cast<uInt>(text.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  const int rc = deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  if (rc != Z_STREAM_END) throw std::runtime_error("deflate failed");
  return out;
}

std::string inflate_text(const std::string& bytes, size_t max_size) {
  z_stream z{};
  if (inflateInit2(&z, -15) != Z_OK) throw std::runtime_error("inflateInit2");
  std::string out;
  char buf[16384];
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
  z.avail_in = static_cast<uInt>(bytes.size());
  int rc = Z_OK;
  while (rc != Z_STREAM_END) {
    z.next_out = reinterpret_cast<Bytef*>(buf);
    z.avail_out = sizeof buf;
    rc = inflate(&z, Z_NO_FLUSH);
    if (rc != Z_OK && rc != Z_STREAM_END) break;
    out.append(buf, sizeof buf - z.avail_out);
    if (out.size() > max_size) {  // a deflate bomb stops here, after at most max_size + 16 KiB
      inflateEnd(&z);
      refuse("more than " + std::to_string(max_size / 1024) + " KiB once unpacked");
    }
    if (rc == Z_OK && z.avail_in == 0 && z.avail_out != 0) break;  // input ended before the stream did
  }
  inflateEnd(&z);
  if (rc != Z_STREAM_END) refuse("the data is cut short or corrupt (was the whole link copied?)");
  return out;
}

LinkContent link_content_of(const StudioSnapshot& s) {
  LinkContent c;
  c.state = s.state;
  c.query_edits = s.query_edits;
  c.stage1_steps = s.stage1_log.empty() ? 0 : s.stage1_log.back().step;
  c.stage1_finished = s.stage1_finished;
  c.stage2_steps = s.retrieval_log.empty() ? 0 : s.retrieval_log.back().step;
  return c;
}

std::string make_link(const LinkContent& c) {
  const auto defaults = key_value_lines(to_text(StudioState{}));
  const auto now = key_value_lines(to_text(c.state));
  std::string text;
  for (size_t i = 0; i < now.size(); ++i) {
    const auto& [key, value] = now[i];
    if (key == "export_folder") continue;  // a local folder: never shared
    if (key == "source" || i >= defaults.size() || defaults[i] != now[i]) text += key + "=" + value + "\n";
  }
  for (const QueryEdit& e : c.query_edits) text += e.clear ? "clear=1\n" : "stroke=" + stroke_text(e.stroke) + "\n";
  if (c.stage1_steps > 0) text += "steps1=" + std::to_string(c.stage1_steps) + "\n";
  if (c.stage1_finished) text += "finished=1\n";
  if (c.stage2_steps > 0) text += "steps2=" + std::to_string(c.stage2_steps) + "\n";
  std::string views;
  for (const auto& v : c.views) views += (views.empty() ? "" : ",") + v;
  if (!views.empty()) text += "views=" + views + "\n";
  if (c.layout != "standard") text += "layout=" + c.layout + "\n";
  for (const auto& n : c.notes) text += "note=" + n + "\n";
  return "#s=" + std::to_string(kLinkVersion) + "." + base64url_encode(deflate_text(text));
}

LinkContent parse_link(const std::string& text, bool allow_large) {
  if (text.size() > kMaxLinkChars)
    refuse("longer than " + std::to_string(kMaxLinkChars / 1024) + " KiB (a Studio link is a few hundred characters)");
  std::string fragment;
  if (const auto at = text.rfind("#s="); at != std::string::npos) {
    fragment = text.substr(at + 3);
  } else if (text.rfind("s=", 0) == 0) {
    fragment = text.substr(2);
  } else {
    refuse("not a U-Hop Studio link (expected '#s=' followed by the state)");
  }
  while (!fragment.empty() && (fragment.back() == '\n' || fragment.back() == '\r' || fragment.back() == ' '))
    fragment.pop_back();  // pasted with a line end
  const auto dot = fragment.find('.');
  if (dot == std::string::npos || dot == 0 || dot > 6) refuse("no version (expected '#s=1.' followed by the state)");
  const std::string version = fragment.substr(0, dot);
  if (version != std::to_string(kLinkVersion)) {
    const bool digits = version.find_first_not_of("0123456789") == std::string::npos;
    refuse(digits ? "version " + version + " is not one this Studio reads (it reads version " +
                        std::to_string(kLinkVersion) + "; a newer Studio made it?)"
                  : "bad version " + uhop::quoted_excerpt(version));
  }
  const std::string payload = fragment.substr(dot + 1);
  if (payload.empty()) refuse("the state is empty (was the link cut?)");
  LinkContent c;
  int points_left = kMaxLinkPoints;
  for (const auto& [key, value] : key_value_lines(inflate_text(base64url_decode(payload), kMaxLinkText))) {
    if (key == "steps1") {
      c.stage1_steps = static_cast<int>(uhop::parse_whole_number(value, 0, kMaxLinkStage1Steps, "link steps1"));
    } else if (key == "finished") {
      c.stage1_finished = value == "1";
    } else if (key == "steps2") {
      c.stage2_steps = static_cast<int>(uhop::parse_whole_number(value, 0, uhop::kMaxStage2Steps, "link steps2"));
    } else if (key == "clear") {
      if (static_cast<int>(c.query_edits.size()) >= kMaxLinkStrokes) refuse("too many query edits");
      c.query_edits.push_back({true, {}});
    } else if (key == "stroke") {
      if (static_cast<int>(c.query_edits.size()) >= kMaxLinkStrokes) refuse("too many query edits");
      c.query_edits.push_back({false, parse_stroke_text(value, points_left)});
    } else if (key == "views") {
      for (const auto& v : split(value, ',')) {
        bool known = false;
        for (const auto& id : view_ids()) known = known || id == v;
        if (!known) refuse("unknown view " + uhop::quoted_excerpt(v.substr(0, 30)));
        c.views.push_back(v);
      }
    } else if (key == "layout") {
      if (value != "standard" && value != "presentation")
        refuse("unknown layout " + uhop::quoted_excerpt(value.substr(0, 30)));
      c.layout = value;
    } else if (key == "note") {
      c.notes.push_back(value.substr(0, 200));
    } else if (key == "export_folder") {
      refuse("export_folder is never part of a link");
    } else {
      try {
        apply_setting(c.state, key, value);  // the same checks as a script's `set`
      } catch (const uhop::InputError& e) {
        refuse(e.what());
      }
    }
  }
  // Values a link would never hold: more memories than the largest built-in set.
  if (c.state.load.count > 70000) refuse("count " + std::to_string(c.state.load.count) + " is more than 70000");
  if (!allow_large) check_link_work(c);
  return c;
}

void check_link_work(const LinkContent& c) {
  // A link is someone else's state, like a session file: the same budget (session_budget.h), before any command.
  // A file source at its own size counts at the largest d the loader takes without a size (default_max_dim): the
  // file is not read to find out (it may not even be there), and the user can open it anyway.
  uhop::DeclaredWork work;
  work.memories = uhop::declared_count(c.state.source, c.state.load);
  const long long d = uhop::declared_dim(c.state.source, c.state.load);
  work.dim = d > 0 ? d : c.state.load.default_max_dim;
  work.feature_dim = c.state.stage1.dim;
  work.stage1_steps = c.stage1_steps;
  work.stage1_batch = c.state.stage1.batch > 0 ? c.state.stage1.batch : c.state.stage1.train_count;
  work.stats_every = c.state.stage1.stats_every;
  work.stage2_steps = c.stage2_steps;
  uhop::check_declared_work(work, "link: the link",
                            "open it anyway (the Studio: Open anyway; uhop-studio --state LINK --allow-large)");
}

std::vector<Command> link_commands(const LinkContent& c) {
  std::vector<Command> out;
  Command load = make_command(CommandKind::load);
  load.path = c.state.source;
  load.fallback_to_glyphs = load.path.rfind("builtin:fashion-mnist", 0) == 0;
  for (const auto& [key, value] : key_value_lines(to_text(c.state))) {
    if (key != "source" && key != "export_folder") load.settings.emplace_back(key, value);
  }
  out.push_back(load);
  for (const QueryEdit& e : c.query_edits) {
    Command edit = make_command(e.clear ? CommandKind::clear_query : CommandKind::brush);
    edit.stroke = e.stroke;
    out.push_back(edit);
  }
  if (c.stage1_steps > 0) out.push_back(make_command(CommandKind::stage1_steps, c.stage1_steps));
  if (c.stage1_finished) out.push_back(make_command(CommandKind::stage1_finish));
  if (c.stage2_steps > 0) out.push_back(make_command(CommandKind::stage2_steps, c.stage2_steps));
  for (const auto& v : c.views) {
    Command view = make_command(CommandKind::view, 1);
    view.id = v;
    out.push_back(view);
  }
  Command layout = make_command(CommandKind::layout);
  layout.id = c.layout;
  out.push_back(layout);
  return out;
}
}  // namespace studio
