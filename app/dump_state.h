// What tests and the browser page read of the running Studio: the --dump-state "key=value" lines (the web page keeps
// them in <pre id="uhop-state">) and the current state as a link (state_link.h). Shared by every platform's main.
#pragma once
#include <string>

#include "state_link.h"
#include "studio_ui.h"

namespace studio {
// The link's content for what is on screen now: the settings, the query's edits, the steps, the views and layout.
LinkContent current_link_content(UiContext& ui);
// "key=value" lines, the frame count first; `link=` holds make_link(current_link_content(ui)).
std::string dump_text(UiContext& ui, long frames, double first_frame_ms);
}  // namespace studio
