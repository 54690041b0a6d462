#include "plot_widget.h"

#include <imgui_internal.h>  // SetItemUsingMouseWheel: keeps the wheel from scrolling the window under the plot

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace uhop {
namespace {
bool is_hidden(const PlotWidgetState& state, const std::string& name) {
  return std::find(state.hidden.begin(), state.hidden.end(), name) != state.hidden.end();
}

void toggle_hidden(PlotWidgetState& state, const std::string& name) {
  const auto it = std::find(state.hidden.begin(), state.hidden.end(), name);
  if (it == state.hidden.end())
    state.hidden.push_back(name);
  else
    state.hidden.erase(it);
}

ImU32 rgb(uint32_t color, int alpha = 255) {
  return IM_COL32((color >> 16) & 255, (color >> 8) & 255, color & 255, alpha);
}

ImVec2 im(PixelPoint p) {
  return ImVec2(float(p.x), float(p.y));
}

bool contains(const PixelRect& r, ImVec2 p) {
  return p.x >= r.x && p.x <= r.x + r.w && p.y >= r.y && p.y <= r.y + r.h;
}

PlotFitOptions fit_options(const PlotWidgetState& state, const PlotWidgetOptions& options, bool log_y, bool log_x) {
  PlotFitOptions fit;
  fit.pad_x = fit.pad_y = options.fit_padding;
  fit.log_y = log_y, fit.log_x = log_x;
  fit.hidden = state.hidden;
  return fit;
}

// Applies the automatic modes: fit everything, or slide to the newest sample and fit y to what is in view.
void update_view(const PlotFigure& figure, PlotWidgetState& state, const PlotWidgetOptions& options, bool log_y,
                 bool log_x) {
  const PlotFitOptions fit = fit_options(state, options, log_y, log_x);
  if (state.view.log_y != log_y) {  // the axis changed: keep x, refit y
    const PlotView fitted = data_range(figure, fit);
    state.view.log_y = log_y, state.view.y0 = fitted.y0, state.view.y1 = fitted.y1;
  }
  if (state.view.log_x != log_x) {  // likewise for x
    const PlotView fitted = data_range(figure, fit);
    state.view.log_x = log_x, state.view.x0 = fitted.x0, state.view.x1 = fitted.x1;
  }
  if (state.auto_fit) {
    state.view = data_range(figure, fit);
  } else if (state.follow_latest && std::isfinite(last_x(figure, state.hidden))) {
    state.view = follow_latest(state.view, figure, options.follow_padding, state.hidden);
    PlotFitOptions window = fit;
    window.x_min = state.view.x0, window.x_max = state.view.x1;
    const PlotView fitted = data_range(figure, window);
    state.view.y0 = fitted.y0, state.view.y1 = fitted.y1;
  }
}

using Ticks = std::vector<PlotTick>;
float widest(const Ticks& ticks) {
  float w = 0;
  for (const PlotTick& t : ticks) w = std::max(w, ImGui::CalcTextSize(t.label.c_str()).x);
  return w;
}

// Bands as one quad per sample interval. Anti-aliased fill is switched off so neighbouring quads do not show
// seams where their soft edges overlap.
void draw_band(ImDrawList* dl, const PlotBand& band, const PlotView& view, const PixelRect& rect) {
  const ImDrawListFlags saved = dl->Flags;
  dl->Flags &= ~ImDrawListFlags_AntiAliasedFill;
  const ImU32 color = rgb(band.color, 60);
  const size_t n = std::min({band.x.size(), band.lo.size(), band.hi.size()});
  const auto ok = [](PixelPoint p) { return std::isfinite(p.x) && std::isfinite(p.y); };
  for (size_t i = 1; i < n; ++i) {
    const PixelPoint a = to_pixel(view, rect, band.x[i - 1], band.lo[i - 1]);
    const PixelPoint b = to_pixel(view, rect, band.x[i - 1], band.hi[i - 1]);
    const PixelPoint c = to_pixel(view, rect, band.x[i], band.hi[i]);
    const PixelPoint d = to_pixel(view, rect, band.x[i], band.lo[i]);
    if (!ok(a) || !ok(b) || !ok(c) || !ok(d)) continue;
    if (std::max(a.x, d.x) < rect.x - 1 || std::min(a.x, d.x) > rect.x + rect.w + 1) continue;  // off-screen
    const ImVec2 quad[4] = {im(a), im(b), im(c), im(d)};
    dl->AddConvexPolyFilled(quad, 4, color);
  }
  dl->Flags = saved;
}

void draw_paths(ImDrawList* dl, const std::vector<std::vector<PixelPoint>>& paths, ImU32 color, float width) {
  std::vector<ImVec2> pts;
  for (const auto& path : paths) {
    if (path.size() == 1) {
      dl->AddCircleFilled(im(path[0]), width * 1.2f, color);
      continue;
    }
    pts.clear();
    for (const PixelPoint& p : path) pts.push_back(im(p));
    dl->AddPolyline(pts.data(), int(pts.size()), color, ImDrawFlags_None, width);
  }
}

constexpr const char* kFollowLabel = "Follow >|";

struct LegendRow {
  std::string name;
  uint32_t color;
  bool dashed, band, hidden;
  PixelRect box;  // clickable area
  bool markers;   // a dot swatch
};

// Where everything of one frame of the widget goes, computed before input so clicks can hit the legend.
struct WidgetFrame {
  ImVec2 origin, size;
  float font_h = 0;
  PixelRect plot;  // the data area
  Ticks x_ticks, y_ticks;
  std::vector<LegendRow> legend;
  bool show_follow_button = false;
  PixelRect follow_button;
  bool hovered = false, active = false, right_clicked = false;
  ImVec2 mouse;

  ImVec2 pmin() const { return ImVec2(float(plot.x), float(plot.y)); }
  ImVec2 pmax() const { return ImVec2(float(plot.x + plot.w), float(plot.y + plot.h)); }
  bool over_plot() const { return hovered && contains(plot, mouse); }
  bool over_button() const { return show_follow_button && contains(follow_button, mouse); }
  const LegendRow* legend_row_at(ImVec2 p) const {
    for (const LegendRow& r : legend) {
      if (contains(r.box, p)) return &r;
    }
    return nullptr;
  }
};

// Layout from the current font: title on top, x labels below, y labels left, legend top-right inside the plot.
void layout_widget(WidgetFrame& f, const PlotFigure& figure, const PlotWidgetState& state,
                   const PlotWidgetOptions& options) {
  const ImGuiStyle& style = ImGui::GetStyle();
  f.font_h = ImGui::GetTextLineHeight();
  const float top = (options.show_title && !figure.title.empty()) ? f.font_h + 2 * style.ItemInnerSpacing.y : 6.0f;
  const float bottom = f.font_h + 8 + (figure.x_label.empty() ? 0 : f.font_h + 2);
  const float plot_h0 = std::max(10.0f, f.size.y - top - bottom);
  f.y_ticks =
      axis_ticks(state.view.y0, state.view.y1, state.view.log_y, std::clamp(int(plot_h0 / (f.font_h * 2.2f)), 2, 10));
  const float left = 6 + (figure.y_label.empty() ? 0 : f.font_h + 4) + widest(f.y_ticks) + 8;
  float legend_w = 0;
  if (options.show_legend) {
    for (const PlotSeries& s : figure.series) {
      if (s.visible && !s.name.empty())
        f.legend.push_back({s.name, s.color, s.dashed, false, is_hidden(state, s.name), {}, s.markers});
    }
    for (const PlotBand& b : figure.bands) {
      if (b.visible && !b.name.empty())
        f.legend.push_back({b.name, b.color, false, true, is_hidden(state, b.name), {}, false});
    }
    for (const LegendRow& r : f.legend) legend_w = std::max(legend_w, ImGui::CalcTextSize(r.name.c_str()).x);
    legend_w += 22 + 3 * style.ItemInnerSpacing.x;
  }
  // Outside (right of the plot area) when asked and the plot keeps at least 160 px: no data under the legend.
  const bool outside = options.legend_outside && !f.legend.empty() && f.size.x - left - legend_w - 18 >= 160;
  const float right = outside ? legend_w + 18 : 12;
  f.plot = {f.origin.x + left, f.origin.y + top, std::max(10.0f, f.size.x - left - right), plot_h0};
  for (int n = 12; n >= 2; --n) {
    f.x_ticks = axis_ticks(state.view.x0, state.view.x1, state.view.log_x, n);
    if (f.x_ticks.size() * (widest(f.x_ticks) + 2 * f.font_h) <= f.plot.w) break;
  }
  const float row_h = f.font_h + 2;
  // A legend inside a plot too small to hold it would cover the axis labels and most of the data (a 70 px high
  // Stage II plot at 1280x720): it is left out there; the plot's menu, the tooltip and a larger window show it.
  if (!outside && !f.legend.empty() &&
      (legend_w + 12 > f.plot.w || row_h * f.legend.size() + 12 + style.ItemInnerSpacing.y > f.plot.h))
    f.legend.clear();
  const double legend_x = outside ? f.plot.x + f.plot.w + 12 : f.plot.x + f.plot.w - legend_w - 6;
  for (size_t i = 0; i < f.legend.size(); ++i)
    f.legend[i].box = {legend_x, f.plot.y + 6 + style.ItemInnerSpacing.y * 0.5 + row_h * i, legend_w, row_h};

  f.show_follow_button = !state.auto_fit && !state.follow_latest;
  const ImVec2 follow_size = ImGui::CalcTextSize(kFollowLabel);
  f.follow_button = {f.plot.x + f.plot.w - follow_size.x - 2 * style.FramePadding.x - 5,
                     f.plot.y + f.plot.h - follow_size.y - 7, follow_size.x + 2 * style.FramePadding.x,
                     follow_size.y + 2};
}

// Clicks (follow button, legend toggles, start of a pan), drag to pan, wheel to zoom, double-click to fit.
void handle_input(const WidgetFrame& f, const PlotFigure& figure, PlotWidgetState& state,
                  const PlotWidgetOptions& options, bool log_y, bool log_x, PlotWidgetEvents& events) {
  const ImGuiIO& io = ImGui::GetIO();
  if (f.hovered && ImGui::IsMouseClicked(ImGuiMouseButton_Left)) {
    if (f.over_button()) {
      state.follow_latest = true;
      state.dragging = false;
    } else if (const LegendRow* row = f.legend_row_at(f.mouse)) {
      toggle_hidden(state, row->name);
      state.dragging = false;
    } else {
      state.dragging = contains(f.plot, f.mouse);
    }
  }
  if (!f.active) state.dragging = false;
  if (state.dragging && (io.MouseDelta.x != 0 || io.MouseDelta.y != 0)) {
    state.view = pan_view(state.view, f.plot, io.MouseDelta.x, io.MouseDelta.y);
    state.auto_fit = state.follow_latest = false;
    events.view_changed_by_user = true;
  }
  if (f.over_plot() && io.MouseWheel != 0) {
    const float k = std::pow(options.zoom_per_wheel_notch, io.MouseWheel);
    const PixelPoint anchor = from_pixel(state.view, f.plot, f.mouse.x, f.mouse.y);
    state.view = zoom_view(state.view, anchor.x, anchor.y, io.KeyCtrl ? 1.0 : k, io.KeyShift ? 1.0 : k);
    state.auto_fit = state.follow_latest = false;
    events.view_changed_by_user = true;
  }
  if (f.over_plot() && ImGui::IsMouseDoubleClicked(ImGuiMouseButton_Left) && !f.legend_row_at(f.mouse) &&
      !f.over_button()) {
    state.auto_fit = state.follow_latest = true;
    update_view(figure, state, options, log_y, log_x);
  }
}

// `text` cut at a word to fit `width` pixels, ending in "..." (the whole text is the hover tooltip); as it is when it
// fits. Titles and axis labels never overprint their neighbours or break mid-word.
std::string fit_text(const std::string& text, float width) {
  std::string shown = text;
  while (ImGui::CalcTextSize(shown.c_str()).x > width && shown.size() > 4) {
    const size_t cut = shown.find_last_of(' ', shown.size() - 4);
    if (cut == std::string::npos || cut == 0) break;
    shown = shown.substr(0, cut) + "...";
  }
  return shown;
}

// Background, title, grid, tick marks and labels, axis labels.
void draw_axes(ImDrawList* dl, const WidgetFrame& f, const PlotFigure& figure, const PlotView& view,
               const PlotWidgetOptions& options) {
  const ImGuiStyle& style = ImGui::GetStyle();
  const ImU32 text_col = ImGui::GetColorU32(ImGuiCol_Text);
  const ImU32 grid_col = ImGui::GetColorU32(ImGuiCol_Border, 0.45f);
  const ImU32 frame_col = ImGui::GetColorU32(ImGuiCol_Border);
  const PixelRect& plot = f.plot;
  const ImVec2 pmin = f.pmin(), pmax = f.pmax();
  dl->AddRectFilled(pmin, pmax, ImGui::GetColorU32(ImGuiCol_FrameBg));
  if (options.show_title && !figure.title.empty()) {
    const std::string title = fit_text(figure.title, f.size.x - 8);
    const ImVec2 ts = ImGui::CalcTextSize(title.c_str());
    const float x = std::clamp(float(plot.x + (plot.w - ts.x) / 2), f.origin.x + 4, f.origin.x + f.size.x - ts.x - 4);
    dl->AddText(ImVec2(x, f.origin.y + style.ItemInnerSpacing.y), text_col, title.c_str());
    if (title != figure.title && f.hovered && f.mouse.y < plot.y) ImGui::SetTooltip("%s", figure.title.c_str());
  }
  for (const PlotTick& t : f.x_ticks) {
    const float x = std::round(float(to_pixel(view, plot, t.value, view.y0).x));
    dl->AddLine(ImVec2(x, pmin.y), ImVec2(x, pmax.y), grid_col);
    dl->AddLine(ImVec2(x, pmax.y), ImVec2(x, pmax.y + 4), frame_col);
    const ImVec2 ts = ImGui::CalcTextSize(t.label.c_str());
    dl->AddText(ImVec2(x - ts.x / 2, pmax.y + 5), text_col, t.label.c_str());
  }
  for (const PlotTick& t : f.y_ticks) {
    const float y = std::round(float(to_pixel(view, plot, view.x0, t.value).y));
    dl->AddLine(ImVec2(pmin.x, y), ImVec2(pmax.x, y), grid_col);
    dl->AddLine(ImVec2(pmin.x - 4, y), ImVec2(pmin.x, y), frame_col);
    const ImVec2 ts = ImGui::CalcTextSize(t.label.c_str());
    dl->AddText(ImVec2(pmin.x - 6 - ts.x, y - ts.y / 2), text_col, t.label.c_str());
  }
  if (!figure.x_label.empty()) {
    const std::string label = fit_text(figure.x_label, float(plot.w));
    const ImVec2 ts = ImGui::CalcTextSize(label.c_str());
    dl->AddText(ImVec2(float(plot.x + (plot.w - ts.x) / 2), pmax.y + f.font_h + 8), text_col, label.c_str());
  }
  if (!figure.y_label.empty()) {
    // ImGui 1.86 has no rotated text: draw it level with the full-screen clip (so no glyph is culled before it is
    // turned) and rotate the vertices it added by 90 degrees about the label's centre.
    const ImVec2 ts = ImGui::CalcTextSize(figure.y_label.c_str());
    const float cx = f.origin.x + 4 + f.font_h / 2, cy = float(plot.y + plot.h / 2);
    dl->PushClipRectFullScreen();
    const int first = dl->VtxBuffer.Size;
    dl->AddText(ImVec2(cx - ts.x / 2, cy - ts.y / 2), text_col, figure.y_label.c_str());
    for (int i = first; i < dl->VtxBuffer.Size; ++i) {
      ImVec2& p = dl->VtxBuffer[i].pos;
      p = ImVec2(cx + (p.y - cy), cy - (p.x - cx));
    }
    dl->PopClipRect();
  }
}

// Shaded intervals, bands, series, the step marker and the hover crosshair, clipped to the plot area; then the frame.
void draw_series(ImDrawList* dl, const WidgetFrame& f, const PlotFigure& figure, const PlotWidgetState& state,
                 const PlotWidgetOptions& options, bool show_readout) {
  const PlotView& view = state.view;
  const PixelRect& plot = f.plot;
  const ImVec2 pmin = f.pmin(), pmax = f.pmax();
  dl->PushClipRect(pmin, pmax, true);
  const PixelRect clip{plot.x - 2, plot.y - 2, plot.w + 4, plot.h + 4};
  for (const PlotInterval& iv : figure.intervals) {
    const float a = std::isinf(iv.x0) ? pmin.x : float(to_pixel(view, plot, iv.x0, view.y0).x);
    const float b = std::isinf(iv.x1) ? pmax.x : float(to_pixel(view, plot, iv.x1, view.y0).x);
    if (!(b > a)) continue;
    dl->AddRectFilled(ImVec2(std::max(a, pmin.x), pmin.y), ImVec2(std::min(b, pmax.x), pmax.y), rgb(iv.color, 45));
    if (!iv.label.empty()) {
      // At the interval's start, moved left where it would run past the plot's right edge (a shaded run that
      // starts late, e.g. "bound vacuous" at the last step), and cut with "…" only where the plot is narrower.
      std::string label = iv.label;
      // Never under the legend: where a legend inside the plot reaches down to the label's line (a short plot), the
      // label keeps left of it ("bound: does not apply" was overprinted by the legend in a 70 px high plot).
      const float label_y = pmax.y - f.font_h - 2;
      float right_x = pmax.x;
      if (!f.legend.empty() && f.legend[0].box.x < pmax.x &&
          f.legend.back().box.y + f.legend.back().box.h + 2 > label_y)
        right_x = std::min(right_x, float(f.legend[0].box.x) - 6);
      const float room = right_x - pmin.x - 8;
      while (label.size() > 1 && ImGui::CalcTextSize(label.c_str()).x > room) {
        label.pop_back();
        while (!label.empty() && (static_cast<unsigned char>(label.back()) & 0xC0) == 0x80) label.pop_back();
        if (ImGui::CalcTextSize((label + "…").c_str()).x <= room) {
          label += "…";
          break;
        }
      }
      const float w = ImGui::CalcTextSize(label.c_str()).x;
      const float x = std::max(pmin.x + 4, std::min(std::max(a, pmin.x) + 4, right_x - 4 - w));
      if (room > 0) dl->AddText(ImVec2(x, label_y), ImGui::GetColorU32(ImGuiCol_TextDisabled), label.c_str());
    }
  }
  for (const PlotBand& b : figure.bands) {
    if (b.visible && !is_hidden(state, b.name)) draw_band(dl, b, view, plot);
  }
  for (const PlotSeries& s : figure.series) {
    if (!s.visible || is_hidden(state, s.name)) continue;
    if (s.markers) {
      for (const PixelPoint& p : series_points(s, view, plot, clip))
        dl->AddCircleFilled(im(p), std::max(3.5f, f.font_h * 0.25f), rgb(s.color));
      continue;
    }
    auto paths = series_paths(s, view, plot, clip);
    if (s.dashed) paths = dash_paths(paths, 6, 4);
    draw_paths(dl, paths, rgb(s.color), options.line_width);
  }
  // Exact zeros on a log axis: a triangle on the bottom edge, and a note saying what it means.
  bool any_zero = false;
  for (const PlotSeries& s : figure.series) {
    if (!s.visible || is_hidden(state, s.name)) continue;
    for (const PixelPoint& m : zero_marks(s, view, plot)) {
      const float k = std::max(4.0f, f.font_h * 0.3f);
      dl->AddTriangleFilled(ImVec2(float(m.x) - k, float(m.y) - 1.7f * k),
                            ImVec2(float(m.x) + k, float(m.y) - 1.7f * k), im(m), rgb(s.color));
      any_zero = true;
    }
  }
  if (any_zero)
    dl->AddText(ImVec2(pmin.x + 4, pmin.y + 2), ImGui::GetColorU32(ImGuiCol_TextDisabled), "\u25BC = exactly 0");
  if (std::isfinite(figure.marker_x)) {
    const float x = float(to_pixel(view, plot, figure.marker_x, view.y0).x);
    dl->AddLine(ImVec2(x, pmin.y), ImVec2(x, pmax.y), ImGui::GetColorU32(ImGuiCol_PlotLinesHovered, 0.8f), 1.5f);
  }
  if (show_readout) {
    const ImU32 cross = ImGui::GetColorU32(ImGuiCol_Text, 0.35f);
    dl->AddLine(ImVec2(f.mouse.x, pmin.y), ImVec2(f.mouse.x, pmax.y), cross);
    dl->AddLine(ImVec2(pmin.x, f.mouse.y), ImVec2(pmax.x, f.mouse.y), cross);
  }
  dl->PopClipRect();
  dl->AddRect(pmin, pmax, ImGui::GetColorU32(ImGuiCol_Border));
}

// The legend on top of the data; hovering an entry shows its series' tooltip.
void draw_legend(ImDrawList* dl, const WidgetFrame& f, const PlotFigure& figure, const PlotWidgetOptions& options) {
  if (f.legend.empty()) return;
  const ImGuiStyle& style = ImGui::GetStyle();
  const LegendRow& last = f.legend.back();
  const ImVec2 lmin(float(f.legend[0].box.x), float(f.legend[0].box.y - style.ItemInnerSpacing.y * 0.5f));
  const ImVec2 lmax(float(last.box.x + last.box.w), float(last.box.y + last.box.h + style.ItemInnerSpacing.y * 0.5f));
  dl->AddRectFilled(lmin, lmax, ImGui::GetColorU32(ImGuiCol_PopupBg, 0.85f), 3.0f);
  dl->AddRect(lmin, lmax, ImGui::GetColorU32(ImGuiCol_Border), 3.0f);
  for (const LegendRow& r : f.legend) {
    const float cy = float(r.box.y + r.box.h / 2), x0 = float(r.box.x + style.ItemInnerSpacing.x);
    const int alpha = r.hidden ? 70 : 255;
    if (contains(r.box, f.mouse) && f.hovered) {
      dl->AddRectFilled(im({r.box.x, r.box.y}), im({r.box.x + r.box.w, r.box.y + r.box.h}),
                        ImGui::GetColorU32(ImGuiCol_HeaderHovered, 0.5f));
    }
    if (r.band) {
      dl->AddRectFilled(ImVec2(x0, cy - 4), ImVec2(x0 + 22, cy + 4), rgb(r.color, r.hidden ? 30 : 90));
    } else if (r.markers) {
      dl->AddCircleFilled(ImVec2(x0 + 11, cy), std::max(3.5f, f.font_h * 0.25f), rgb(r.color, alpha));
    } else {
      std::vector<std::vector<PixelPoint>> sample = {{{x0, cy}, {x0 + 22, cy}}};
      if (r.dashed) sample = dash_paths(sample, 6, 4);
      draw_paths(dl, sample, rgb(r.color, alpha), options.line_width);
    }
    dl->AddText(ImVec2(x0 + 22 + style.ItemInnerSpacing.x, cy - f.font_h / 2),
                ImGui::GetColorU32(r.hidden ? ImGuiCol_TextDisabled : ImGuiCol_Text), r.name.c_str());
  }
  if (f.hovered) {
    if (const LegendRow* row = f.legend_row_at(f.mouse)) {
      for (const PlotSeries& s : figure.series) {
        if (s.name == row->name && !s.tooltip.empty()) ImGui::SetTooltip("%s", s.tooltip.c_str());
      }
    }
  }
}

// Tooltip with every visible series' value at the sample nearest to the mouse.
void draw_readout(const WidgetFrame& f, const PlotFigure& figure, const PlotWidgetState& state) {
  const double x = from_pixel(state.view, f.plot, f.mouse.x, f.mouse.y).x;
  const std::vector<HoverValue> values = hover_readout(figure, x);
  ImGui::BeginTooltip();
  ImGui::Text("%s = %.6g", figure.x_label.empty() ? "x" : figure.x_label.c_str(), x);
  for (size_t i = 0; i < values.size(); ++i) {
    const PlotSeries& s = figure.series[i];
    if (!s.visible || is_hidden(state, s.name)) continue;
    ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(rgb(s.color)), "%s", s.name.c_str());
    ImGui::SameLine();
    if (std::isnan(values[i].y))
      ImGui::TextDisabled("undefined");
    else
      ImGui::Text("%.6g  (at %.6g)", values[i].y, values[i].x);
  }
  ImGui::EndTooltip();
}

// A small resume button when the user has taken over the view (hit-tested in handle_input, like the legend).
void draw_follow_button(ImDrawList* dl, const WidgetFrame& f) {
  if (!f.show_follow_button) return;
  const ImGuiStyle& style = ImGui::GetStyle();
  const bool hot = f.hovered && contains(f.follow_button, f.mouse);
  const ImVec2 bmin = im({f.follow_button.x, f.follow_button.y});
  const ImVec2 bmax = im({f.follow_button.x + f.follow_button.w, f.follow_button.y + f.follow_button.h});
  dl->AddRectFilled(bmin, bmax, ImGui::GetColorU32(hot ? ImGuiCol_ButtonHovered : ImGuiCol_Button), 3.0f);
  dl->AddText(ImVec2(bmin.x + style.FramePadding.x, bmin.y + 1), ImGui::GetColorU32(ImGuiCol_Text), kFollowLabel);
}

// Right-click menu: exports, fit, log y, log x, follow.
void draw_menu(const WidgetFrame& f, PlotWidgetState& state, bool log_y, bool log_x, PlotWidgetEvents& events) {
  if (f.right_clicked) ImGui::OpenPopup("##menu");
  if (!ImGui::BeginPopup("##menu")) return;
  if (ImGui::MenuItem("Export PNG...")) events.export_request = PlotExport::Png;
  const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
  events.menu_item[0] = a.x, events.menu_item[1] = a.y, events.menu_item[2] = b.x, events.menu_item[3] = b.y;
  if (ImGui::MenuItem("Export PNG 2x...")) events.export_request = PlotExport::Png2x;
  if (ImGui::MenuItem("Export SVG...")) events.export_request = PlotExport::Svg;
  if (ImGui::MenuItem("Export PDF...")) events.export_request = PlotExport::Pdf;
  if (ImGui::MenuItem("Export CSV...")) events.export_request = PlotExport::Csv;
  if (ImGui::MenuItem("Export options...")) events.export_request = PlotExport::Options;
  ImGui::Separator();
  if (ImGui::MenuItem("Fit", "double-click")) state.auto_fit = state.follow_latest = true;
  if (ImGui::MenuItem("Log Y", nullptr, log_y)) state.log_y = !log_y;
  if (ImGui::MenuItem("Log X", nullptr, log_x)) state.log_x = !log_x;
  if (ImGui::MenuItem("Follow latest", nullptr, state.auto_fit || state.follow_latest)) {
    state.follow_latest = true;
    if (state.auto_fit) state.auto_fit = false;  // keep the current span and slide with the data
  }
  ImGui::EndPopup();
}
}  // namespace

