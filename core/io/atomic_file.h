// Outputs are written so that a failure never loses the old file, a set of outputs is never half committed, and
// nothing can redirect the write (docs/hostile-input.md):
// - each regular-file output goes to a temp file created next to it with O_CREAT | O_EXCL | O_NOFOLLOW under an
//   unpredictable name ".NAME.uhop-tmp.<pid>.<random>" (a planted file or symlink at that name makes the create fail
//   instead of sending the bytes elsewhere), is fsync'ed and closed;
// - a destination that is (or is a symlink to) a character device, a FIFO or a socket is written by streaming to it
//   at commit time, never by rename (`--log /dev/stdout` stays a link to the terminal); a FIFO without a reader is
//   refused at once instead of blocking. A symlink to a regular file is written through: its target is replaced,
//   the link stays. Folders, block devices and dangling symlinks are refused;
// - before the first rename every destination is checked in full (file name length, parent folder, type, folder
//   writable, no output named twice), so a refusal leaves every old output untouched;
// - commits are serialized per folder (flock once on each destination folder, told apart by device and inode, not by
//   spelling, taken in a fixed order), so two processes writing the same outputs at once leave a set that comes
//   whole from one of them;
// - then the temps are renamed in the order they were added (a caller adds the file that makes the others valid
//   last: a session's JSON after its side files), keeping each replaced file under a temp name until the whole set
//   is in place: a rename that fails puts back every output already renamed. Each folder is fsync'ed after its
//   renames, so a power failure after commit() keeps the new files;
// - temps left by writers that died (their pid is no longer alive on this machine) in a folder are removed when
//   any output is written there (and when an animation starts there).
// A kill -9 between two renames can still leave some outputs new and some old (docs/hostile-input.md "Outputs").
#pragma once
#include <cstddef>
#include <cstdio>
#include <functional>
#include <ostream>
#include <string>
#include <vector>

namespace uhop {
// Calls write(stream); on success renames into place. Throws InputError naming the path on any failure.
void write_file_atomically(const std::string& path, const std::function<void(std::ostream&)>& write);
void write_bytes_atomically(const std::string& path, const void* data, size_t size);

// Several outputs that must appear together or not at all (e.g. a W file and its log): each is written to a
// temp file first (a stream destination: to memory); commit() checks every destination, then streams and renames
// them all in the order added. Destroyed without commit() (an error), the temps are removed.
class StagedFiles {
 public:
  StagedFiles() = default;
  StagedFiles(const StagedFiles&) = delete;
  StagedFiles& operator=(const StagedFiles&) = delete;
  ~StagedFiles();
  void add(const std::string& path, const std::function<void(std::ostream&)>& write);  // throws InputError
  // A file already written by another writer (an animation, ffmpeg's MP4) becomes the output path: renamed when it
  // sits in the folder of the file replaced, copied into a temp there otherwise, streamed from when path is a
  // stream destination. The set owns `finished` from here on: it is removed on commit or failure.
  void add_finished(const std::string& path, const std::string& finished);  // throws InputError
  // A finished folder (an animation's PNG frames, written under temp_path_beside(path)) becomes the folder path,
  // which must be missing or an empty folder (not a symlink); renamed in with the files, taken out again on a
  // rollback. The set owns `finished` from here on.
  void add_finished_folder(const std::string& path, const std::string& finished);  // throws InputError
  void commit();

  struct Staged {
    std::string path;         // as the caller named it (for messages)
    std::string target;       // the file replaced: path, or a symlink's target
    std::string temp;         // the temp file ("" for a stream destination)
    std::string bytes;        // a stream destination's content
    std::string stream_file;  // or a finished file streamed from (add_finished), removed with the set
    bool stream = false;
    bool folder = false;  // add_finished_folder: temp is a folder, target a missing or empty folder
  };

 private:
  std::vector<Staged> staged_;
};

// Throws InputError when path cannot be an output: a folder, a block device, a dangling symlink, a file name longer
// than the system allows, a missing parent folder. Checked by StagedFiles; front ends may call it before long work
// to fail early.
void check_output_destination(const std::string& path);
// The temp-file prefix of an output: ".NAME.uhop-tmp." (tests and cleanup look for it).
std::string temp_file_prefix(const std::string& file_name);
// True when path is a destination streamed to (a character device, FIFO or socket, or a link to one), false when it
// is a file replaced by rename; throws InputError like check_output_destination.
bool output_is_streamed(const std::string& path);
// A new temp name beside path ("dir/NAME" or "dir/NAME/" gives "dir/.NAME.uhop-tmp.<pid>.<random>") for a writer
// of its own (an animation's file or frames folder): a writer that dies leaves a name the cleanup below knows.
std::string temp_path_beside(const std::string& path);
// Removes temps of writers no longer alive in folder ("" is the current folder): files named
// ".NAME.uhop-tmp.<pid>.<12 hex digits>", and folders of that name holding only frame-NNNNN.png files.
void remove_dead_writers_temps(const std::string& folder);
// One finished file committed alone (StagedFiles::add_finished, then commit()).
void commit_finished_file(const std::string& finished, const std::string& path);

// Flushes a C stream that was written to (uhop's standard output when a command ends) and says why what was
// written did not all arrive, or "" when it did: "write failed: the reader of NAME closed it (broken pipe)", "write
// failed: NAME (<errno text>)" with errno taken at the failing fflush itself, or, when an earlier write failed and
// fflush had nothing left to retry, "write failed: NAME (an earlier write to it failed)": never a later errno.
std::string flushed_stream_failure(std::FILE* stream, const std::string& name);

// Tests only: called (on the calling thread) after each rename of a commit with the number renamed so far; it may
// throw (a rename that failed: the commit must roll back) or wait (another commit must not get in between).
void set_commit_hook_for_tests(std::function<void(size_t renamed)> hook);
}  // namespace uhop
