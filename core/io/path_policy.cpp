#include "path_policy.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "file_bytes.h"
#include "numerics/input_error.h"

namespace uhop {
namespace fs = std::filesystem;

namespace {
std::string quoted_name(const std::string& name) {
  return "'" + text_excerpt(name, 200) + "'";
}

// The lexical rules: a non-empty relative name without NUL and without "..".
void check_relative_name(const std::string& name, const std::string& where) {
  const std::string quoted = quoted_name(name);
  if (name.empty()) throw input_error(where, "must be a file name, got an empty one");
  if (name.find('\0') != std::string::npos)  // the system would see only the part before it
    throw input_error(where, "must be a file name without NUL bytes, got " + quoted);
  const fs::path relative(name);
  if (relative.is_absolute() || relative.has_root_name() || relative.has_root_directory())
    throw input_error(where, "must be a file name inside the session file's folder, got the absolute path " + quoted);
  for (const fs::path& part : relative)
    if (part == "..")
      throw input_error(
          where, "must be a file name inside the session file's folder, got " + quoted + " (\"..\" leaves the folder)");
}

struct Descriptor {
  int fd = -1;
  Descriptor() = default;
  Descriptor(const Descriptor&) = delete;
  Descriptor& operator=(const Descriptor&) = delete;
  ~Descriptor() {
    if (fd >= 0) ::close(fd);
  }
  int release() {
    const int f = fd;
    fd = -1;
    return f;
  }
};
}  // namespace

std::string resolve_inside_folder(const std::string& folder, const std::string& name, const std::string& where) {
  check_relative_name(name, where);
  const std::string quoted = quoted_name(name);
  const fs::path base = folder.empty() ? fs::path(".") : fs::path(folder);
  const fs::path full = base / fs::path(name);
  // Symlinks: the resolved file must still be under the resolved folder (weakly_canonical resolves every link on
  // the way, including one at the end).
  std::error_code error;
  const fs::path real_base = fs::weakly_canonical(base, error);
  if (error) throw input_error(where, "cannot resolve the session file's folder (" + error.message() + ")");
  const fs::path real_full = fs::weakly_canonical(full, error);
  if (error) throw input_error(where, "cannot resolve " + quoted + " (" + error.message() + ")");
  auto b = real_base.begin(), f = real_full.begin();
  for (; b != real_base.end() && f != real_full.end(); ++b, ++f)
    if (*b != *f) break;
  const bool inside = b == real_base.end() && f != real_full.end();
  if (!inside) throw input_error(where, quoted + " leads out of the session file's folder (through a symbolic link)");
  return full.string();
}

std::vector<uint8_t> read_file_inside_folder(const std::string& folder, const std::string& name, uint64_t max_bytes,
                                             const std::string& where) {
  check_relative_name(name, where);
  const std::string quoted = quoted_name(name);
  Descriptor dir;
  dir.fd = ::open(folder.empty() ? "." : folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir.fd < 0)
    throw input_error(where, "cannot open the session file's folder (" + std::string(std::strerror(errno)) + ")");
  std::vector<std::string> parts;
  for (const fs::path& part : fs::path(name))
    if (!part.empty() && part != ".") parts.push_back(part.string());
  if (parts.empty()) throw input_error(where, "must be a file name, got " + quoted);
  for (size_t i = 0; i < parts.size(); ++i) {
    const bool last = i + 1 == parts.size();
    const int flags = O_RDONLY | O_NOFOLLOW | O_CLOEXEC | (last ? O_NONBLOCK | O_NOCTTY : O_DIRECTORY);
    const int next = ::openat(dir.fd, parts[i].c_str(), flags);
    if (next < 0) {
      const int error = errno;
      if (error == ENOENT) throw input_error(where, quoted + ": no such file in the session file's folder");
      if (error == ELOOP || (error == ENOTDIR && !last))
        throw input_error(where, quoted +
                                     " goes through a symbolic link (or a non-folder): not allowed for a file "
                                     "named inside a session file");
      throw input_error(where, quoted + ": cannot open (" + std::string(std::strerror(error)) + ")");
    }
    ::close(dir.release());
    dir.fd = next;
  }
  // fstat on the descriptor just opened: the same file is read, whatever happens to the name meanwhile.
  ReadableFile file(dir.release(), where + ": " + quoted);
  return read_whole_file(file, max_bytes);
}
}  // namespace uhop
