// The feature-space map: MHM's normalized pixels beside U-Hop's normalized features W xi / ||W xi||, each on its top
// two principal components, class-coloured, the target marked, the Stage II trajectories on the same axes. The U-Hop
// map moves while Stage I trains (frames Procrustes-aligned on the worker). Hovering a dot shows which memory it is.
#include <algorithm>
#include <cmath>
#include <string>

#include "insight_figures.h"
#include "insight_texts.h"
#include "studio_ui.h"

namespace studio {
namespace {
// Hovering a dot names the memory and shows it (the nearest dot within 3 % of the view).
void memory_under_mouse(UiContext& ui, const uhop::PlotWidgetEvents& ev, const uhop::Matrix& points,
                        const uhop::PlotView& view) {
  if (!ev.hovered || !std::isfinite(ev.hover_x) || !std::isfinite(ev.hover_y) || points.rows() == 0) return;
  const double sx = std::max(view.x1 - view.x0, 1e-300), sy = std::max(view.y1 - view.y0, 1e-300);
  Eigen::Index best = -1;
  double best_d = 0.03 * 0.03;
  for (Eigen::Index mu = 0; mu < points.rows(); ++mu) {
    const double dx = (points(mu, 0) - ev.hover_x) / sx, dy = (points(mu, 1) - ev.hover_y) / sy;
    if (dx * dx + dy * dy < best_d) best_d = dx * dx + dy * dy, best = mu;
  }
  if (best < 0) return;
  ImGui::BeginTooltip();
  ImGui::TextUnformatted(memory_label(*ui.snap, static_cast<int>(best)).c_str());
  memory_thumbnail(ui, static_cast<int>(best), ImGui::GetFontSize() * 4);
  ImGui::EndTooltip();
}
}  // namespace

void panel_feature_map(UiContext& ui, const ImVec2& pos, const ImVec2& size) {
  keep_inside_display(pos, size);
  ImGui::SetNextWindowBgAlpha(1.0f);
  if (!ImGui::Begin("Feature-space map", &ui.show_feature_map)) {
    ImGui::End();
    return;
  }
  clamp_window_to_display();
  const StudioSnapshot& s = *ui.snap;
  ImGui::TextDisabled("(?) %s", insight_text::kFeatureMapTitle);
  formula_tip(insight_text::kFeatureMapHelp);
  if (s.has_session && !s.insight.feature_map && s.memories && s.memories->set.count() > uhop::kMaxGramMemories) {
    ImGui::TextDisabled("The map's PCA needs the M x M Gram: at most %d memories (load fewer).",
                        uhop::kMaxGramMemories);
    ImGui::End();
    return;
  }
  if (!s.has_session || !s.insight.feature_map) {
    ImGui::TextDisabled("Load memories first.");
    ImGui::End();
    return;
  }
  const float gap = ImGui::GetStyle().ItemSpacing.x;
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  uhop::PlotWidgetOptions opts;
  opts.size = ImVec2(std::max(120.0f, (avail.x - gap) / 2), std::max(120.0f, avail.y));
  opts.value_readout = false;                                      // a scatter: hovering names the memory instead
  opts.line_width = std::max(2.5f, ImGui::GetFontSize() * 0.18f);  // dots sized with the font (28 px: 5 px)
  const FeatureMapView& map = *s.insight.feature_map;
  uhop::PlotFigure f;
  for (const char* id : {"feature-map-mhm", "feature-map-uhop"}) {
    if (!insight_figure(s, id, f)) continue;
    uhop::PlotWidgetState& state = ui.insight_plots[id];
    // One legend for both maps (the same classes and marks), right of the U-Hop map, outside its data.
    const bool uhop_side = std::string(id) == "feature-map-uhop";
    opts.show_legend = uhop_side && f.series.size() <= 14;
    opts.legend_outside = true;
    const auto ev = studio_plot(ui, id, f, state, opts);
    memory_under_mouse(ui, ev, std::string(id) == "feature-map-uhop" ? map.uhop.points : map.mhm.points, state.view);
    ImGui::SameLine();
  }
  ImGui::NewLine();
  ImGui::End();
}
}  // namespace studio
