// Issue 24's last low findings: one range for beta and sigma in every command, every default-ignorable code point
// escaped in messages, quoted tokens cut to 40 bytes, a refused demo that prints nothing, /dev/tty without a
// controlling terminal named as a terminal, and no 300-digit learning rate in a message.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <string>
#include <utility>

#include "cli_runner.h"
#include "numerics/corruption.h"
#include "numerics/input_error.h"

namespace {
using namespace uhop;
using Catch::Matchers::Contains;
namespace fs = std::filesystem;

std::string utf8(uint32_t code) {
  std::string s;
  if (code < 0x80) {
    s += static_cast<char>(code);
  } else if (code < 0x800) {
    s += static_cast<char>(0xC0 | (code >> 6));
    s += static_cast<char>(0x80 | (code & 0x3F));
  } else if (code < 0x10000) {
    s += static_cast<char>(0xE0 | (code >> 12));
    s += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    s += static_cast<char>(0x80 | (code & 0x3F));
  } else {
    s += static_cast<char>(0xF0 | (code >> 18));
    s += static_cast<char>(0x80 | ((code >> 12) & 0x3F));
    s += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    s += static_cast<char>(0x80 | (code & 0x3F));
  }
  return s;
}

// The longest quoted excerpt ('...') in a message, in bytes, without its quotes and the "…" that marks a cut.
size_t longest_quote(const std::string& message) {
  size_t longest = 0;
  for (size_t open = message.find('\''); open != std::string::npos;) {
    const size_t close = message.find('\'', open + 1);
    if (close == std::string::npos) break;
    std::string quoted = message.substr(open + 1, close - open - 1);
    const std::string ellipsis = "\u2026";
    if (quoted.size() >= ellipsis.size() &&
        quoted.compare(quoted.size() - ellipsis.size(), ellipsis.size(), ellipsis) == 0)
      quoted.resize(quoted.size() - ellipsis.size());
    longest = std::max(longest, quoted.size());
    open = message.find('\'', close + 1);
  }
  return longest;
}
}  // namespace

TEST_CASE("beta and sigma have one range in every command: capacity and the corruption strength too",
          "[cli][numbers][hostile]") {
  cli::TempDir dir;
  const cli::Result capacity =
      cli::run(dir, "capacity --model exponential --dim 8 --alphas 0.2 --beta 1e-310 --trials 3 --out cap.csv");
  CHECK(capacity.code == 2);
  CHECK_THAT(capacity.err, Contains("--beta") && Contains("[1e-100, "));
  CHECK_FALSE(fs::exists(dir / "cap.csv"));
  const cli::Result retrieve = cli::run(
      dir, "retrieve --memories builtin:glyphs --count 5 --target 0 --corrupt gaussian:1e100 --out x.csv --log l.csv");
  CHECK(retrieve.code == 2);
  CHECK_THAT(retrieve.err, Contains("[0, 1e+06]"));
  CHECK_FALSE(fs::exists(dir / "x.csv"));
  // The core's parser (the Studio, session files, sweeps and Python go through it) applies the same range.
  CHECK_THROWS_WITH(parse_corruption("gaussian-norm:2e6"), Contains("[0, 1e+06]"));
  CHECK_THROWS_WITH(parse_corruption("gaussian:1e400"), Contains("out of range"));  // one number parser
  CHECK(parse_corruption("gaussian:1e6").strength == 1e6);
}

TEST_CASE("every default-ignorable code point is escaped in messages", "[io][messages]") {
  // Unicode's Default_Ignorable_Code_Point (DerivedCoreProperties.txt), assigned or not.
  const std::pair<uint32_t, uint32_t> ranges[] = {
      {0xAD, 0xAD},     {0x34F, 0x34F},   {0x61C, 0x61C},     {0x115F, 0x1160},   {0x17B4, 0x17B5},   {0x180B, 0x180F},
      {0x200B, 0x200F}, {0x202A, 0x202E}, {0x2060, 0x206F},   {0x3164, 0x3164},   {0xFE00, 0xFE0F},   {0xFEFF, 0xFEFF},
      {0xFFA0, 0xFFA0}, {0xFFF0, 0xFFF8}, {0x1BCA0, 0x1BCA3}, {0x1D173, 0x1D17A}, {0xE0000, 0xE0FFF},
  };
  for (const auto& range : ranges)
    for (uint32_t code = range.first; code <= range.second; ++code) {
      const std::string c = utf8(code);
      const std::string shown = printable_text("a" + c + "b");
      INFO("U+" << std::hex << code);
      CHECK(shown.find(c) == std::string::npos);
      CHECK_THAT(shown, Contains("\\x"));
      CHECK(printable_text(shown) == shown);
    }
  // Visible neighbours stay as they are.
  for (const uint32_t code : {0x3163u, 0x3165u, 0x1161u, 0x17B6u, 0xFE10u, 0xFFA1u, 0xE1000u})
    CHECK(printable_text(utf8(code)) == utf8(code));
  cli::TempDir dir;
  const cli::Result r = cli::run(dir, "project --memories 'a" + utf8(0x3164) + "b.csv' --out p.csv");
  CHECK(r.code == 2);
  CHECK(r.err.find(utf8(0x3164)) == std::string::npos);
}

