// The File menu's link entries: "Copy link" puts the current state (state_link.h) on the clipboard; "Open link from
// clipboard" rebuilds a pasted link. A bad link is refused with a message in the status bar; the Studio keeps what
// it shows.
#pragma once
#include <string>

#include "studio_ui.h"

namespace studio {
void copy_link(UiContext& ui);
// Parses `text` (URL or fragment) and replays it: the worker's commands, then the views and layout. False (with the
// reason in the status bar) when the link is refused. A link over the session budget is kept in ui.refused_link: the
// status bar offers "Open anyway", which opens it with allow_large.
bool open_link(UiContext& ui, const std::string& text, bool allow_large = false);
void link_menu_items(UiContext& ui);
}  // namespace studio
