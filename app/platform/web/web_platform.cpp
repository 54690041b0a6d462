// The browser target of app/platform/platform.h (Emscripten), built by app/platform/web/CMakeLists.txt.
#include <emscripten.h>

#include <cstdlib>
#include <string>

#include "platform/platform.h"

namespace {
// JavaScript inside EM_JS: not C++ to clang-format.
// clang-format off
// The clipboard: navigator.clipboard needs a secure context (https or 127.0.0.1) and a user gesture; the page also
// keeps its own copy so "Open link from clipboard" works where the browser refuses to read it.
EM_JS(void, js_copy_text, (const char* text), {
  const s = UTF8ToString(text);
  Module.uhopClipboard = s;
  if (navigator.clipboard && navigator.clipboard.writeText) navigator.clipboard.writeText(s).catch(function() {});
});
EM_JS(char*, js_pasted_text, (), {
  const s = Module.uhopClipboard || "";
  const n = lengthBytesUTF8(s) + 1;
  const p = _malloc(n);
  stringToUTF8(s, p, n);
  return p;
});
// A download: the bytes as a Blob behind a temporary <a download>.
EM_JS(void, js_download, (const char* name, const char* data, int size), {
  const bytes = HEAPU8.slice(data, data + size);
  const url = URL.createObjectURL(new Blob([bytes]));
  const a = document.createElement("a");
  a.href = url;
  a.download = UTF8ToString(name);
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(
      function() { URL.revokeObjectURL(url); }, 10000);
});
// The picker: the chosen files go the way of a drop (index.html: Module.uhopReceive).
EM_JS(void, js_pick_files, (), {
  const input = document.createElement("input");
  input.type = "file";
  input.multiple = true;
  input.onchange = function() { Module.uhopReceive(Array.from(input.files)); };
  input.click();
});
// clang-format on

}  // namespace

namespace studio::platform {
void copy_text(const std::string& text) {
  js_copy_text(text.c_str());
}

std::string pasted_text() {
  char* p = js_pasted_text();
  std::string out = p;
  std::free(p);
  return out;
}

void save_bytes(const std::string& path, const std::string& bytes) {
  const auto slash = path.find_last_of('/');
  js_download((slash == std::string::npos ? path : path.substr(slash + 1)).c_str(), bytes.data(),
              static_cast<int>(bytes.size()));
}

bool can_pick_files() {
  return true;
}
void pick_files() {
  js_pick_files();
}

bool can_record() {
  return true;
}
bool can_quit() {
  return false;
}
bool has_threads() {
  return false;
}
bool can_record_video() {
  return false;
}  // no ffmpeg: GIF and PNG folders (as a zip) only
bool has_folders() {
  return false;
}
bool can_export_pdf() {
  return false;
}  // no cairo in the browser build
const char* name() {
  return "web";
}
}  // namespace studio::platform