TEST_CASE("a quoted token is at most 40 bytes with a cut mark, wherever it came from", "[cli][messages][hostile]") {
  cli::TempDir dir;
  const std::string token(2000, 'z');
  dir.write("bad.csv", "1,2\n3," + token + "\n");
  const std::string memories = "--memories builtin:glyphs --count 5 --target 0 --out x.csv --log l.csv ";
  for (const std::string& args :
       {std::string("project --memories bad.csv --out p.csv"), "retrieve " + memories + "--corrupt gaussian:" + token,
        "retrieve " + memories + "--corrupt " + token, "retrieve " + memories + "--corrupt gaussian:1 --pick " + token,
        "retrieve " + memories + "--corrupt gaussian:1 --similarity " + token,
        "capacity --model " + token + " --alphas 0.1 --out c.csv", "capacity --dim " + token + " --alphas 1"}) {
    INFO(args.substr(0, 60));
    const cli::Result r = cli::run(dir, args);
    CHECK(r.code == 2);
    CHECK(r.err.size() < 250);
    CHECK(longest_quote(r.err) <= 40);
  }
}

TEST_CASE("a refused demo prints nothing and reads nothing", "[cli][hostile][exit]") {
  cli::TempDir dir;
  for (const char* flag :
       {"--steps 1000001", "--lr -1", "--beta 1e-310", "--corrupt gaussian:x", "--seed x", "--target -1"}) {
    INFO(flag);
    const cli::Result r = cli::run(dir, std::string("demo --memories builtin:glyphs --count 5 ") + flag);
    CHECK(r.code == 2);
    CHECK(r.out.empty());
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
  }
  // A file that cannot be read is not even opened: the flags are refused first.
  const cli::Result r = cli::run(dir, "demo --memories missing.csv --steps 1000001");
  CHECK(r.code == 2);
  CHECK_THAT(r.err, Contains("--steps") && !Contains("missing.csv"));
}

TEST_CASE("an output to /dev/tty without a controlling terminal is named a terminal, not a FIFO",
          "[cli][hostile][devices]") {
  cli::TempDir dir;
  // setsid -w: a new session, so the process has no controlling terminal whatever runs the tests.
  const std::string cmd = "cd '" + dir.path.string() + "' && setsid -w '" + UHOP_CLI_PATH +
                          "' stage1 --memories builtin:glyphs --count 4 --init identity --lr 0.1 --steps 1 --out-w "
                          "w.csv --log /dev/tty < /dev/null > out.txt 2> err.txt; echo $? > rc.txt";
  REQUIRE(std::system(cmd.c_str()) == 0);
  const std::string err = cli::slurp(dir.path / "err.txt");
  INFO(err);
  CHECK(cli::slurp(dir.path / "rc.txt") == "2\n");
  CHECK_THAT(err, Contains("/dev/tty") && Contains("no controlling terminal") && !Contains("FIFO"));
  CHECK_FALSE(fs::exists(dir / "w.csv"));
}

TEST_CASE("a diverging learning rate is printed as %g, not 300 digits", "[cli][messages]") {
  cli::TempDir dir;
  const cli::Result r =
      cli::run(dir,
               "stage1 --memories builtin:glyphs --count 5 --init identity --lr 1e300 --steps 3 --out-w w.csv "
               "--log l.csv");
  CHECK(r.code == 2);
  CHECK_THAT(r.err, Contains("diverged") && Contains("1e+300"));
  CHECK(r.err.size() < 200);
  const cli::Result demo = cli::run(dir, "demo --memories builtin:glyphs --count 5 --lr 1e300 --steps 3");
  CHECK(demo.code == 2);
  CHECK_THAT(demo.err, Contains("1e+300"));
  CHECK(demo.err.size() < 200);
}
