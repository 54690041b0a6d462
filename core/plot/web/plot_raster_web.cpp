// The browser build's stand-in for plot_cairo.cpp (cairo is not in Emscripten offline; docs/web.md). PNG encoding
// of a ready RGBA image goes through stb_image_write (the SVG writer embeds heatmap cells as PNG); drawing a figure
// to pixels or PDF is desktop-only and refused with a message that says what to use instead.
#include <stb_image_write.h>  // implemented in app/platform/web/stb_implementation.c

#include <ostream>

#include "numerics/input_error.h"
#include "../plot_figure.h"
#include "../plot_heatmap.h"

namespace uhop {
namespace {
[[noreturn]] void desktop_only(const char* what) {
  throw InputError(std::string(what) +
                   " exports are desktop-only: in the browser, export SVG (any browser opens "
                   "and prints it) or CSV");
}
void append(void* context, void* data, int size) {
  auto* out = static_cast<std::vector<uint8_t>*>(context);
  out->insert(out->end(), static_cast<uint8_t*>(data), static_cast<uint8_t*>(data) + size);
}
}  // namespace

bool can_draw_raster() {
  return false;
}

std::vector<uint8_t> encode_rgba_png(const uint8_t* rgba, int width, int height) {
  std::vector<uint8_t> png;
  if (width <= 0 || height <= 0 || !rgba) return png;
  if (!stbi_write_png_to_func(append, &png, width, height, 4, rgba, width * 4)) png.clear();
  return png;
}

std::vector<uint8_t> render_plot_rgba(const PlotFigure&, const PlotView&, int, int, float, const PlotStyle&) {
  desktop_only("PNG");
}
std::vector<uint8_t> encode_plot_png(const PlotFigure&, const PlotView&, int, int, float, const PlotStyle&) {
  desktop_only("PNG");
}
void write_plot_pdf(std::ostream&, const PlotFigure&, const PlotView&, double, double, const PlotStyle&) {
  desktop_only("PDF");
}
void save_plot_png(const std::string&, const PlotFigure&, const PlotView&, int, int, float, const PlotStyle&) {
  desktop_only("PNG");
}
void save_plot_pdf(const std::string&, const PlotFigure&, const PlotView&, double, double, const PlotStyle&) {
  desktop_only("PDF");
}
std::vector<uint8_t> render_heatmap_rgba(const HeatmapFigure&, int, int, float, const PlotStyle&) {
  desktop_only("PNG");
}
std::vector<uint8_t> encode_heatmap_png(const HeatmapFigure&, int, int, float, const PlotStyle&) {
  desktop_only("PNG");
}
void write_heatmap_pdf(std::ostream&, const HeatmapFigure&, double, double, const PlotStyle&) {
  desktop_only("PDF");
}
}  // namespace uhop
