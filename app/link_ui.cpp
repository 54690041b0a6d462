#include "link_ui.h"

#include "dump_state.h"
#include "numerics/input_error.h"
#include "platform/platform.h"

namespace studio {
void copy_link(UiContext& ui) {
  const LinkContent content = current_link_content(ui);
  platform::copy_text(make_link(content));
  ui.set_status(content.notes.empty() ? "link copied: it rebuilds this view (File > Open link, or --state)"
                                      : "link copied; note: " + content.notes.front());
}

bool open_link(UiContext& ui, const std::string& text, bool allow_large) {
  std::vector<Command> commands;
  LinkContent content;
  ui.refused_link.clear();
  try {
    content = parse_link(text, true);
    commands = link_commands(content);
  } catch (const uhop::InputError& e) {
    ui.set_status(std::string(e.what()) + " -- nothing changed", true);
    return false;
  }
  if (!allow_large) {
    try {
      check_link_work(content);
    } catch (const uhop::InputError& e) {
      ui.set_status(std::string(e.what()) + " -- nothing changed", true);
      ui.refused_link = text;  // offered as "Open anyway" while this message shows
      ui.refused_link_status = ui.status;
      return false;
    }
  }
  ui.story.stop();
  for (Command& c : commands) {
    if (c.kind == CommandKind::view) {
      if (bool* open = view_flag(ui, c.id)) *open = true;
    } else if (c.kind == CommandKind::layout) {
      ui.layout = c.id == "presentation" ? LayoutMode::presentation : LayoutMode::standard;
    } else {
      ui.push(std::move(c));
    }
  }
  ui.set_status(content.notes.empty() ? "opened the link" : "opened the link; note: " + content.notes.front());
  return true;
}

void link_menu_items(UiContext& ui) {
  if (platform::can_pick_files() && ImGui::MenuItem("Open files...")) platform::pick_files();
  if (ImGui::MenuItem("Copy link", nullptr, false, ui.snap->has_session)) copy_link(ui);
  if (ImGui::MenuItem("Open link from clipboard")) open_link(ui, platform::pasted_text());
}
}  // namespace studio
