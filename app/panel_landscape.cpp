// The energy landscape: E on the plane through the query, the target and a rival, MHM beside U-Hop, as heatmaps with
// iso-lines, the retrieval's shadow and the three points marked. Computed on the worker (coarse grid first, then
// fine; it follows W and the query while it is live); the rival and the grid are settings (`landscape rival=J grid=N`).
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "insight_figures.h"
#include "insight_texts.h"
#include "plot/plot_contours.h"
#include "studio_ui.h"

namespace studio {
struct LandscapeOverlay {
  uint64_t version = 0;
  std::vector<std::vector<uhop::ContourPoint>> lines[2];  // MHM, U-Hop
  float lo[2] = {0, 0}, hi[2] = {1, 1};
};

namespace {
constexpr int kIsoLevels = 8;

void refresh_overlay(UiContext& ui, const LandscapeView& v) {
  if (!ui.landscape_overlay) ui.landscape_overlay = std::make_shared<LandscapeOverlay>();
  LandscapeOverlay& o = *ui.landscape_overlay;
  if (o.version == v.version) return;
  o.version = v.version;
  for (int k = 0; k < 2; ++k) {
    const Heatmap h = landscape_heatmap(v, k == 1, &o.lo[k], &o.hi[k]);
    ui.heatmap_shader.render(h, o.lo[k], o.hi[k], k == 1 ? ui.landscape_uhop_tex : ui.landscape_mhm_tex);
    const uhop::Matrix& e = k == 1 ? v.energy_kernel : v.energy_mhm;
    std::vector<double> values(v.a.size() * v.b.size());
    for (size_t i = 0; i < v.a.size(); ++i)
      for (size_t j = 0; j < v.b.size(); ++j)
        values[i * v.b.size() + j] = e(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j));
    o.lines[k].clear();
    for (double level : uhop::quantile_levels(values, kIsoLevels))
      for (auto& line : uhop::iso_lines(v.a, v.b, values, level)) o.lines[k].push_back(std::move(line));
  }
}

void export_menu(UiContext& ui, const char* id) {
  if (!ImGui::BeginPopupContextItem((std::string("##landscape_menu_") + id).c_str())) return;
  auto save = [&](const char* ext, bool image) {
    SaveRequest r;
    r.stem = id;
    r.what = std::string("the ") + id + (image ? " heatmap" : ext == std::string("csv") ? " grid" : " iso-lines");
    r.formats = {ext};
    r.format = ext;
    const std::string which = id;
    r.write = [&ui, which, image](const std::string& path) {
      if (image)
        export_image_by_id(ui, which, path);
      else
        export_plot_by_id(ui, which, path, 1);
    };
    ask_save(ui, std::move(r));
  };
  if (ImGui::MenuItem("Export heatmap PNG")) save("png", true);
  if (ImGui::MenuItem("Export iso-lines SVG")) save("svg", false);
  if (ImGui::MenuItem("Export grid CSV (a,b,energy_mhm,energy_kernel)")) save("csv", false);
  ImGui::EndPopup();
}

// One heatmap with its overlays; returns nothing, handles hover.
void draw_landscape(UiContext& ui, const LandscapeView& v, int k, float side) {
  const StudioSnapshot& s = *ui.snap;
  const LandscapeOverlay& o = *ui.landscape_overlay;
  const char* id = k == 1 ? "landscape-uhop" : "landscape-mhm";
  ImGui::BeginGroup();
  ImGui::TextUnformatted(k == 1 ? "U-Hop (current W): energy E" : "MHM (W = I): energy E");
  const ImVec2 p0 = ImGui::GetCursorScreenPos();
  ImGui::Image((k == 1 ? ui.landscape_uhop_tex : ui.landscape_mhm_tex).imgui_id(), ImVec2(side, side));
  const bool hovered = ImGui::IsItemHovered();
  export_menu(ui, id);
  ImGui::SameLine(0, ImGui::GetStyle().ItemInnerSpacing.x);
  draw_colorbar(o.lo[k], o.hi[k], ImGui::GetFontSize() * 0.8f, side);  // E: dark low, light high
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const double a0 = v.a.front(), a1 = v.a.back(), b0 = v.b.front(), b1 = v.b.back();
  const double n = static_cast<double>(v.a.size());
  // Grid point (a, b) -> the centre of its texel.
  auto px = [&](double a, double b) {
    return ImVec2(p0.x + side * static_cast<float>(((a - a0) / (a1 - a0) * (n - 1) + 0.5) / n),
                  p0.y + side * static_cast<float>(1 - ((b - b0) / (b1 - b0) * (n - 1) + 0.5) / n));
  };
  dl->PushClipRect(p0, ImVec2(p0.x + side, p0.y + side), true);
  std::vector<ImVec2> pts;
  for (const auto& line : o.lines[k]) {
    pts.clear();
    for (const auto& p : line) pts.push_back(px(p.x, p.y));
    dl->AddPolyline(pts.data(), static_cast<int>(pts.size()), IM_COL32(255, 255, 255, 110), 0, 1.0f);
  }
  const auto& traj = k == 1 ? s.insight.plane_trajectory : s.insight.plane_mhm_trajectory;
  pts.clear();
  for (const auto& p : traj) pts.push_back(px(p.a, p.b));
  if (pts.size() > 1) dl->AddPolyline(pts.data(), static_cast<int>(pts.size()), rgb(0xff3030), 0, 2.5f);
  for (const ImVec2& p : pts) dl->AddCircleFilled(p, 3.0f, rgb(0xff3030));
  const struct {
    double a, b;
    const char* label;
  } marks[] = {{0, 0, "q"}, {1, 0, "ξ_I"}, {0, 1, "ξ_J"}};
  for (const auto& m : marks) {
    const ImVec2 p = px(m.a, m.b);
    dl->AddCircle(p, 5.0f, IM_COL32(255, 255, 255, 255), 0, 2.0f);
    dl->AddText(ImVec2(p.x + 6, p.y - ImGui::GetFontSize() - 2), IM_COL32(255, 255, 255, 255), m.label);
  }
  dl->PopClipRect();
  if (hovered) {
    const ImVec2 m = ImGui::GetMousePos();
    const int i = std::clamp(static_cast<int>((m.x - p0.x) / side * n), 0, static_cast<int>(n) - 1);
    const int j = std::clamp(static_cast<int>((1 - (m.y - p0.y) / side) * n), 0, static_cast<int>(n) - 1);
    const uhop::Matrix& e = k == 1 ? v.energy_kernel : v.energy_mhm;
    ImGui::SetTooltip("a = %.3f, b = %.3f\nE = %.6g\n%s", v.a[i], v.b[j], e(i, j),
                      traj.empty() ? "" : "red: x_0..x_T projected on the plane (right-click: export)");
  }
  ImGui::EndGroup();
}

void landscape_controls(UiContext& ui, const StudioSnapshot& s) {
  const InsightSnapshot& in = s.insight;
  const int m = s.memories ? s.memories->set.count() : 0;
  bool auto_rival = ui.edit.rival < 0;
  if (ImGui::Checkbox("auto rival", &auto_rival)) {
    Command c = make_command(CommandKind::landscape);
    c.settings.emplace_back("rival", auto_rival ? "auto" : std::to_string(in.landscape ? in.landscape->rival : 1));
    ui.push(c);
  }
  formula_tip(insight_text::kRivalTip);
  ImGui::SameLine();
  int rival = in.landscape ? in.landscape->rival : std::max(0, ui.edit.rival);
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 5);
  if (ImGui::InputInt("rival J", &rival, 1, 10, ImGuiInputTextFlags_EnterReturnsTrue) ||
      ImGui::IsItemDeactivatedAfterEdit()) {
    Command c = make_command(CommandKind::landscape);
    c.settings.emplace_back("rival", std::to_string(std::clamp(rival, 0, std::max(0, m - 1))));
    ui.push(c);
  }
  formula_tip(insight_text::kRivalTip);
  ImGui::SameLine();
  int grid = ui.edit.landscape_grid;
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 6);
  if (ImGui::SliderInt("grid N", &grid, 16, 256)) ui.edit.landscape_grid = grid;
  if (ImGui::IsItemDeactivatedAfterEdit()) {
    Command c = make_command(CommandKind::landscape);
    c.settings.emplace_back("landscape_grid", std::to_string(grid));
    ui.push(c);
  }
  formula_tip(insight_text::kGridTip);
  ImGui::SameLine();
  if (in.landscape_live) {
    if (ImGui::Button("Stop")) {
      Command c = make_command(CommandKind::landscape);
      c.id = "off";
      ui.push(c);
    }
    formula_tip("Stop following W and the query (the last landscape stays).");
  } else if (ImGui::Button("Compute")) {
    ui.push(make_command(CommandKind::landscape));
  }
}
}  // namespace

