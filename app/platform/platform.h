// What differs between the Studio's targets, behind one narrow interface (Dear ImGui's backends/ and Polyscope's
// render engine are the models): the portable Studio (state, commands, worker, story, panels) calls these and never
// a window system, a file dialog or the browser directly. One implementation per target:
//   app/platform/desktop/  GLFW + OpenGL 3.3, the file system, ffmpeg and cairo (uhop-studio)
//   app/platform/web/      Emscripten: GLFW on a <canvas>, WebGL 2, downloads, the browser's clipboard and picker
// Only app/platform/web/ and core/*/web/ know the browser (tests/repo/check_layers.sh checks it).
#pragma once
#include <string>

namespace studio::platform {
// The clipboard (desktop: the window system's; web: navigator.clipboard, with the page's own copy as fallback).
void copy_text(const std::string& text);
std::string pasted_text();

// Bytes the user asked for (an export, a session file): desktop writes `path` atomically; web offers the file's
// name as a download. Throws std::runtime_error / uhop::InputError when it cannot.
void save_bytes(const std::string& path, const std::string& bytes);

// "Open files": desktop opens nothing itself (paths come from text fields and drag & drop); web shows the browser's
// file picker and loads the chosen files on a later frame as a drop would (one file by its path, several as their
// folder).
bool can_pick_files();
void pick_files();

// Whether background work may have threads (desktop: yes; web: no, the worker and the capacity lab are pumped
// between frames).
bool has_threads();
// Whether the recorder (GIF, MP4, PNG frames) is offered (desktop: on its own thread; web: pumped between frames,
// GIF and PNG frames only). Whether File > Quit and Ctrl+Q mean anything (a browser tab is closed by the browser).
bool can_record();
bool can_quit();
// What this target can do: MP4 recording needs ffmpeg on PATH, PDF exports need cairo (desktop only).
bool can_record_video();
bool can_export_pdf();
// Whether the user has folders to choose (desktop: yes; web: no, every saved file becomes a download), so the save
// dialog asks for a folder and remembers it across runs.
bool has_folders();
// The place this target writes outputs (desktop: the export folder as given; web: a virtual folder of downloads).
const char* name();
}  // namespace studio::platform
