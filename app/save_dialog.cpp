#include "save_dialog.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "export_names.h"
#include "io/atomic_file.h"
#include "io/file_bytes.h"
#include "platform/platform.h"
#include "studio_ui.h"

namespace studio {
namespace fs = std::filesystem;
namespace {
// $XDG_CONFIG_HOME/uhop-studio/export-folder, or ~/.config/...; "" when neither variable is set.
std::string prefs_file() {
  const char* xdg = std::getenv("XDG_CONFIG_HOME");
  const char* home = std::getenv("HOME");
  const fs::path base = xdg && xdg[0] == '/' ? fs::path(xdg)
                        : home && home[0]    ? fs::path(home) / ".config"
                                             : fs::path();
  return base.empty() ? "" : (base / "uhop-studio" / "export-folder").string();
}

std::string absolute_folder(const std::string& folder) {
  std::error_code ec;
  const fs::path p = fs::absolute(folder.empty() ? fs::path(".") : fs::path(folder), ec);
  std::string s = ec ? folder : p.lexically_normal().string();
  while (s.size() > 1 && s.back() == '/') s.pop_back();
  return s;
}

std::string extension_of(const std::string& name) {
  const size_t dot = name.find_last_of('.');
  return dot == std::string::npos || dot == 0 ? "" : name.substr(dot + 1);
}

// The name with its extension set to `format` (replacing one of the offered formats', else appending).
std::string with_format(const std::string& name, const std::string& format, const std::vector<std::string>& formats) {
  const std::string ext = extension_of(name);
  const bool offered = std::find(formats.begin(), formats.end(), ext) != formats.end();
  return (offered ? name.substr(0, name.size() - ext.size() - 1) : name) + "." + format;
}
}  // namespace

std::string remembered_export_folder() {
  const std::string file = prefs_file();
  if (file.empty() || !platform::has_folders()) return "";
  try {
    const std::vector<uint8_t> bytes = uhop::read_whole_file(file, 4096);
    std::string folder(bytes.begin(), bytes.end());
    while (!folder.empty() && (folder.back() == '\n' || folder.back() == '\r')) folder.pop_back();
    std::error_code ec;
    return !folder.empty() && folder.find('\n') == std::string::npos && fs::is_directory(folder, ec) ? folder : "";
  } catch (const std::exception&) {
    return "";  // none yet, or unreadable: start from the working directory as before
  }
}

void remember_export_folder(const std::string& folder) {
  const std::string file = prefs_file();
  if (file.empty() || !platform::has_folders()) return;
  std::error_code ec;
  fs::create_directories(fs::path(file).parent_path(), ec);
  const std::string line = folder + "\n";
  uhop::write_bytes_atomically(file, line.data(), line.size());
}

std::string save_path(const std::string& folder, const std::string& name, const std::string& format) {
  if (name.empty() || name.find('/') != std::string::npos || name == "." || name == "..") return "";
  const std::string ext = extension_of(name);
  const std::string file = ext == format ? name : name + "." + format;
  return (fs::path(absolute_folder(folder)) / file).string();
}

void ask_save(UiContext& ui, SaveRequest request) {
  SaveDialogState& d = ui.save;
  d = SaveDialogState();
  d.request = std::move(request);
  const auto& f = d.request.formats;
  d.format = std::max(0, static_cast<int>(std::find(f.begin(), f.end(), d.request.format) - f.begin()));
  if (d.format >= static_cast<int>(f.size())) d.format = 0;
  // The remembered folder, else the working directory, shown whole: the user sees where the file goes.
  const std::string folder =
      platform::has_folders() ? absolute_folder(ui.snap->state.exports.folder) : ui.snap->state.exports.folder;
  std::snprintf(d.folder, sizeof d.folder, "%s", folder.c_str());
  const std::string suggested = fs::path(next_export_path(folder, d.request.stem, f[d.format])).filename().string();
  std::snprintf(d.name, sizeof d.name, "%s", suggested.c_str());
  d.open_requested = true;
}

void save_dialog(UiContext& ui) {
  SaveDialogState& d = ui.save;
  d.shown = false;
  d.active.clear();
  const char* title = "Save###save_dialog";
  if (d.open_requested) {
    ImGui::OpenPopup(title);
    d.open_requested = false;
  }
  if (!ImGui::BeginPopupModal(title, nullptr, ImGuiWindowFlags_AlwaysAutoResize)) {
    d.frames_open = 0;
    d.error_drawn.clear();
    return;
  }
  d.shown = ++d.frames_open > 2;  // the first frames measure and centre it (hidden, elsewhere)
  if (d.shown) ui.record_rect("panel.save_dialog", ImGui::GetWindowPos(), ImGui::GetWindowSize());
  const auto& formats = d.request.formats;
  ImGui::TextUnformatted(("Save " + d.request.what).c_str());
  const float field = ImGui::GetFontSize() * 26;
  bool enter = false;
  if (platform::has_folders()) {
    ImGui::SetNextItemWidth(field);
    if (d.shown)
      ui.record_rect("widget.save_folder", ImGui::GetCursorScreenPos(), ImVec2(field, ImGui::GetFrameHeight()));
    if (ImGui::InputText("folder", d.folder, sizeof d.folder, ImGuiInputTextFlags_EnterReturnsTrue)) enter = true;
    d.active = ImGui::IsItemActive() ? "folder" : "";
    formula_tip("Created when it does not exist. Remembered for the next export, in the session and across runs.");
  }
  if (ImGui::IsWindowAppearing()) ImGui::SetKeyboardFocusHere();
  ImGui::SetNextItemWidth(field);
  if (d.shown) ui.record_rect("widget.save_name", ImGui::GetCursorScreenPos(), ImVec2(field, ImGui::GetFrameHeight()));
  // The dialog opens with the name selected: typing replaces it, Enter takes it.
  if (ImGui::InputText("name", d.name, sizeof d.name,
                       ImGuiInputTextFlags_EnterReturnsTrue | ImGuiInputTextFlags_AutoSelectAll))
    enter = true;
  if (ImGui::IsItemActive()) d.active = "name";
  // A typed extension of an offered format chooses that format ("fig.png" saves a PNG).
  const auto typed = std::find(formats.begin(), formats.end(), extension_of(d.name));
  if (typed != formats.end()) d.format = static_cast<int>(typed - formats.begin());
  if (formats.size() > 1) {
    std::vector<const char*> items;
    for (const auto& f : formats) items.push_back(f.c_str());
    int format = d.format;
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 6);
    if (ImGui::Combo("format", &format, items.data(), static_cast<int>(items.size())) && format != d.format) {
      const std::string renamed = with_format(d.name, formats[format], formats);
      std::snprintf(d.name, sizeof d.name, "%s", renamed.c_str());
      d.format = format;
    }
  }
  const std::string path = save_path(d.folder, d.name, formats[d.format]);
  ImGui::TextDisabled("%s", fit_text(path.empty() ? "(a file name, without '/')" : path, field * 1.2f).c_str());
  if (path != d.replace_path) d.replace_path.clear();
  d.error_drawn = d.error;
  if (!d.error.empty()) {
    ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + field * 1.2f);
    ImGui::TextColored(ImVec4(1, 0.45f, 0.4f, 1), "%s", d.error.c_str());
    ImGui::PopTextWrapPos();
  }
  const float button = ImGui::GetFontSize() * 6;
  const char* label = d.replace_path.empty() ? "Save" : "Replace";
  if (d.shown)
    ui.record_rect("widget.save_button", ImGui::GetCursorScreenPos(), ImVec2(button, ImGui::GetFrameHeight()));
  // Enter saves from a field; once no field has the keyboard (after Enter), Enter again confirms a Replace.
  const bool confirm = !d.replace_path.empty() && ImGui::IsWindowFocused() && !ImGui::IsAnyItemActive() &&
                       ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Enter), false);
  const bool save = ImGui::Button(label, ImVec2(button, 0)) || enter || confirm;
  ImGui::SameLine();
  if (ImGui::Button("Cancel", ImVec2(button, 0)) || ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape))) {
    ImGui::CloseCurrentPopup();
    ImGui::EndPopup();
    return;
  }
  if (save && !path.empty()) {
    std::error_code ec;
    const fs::path folder = fs::path(path).parent_path();
    d.error.clear();
    if (platform::has_folders() && !fs::is_directory(folder, ec) && !fs::create_directories(folder, ec)) {
      d.error = "cannot create the folder " + folder.string() + (ec ? ": " + ec.message() : "");
    } else if (fs::exists(path, ec) && d.replace_path != path) {
      d.replace_path = path;  // asks once: the button now says Replace
      d.error = fs::path(path).filename().string() + " exists: Replace writes over it.";
    } else {
      try {
        d.request.write(path);
        ui.set_status("saved " + path);
        if (platform::has_folders() && folder.string() != ui.snap->state.exports.folder) {
          ui.push(make_set("export_folder", folder.string()));
        }
        try {
          remember_export_folder(folder.string());
        } catch (const std::exception&) {
          // the file is saved; not remembering the folder for the next run is no reason to say otherwise
        }
        ImGui::CloseCurrentPopup();
      } catch (const std::exception& e) {
        d.error = e.what();
        ui.set_status(e.what(), true);
      }
    }
  } else if (save) {
    d.error = "Type a file name (without '/').";
  }
  ImGui::EndPopup();
}
}  // namespace studio
