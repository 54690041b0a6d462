// Outputs are written so that a failure never loses the old file and nothing can redirect the write:
// - each output goes to a temp file created next to it with O_CREAT | O_EXCL | O_NOFOLLOW under an unpredictable
//   name ".NAME.uhop-tmp.<pid>.<random>" (a planted file or symlink at that name makes the create fail instead of
//   sending the bytes elsewhere), is fsync'ed and closed;
// - before the first rename every destination is checked: an existing file that is not a regular file (a device
//   such as /dev/null or /dev/full, a FIFO, a socket, a folder; also through a symlink) is refused, never replaced,
//   and two outputs naming the same file are refused. So a command that fails leaves every old output untouched;
// - then the temps are renamed in the order they were added (a caller adds the file that makes the others valid
//   last: a session's JSON after its side files) and each folder is fsync'ed after its renames, so a power failure
//   after commit() keeps the new files;
// - temps left by writers that died (their pid is no longer alive on this machine) next to an output are removed
//   when that output is written.
// Between two renames a kill can still leave some outputs new and some old (README "Decisions: outputs").
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
// temp file first; commit() checks every destination, then renames them all in the order added. Destroyed without
// commit() (an error), the temps are removed.
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

// Throws InputError when path exists and is not a regular file (or a symlink to one): outputs never replace devices,
// FIFOs, sockets or folders. Checked by StagedFiles; front ends may call it before long work to fail early.
void check_output_destination(const std::string& path);
// The temp-file prefix of an output: ".NAME.uhop-tmp." (tests and cleanup look for it).
std::string temp_file_prefix(const std::string& file_name);
}  // namespace uhop
