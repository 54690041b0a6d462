// The export options stored in session files: round trip, the default when absent (older files), refusals by key.
#include <catch2/catch.hpp>
#include <string>

#include "numerics/input_error.h"
#include "session/run_plots.h"
#include "session/session_file.h"

using namespace uhop;

namespace {
SessionFile minimal_file() {
  SessionFile f;
  f.memories = "builtin:glyphs";
  f.load.count = 8;
  f.target = 1;
  f.corruption = "gaussian:0.2";
  return f;
}

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}
}  // namespace

TEST_CASE("session file: export options round-trip and are absent from files that never set them", "[session_file]") {
  SessionFile f = minimal_file();
  const std::string plain = session_json(f);
  CHECK(plain.find("\"exports\"") == std::string::npos);
  CHECK(!parse_session_json(plain, "s.json").exports.has_value());  // a version-1 file from before: defaults

  ExportSettings e;
  e.format = PlotFormat::pdf;
  e.unit = SizeUnit::cm;
  e.width = 12.5, e.height = 8;
  e.dpi = 300;
  e.font_scale = 1.5;
  e.theme = PlotTheme::dark;
  e.folder = "figures/run 1";
  f.exports = e;
  const std::string text = session_json(f);
  INFO(text);
  CHECK(text.find("\"version\": 1") != std::string::npos);
  const SessionFile back = parse_session_json(text, "s.json");
  REQUIRE(back.exports.has_value());
  CHECK(back.exports->format == PlotFormat::pdf);
  CHECK(back.exports->unit == SizeUnit::cm);
  CHECK(back.exports->width == 12.5);
  CHECK(back.exports->height == 8);
  CHECK(back.exports->dpi == 300);
  CHECK(back.exports->font_scale == 1.5);
  CHECK(back.exports->theme == PlotTheme::dark);
  CHECK(back.exports->folder == "figures/run 1");
  CHECK(session_json(back) == text);

  const auto rejected = [&](const std::string& from, const std::string& to, const std::string& expected) {
    const std::string bad = replaced(text, from, to);
    INFO(bad);
    CHECK_THROWS_WITH(parse_session_json(bad, "s.json"), Catch::Contains(expected));
    CHECK_THROWS_AS(parse_session_json(bad, "s.json"), InputError);
  };
  rejected("\"format\":\"pdf\"", "\"format\":\"tiff\"", "s.json: exports.format: unknown format 'tiff'");
  rejected("\"theme\":\"dark\"", "\"theme\":\"sepia\"", "s.json: exports.theme: ");
  rejected("\"unit\":\"cm\"", "\"unit\":\"in\"", "s.json: exports.unit: ");
  rejected("\"dpi\":300.0", "\"dpi\":3", "s.json: exports.dpi: must be 30..1200");
  rejected("\"font_scale\":1.5", "\"font_scale\":\"big\"", "s.json: exports.font_scale: must be a number");
  rejected("\"width\":12.5", "\"width\":500", "s.json: exports.width: must be 0 (the size on screen) or 1..100 cm");
  rejected("\"folder\":\"figures/run 1\"", "\"folder\":7", "s.json: exports.folder: must be a string");
  rejected("\"folder\":", "\"colour\":1,\"folder\":", "s.json: exports.colour: unknown key");
}

TEST_CASE("every Studio plot has a label on both axes (in every export format)", "[run_plots]") {
  RunLogs logs;
  for (const std::string& id : run_plot_ids()) {
    PlotFigure f;
    REQUIRE(run_figure(logs, id, f));
    INFO(id);
    CHECK(!f.x_label.empty());
    CHECK(!f.y_label.empty());
  }
}