void panel_landscape(UiContext& ui, const ImVec2& pos, const ImVec2& size) {
  keep_inside_display(pos, size);
  ImGui::SetNextWindowBgAlpha(1.0f);
  if (!ImGui::Begin("Energy landscape", &ui.show_landscape)) {
    ImGui::End();
    return;
  }
  clamp_window_to_display();
  const StudioSnapshot& s = *ui.snap;
  ImGui::TextDisabled("(?) %s", insight_text::kLandscapeTitle);
  formula_tip(insight_text::kLandscapeHelp);
  if (!s.has_session) {
    ImGui::TextDisabled("Load memories first.");
    ImGui::End();
    return;
  }
  // Opening the window starts the (live) landscape once; Stop or Cancel ends it, Compute starts it again.
  if (!ui.landscape_requested && !s.insight.landscape_live) ui.push(make_command(CommandKind::landscape));
  ui.landscape_requested = true;
  landscape_controls(ui, s);
  const auto& v = s.insight.landscape;
  if (!v) {
    ImGui::TextDisabled(s.insight.landscape_computing ? "computing ..." : "No landscape yet.");
    ImGui::End();
    return;
  }
  if (!v->error.empty()) {
    text_wrapped_colored(ImVec4(1, 0.6f, 0.5f, 1), v->error);
    ImGui::End();
    return;
  }
  ImGui::TextDisabled("I = %s, J = %s%s; α = %g, β = %g; %zu x %zu grid%s, %.0f ms; U-Hop at step %d",
                      memory_label(s, v->target).c_str(), memory_label(s, v->rival).c_str(),
                      v->rival_auto ? " (auto)" : "", v->alpha, v->beta, v->a.size(), v->b.size(),
                      v->fine ? "" : " (coarse)", 1e3 * v->seconds, v->stage1_step);
  refresh_overlay(ui, *v);
  const float gap = ImGui::GetStyle().ItemSpacing.x;
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const float colorbar_w = ImGui::GetFontSize() * 5.5f;  // the ramp and its tick labels beside each map
  const float side = std::max(
      60.0f, std::min((avail.x - gap) / 2 - colorbar_w, avail.y - ImGui::GetTextLineHeightWithSpacing() * 1.5f));
  draw_landscape(ui, *v, 0, side);
  ImGui::SameLine();
  draw_landscape(ui, *v, 1, side);
  ImGui::End();
}
}  // namespace studio
