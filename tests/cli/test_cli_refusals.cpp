// Issue 24: a FIFO output whose reader quits is a message and exit 2, not a death by SIGPIPE.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <thread>

#include "cli_runner.h"

namespace {
namespace fs = std::filesystem;
using Catch::Matchers::Contains;
}  // namespace

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
