#include "atomic_file.h"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <random>
#include <set>
#include <streambuf>

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
  if (::getrandom(&bits, sizeof bits, GRND_NONBLOCK) != static_cast<ssize_t>(sizeof bits)) {
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

// Removes ".NAME.uhop-tmp.<pid>.<random>" files in folder whose writer is no longer alive.
void remove_stale_temps(const fs::path& folder, const std::string& file_name) {
  const std::string prefix = temp_file_prefix(file_name);
  DIR* dir = ::opendir(folder.c_str());
  if (!dir) return;
  const std::string own_pid = std::to_string(::getpid());
  while (const dirent* entry = ::readdir(dir)) {
    const std::string name = entry->d_name;
    if (name.compare(0, prefix.size(), prefix) != 0) continue;
    const size_t dot = name.find('.', prefix.size());
    if (dot == std::string::npos || dot == prefix.size()) continue;
    const std::string pid_text = name.substr(prefix.size(), dot - prefix.size());
    if (pid_text.find_first_not_of("0123456789") != std::string::npos || pid_text.size() > 9 || pid_text == own_pid)
      continue;
    const pid_t pid = static_cast<pid_t>(std::stol(pid_text));
    if (pid > 0 && ::kill(pid, 0) != 0 && errno == ESRCH) ::unlinkat(::dirfd(dir), entry->d_name, 0);
  }
  ::closedir(dir);
}

void fsync_folder(const fs::path& folder) {
  const int fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  ::fsync(fd);  // best effort: some file systems refuse fsync on folders, the rename itself has happened
  ::close(fd);
}

// Creates the temp file, writes, fsyncs and closes it; returns its path. Removes it and throws on any failure.
std::string write_temp(const std::string& path, const std::function<void(std::ostream&)>& write) {
  const fs::path folder = folder_of(path);
  std::string file_name = fs::path(path).filename().string();
  if (file_name.empty()) throw input_error(path, "is not a file name (it ends in a folder separator)");
  if (file_name.size() > 200) file_name.resize(200);  // the temp name must stay within NAME_MAX (255)
  remove_stale_temps(folder, file_name);
  std::string tmp;
  int fd = -1;
  for (int attempt = 0; attempt < 8 && fd < 0; ++attempt) {
    tmp = (folder / (temp_file_prefix(file_name) + std::to_string(::getpid()) + "." + random_suffix())).string();
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
}  // namespace

std::string temp_file_prefix(const std::string& file_name) {
  return "." + file_name + ".uhop-tmp.";
}

void check_output_destination(const std::string& path) {
  if (path.empty()) throw InputError("empty output file name");
  struct stat info {};
  if (::lstat(path.c_str(), &info) != 0) return;  // absent: fine (the folder is checked when the temp is created)
  if (S_ISLNK(info.st_mode) && ::stat(path.c_str(), &info) != 0) return;  // a dangling link: replaced by the file
  if (!S_ISREG(info.st_mode))
    throw input_error(path, not_replaceable(info.st_mode) + ", not a regular file: refusing to replace it");
}

void write_file_atomically(const std::string& path, const std::function<void(std::ostream&)>& write) {
  StagedFiles files;
  files.add(path, write);
  files.commit();
}

StagedFiles::~StagedFiles() {
  for (const auto& [tmp, path] : staged_) ::unlink(tmp.c_str());
}

void StagedFiles::add(const std::string& path, const std::function<void(std::ostream&)>& write) {
  check_output_destination(path);  // fail before the work of writing, and again before the renames
  staged_.emplace_back(write_temp(path, write), path);
}

void StagedFiles::commit() {
  // Every destination is checked before the first rename, so a refusal leaves every old output in place.
  std::set<std::string> names;
  std::vector<std::pair<FileIdentity, std::string>> identities;
  for (const auto& [tmp, path] : staged_) {
    check_output_destination(path);
    std::error_code ec;
    const std::string name = fs::weakly_canonical(fs::absolute(path, ec), ec).string();
    FileIdentity id;
    struct stat info {};
    if (::stat(path.c_str(), &info) == 0) id = {true, info.st_dev, info.st_ino};
    bool same = !names.insert(ec ? path : name).second;
    for (const auto& [other, other_path] : identities)
      same = same || (id.exists && other.exists && id.device == other.device && id.inode == other.inode);
    if (same) throw input_error(path, "is named twice as an output of this command: give each output its own file");
    identities.emplace_back(id, path);
  }
  std::set<std::string> folders;
  while (!staged_.empty()) {
    const auto [tmp, path] = staged_.front();
    if (::rename(tmp.c_str(), path.c_str()) != 0) {
      const std::string reason = errno_text(errno);
      throw input_error(path, "cannot move the finished file into place (" + reason + ")");  // the rest are removed
    }
    staged_.erase(staged_.begin());
    folders.insert(folder_of(path).string());
  }
  for (const std::string& folder : folders) fsync_folder(folder);
}

void write_bytes_atomically(const std::string& path, const void* data, size_t size) {
  write_file_atomically(path, [&](std::ostream& out) { out.write(static_cast<const char*>(data), size); });
}
}  // namespace uhop
