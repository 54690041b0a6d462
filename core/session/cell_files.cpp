#include "cell_files.h"

#include <filesystem>

#include "numerics/input_error.h"

namespace uhop {
namespace fs = std::filesystem;

std::vector<std::string> collect_cell_files(const std::string& dir, const std::vector<std::string>& names) {
  std::vector<std::string> paths;
  int missing = 0;
  std::string first_missing;
  for (const std::string& name : names) {
    const fs::path p = fs::path(dir) / name;
    std::error_code ec;
    if (!fs::is_regular_file(p, ec)) {
      if (missing++ == 0) first_missing = p.string();
      continue;
    }
    paths.push_back(p.string());
  }
  if (missing)
    throw InputError(std::to_string(missing) + " of " + std::to_string(names.size()) +
                     " cells are missing (first: " + first_missing + ")");
  return paths;
}
}  // namespace uhop
