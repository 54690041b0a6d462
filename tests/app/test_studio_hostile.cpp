// The Studio's logic against hostile input (issue 12): a brush stroke with huge or non-finite coordinates stays
// bounded (points clamped to the canvas), a script that is a FIFO is refused without blocking, numbers in script
// lines are range-checked, and messages that reach the status bar are printable.
#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "numerics/input_error.h"
#include "studio_commands.h"
#include "studio_test_script.h"
#include "studio_worker.h"

using namespace studio;
using Catch::Matchers::Contains;

TEST_CASE("a brush stroke with a huge coordinate is clamped to the canvas (bounded time and memory)",
          "[studio][hostile]") {
  StudioWorker w;
  // The old code densified the line to 1e9 / 0.25 dabs: minutes and gigabytes. Clamped, it is a line to the corner.
  run_script(w, "load builtin:glyphs count=4\ntarget 0\nclear\nbrush 3,3 1000000000,1000000000 radius=1\n");
  const auto snap = w.snapshot();
  REQUIRE(snap->error.empty());
  const int side = 28;
  CHECK(snap->query[3 * side + 3] > 0.5);                // the start of the stroke
  CHECK(snap->query[27 * side + 27] > 0.5);              // the clamped end: the canvas corner
  CHECK(snap->query[14 * side + 14] > 0.5);              // the diagonal between them
  CHECK(snap->query[3 * side + 27] == 0.0);              // off the line
  run_script(w, "clear\nbrush -1e30,-1e30 radius=2\n");  // entirely off the canvas: nothing painted
  CHECK(w.snapshot()->query.norm() == 0.0);
}

TEST_CASE("script lines: non-finite points and out-of-range numbers are refused with their line", "[studio][hostile]") {
  const ParsedScript p = parse_script(
      "brush inf,3\n"
      "brush nan,nan\n"
      "target 4294967296\n"
      "set seed=99999999999999999999\n"
      "set beta=1e400\n"
      "set T=100000\n"
      "load builtin:glyphs count=4294967298\n",
      "s.txt");
  REQUIRE(p.errors.size() == 7);
  CHECK_THAT(p.errors[0], Contains("line 1") && Contains("finite"));
  CHECK_THAT(p.errors[2], Contains("line 3") && Contains("outside"));
  CHECK_THAT(p.errors[3], Contains("line 4") && Contains("outside"));
  CHECK_THAT(p.errors[4], Contains("line 5") && Contains("out of range"));
  CHECK_THAT(p.errors[5], Contains("line 6") && Contains("outside"));
  CHECK_THAT(p.errors[6], Contains("line 7") && Contains("outside"));
}

TEST_CASE("a script or session that is a FIFO is refused at once; messages are printable", "[studio][hostile]") {
  char tmpl[] = "/tmp/uhop-studio-hostile-XXXXXX";
  const std::string dir = ::mkdtemp(tmpl);
  const std::string fifo = dir + "/script.txt";
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  const ParsedScript p = load_script(fifo);
  REQUIRE(p.errors.size() == 1);
  CHECK_THAT(p.errors[0], Contains("FIFO"));
  StudioWorker w;
  Command c;
  c.kind = CommandKind::load_session;
  c.path = fifo;
  w.push(c);
  REQUIRE(w.wait_idle(60));
  CHECK_THAT(w.snapshot()->error, Contains("FIFO"));
  // A source path with an escape sequence: the error that reaches the status bar has it escaped.
  Command load;
  load.kind = CommandKind::load;
  load.path = dir + "/\x1b[2Jno\nsuch";
  w.push(load);
  REQUIRE(w.wait_idle(60));
  const std::string error = w.snapshot()->error;
  CHECK_THAT(error, Contains("\\x1b[2Jno\\nsuch"));
  CHECK(error.find('\x1b') == std::string::npos);
  std::filesystem::remove_all(dir);
}

TEST_CASE("a session file over the budget is refused with Open anyway offered, allow-large asks for it",
          "[studio][hostile][limits]") {
  char tmpl[] = "/tmp/uhop-studio-budget-XXXXXX";
  const std::string dir = ::mkdtemp(tmpl);
  const std::string path = dir + "/steps.json";
  // 20 glyphs and 20,000 Stage I steps: about 1e12 multiply-adds, more than a session file may ask for.
  std::ofstream(path) << R"({"format": "uhop-session", "version": 1, "memories": {"source": "builtin:glyphs",
    "count": 20}, "stage1": {"steps": 20000}, "stage2": {}, "query": {"target": 1}})";
  StudioWorker w;
  run_script(w, "load-session " + path + "\n");
  const auto s = w.snapshot();
  CHECK_THAT(s->error, Contains("20000 Stage I") && Contains("Open anyway"));
  CHECK(s->refused_session == path);
  CHECK(s->stage1_log.size() <= 1);  // not a step was taken
  Command again;
  REQUIRE(parse_command_line("load-session " + path + " allow-large", 1, again));
  CHECK(again.kind == CommandKind::load_session);
  CHECK(again.number == 1);
  CHECK_THROWS_AS(parse_command_line("load-session " + path + " please", 1, again), uhop::InputError);
  std::filesystem::remove_all(dir);
}
