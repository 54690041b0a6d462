// U-Hop Studio: watch U-Hop's two stages work. This file is the controller: window, fonts, flags, the script runner,
// the story, keyboard shortcuts, screenshots and the frame loop. Panels are in panel_*.cpp; the numerics run on the
// worker.
//
// Flags:
//   --memories SRC       initial memories (default builtin:fashion-mnist, falling back to builtin:glyphs)
//   --script FILE        commands (see studio_commands.h) run in order, each after the previous one finished
//   --session FILE       start from a session file (see core/session/session_file.h); a bad file is reported and the
//                        default memories stay loaded
//   --state TEXT         rebuild the state of a link (a whole URL or its '#s=...' fragment, see state_link.h); a
//                        malformed link is refused with exit status 2
//   --no-story           do not play the guided story at start
//   For tests and capture (they never change what the app does):
//   --frames N           quit after N frames (with --script: not before the script has finished)
//   --screenshot FILE    PNG of the whole window written just before quitting
//   --dump-state FILE    a text summary of the state, rewritten (atomically) while it changes and on exit
//   --window WxH         the initial window size (default: 1600x1000, at most the monitor)
//   --font-size PX       text size (default 15, times the monitor's content scale)
//   --bench-frames N     render N frames while Stage I trains M = 1000 Fashion-MNIST memories; print frame CPU times
//   --bench-count M      the bench's M (default 1000; 60000 is the whole training set)
//   --bench-batch B      the bench trains mini-batches of B (default 0: full batch); the memory grid scrolls a row
//                        per frame, so the thumbnail cache is exercised
// Started without --memories, --session or --script (capture flags do not count), the Studio plays its guided story.
// Exit status: 0; 2 for bad flags; 3 when the --script had errors, at parse time or when a command failed (reported
// on screen and on stderr); 4 when a script export-plot/export-image failed.
#include "gl.h"
#include "io/cpu_load.h"

#include <GLFW/glfw3.h>
#include <imgui.h>
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <deque>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <set>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <ctime>
#include <unistd.h>
#include <vector>

#include "io/atomic_file.h"
#include "numerics/input_error.h"
#include "numerics/number_text.h"
#include "capacity_panel.h"
#include "dump_state.h"
#include "export_names.h"
#include "screenshot.h"
#include "session/session_file.h"
#include "script_runner.h"
#include "studio_ui.h"

namespace {
struct Options {
  std::string memories = "builtin:fashion-mnist";
  bool memories_given = false;
  std::string script, screenshot, dump_state, session;
  long frames = 0;
  long bench_frames = 0, bench_count = 1000, bench_batch = 0;
  float font_size = 0;
  int window_w = 0, window_h = 0;
  bool no_story = false;
  std::vector<studio::Command> state_commands;  // --state: the link's replay
  // The story plays unless the user asked for something specific (capture flags do not count).
  bool story() const {
    return !no_story && !memories_given && session.empty() && script.empty() && state_commands.empty() &&
           bench_frames == 0;
  }
};

void usage() {
  std::fprintf(stderr,
               "usage: uhop-studio [--memories SRC] [--session FILE] [--script FILE] [--state URL] [--no-story]\n"
               "                   [--frames N] [--screenshot FILE] [--dump-state FILE] [--window WxH]\n"
               "                   [--font-size PX] [--bench-frames N [--bench-count M] [--bench-batch B]]\n");
}

// Flags are parsed strictly, like uhop's (cli/cli_args.h): a flag given twice, an empty value and a number out of
// range (core/numerics/number_text.h) are refused with exit status 2.
bool parse_args(int argc, char** argv, Options& o) {
  std::set<std::string> seen;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--help" || a == "-h") {
      usage();
      std::exit(0);
    }
    if (a == "--no-story") {
      o.no_story = true;
      continue;
    }
    if (i + 1 >= argc) {
      std::fprintf(stderr, "uhop-studio: %s needs a value\n", uhop::text_excerpt(a).c_str());
      return false;
    }
    std::string v = argv[++i];
    if (!seen.insert(a).second) {
      std::fprintf(stderr, "uhop-studio: %s given twice\n", uhop::text_excerpt(a).c_str());
      return false;
    }
    if (v.empty()) {
      std::fprintf(stderr, "uhop-studio: %s needs a value, got an empty one\n", uhop::text_excerpt(a).c_str());
      return false;
    }
    try {
      if (a == "--memories") {
        o.memories = v;
        o.memories_given = true;
      } else if (a == "--window") {
        const auto x = v.find('x');
        if (x == std::string::npos) throw uhop::InputError("--window: expected WxH, e.g. 1280x720, got '" + v + "'");
        o.window_w = static_cast<int>(uhop::parse_whole_number(v.substr(0, x), 320, 16384, "--window width"));
        o.window_h = static_cast<int>(uhop::parse_whole_number(v.substr(x + 1), 240, 16384, "--window height"));
      } else if (a == "--script") {
        o.script = v;
      } else if (a == "--screenshot") {
        o.screenshot = v;
      } else if (a == "--session") {
        o.session = v;
      } else if (a == "--state") {
        o.state_commands = studio::link_commands(studio::parse_link(v));
      } else if (a == "--dump-state") {
        o.dump_state = v;
      } else if (a == "--frames" || a == "--bench-frames") {
        (a == "--frames" ? o.frames : o.bench_frames) = uhop::parse_whole_number(v, 1, 100000000, a);
      } else if (a == "--bench-count") {
        o.bench_count = uhop::parse_whole_number(v, 2, uhop::kMaxSessionMemories, a);
      } else if (a == "--bench-batch") {
        o.bench_batch = uhop::parse_whole_number(v, 0, uhop::kMaxSessionMemories, a);
      } else if (a == "--font-size") {
        const double f = uhop::parse_real_number(v, a);
        if (f < 6 || f > 96) throw uhop::InputError("--font-size: expected 6..96, got '" + v + "'");
        o.font_size = static_cast<float>(f);
      } else {
        std::fprintf(stderr, "uhop-studio: unknown flag %s\n", uhop::text_excerpt(a).c_str());
        return false;
      }
    } catch (const uhop::InputError& e) {
      std::fprintf(stderr, "uhop-studio: %s\n", e.what());
      return false;
    }
  }
  return true;
}

