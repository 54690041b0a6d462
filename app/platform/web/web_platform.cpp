// The browser target of app/platform/platform.h (Emscripten). Not built yet: the web build (docs/web.md, "What is
// left") adds this file; it is kept beside the desktop one so the interface is shaped by both targets from the start.
#include <emscripten.h>

#include <cstdlib>
#include <functional>
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
// The picker: the chosen file is written to MEMFS under /upload/ and its path handed to uhop_file_opened.
EM_JS(void, js_pick_file, (), {
  const input = document.createElement("input");
  input.type = "file";
  input.onchange = function() {
    const f = input.files[0];
    if (!f) return;
    f.arrayBuffer().then(function(buffer) {
      const path = "/upload/" + f.name.replace(new RegExp("[^A-Za-z0-9._-]", "g"), "_");
      try {
        FS.mkdir("/upload");
      } catch (e) {
      }
      FS.writeFile(path, new Uint8Array(buffer));
      ccall("uhop_file_opened", null, ["string"], [path]);
    });
  };
  input.click();
});
// clang-format on

std::function<void(const std::string&)> g_opened;
}  // namespace

extern "C" EMSCRIPTEN_KEEPALIVE void uhop_file_opened(const char* path) {
  if (g_opened) g_opened(path);
}

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
void pick_file(std::function<void(const std::string&)> opened) {
  g_opened = std::move(opened);
  js_pick_file();
}

bool can_record_video() {
  return false;
}  // no ffmpeg: GIF and PNG folders (as a zip) only
bool can_export_pdf() {
  return false;
}  // no cairo in the browser build
const char* name() {
  return "web";
}
}  // namespace studio::platform
