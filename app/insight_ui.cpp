// The "why" views as windows of their own (View menu, `view ID` in scripts) until they get places in the layout.
#include "capacity_panel.h"
#include "insight_texts.h"
#include "studio_ui.h"

namespace studio {
bool* view_flag(UiContext& ui, const std::string& id) {
  if (id == "probe") return &ui.show_probe;
  if (id == "margin") return &ui.show_margin;
  if (id == "feature-map") return &ui.show_feature_map;
  if (id == "landscape") return &ui.show_landscape;
  if (id == "sweep") return &ui.show_sweep;
  if (id == "help") return &ui.show_help;
  if (id == "capacity") return capacity_window_flag();
  return nullptr;
}

void insight_view_menu(UiContext& ui) {
  ImGui::Separator();
  ImGui::TextDisabled("Why U-Hop works");
  ImGui::MenuItem("Probe: retrieval of all memories", nullptr, &ui.show_probe);
  formula_tip(insight_text::kProbeHelp);
  ImGui::MenuItem("Query margin and Lemma 1", nullptr, &ui.show_margin);
  formula_tip(insight_text::kMarginHelp);
  ImGui::MenuItem("Feature-space map", nullptr, &ui.show_feature_map);
  formula_tip(insight_text::kFeatureMapHelp);
  ImGui::MenuItem("Energy landscape", nullptr, &ui.show_landscape);
  formula_tip(insight_text::kLandscapeHelp);
}

void draw_insight_windows(UiContext& ui) {
  const ImVec2 d = ImGui::GetIO().DisplaySize;
  // Where each window first appears: over the Stage II / Compare column and the Stage I column, on top of the grid.
  if (ui.show_probe) panel_probe(ui, ImVec2(d.x * 0.50f, d.y * 0.06f), ImVec2(d.x * 0.48f, d.y * 0.56f));
  // The margin view holds four plots and a caption: most of the window (readable at 28 px on a projector).
  if (ui.show_margin) panel_margin(ui, ImVec2(d.x * 0.25f, d.y * 0.05f), ImVec2(d.x * 0.73f, d.y * 0.90f));
  if (ui.show_feature_map) panel_feature_map(ui, ImVec2(d.x * 0.02f, d.y * 0.06f), ImVec2(d.x * 0.62f, d.y * 0.50f));
  if (ui.show_landscape) panel_landscape(ui, ImVec2(d.x * 0.02f, d.y * 0.40f), ImVec2(d.x * 0.62f, d.y * 0.56f));
  if (!ui.show_landscape) ui.landscape_requested = false;  // reopening starts it again
}
}  // namespace studio