// Input the user gave since the last frame (keys, buttons, wheel, text, drops; not plain mouse motion): it stops the
// story's autoplay and keeps the frame loop awake for a few frames (ImGui settles hover and popups over 2-3 frames).
bool g_input = false;

// Key presses recorded by our GLFW callback (ImGui's backend chains to it): ImGui 1.86 only sees keys held at
// frame start, so a press and release between two frames (fast taps, xdotool) would otherwise be lost.
struct KeyPress {
  int key, mods;
};
std::vector<KeyPress> g_key_presses;
void on_key(GLFWwindow*, int key, int, int action, int mods) {
  if (action != GLFW_PRESS) return;  // a release is the end of an input already counted
  g_key_presses.push_back({key, mods});
  // A screenshot (F12), the presentation layout (F5) or quitting (Ctrl+Q) is not an intervention: the story goes on.
  const bool capture = key == GLFW_KEY_F12 || key == GLFW_KEY_F5 || (key == GLFW_KEY_Q && (mods & GLFW_MOD_CONTROL)) ||
                       key == GLFW_KEY_LEFT_CONTROL || key == GLFW_KEY_RIGHT_CONTROL;
  if (!capture) g_input = true;
}

std::vector<std::string> g_dropped;  // filled by the GLFW drop callback, consumed by the frame loop
void on_drop(GLFWwindow*, int count, const char** paths) {
  for (int i = 0; i < count; ++i) g_dropped.emplace_back(paths[i]);
  g_input = true;
}

// Mouse button changes in the order they came. ImGui 1.86's GLFW backend reads the buttons once per frame, so a
// fast double click whose release and second press fall between two frames (a slow frame, xdotool) counted once;
// feed_mouse_buttons() hands ImGui at most one change per frame instead.
struct ButtonChange {
  int button;
  bool down;
};
std::deque<ButtonChange> g_button_changes;
bool g_buttons_fed[3] = {false, false, false};
bool g_press_on_story_bar = false;  // the last press hit the story's own bar (its buttons are not "any input")
studio::PanelRect g_story_bar;      // where the bar was drawn last frame
void on_mouse_button(GLFWwindow* window, int button, int action, int) {
  double x = 0, y = 0;
  glfwGetCursorPos(window, &x, &y);
  const studio::PanelRect& r = g_story_bar;
  if (action == GLFW_PRESS)
    (x >= r.x && y >= r.y && x < r.x + r.w && y < r.y + r.h ? g_press_on_story_bar : g_input) = true;
  if (button >= 0 && button < 3) g_button_changes.push_back({button, action == GLFW_PRESS});
}
// After the backend's NewFrame (which polled the buttons): the next queued change, the rest wait for later frames.
void feed_mouse_buttons(ImGuiIO& io) {
  while (!g_button_changes.empty()) {
    const ButtonChange c = g_button_changes.front();
    g_button_changes.pop_front();
    if (g_buttons_fed[c.button] != c.down) {
      g_buttons_fed[c.button] = c.down;
      break;
    }
  }
  for (int b = 0; b < 3; ++b) io.MouseDown[b] = g_buttons_fed[b];
}
void on_scroll(GLFWwindow*, double, double) {
  g_input = true;
}
void on_char(GLFWwindow*, unsigned int) {
  g_input = true;
}

