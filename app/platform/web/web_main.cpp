// The Studio in the browser: the desktop's frame (frame_loop.h) driven by requestAnimationFrame instead of a loop.
// What differs from app/platform/desktop/main.cpp, and why:
//  - no threads (a static host gives no SharedArrayBuffer): the worker runs in pump mode, a slice of at most
//    kPumpSeconds between frames, so the page stays responsive and Cancel works between steps;
//  - the canvas follows the browser window; the page's <pre id="uhop-state"> receives the same key=value lines as
//    the desktop's --dump-state (every 30 frames, and whenever the state changed), for tests and curious users;
//  - the state link comes from the page's address (#s=...) at start and whenever the fragment changes;
//  - files written under /exports (the export folder and the working directory here) are handed to the browser as
//    downloads and removed.
#include <emscripten.h>
#include <emscripten/html5.h>

#include <GLFW/glfw3.h>
#include <imgui.h>
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "capacity_panel.h"
#include "dump_state.h"
#include "export_names.h"
#include "frame_loop.h"
#include "gl.h"
#include "link_ui.h"
#include "io/file_bytes.h"
#include "numerics/parallel_for.h"
#include "plot/plot_export.h"
#include "platform/platform.h"
#include "screenshot.h"
#include "script_runner.h"
#include "studio_ui.h"

namespace {
constexpr double kPumpSeconds = 0.012;  // worker time per frame: ~60 frames/s leave ~4 ms for the UI
constexpr const char* kExportDir = "/exports";

// clang-format off
EM_JS(int, js_window_width, (), { return window.innerWidth; });
EM_JS(int, js_window_height, (), { return window.innerHeight; });
EM_JS(double, js_device_pixel_ratio, (), { return window.devicePixelRatio || 1; });
EM_JS(double, js_ms_since_navigation, (), { return performance.now(); });
EM_JS(void, js_set_state, (const char* text), {
  const pre = document.getElementById("uhop-state");
  if (pre) pre.textContent = UTF8ToString(text);
});
// A PNG export (core/plot/plot_export.h: kSvgForPngSuffix): the browser draws the SVG on a canvas of its size and
// offers the PNG as a download.
EM_JS(void, js_download_svg_as_png, (const char* name, const char* data, int size), {
  const png_name = UTF8ToString(name);
  const svg = new Blob([HEAPU8.slice(data, data + size)], {type: "image/svg+xml"});
  const url = URL.createObjectURL(svg);
  const img = new Image();
  img.onload = function() {
    const canvas = document.createElement("canvas");
    canvas.width = img.naturalWidth;
    canvas.height = img.naturalHeight;
    canvas.getContext("2d").drawImage(img, 0, 0);
    URL.revokeObjectURL(url);
    canvas.toBlob(function(png) {
      const a = document.createElement("a");
      a.href = URL.createObjectURL(png);
      a.download = png_name;
      document.body.appendChild(a);
      a.click();
      a.remove();
    }, "image/png");
  };
  img.onerror = function() { console.warn("uhop-studio: cannot draw " + png_name); };
  img.src = url;
});
EM_JS(char*, js_take_hash, (), {
  const h = (Module.uhopPendingHash !== undefined) ? Module.uhopPendingHash : "";
  Module.uhopPendingHash = undefined;
  const n = lengthBytesUTF8(h) + 1;
  const p = _malloc(n);
  stringToUTF8(h, p, n);
  return p;
});
// clang-format on

double now_seconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

struct WebApp {
  GLFWwindow* window = nullptr;
  studio::UiContext ui;
  std::unique_ptr<studio::StudioWorker> worker;
  studio::ScriptRunner script;
  studio::FrameState fs;
  long frame = 0;
  double first_frame_ms = -1;
  std::string last_dump;
};
WebApp* g_app = nullptr;

// The page's fragment (#s=...), set by index.html at start and on hashchange: opened like File > Open link.
void open_pending_link(WebApp& app) {
  char* p = js_take_hash();
  const std::string hash = p;
  std::free(p);
  if (!hash.empty() && hash != "#") studio::open_link(app.ui, hash);
}

// Exports land in /exports (MEMFS): each file becomes a download, then goes.
void deliver_exports() {
  namespace fs = std::filesystem;
  std::error_code ec;
  std::vector<fs::path> done;
  for (const auto& entry : fs::recursive_directory_iterator(kExportDir, ec)) {  // PNG frames sit in a folder
    if (!entry.is_regular_file(ec)) continue;
    const std::string path = entry.path().string();
    // Temps of a write still in progress (.NAME.uhop-tmp.PID.RANDOM): a recording's spans many frames.
    if (path.find(".tmp.") != std::string::npos || path.find(".uhop-tmp.") != std::string::npos) continue;
    std::string bytes;
    try {
      const std::vector<uint8_t> data = uhop::read_whole_file(path, uint64_t(1) << 31);
      bytes.assign(data.begin(), data.end());
    } catch (const std::exception&) {
      continue;  // not readable (yet): tried again on a later frame
    }
    const std::string suffix = uhop::kSvgForPngSuffix;
    try {
      if (path.size() > suffix.size() && path.compare(path.size() - suffix.size(), suffix.size(), suffix) == 0) {
        const std::string png = entry.path().filename().string();
        js_download_svg_as_png(png.substr(0, png.size() - suffix.size()).c_str(), bytes.data(),
                               static_cast<int>(bytes.size()));
      } else {
        studio::platform::save_bytes(path, bytes);
      }
    } catch (const std::exception& e) {
      std::fprintf(stderr, "uhop-studio: %s\n", e.what());
    }
    done.push_back(entry.path());
  }
  for (const fs::path& p : done) fs::remove(p, ec);
}

void fit_canvas(WebApp& app) {
  const int w = js_window_width(), h = js_window_height();
  int cw = 0, ch = 0;
  glfwGetWindowSize(app.window, &cw, &ch);
  if (w > 0 && h > 0 && (w != cw || h != ch)) glfwSetWindowSize(app.window, w, h);
}

void frame(void* arg) {
  WebApp& app = *static_cast<WebApp*>(arg);
  fit_canvas(app);
  glfwPollEvents();
  if (app.frame % 10 == 0) open_pending_link(app);
  app.worker->pump(kPumpSeconds);
  if (studio::capacity_busy()) studio::capacity_pump(kPumpSeconds);
  app.ui.recorder.pump(kPumpSeconds);
  studio::prepare_frame(app.ui, *app.worker, app.script, app.fs, now_seconds());
  bool quit = false;  // File > Quit has no meaning in a tab: ignored
  const auto [fb_w, fb_h] = studio::render_frame(app.window, app.ui, quit);
  studio::record_frame(app.ui, fb_w, fb_h);  // a frame for the recorder when one is due (GIF: a download at the end)
  if (app.ui.screenshot_requested) {         // F12 or View > Screenshot: a PNG download of the canvas
    app.ui.screenshot_requested = false;
    const std::string path = studio::next_export_path(kExportDir, "uhop-studio", "png");
    try {
      studio::save_window_screenshot(path, fb_w, fb_h);
      app.ui.set_status("screenshot: " + path.substr(path.rfind('/') + 1) + " (a download)");
    } catch (const std::exception& e) {
      app.ui.set_status(e.what(), true);
    }
  }
  glfwSwapBuffers(app.window);
  ++app.frame;
  // The page's first frame, counted from the start of navigation (the desktop counts from the process's start).
  if (app.first_frame_ms < 0) app.first_frame_ms = js_ms_since_navigation();
  if (app.frame % 30 == 0) {
    deliver_exports();
    const std::string text = studio::dump_text(app.ui, app.frame, app.first_frame_ms);
    const std::string state = text.substr(text.find('\n') + 1);  // all but the frame count
    if (state != app.last_dump || app.frame % 300 == 0) {
      app.last_dump = state;
      js_set_state(text.c_str());
    }
  }
}
}  // namespace

