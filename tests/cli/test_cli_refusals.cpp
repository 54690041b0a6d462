// Issue 24, the last findings on refused commands: a refused replay, sweep or capacity creates nothing and computes
// nothing (every flag and destination is checked before the first folder or cell), and a FIFO output whose reader
// quits is a message and exit 2, not a death by SIGPIPE.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <thread>

#include "cli_runner.h"

namespace {
namespace fs = std::filesystem;
using Catch::Matchers::Contains;

const char* kSession =
    R"({"format": "uhop-session", "version": 1, "memories": {"source": "builtin:glyphs", "count": 5},
 "stage1": {"init": "identity", "lr": 0.1, "steps": 2, "finished": true}, "stage2": {"steps": 1},
 "query": {"target": 1, "corruption": "gaussian:0.1", "seed": 0}})";

// Every entry under dir (but the runner's own stdout.txt and stderr.txt) with its kind and, for files, its bytes.
std::map<std::string, std::string> snapshot(const cli::TempDir& dir) {
  std::map<std::string, std::string> entries;
  for (const fs::directory_entry& e : fs::recursive_directory_iterator(dir.path)) {
    const std::string name = fs::relative(e.path(), dir.path).string();
    if (name == "stdout.txt" || name == "stderr.txt") continue;
    entries[name] = e.is_directory() ? "folder" : "file:" + cli::slurp(e.path());
  }
  return entries;
}

// The working folder a refused command must leave as it found it: a session, a file, a non-empty folder, and
// folders where a later output's name is taken by a folder.
void make_workspace(const cli::TempDir& dir) {
  dir.write("s.json", kSession);
  dir.write("afile", "not a folder\n");
  fs::create_directories(dir.path / "afolder" / "w.csv");  // replay --out afolder: w.csv cannot be written
  dir.write("afolder/w.csv/keep", "x\n");
  fs::create_directories(dir.path / "sfolder" / "merged.csv");  // sweep --out sfolder: merged.csv neither
  dir.write("sfolder/merged.csv/keep", "x\n");
  fs::create_directories(dir.path / "cfolder" / "cell0_beta0_alpha0.1.csv");  // capacity --cell 0 --out cfolder
  fs::create_directories(dir.path / "empty");                                 // a PNG frames folder may be empty
  fs::create_directory_symlink("empty", dir.path / "elink");                  // ... but not a link to one
}
}  // namespace

TEST_CASE("a refused replay, sweep or capacity creates nothing and computes nothing", "[cli][hostile][exit]") {
  const std::string replay = "replay --session s.json ";
  const std::string sweep =
      "sweep --memories builtin:glyphs --vary M --values 4 --methods mhm --seeds 1 "
      "--stage1-steps 0 ";
  const std::string capacity = "capacity --model hebbian --dim 16 --alphas 0.1 --trials 2 ";
  const struct {
    std::string args, message;
  } cases[] = {
      {replay + "--out nd --save-session afolder", "afolder"},
      {replay + "--out nd --save-session nowhere/s.json", "nowhere"},
      {replay + "--out nd --animate afolder", "afolder"},
      {replay + "--out nd --save-session nd", "also --out's folder"},  // clashed only at the commit (audit 27)
      {replay + "--out nd --animate nd/", "also --out's folder"},
      {replay + "--animate a.gif --save-session ./a.gif", "also --animate"},
      {replay + "--animate empty --save-session empty/s.json", "one inside the other"},  // review: clashed at commit
      {replay + "--out nd/o --animate nd", "one inside the other"},
      {replay + "--animate elink/", "symbolic link"},
      {replay + "--out afolder", "w.csv"},
      {replay + "--out afile", "afile"},
      {sweep + "--out afile", "afile"},
      {sweep + "--out sfolder", "merged.csv"},
      {sweep + "--out nd --merge", "missing"},
      {capacity + "--out afolder", "afolder"},
      {capacity + "--out nowhere/c.csv", "nowhere"},
      {capacity + "--cell 0 --out afile", "afile"},
      {capacity + "--cell 0 --out cfolder", "cell0_beta0_alpha0.1.csv"},
      {capacity + "--merge nd --out c.csv", "missing"},
  };
  for (const auto& c : cases) {
    INFO(c.args);
    cli::TempDir dir;
    make_workspace(dir);
    const std::map<std::string, std::string> before = snapshot(dir);
    const cli::Result r = cli::run(dir, c.args);
    INFO(r.err);
    CHECK(r.code == 2);
    CHECK_THAT(r.err, Contains(c.message));
    // One line: the error. A sweep or capacity that started work would have printed its progress first.
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
    CHECK(r.out.empty());  // a replay prints its summary once it has replayed
    CHECK(snapshot(dir) == before);
  }
}

