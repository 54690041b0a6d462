// The frame around the panels, shared by both mains (platform/desktop/main.cpp, platform/web/web_main.cpp): GLFW's
// API is the same on the desktop and on a browser <canvas> (Emscripten implements it), so input, shortcuts, fonts
// and one frame's logic and rendering are written once; the mains own the window, the loop and its pacing.
#include "frame_loop.h"

#include "gl.h"

#include <algorithm>
#include <GLFW/glfw3.h>
#include <imgui.h>
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>

#include <cmath>
#include <deque>
#include <filesystem>
#include <string>
#include <vector>

#include "capacity_panel.h"
#include "script_runner.h"
#include "studio_ui.h"

namespace studio {
namespace {
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
// A press elsewhere stops the story once the buttons are up again: the story bar's going moves every panel up, so
// stopping at the press would move the button under the pointer before its release and the click would be lost.
bool g_stop_story_after_release = false;
studio::PanelRect g_story_bar;  // where the bar was drawn last frame
void on_mouse_button(GLFWwindow* window, int button, int action, int) {
  double x = 0, y = 0;
  glfwGetCursorPos(window, &x, &y);
  const studio::PanelRect& r = g_story_bar;
  if (action == GLFW_PRESS) {
    const bool on_bar = x >= r.x && y >= r.y && x < r.x + r.w && y < r.y + r.h;
    (on_bar ? g_press_on_story_bar : g_stop_story_after_release) = true;
  }
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
// The same for keys: a key pressed and released between two frames (a quick tap, xdotool) left ImGui's KeysDown
// false, so Enter in a text field or Ctrl+A was lost. Such a key is held down for the one frame that sees the press.
std::vector<int> g_keys_tapped;            // held by us last frame: released now unless the user really holds them
std::vector<ImWchar> g_chars_after_chord;  // typed after a Ctrl/Alt tap in the same frame: handed over next frame
void feed_key_taps(ImGuiIO& io) {
  for (int key : g_keys_tapped) io.KeysDown[key] = false;
  if (!g_keys_tapped.empty()) {  // the modifiers as the keys really are (the backend sets them only on key events)
    io.KeyCtrl = io.KeysDown[GLFW_KEY_LEFT_CONTROL] || io.KeysDown[GLFW_KEY_RIGHT_CONTROL];
    io.KeyShift = io.KeysDown[GLFW_KEY_LEFT_SHIFT] || io.KeysDown[GLFW_KEY_RIGHT_SHIFT];
    io.KeyAlt = io.KeysDown[GLFW_KEY_LEFT_ALT] || io.KeysDown[GLFW_KEY_RIGHT_ALT];
  }
  g_keys_tapped.clear();
  if (!g_chars_after_chord.empty()) {  // before this frame's own characters, which came later
    ImVector<ImWchar>& queue = io.InputQueueCharacters;
    for (ImWchar c : std::vector<ImWchar>(queue.begin(), queue.end())) g_chars_after_chord.push_back(c);
    queue.resize(0);
    for (ImWchar c : g_chars_after_chord) queue.push_back(c);
    g_chars_after_chord.clear();
  }
  bool chord = false;
  for (const KeyPress& k : g_key_presses) {
    if (k.key < 0 || k.key >= static_cast<int>(IM_ARRAYSIZE(io.KeysDown)) || io.KeysDown[k.key]) continue;
    io.KeysDown[k.key] = true;  // with the modifiers held when it was pressed (Ctrl+A)
    io.KeyCtrl |= (k.mods & GLFW_MOD_CONTROL) != 0;
    io.KeyShift |= (k.mods & GLFW_MOD_SHIFT) != 0;
    io.KeyAlt |= (k.mods & GLFW_MOD_ALT) != 0;
    chord |= (k.mods & (GLFW_MOD_CONTROL | GLFW_MOD_ALT)) != 0;
    g_keys_tapped.push_back(k.key);
  }
  // A text field ignores characters while Ctrl is down: "Ctrl+A, then type" within one frame lost the first ones.
  if (chord) {
    g_chars_after_chord.assign(io.InputQueueCharacters.begin(), io.InputQueueCharacters.end());
    io.InputQueueCharacters.resize(0);
  }
}
void on_scroll(GLFWwindow*, double, double) {
  g_input = true;
}
void on_char(GLFWwindow*, unsigned int) {
  g_input = true;
}

// The session a drop holds: a .json file, or the one .json file of a dropped folder (a session with its side files,
// as the browser hands several files over); "" when none.
std::string dropped_session(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (fs::path(path).extension() == ".json") return path;
  if (!fs::is_directory(path, ec)) return "";
  std::string found;
  for (const auto& entry : fs::directory_iterator(path, ec)) {
    if (entry.path().extension() != ".json") continue;
    if (!found.empty()) return "";  // two sessions: not one to open
    found = entry.path().string();
  }
  return found;
}

// Dropped files: the first one is loaded, as a session when it is one (File > Load session), else as memories.
void handle_drops(UiContext& ui) {
  if (g_dropped.empty()) return;
  const std::string& path = g_dropped.front();
  const std::string session = dropped_session(path);
  studio::Command c;
  c.kind = session.empty() ? studio::CommandKind::load : studio::CommandKind::load_session;
  c.path = session.empty() ? path : session;
  ui.push(c);
  ui.set_status(g_dropped.size() > 1
                    ? "dropped " + std::to_string(g_dropped.size()) + " items: loading the first, " + path
                    : "loading dropped " + path);
  g_dropped.clear();
}

// Keys (recorded by on_key so fast taps are not lost): F12 screenshot, Ctrl+Q quit, F5 presentation layout, Esc
// ends the story; in the tour Right/Page Down next and Left/Page Up back (a presenter's clicker); and, unless a text
// field has the keyboard, Space play/pause Stage I, N one step, R reset Stage I, F1 help.
void handle_keys(UiContext& ui, bool& quit) {
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
}  // namespace

void install_input_callbacks(GLFWwindow* window) {
  glfwSetDropCallback(window, on_drop);
  glfwSetKeyCallback(window, on_key);
  glfwSetMouseButtonCallback(window, on_mouse_button);
  glfwSetScrollCallback(window, on_scroll);
  glfwSetCharCallback(window, on_char);
}

void drop_paths(const std::vector<std::string>& paths) {
  for (const std::string& p : paths) g_dropped.push_back(p);
  g_input = true;
}

void build_fonts(UiContext& ui, float pixels, bool backend_ready) {
  ImGuiIO& io = ImGui::GetIO();
  io.Fonts->Clear();
  // Debian's fonts-dejavu on the desktop; the browser build preloads a copy into its virtual /data.
  const char* dejavu = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
  std::error_code ec;
  if (!std::filesystem::exists(dejavu, ec)) dejavu = "/data/DejaVuSans.ttf";
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

bool prepare_frame(UiContext& ui, StudioWorker& worker, ScriptRunner& script, FrameState& f, double now_seconds) {
  const bool buttons_up = g_button_changes.empty() && !g_buttons_fed[0] && !g_buttons_fed[1] && !g_buttons_fed[2];
  if (g_stop_story_after_release && buttons_up) g_input = true, g_stop_story_after_release = false;
  f.frames_since_input = g_input || g_stop_story_after_release ? 0 : f.frames_since_input + 1;
  if (g_input && ui.story.mode() == studio::StoryMode::autoplay) ui.story.stop();  // any input stops the story
  f.frames_since_input = g_press_on_story_bar ? 0 : f.frames_since_input;
  g_input = g_press_on_story_bar = false;
  g_story_bar = ui.story.active() && ui.rects.count("panel.story") ? ui.rects["panel.story"] : studio::PanelRect{};
  ui.snap = worker.snapshot();
  script.step(ui);
  ui.story.update(worker, now_seconds);
  if (ui.story.active() && ui.story.serial() != f.story_serial) {  // a step began: show its panels
    f.story_serial = ui.story.serial();
    for (const std::string& id : ui.story.current().show) ui.bring_to_front(id);
  }
  const bool script_done = script.done(worker);
  ui.snap = worker.snapshot();
  handle_drops(ui);
  if (ui.font_dirty || ui.wanted_font_size() != ui.applied_font_size) {
    build_fonts(ui, ui.wanted_font_size(), true);
    ui.font_dirty = false;
  }
  f.drawn_version = ui.snap->version;
  return script_done;
}

std::pair<int, int> render_frame(GLFWwindow* window, UiContext& ui, bool& quit) {
  ImGui_ImplOpenGL3_NewFrame();
  ImGui_ImplGlfw_NewFrame();
  feed_mouse_buttons(ImGui::GetIO());
  feed_key_taps(ImGui::GetIO());
  ImGui::NewFrame();
  handle_keys(ui, quit);
  studio::draw_studio(ui);
  if (ui.quit_requested) quit = true;
  ImGui::Render();
  if (ui.gather_cut_text) {
    // Counted when cut in two frames running: a window that auto-resizes to new content shows it one frame late,
    // a flicker no one sees; text cut for longer is seen.
    std::vector<CutText> now = find_cut_text(ImGui::GetDrawData());
    for (const CutText& cut : now) {
      const auto same = [&](const CutText& c) { return c.window == cut.window && c.line == cut.line; };
      if (std::any_of(ui.cut_text_last_frame.begin(), ui.cut_text_last_frame.end(), same) &&
          std::none_of(ui.cut_text_seen.begin(), ui.cut_text_seen.end(), same))
        ui.cut_text_seen.push_back(cut);
    }
    ui.cut_text_last_frame = std::move(now);
  }
  int fb_w = 0, fb_h = 0;
  glfwGetFramebufferSize(window, &fb_w, &fb_h);
  glViewport(0, 0, fb_w, fb_h);
  glClearColor(0.09f, 0.09f, 0.11f, 1);
  glClear(GL_COLOR_BUFFER_BIT);
  ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
  return {fb_w, fb_h};
}

bool needs_frames(const UiContext& ui, const StudioWorker& worker, const ScriptRunner& script, const FrameState& f) {
  const ImGuiIO& io = ImGui::GetIO();
  return !worker.idle() || studio::capacity_busy() || ui.snap->version != f.drawn_version || !script.done(worker) ||
         (ui.story.active() && ui.story.seconds_to_next_event(0) == 0) || f.frames_since_input < 3 || io.MouseDown[0] ||
         io.MouseDown[1] || !g_button_changes.empty() || ui.font_dirty;
}

}  // namespace studio
