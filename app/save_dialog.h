// The save dialog every export of the GUI goes through (plots, heatmaps, images, the landscape): folder, name and
// format, drawn by ImGui. It opens in the remembered export folder, never writes silently into the working
// directory, asks before replacing a file, and says what went wrong inside the dialog (which stays open).
// The folder of a successful save is remembered: in the session (export_folder, saved with sessions) and across
// runs in $XDG_CONFIG_HOME/uhop-studio/export-folder (~/.config when unset). The browser has no folders: there the
// dialog asks for the name and format and the file becomes a download.
//
// F12 screenshots stay one key press: they go, auto-named, into the same remembered folder (the status bar says
// where). Scripts (export-plot PATH) name their files themselves and are not asked.
#pragma once
#include <functional>
#include <string>
#include <vector>

namespace studio {
struct UiContext;

struct SaveRequest {
  std::string stem;                                    // the auto name's stem: "loss" -> loss-001.svg
  std::string what;                                    // for the title: "the loss plot"
  std::vector<std::string> formats;                    // extensions offered ("svg", "png", ...)
  std::string format;                                  // the one chosen at first
  std::function<void(const std::string& path)> write;  // writes the file (atomically); throws on failure
};

struct SaveDialogState {
  bool open_requested = false;
  SaveRequest request;
  char folder[1024] = "";
  char name[256] = "";
  int format = 0;
  std::string error;         // shown in the dialog
  std::string error_drawn;   // the error as drawn this frame (--dump-state: consistent with the rects beside it)
  std::string replace_path;  // set when the chosen file exists: the next Save replaces it
  bool shown = false;        // on screen, placed and sized (for --dump-state)
  int frames_open = 0;       // ImGui sizes and centres a new modal over its first frames: rects settle after
  std::string active;        // the field being edited: "folder", "name" or "" (for --dump-state)
};

// Opens the dialog for `request` (the next frame shows it).
void ask_save(UiContext& ui, SaveRequest request);
// Draws the dialog when open; call once per frame.
void save_dialog(UiContext& ui);

// The export folder remembered across runs ("" when none, or when it no longer is a folder), and remembering one.
std::string remembered_export_folder();
void remember_export_folder(const std::string& folder);

// Where `name` (a file name with an extension) lands in `folder`, as the dialog resolves it: the folder made absolute
// ("" = the working directory), the extension replaced by `format`'s when it is another or missing. Empty when the
// name is empty or holds a '/'.
std::string save_path(const std::string& folder, const std::string& name, const std::string& format);
}  // namespace studio
