#include "export_names.h"

#include <cstdio>
#include <ctime>
#include <filesystem>

namespace studio {
std::string next_export_path(const std::string& dir, const std::string& stem, const std::string& ext) {
  namespace fs = std::filesystem;
  const fs::path base = dir.empty() ? fs::path(".") : fs::path(dir);
  for (int n = 1; n < 10000; ++n) {
    char name[64];
    std::snprintf(name, sizeof name, "-%03d.", n);
    const fs::path p = base / (stem + name + ext);
    std::error_code ec;
    if (!fs::exists(p, ec)) return dir.empty() ? p.filename().string() : p.string();
  }
  const std::string unique = stem + "-" + std::to_string(static_cast<long long>(std::time(nullptr))) + "." + ext;
  return (base / unique).string();
}
}  // namespace studio
