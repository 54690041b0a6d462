// U-Hop Studio: watch U-Hop's two stages work. This file is the controller: window, fonts, flags, the script runner,
// keyboard shortcuts, screenshots and the frame loop. Panels are in panel_*.cpp; the numerics run on the worker.
//
// Flags:
//   --memories SRC       initial memories (default builtin:fashion-mnist, falling back to builtin:glyphs)
//   --script FILE        commands (see studio_commands.h) run in order, each after the previous one finished
//   --frames N           quit after N frames (with --script: not before the script has finished)
//   --screenshot FILE    PNG of the whole window written just before quitting
//   --dump-state FILE    a text summary of the final snapshot written on exit (for tests)
//   --bench-frames N     render N frames while Stage I trains M = 1000 Fashion-MNIST memories; print frame CPU times
//   --bench-count M      the bench's M (default 1000; 60000 is the whole training set)
//   --bench-batch B      the bench trains mini-batches of B (default 0: full batch); the memory grid scrolls a row
//                        per frame, so the thumbnail cache is exercised
//   --font-size PX       text size (default 16, times the monitor's content scale)
//   --session FILE       start from a session file (see core/session/session_file.h); a bad file is reported and the
//                        default memories stay loaded
// Exit status: 0; 2 for bad flags; 3 when the --script had errors (reported on screen and on stderr); 4 when a
// script export-plot/export-image failed.
#include "gl.h"
#include "io/cpu_load.h"

#include <GLFW/glfw3.h>
#include <imgui.h>
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <sstream>
#include <string>
#include <thread>
#include <ctime>
#include <vector>

#include "io/atomic_file.h"
#include "numerics/input_error.h"
#include "export_names.h"
#include "screenshot.h"
#include "session/session_file.h"
#include "script_runner.h"
#include "studio_ui.h"

namespace {
struct Options {
  std::string memories = "builtin:fashion-mnist";
  std::string script, screenshot, dump_state, session;
  long frames = 0;
  long bench_frames = 0, bench_count = 1000, bench_batch = 0;
  float font_size = 0;
};

void usage() {
  std::fprintf(stderr,
               "usage: uhop-studio [--memories SRC] [--script FILE] [--frames N] [--screenshot FILE]\n"
               "                   [--dump-state FILE] [--bench-frames N [--bench-count M] [--bench-batch B]]\n"
               "                   [--font-size PX] [--session FILE]\n");
}

bool parse_args(int argc, char** argv, Options& o) {
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--help" || a == "-h") {
      usage();
      std::exit(0);
    }
    if (i + 1 >= argc) {
      std::fprintf(stderr, "uhop-studio: %s needs a value\n", a.c_str());
      return false;
    }
    std::string v = argv[++i];
    char* end = nullptr;
    if (a == "--memories") {
      o.memories = v;
    } else if (a == "--script") {
      o.script = v;
    } else if (a == "--screenshot") {
      o.screenshot = v;
    } else if (a == "--session") {
      o.session = v;
    } else if (a == "--dump-state") {
      o.dump_state = v;
    } else if (a == "--frames" || a == "--bench-frames" || a == "--bench-count" || a == "--bench-batch") {
      long n = std::strtol(v.c_str(), &end, 10);
      if (*end || n < (a == "--bench-batch" ? 0 : 1) || n > 100000000) {
        std::fprintf(stderr, "uhop-studio: %s: expected a positive integer, got '%s'\n", a.c_str(), v.c_str());
        return false;
      }
      (a == "--frames"         ? o.frames
       : a == "--bench-frames" ? o.bench_frames
       : a == "--bench-count"  ? o.bench_count
                               : o.bench_batch) = n;
    } else if (a == "--font-size") {
      float f = std::strtof(v.c_str(), &end);
      if (*end || f < 6 || f > 96) {
        std::fprintf(stderr, "uhop-studio: --font-size: expected 6..96, got '%s'\n", v.c_str());
        return false;
      }
      o.font_size = f;
    } else {
      std::fprintf(stderr, "uhop-studio: unknown flag %s\n", a.c_str());
      return false;
    }
  }
  return true;
}