// The UI font and the story's caption font (1.3x), DejaVu Sans when installed; the style's sizes follow the font
// (15 px = 1x) so padding and spacing grow with the text on a projector or a HiDPI screen.
void build_fonts(studio::UiContext& ui, float pixels, bool backend_ready) {
  ImGuiIO& io = ImGui::GetIO();
  io.Fonts->Clear();
  const char* dejavu = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
  std::error_code ec;
  const bool have_dejavu = std::filesystem::exists(dejavu, ec);
  // Latin-1, Greek, the punctuation/math blocks the labels use (Δ^Φ, ξ_μ, ‖·‖, ≤, −, subscripts), geometric shapes (▼).
  static const ImWchar ranges[] = {0x0020, 0x00FF, 0x0370, 0x03FF, 0x2010, 0x2027, 0x2070,
                                   0x209F, 0x2200, 0x22FF, 0x25A0, 0x25FF, 0};
  const auto add = [&](float px) {
    ImFont* font = have_dejavu ? io.Fonts->AddFontFromFileTTF(dejavu, px, nullptr, ranges) : nullptr;
    if (!font) {
      ImFontConfig cfg;
      cfg.SizePixels = px;
      font = io.Fonts->AddFontDefault(&cfg);
    }
    return font;
  };
  add(pixels);
  ui.caption_font = add(std::round(pixels * 1.3f));
  ui.applied_font_size = pixels;
  ImGuiStyle& style = ImGui::GetStyle();
  style = ImGuiStyle();
  ImGui::StyleColorsDark(&style);
  style.WindowRounding = 3;
  style.FrameRounding = 3;
  style.ScaleAllSizes(pixels / 15.0f);
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

// Milliseconds since the process started (its start time in /proc/self/stat, in clock ticks since boot).
double ms_since_process_start() {
  FILE* f = std::fopen("/proc/self/stat", "r");
  if (!f) return -1;
  char buf[1024];
  const size_t n = std::fread(buf, 1, sizeof buf - 1, f);
  std::fclose(f);
  buf[n] = 0;
  const char* p = std::strrchr(buf, ')');  // the command name may hold spaces; fields resume after it
  unsigned long long start = 0;
  for (int field = 3; p && *p && field <= 22; ++field) {
    p = std::strchr(p + 1, ' ');  // the space before field `field`
    if (p && field == 22) start = std::strtoull(p + 1, nullptr, 10);
  }
  timespec now{};
  clock_gettime(CLOCK_BOOTTIME, &now);
  return (now.tv_sec + now.tv_nsec * 1e-9) * 1e3 - static_cast<double>(start) * 1e3 / sysconf(_SC_CLK_TCK);
}

// The window: OpenGL 3.3 core, at most 1600 x 1000 and never larger than the monitor.
GLFWwindow* open_window(const Options& opt) {
  const bool bench = opt.bench_frames > 0;
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
  if (opt.window_w > 0) win_w = opt.window_w, win_h = opt.window_h;
  GLFWwindow* window = glfwCreateWindow(win_w, win_h, "U-Hop Studio", nullptr, nullptr);
  if (!window) {
    std::fprintf(stderr, "uhop-studio: cannot create an OpenGL 3.3 window\n");
    glfwTerminate();
    return nullptr;
  }
  glfwMakeContextCurrent(window);
  glfwSwapInterval(bench ? 0 : 1);  // the bench measures CPU time per frame, not vsync waits
  // Ours before ImGui's backend, which chains to them.
  glfwSetDropCallback(window, on_drop);
  glfwSetKeyCallback(window, on_key);
  glfwSetMouseButtonCallback(window, on_mouse_button);
  glfwSetScrollCallback(window, on_scroll);
  glfwSetCharCallback(window, on_char);
  return window;
}

// ImGui with its GLFW/OpenGL3 backends, fonts (and the style's sizes) scaled from the monitor's content scale, the
// heatmap shader.
void init_imgui(GLFWwindow* window, studio::UiContext& ui, const Options& opt, const char* argv0) {
  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;  // a fixed, reproducible layout on every start (tests and screenshots rely on it)
  float xs = 1, ys = 1;
  glfwGetWindowContentScale(window, &xs, &ys);
  ui.content_scale = std::max(1.0f, std::max(xs, ys));  // HiDPI: bigger text and spacing
  ui.font_size = opt.font_size > 0 ? opt.font_size : 15 * ui.content_scale;
  build_fonts(ui, ui.wanted_font_size(), false);

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

// The first commands: load the memories (Fashion-MNIST falls back to glyphs) unless the story loads its own, then
// the --session, and for the bench, Stage I playing without a stop.
void start_worker(studio::StudioWorker& worker, studio::UiContext& ui, const Options& opt) {
  if (opt.story()) {
    ui.story.start(studio::StoryMode::autoplay);
  } else if (opt.state_commands.empty()) {  // a link loads its own memories
    studio::Command load;
    load.kind = studio::CommandKind::load;
    load.path = worker.snapshot()->state.source;
    load.fallback_to_glyphs = load.path.rfind("builtin:fashion-mnist", 0) == 0;
    worker.push(load);
  }
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

// Keys (recorded by on_key so fast taps are not lost): F12 screenshot, Ctrl+Q quit, F5 presentation layout, Esc
// ends the story; in the tour Right/Page Down next and Left/Page Up back (a presenter's clicker); and, unless a text
// field has the keyboard, Space play/pause Stage I, N one step, R reset Stage I, F1 help.
void handle_keys(studio::UiContext& ui, bool& quit) {
  const ImGuiIO& io = ImGui::GetIO();
  for (const KeyPress& k : g_key_presses) {
    if (k.key == GLFW_KEY_F12) ui.screenshot_requested = true;
    if (k.key == GLFW_KEY_Q && (k.mods & GLFW_MOD_CONTROL)) quit = true;
    if (k.key == GLFW_KEY_F5) {
      ui.layout = ui.layout == studio::LayoutMode::presentation ? studio::LayoutMode::standard
                                                                : studio::LayoutMode::presentation;
    }
    if (k.key == GLFW_KEY_ESCAPE && ui.story.active()) ui.story.stop();
    if (ui.story.mode() == studio::StoryMode::tour && !io.WantTextInput) {
      if (k.key == GLFW_KEY_RIGHT || k.key == GLFW_KEY_PAGE_DOWN) ui.story.next();
      if (k.key == GLFW_KEY_LEFT || k.key == GLFW_KEY_PAGE_UP) ui.story.back();
    }
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
  feed_mouse_buttons(ImGui::GetIO());
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
    ui.export_failed = true;
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

// Whether the next frame must come at once (something moves or may move) or the loop may wait for an event.
bool needs_frames(const studio::UiContext& ui, const studio::StudioWorker& worker, const studio::ScriptRunner& script,
                  uint64_t drawn_version, int frames_since_input) {
  const ImGuiIO& io = ImGui::GetIO();
  return !worker.idle() || studio::capacity_busy() || ui.snap->version != drawn_version || !script.done(worker) ||
         (ui.story.active() && ui.story.seconds_to_next_event(0) == 0) || frames_since_input < 3 || io.MouseDown[0] ||
         io.MouseDown[1] || !g_button_changes.empty() || ui.font_dirty;
}

// parse options -> open window -> start the worker and load -> frame loop -> write outputs.
int main(int argc, char** argv) {
  Options opt;
  if (!parse_args(argc, argv, opt)) {
    usage();
    return 2;
  }
  uhop::follow_free_cores();  // the numerics' threads follow the cores the render thread and others leave free
  FrameBench bench{opt.bench_frames, {}, {}};
  GLFWwindow* window = open_window(opt);
  if (!window) return 1;

  studio::UiContext ui;
  init_imgui(window, ui, opt, argv[0]);
  // Owned here and stopped before GLFW is shut down: its publish callback posts GLFW events.
  auto worker_owner = std::make_unique<studio::StudioWorker>(initial_state(opt));
  studio::StudioWorker& worker = *worker_owner;
  worker.set_on_publish([] { glfwPostEmptyEvent(); });  // a new snapshot wakes an idle frame loop
  ui.worker = &worker;
  ui.bench_scroll = bench.enabled() && opt.bench_batch > 0;
  ui.snap = worker.snapshot();
  start_worker(worker, ui, opt);
  studio::ScriptRunner script;
  if (!opt.script.empty()) script.load(opt.script, ui);
  if (!opt.state_commands.empty()) script.run(opt.state_commands);
  ui.presets = studio::find_presets();

  long frame = 0;
  bool quit = false;
  double first_frame_ms = -1;
  uint64_t drawn_version = 0;
  int frames_since_input = 0;
  int story_serial = 0;
  std::string last_dump;
  auto last_dump_time = std::chrono::steady_clock::now();
  const auto clock_s = [] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
  };
  while (!quit && !glfwWindowShouldClose(window)) {
    // Wait for events while nothing moves (an idle Studio uses no CPU to speak of); at most 0.5 s, so a blinking
    // text cursor and the story's timed steps still advance. The bench measures frames: it never waits.
    if (frame == 0 || bench.enabled() || needs_frames(ui, worker, script, drawn_version, frames_since_input)) {
      glfwPollEvents();
    } else {
      glfwWaitEventsTimeout(std::clamp(ui.story.seconds_to_next_event(clock_s()), 0.001, 0.5));
    }
    const auto t0 = std::chrono::steady_clock::now();
    const double cpu0 = thread_cpu_ms();
    frames_since_input = g_input ? 0 : frames_since_input + 1;
    if (g_input && ui.story.mode() == studio::StoryMode::autoplay) ui.story.stop();  // any input stops the story
    frames_since_input = g_press_on_story_bar ? 0 : frames_since_input;
    g_input = g_press_on_story_bar = false;
    g_story_bar = ui.story.active() && ui.rects.count("panel.story") ? ui.rects["panel.story"] : studio::PanelRect{};
    ui.snap = worker.snapshot();
    script.step(ui);
    ui.story.update(worker, clock_s());
    if (ui.story.active() && ui.story.serial() != story_serial) {  // a step began: show its panels
      story_serial = ui.story.serial();
      for (const std::string& id : ui.story.current().show) ui.bring_to_front(id);
    }
    const bool script_done = script.done(worker);
    ui.snap = worker.snapshot();
    handle_drops(ui);
    if (ui.font_dirty || ui.wanted_font_size() != ui.applied_font_size) {
      build_fonts(ui, ui.wanted_font_size(), true);
      ui.font_dirty = false;
    }
    drawn_version = ui.snap->version;
    const auto [fb_w, fb_h] = render_frame(window, ui, quit);
    studio::record_frame(ui, fb_w, fb_h);  // a frame for the recorder when one is due (finalized when ui goes)
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
    if (first_frame_ms < 0) first_frame_ms = ms_since_process_start();
    // --dump-state: rewritten when it changes (at most 5 times a second), so tests can wait on the state.
    if (!opt.dump_state.empty() && ms_since(last_dump_time) >= 200) {
      const std::string text = dump_text(ui, frame, first_frame_ms);
      const std::string state = text.substr(text.find('\n') + 1);  // all but the frame count
      if (state != last_dump) {
        last_dump = state;
        last_dump_time = std::chrono::steady_clock::now();
        try {
          uhop::write_bytes_atomically(opt.dump_state, text.data(), text.size());
        } catch (const std::exception& e) {
          std::fprintf(stderr, "uhop-studio: %s\n", e.what());
        }
      }
    }
    // Outside the bench, cap at ~60 frames/s so the UI leaves the CPU to the worker (Xvfb has no vsync).
    if (!bench.enabled()) {
      const double left = 16.0 - ms_since(t0);
      if (left > 0) std::this_thread::sleep_for(std::chrono::duration<double, std::milli>(left));
    }
  }

  if (bench.enabled()) bench.report(*worker.snapshot());
  ui.snap = worker.snapshot();
  if (!opt.dump_state.empty()) {
    try {
      const std::string text = dump_text(ui, frame, first_frame_ms);
      uhop::write_bytes_atomically(opt.dump_state, text.data(), text.size());
    } catch (const std::exception& e) {
      std::fprintf(stderr, "uhop-studio: %s\n", e.what());
    }
  }
  const bool script_failed = script.had_errors() || script.runtime_errors(*ui.snap);
  worker.cancel();
  ui.snap.reset();
  worker_owner.reset();  // joins the worker thread
  ImGui_ImplOpenGL3_Shutdown();
  ImGui_ImplGlfw_Shutdown();
  ImGui::DestroyContext();
  glfwDestroyWindow(window);
  glfwTerminate();
  return script_failed ? 3 : script.export_failed() || ui.export_failed ? 4 : 0;
}
