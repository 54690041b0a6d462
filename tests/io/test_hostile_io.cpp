// core/io against hostile paths (issue 12): reads refuse FIFOs and devices without blocking and never trust a
// reported size; outputs are created under unpredictable names with O_EXCL|O_NOFOLLOW, never replace a device, a
// FIFO or a folder, refuse the same file named twice, leave every old output untouched when one fails, fsync
// before and after the renames, and clean the temps of dead writers; side-file names stay inside their folder;
// messages are printable; numbers in text are range-checked.
#include <catch2/catch.hpp>

#include <dirent.h>
#include <signal.h>
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "io/memory_budget.h"
#include "text_files.h"
#include "io/atomic_file.h"
#include "io/file_bytes.h"
#include "io/path_policy.h"
#include "loader_test_files.h"
#include "numerics/input_error.h"
#include "numerics/number_text.h"

// The calls the atomic writer makes, recorded in order: this binary's fsync and rename stand in for libc's (the
// core is linked statically into it) and pass through to the kernel.
namespace {
std::vector<std::string> g_io_calls;
bool g_record_io = false;
}  // namespace
extern "C" int fsync(int fd) {
  if (g_record_io) g_io_calls.push_back("fsync");
  return static_cast<int>(::syscall(SYS_fsync, fd));
}
extern "C" int rename(const char* from, const char* to) {
  if (g_record_io) g_io_calls.push_back(std::string("rename ") + std::filesystem::path(to).filename().string());
  return static_cast<int>(::syscall(SYS_renameat, AT_FDCWD, from, AT_FDCWD, to));
}

using namespace uhop;
using Catch::Matchers::Contains;
using uhop_test::TempDir;
namespace fs = std::filesystem;

namespace {
using uhop_test::put;
using uhop_test::slurp;
using uhop_test::writes;
std::vector<std::string> names_in(const fs::path& dir) {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir)) names.push_back(e.path().filename().string());
  return names;
}
// A pid that is certainly not alive: a child that has exited and been reaped.
pid_t dead_pid() {
  const pid_t child = ::fork();
  if (child == 0) ::_exit(0);
  ::waitpid(child, nullptr, 0);
  return child;
}
}  // namespace

TEST_CASE("reads refuse FIFOs, devices and folders at once, and read past a reported size of 0", "[io][hostile]") {
  TempDir dir("read");
  const std::string fifo = dir.file("pipe.csv");
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  // Nobody writes to the FIFO: a blocking open would hang here (and time the test out).
  CHECK_THROWS_WITH(read_whole_file(fifo, 1 << 20), Contains("pipe.csv") && Contains("FIFO"));
  CHECK_THROWS_WITH(read_file_prefix(fifo, 16), Contains("FIFO"));
  CHECK_THROWS_WITH(regular_file_size(fifo), Contains("FIFO"));
  CHECK_THROWS_WITH(read_whole_file("/dev/zero", 1 << 20), Contains("character device"));
  CHECK_THROWS_WITH(read_whole_file(dir.path.string(), 1 << 20), Contains("folder"));
  // /proc files report 0 bytes but have content: it is read, not called empty.
  const std::vector<uint8_t> status = read_whole_file("/proc/self/status", 1 << 20);
  CHECK(status.size() > 10);
  // The cap holds whatever the file says about itself.
  put(dir.file("big.txt"), std::string(5000, 'x'));
  CHECK_THROWS_WITH(read_whole_file(dir.file("big.txt"), 4999), Contains("more than the 4999 bytes"));
  CHECK(read_file_prefix(dir.file("big.txt"), 100).size() == 100);
  // Symlinks: followed for paths the user typed, refused when asked (paths that come from data files).
  fs::create_symlink(dir.file("big.txt"), dir.file("link.txt"));
  CHECK(read_whole_file(dir.file("link.txt"), 1 << 20).size() == 5000);
  CHECK_THROWS_WITH(read_whole_file(dir.file("link.txt"), 1 << 20, true), Contains("symbolic link"));
}

