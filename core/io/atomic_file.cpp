#include "atomic_file.h"

#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <algorithm>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <set>
#include <sstream>
#include <streambuf>
#include <utility>

#include "numerics/input_error.h"

namespace uhop {
namespace fs = std::filesystem;

namespace {
std::string errno_text(int error) {
  if (error == ENOSPC) return "disk full";
  return std::strerror(error);
}

// An ostream's buffer that writes to a file descriptor and remembers the first error.
class FdWriteBuffer : public std::streambuf {
 public:
  explicit FdWriteBuffer(int fd) : fd_(fd) { setp(buffer_, buffer_ + sizeof buffer_); }
  int error() const { return error_; }

 protected:
  int_type overflow(int_type c) override {
    if (!flush_buffer()) return traits_type::eof();
    if (!traits_type::eq_int_type(c, traits_type::eof())) {
      *pptr() = traits_type::to_char_type(c);
      pbump(1);
    }
    return traits_type::not_eof(c);
  }
  int sync() override { return flush_buffer() ? 0 : -1; }

 private:
  bool flush_buffer() {
    const char* p = pbase();
    while (p < pptr() && error_ == 0) {
      const ssize_t wrote = ::write(fd_, p, static_cast<size_t>(pptr() - p));
      if (wrote < 0 && errno == EINTR) continue;
      if (wrote <= 0) {
        error_ = wrote < 0 ? errno : EIO;
        break;
      }
      p += wrote;
    }
    setp(buffer_, buffer_ + sizeof buffer_);
    return error_ == 0;
  }
  int fd_;
  int error_ = 0;
  char buffer_[1 << 16];
};

std::string random_suffix() {
  uint64_t bits = 0;
  if (::getentropy(&bits, sizeof bits) != 0) {  // glibc and emscripten both have getentropy (not getrandom)
    std::random_device device;
    bits = (static_cast<uint64_t>(device()) << 32) ^ device();
  }
  char text[20];
  std::snprintf(text, sizeof text, "%012llx", static_cast<unsigned long long>(bits & 0xFFFFFFFFFFFFull));
  return text;
}

fs::path folder_of(const std::string& path) {
  const fs::path parent = fs::path(path).parent_path();
  return parent.empty() ? fs::path(".") : parent;
}

// Words for a file type that must not be replaced.
std::string not_replaceable(mode_t mode) {
  if (S_ISDIR(mode)) return "is a folder";
  if (S_ISCHR(mode)) return "is a character device (like /dev/null or /dev/full)";
  if (S_ISBLK(mode)) return "is a block device";
  if (S_ISFIFO(mode)) return "is a FIFO (named pipe)";
  if (S_ISSOCK(mode)) return "is a socket";
  return "is not a regular file";
}

// The pid in ".NAME.uhop-tmp.<pid>.<12 hex digits>" when name is such a temp of another process; 0 otherwise.
pid_t temp_writer_pid(const std::string& name) {
  static const std::string marker = ".uhop-tmp.";
  const size_t at = name.rfind(marker);
  if (name.empty() || name[0] != '.' || at == std::string::npos || at == 0) return 0;
  const size_t begin = at + marker.size(), dot = name.find('.', begin);
  if (dot == std::string::npos || dot == begin) return 0;
  const std::string pid_text = name.substr(begin, dot - begin);
  if (pid_text.find_first_not_of("0123456789") != std::string::npos || pid_text.size() > 9 ||
      pid_text == std::to_string(::getpid()))
    return 0;
  if (name.size() - dot - 1 != 12 || name.find_first_not_of("0123456789abcdef", dot + 1) != std::string::npos) return 0;
  return static_cast<pid_t>(std::stol(pid_text));
}

bool is_frame_name(const std::string& name) {  // frame-NNNNN.png, as AnimationWriter names PNG frames
  return name.size() == 15 && name.rfind("frame-", 0) == 0 && name.compare(11, 4, ".png") == 0 &&
         name.find_first_not_of("0123456789", 6) == 11;
}

// Removes a dead writer's frames folder: its frame-NNNNN.png files, then the folder (kept when anything else is in
// it, and never followed through a symlink).
void remove_frames_folder(int parent_fd, const char* name) {
  const int fd = ::openat(parent_fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) return;
  DIR* dir = ::fdopendir(fd);
  if (!dir) {
    ::close(fd);
    return;
  }
  while (const dirent* entry = ::readdir(dir))
    if (is_frame_name(entry->d_name)) ::unlinkat(::dirfd(dir), entry->d_name, 0);
  ::closedir(dir);
  ::unlinkat(parent_fd, name, AT_REMOVEDIR);
}

// Removes ".NAME.uhop-tmp.<pid>.<random>" files (any NAME) in folder whose writer is no longer alive: temps and
// kept old files of a writer killed mid-write, and an animation's frames folder.
void remove_stale_temps(const fs::path& folder) {
  DIR* dir = ::opendir(folder.c_str());
  if (!dir) return;
  while (const dirent* entry = ::readdir(dir)) {
    const pid_t pid = temp_writer_pid(entry->d_name);
    if (pid <= 0 || ::kill(pid, 0) == 0 || errno != ESRCH) continue;
    struct stat info {};
    if (::fstatat(::dirfd(dir), entry->d_name, &info, AT_SYMLINK_NOFOLLOW) != 0) continue;
    if (S_ISDIR(info.st_mode))
      remove_frames_folder(::dirfd(dir), entry->d_name);
    else
      ::unlinkat(::dirfd(dir), entry->d_name, 0);
  }
  ::closedir(dir);
}

void fsync_folder(const fs::path& folder) {
  const int fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  ::fsync(fd);  // best effort: some file systems refuse fsync on folders, the rename itself has happened
  ::close(fd);
}

std::string temp_name_in(const fs::path& folder, std::string file_name) {
  if (file_name.size() > 200) file_name.resize(200);  // the temp name must stay within NAME_MAX (255)
  return (folder / (temp_file_prefix(file_name) + std::to_string(::getpid()) + "." + random_suffix())).string();
}

// Creates the temp file, writes, fsyncs and closes it; returns its path. Removes it and throws on any failure.
std::string write_temp(const std::string& path, const std::string& target,
                       const std::function<void(std::ostream&)>& write) {
  const fs::path folder = folder_of(target);
  remove_stale_temps(folder);
  std::string tmp;
  int fd = -1;
  for (int attempt = 0; attempt < 8 && fd < 0; ++attempt) {
    tmp = temp_name_in(folder, fs::path(target).filename().string());
    fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
    if (fd < 0 && errno != EEXIST) break;
  }
  if (fd < 0) {
    const int error = errno;
    std::error_code ec;
    if (!fs::is_directory(folder, ec)) throw input_error(path, "cannot write: the folder does not exist");
    throw input_error(path, "cannot create a file in its folder (" + errno_text(error) + ")");
  }
  int error = 0;
  {
    FdWriteBuffer buffer(fd);
    std::ostream out(&buffer);
    try {
      write(out);
    } catch (...) {
      ::close(fd);
      ::unlink(tmp.c_str());
      throw;
    }
    out.flush();
    error = buffer.error();
    if (error == 0 && !out) error = EIO;
  }
  if (error == 0 && ::fsync(fd) != 0) error = errno;
  if (::close(fd) != 0 && error == 0) error = errno;
  if (error != 0) {
    ::unlink(tmp.c_str());
    throw input_error(path, "write failed (" + errno_text(error) + ")");
  }
  return tmp;
}

struct FileIdentity {
  bool exists = false;
  dev_t device = 0;
  ino_t inode = 0;
};

thread_local std::function<void(size_t)> g_commit_hook;

bool starts_with(const std::string& text, const char* prefix) {
  return text.rfind(prefix, 0) == 0;
}

// "/dev/stdin", "/dev/stdout", "/dev/stderr", "/dev/fd/N" or "/proc/<pid, self or thread-self>/fd/N": a name for one
// of a process's open descriptors. Other names under /proc (/proc/self/cwd/l.csv) are ordinary files.
bool is_descriptor_name(const std::string& text) {
  if (text == "/dev/stdin" || text == "/dev/stdout" || text == "/dev/stderr") return true;
  std::string rest;
  if (starts_with(text, "/dev/fd/")) {
    rest = text.substr(8);
  } else if (starts_with(text, "/proc/")) {
    const size_t slash = text.find('/', 6);
    if (slash == std::string::npos || text.compare(slash, 4, "/fd/") != 0) return false;
    rest = text.substr(slash + 4);
  } else {
    return false;
  }
  return !rest.empty() && rest.find_first_not_of("0123456789") == std::string::npos;
}

// True when path, or a symlink on its final chain, names one of the process's descriptors (is_descriptor_name):
// "/dev/stdout", "/dev/fd/1" and links to them mean "this process's output", which is streamed to, never replaced
// (even when it is a redirected file). A link to /proc/self/cwd/l.csv is a link to a file: written through.
bool names_a_process_stream(const std::string& path) {
  std::error_code ec;
  fs::path p = fs::absolute(path, ec).lexically_normal();
  for (int step = 0; step < 40 && !ec; ++step) {
    const std::string text = p.string();
    if (is_descriptor_name(text)) return true;
    struct stat info {};
    if (::lstat(text.c_str(), &info) != 0 || !S_ISLNK(info.st_mode)) return false;
    const fs::path link = fs::read_symlink(p, ec);
    p = (link.is_absolute() ? link : p.parent_path() / link).lexically_normal();
  }
  return false;
}

void check_folder_writable(const std::string& path, const fs::path& folder) {
  struct stat info {};
  if (::stat(folder.c_str(), &info) != 0 || !S_ISDIR(info.st_mode))
    throw input_error(path, "cannot write: the folder does not exist");
  if (::access(folder.c_str(), W_OK | X_OK) != 0)
    throw input_error(path, "cannot write: the folder is not writable (" + errno_text(errno) + ")");
}

// An output's name: not empty, not ending in a separator, within the system's name and path lengths.
void check_output_name(const std::string& path) {
  if (path.empty()) throw InputError("empty output file name");
  const std::string name = fs::path(path).filename().string();
  if (name.empty() || name == "." || name == "..")
    throw input_error(path, "is not a file name (it ends in a folder separator)");
  if (name.size() > NAME_MAX)
    throw input_error(path, "the file name is " + std::to_string(name.size()) + " bytes, more than the " +
                                std::to_string(NAME_MAX) + " a file name may have");
  if (path.size() >= PATH_MAX)
    throw input_error(path, "the path is longer than the " + std::to_string(PATH_MAX) + " bytes the system allows");
}

// Where the bytes of an output go: a file replaced by rename (target) or a stream. Throws for what cannot be one.
StagedFiles::Staged plan_destination(const std::string& path) {
  check_output_name(path);
  StagedFiles::Staged plan;
  plan.path = plan.target = path;
  struct stat info {};
  if (::lstat(path.c_str(), &info) != 0) {
    if (errno != ENOENT) throw input_error(path, "cannot check the output (" + errno_text(errno) + ")");
    check_folder_writable(path, folder_of(path));
    return plan;
  }
  const bool link = S_ISLNK(info.st_mode);
  if (link && ::stat(path.c_str(), &info) != 0)
    throw input_error(path, "is a symbolic link to a missing file: refusing to replace the link");
  if (S_ISCHR(info.st_mode) || S_ISFIFO(info.st_mode) || S_ISSOCK(info.st_mode) ||
      (S_ISREG(info.st_mode) && link && names_a_process_stream(path))) {
    plan.stream = true;
    return plan;
  }
  if (!S_ISREG(info.st_mode))
    throw input_error(path, not_replaceable(info.st_mode) + ", not a regular file: refusing to replace it");
  if (link) {  // written through: the link's target is replaced, the link stays
    char* real = ::realpath(path.c_str(), nullptr);
    if (!real) throw input_error(path, "cannot resolve the symbolic link (" + errno_text(errno) + ")");
    plan.target = real;
    std::free(real);
  }
  check_folder_writable(path, folder_of(plan.target));
  return plan;
}

// Where a finished folder goes: a missing name, or an empty folder that is not a symlink (renamed over, as rename(2)
// allows for an empty folder). Throws for anything else.
StagedFiles::Staged plan_folder(std::string path) {
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  check_output_name(path);
  StagedFiles::Staged plan;
  plan.path = plan.target = path;
  plan.folder = true;
  struct stat info {};
  if (::lstat(path.c_str(), &info) != 0) {
    if (errno != ENOENT) throw input_error(path, "cannot check the output (" + errno_text(errno) + ")");
  } else {
    std::error_code ec;
    if (!S_ISDIR(info.st_mode) || !fs::is_empty(path, ec) || ec)
      throw input_error(path, "already exists and is not an empty folder: refusing to replace it");
  }
  check_folder_writable(path, folder_of(path));
  return plan;
}

// Opens a stream destination for writing: a FIFO without a reader is refused at once, a socket is connected to.
int open_stream(const StagedFiles::Staged& s) {
  struct stat info {};
  if (::stat(s.path.c_str(), &info) != 0) throw input_error(s.path, "cannot open (" + errno_text(errno) + ")");
  int fd = -1;
  if (S_ISSOCK(info.st_mode)) {
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    if (s.path.size() >= sizeof address.sun_path) throw input_error(s.path, "socket path too long to connect to");
    std::memcpy(address.sun_path, s.path.c_str(), s.path.size() + 1);
    fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd >= 0 && ::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
      const int error = errno;
      ::close(fd);
      throw input_error(s.path, "is a socket nobody accepts on (" + errno_text(error) + ")");
    }
  } else if (S_ISREG(info.st_mode)) {
    // A process stream that is a regular file (stdout or stderr redirected): write through that descriptor itself,
    // so the bytes land where the process's other output goes, in order.
    for (const int own : {STDOUT_FILENO, STDERR_FILENO}) {
      struct stat mine {};
      if (fd < 0 && ::fstat(own, &mine) == 0 && mine.st_dev == info.st_dev && mine.st_ino == info.st_ino)
        fd = ::fcntl(own, F_DUPFD_CLOEXEC, 0);
    }
    if (fd < 0) fd = ::open(s.path.c_str(), O_WRONLY | O_APPEND | O_NOCTTY | O_CLOEXEC);
  } else {
    const int append = 0;
    fd = ::open(s.path.c_str(), O_WRONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC | append);
    if (fd < 0 && errno == ENXIO && S_ISFIFO(info.st_mode))
      throw input_error(s.path, "is a FIFO (named pipe) with no reader: refusing to wait for one");
    // /dev/tty (5, 0) opened by a process without a controlling terminal (setsid, a daemon, cron) is ENXIO too.
    if (fd < 0 && errno == ENXIO && S_ISCHR(info.st_mode) && major(info.st_rdev) == 5 && minor(info.st_rdev) == 0)
      throw input_error(s.path, "is the controlling terminal, and this process has no controlling terminal (" +
                                    errno_text(ENXIO) + ")");
    if (fd < 0 && errno == ENXIO)
      throw input_error(s.path, "is a device that cannot be opened (" + errno_text(ENXIO) + ")");
    if (fd >= 0) ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
  }
  if (fd < 0) throw input_error(s.path, "cannot open for writing (" + errno_text(errno) + ")");
  struct stat now {};
  if (::fstat(fd, &now) != 0 || S_ISDIR(now.st_mode) || S_ISBLK(now.st_mode) ||
      (S_ISREG(now.st_mode) && !S_ISREG(info.st_mode))) {
    ::close(fd);
    throw input_error(s.path, "changed while it was being written: refusing to write to it");
  }
  return fd;
}

// A socket is written with MSG_NOSIGNAL: a reader that went away is EPIPE, not a SIGPIPE that kills the process
// (the front ends ignore SIGPIPE for FIFOs and devices; a library user's signal settings are left alone).
int write_all(int fd, const char* p, size_t size, bool socket) {
  const char* const end = p + size;
  while (p < end) {
    const size_t n = static_cast<size_t>(end - p);
    const ssize_t wrote = socket ? ::send(fd, p, n, MSG_NOSIGNAL) : ::write(fd, p, n);
    if (wrote < 0 && errno == EINTR) continue;
    if (wrote <= 0) return wrote < 0 ? errno : EIO;
    p += wrote;
  }
  return 0;
}

void stream_out(const StagedFiles::Staged& s) {
  std::fflush(nullptr);  // what the process already printed comes first when the stream is its own stdout
  const int fd = open_stream(s);
  struct stat info {};
  const bool socket = ::fstat(fd, &info) == 0 && S_ISSOCK(info.st_mode);
  int error = write_all(fd, s.bytes.data(), s.bytes.size(), socket);
  if (error == 0 && !s.stream_file.empty()) {  // a finished file, copied in chunks (an animation may be large)
    const int in = ::open(s.stream_file.c_str(), O_RDONLY | O_CLOEXEC);
    if (in < 0) error = errno;
    std::vector<char> chunk(size_t(1) << 16);
    while (in >= 0 && error == 0) {
      const ssize_t got = ::read(in, chunk.data(), chunk.size());
      if (got < 0 && errno == EINTR) continue;
      if (got < 0) error = errno;
      if (got <= 0) break;
      error = write_all(fd, chunk.data(), static_cast<size_t>(got), socket);
    }
    if (in >= 0) ::close(in);
  }
  ::close(fd);
  // The reader of a FIFO, pipe or socket quit before taking everything: say so, not just "Broken pipe".
  if (error == EPIPE) throw InputError("write failed: the reader of " + s.path + " closed it (broken pipe)");
  if (error != 0) throw input_error(s.path, "write failed (" + errno_text(error) + ")");
}

// True when the two paths' folders are one folder (device and inode), so a rename between them works.
bool same_folder(const std::string& a, const std::string& b) {
  struct stat x {
  }, y{};
  return ::stat(folder_of(a).c_str(), &x) == 0 && ::stat(folder_of(b).c_str(), &y) == 0 && x.st_dev == y.st_dev &&
         x.st_ino == y.st_ino;
}

// flock on each destination folder, held until the commit ends. Folders are told apart by identity (device and
// inode of the opened folder), not by spelling: "w.csv" and "/abs/l.csv", "sub/../l.csv" or a symlink into the same
// folder lock it once (two descriptors of one folder would block each other forever). The locks are taken sorted by
// identity, so two commits never wait on each other in a cycle. A folder lock leaves no file behind; where a file
// system has no flock the commit goes on unlocked.
class FolderLocks {
 public:
  explicit FolderLocks(const std::set<std::string>& folders) {
    std::vector<std::pair<FolderIdentity, int>> opened;
    for (const std::string& folder : folders) {
      const int fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
      if (fd < 0) continue;
      struct stat info {};
      if (::fstat(fd, &info) != 0) {
        ::close(fd);
        continue;
      }
      const FolderIdentity id{info.st_dev, info.st_ino};
      bool seen = false;
      for (const auto& other : opened) seen = seen || other.first == id;
      if (seen) {
        ::close(fd);
        continue;
      }
      opened.emplace_back(id, fd);
    }
    std::sort(opened.begin(), opened.end());
    for (const auto& [id, fd] : opened) {
      while (::flock(fd, LOCK_EX) != 0 && errno == EINTR) {
      }
      fds_.push_back(fd);
    }
  }
  FolderLocks(const FolderLocks&) = delete;
  FolderLocks& operator=(const FolderLocks&) = delete;
  ~FolderLocks() {
    for (const int fd : fds_) ::close(fd);  // closing releases the lock
  }

