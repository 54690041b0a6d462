// Compare: the same query retrieved by plain MHM (dot similarity, W = I) and by the main run (U-Hop with the trained
// W, or the chosen similarity): the target, the query and both results side by side, and both error curves.
#include <algorithm>

#include "session/run_plots.h"
#include "studio_figures.h"
#include "studio_text.h"
#include "studio_ui.h"

namespace studio {
void panel_compare(UiContext& ui, const ImVec2& pos, const ImVec2& size) {
  const StudioSnapshot& s = *ui.snap;
  const std::string main_name = method_label(s.state.stage2.similarity);
  if (!begin_panel(ui, "compare", "Compare: MHM vs " + main_name, pos, size)) {
    ImGui::End();
    return;
  }
  if (!s.has_session || s.retrieval_log.empty() || s.baseline_log.empty() || !s.memories) {
    ImGui::TextDisabled(s.busy ? "Loading..." : "Load memories first.");
    ImGui::End();
    return;
  }
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const ImGuiStyle& style = ImGui::GetStyle();
  // Four images (target, query, MHM's x_t, the main run's x_t) with a two-line verdict under each, and the error
  // plot beside them (a wide panel) or below them (a tall one): whichever gives the larger images while the plot
  // keeps at least min_plot_w x min_plot_height().
  const float text_rows = ImGui::GetTextLineHeightWithSpacing() * 4.4f;  // two title lines, two verdict lines
  const float min_plot_w = std::max(200.0f, ImGui::GetFontSize() * 13);
  const float four = 4 * style.ItemSpacing.x;
  const float beside_img = std::min(avail.y - text_rows, (avail.x - min_plot_w - four) / 4);
  const float below_img = std::min((avail.x - four) / 4, avail.y - text_rows - min_plot_height() - style.ItemSpacing.y);
  const bool plot_below = below_img > beside_img;
  const float img = std::max(24.0f, plot_below ? below_img : beside_img);
  const auto column = [&](const char* title, const char* key, const uhop::Vector& v, const StatusText* verdict,
                          const char* tip) {
    // Each column is exactly img wide: titles and verdicts wrap inside it (a wide title used to push the plot out).
    ImGui::BeginGroup();
    ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + img);
    ImGui::TextUnformatted(title);
    const GlTexture& t = image_texture(ui, key, v, s.version);
    ImGui::Image(t.imgui_id(), ImVec2(img, img));
    formula_tip(tip);
    if (verdict) {
      const ImVec4 color = verdict->kind == TextKind::good  ? ImVec4(0.4f, 0.85f, 0.45f, 1)
                           : verdict->kind == TextKind::bad ? ImVec4(1, 0.45f, 0.4f, 1)
                                                            : ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled);
      ImGui::TextColored(color, "%s", verdict->text.c_str());
    }
    ImGui::PopTextWrapPos();
    ImGui::EndGroup();
  };
  const StatusText mhm = retrieval_verdict(s, true), main = retrieval_verdict(s, false);
  const std::string mhm_title = "MHM x_" + std::to_string(s.baseline_log.back().step);
  const std::string main_title =
      std::string(uhop::method_name(s.state.stage2.similarity)) + " x_" + std::to_string(s.retrieval_log.back().step);
  column("target", "cmp_target", s.target_image, nullptr, "ξ_μ, the memory the query came from");
  ImGui::SameLine();
  column("query", "cmp_query", s.query, nullptr, "x_0: the corrupted (or drawn) query both runs start from");
  ImGui::SameLine();
  column(mhm_title.c_str(), "cmp_mhm", s.baseline_final, &mhm,
         "Plain modern Hopfield: x+ = Xi^T Sep_α(beta Xi x) (W = I), same alpha, beta and steps");
  ImGui::SameLine();
  column(main_title.c_str(), "cmp_uhop", s.trajectory.back(), &main,
         s.state.stage2.similarity == uhop::Similarity::kernel
             ? "U-Hop: x+ = Xi^T Sep_α(beta Xi W^T W x) with the trained W"
             : "The main run with the chosen similarity (Stage II panel)");
  if (!plot_below) ImGui::SameLine();
  uhop::PlotWidgetOptions opts;
  opts.size = ImVec2(-1, std::max(min_plot_height(), ImGui::GetContentRegionAvail().y - style.ItemSpacing.y));
  studio_plot(ui, "compare", compare_figure(s), ui.plot_compare, opts);
  ImGui::End();
}
}  // namespace studio