TEST_CASE("a planted symlink at a temp name cannot redirect an output", "[io][hostile][atomic]") {
  TempDir dir("planted");
  const std::string victim = dir.file("victim.txt");
  put(victim, "precious");
  // The old writer used "<path>.tmp.<pid>", opened with truncate and following symlinks.
  const std::string out = dir.file("out.csv");
  fs::create_symlink(victim, out + ".tmp." + std::to_string(::getpid()));
  write_file_atomically(out, writes("new content\n"));
  CHECK(slurp(out) == "new content\n");
  CHECK(slurp(victim) == "precious");
  CHECK(fs::is_symlink(out + ".tmp." + std::to_string(::getpid())));  // left alone, not written through
  // Temp names are not predictable: two writes of the same path use different names (seen by the cleanup prefix).
  CHECK(temp_file_prefix("out.csv") == ".out.csv.uhop-tmp.");
}

TEST_CASE("outputs never replace a device, a FIFO or a folder, and a refusal leaves every old output",
          "[io][hostile][atomic]") {
  TempDir dir("dest");
  const std::string log = dir.file("log.csv"), w = dir.file("w.csv");
  put(log, "old log\n");
  put(w, "old w\n");
  SECTION("a folder as the second output") {
    fs::create_directory(dir.file("folder.csv"));
    StagedFiles files;
    files.add(log, writes("new log\n"));
    CHECK_THROWS_WITH(files.add(dir.file("folder.csv"), writes("x")), Contains("folder.csv") && Contains("folder"));
  }
  SECTION("a FIFO") {
    REQUIRE(::mkfifo(dir.file("pipe.csv").c_str(), 0600) == 0);
    CHECK_THROWS_WITH(write_file_atomically(dir.file("pipe.csv"), writes("x")),
                      Contains("FIFO") && Contains("no reader"));
    struct stat info {};
    REQUIRE(::lstat(dir.file("pipe.csv").c_str(), &info) == 0);
    CHECK(S_ISFIFO(info.st_mode));
  }
  SECTION("a destination that turns into a folder between add() and commit()") {
    StagedFiles files;
    files.add(log, writes("new log\n"));
    files.add(dir.file("late.csv"), writes("late\n"));
    fs::create_directory(dir.file("late.csv"));
    CHECK_THROWS_WITH(files.commit(), Contains("late.csv"));
  }
  SECTION("the same file named twice, directly, through a symlink or a hard link") {
    fs::create_symlink(log, dir.file("alias.csv"));
    fs::create_hard_link(log, dir.file("hard.csv"));
    for (const std::string& other :
         {log, dir.file("alias.csv"), dir.file("hard.csv"), dir.path.string() + "/./log.csv"}) {
      INFO(other);
      StagedFiles files;
      files.add(log, writes("new log\n"));
      files.add(other, writes("other\n"));
      CHECK_THROWS_WITH(files.commit(), Contains("named twice"));
    }
  }
  CHECK(slurp(log) == "old log\n");
  CHECK(slurp(w) == "old w\n");
  for (const std::string& name : names_in(dir.path)) CHECK(name.find("uhop-tmp") == std::string::npos);
}

TEST_CASE("atomic writes fsync the file before the rename and the folder after it", "[io][atomic]") {
  TempDir dir("fsync");
  g_io_calls.clear();
  g_record_io = true;
  StagedFiles files;
  files.add(dir.file("side.csv"), writes("1\n"));
  files.add(dir.file("session.json"), writes("{}\n"));
  files.commit();
  g_record_io = false;
  // Each file is fsync'ed when written, the renames keep the order added (the JSON, the commit point, last), then
  // the folder is fsync'ed.
  const std::vector<std::string> expected = {"fsync", "fsync", "rename side.csv", "rename session.json", "fsync"};
  CHECK(g_io_calls == expected);
}

TEST_CASE("temps of dead writers are cleaned when their output is written; live ones are kept", "[io][atomic]") {
  TempDir dir("stale");
  const std::string dead = ".out.csv.uhop-tmp." + std::to_string(dead_pid()) + ".0123456789ab";
  const std::string alive = ".out.csv.uhop-tmp.1.0123456789ab";  // pid 1 is always alive
  const std::string other = ".other.csv.uhop-tmp." + std::to_string(dead_pid()) + ".0123456789ab";
  for (const std::string& name : {dead, alive, other}) put(dir.file(name), "partial");
  write_file_atomically(dir.file("out.csv"), writes("done\n"));
  CHECK_FALSE(fs::exists(dir.file(dead)));
  CHECK(fs::exists(dir.file(alive)));
  CHECK_FALSE(fs::exists(dir.file(other)));  // every dead writer's temps in the folder (issue 24)
  CHECK(slurp(dir.file("out.csv")) == "done\n");
}

