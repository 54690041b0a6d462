// Compare: the same query retrieved by plain MHM (dot similarity, W = I) and by the main run (U-Hop with the trained
// W, or the chosen similarity): the target, the query and both results side by side, and both error curves.
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "insight_figures.h"
#include "insight_texts.h"
#include "numerics/query_margin.h"
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
  // Why the two runs differ, in one sentence from the query's margins (the margin view plots them).
  // One line (cut at a word with "..." when narrow); the whole sentence and the definition on hover.
  const std::string brief = query_margin_brief(s);
  if (!brief.empty()) {
    std::string shown = brief;
    const float room = ImGui::GetContentRegionAvail().x;
    while (ImGui::CalcTextSize(shown.c_str()).x > room && shown.size() > 4) {
      const size_t cut = shown.find_last_of(' ', shown.size() - 4);
      if (cut == std::string::npos || cut == 0) break;
      shown = shown.substr(0, cut) + "...";
    }
    ImGui::TextDisabled("%s", shown.c_str());
    if (ImGui::IsItemHovered())
      ImGui::SetTooltip("%s\n\n%s", query_margin_caption(s).c_str(), insight_text::kMarginHelp);
  }
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const ImGuiStyle& style = ImGui::GetStyle();
  // Four images (target, query, MHM's x_t, the main run's x_t) with a two-line verdict under each, and the error
  // plot beside them (a wide panel) or below them (a tall one): whichever gives the larger images while the plot
  // keeps at least min_plot_w x min_plot_height().
  // Two title lines, two verdict lines, the margin line (the "why" line above is already laid out).
  const float text_rows = ImGui::GetTextLineHeightWithSpacing() * 5.4f;
  const float min_plot_w = std::max(200.0f, ImGui::GetFontSize() * 13);
  const float four = 4 * style.ItemSpacing.x;
  const float beside_img = std::min(avail.y - text_rows, (avail.x - min_plot_w - four) / 4);
  // Below the images the plot keeps at least 40 % of the panel: the error curves are the comparison's point.
  const float below_plot = std::max(min_plot_height(), avail.y * 0.4f);
  const float below_img = std::min((avail.x - four) / 4, avail.y - text_rows - below_plot - style.ItemSpacing.y);
  const bool plot_below = below_img > beside_img;
  const float img = std::max(24.0f, plot_below ? below_img : beside_img);
  const double half = uhop::half_weight_margin(s.memories->set.count(), s.state.stage2.beta);
  const auto column = [&](const char* title, const char* key, const uhop::Vector& v, const StatusText* verdict,
                          const char* tip, double margin = std::nan("")) {
    // Each column is exactly img wide: its title and verdict take two lines each, broken at spaces, cut with "…"
    // (whole on hover) rather than wrapped inside a word or run past the column (a wide title used to push the
    // plot out; "wrong memo|ry" broke mid-word).
    const auto lines = [&](const std::string& text, const ImVec4* color, const std::string& whole) {
      bool cut = false;
      ImGui::BeginGroup();
      for (const std::string& line : wrap_words(text, img, 2, &cut)) {
        if (color)
          ImGui::TextColored(*color, "%s", line.c_str());
        else
          ImGui::TextUnformatted(line.c_str());
      }
      ImGui::EndGroup();
      if ((cut || whole != text) && ImGui::IsItemHovered()) ImGui::SetTooltip("%s", whole.c_str());
    };
    ImGui::BeginGroup();
    lines(title, nullptr, title);
    const GlTexture& t = image_texture(ui, key, v, s.version);
    ImGui::Image(t.imgui_id(), ImVec2(img, img));
    formula_tip(tip);
    if (verdict) {
      const ImVec4 color = verdict->kind == TextKind::good  ? ImVec4(0.4f, 0.85f, 0.45f, 1)
                           : verdict->kind == TextKind::bad ? ImVec4(1, 0.45f, 0.4f, 1)
                                                            : ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled);
      // The column is narrow: the verdict without its parenthesis (the Stage II badge has the whole sentence).
      const std::string& text = verdict->text;
      const size_t paren = text.find(" (");
      std::string shown = paren == std::string::npos ? text : text.substr(0, paren);
      // Narrower still: "wrong #2 Pullover" keeps the memory's number on screen where "wrong memory: #…" would not.
      bool cut = false;
      wrap_words(shown, img, 2, &cut);
      if (cut && shown.rfind("wrong memory: ", 0) == 0) shown = "wrong " + shown.substr(14);
      if (cut && shown.rfind("retrieved ", 0) == 0) shown = "right " + shown.substr(10);
      lines(shown, &color, text);
    }
    if (std::isfinite(margin)) {
      // The query's margin at this run's x_t: green once the target's weight is sure to pass 1/2, red below 0.
      const ImVec4 color = margin >= half ? ImVec4(0.4f, 0.85f, 0.45f, 1)
                           : margin < 0   ? ImVec4(1, 0.45f, 0.4f, 1)
                                          : ImGui::GetStyleColorVec4(ImGuiCol_Text);
      char gap[32];
      std::snprintf(gap, sizeof gap, "gap %+.3g", margin);
      // Too narrow for "gap -52.6": the number alone (the tooltip says what it is).
      const bool fits = ImGui::CalcTextSize(gap).x <= img;
      ImGui::TextColored(color, "%s", fit_text(fits ? gap : gap + 4, img).c_str());
      if (ImGui::IsItemHovered())
        ImGui::SetTooltip(
            "The target's score minus the best rival's at this x_t: %+.4g. At or above ln(M-1)/β = %.3g "
            "the target's softmax weight is at least 1/2; below 0 a rival outweighs it.",
            margin, half);
    }
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
         "Plain modern Hopfield: x+ = Xi^T Sep_α(beta Xi x) (W = I), same alpha, beta and steps",
         s.baseline_log.back().score_margin);
  ImGui::SameLine();
  column(main_title.c_str(), "cmp_uhop", s.trajectory.back(), &main,
         s.state.stage2.similarity == uhop::Similarity::kernel
             ? "U-Hop: x+ = Xi^T Sep_α(beta Xi W^T W x) with the trained W"
             : "The main run with the chosen similarity (Stage II panel)",
         s.retrieval_log.back().score_margin);
  if (!plot_below) ImGui::SameLine();
  uhop::PlotWidgetOptions opts;
  opts.size = ImVec2(-1, std::max(min_plot_height(), ImGui::GetContentRegionAvail().y - style.ItemSpacing.y));
  studio_plot(ui, "compare", compare_figure(s), ui.plot_compare, opts);
  ImGui::End();
}
}  // namespace studio
