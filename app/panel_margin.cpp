// Lemma 1's margin Delta^Phi_mu - 2 m_Phi R_Phi per Stage I step (min, mean, target; 0 and ln(M-1)/beta marked, the
// steps where the target's bound is vacuous shaded) and beta*, the inverse temperature for a bound below epsilon.
#include <algorithm>
#include <cmath>

#include "insight_figures.h"
#include "insight_texts.h"
#include "numerics/separation_stats.h"
#include "studio_ui.h"

namespace studio {
void panel_margin(UiContext& ui, const ImVec2& pos, const ImVec2& size) {
  keep_inside_display(pos, size);
  ImGui::SetNextWindowBgAlpha(1.0f);
  if (!ImGui::Begin("Lemma 1 margin and beta*", &ui.show_margin)) {
    ImGui::End();
    return;
  }
  clamp_window_to_display();
  const StudioSnapshot& s = *ui.snap;
  ImGui::TextDisabled("(?) %s", insight_text::kMarginTitle);
  formula_tip(insight_text::kMarginHelp);
  float eps = static_cast<float>(ui.edit.bound_epsilon);
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 8);
  if (ImGui::SliderFloat("ε", &eps, 1e-4f, 10.0f, "%.3g", ImGuiSliderFlags_Logarithmic)) ui.edit.bound_epsilon = eps;
  if (ImGui::IsItemDeactivatedAfterEdit()) ui.push(make_set("epsilon", eps));
  formula_tip(insight_text::kEpsilonTip);
  if (!s.has_session || s.stage1_log.empty()) {
    ImGui::TextDisabled("Load memories first.");
    ImGui::End();
    return;
  }
  const auto& last = s.stage1_log.back();
  const uhop::BoundContext c = bound_context(s);
  const double threshold = c.count > 1 ? std::log(c.count - 1.0) / c.beta : 0.0;
  ImGui::SameLine();
  ImGui::Text("  target #%d margin %.4g, min %.4g   (vacuous below %.3g at β = %g)", s.state.target,
              last.bound_margin_target, last.bound_margin_min, threshold, c.beta);
  const double beta_target = uhop::beta_star(last.bound_margin_target, c.m, c.count, c.epsilon);
  if (std::isfinite(beta_target))
    ImGui::Text("β* = %.4g: above it the target's bound is below ε = %g (now β = %g: %s)", beta_target, c.epsilon,
                c.beta, c.beta > beta_target ? "the bound holds below ε" : "not yet");
  else
    ImGui::TextColored(ImVec4(1, 0.6f, 0.5f, 1), "margin ≤ 0: no β makes the target's bound small (yet)");
  uhop::PlotWidgetOptions opts;
  const float h = std::max(120.0f, (ImGui::GetContentRegionAvail().y - ImGui::GetStyle().ItemSpacing.y) / 2);
  opts.size = ImVec2(-1, h);
  uhop::PlotFigure f;
  if (insight_figure(s, "margin", f)) studio_plot(ui, "margin", f, ui.insight_plots["margin"], opts);
  if (insight_figure(s, "beta-star", f)) studio_plot(ui, "beta-star", f, ui.insight_plots["beta-star"], opts);
  ImGui::End();
}
}  // namespace studio