TEST_CASE("a write that fails keeps the old file and removes its temp", "[io][atomic]") {
  TempDir dir("fail");
  put(dir.file("out.csv"), "old\n");
  CHECK_THROWS_AS(write_file_atomically(dir.file("out.csv"),
                                        [](std::ostream& out) {
                                          out << "half";
                                          throw InputError("stopped");
                                        }),
                  InputError);
  CHECK(slurp(dir.file("out.csv")) == "old\n");
  CHECK(names_in(dir.path).size() == 1);
  CHECK_THROWS_WITH(write_file_atomically(dir.file("no/such/dir/x.csv"), writes("x")), Contains("does not exist"));
}

TEST_CASE("side-file names stay inside their folder", "[io][hostile][path]") {
  TempDir dir("inside");
  fs::create_directories(dir.path / "sessions");
  const std::string folder = (dir.path / "sessions").string();
  put(dir.file("outside.w.csv"), "1,2\n");
  put(folder + "/in.w.csv", "1,2\n");
  CHECK(resolve_inside_folder(folder, "in.w.csv", "w.file") == folder + "/in.w.csv");
  CHECK_THROWS_WITH(resolve_inside_folder(folder, "../outside.w.csv", "w.file"), Contains("\"..\" leaves the folder"));
  CHECK_THROWS_WITH(resolve_inside_folder(folder, "../../../../etc/shadow", "w.file"), Contains("w.file"));
  CHECK_THROWS_WITH(resolve_inside_folder(folder, "/etc/shadow", "w.file"), Contains("absolute"));
  CHECK_THROWS_WITH(resolve_inside_folder(folder, "", "w.file"), Contains("empty"));
  fs::create_symlink(dir.file("outside.w.csv"), folder + "/link.w.csv");
  CHECK_THROWS_WITH(resolve_inside_folder(folder, "link.w.csv", "w.file"), Contains("leads out"));
  fs::create_symlink(dir.path, folder + "/up");
  CHECK_THROWS_WITH(resolve_inside_folder(folder, "up/outside.w.csv", "w.file"), Contains("leads out"));
  fs::create_symlink(folder + "/in.w.csv", folder + "/inner.w.csv");  // a link that stays inside is fine
  CHECK_NOTHROW(resolve_inside_folder(folder, "inner.w.csv", "w.file"));
}

TEST_CASE("messages are printable: control bytes, escape sequences and bad UTF-8 are escaped", "[io][messages]") {
  CHECK(printable_text("a\x1b[2Jb") == "a\\x1b[2Jb");
  CHECK(printable_text("two\nlines\r\tx") == "two\\nlines\\r\\tx");
  CHECK(printable_text(std::string("nul\0byte", 8)) == "nul\\x00byte");
  CHECK(printable_text("del\x7f") == "del\\x7f");
  CHECK(printable_text("\xc2\x9b"
                       "31m") == "\\xc2\\x9b31m");  // C1 CSI as UTF-8
  CHECK(printable_text("\x9b"
                       "31m") == "\\x9b31m");  // a lone C1 byte
  CHECK(printable_text("\xe2\x80\xae"
                       "evil") == "\\xe2\\x80\\xaeevil");       // right-to-left override
  CHECK(printable_text("Δ^Φ ≤ 2m, café") == "Δ^Φ ≤ 2m, café");  // valid UTF-8 is kept
  CHECK(printable_text("\xc3(") == "\\xc3(");                   // invalid UTF-8
  CHECK(printable_text("\xed\xa0\x80") == "\\xed\\xa0\\x80");   // a surrogate
  const std::string once = printable_text("x\x1b\n\\y");
  CHECK(printable_text(once) == once);  // idempotent: backslashes are kept
  // Every InputError is printable and one line, whatever it embeds.
  const InputError e = input_error("dir\nname\x1b[2J.csv", "bad");
  CHECK(std::string(e.what()).find('\n') == std::string::npos);
  CHECK(std::string(e.what()).find('\x1b') == std::string::npos);
  CHECK(text_excerpt(std::string(100, 'a'), 10) == "aaaaaaaaaa\u2026");
}

