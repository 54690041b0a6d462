// Outputs inside folders a command creates (uhop replay --out DIR, sweep --out DIR, capacity --cell K --out DIR):
// every such output is checked before any work, and the folders appear only when the outputs are committed, so a
// refused command creates nothing (docs/hostile-input.md, issue 24).
#pragma once
#include <string>
#include <vector>

namespace uhop {
// Throws InputError when path cannot become an output once the missing folders above it are created: a name on the
// way is a file (or anything but a folder), the nearest existing folder is not writable, a folder name is longer
// than the system allows; when path's own folder exists, everything check_output_destination checks.
void check_output_in_new_folders(const std::string& path);

// Creates the missing folders of each path given to create(), remembering which it made. Destroyed before keep()
// (the commit that needed them failed), it removes the ones it made, deepest first, when they are still empty.
class CreatedFolders {
 public:
  CreatedFolders() = default;
  CreatedFolders(const CreatedFolders&) = delete;
  CreatedFolders& operator=(const CreatedFolders&) = delete;
  ~CreatedFolders();
  void create(const std::string& folder);  // throws InputError naming it
  void keep() { made_.clear(); }

 private:
  std::vector<std::string> made_;  // in the order made (parents first)
};
}  // namespace uhop
