// The presets shipped in assets/presets, found on disk (desktop only: a web build lists its bundled files instead).
#include <algorithm>
#include <filesystem>

#include "session/session_file.h"
#include "studio_ui.h"

namespace studio {
// The presets (session files) in assets/presets: next to the binary, a level or two up (build trees), or in the
// source tree. Each one's description becomes its tooltip.
std::vector<UiContext::Preset> find_presets() {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::path exe = fs::canonical("/proc/self/exe", ec).parent_path();
  std::vector<fs::path> candidates = {exe / "assets" / "presets", exe / ".." / "assets" / "presets",
                                      exe / ".." / ".." / "assets" / "presets", fs::path(UHOP_PRESET_DIR)};
  std::vector<UiContext::Preset> presets;
  for (const auto& dir : candidates) {
    if (!fs::is_directory(dir, ec)) continue;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
      if (entry.path().extension() != ".json") continue;
      UiContext::Preset p;
      p.name = entry.path().stem().string();
      p.path = entry.path().lexically_normal().string();
      try {
        p.description = uhop::read_session_file(p.path).description;
      } catch (const std::exception& e) {
        p.description = std::string("cannot read: ") + e.what();
      }
      presets.push_back(p);
    }
    if (!presets.empty()) break;
  }
  std::sort(presets.begin(), presets.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
  return presets;
}
}  // namespace studio
