// The Export options window: format, size (as on screen, or px, or cm with a DPI), font scale, light/dark and the
// folder. The options are settings of the StudioState (set export_format=... etc.), so the worker keeps them, scripts
// can set them and session files store them; every change is a `set` command.
#include <cmath>
#include <cstdio>

#include "studio_ui.h"

namespace studio {
namespace {
std::string size_text(double w, double h) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%gx%g", w, h);
  return buf;
}

// What an export of a plot shown at 640 x 360 would be with these options.
void preview(const uhop::ExportSettings& e) {
  const uhop::ExportPage page = uhop::export_page(e, 640, 360);
  const double png_w = std::round(std::round(page.width) * page.png_scale),
               png_h = std::round(std::round(page.height) * page.png_scale);
  ImGui::TextDisabled("a plot shown at 640 x 360 exports as: PNG %.0f x %.0f px, PDF %.1f x %.1f cm", png_w, png_h,
                      page.width * 2.54 / 96, page.height * 2.54 / 96);
}
}  // namespace

void export_options_window(UiContext& ui) {
  static bool editing_folder = false;
  if (!editing_folder) {  // the export folder the other exports (and F12) use follows the worker's state
    std::snprintf(ui.export_dir, sizeof ui.export_dir, "%s", ui.snap->state.exports.folder.c_str());
  }
  if (!ui.show_export_options) return;
  ImGui::SetNextWindowSize(ImVec2(ImGui::GetFontSize() * 30, 0), ImGuiCond_FirstUseEver);
  if (!ImGui::Begin("Export options", &ui.show_export_options, ImGuiWindowFlags_AlwaysAutoResize)) {
    ImGui::End();
    return;
  }
  uhop::ExportSettings& e = ui.edit.exports;
  const float field = ImGui::GetFontSize() * 6;

  const char* formats[] = {"svg", "pdf", "png", "csv"};
  int format = static_cast<int>(e.format);
  ImGui::SetNextItemWidth(field);
  if (ImGui::Combo("format", &format, formats, 4)) ui.push(make_set("export_format", formats[format]));
  formula_tip(
      "What 'Export <format>' in a plot's or heatmap's right-click menu writes. PDF and SVG keep text as "
      "text (editable in Inkscape, selectable in a PDF viewer); PNG is drawn by cairo; CSV holds the numbers.");

  bool on_screen = e.width <= 0;
  if (ImGui::RadioButton("size as on screen", on_screen) && !on_screen) ui.push(make_set("export_size", "0"));
  ImGui::SameLine();
  if (ImGui::RadioButton("fixed size", !on_screen) && on_screen) {
    ui.push(make_set("export_size", e.unit == uhop::SizeUnit::cm ? "16x9" : "800x480"));
  }
  if (!on_screen) {
    const char* units[] = {"px", "cm"};
    int unit = static_cast<int>(e.unit);
    ImGui::SetNextItemWidth(field);
    if (ImGui::Combo("unit", &unit, units, 2)) ui.push(make_set("export_unit", units[unit]));
    formula_tip("px: the figure is W x H pixels. cm: its physical size (PDF/SVG pages in cm; PNG at the DPI below).");
    float wh[2] = {static_cast<float>(e.width), static_cast<float>(e.height)};
    ImGui::SetNextItemWidth(field * 2);
    if (ImGui::InputFloat2(e.unit == uhop::SizeUnit::cm ? "width x height (cm)" : "width x height (px)", wh, "%.1f")) {
      e.width = wh[0], e.height = wh[1];
    }
    if (ImGui::IsItemDeactivatedAfterEdit()) ui.push(make_set("export_size", size_text(e.width, e.height)));
    if (e.unit == uhop::SizeUnit::cm) {
      float dpi = static_cast<float>(e.dpi);
      ImGui::SetNextItemWidth(field);
      if (ImGui::InputFloat("dpi (PNG)", &dpi, 0, 0, "%.0f")) e.dpi = dpi;
      if (ImGui::IsItemDeactivatedAfterEdit()) ui.push(make_set("export_dpi", e.dpi));
      formula_tip("PNG pixels per inch for a size in cm: 16 cm at 300 dpi is 1890 px.");
    }
  }
  float font = static_cast<float>(e.font_scale);
  ImGui::SetNextItemWidth(field * 2);
  if (ImGui::SliderFloat("font scale", &font, 0.5f, 4.0f, "%.2fx")) e.font_scale = font;
  if (ImGui::IsItemDeactivatedAfterEdit()) ui.push(make_set("export_font_scale", e.font_scale));
  formula_tip("Text sizes times this (1.5 or 2 for slides); the plot area shrinks to make room.");
  int theme = static_cast<int>(e.theme);
  if (ImGui::RadioButton("light", theme == 0) && theme != 0) ui.push(make_set("export_theme", "light"));
  ImGui::SameLine();
  if (ImGui::RadioButton("dark", theme == 1) && theme != 1) ui.push(make_set("export_theme", "dark"));
  ImGui::SetNextItemWidth(field * 3);
  ImGui::InputTextWithHint("folder", "(the folder the Studio was started in)", ui.export_dir, sizeof ui.export_dir);
  editing_folder = ImGui::IsItemActive();
  if (ImGui::IsItemDeactivatedAfterEdit()) ui.push(make_set("export_folder", std::string(ui.export_dir)));
  formula_tip(
      "Where the save dialog opens (it remembers the folder of the last export, also across runs) and where F12 "
      "screenshots go, named uhop-studio-NNN.png. Empty = the folder the Studio was started in.");
  preview(ui.snap->state.exports);
  ImGui::TextDisabled("Saved with the session (File > Save session).");
  ImGui::End();
}
}  // namespace studio
