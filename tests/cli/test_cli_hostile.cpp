// The real uhop binary against the issue-12 audit's categories (one case or more per category, with files other
// than the audit's): flags that wrap or repeat, outputs that must stay untouched, special files, escape sequences,
// sizes refused before they are allocated. Each case: exit 2, one line naming the problem, old outputs intact.
#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "cli_runner.h"

namespace {
namespace fs = std::filesystem;
using Catch::Matchers::Contains;

const char* kGood = "1,0,0,0\n0,1,0,0\n0,0,1,0\n0,0,0,1\n0.5,0.5,0,0\n";

void check_refused(const cli::Result& r, const std::string& message) {
  CHECK(r.code == 2);
  CHECK_THAT(r.err, Contains(message));
  CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);  // one line
  CHECK(r.err.find('\x1b') == std::string::npos);
}
}  // namespace

TEST_CASE("cli: numbers are range-checked for every flag, never wrapped", "[cli][hostile][flags]") {
  cli::TempDir dir;
  dir.write("m.csv", kGood);
  const std::string s0 = "stage1 --memories m.csv --out-w w.csv --log l.csv ";
  const std::string s1 = s0 + "--init identity --lr 0.1 ";
  const std::string rt = "retrieve --memories m.csv --corrupt gaussian:0.1 --out x.csv --log l.csv ";
  const struct {
    std::string args, message;
  } cases[] = {
      {s1 + "--steps 1 --count 4294967298", "--count"},
      {s1 + "--steps 1 --offset 4294967296", "--offset"},
      {s0 + "--lr 0.1 --steps 1 --init gaussian --dim 4294967300", "--dim"},
      {s1 + "--steps 1 --train-count 4294967298", "--train-count"},
      {s1 + "--steps 99999999999999999999", "--steps"},
      {s1 + "--steps 1000001", "outside 0..1000000"},
      {s1 + "--steps 1 --seed -1", "--seed"},
      {s1 + "--steps 1 --seed 18446744073709551616", "--seed"},
      {s0 + "--init identity --steps 1 --lr 1e400", "out of range"},
      {rt + "--target 4294967296", "--target"},
      {rt + "--target 0 --top-k 4294967297", "--top-k"},
      {rt + "--target 0 --steps 10001", "--steps"},
      {rt + "--target 0 --beta 1e400", "out of range"},
      {rt + "--target 0 --beta 1e101", "beta"},
      {"sweep --memories builtin:glyphs --vary M --values 6 --seeds 4294967297 --out sw", "--seeds"},
      {"sweep --memories builtin:glyphs --vary M --values 6 --methods mhm --cell 4294967296 --out sw", "--cell"},
      {"demo --memories builtin:glyphs --count 5 --steps 99999999999999999999", "--steps"},
  };
  for (const auto& c : cases) {
    INFO(c.args);
    check_refused(cli::run(dir, c.args), c.message);
    CHECK_FALSE(fs::exists(dir / "l.csv"));
  }
}

TEST_CASE("cli: duplicate flags, values given to switches and empty values are refused", "[cli][hostile][flags]") {
  cli::TempDir dir;
  dir.write("m.csv", kGood);
  const std::string s1 = "stage1 --memories m.csv --init identity --steps 1 --lr 0.1 --out-w w.csv --log l.csv ";
  check_refused(cli::run(dir, s1 + "--count 3 --count 4"), "--count given twice");
  check_refused(cli::run(dir, s1 + "--lr=0.2"), "--lr given twice");
  check_refused(cli::run(dir, s1 + "--normalize-rows=0"), "--normalize-rows takes no value");
  check_refused(cli::run(dir, s1 + "--rgb --rgb"), "--rgb given twice");
  check_refused(cli::run(dir, "stage1 --memories '' --init identity --steps 1 --lr 0.1 --out-w w.csv --log l.csv"),
                "--memories needs a value");
  dir.write("s.json", R"({"format": "uhop-session", "version": 1, "memories": {"source": "builtin:glyphs", "count": 4},
    "stage1": {}, "stage2": {}, "query": {"target": 1}})");
  check_refused(cli::run(dir, "replay --session s.json --out ''"), "--out needs a value");
  CHECK_FALSE(fs::exists(dir / "stage1.csv"));  // nothing written into the current folder
  dir.write("n.json", R"({"format": "uhop-session", "version": 1, "memories": {"source": "builtin:glyphs", "count": 4},
    "stage1": {"lr": 1e400}, "stage2": {}, "query": {"target": 1}})");
  check_refused(cli::run(dir, "replay --session n.json"), "n.json: lr: the number 1e400 (at byte");
}

