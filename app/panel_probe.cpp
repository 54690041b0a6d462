// The probe: retrieval quality of all M memories per Stage I step, U-Hop (current W) against MHM (flat), with the
// probe's own settings (on/off, T, beta, seed, every k-th step) and what it costs Stage I.
#include <algorithm>
#include <cmath>

#include "insight_figures.h"
#include "insight_texts.h"
#include "studio_ui.h"

namespace studio {
namespace {
void probe_controls(UiContext& ui) {
  const StudioState& e = ui.edit;
  bool on = e.probe;
  if (ImGui::Checkbox("probe", &on)) ui.push(make_set("probe", on ? "1" : "0"));
  formula_tip("Query every memory under the current corruption at each (k-th) Stage I step.");
  const float w = ImGui::GetFontSize() * 4.5f;
  // Each field says what its number is (the row used to read "β 0 ... every"); the row wraps instead of cutting.
  const auto next = [&](const char* label) {
    flow(w + ImGui::CalcTextSize(label).x + ImGui::GetStyle().ItemInnerSpacing.x);
  };
  next("steps T");
  int steps = e.probe_steps;
  ImGui::SetNextItemWidth(w);
  if (ImGui::InputInt("steps T##probe", &steps, 0, 0, ImGuiInputTextFlags_EnterReturnsTrue))
    ui.push(make_set("probe_steps", std::to_string(std::clamp(steps, 0, 1000))));
  formula_tip(insight_text::kProbeSettingsTip);
  next("β (probe)");
  float beta = static_cast<float>(e.probe_beta);
  ImGui::SetNextItemWidth(w);
  if (ImGui::InputFloat("β (probe)##probe", &beta, 0, 0, "%.3g", ImGuiInputTextFlags_EnterReturnsTrue) && beta > 0)
    ui.push(make_set("probe_beta", beta));
  formula_tip(insight_text::kProbeSettingsTip);
  next("query seed");
  int seed = static_cast<int>(e.probe_seed);
  ImGui::SetNextItemWidth(w);
  if (ImGui::InputInt("query seed##probe", &seed, 0, 0, ImGuiInputTextFlags_EnterReturnsTrue))
    ui.push(make_set("probe_seed", std::to_string(std::max(0, seed))));
  formula_tip("Seeds of the probe's queries: the same noise at every step, so the curve shows W changing, not noise.");
  next("every k steps (0 auto)");
  int every = e.probe_every;
  ImGui::SetNextItemWidth(w);
  if (ImGui::InputInt("every k steps (0 auto)##probe", &every, 0, 0, ImGuiInputTextFlags_EnterReturnsTrue))
    ui.push(make_set("probe_every", std::to_string(std::max(0, every))));
  formula_tip("Probe every k-th Stage I step; 0 = automatic (Stage I keeps at least 80 % of its speed).");
}
}  // namespace

void panel_probe(UiContext& ui, const ImVec2& pos, const ImVec2& size) {
  keep_inside_display(pos, size);
  ImGui::SetNextWindowBgAlpha(1.0f);
  if (!ImGui::Begin("Probe: retrieval quality of all memories", &ui.show_probe)) {
    ImGui::End();
    return;
  }
  clamp_window_to_display();
  const StudioSnapshot& s = *ui.snap;
  ImGui::TextDisabled("(?) %s", insight_text::kProbeTitle);
  formula_tip(insight_text::kProbeHelp);
  probe_controls(ui);
  if (!s.has_session || s.stage1_log.empty()) {
    ImGui::TextDisabled("Load memories first.");
    ImGui::End();
    return;
  }
  const auto& last = s.stage1_log.back();
  const InsightSnapshot& v = s.insight;
  if (!s.state.probe || std::isnan(last.mhm_probe_paper_error)) {
    ImGui::TextDisabled("The probe is off.");
  } else {
    // The newest probed row (rows between probes are empty).
    const uhop::Stage1Record* probed = nullptr;
    for (auto it = s.stage1_log.rbegin(); it != s.stage1_log.rend() && !probed; ++it)
      if (std::isfinite(it->probe_paper_error)) probed = &*it;
    if (probed) {
      ImGui::Text("step %d: U-Hop error %.4g, %.0f%% retrieved   MHM error %.4g, %.0f%% retrieved", probed->step,
                  probed->probe_paper_error, 100 * probed->probe_retrieved, probed->mhm_probe_paper_error,
                  100 * probed->mhm_probe_retrieved);
    }
    const double keeps =
        v.stage1_seconds > 0 ? v.stage1_seconds / (v.stage1_seconds + v.probe_seconds / v.probe_every) : 1.0;
    ImGui::TextDisabled("%s: every %d step(s); probe %.3g ms, step %.3g ms: Stage I keeps %.0f%% of its speed",
                        to_string(s.state.corruption).c_str(), v.probe_every, 1e3 * v.probe_seconds,
                        1e3 * v.stage1_seconds, 100 * keeps);
  }
  uhop::PlotWidgetOptions opts;
  const float h = std::max(120.0f, (ImGui::GetContentRegionAvail().y - ImGui::GetStyle().ItemSpacing.y) / 2);
  opts.size = ImVec2(-1, h);
  uhop::PlotFigure f;
  if (insight_figure(s, "probe-error", f)) studio_plot(ui, "probe-error", f, ui.insight_plots["probe-error"], opts);
  if (insight_figure(s, "probe-retrieved", f))
    studio_plot(ui, "probe-retrieved", f, ui.insight_plots["probe-retrieved"], opts);
  ImGui::End();
}
}  // namespace studio
