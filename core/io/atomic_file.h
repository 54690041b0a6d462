// Files are written atomically: to "path.tmp.<pid>" in the same directory, flushed, then renamed over the
// target. A failure part-way leaves the old file (or no file) in place and never a partial one.
#pragma once
#include <functional>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

namespace uhop {
// Calls write(stream); on success renames into place. Throws InputError naming the path on any failure.
void write_file_atomically(const std::string& path, const std::function<void(std::ostream&)>& write);
void write_bytes_atomically(const std::string& path, const void* data, size_t size);

// Several outputs that must appear together or not at all (e.g. a W file and its log): each is written to a
// temp file first; commit() renames them all. Destroyed without commit() (an error), the temps are removed.
class StagedFiles {
 public:
  StagedFiles() = default;
  StagedFiles(const StagedFiles&) = delete;
  StagedFiles& operator=(const StagedFiles&) = delete;
  ~StagedFiles();
  void add(const std::string& path, const std::function<void(std::ostream&)>& write);  // throws InputError
  void commit();

 private:
  std::vector<std::pair<std::string, std::string>> staged_;  // (temp, final)
};
}  // namespace uhop
