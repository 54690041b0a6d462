// Issue 24 items 8, 9 and 10: one range for every real-valued flag, messages that escape invisible and
// line-breaking code points and stay short, and one exit-code table (docs/hostile-input.md) where a refused command
// creates nothing.
#include <catch2/catch.hpp>

#include <filesystem>

#include "cli_runner.h"
#include "numerics/energy_landscape.h"
#include "numerics/input_error.h"
#include "numerics/real_settings.h"
#include "numerics/retrieval.h"

namespace {
using namespace uhop;
using Catch::Matchers::Contains;
namespace fs = std::filesystem;

void memories_and_query(const cli::TempDir& dir) {
  dir.write("mem.csv", "1,0,0\n0,1,0\n0,0,1\n0.5,0.5,0\n");
  dir.write("q.csv", "0.9,0.1,0\n");
}
}  // namespace

TEST_CASE("beta 1e-310 is refused by every command alike, never written as -inf", "[cli][numbers][hostile]") {
  cli::TempDir dir;
  memories_and_query(dir);
  const cli::Result landscape = cli::run(dir,
                                         "landscape --memories mem.csv --query q.csv --target 0 --rival 1 "
                                         "--grid 3 --beta 1e-310 --out l.csv");
  CHECK(landscape.code == 2);
  CHECK_THAT(landscape.err, Contains("--beta") && Contains("[1e-100, 1e+100]"));
  CHECK_FALSE(fs::exists(dir / "l.csv"));
  const cli::Result retrieve =
      cli::run(dir, "retrieve --memories mem.csv --query q.csv --target 0 --beta 1e-310 --out x.csv --log r.csv");
  CHECK(retrieve.code == 2);
  CHECK_THAT(retrieve.err, Contains("--beta") && Contains("[1e-100, 1e+100]"));
  CHECK_THROWS_WITH(checked_real("lr", -1), Contains("--lr") && Contains("[0, 1e+300]"));
  for (const std::string flag : {"--probe-beta 1e-200", "--t 1e-310"}) {
    INFO(flag);
    const cli::Result r = cli::run(dir,
                                   "stage1 --memories mem.csv --init identity --steps 1 --lr 0.1 --out-w w.csv "
                                   "--log s.csv --probe gaussian:0.1 " +
                                       flag);
    CHECK(r.code == 2);
    CHECK_THAT(r.err, Contains("must be a number in"));
  }
  // The core applies the same ranges (the Studio and session files go through it).
  CHECK_THROWS_WITH(checked_real("beta", 1e-310), Contains("--beta"));
  CHECK(checked_real("beta", 1e-100) == 1e-100);
  RetrievalSettings settings;
  settings.beta = 1e-310;
  CHECK_THROWS_WITH(validate(settings), Contains("beta"));
  // Within range, landscape's cells are finite.
  const cli::Result ok = cli::run(dir,
                                  "landscape --memories mem.csv --query q.csv --target 0 --rival 1 --grid 3 "
                                  "--beta 1e-100 --out l.csv");
  CHECK(ok.code == 0);
  CHECK_THAT(cli::slurp(dir.path / "l.csv"), !Contains("inf") && !Contains("nan"));
}

TEST_CASE("messages escape line separators and invisible format characters and stay short", "[io][messages]") {
  const std::string u2028 = "\xe2\x80\xa8", u2029 = "\xe2\x80\xa9", zwsp = "\xe2\x80\x8b", bom = "\xef\xbb\xbf",
                    shy = "\xc2\xad", tag = "\xf3\xa0\x80\x81";
  for (const std::string& c : {u2028, u2029, zwsp, bom, shy, tag}) {
    const std::string shown = printable_text("a" + c + "b");
    CHECK(shown.find(c) == std::string::npos);
    CHECK_THAT(shown, Contains("\\x"));
    CHECK(printable_text(shown) == shown);  // idempotent
  }
  CHECK(printable_text("Δ^Φ café") == "Δ^Φ café");  // ordinary text is kept
  const std::string huge(20 << 20, 'p');
  const InputError e = input_error(huge, "no such file or folder");
  CHECK(std::string(e.what()).size() <= 1024 + 4);  // printable_text keeps at most 1 KB
  CHECK_THAT(std::string(e.what()), Contains("\u2026") && Contains("no such file or folder"));
  cli::TempDir dir;
  const cli::Result r = cli::run(dir, "project --memories 'x" + u2028 + "y.csv' --out p.csv");
  CHECK(r.code == 2);
  CHECK(r.err.find(u2028) == std::string::npos);
  CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
}

TEST_CASE("a refused sweep prints one line and creates nothing", "[cli][sweep][exit]") {
  cli::TempDir dir;
  const cli::Result r =
      cli::run(dir,
               "sweep --memories builtin:glyphs --vary M --values 4 --methods mhm --seeds 1 --stage1-steps 0 "
               "--out sw "
               "--cell 7");
  CHECK(r.code == 2);
  CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
  CHECK_FALSE(fs::exists(dir / "sw"));
}

TEST_CASE("uhop without a command is a usage error; uhop help asks for the usage", "[cli][exit]") {
  cli::TempDir dir;
  const cli::Result none = cli::run(dir, "");
  CHECK(none.code == 2);  // was 0: a script calling `uhop $CMD` with an empty CMD went on as if it had run
  CHECK(none.out.empty());
  CHECK(none.err.rfind("usage: uhop <command>", 0) == 0);
  const cli::Result help = cli::run(dir, "help");
  CHECK(help.code == 0);
  CHECK(help.out == none.err);
  CHECK(help.err.empty());
}

TEST_CASE("memories too small for the squares a session computes are refused like too large ones", "[cli][numbers]") {
  // Audit 27: values of 1e-170 squared are 0 in double; retrieve printed "error 0 -> 0 ... nearest memory 0 (NOT the
  // target)" and stage1 "loss 0 -> 0" with exit 0. Scaled to 1, the same set retrieves.
  cli::TempDir dir;
  dir.write("t.csv", "1e-170,0,0\n0,1e-170,0\n0,0,1e-170\n");
  dir.write("f.csv", "1e-20,0,0\n0,1e-20,0\n0,0,1e-20\n");  // fine in double, denormal squares in float
  dir.write("u.csv", "1,0,0\n0,1,0\n0,0,1\n");
  const std::string retrieve = " --target 1 --corrupt mask-half --steps 2 --out x.csv --log l.csv";
  const std::string stage1 = " --init identity --lr 0.1 --steps 2 --out-w w.csv --log l1.csv";
  for (const std::string& args : {"retrieve --memories t.csv" + retrieve, "stage1 --memories t.csv" + stage1,
                                  "stage1 --memories f.csv" + stage1}) {
    INFO(args);
    const cli::Result r = cli::run(dir, args);
    CHECK(r.code == 2);
    CHECK_THAT(r.err, Catch::Contains("too small for the squares") && Catch::Contains("scale the memories up"));
    CHECK(r.out.empty());
  }
  CHECK(cli::run(dir, "stage1 --memories f.csv --precision double" + stage1).code == 0);
  CHECK(cli::run(dir, "retrieve --memories u.csv" + retrieve).code == 0);
}