// Key presses recorded by our GLFW callback (ImGui's backend chains to it): ImGui 1.86 only sees keys held at
// frame start, so a press and release between two frames (fast taps, xdotool) would otherwise be lost.
struct KeyPress {
  int key, mods;
};
std::vector<KeyPress> g_key_presses;
void on_key(GLFWwindow*, int key, int, int action, int mods) {
  if (action == GLFW_PRESS) g_key_presses.push_back({key, mods});
}

std::vector<std::string> g_dropped;  // filled by the GLFW drop callback, consumed by the frame loop
void on_drop(GLFWwindow*, int count, const char** paths) {
  for (int i = 0; i < count; ++i) g_dropped.emplace_back(paths[i]);
}

void build_fonts(float pixels, bool backend_ready) {
  ImGuiIO& io = ImGui::GetIO();
  io.Fonts->Clear();
  const char* dejavu = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
  ImFont* font = nullptr;
  std::error_code ec;
  // Latin-1, Greek, the punctuation/math blocks the labels use (Δ^Φ, ξ_μ, ‖·‖, ≤, −, subscripts), geometric shapes (▼).
  static const ImWchar ranges[] = {0x0020, 0x00FF, 0x0370, 0x03FF, 0x2010, 0x2027, 0x2070,
                                   0x209F, 0x2200, 0x22FF, 0x25A0, 0x25FF, 0};
  if (std::filesystem::exists(dejavu, ec)) font = io.Fonts->AddFontFromFileTTF(dejavu, pixels, nullptr, ranges);
  if (!font) {
    ImFontConfig cfg;
    cfg.SizePixels = pixels;
    io.Fonts->AddFontDefault(&cfg);
  }
  if (backend_ready) {
    ImGui_ImplOpenGL3_DestroyFontsTexture();
    ImGui_ImplOpenGL3_CreateFontsTexture();
  }
}

std::string shader_dir(const char* argv0) {
  std::error_code ec;
  auto exe = std::filesystem::canonical("/proc/self/exe", ec);
  if (!ec && std::filesystem::exists(exe.parent_path() / "shaders" / "colormap.frag", ec)) {
    return (exe.parent_path() / "shaders").string();
  }
  (void)argv0;
  return UHOP_SHADER_DIR;
}

