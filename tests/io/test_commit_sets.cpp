// Issue 24 items 3, 4 and 5: a set of outputs is validated in full before the first rename and rolled back when a
// rename fails; two commits of the same outputs never interleave; devices, FIFOs and process streams are written
// by streaming, symlinks are written through.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <future>
#include <thread>

#include "text_files.h"
#include "cli_runner.h"
#include "io/atomic_file.h"
#include "numerics/input_error.h"

namespace {
using namespace uhop;
using Catch::Matchers::Contains;
namespace fs = std::filesystem;

using uhop_test::put;
using uhop_test::slurp;
using uhop_test::writes;
bool has_temp(const fs::path& dir) {
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().filename().string().find("uhop-tmp") != std::string::npos) return true;
  return false;
}
}  // namespace

TEST_CASE("a commit validates every destination before the first rename: a too-long name replaces nothing",
          "[io][atomic][commit]") {
  cli::TempDir dir;
  put(dir / "log.csv", "old log\n");
  const std::string long_name = std::string(300, 'w') + ".csv";
  {
    StagedFiles files;
    files.add(dir / "log.csv", writes("new log\n"));
    CHECK_THROWS_WITH(files.add(dir / long_name, writes("w\n")), Contains("more than the 255"));
  }
  CHECK(slurp(dir / "log.csv") == "old log\n");
  // End to end (the case): stage1 --log log.csv --out-w <300 characters> leaves log.csv as it was.
  const cli::Result r = cli::run(dir,
                                 "stage1 --memories builtin:glyphs --count 4 --init identity --steps 1 --lr 0.1 "
                                 "--log log.csv --out-w " +
                                     long_name);
  CHECK(r.code == 2);
  CHECK_THAT(r.err, Contains("255"));
  CHECK(slurp(dir / "log.csv") == "old log\n");
  CHECK_FALSE(has_temp(dir.path));
}

TEST_CASE("a rename that fails mid-commit puts back every output already renamed", "[io][atomic][commit]") {
  cli::TempDir dir;
  put(dir / "a.csv", "old a\n");
  put(dir / "b.csv", "old b\n");
  StagedFiles files;
  files.add(dir / "a.csv", writes("new a\n"));
  files.add(dir / "b.csv", writes("new b\n"));
  files.add(dir / "c.csv", writes("new c\n"));  // did not exist: removed again
  set_commit_hook_for_tests([](size_t renamed) {
    if (renamed == 3) throw InputError("c.csv: cannot move the finished file into place (simulated)");
  });
  CHECK_THROWS_WITH(files.commit(), Contains("simulated"));
  set_commit_hook_for_tests({});
  CHECK(slurp(dir / "a.csv") == "old a\n");
  CHECK(slurp(dir / "b.csv") == "old b\n");
  CHECK_FALSE(fs::exists(dir / "c.csv"));
  CHECK_FALSE(has_temp(dir.path));
}

TEST_CASE("a finished folder commits with the files and is taken out again on a rollback", "[io][atomic][commit]") {
  cli::TempDir dir;
  put(dir / "a.csv", "old a\n");
  fs::create_directory(dir.path / "empty");
  for (const char* name : {"frames", "empty"}) {
    INFO(name);
    const std::string finished = temp_path_beside(dir / name);
    fs::create_directory(finished);
    put(fs::path(finished) / "frame-00001.png", "png");
    StagedFiles files;
    files.add(dir / "a.csv", writes("new a\n"));
    files.add_finished_folder(dir / name, finished);
    set_commit_hook_for_tests([](size_t renamed) {
      if (renamed == 2) throw InputError("simulated failure after the folder's rename");
    });
    CHECK_THROWS_WITH(files.commit(), Contains("simulated"));
    set_commit_hook_for_tests({});
    CHECK(slurp(dir / "a.csv") == "old a\n");
    CHECK(fs::exists(dir.path / name) == (std::string(name) == "empty"));  // an empty folder is put back
    if (fs::exists(dir.path / name)) CHECK(fs::is_empty(dir.path / name));
    CHECK_FALSE(has_temp(dir.path));
  }
  // A folder that holds something, or a file, is never replaced by a finished folder.
  fs::create_directory(dir.path / "full");
  put(dir / "full/keep", "x\n");
  for (const char* name : {"full", "a.csv"}) {
    const std::string finished = temp_path_beside(dir / name);
    fs::create_directory(finished);
    StagedFiles files;
    CHECK_THROWS_WITH(files.add_finished_folder(dir / name, finished), Contains("not an empty folder"));
    CHECK_FALSE(fs::exists(finished));
  }
  // Committed: the folder is in place with its frames.
  const std::string finished = temp_path_beside(dir / "frames");
  fs::create_directory(finished);
  put(fs::path(finished) / "frame-00001.png", "png");
  StagedFiles files;
  files.add_finished_folder(dir / "frames", finished);
  files.commit();
  CHECK(slurp(dir / "frames/frame-00001.png") == "png");
  CHECK_FALSE(has_temp(dir.path));
}

