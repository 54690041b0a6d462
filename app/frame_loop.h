// The frame around the panels, shared by both mains (frame_loop.cpp says why). Call order per frame:
// [events] -> prepare_frame -> render_frame -> [swap]; install_input_callbacks once, before ImGui's GLFW backend
// (which chains to ours).
#pragma once
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

struct GLFWwindow;

namespace studio {
struct UiContext;
class StudioWorker;
class ScriptRunner;

struct FrameState {
  int frames_since_input = 0;
  int story_serial = 0;
  uint64_t drawn_version = 0;  // the snapshot version the last frame drew
};

// Key, button, wheel, text and drop callbacks: fast taps and double clicks between two frames are kept; any input
// but a capture key or the story bar's own buttons stops the story's autoplay.
void install_input_callbacks(GLFWwindow* window);
// Files the platform received (the browser's picker or drop): handled like a GLFW drop, the first one loaded.
void drop_paths(const std::vector<std::string>& paths);
// The UI font and the story's caption font (1.3x), DejaVu Sans when installed; the style's sizes follow the font.
void build_fonts(UiContext& ui, float pixels, bool backend_ready);
// Before drawing: input since the last frame, the worker's snapshot, a script line, the story, drops, fonts.
// Returns whether the script has finished.
bool prepare_frame(UiContext& ui, StudioWorker& worker, ScriptRunner& script, FrameState& f, double now_seconds);
// Builds and renders one ImGui frame (shortcuts included) into the default framebuffer, not yet swapped; returns its
// size. Sets quit on Ctrl+Q or File > Quit.
std::pair<int, int> render_frame(GLFWwindow* window, UiContext& ui, bool& quit);
// Whether the next frame must come at once (something moves or may move) or the loop may wait for an event.
bool needs_frames(const UiContext& ui, const StudioWorker& worker, const ScriptRunner& script, const FrameState& f);
}  // namespace studio