TEST_CASE("cli: uhop demo on builtin:glyphs takes all 36 with a note", "[cli][hostile][flags]") {
  cli::TempDir dir;
  const auto r = cli::run(dir, "demo --memories builtin:glyphs --steps 2");
  CHECK(r.code == 0);
  CHECK_THAT(r.out, Contains("M = 36"));
  CHECK_THAT(r.err, Contains("taking all 36"));
}

TEST_CASE("cli: a failing command leaves every old output untouched", "[cli][hostile][outputs]") {
  cli::TempDir dir;
  dir.write("m.csv", kGood);
  dir.write("l.csv", "old log\n");
  dir.write("w.csv", "old w\n");
  const std::string s1 = "stage1 --memories m.csv --init identity --steps 1 --lr 0.1 ";
  fs::create_directory(dir.path / "wdir.csv");
  check_refused(cli::run(dir, s1 + "--out-w wdir.csv --log l.csv"), "wdir.csv: is a folder");
  check_refused(cli::run(dir, s1 + "--out-w l.csv --log l.csv"), "named twice");
  fs::create_symlink("/dev/null", dir.path / "null.csv");
  // A symlink to a device is streamed to, never replaced (issue 24): the link stays.
  CHECK(cli::run(dir, s1 + "--out-w w2.csv --log null.csv").code == 0);
  CHECK(fs::read_symlink(dir.path / "null.csv") == "/dev/null");
  REQUIRE(::mkfifo((dir / "pipe.csv").c_str(), 0600) == 0);
  check_refused(cli::run(dir, s1 + "--out-w pipe.csv --log l.csv"), "FIFO");
  CHECK(cli::slurp(dir / "l.csv") == "old log\n");
  CHECK(cli::slurp(dir / "w.csv") == "old w\n");
  // replay --out where one plot file is a folder: nothing of the export is replaced.
  dir.write("s.json", R"({"format": "uhop-session", "version": 1, "memories": {"source": "builtin:glyphs", "count": 4},
    "stage1": {"steps": 1}, "stage2": {"steps": 1}, "query": {"target": 1}})");
  fs::create_directories(dir.path / "out" / "plots" / "error.svg");
  dir.write("out/stage1.csv", "old\n");
  check_refused(cli::run(dir, "replay --session s.json --out out"), "error.svg: is a folder");
  CHECK(cli::slurp(dir / "out/stage1.csv") == "old\n");
  for (const auto& e : fs::recursive_directory_iterator(dir.path))
    CHECK(e.path().filename().string().find("uhop-tmp") == std::string::npos);
}