// Files the page received (picker or drop, written to MEMFS by index.html): one file's path, or the folder of several.
extern "C" EMSCRIPTEN_KEEPALIVE void uhop_files_dropped(const char* path) {
  studio::drop_paths({path});
}

// Module.uhopRun(text) in the page: lines of the Studio's script language (docs/studio.md, the desktop's --script),
// for tests and for anyone at the browser's console. Bad lines are refused as a whole, with the reason shown.
extern "C" EMSCRIPTEN_KEEPALIVE void uhop_run_script(const char* text) {
  if (!g_app) return;
  studio::ParsedScript parsed = studio::parse_script(text, "uhopRun");
  if (!parsed.errors.empty()) {
    g_app->ui.set_status(parsed.errors.front(), true);
    return;
  }
  g_app->ui.story.stop();
  g_app->script.run(std::move(parsed.commands));
}

int main() {
  uhop::set_max_compute_threads(1);  // no threads in a page served without cross-origin isolation
  auto app = std::make_unique<WebApp>();
  if (!glfwInit()) {
    std::fprintf(stderr, "uhop-studio: cannot initialize GLFW\n");
    return 1;
  }
  glfwWindowHint(GLFW_CLIENT_API, GLFW_OPENGL_ES_API);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 0);
  app->window = glfwCreateWindow(std::max(640, js_window_width()), std::max(480, js_window_height()), "U-Hop Studio",
                                 nullptr, nullptr);
  if (!app->window) {
    std::fprintf(stderr, "uhop-studio: cannot create a WebGL 2 context\n");
    return 1;
  }
  glfwMakeContextCurrent(app->window);
  studio::install_input_callbacks(app->window);

  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGui::GetIO().IniFilename = nullptr;  // the same fixed layout on every visit (as on the desktop)
  studio::UiContext& ui = app->ui;
  ui.content_scale = 1;
  ui.font_size = 15 * static_cast<float>(std::max(1.0, js_device_pixel_ratio()));
  studio::build_fonts(ui, ui.wanted_font_size(), false);
  ImGui_ImplGlfw_InitForOpenGL(app->window, true);
  ImGui_ImplOpenGL3_Init("#version 300 es");
  if (!ui.heatmap_shader.init(UHOP_SHADER_DIR))
    std::fprintf(stderr, "uhop-studio: %s\n", ui.heatmap_shader.error().c_str());

  std::filesystem::create_directories(kExportDir);
  std::filesystem::current_path(kExportDir);  // relative outputs (scripts' exports, sessions) become downloads too
  std::snprintf(ui.export_dir, sizeof ui.export_dir, "%s", kExportDir);
  studio::StudioState initial;
  initial.source = "builtin:fashion-mnist";
  app->worker = std::make_unique<studio::StudioWorker>(initial, studio::WorkerThreading::pump);
  ui.worker = app->worker.get();
  ui.snap = app->worker->snapshot();
  ui.presets = studio::find_presets();
  ui.recorder.set_threading(studio::WorkerThreading::pump);
  // A link in the address opens instead of the story (open_pending_link, on the first frame).
  if (!EM_ASM_INT({ return (Module.uhopPendingHash || "").length > 2; })) ui.story.start(studio::StoryMode::autoplay);

  g_app = app.release();  // lives as long as the page
  emscripten_set_main_loop_arg(frame, g_app, 0, true);
  return 0;
}