 private:
  using FolderIdentity = std::pair<dev_t, ino_t>;
  std::vector<int> fds_;
};

// A file replaced by the commit, kept (hard-linked under a temp name) until the whole set is in place.
struct Replaced {
  std::string target, kept;
  bool existed = false;
  bool folder = false;  // a finished folder: taken out again (and an empty folder put back where one was)
};

void roll_back(const std::vector<Replaced>& done) {
  for (auto it = done.rbegin(); it != done.rend(); ++it) {
    if (it->folder) {
      const std::string out = temp_name_in(folder_of(it->target), fs::path(it->target).filename().string());
      std::error_code ec;
      if (::rename(it->target.c_str(), out.c_str()) == 0) fs::remove_all(out, ec);
      if (it->existed) ::mkdir(it->target.c_str(), 0777);
    } else if (!it->kept.empty())
      ::rename(it->kept.c_str(), it->target.c_str());
    else if (!it->existed)
      ::unlink(it->target.c_str());
  }
}
}  // namespace

std::string temp_file_prefix(const std::string& file_name) {
  return "." + file_name + ".uhop-tmp.";
}

void set_commit_hook_for_tests(std::function<void(size_t renamed)> hook) {
  g_commit_hook = std::move(hook);
}

void check_output_destination(const std::string& path) {
  plan_destination(path);
}