// The presets (session files) in assets/presets: next to the binary, a level or two up (build trees), or in the
// source tree. Each one's description becomes its tooltip.
std::vector<studio::UiContext::Preset> find_presets() {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::path exe = fs::canonical("/proc/self/exe", ec).parent_path();
  std::vector<fs::path> candidates = {exe / "assets" / "presets", exe / ".." / "assets" / "presets",
                                      exe / ".." / ".." / "assets" / "presets", fs::path(UHOP_PRESET_DIR)};
  std::vector<studio::UiContext::Preset> presets;
  for (const auto& dir : candidates) {
    if (!fs::is_directory(dir, ec)) continue;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
      if (entry.path().extension() != ".json") continue;
      studio::UiContext::Preset p;
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

// CPU time of the calling thread (the UI thread): what the frame itself costs, without time the scheduler gave to
// the worker or to llvmpipe's rasterizer threads on a busy machine.
double thread_cpu_ms() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec * 1e-6;
}

double ms_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

void write_dump(const std::string& path, const studio::StudioSnapshot& s, long frames) {
  std::ostringstream o;
  o << "frames=" << frames << "\n";
  o << "source=" << s.state.source << "\n";
  o << "memories=" << (s.memories ? s.memories->set.count() : 0) << "\n";
  o << "target=" << s.state.target << "\n";
  o << "stage1_steps=" << (s.stage1_log.empty() ? 0 : s.stage1_log.back().step) << "\n";
  o << "stage1_playing=" << (s.stage1_playing ? 1 : 0) << "\n";
  o << "stage2_steps=" << (s.retrieval_log.empty() ? 0 : s.retrieval_log.back().step) << "\n";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.9g", s.query.size() ? s.query.sum() : 0.0);
  o << "query_sum=" << buf << "\n";
  if (!s.stage1_log.empty()) {
    std::snprintf(buf, sizeof buf, "%.17g", s.stage1_log.back().loss);
    o << "stage1_loss=" << buf << "\n";
  }
  if (!s.retrieval_log.empty()) {
    std::snprintf(buf, sizeof buf, "%.17g", s.retrieval_log.back().error);
    o << "stage2_error=" << buf << "\n";
  }
  o << "session=" << s.session_path << "\n";
  o << "sweep=" << (s.sweep ? s.sweep->out_dir : "") << "\n";
  o << "error=" << s.error << "\n";
  const std::string text = o.str();
  uhop::write_bytes_atomically(path, text.data(), text.size());
}

// The window: OpenGL 3.3 core, at most 1600 x 1000 and never larger than the monitor.
GLFWwindow* open_window(bool bench) {
  glfwSetErrorCallback([](int code, const char* text) { std::fprintf(stderr, "GLFW error %d: %s\n", code, text); });
  if (!glfwInit()) {
    std::fprintf(stderr, "uhop-studio: cannot initialize GLFW (no display? try xvfb-run)\n");
    return nullptr;
  }
  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
  glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
  glfwWindowHint(GLFW_OPENGL_FORWARD_COMPAT, GL_TRUE);
  glfwWindowHint(GLFW_SCALE_TO_MONITOR, GLFW_TRUE);
  int win_w = 1600, win_h = 1000;
  if (GLFWmonitor* mon = glfwGetPrimaryMonitor()) {
    if (const GLFWvidmode* mode = glfwGetVideoMode(mon)) {
      win_w = std::min(win_w, mode->width);
      win_h = std::min(win_h, mode->height);
    }
  }
  GLFWwindow* window = glfwCreateWindow(win_w, win_h, "U-Hop Studio", nullptr, nullptr);
  if (!window) {
    std::fprintf(stderr, "uhop-studio: cannot create an OpenGL 3.3 window\n");
    glfwTerminate();
    return nullptr;
  }
  glfwMakeContextCurrent(window);
  glfwSwapInterval(bench ? 0 : 1);  // the bench measures CPU time per frame, not vsync waits
  glfwSetDropCallback(window, on_drop);
  glfwSetKeyCallback(window, on_key);  // before ImGui's backend, which chains to it
  return window;
}

// ImGui with its GLFW/OpenGL3 backends, style and fonts scaled from the monitor's content scale, the heatmap shader.
void init_imgui(GLFWwindow* window, studio::UiContext& ui, const Options& opt, const char* argv0) {
  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;  // a fixed, reproducible layout on every start (tests and screenshots rely on it)
  ImGui::StyleColorsDark();
  ImGuiStyle& style = ImGui::GetStyle();
  style.WindowRounding = 3;
  style.FrameRounding = 3;

  float xs = 1, ys = 1;
  glfwGetWindowContentScale(window, &xs, &ys);
  ui.content_scale = std::max(1.0f, std::max(xs, ys));  // HiDPI: bigger text and spacing
  style.ScaleAllSizes(ui.content_scale);
  ui.font_size = opt.font_size > 0 ? opt.font_size : 15 * ui.content_scale;
  build_fonts(ui.font_size, false);

  ImGui_ImplGlfw_InitForOpenGL(window, true);
  ImGui_ImplOpenGL3_Init("#version 330 core");
  if (!ui.heatmap_shader.init(shader_dir(argv0))) {
    std::fprintf(stderr, "uhop-studio: %s\n", ui.heatmap_shader.error().c_str());
  }
}

studio::StudioState initial_state(const Options& opt) {
  studio::StudioState initial;
  const bool bench = opt.bench_frames > 0;
  initial.source = bench ? "builtin:fashion-mnist" : opt.memories;
  if (bench) {
    initial.load.count = static_cast<int>(opt.bench_count);
    initial.stage1.batch = static_cast<int>(opt.bench_batch);
    if (opt.bench_batch > 0) initial.stage1.stats_every = 1 << 30;  // statistics when it stops, as a user would
  }
  return initial;
}

// The first commands: load the memories (Fashion-MNIST falls back to glyphs), then the --session, and for the
// bench, Stage I playing without a stop.
void start_worker(studio::StudioWorker& worker, studio::UiContext& ui, const Options& opt) {
  studio::Command load;
  load.kind = studio::CommandKind::load;
  load.path = worker.snapshot()->state.source;
  load.fallback_to_glyphs = load.path.rfind("builtin:fashion-mnist", 0) == 0;
  worker.push(load);
  if (!opt.session.empty()) {
    studio::Command c = studio::make_command(studio::CommandKind::load_session);
    c.path = opt.session;
    worker.push(c);
    std::snprintf(ui.session_path, sizeof ui.session_path, "%s", opt.session.c_str());
  }
  if (opt.bench_frames > 0) {
    studio::Command set = studio::make_set("stop_after", "0");
    set.settings.emplace_back("speed1", "0");
    worker.push(set);
    worker.push(studio::make_command(studio::CommandKind::stage1_play));
  }
}

// Dropped files: the first one is loaded as memories.
void handle_drops(studio::UiContext& ui) {
  if (g_dropped.empty()) return;
  const std::string& path = g_dropped.front();
  studio::Command c;
  c.kind = studio::CommandKind::load;
  c.path = path;
  ui.push(c);
  ui.set_status(g_dropped.size() > 1
                    ? "dropped " + std::to_string(g_dropped.size()) + " items: loading the first, " + path
                    : "loading dropped " + path);
  g_dropped.clear();
}

// Keys (recorded by on_key so fast taps are not lost): F12 screenshot, Ctrl+Q quit; and, unless a text field has
// the keyboard, Space play/pause Stage I, N one step, R reset, F1 help.
void handle_keys(studio::UiContext& ui, bool& quit) {
  const ImGuiIO& io = ImGui::GetIO();
  for (const KeyPress& k : g_key_presses) {
    if (k.key == GLFW_KEY_F12) ui.screenshot_requested = true;
    if (k.key == GLFW_KEY_Q && (k.mods & GLFW_MOD_CONTROL)) quit = true;
    if (io.WantTextInput || (k.mods & (GLFW_MOD_CONTROL | GLFW_MOD_ALT))) continue;  // typing into a field
    if (k.key == GLFW_KEY_SPACE) {
      ui.push(studio::make_command(ui.snap->stage1_playing ? studio::CommandKind::stage1_pause
                                                           : studio::CommandKind::stage1_play));
    } else if (k.key == GLFW_KEY_N) {
      ui.push(studio::make_command(studio::CommandKind::stage1_steps, 1));
    } else if (k.key == GLFW_KEY_R) {
      ui.push(studio::make_command(studio::CommandKind::stage1_reset));
    } else if (k.key == GLFW_KEY_F1) {
      ui.show_help = !ui.show_help;
    }
  }
  g_key_presses.clear();
}

// Builds and renders one ImGui frame into the default framebuffer (not yet swapped); returns its size.
std::pair<int, int> render_frame(GLFWwindow* window, studio::UiContext& ui, bool& quit) {
  ImGui_ImplOpenGL3_NewFrame();
  ImGui_ImplGlfw_NewFrame();
  ImGui::NewFrame();
  handle_keys(ui, quit);
  studio::draw_studio(ui);
  if (ui.quit_requested) quit = true;
  ImGui::Render();
  int fb_w = 0, fb_h = 0;
  glfwGetFramebufferSize(window, &fb_w, &fb_h);
  glViewport(0, 0, fb_w, fb_h);
  glClearColor(0.09f, 0.09f, 0.11f, 1);
  glClear(GL_COLOR_BUFFER_BIT);
  ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
  return {fb_w, fb_h};
}

void shoot(studio::UiContext& ui, const std::string& path, int fb_w, int fb_h) {
  try {
    studio::save_window_screenshot(path, fb_w, fb_h);
    ui.set_status("screenshot saved: " + path);
  } catch (const std::exception& e) {
    ui.set_status(e.what(), true);
  }
}

// --bench-frames: wall-clock and UI-thread CPU time of each frame while Stage I plays.
struct FrameBench {
  long frames = 0;
  std::vector<double> wall_ms, cpu_ms;

  bool enabled() const { return frames > 0; }
  // Records the frame; true when enough frames were measured.
  bool record(const studio::StudioSnapshot& snap, double frame_ms, double frame_cpu_ms, long frame) {
    if (!snap.has_session || !snap.stage1_playing) return false;
    wall_ms.push_back(frame_ms);
    cpu_ms.push_back(frame_cpu_ms);
    if (std::getenv("UHOP_BENCH_TRACE") && frame_ms > 16.7) {
      std::fprintf(stderr, "slow frame %ld: %.1f ms (snapshot %llu)\n", frame, frame_ms,
                   static_cast<unsigned long long>(snap.version));
    }
    return static_cast<long>(wall_ms.size()) >= frames;
  }
  void report(const studio::StudioSnapshot& snap) const {
    std::printf("bench: %zu frames while Stage I trains M = %d memories (%s), %d Stage I steps done\n", wall_ms.size(),
                snap.memories ? snap.memories->set.count() : 0, snap.state.source.c_str(),
                snap.stage1_log.empty() ? 0 : snap.stage1_log.back().step);
    auto line = [](const char* what, std::vector<double> v) {
      std::sort(v.begin(), v.end());
      auto pct = [&](double p) {
        return v.empty() ? 0.0 : v[std::min(v.size() - 1, static_cast<size_t>(p * v.size()))];
      };
      std::printf("%s (ms): p50 %.3f  p90 %.3f  p99 %.3f  max %.3f  (target p99 < 16.7)\n", what, pct(0.50), pct(0.90),
                  pct(0.99), v.empty() ? 0.0 : v.back());
    };
    line("frame UI-thread CPU time (build + submit)", cpu_ms);
    line("frame wall time (build + submit)         ", wall_ms);
  }
};
}  // namespace