PlotFigure figure_as_shown(const PlotFigure& figure, const PlotWidgetState& state) {
  PlotFigure shown = figure;
  for (PlotSeries& s : shown.series) s.visible = s.visible && !is_hidden(state, s.name);
  for (PlotBand& b : shown.bands) b.visible = b.visible && !is_hidden(state, b.name);
  shown.log_y = state.log_y.value_or(figure.log_y);
  shown.log_x = state.log_x.value_or(figure.log_x);
  return shown;
}

// layout -> input -> axes -> series -> legend -> readout -> menu.
PlotWidgetEvents draw_plot_widget(const char* id, const PlotFigure& figure, PlotWidgetState& state,
                                  const PlotWidgetOptions& options) {
  PlotWidgetEvents events;
  ImGui::PushID(id);
  WidgetFrame f;
  f.size = options.size;
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  if (f.size.x <= 0) f.size.x = std::max(avail.x + f.size.x + 1, 120.0f);
  if (f.size.y <= 0) f.size.y = std::max(avail.y + f.size.y + 1, 80.0f);
  f.origin = ImGui::GetCursorScreenPos();
  events.width = int(f.size.x), events.height = int(f.size.y);

  ImGui::InvisibleButton("##plot", f.size, ImGuiButtonFlags_MouseButtonLeft);
  ImGui::SetItemUsingMouseWheel();
  f.hovered = ImGui::IsItemHovered(), f.active = ImGui::IsItemActive();
  f.right_clicked = f.hovered && ImGui::IsMouseReleased(ImGuiMouseButton_Right);
  f.mouse = ImGui::GetIO().MousePos;
  events.hovered = f.hovered;

  const bool log_y = state.log_y.value_or(figure.log_y), log_x = state.log_x.value_or(figure.log_x);
  update_view(figure, state, options, log_y, log_x);
  layout_widget(f, figure, state, options);
  handle_input(f, figure, state, options, log_y, log_x, events);

  const bool show_readout = f.over_plot() && !state.dragging && !f.legend_row_at(f.mouse) && !f.over_button() &&
                            !ImGui::IsPopupOpen("##menu");
  if (f.over_plot()) {
    const PixelPoint data = from_pixel(state.view, f.plot, f.mouse.x, f.mouse.y);
    events.hover_x = data.x, events.hover_y = data.y;
  }
  ImDrawList* dl = ImGui::GetWindowDrawList();
  draw_axes(dl, f, figure, state.view, options);
  draw_series(dl, f, figure, state, options, show_readout);
  draw_legend(dl, f, figure, options);
  if (show_readout && options.value_readout) draw_readout(f, figure, state);
  draw_follow_button(dl, f);
  draw_menu(f, state, log_y, log_x, events);
  ImGui::PopID();
  return events;
}
}  // namespace uhop
