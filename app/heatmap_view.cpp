// The feature-cosine heatmaps on screen: W_0's ("step 0") and the current W's ("now"), each through the colormap
// shader with its own colour scale (heatmap_range: from its own values, so the step-0 heatmap keeps its colours while
// Stage I trains) and a colorbar with values beside it. Right-click: the cells as PNG, or the figure with its
// colorbar as PNG/PDF/SVG/CSV (core's heatmap figure, the same picture as here).
#include <algorithm>
#include <cstdio>

#include "plot/plot_heatmap.h"
#include "studio_figures.h"
#include "studio_ui.h"

namespace studio {
namespace {
constexpr const char* kTip =
    "Feature cosine cos(Phi(ξ_μ), Phi(ξ_ν)) = K(ξ_μ, ξ_ν) / (‖W ξ_μ‖ ‖W ξ_ν‖), rows/columns = memories (256 evenly "
    "spaced ones when M > 256: exact cosines of a sample). Stage I pushes the off-diagonal down: better separated "
    "memories. Each heatmap has its own colour "
    "scale, shown by its colorbar.";

// A vertical colour ramp of height `h` at the cursor, hi at the top, with tick values on its right.
void colorbar(float lo, float hi, float bar_w, float h) {
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImVec2 p = ImGui::GetCursorScreenPos();
  const int segments = 16;
  for (int k = 0; k < segments; ++k) {
    uint8_t top[3], bottom[3];
    uhop::colormap_rgb(1.0 - double(k) / segments, top);
    uhop::colormap_rgb(1.0 - double(k + 1) / segments, bottom);
    const ImU32 ct = IM_COL32(top[0], top[1], top[2], 255), cb = IM_COL32(bottom[0], bottom[1], bottom[2], 255);
    dl->AddRectFilledMultiColor(ImVec2(p.x, p.y + h * k / segments), ImVec2(p.x + bar_w, p.y + h * (k + 1) / segments),
                                ct, ct, cb, cb);
  }
  const ImU32 text = ImGui::GetColorU32(ImGuiCol_Text), frame = ImGui::GetColorU32(ImGuiCol_Border);
  dl->AddRect(p, ImVec2(p.x + bar_w, p.y + h), frame);
  const int count = std::clamp(static_cast<int>(h / (ImGui::GetFontSize() * 1.6f)), 2, 6);
  const double step = uhop::nice_step(lo, hi, count);
  float widest = 0;
  for (double v : uhop::nice_ticks(lo, hi, count)) {
    const float y = p.y + static_cast<float>((hi - v) / std::max(1e-9, double(hi) - lo)) * h;
    dl->AddLine(ImVec2(p.x + bar_w, y), ImVec2(p.x + bar_w + 4, y), text);
    const std::string label = uhop::format_tick(v, step);
    const ImVec2 ts = ImGui::CalcTextSize(label.c_str());
    widest = std::max(widest, ts.x);
    dl->AddText(ImVec2(p.x + bar_w + 6, std::clamp(y - ts.y / 2, p.y - ts.y / 2, p.y + h - ts.y / 2)), text,
                label.c_str());
  }
  ImGui::Dummy(ImVec2(bar_w + 6 + widest, h));
}

void one_heatmap(UiContext& ui, const char* id, const char* title, const GlTexture& tex, const Heatmap& h, float side,
                 float bar_w) {
  const auto [lo, hi] = heatmap_range(h);
  ImGui::BeginGroup();
  ImGui::TextUnformatted(title);
  const ImVec2 at = ImGui::GetCursorScreenPos();
  ImGui::Image(tex.imgui_id(), ImVec2(side, side));
  formula_tip(kTip);
  image_context_menu(ui, id);
  ui.item_rects[id] = ImVec4(at.x, at.y, at.x + side, at.y + side);
  ImGui::SameLine(0, ImGui::GetStyle().ItemInnerSpacing.x);
  colorbar(lo, hi, bar_w, side);
  ImGui::EndGroup();
}
}  // namespace

void draw_colorbar(float lo, float hi, float bar_w, float h) {
  colorbar(lo, hi, bar_w, h);
}

void draw_heatmap_pair(UiContext& ui, const StudioSnapshot& s, const ImVec2& room) {
  if (s.heat_now.n <= 0) return;
  if (ui.heat_version != s.version) {
    const auto [lo0, hi0] = heatmap_range(s.heat_initial);
    const auto [lo1, hi1] = heatmap_range(s.heat_now);
    ui.heatmap_shader.render(s.heat_initial, lo0, hi0, ui.heat_initial);
    ui.heatmap_shader.render(s.heat_now, lo1, hi1, ui.heat_now);
    ui.heat_version = s.version;
  }
  const float avail = room.x;
  const float gap = ImGui::GetStyle().ItemSpacing.x * 2;
  const float bar_w = ImGui::GetFontSize() * 0.7f;
  const float bar_total = bar_w + 6 + ImGui::CalcTextSize("-0.00").x + ImGui::GetStyle().ItemInnerSpacing.x;
  const float side =
      std::max(40.0f, std::min((avail - gap) / 2 - bar_total, room.y - ImGui::GetTextLineHeightWithSpacing() * 1.5f));
  char now[64];
  std::snprintf(now, sizeof now, "now (step %d)", s.stage1_log.empty() ? 0 : s.stage1_log.back().step);
  one_heatmap(ui, "heat-initial", "K cosine at step 0", ui.heat_initial, s.heat_initial, side, bar_w);
  ImGui::SameLine(0, gap);
  one_heatmap(ui, "heat-now", now, ui.heat_now, s.heat_now, side, bar_w);
}
}  // namespace studio
