// Compare: the same query retrieved by plain MHM (dot similarity, W = I) and by U-Hop (the chosen similarity with the
// trained W): final images side by side and both error curves on one plot.
#include <algorithm>

#include "studio_figures.h"
#include "studio_ui.h"

namespace studio {
void panel_compare(UiContext& ui, const ImVec2& pos, const ImVec2& size) {
  set_initial_window(pos, size);
  if (!ImGui::Begin("Compare: MHM vs U-Hop")) {
    ImGui::End();
    return;
  }
  const StudioSnapshot& s = *ui.snap;
  if (!s.has_session || s.retrieval_log.empty() || s.baseline_log.empty() || !s.memories) {
    ImGui::TextDisabled("Load memories first.");
    ImGui::End();
    return;
  }
  const float avail_h = ImGui::GetContentRegionAvail().y;
  const float img =
      std::clamp(avail_h - ImGui::GetTextLineHeightWithSpacing() * 3, 32.0f, ImGui::GetContentRegionAvail().x * 0.16f);
  auto column = [&](const char* title, const char* key, const uhop::Vector& v, const uhop::RetrievalRecord* r,
                    const char* tip) {
    ImGui::BeginGroup();
    ImGui::TextUnformatted(title);
    const GlTexture& t = image_texture(ui, key, v, s.version);
    ImGui::Image(t.imgui_id(), ImVec2(img, img));
    formula_tip(tip);
    if (r) {
      ImGui::TextColored(r->nearest == s.state.target ? ImVec4(0.4f, 0.85f, 0.45f, 1) : ImVec4(1, 0.45f, 0.4f, 1),
                         "err %.3g", r->error);
      ImGui::TextDisabled("%s", memory_label(s, r->nearest).c_str());
    }
    ImGui::EndGroup();
  };
  column("target", "cmp_target", s.target_image, nullptr, "ξ_μ, the memory the query came from");
  ImGui::SameLine();
  column("MHM", "cmp_mhm", s.baseline_final, &s.baseline_log.back(),
         "Plain modern Hopfield: x+ = Xi^T Sep_α(beta Xi x) (W = I), same alpha, beta and steps");
  ImGui::SameLine();
  column("U-Hop", "cmp_uhop", s.trajectory.back(), &s.retrieval_log.back(),
         "U-Hop: x+ = Xi^T Sep_α(beta Xi W^T W x) with the trained W");
  ImGui::SameLine();
  uhop::PlotWidgetOptions opts;
  opts.size = ImVec2(-1, std::max(100.0f, avail_h - ImGui::GetStyle().ItemSpacing.y));
  studio_plot(ui, "compare", compare_figure(s), ui.plot_compare, opts);
  ImGui::End();
}
}  // namespace studio
