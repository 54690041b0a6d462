#include "output_folders.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstring>
#include <filesystem>

#include "atomic_file.h"
#include "numerics/input_error.h"

namespace uhop {
namespace fs = std::filesystem;
namespace {
// The folders above path that do not exist yet, deepest first (lstat: a dangling symlink exists, and creating a
// folder through it would fail, so it is not "missing"); `existing` is the nearest name that does exist (a file
// there is refused by the callers).
std::vector<fs::path> missing_folders(const fs::path& folder, fs::path& existing, const std::string& path) {
  std::vector<fs::path> missing;
  fs::path p = folder;
  struct stat info {};
  while (!p.empty() && ::lstat(p.c_str(), &info) != 0) {
    if (errno != ENOENT && errno != ENOTDIR)  // ENOTDIR: a file on the way, found and named below
      throw input_error(path, "cannot check the folder " + p.string() + " (" + std::strerror(errno) + ")");
    missing.push_back(p);
    p = p.parent_path();
  }
  existing = p.empty() ? fs::path(".") : p;
  return missing;
}
}  // namespace

void check_output_in_new_folders(const std::string& path) {
  fs::path existing;
  const std::vector<fs::path> missing = missing_folders(fs::path(path).parent_path(), existing, path);
  if (missing.empty()) return check_output_destination(path);
  if (fs::path(path).filename().string().size() > NAME_MAX)
    throw input_error(path, "the file name is longer than the " + std::to_string(NAME_MAX) + " bytes a name may have");
  for (const fs::path& folder : missing)
    if (folder.filename().string().size() > NAME_MAX)
      throw input_error(path, "the folder name " + text_excerpt(folder.filename().string()) + " is longer than the " +
                                  std::to_string(NAME_MAX) + " bytes a name may have");
  if (path.size() >= PATH_MAX)
    throw input_error(path, "the path is longer than the " + std::to_string(PATH_MAX) + " bytes the system allows");
  const std::string first = missing.back().string();
  struct stat info {};
  if (::stat(existing.c_str(), &info) != 0 || !S_ISDIR(info.st_mode))
    throw input_error(path, "cannot create the folder " + first + ": " + existing.string() + " is not a folder");
  if (::access(existing.c_str(), W_OK | X_OK) != 0)
    throw input_error(path, "cannot create the folder " + first + ": " + existing.string() + " is not writable (" +
                                std::strerror(errno) + ")");
}

CreatedFolders::~CreatedFolders() {
  for (auto it = made_.rbegin(); it != made_.rend(); ++it) ::rmdir(it->c_str());  // fails, harmlessly, when not empty
}

void CreatedFolders::create(const std::string& folder) {
  fs::path existing;
  std::vector<fs::path> missing = missing_folders(folder, existing, folder);
  for (auto it = missing.rbegin(); it != missing.rend(); ++it) {
    if (::mkdir(it->c_str(), 0777) != 0) {
      const int error = errno;
      struct stat info {};
      if (error == EEXIST && ::stat(it->c_str(), &info) == 0 && S_ISDIR(info.st_mode)) continue;  // made meanwhile
      throw input_error(folder, std::string("cannot create the directory (") + std::strerror(error) + ")");
    }
    made_.push_back(it->string());
  }
  struct stat info {};
  if (::stat(folder.c_str(), &info) != 0 || !S_ISDIR(info.st_mode))
    throw input_error(folder, "cannot create the directory (it exists and is not a folder)");
}
}  // namespace uhop
