// Script parsing and the settings table of U-Hop Studio (no window, no worker).
#include <catch2/catch.hpp>

#include "numerics/input_error.h"
#include "studio_commands.h"
#include "studio_state.h"

using namespace studio;

TEST_CASE("a good script parses into commands with their line numbers", "[studio][commands]") {
  const char* text =
      "# a demo\n"
      "load builtin:glyphs count=20 size=16x16\n"
      "\n"
      "target 3\n"
      "corrupt gaussian:0.3 seed=1   # noisy\n"
      "stage1 steps=20\n"
      "set beta=4 alpha=1.5 similarity=kernel\n"
      "brush 1,2 3.5,4 radius=2 value=0.5\n"
      "erase 5,5\n"
      "stage2 steps=3\n"
      "stage1 play\n"
      "wait\n"
      "screenshot out.png\n";
  ParsedScript p = parse_script(text, "demo.txt");
  REQUIRE(p.errors.empty());
  REQUIRE(p.commands.size() == 11);
  CHECK(p.commands[0].kind == CommandKind::load);
  CHECK(p.commands[0].path == "builtin:glyphs");
  CHECK(p.commands[0].line == 2);
  CHECK(p.commands[0].settings.size() == 2);
  CHECK(p.commands[1].kind == CommandKind::target);
  CHECK(p.commands[1].number == 3);
  CHECK(p.commands[1].line == 4);
  CHECK(p.commands[2].kind == CommandKind::corrupt);
  CHECK(p.commands[2].settings[0].second == "gaussian:0.3");
  CHECK(p.commands[3].kind == CommandKind::stage1_steps);
  CHECK(p.commands[3].number == 20);
  CHECK(p.commands[4].kind == CommandKind::set);
  CHECK(p.commands[4].settings.size() == 3);
  CHECK(p.commands[5].kind == CommandKind::brush);
  CHECK(p.commands[5].stroke.points.size() == 2);
  CHECK(p.commands[5].stroke.radius == 2.0f);
  CHECK(p.commands[5].stroke.value == 0.5f);
  CHECK(p.commands[6].stroke.value == 0.0f);
  CHECK(p.commands[7].kind == CommandKind::stage2_steps);
  CHECK(p.commands[8].kind == CommandKind::stage1_play);
  CHECK(p.commands[9].kind == CommandKind::wait);
  CHECK(p.commands[10].kind == CommandKind::screenshot);
  CHECK(p.commands[10].path == "out.png");
}

TEST_CASE("bad lines are reported with file and line number, good lines still parse", "[studio][commands]") {
  const char* text =
      "load\n"                          // 1: missing source
      "target three\n"                  // 2: not a number
      "corrupt fog:0.3\n"               // 3: unknown corruption
      "stage1 steps=-2\n"               // 4: negative
      "set beta=0\n"                    // 5: beta must be > 0
      "set nonsense=1\n"                // 6: unknown key
      "dance\n"                         // 7: unknown command
      "brush radius=2\n"                // 8: no points
      "stage2 jump\n"                   // 9: unknown action
      "load builtin:glyphs colour=1\n"  // 10: unknown load option
      "target 2\n";                     // 11: fine
  ParsedScript p = parse_script(text, "bad.txt");
  REQUIRE(p.errors.size() == 10);
  for (int i = 0; i < 10; ++i) {
    INFO(p.errors[i]);
    CHECK(p.errors[i].find("bad.txt: line " + std::to_string(i + 1) + ":") == 0);
  }
  CHECK(p.errors[1].find("three") != std::string::npos);
  CHECK(p.errors[5].find("nonsense") != std::string::npos);
  CHECK(p.errors[6].find("dance") != std::string::npos);
  REQUIRE(p.commands.size() == 1);
  CHECK(p.commands[0].line == 11);
}

TEST_CASE("an unreadable script is one error naming the file", "[studio][commands]") {
  ParsedScript p = load_script("/nonexistent/dir/script.txt");
  REQUIRE(p.errors.size() == 1);
  CHECK(p.errors[0].find("/nonexistent/dir/script.txt") != std::string::npos);
}

TEST_CASE("the settings table round-trips through its text form", "[studio][state]") {
  StudioState a;
  apply_setting(a, "source", "builtin:glyphs");
  apply_setting(a, "count", "12");
  apply_setting(a, "beta", "0.125");
  apply_setting(a, "alpha", "1.5");
  apply_setting(a, "similarity", "euclidean");
  apply_setting(a, "lr", "0.3");
  apply_setting(a, "schedule", "inv-sqrt");
  apply_setting(a, "corruption", "occlude:0.25");
  apply_setting(a, "size", "20x10");
  apply_setting(a, "norm", "unit");
  apply_setting(a, "T", "7");
  StudioState b;
  std::string text = to_text(a);
  for (size_t pos = 0; pos < text.size();) {
    size_t nl = text.find('\n', pos);
    std::string line = text.substr(pos, nl - pos);
    pos = nl + 1;
    size_t eq = line.find('=');
    apply_setting(b, line.substr(0, eq), line.substr(eq + 1));
  }
  CHECK(to_text(b) == text);
  CHECK(b.load.width == 20);
  CHECK(b.load.height == 10);
  CHECK(b.stage2.beta == 0.125);
  CHECK(b.stage2_steps == 7);
  CHECK_THROWS_AS(apply_setting(b, "alpha", "0.5"), uhop::InputError);
  CHECK_THROWS_AS(apply_setting(b, "lr", "abc"), uhop::InputError);
}
