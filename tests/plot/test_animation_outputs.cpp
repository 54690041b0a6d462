// An animation is an output like any other (core/io/atomic_file.h, docs/hostile-input.md "Outputs"): a symlink is
// written through, a device or FIFO is streamed to (never renamed over), /dev/full gives a disk-full error; and what a
// recording killed with -9 left in a folder is removed when the next one starts there.
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <string>
#include <vector>

#include "cli_runner.h"
#include "numerics/input_error.h"
#include "plot/plot_animation.h"
#include "text_files.h"

using namespace uhop;
namespace fs = std::filesystem;
using uhop_test::put;
using uhop_test::slurp;

namespace {
std::vector<uint8_t> frame(int w, int h, int k) {
  std::vector<uint8_t> rgba(static_cast<size_t>(w) * h * 4, 255);
  for (size_t i = 0; i < rgba.size(); i += 4) rgba[i] = static_cast<uint8_t>(i * (k + 1));
  return rgba;
}

void record_gif(const std::string& path, int frames = 2) {
  AnimationWriter w(path, 8, 8, 10);
  for (int k = 0; k < frames; ++k) w.add_frame(frame(8, 8, k).data());
  w.finish();
}

std::vector<std::string> names_in(const fs::path& dir) {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir)) names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}
}  // namespace

TEST_CASE("an animation into a symlink writes through it; devices and FIFOs are streamed to, never replaced",
          "[plot][animation][outputs]") {
  cli::TempDir dir;
  SECTION("a symlink to a file: the target is replaced, the link stays") {
    put(dir / "t.gif", "old\n");
    fs::create_symlink("t.gif", dir / "link.gif");
    record_gif(dir / "link.gif");
    CHECK(fs::is_symlink(dir / "link.gif"));
    CHECK(slurp(dir / "t.gif").rfind("GIF89a", 0) == 0);
  }
  SECTION("a symlink into another folder: the target there is replaced") {
    fs::create_directories(dir.path / "real");
    put(dir / "real/t.gif", "old\n");
    fs::create_symlink(dir / "real/t.gif", dir / "link.gif");
    record_gif(dir / "link.gif");
    CHECK(fs::is_symlink(dir / "link.gif"));
    CHECK(slurp(dir / "real/t.gif").rfind("GIF89a", 0) == 0);
    CHECK(names_in(dir.path / "real") == std::vector<std::string>{"t.gif"});
  }
  SECTION("a symlink to /dev/full: disk full, the link kept") {
    fs::create_symlink("/dev/full", dir / "full.gif");
    CHECK_THROWS_WITH(record_gif(dir / "full.gif"), Catch::Contains("disk full"));
    CHECK(fs::is_symlink(dir / "full.gif"));
  }
  SECTION("a character device stays a device") {
    fs::create_symlink("/dev/null", dir / "null.gif");
    record_gif(dir / "null.gif");
    CHECK(fs::is_symlink(dir / "null.gif"));
    CHECK(fs::read_symlink(dir / "null.gif") == "/dev/null");
  }
  SECTION("a FIFO with a reader receives the GIF and stays a FIFO") {
    REQUIRE(::mkfifo((dir / "pipe.gif").c_str(), 0600) == 0);
    // The reader's end, opened without waiting for a writer; the GIF (a few hundred bytes) fits the pipe's buffer.
    const int reader = ::open((dir / "pipe.gif").c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    REQUIRE(reader >= 0);
    record_gif(dir / "pipe.gif");
    std::string got;
    char chunk[4096];
    for (ssize_t n; (n = ::read(reader, chunk, sizeof chunk)) > 0;) got.append(chunk, static_cast<size_t>(n));
    ::close(reader);
    CHECK(got.rfind("GIF89a", 0) == 0);
    struct stat info {};
    REQUIRE(::lstat((dir / "pipe.gif").c_str(), &info) == 0);
    CHECK(S_ISFIFO(info.st_mode));
  }
  SECTION("a folder or a dangling symlink is refused before any frame") {
    fs::create_directories(dir.path / "folder.gif");
    fs::create_symlink(dir / "missing.gif", dir / "dangling.gif");
    CHECK_THROWS_AS(AnimationWriter(dir / "folder.gif", 8, 8, 10), InputError);
    CHECK_THROWS_WITH(AnimationWriter(dir / "dangling.gif", 8, 8, 10), Catch::Contains("missing file"));
    CHECK(fs::is_symlink(dir / "dangling.gif"));
  }
  SECTION("end to end: uhop replay --animate through a symlink and into /dev/full") {
    REQUIRE(cli::run(dir,
                     "save-session --memories builtin:glyphs --count 4 --target 0 --corrupt gaussian:0.1 "
                     "--out s.json")
                .code == 0);
    put(dir / "t.gif", "old\n");
    fs::create_symlink("t.gif", dir / "link.gif");
    CHECK(cli::run(dir, "replay --session s.json --animate link.gif").code == 0);
    CHECK(fs::is_symlink(dir / "link.gif"));
    CHECK(slurp(dir / "t.gif").rfind("GIF89a", 0) == 0);
    fs::create_symlink("/dev/full", dir / "full.gif");
    const cli::Result r = cli::run(dir, "replay --session s.json --animate full.gif");
    CHECK(r.code == 2);
    CHECK_THAT(r.err, Catch::Contains("disk full"));
    CHECK(fs::is_symlink(dir / "full.gif"));
  }
}

TEST_CASE("what a killed recording left (its pid dead) is removed when the next recording starts in that folder",
          "[plot][animation][outputs]") {
  cli::TempDir dir;
  // A child records a GIF and a PNG folder and dies without cleaning up, as a kill -9 would leave them.
  const pid_t child = ::fork();
  if (child == 0) {
    auto* gif = new AnimationWriter(dir / "a.gif", 8, 8, 10);
    gif->add_frame(frame(8, 8, 0).data());
    auto* frames = new AnimationWriter(dir / "frames/", 8, 8, 10);
    frames->add_frame(frame(8, 8, 0).data());
    ::_exit(0);
  }
  int status = 0;
  REQUIRE(::waitpid(child, &status, 0) == child);
  REQUIRE(WIFEXITED(status));
  REQUIRE(names_in(dir.path).size() == 2);  // the two temps the child left
  // Nothing else is touched: a live writer's temp (pid 1 is always alive), a dead writer's folder holding a file
  // that is no frame.
  const std::string live = ".b.gif.uhop-tmp.1.0123456789ab",
                    kept = ".c.uhop-tmp." + std::to_string(child) + ".0123456789ab";
  put(dir / live, "pid 1 is alive");
  fs::create_directories(dir.path / kept);
  put(dir / kept + "/notes.txt", "not a frame");
  record_gif(dir / "next.gif");
  CHECK(names_in(dir.path) == std::vector<std::string>{live, kept, "next.gif"});
  CHECK(fs::exists(dir / kept + "/notes.txt"));
}
