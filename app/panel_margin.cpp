// Why this query is retrieved: its margin (target score minus the best rival's, U-Hop in feature space and MHM in
// pixels, against ln(M-1)/beta) per Stage I step at x_0 and per Stage II step at x_t, with a one-sentence caption;
// below it Lemma 1's margin Delta^Phi_mu - 2 m_Phi R_Phi (a worst case over the sphere: min, mean, target; 0 and
// ln(M-1)/beta marked, vacuous steps shaded) and beta*, the inverse temperature for a bound below epsilon.
#include <algorithm>
#include <cmath>

#include "insight_figures.h"
#include "insight_texts.h"
#include "numerics/separation_stats.h"
#include "studio_ui.h"

namespace studio {
namespace {
// Two plots side by side in a row of height h (one above the other when the window is narrow).
void plot_pair(UiContext& ui, const StudioSnapshot& s, const char* left, const char* right, float h) {
  const float w = ImGui::GetContentRegionAvail().x;
  const bool side = w >= 2 * std::max(220.0f, ImGui::GetFontSize() * 14);
  uhop::PlotWidgetOptions opts;
  opts.size = ImVec2(side ? (w - ImGui::GetStyle().ItemSpacing.x) / 2 : -1, side ? h : h / 2);
  opts.legend_outside = true;  // beside the curves when the plot keeps 160 px, never over them
  uhop::PlotFigure f;
  if (insight_figure(s, left, f)) studio_plot(ui, left, f, ui.insight_plots[left], opts);
  if (side) ImGui::SameLine();
  if (insight_figure(s, right, f)) studio_plot(ui, right, f, ui.insight_plots[right], opts);
}
}  // namespace

void panel_margin(UiContext& ui, const ImVec2& pos, const ImVec2& size) {
  keep_inside_display(pos, size);
  ImGui::SetNextWindowBgAlpha(1.0f);
  if (!ImGui::Begin("Query margin and Lemma 1###margin", &ui.show_margin)) {
    ImGui::End();
    return;
  }
  clamp_window_to_display();
  ui.record_rect("panel.margin", ImGui::GetWindowPos(), ImGui::GetWindowSize());
  const StudioSnapshot& s = *ui.snap;
  ImGui::TextDisabled("(?) %s", insight_text::kMarginTitle);
  formula_tip(insight_text::kMarginHelp);
  if (!s.has_session || s.stage1_log.empty()) {
    ImGui::TextDisabled("Load memories first.");
    ImGui::End();
    return;
  }
  text_wrapped_words("%s", query_margin_caption(s).c_str());
  const float spacing = ImGui::GetStyle().ItemSpacing.y;
  // The query's plots get the upper half of what is left, Lemma 1's the rest below its own two text lines.
  const float lemma_text = 2 * ImGui::GetFrameHeightWithSpacing() + ImGui::GetTextLineHeightWithSpacing();
  const float h = std::max(min_plot_height(), (ImGui::GetContentRegionAvail().y - lemma_text - 2 * spacing) / 2);
  plot_pair(ui, s, "query-margin", "stage2-margin", h);

  ImGui::Separator();
  text_wrapped_words("Lemma 1: a worst case over every query in the sphere ‖Wx - Wξ_μ‖ ≤ R_Φ");
  float eps = static_cast<float>(ui.edit.bound_epsilon);
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 8);
  if (ImGui::SliderFloat("ε", &eps, 1e-4f, 10.0f, "%.3g", ImGuiSliderFlags_Logarithmic)) ui.edit.bound_epsilon = eps;
  if (ImGui::IsItemDeactivatedAfterEdit()) ui.push(make_set("epsilon", eps));
  formula_tip(insight_text::kEpsilonTip);
  const auto& last = s.stage1_log.back();
  const uhop::BoundContext c = bound_context(s);
  const double threshold = c.count > 1 ? std::log(c.count - 1.0) / c.beta : 0.0;
  const double beta_target = uhop::beta_star(last.bound_margin_target, c.m, c.count, c.epsilon);
  char line[256];
  if (std::isfinite(beta_target))
    std::snprintf(line, sizeof line, "target #%d: margin %.4g, min %.4g (vacuous below %.3g at β = %g); β* = %.4g%s",
                  s.state.target, last.bound_margin_target, last.bound_margin_min, threshold, c.beta, beta_target,
                  c.beta > beta_target ? ": the bound is below ε" : "");
  else
    std::snprintf(line, sizeof line, "target #%d: margin %.4g ≤ 0: no β makes its worst-case bound small (yet)",
                  s.state.target, last.bound_margin_target);
  ImGui::SameLine();
  text_wrapped_words("%s", line);
  plot_pair(ui, s, "margin", "beta-star", std::max(min_plot_height(), ImGui::GetContentRegionAvail().y - spacing));
  ImGui::End();
}
}  // namespace studio