TEST_CASE("two commits of the same outputs never interleave: the pair on disk comes from one writer",
          "[io][atomic][commit][race]") {
  cli::TempDir dir;
  const std::string w = dir / "w.csv", log = dir / "log.csv";
  std::future<void> other;
  std::atomic<bool> other_done{false};
  // Writer A pauses after its first rename; writer B commits the same pair meanwhile (on another thread, its own
  // flock). Without serialization B lands between A's renames: w from B, log from A.
  set_commit_hook_for_tests([&](size_t renamed) {
    if (renamed != 1) return;
    other = std::async(std::launch::async, [&] {
      StagedFiles b;
      b.add(w, writes("B\n"));
      b.add(log, writes("B\n"));
      b.commit();
      other_done = true;
    });
    for (int i = 0; i < 50 && !other_done; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  });
  StagedFiles a;
  a.add(w, writes("A\n"));
  a.add(log, writes("A\n"));
  a.commit();
  set_commit_hook_for_tests({});
  REQUIRE(other.valid());
  other.get();
  CHECK(slurp(w) == slurp(log));
  CHECK(slurp(w) == "B\n");  // B waited for A's commit, then committed whole
}

TEST_CASE("outputs that are devices, FIFOs or process streams are streamed to; symlinks are written through",
          "[io][atomic][commit]") {
  cli::TempDir dir;
  SECTION("a symlink to /dev/null stays a symlink") {
    fs::create_symlink("/dev/null", dir / "null.csv");
    write_file_atomically(dir / "null.csv", writes("x\n"));
    CHECK(fs::is_symlink(dir / "null.csv"));
    CHECK(fs::read_symlink(dir / "null.csv") == "/dev/null");
  }
  SECTION("a symlink to a regular file: the target is replaced, the link stays") {
    fs::create_directories(dir.path / "real");
    put(dir / "real/target.csv", "old\n");
    fs::create_symlink(dir / "real/target.csv", dir / "link.csv");
    write_file_atomically(dir / "link.csv", writes("new\n"));
    CHECK(fs::is_symlink(dir / "link.csv"));
    CHECK(slurp(dir / "real/target.csv") == "new\n");
    CHECK_FALSE(has_temp(dir.path));
  }
  SECTION("a symlink through /proc to a regular file is a file, not the process's stream: replaced, not appended") {
    // Audit 27: lk -> /proc/self/cwd/l.csv was taken for a process stream (its chain passes through /proc) and
    // appended to, leaving "OLD" and the new log in one CSV. Only descriptor names (/dev/stdout, /dev/fd/N,
    // /proc/<pid>/fd/N) are streams.
    put(dir / "l.csv", "OLD\n");
    fs::create_symlink("/proc/self/root" + fs::absolute(dir.path / "l.csv").string(), dir / "lk");
    write_file_atomically(dir / "lk", writes("new\n"));
    CHECK(slurp(dir / "l.csv") == "new\n");
    CHECK(fs::is_symlink(dir / "lk"));
    CHECK_FALSE(has_temp(dir.path));
  }
  SECTION("/dev/full: disk full, and the other outputs are untouched") {
    put(dir / "log.csv", "old\n");
    StagedFiles files;
    files.add(dir / "log.csv", writes("new\n"));
    files.add("/dev/full", writes("x\n"));
    CHECK_THROWS_WITH(files.commit(), Contains("/dev/full") && Contains("disk full"));
    CHECK(slurp(dir / "log.csv") == "old\n");
  }
  SECTION("a FIFO with a reader receives the bytes; without one it is refused at once") {
    REQUIRE(::mkfifo((dir / "pipe").c_str(), 0600) == 0);
    CHECK_THROWS_WITH(write_file_atomically(dir / "pipe", writes("x")), Contains("no reader"));
    std::future<std::string> reader = std::async(std::launch::async, [&] { return slurp(dir / "pipe"); });
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    for (int i = 0; i < 100; ++i) {
      try {
        write_file_atomically(dir / "pipe", writes("through the pipe\n"));
        break;
      } catch (const InputError&) {  // the reader has not opened its end yet
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      }
    }
    CHECK(reader.get() == "through the pipe\n");
    struct stat info {};
    REQUIRE(::lstat((dir / "pipe").c_str(), &info) == 0);
    CHECK(S_ISFIFO(info.st_mode));
  }
  SECTION("end to end: --log through a symlink to /dev/stdout with stdout redirected to a file") {
    fs::create_symlink("/dev/stdout", dir / "log.csv");
    const cli::Result r = cli::run(dir,
                                   "stage1 --memories builtin:glyphs --count 4 --init identity --steps 2 "
                                   "--lr 0.1 --out-w w.csv --log log.csv");
    CHECK(r.code == 0);
    CHECK(fs::is_symlink(dir / "log.csv"));
    CHECK_THAT(r.out, Contains("step,loss"));
  }
  SECTION("folders, block devices and dangling links are still refused") {
    fs::create_directories(dir.path / "folder.csv");
    fs::create_symlink(dir / "missing.csv", dir / "dangling.csv");
    CHECK_THROWS_WITH(write_file_atomically(dir / "folder.csv", writes("x")), Contains("folder"));
    CHECK_THROWS_WITH(write_file_atomically(dir / "dangling.csv", writes("x")), Contains("missing file"));
    CHECK(fs::is_symlink(dir / "dangling.csv"));
  }
}

TEST_CASE("temps of dead writers are cleaned for the whole folder at the first write there", "[io][atomic]") {
  cli::TempDir dir;
  const pid_t child = ::fork();
  if (child == 0) ::_exit(0);
  int status = 0;
  ::waitpid(child, &status, 0);
  const std::string stale = ".other.csv.uhop-tmp." + std::to_string(child) + ".0123456789ab";
  put(dir / stale, "partial");
  write_file_atomically(dir / "out.csv", writes("done\n"));
  CHECK_FALSE(fs::exists(dir / stale));
}