TEST_CASE("cli: FIFOs and devices as inputs are refused at once", "[cli][hostile][special-files]") {
  cli::TempDir dir;
  dir.write("m.csv", kGood);
  REQUIRE(::mkfifo((dir / "pipe.csv").c_str(), 0600) == 0);
  REQUIRE(::mkfifo((dir / "pipe.json").c_str(), 0600) == 0);
  const std::string rt = "retrieve --memories m.csv --target 0 --out x.csv --log l.csv ";
  // Each would block forever on open or read with a plain reader (the test would time out).
  check_refused(cli::run(dir, "stage1 --memories m.csv --w0 pipe.csv --steps 1 --lr 0.1 --out-w w.csv --log l.csv"),
                "FIFO");
  check_refused(cli::run(dir, rt + "--w pipe.csv --corrupt gaussian:0.1"), "FIFO");
  check_refused(cli::run(dir, rt + "--query pipe.csv"), "FIFO");
  check_refused(cli::run(dir, "replay --session pipe.json"), "FIFO");
  check_refused(
      cli::run(dir, "stage1 --memories pipe.csv --init identity --steps 1 --lr 0.1 --out-w w.csv --log l.csv"), "FIFO");
  check_refused(cli::run(dir, "stage1 --memories m.csv --w0 /dev/zero --steps 1 --lr 0.1 --out-w w.csv --log l.csv"),
                "character device");
  check_refused(
      cli::run(dir, "stage1 --memories /dev/urandom --init identity --steps 1 --lr 0.1 --out-w w.csv --log l.csv"),
      "character device");
}

TEST_CASE("cli: escape sequences and newlines from paths, files and sessions never reach the terminal raw",
          "[cli][hostile][messages]") {
  cli::TempDir dir;
  // A CSV whose bad field is an escape sequence, behind a byte-order mark (which is accepted).
  dir.write("bad.csv",
            "\xEF\xBB\xBF"
            "1,2\n3,\x1b[2J\n");
  check_refused(cli::run(dir, "stage1 --memories bad.csv --init identity --steps 1 --lr 0.1 --out-w w.csv --log l.csv"),
                "bad.csv:2: field 2 is not a number: '\\x1b[2J'");
  dir.write("nul.csv", std::string("1,2\n3,4\0\n", 9));
  check_refused(cli::run(dir, "stage1 --memories nul.csv --init identity --steps 1 --lr 0.1 --out-w w.csv --log l.csv"),
                "NUL byte");
  // A path with a newline and ESC in it: one line, escaped.
  const auto r = cli::run(dir,
                          "stage1 --memories \"$(printf 'a\\nb\\033[31m.csv')\" --init identity --steps 1 "
                          "--lr 0.1 --out-w w.csv --log l.csv");
  check_refused(r, "a\\nb\\x1b[31m.csv");
  // A session description with an escape sequence is printed escaped.
  dir.write("d.json", R"({"format": "uhop-session", "version": 1, "description": "\u001b[2Jgone\nline 2",
    "memories": {"source": "builtin:glyphs", "count": 4}, "stage1": {}, "stage2": {}, "query": {"target": 1}})");
  const auto d = cli::run(dir, "replay --session d.json");
  CHECK(d.code == 0);
  CHECK_THAT(d.out, Contains("\\x1b[2Jgone\\nline 2"));
  CHECK(d.out.find('\x1b') == std::string::npos);
}

TEST_CASE("cli: sizes are refused before they are allocated, saying why", "[cli][hostile][sizes]") {
  cli::TempDir dir;
  check_refused(cli::run(dir,
                         "stage1 --memories builtin:glyphs --count 5 --size 200x200 --init identity --steps 1 "
                         "--lr 0.1 --out-w w.csv --log l.csv"),
                "W is D x d = 40000 x 40000 doubles = 12.8 GB");
  check_refused(cli::run(dir,
                         "stage1 --memories builtin:glyphs --count 200000 --init identity --steps 1 --lr 0.1 "
                         "--out-w w.csv --log l.csv"),
                "more than a session holds");
  // A 19-byte PGM declaring 16000x16000 and an 18-byte TGA: refused, with the limit named.
  dir.write("bomb.pgm", "P5 16000 16000 255\n");
  check_refused(
      cli::run(dir, "stage1 --memories bomb.pgm --init identity --steps 1 --lr 0.1 --out-w w.csv --log l.csv"),
      "more than the limit");
  dir.write("lie.pgm", "P5 4000 4000 255\n");
  check_refused(cli::run(dir, "stage1 --memories lie.pgm --init identity --steps 1 --lr 0.1 --out-w w.csv --log l.csv"),
                "cannot hold that many pixels");
}
