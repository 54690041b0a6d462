// U-Hop Studio on the desktop: watch U-Hop's two stages work. This file is the desktop controller: the window, flags,
// the script runner, screenshots, --dump-state and the frame loop; input, fonts and one frame are in frame_loop.cpp
// (shared with the browser main, platform/web/web_main.cpp). Panels are in panel_*.cpp; the numerics run on the worker.
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
#include <csignal>
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
#include "frame_loop.h"
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
  bool allow_large = false;                     // --allow-large: a --state link over the session budget opens
  std::string state;                            // --state LINK
  std::vector<studio::Command> state_commands;  // --state: the link's replay
  // The story plays unless the user asked for something specific (capture flags do not count).
  bool story() const {
    return !no_story && !memories_given && session.empty() && script.empty() && state_commands.empty() &&
           bench_frames == 0;
  }
};

void usage() {
  std::fprintf(stderr,
               "usage: uhop-studio [--memories SRC] [--session FILE] [--script FILE] [--state URL [--allow-large]]\n"
               "                   [--no-story]\n"
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
    if (a == "--no-story" || a == "--allow-large") {
      (a == "--no-story" ? o.no_story : o.allow_large) = true;
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
        if (x == std::string::npos)
          throw uhop::InputError("--window: expected WxH, e.g. 1280x720, got " + uhop::quoted_excerpt(v));
        o.window_w = static_cast<int>(uhop::parse_whole_number(v.substr(0, x), 320, 16384, "--window width"));
        o.window_h = static_cast<int>(uhop::parse_whole_number(v.substr(x + 1), 240, 16384, "--window height"));
      } else if (a == "--script") {
        o.script = v;
      } else if (a == "--screenshot") {
        o.screenshot = v;
      } else if (a == "--session") {
        o.session = v;
      } else if (a == "--state") {
        o.state = v;  // parsed after the loop: --allow-large may come after it
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
        if (f < 6 || f > 96) throw uhop::InputError("--font-size: expected 6..96, got " + uhop::quoted_excerpt(v));
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
  try {
    if (!o.state.empty()) o.state_commands = studio::link_commands(studio::parse_link(o.state, o.allow_large));
  } catch (const uhop::InputError& e) {
    std::fprintf(stderr, "uhop-studio: %s\n", e.what());
    return false;
  }
  if (o.allow_large && o.state.empty()) {
    std::fprintf(stderr,
                 "uhop-studio: --allow-large goes with --state LINK (a session over the budget: Open anyway)\n");
    return false;
  }
  return true;
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
  studio::install_input_callbacks(window);
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
  studio::build_fonts(ui, ui.wanted_font_size(), false);

  ImGui_ImplGlfw_InitForOpenGL(window, true);
  ImGui_ImplOpenGL3_Init("#version 330 core");
  if (!ui.heatmap_shader.init(shader_dir(argv0))) {
    std::fprintf(stderr, "uhop-studio: %s\n", ui.heatmap_shader.error().c_str());
  }
}

studio::StudioState initial_state(const Options& opt) {
  studio::StudioState initial;
  initial.exports.folder = studio::remembered_export_folder();  // where the last export was saved (save_dialog.h)
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

// parse options -> open window -> start the worker and load -> frame loop -> write outputs.
int main(int argc, char** argv) {
  Options opt;
  if (!parse_args(argc, argv, opt)) {
    usage();
    return 2;
  }
  // A FIFO or pipe output whose reader quits (--dump-state, an export, a recording) is an error message, not a
  // death by SIGPIPE: writes get EPIPE instead (core/io/atomic_file.cpp reports it).
  std::signal(SIGPIPE, SIG_IGN);
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
  ui.gather_cut_text = !opt.dump_state.empty();  // a diagnostic for the --dump-state reader; draws nothing
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
  studio::FrameState fs;
  std::string last_dump;
  auto last_dump_time = std::chrono::steady_clock::now();
  const auto clock_s = [] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
  };
  while (!quit && !glfwWindowShouldClose(window)) {
    // Wait for events while nothing moves (an idle Studio uses no CPU to speak of); at most 0.5 s, so a blinking
    // text cursor and the story's timed steps still advance. The bench measures frames: it never waits.
    if (frame == 0 || bench.enabled() || studio::needs_frames(ui, worker, script, fs)) {
      glfwPollEvents();
    } else {
      glfwWaitEventsTimeout(std::clamp(ui.story.seconds_to_next_event(clock_s()), 0.001, 0.5));
    }
    const auto t0 = std::chrono::steady_clock::now();
    const double cpu0 = thread_cpu_ms();
    const bool script_done = studio::prepare_frame(ui, worker, script, fs, clock_s());
    const auto [fb_w, fb_h] = studio::render_frame(window, ui, quit);
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
