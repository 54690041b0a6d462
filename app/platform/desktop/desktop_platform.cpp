// The desktop target of app/platform/platform.h: GLFW's clipboard (through ImGui's GLFW backend), atomic files.
#include <imgui.h>

#include <unistd.h>

#include <cstdlib>
#include <sstream>

#include "io/atomic_file.h"
#include "platform/platform.h"

namespace studio::platform {
void copy_text(const std::string& text) {
  ImGui::SetClipboardText(text.c_str());
}

std::string pasted_text() {
  const char* text = ImGui::GetClipboardText();
  return text ? text : "";
}

void save_bytes(const std::string& path, const std::string& bytes) {
  uhop::write_bytes_atomically(path, bytes.data(), bytes.size());
}

bool can_pick_files() {
  return false;
}  // paths are typed or dropped on the window
void pick_files() {}

bool can_record() {
  return true;
}
bool can_quit() {
  return true;
}
bool has_threads() {
  return true;
}
bool can_record_video() {  // ffmpeg on PATH (GIF and PNG folders need nothing)
  const char* path = std::getenv("PATH");
  std::istringstream dirs(path ? path : "");
  for (std::string dir; std::getline(dirs, dir, ':');) {
    if (!dir.empty() && access((dir + "/ffmpeg").c_str(), X_OK) == 0) return true;
  }
  return false;
}
bool has_folders() {
  return true;
}
bool can_export_pdf() {
  return true;
}
const char* name() {
  return "desktop";
}
}  // namespace studio::platform
