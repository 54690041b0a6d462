// The cluster fan-out both `uhop sweep` and `uhop capacity` use: every cell of a run has a file name of its own;
// --cell K writes one, --merge collects them all (refusing when any is missing) so the merged table equals the
// direct run's.
#pragma once
#include <string>
#include <vector>

namespace uhop {
// dir/name for every name, each checked to exist: throws InputError "K of M cells are missing (first: PATH)".
std::vector<std::string> collect_cell_files(const std::string& dir, const std::vector<std::string>& names);
}  // namespace uhop