// parse options -> open window -> start the worker and load -> frame loop -> write outputs.
int main(int argc, char** argv) {
  Options opt;
  if (!parse_args(argc, argv, opt)) {
    usage();
    return 2;
  }
  uhop::follow_free_cores();  // the numerics' threads follow the cores the render thread and others leave free
  FrameBench bench{opt.bench_frames, {}, {}};
  GLFWwindow* window = open_window(bench.enabled());
  if (!window) return 1;

  studio::UiContext ui;
  init_imgui(window, ui, opt, argv[0]);
  studio::StudioWorker worker(initial_state(opt));
  ui.worker = &worker;
  ui.bench_scroll = bench.enabled() && opt.bench_batch > 0;
  start_worker(worker, ui, opt);
  ui.presets = find_presets();
  studio::ScriptRunner script;
  if (!opt.script.empty()) script.load(opt.script, ui);

  long frame = 0;
  bool quit = false;
  while (!quit && !glfwWindowShouldClose(window)) {
    glfwPollEvents();
    const auto t0 = std::chrono::steady_clock::now();
    const double cpu0 = thread_cpu_ms();
    script.step(ui);
    const bool script_done = script.done(worker);
    ui.snap = worker.snapshot();
    handle_drops(ui);
    if (ui.font_dirty) {
      build_fonts(ui.font_size, true);
      ui.font_dirty = false;
    }
    const auto [fb_w, fb_h] = render_frame(window, ui, quit);
    const double frame_ms = ms_since(t0), frame_cpu_ms = thread_cpu_ms() - cpu0;
    ++frame;
    if (bench.enabled() && bench.record(*ui.snap, frame_ms, frame_cpu_ms, frame)) quit = true;
    if (!bench.enabled() && opt.frames > 0 && frame >= opt.frames && script_done) quit = true;

    const std::string scripted_shot = script.take_screenshot();
    if (!scripted_shot.empty()) shoot(ui, scripted_shot, fb_w, fb_h);
    if (ui.screenshot_requested) {
      shoot(ui, studio::next_export_path(ui.export_dir, "uhop-studio", "png"), fb_w, fb_h);
      ui.screenshot_requested = false;
    }
    if (quit && !opt.screenshot.empty()) shoot(ui, opt.screenshot, fb_w, fb_h);
    glfwSwapBuffers(window);
    // Outside the bench, cap at ~60 frames/s so the UI leaves the CPU to the worker (Xvfb has no vsync).
    if (!bench.enabled()) {
      const double left = 16.0 - ms_since(t0);
      if (left > 0) std::this_thread::sleep_for(std::chrono::duration<double, std::milli>(left));
    }
  }

  if (bench.enabled()) bench.report(*worker.snapshot());
  if (!opt.dump_state.empty()) {
    try {
      write_dump(opt.dump_state, *worker.snapshot(), frame);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "uhop-studio: %s\n", e.what());
    }
  }
  worker.cancel();
  ImGui_ImplOpenGL3_Shutdown();
  ImGui_ImplGlfw_Shutdown();
  ImGui::DestroyContext();
  glfwDestroyWindow(window);
  glfwTerminate();
  return script.had_errors() ? 3 : script.export_failed() ? 4 : 0;
}