bool output_is_streamed(const std::string& path) {
  return plan_destination(path).stream;
}

std::string temp_path_beside(const std::string& path) {
  std::string base = path;
  while (base.size() > 1 && base.back() == '/') base.pop_back();
  return temp_name_in(folder_of(base), fs::path(base).filename().string());
}

void remove_dead_writers_temps(const std::string& folder) {
  remove_stale_temps(folder.empty() ? fs::path(".") : fs::path(folder));
}

void commit_finished_file(const std::string& finished, const std::string& path) {
  StagedFiles files;
  files.add_finished(path, finished);
  files.commit();
}

void write_file_atomically(const std::string& path, const std::function<void(std::ostream&)>& write) {
  StagedFiles files;
  files.add(path, write);
  files.commit();
}

StagedFiles::~StagedFiles() {
  for (const Staged& s : staged_) {
    std::error_code ec;
    if (s.folder && !s.temp.empty()) fs::remove_all(s.temp, ec);
    if (!s.folder && !s.temp.empty()) ::unlink(s.temp.c_str());
    if (!s.stream_file.empty()) ::unlink(s.stream_file.c_str());
  }
}

void StagedFiles::add_finished(const std::string& path, const std::string& finished) {
  Staged s;
  try {
    s = plan_destination(path);
    if (s.stream) {
      s.stream_file = finished;
    } else if (same_folder(finished, s.target)) {
      s.temp = finished;
    } else {  // a symlink into another folder: the bytes are copied into a temp beside its target
      s.temp = write_temp(path, s.target, [&](std::ostream& out) {
        std::ifstream in(finished, std::ios::binary);
        std::vector<char> chunk(size_t(1) << 16);
        while (in.read(chunk.data(), static_cast<std::streamsize>(chunk.size())) || in.gcount() > 0)
          out.write(chunk.data(), in.gcount());
        if (in.bad()) throw input_error(path, "cannot read the finished file back");
      });
      ::unlink(finished.c_str());
    }
  } catch (...) {
    ::unlink(finished.c_str());
    throw;
  }
  staged_.push_back(std::move(s));
}