TEST_CASE("a FIFO output whose reader quits: a message and exit 2, not SIGPIPE", "[cli][hostile][fifo]") {
  cli::TempDir dir;
  REQUIRE(::mkfifo((dir / "ff").c_str(), 0600) == 0);
  // The reader is open before uhop opens the FIFO (so it is not refused as readerless), takes one byte and quits;
  // W for 5 glyphs is far more than a pipe holds, so uhop is still writing when the reader goes.
  const int reader = ::open((dir / "ff").c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);  // uhop must not hold it
  REQUIRE(reader >= 0);
  std::thread take_one([reader] {
    pollfd p{reader, POLLIN, 0};
    char byte = 0;
    // A bound on the wait only so that a broken uhop cannot hang the test; nothing is asserted on time.
    while (::poll(&p, 1, 60000) > 0 && ::read(reader, &byte, 1) < 0) {  // < 0: nothing yet; 0: uhop closed it
    }
    ::close(reader);
  });
  const cli::Result r = cli::run(
      dir, "stage1 --memories builtin:glyphs --count 5 --init identity --lr 0.1 --steps 2 --out-w ff --log l.csv");
  take_one.join();
  CHECK(r.code == 2);
  CHECK_THAT(r.err, Contains("the reader of ff closed it (broken pipe)"));
  CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
  CHECK_FALSE(fs::exists(dir / "l.csv"));  // streams are written first: the log is not committed after a failure
  // uhop's own standard output read by a reader that quits (`| head -c1`): ~150 KB of cells is more than a pipe
  // holds, so uhop is still writing when head goes.
  std::string alphas = "0.1";
  for (int i = 1; i < 5000; ++i) alphas += "," + std::to_string(0.1 + 0.0001 * i);
  const std::string cmd = "cd '" + dir.path.string() + "' && ('" + UHOP_CLI_PATH +
                          "' capacity --model hebbian --dim 16 --trials 2 --list-cells --alphas " + alphas +
                          " 2> err.txt; echo $? > rc.txt) | head -c1 > /dev/null";
  REQUIRE(std::system(cmd.c_str()) == 0);
  CHECK(cli::slurp(dir.path / "rc.txt") == "2\n");
  CHECK(cli::slurp(dir.path / "err.txt") ==
        "uhop: error: write failed: the reader of standard output closed it (broken pipe)\n");
}

// A replay whose outputs are --out DIR, --animate and --save-session commits them as one set: a side file or an
// animation that cannot be written (a link to /dev/full: "disk full" at commit) leaves every old output and makes
// no new folder. Before, --out's files were committed first and stayed, with exit 2.
TEST_CASE("replay --out, --animate and --save-session appear together or not at all", "[cli][hostile][commit]") {
  cli::TempDir dir;
  // 20x20 glyphs: W is 400 x 400, more than a session embeds, so --save-session writes NAME.w.csv beside it.
  dir.write("big.json", R"({"format": "uhop-session", "version": 1,
 "memories": {"source": "builtin:glyphs", "count": 4, "width": 20, "height": 20},
 "stage1": {"init": "identity", "lr": 0.1, "steps": 1, "finished": true}, "stage2": {"steps": 1},
 "query": {"target": 0, "corruption": "gaussian:0.1", "seed": 0}})");
  dir.write("s.json", kSession);
  fs::create_directories(dir.path / "old");
  dir.write("old/stage1.csv", "OLD\n");
  fs::create_symlink("/dev/full", dir.path / "t.w.csv");
  fs::create_symlink("/dev/full", dir.path / "full.gif");
  const struct {
    std::string args, message;
  } cases[] = {
      {"replay --session big.json --out old --save-session t.json", "t.w.csv"},
      {"replay --session big.json --out new --save-session t.json --animate frames/", "t.w.csv"},
      {"replay --session s.json --out old --animate full.gif", "full.gif"},
      {"replay --session s.json --out new --animate full.gif --save-session saved.json", "full.gif"},
  };
  for (const auto& c : cases) {
    INFO(c.args);
    const cli::Result r = cli::run(dir, c.args);
    INFO(r.err);
    CHECK(r.code == 2);
    CHECK_THAT(r.err, Contains(c.message) && Contains("disk full"));
    CHECK(cli::slurp(dir.path / "old/stage1.csv") == "OLD\n");
    CHECK_FALSE(fs::exists(dir.path / "new"));
    CHECK_FALSE(fs::exists(dir.path / "frames"));
    CHECK_FALSE(fs::exists(dir.path / "saved.json"));
    for (const fs::directory_entry& e : fs::directory_iterator(dir.path))
      CHECK(e.path().filename().string().find("uhop-tmp") == std::string::npos);
  }
  // The same set with writable destinations: all of it appears (the frames folder with the files).
  const cli::Result ok = cli::run(dir, "replay --session s.json --out old --animate frames/ --save-session saved.json");
  INFO(ok.err);
  CHECK(ok.code == 0);
  CHECK(cli::slurp(dir.path / "old/stage1.csv").rfind("step,", 0) == 0);
  CHECK(fs::exists(dir.path / "frames" / "frame-00001.png"));
  CHECK(fs::exists(dir.path / "saved.json"));
  CHECK_THAT(ok.out, Contains("written to frames/"));
}

// A session whose W needs a side file cannot be streamed to a device: its side file would be written beside the
// device's name (NAME.w.csv next to a link to /dev/null, or /dev/null.w.csv). Settings only still stream.
TEST_CASE("save-session to a device with a side file is refused and writes nothing beside it", "[cli][hostile]") {
  cli::TempDir dir;
  fs::create_symlink("/dev/null", dir.path / "null.json");
  const std::string save =
      "save-session --memories builtin:glyphs --count 4 --size 20x20 --target 0 "
      "--corrupt gaussian:0.1 --out null.json";
  const cli::Result r = cli::run(dir, save);
  CHECK(r.code == 2);
  CHECK_THAT(r.err, Contains("null.json") && Contains("side file"));
  CHECK_FALSE(fs::exists(dir.path / "null.w.csv"));
  CHECK(cli::run(dir, save + " --settings-only").code == 0);
  CHECK(fs::is_symlink(dir.path / "null.json"));
}
