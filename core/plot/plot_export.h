// One export path for every figure the Studio or the CLI shows: a line plot (PlotFigure + PlotView) or a heatmap
// (HeatmapFigure), to SVG, PDF, PNG or CSV, with the export options a user picks (size in px or cm with a DPI, font
// scale, light/dark, folder). The options are a plain struct, checked in one place and stored in session files.
#pragma once
#include <optional>
#include <string>

#include "plot_figure.h"
#include "plot_heatmap.h"

namespace uhop {
enum class PlotFormat { svg, pdf, png, csv };
const char* to_string(PlotFormat format);
PlotFormat parse_plot_format(const std::string& text);  // "svg" "pdf" "png" "csv"; throws InputError
// The format a file name asks for by its extension (case-insensitive); none for anything else.
std::optional<PlotFormat> plot_format_of_path(const std::string& path);

enum class SizeUnit { px, cm };
const char* to_string(SizeUnit unit);
SizeUnit parse_size_unit(const std::string& text);  // "px" "cm"; throws InputError
const char* to_string(PlotTheme theme);
PlotTheme parse_plot_theme(const std::string& text);  // "light" "dark"; throws InputError

// What the export options dialog holds (and a session file's "exports" object). Defaults: PNG at the size on screen.
struct ExportSettings {
  PlotFormat format = PlotFormat::png;  // what right-click "Export" and auto-named exports write
  SizeUnit unit = SizeUnit::px;
  double width = 0, height = 0;  // in `unit`; 0 (both) = the size the plot has on screen
  double dpi = 150;              // PNG pixels per inch when the size is in cm (px sizes are pixels already)
  double font_scale = 1;         // text sizes times this
  PlotTheme theme = PlotTheme::light;
  std::string folder;  // where exports named by the app go; empty = the current folder
};
// Limits: width/height both 0, or px 32..8000 / cm 1..100; dpi 30..1200; font_scale 0.5..4; and the PNG it gives at
// most 8000 px on a side. Throws InputError "key: problem" with the key as in the session file.
void check_export_settings(const ExportSettings& settings);

// A resolved page: the figure's size in CSS pixels (96 per inch; 0.75 pt each in a PDF), the PNG pixels per CSS
// pixel, the SVG's width/height attributes ("640" or "16cm") and the style.
struct ExportPage {
  double width = 640, height = 360;
  double png_scale = 1;
  std::string svg_width, svg_height;
  PlotStyle style;
};
// screen_w/screen_h: the plot's size on screen (used when the settings give no size; at least 320 x 200); png_scale
// multiplies the PNG resolution on top (the context menu's "PNG 2x", export-plot's scale=N).
ExportPage export_page(const ExportSettings& settings, double screen_w, double screen_h, double png_scale = 1);

// One figure to export: a line plot with its view, or a heatmap.
struct ExportFigure {
  PlotFigure plot;
  PlotView view;
  std::optional<HeatmapFigure> heatmap;  // set: the heatmap is exported, plot/view are ignored
};
// Writes `path` atomically in `format`; throws InputError naming the path (bad folder, empty size, ...).
// Where this build cannot draw pixels (can_draw_raster() false: the browser), a PNG is written as the SVG of the
// same figure sized in the PNG's pixels, to path + kSvgForPngSuffix: the platform makes the PNG of it (the web page
// draws it on a canvas and offers the PNG as a download, app/platform/web/web_main.cpp).
constexpr const char* kSvgForPngSuffix = ".svg-for-png";
void save_figure(const std::string& path, PlotFormat format, const ExportFigure& figure, const ExportPage& page);
// The figure as RGBA8 (what a PNG export holds); width/height receive its size. Empty when the size is empty/huge.
std::vector<uint8_t> render_figure_rgba(const ExportFigure& figure, const ExportPage& page, int& width, int& height);
}  // namespace uhop
