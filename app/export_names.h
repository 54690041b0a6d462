// File names for exports the user did not name: "<dir>/<stem>-NNN.<ext>" with the first NNN not yet taken, so an
// export never overwrites an earlier one. GUI-free.
#pragma once
#include <string>

namespace studio {
// dir empty means the current directory. Counts 001..9999; past that, the stem gets the time so it stays unique.
std::string next_export_path(const std::string& dir, const std::string& stem, const std::string& ext);
}  // namespace studio