void StagedFiles::add_finished_folder(const std::string& path, const std::string& finished) {
  Staged s;
  try {
    s = plan_folder(path);
    if (!same_folder(finished, s.target))
      throw input_error(path, "the finished folder is not beside it (a folder is renamed, never copied)");
  } catch (...) {
    std::error_code ec;
    fs::remove_all(finished, ec);
    throw;
  }
  s.temp = finished;
  staged_.push_back(std::move(s));
}

void StagedFiles::add(const std::string& path, const std::function<void(std::ostream&)>& write) {
  Staged s = plan_destination(path);  // fail before the work of writing, and again before the renames
  if (s.stream) {
    std::ostringstream text;
    write(text);
    s.bytes = text.str();
  } else {
    s.temp = write_temp(path, s.target, write);
  }
  staged_.push_back(std::move(s));
}

void StagedFiles::commit() {
  // Every destination is checked before the first rename, so a refusal leaves every old output in place.
  std::set<std::string> names, folders;
  std::vector<FileIdentity> identities;
  for (Staged& s : staged_) {
    const Staged now = s.folder ? plan_folder(s.path) : plan_destination(s.path);
    if (now.stream != s.stream || now.target != s.target)
      throw input_error(s.path, "changed while the outputs were being written: refusing to replace it");
    if (s.stream) continue;
    std::error_code ec;
    const std::string name = fs::weakly_canonical(fs::absolute(s.target, ec), ec).string();
    FileIdentity id;
    struct stat info {};
    if (::stat(s.target.c_str(), &info) == 0) id = {true, info.st_dev, info.st_ino};
    bool same = !names.insert(ec ? s.target : name).second;
    for (const FileIdentity& other : identities)
      same = same || (id.exists && other.exists && id.device == other.device && id.inode == other.inode);
    if (same) throw input_error(s.path, "is named twice as an output of this command: give each output its own file");
    identities.push_back(id);
    folders.insert(folder_of(s.target).string());
  }
  const FolderLocks locks(folders);
  // Streams first: one that fails (a full device, a FIFO without reader) leaves every file output untouched.
  for (const Staged& s : staged_)
    if (s.stream) stream_out(s);
  std::vector<Replaced> done;
  try {
    for (Staged& s : staged_) {
      if (s.stream) continue;
      Replaced r{s.target, "", false, s.folder};
      struct stat info {};
      if (::lstat(s.target.c_str(), &info) == 0) {
        r.existed = true;
      }
      if (r.existed && !s.folder) {
        const std::string kept = temp_name_in(folder_of(s.target), fs::path(s.target).filename().string());
        if (::link(s.target.c_str(), kept.c_str()) == 0) r.kept = kept;
      }
      if (::rename(s.temp.c_str(), s.target.c_str()) != 0) {
        const std::string reason = errno_text(errno);
        if (!r.kept.empty()) ::unlink(r.kept.c_str());
        throw input_error(s.path, "cannot move the finished file into place (" + reason + ")");
      }
      s.temp.clear();
      done.push_back(r);
      if (g_commit_hook) g_commit_hook(done.size());
    }
  } catch (...) {
    roll_back(done);  // put back what was already renamed: the set is all new or all old
    throw;
  }
  for (const Replaced& r : done)
    if (!r.kept.empty()) ::unlink(r.kept.c_str());
  for (const Staged& s : staged_)
    if (!s.stream_file.empty()) ::unlink(s.stream_file.c_str());
  staged_.clear();
  for (const std::string& folder : folders) fsync_folder(folder);
}