TEST_CASE("numbers in text are range-checked, never wrapped", "[io][numbers]") {
  CHECK(parse_whole_number("42", 0, 100, "--count") == 42);
  CHECK(parse_whole_number("-3", -5, 5, "--x") == -3);
  CHECK_THROWS_WITH(parse_whole_number("4294967298", 0, 2147483647, "--count"),
                    Contains("--count") && Contains("outside 0..2147483647"));
  CHECK_THROWS_WITH(parse_whole_number("99999999999999999999", 0, 1000000, "--steps"), Contains("outside"));
  for (const char* bad : {"", " 1", "+1", "1e3", "0x10", "1.0", "12abc", "--1"})
    CHECK_THROWS_WITH(parse_whole_number(bad, 0, 100, "--n"), Contains("--n"));
  CHECK(parse_seed_number("18446744073709551615", "--seed") == 18446744073709551615ull);
  CHECK_THROWS_WITH(parse_seed_number("18446744073709551616", "--seed"), Contains("larger"));
  CHECK_THROWS_WITH(parse_seed_number("-1", "--seed"), Contains("--seed"));  // strtoull would wrap it
  CHECK(parse_real_number("1e-3", "--beta") == 1e-3);
  CHECK_THROWS_WITH(parse_real_number("1e400", "--beta"), Contains("out of range"));
  CHECK_THROWS_WITH(parse_real_number("-1e400", "--beta"), Contains("out of range"));
  for (const char* bad : {"inf", "nan", "", " 1", "1,5", "x"})
    CHECK_THROWS_AS(parse_real_number(bad, "--b"), InputError);
  CHECK_THROWS_WITH(parse_real_number("\x1b[2J", "--b"), Contains("\\x1b[2J"));
}

// What the Studio checks a session's size against (issue 24 item 7): under an address-space limit, at most the
// limit minus what the process already maps; never more than the machine's MemAvailable.
TEST_CASE("memory_available_bytes follows RLIMIT_AS and MemAvailable", "[io][hostile]") {
  const uint64_t free_now = uhop::memory_available_bytes();
  CHECK(free_now > 0);
#if defined(__SANITIZE_ADDRESS__)
  // AddressSanitizer maps terabytes of shadow: any address-space limit is below what it already holds, and its
  // allocator could not run under one. The Release run checks the limit.
  return;
#endif
  const pid_t child = fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    rlimit limit{};
    limit.rlim_cur = limit.rlim_max = static_cast<rlim_t>(8ULL << 30);  // 8 GiB
    if (setrlimit(RLIMIT_AS, &limit) != 0) _exit(2);
    const uint64_t available = uhop::memory_available_bytes();
    _exit(available < (8ULL << 30) && available <= free_now ? 0 : 1);
  }
  int status = 0;
  waitpid(child, &status, 0);
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
}

TEST_CASE("a stream's failure is named by the errno of the failing call, never a later one", "[io][outputs]") {
  // An earlier write failed (an 8-byte buffer, unbuffered: the write is refused at once) and fflush has nothing left
  // to retry: errno is whatever came later (here ENOENT), which must not be named as the reason.
  char buffer[8];
  std::FILE* small = ::fmemopen(buffer, sizeof buffer, "w");
  REQUIRE(small);
  std::setvbuf(small, nullptr, _IONBF, 0);
  std::fputs("0123456789abcdef", small);
  REQUIRE(std::ferror(small));
  errno = ENOENT;
  const std::string earlier = uhop::flushed_stream_failure(small, "standard output");
  CHECK(earlier == "write failed: standard output (an earlier write to it failed)");
  std::fclose(small);
  // A pipe whose reader quit: the flush itself fails with EPIPE (SIGPIPE ignored for the test, then restored).
  int ends[2];
  REQUIRE(::pipe(ends) == 0);
  ::close(ends[0]);
  std::FILE* pipe_out = ::fdopen(ends[1], "w");
  REQUIRE(pipe_out);
  std::fputs("text", pipe_out);  // buffered: written by the flush
  struct sigaction ignore {
  }, before{};
  ignore.sa_handler = SIG_IGN;
  ::sigaction(SIGPIPE, &ignore, &before);
  errno = ENOENT;
  CHECK(uhop::flushed_stream_failure(pipe_out, "standard output") ==
        "write failed: the reader of standard output closed it (broken pipe)");
  ::sigaction(SIGPIPE, &before, nullptr);
  std::fclose(pipe_out);
  // Everything arrived: no failure.
  std::FILE* fine = std::tmpfile();
  std::fputs("text", fine);
  CHECK(uhop::flushed_stream_failure(fine, "f").empty());
  std::fclose(fine);
}
