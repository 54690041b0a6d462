// Issue 24 items 1 and 2: files whose names came from inside another data file (a session's side files and its
// memories.source) are opened without a check-then-use gap and never have their content echoed.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <thread>
#include <vector>

#include "cli_runner.h"
#include "data/csv_matrix.h"
#include "data/memory_sources.h"
#include "io/file_bytes.h"
#include "io/path_policy.h"
#include "numerics/input_error.h"
#include "session/session_file.h"

namespace {
using namespace uhop;
using Catch::Matchers::Contains;
namespace fs = std::filesystem;

void put(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

std::string session_with_side_file(const std::string& content) {
  return R"({"format": "uhop-session", "version": 1, "memories": {"source": "builtin:glyphs", "count": 6},
  "stage1": {}, "stage2": {}, "query": {"target": 1}, "w": {"file": "s.w.csv", "rows": 1, "cols": 2, "bytes": )" +
         std::to_string(content.size()) + R"(, "fnv1a64": ")" + content_hash(content.data(), content.size()) + R"("}})";
}
}  // namespace

TEST_CASE("a side file swapped for a symlink in a loop never leaks the link's target (500 reads)",
          "[session_file][hostile][race]") {
  cli::TempDir dir;
  fs::create_directories(dir.path / "s");
  put(dir / "secret.txt", "SECRET-FIRST-LINE-4711\nroot:x:0:0\n");
  const std::string real = "1,2\n";
  put(dir / "s/real.csv", real);
  const std::string json = session_with_side_file(real);
  const std::string folder = (dir.path / "s").string();
  put(dir / "s/s.w.csv", real);
  std::atomic<bool> stop{false};
  std::atomic<long> swaps{0};
  // The attacker: s.w.csv is, in turn, the real file and a symlink to the secret (each swap is an atomic rename).
  std::thread swapper([&] {
    const std::string side = folder + "/s.w.csv", link = folder + "/.link", hard = folder + "/.hard";
    while (!stop.load()) {
      ::unlink(link.c_str());
      if (::symlink((dir.path / "secret.txt").c_str(), link.c_str()) == 0) ::rename(link.c_str(), side.c_str());
      ::unlink(hard.c_str());
      if (::link((folder + "/real.csv").c_str(), hard.c_str()) == 0) ::rename(hard.c_str(), side.c_str());
      ++swaps;
    }
  });
  int leaks = 0, loaded = 0, refused = 0;
  for (int i = 0; i < 600; ++i) {
    try {
      const SessionFile f = parse_session_json(json, "s.json", folder);
      REQUIRE(f.w);
      CHECK((*f.w)(0, 0) == 1);
      CHECK((*f.w)(0, 1) == 2);
      ++loaded;
    } catch (const InputError& e) {
      const std::string what = e.what();
      if (what.find("SECRET") != std::string::npos || what.find("root:") != std::string::npos) ++leaks;
      ++refused;
    }
  }
  stop = true;
  swapper.join();
  INFO("loaded " << loaded << ", refused " << refused << ", swaps " << swaps.load());
  CHECK(leaks == 0);
  CHECK(loaded + refused == 600);
  CHECK(swaps.load() > 0);
}

TEST_CASE("a side file read beneath its folder: symlinks at any step are refused, the content never quoted",
          "[session_file][hostile]") {
  cli::TempDir dir;
  fs::create_directories(dir.path / "s/sub");
  fs::create_directories(dir.path / "outside");
  put(dir / "outside/x.csv", "SECRET-TOKEN,1\n");
  fs::create_directory_symlink(dir.path / "outside", dir.path / "s/away");
  fs::create_symlink(dir.path / "outside/x.csv", dir.path / "s/link.csv");
  const std::string folder = (dir.path / "s").string();
  for (const std::string name : {"away/x.csv", "link.csv"}) {
    INFO(name);
    CHECK_THROWS_WITH(read_file_inside_folder(folder, name, 1000, "s.json: w.file"),
                      Contains("symbolic link") && !Contains("SECRET"));
  }
  CHECK_THROWS_WITH(read_file_inside_folder(folder, "../outside/x.csv", 1000, "w"), Contains(".."));
  put(dir / "s/sub/ok.csv", "3,4\n");
  CHECK(read_file_inside_folder(folder, "sub/ok.csv", 1000, "w").size() == 4);
  // A file that is the right one by name but not by record: refused before it is parsed, no content in the message.
  put(dir / "s/s.w.csv", "SECRET-TOKEN,1\n");
  CHECK_THROWS_WITH(parse_session_json(session_with_side_file("1,2\n"), "s.json", folder),
                    Contains("not the file this session was saved with") && !Contains("SECRET"));
  // Without a record (an old session) the parser still names only the position and the kind of problem.
  std::string old = session_with_side_file("1,2\n");
  old.erase(old.find(", \"bytes\""), old.find("}}") - old.find(", \"bytes\""));
  CHECK_THROWS_WITH(parse_session_json(old, "s.json", folder),
                    Contains("field 1 is not a number") && !Contains("SECRET"));
}

TEST_CASE("a session's memories.source never has its content echoed; a file the user named still does",
          "[session_file][hostile][provenance]") {
  cli::TempDir dir;
  put(dir / "secret.csv", "1,2,3\n4,TOPSECRET-PASSWORD,6\n");
  SessionFile f;
  f.memories = dir / "secret.csv";
  f.load.count = 2;
  f.target = 0;
  try {
    restore_session(f);
    FAIL("accepted a bad source");
  } catch (const InputError& e) {
    const std::string what = e.what();
    CHECK_THAT(what, Contains("secret.csv:2") && Contains("field 2 is not a number"));
    CHECK_THAT(what, !Contains("TOPSECRET"));
  }
  // The same file named on the command line: the bad token is quoted to help the user fix it.
  CHECK_THROWS_WITH(load_memories(dir / "secret.csv"), Contains("TOPSECRET"));
  const cli::Result r = cli::run(dir,
                                 "retrieve --memories secret.csv --target 0 --corrupt gaussian:0.1 --out x.csv "
                                 "--log l.csv");
  CHECK(r.code == 2);
  CHECK_THAT(r.err, Contains("TOPSECRET"));
  // Every CSV message kind without quoting.
  for (const std::string& bad : std::vector<std::string>{"1,2\n3, x\n", "1,2\n1e999,2\n", "1,2\n3x,4\n",
                                                         "1,2\n" + std::string(200, '7') + "a,1\n"}) {
    INFO(bad);
    CHECK_THROWS_WITH(parse_csv_matrix(bad.data(), bad.size(), "f", 100, false), Contains("f:2") && !Contains("'"));
  }
}