void write_bytes_atomically(const std::string& path, const void* data, size_t size) {
  write_file_atomically(path, [&](std::ostream& out) { out.write(static_cast<const char*>(data), size); });
}
std::string flushed_stream_failure(std::FILE* stream, const std::string& name) {
  const bool failed_before = std::ferror(stream) != 0;
  errno = 0;
  const bool flush_failed = std::fflush(stream) != 0;
  const int error = errno;  // taken at the failing call, before anything else can change it
  if (!flush_failed && !failed_before) return "";
  if (flush_failed && error == EPIPE) return "write failed: the reader of " + name + " closed it (broken pipe)";
  if (flush_failed && error != 0) return "write failed: " + name + " (" + errno_text(error) + ")";
  // An earlier write failed and fflush had nothing left to retry: that errno is gone. A pipe, FIFO or socket whose
  // reader quit still says so (poll: POLLERR on a pipe without readers); otherwise no errno is named.
  pollfd p{::fileno(stream), POLLOUT, 0};
  if (!flush_failed && p.fd >= 0 && ::poll(&p, 1, 0) == 1 && (p.revents & (POLLERR | POLLHUP)))
    return "write failed: the reader of " + name + " closed it (broken pipe)";
  return "write failed: " + name + " (an earlier write to it failed)";
}

}  // namespace uhop
