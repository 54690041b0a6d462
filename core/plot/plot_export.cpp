#include "plot_export.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>

#include "io/atomic_file.h"
#include "numerics/input_error.h"
#include "plot_painter.h"

namespace uhop {
namespace {
constexpr double kCssPixelsPerCm = 96 / 2.54;
constexpr double kMaxPngSide = 8000;

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}
}  // namespace

const char* to_string(PlotFormat f) {
  switch (f) {
    case PlotFormat::svg:
      return "svg";
    case PlotFormat::pdf:
      return "pdf";
    case PlotFormat::png:
      return "png";
    case PlotFormat::csv:
      return "csv";
  }
  return "?";
}

PlotFormat parse_plot_format(const std::string& text) {
  for (PlotFormat f : {PlotFormat::svg, PlotFormat::pdf, PlotFormat::png, PlotFormat::csv})
    if (lower(text) == to_string(f)) return f;
  throw InputError("unknown format " + quoted_excerpt(text) + " (svg, pdf, png or csv)");
}

std::optional<PlotFormat> plot_format_of_path(const std::string& path) {
  const auto dot = path.find_last_of('.'), slash = path.find_last_of('/');
  if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) return std::nullopt;
  try {
    return parse_plot_format(path.substr(dot + 1));
  } catch (const InputError&) {
    return std::nullopt;
  }
}

const char* to_string(SizeUnit u) {
  return u == SizeUnit::cm ? "cm" : "px";
}

SizeUnit parse_size_unit(const std::string& text) {
  if (text == "px") return SizeUnit::px;
  if (text == "cm") return SizeUnit::cm;
  throw InputError("unknown size unit " + quoted_excerpt(text) + " (px or cm)");
}

const char* to_string(PlotTheme t) {
  return t == PlotTheme::dark ? "dark" : "light";
}

PlotTheme parse_plot_theme(const std::string& text) {
  if (text == "light") return PlotTheme::light;
  if (text == "dark") return PlotTheme::dark;
  throw InputError("unknown theme " + quoted_excerpt(text) + " (light or dark)");
}

void check_export_settings(const ExportSettings& s) {
  const bool cm = s.unit == SizeUnit::cm;
  const double lo = cm ? 1 : 32, hi = cm ? 100 : 8000;
  const char* unit = to_string(s.unit);
  for (auto [key, v] : {std::pair<const char*, double>{"width", s.width}, {"height", s.height}}) {
    if (!std::isfinite(v) || (v != 0 && (v < lo || v > hi)))
      throw InputError(std::string(key) + ": must be 0 (the size on screen) or " + number(lo) + ".." + number(hi) +
                       " " + unit);
  }
  if ((s.width == 0) != (s.height == 0)) throw InputError("height: give both width and height, or neither (0 0)");
  if (!std::isfinite(s.dpi) || s.dpi < 30 || s.dpi > 1200) throw InputError("dpi: must be 30..1200");
  if (!std::isfinite(s.font_scale) || s.font_scale < 0.5 || s.font_scale > 4)
    throw InputError("font_scale: must be 0.5..4");
  if (cm && s.width > 0 && std::max(s.width, s.height) / 2.54 * s.dpi > kMaxPngSide)
    throw InputError("dpi: " + number(s.dpi) + " dpi at " + number(std::max(s.width, s.height)) +
                     " cm gives a PNG over " + number(kMaxPngSide) + " px on a side");
}

ExportPage export_page(const ExportSettings& s, double screen_w, double screen_h, double png_scale) {
  ExportPage page;
  page.style.font_scale = s.font_scale;
  page.style.theme = s.theme;
  const bool sized = s.width > 0 && s.height > 0;
  if (sized && s.unit == SizeUnit::cm) {
    page.width = s.width * kCssPixelsPerCm, page.height = s.height * kCssPixelsPerCm;
    page.png_scale = s.dpi / 96 * png_scale;
    page.svg_width = number(s.width) + "cm", page.svg_height = number(s.height) + "cm";
    return page;
  }
  // "As on screen", but never below 320 x 200: a plot squeezed into a short strip on screen still gets room for its
  // labels in a file.
  page.width = sized ? s.width : std::max(320.0, screen_w > 0 ? screen_w : 640);
  page.height = sized ? s.height : std::max(200.0, screen_h > 0 ? screen_h : 360);
  page.width = std::round(page.width), page.height = std::round(page.height);
  page.png_scale = png_scale;
  page.svg_width = number(page.width), page.svg_height = number(page.height);
  return page;
}

std::vector<uint8_t> render_figure_rgba(const ExportFigure& f, const ExportPage& page, int& width, int& height) {
  width = static_cast<int>(std::lround(page.width * page.png_scale));
  height = static_cast<int>(std::lround(page.height * page.png_scale));
  if (width > kMaxPngSide || height > kMaxPngSide) return {};
  // The cairo renderers take whole CSS pixels; a cm page is rounded to the nearest one.
  const int w = static_cast<int>(std::lround(page.width)), h = static_cast<int>(std::lround(page.height));
  const float scale = static_cast<float>(page.png_scale);
  std::vector<uint8_t> rgba = f.heatmap ? render_heatmap_rgba(*f.heatmap, w, h, scale, page.style)
                                        : render_plot_rgba(f.plot, f.view, w, h, scale, page.style);
  width = static_cast<int>(std::lround(w * scale)), height = static_cast<int>(std::lround(h * scale));
  return rgba;
}

void save_figure(const std::string& path, PlotFormat format, const ExportFigure& f, const ExportPage& page) {
  if (!(page.width >= 1) || !(page.height >= 1)) throw input_error(path, "the figure has no size to export");
  switch (format) {
    case PlotFormat::svg:
      write_file_atomically(path, [&](std::ostream& out) {
        if (f.heatmap) {
          write_heatmap_svg_sized(out, *f.heatmap, page.width, page.height, page.style, page.svg_width,
                                  page.svg_height);
        } else {
          write_plot_svg_sized(out, f.plot, f.view, page.width, page.height, page.style, page.svg_width,
                               page.svg_height);
        }
      });
      return;
    case PlotFormat::pdf:
      write_file_atomically(path, [&](std::ostream& out) {
        if (f.heatmap) {
          write_heatmap_pdf(out, *f.heatmap, page.width, page.height, page.style);
        } else {
          write_plot_pdf(out, f.plot, f.view, page.width, page.height, page.style);
        }
      });
      return;
    case PlotFormat::csv:
      write_file_atomically(path, [&](std::ostream& out) {
        if (f.heatmap) {
          write_heatmap_csv(out, *f.heatmap);
        } else {
          write_plot_csv(out, f.plot);
        }
      });
      return;
    case PlotFormat::png: {
      if (!can_draw_raster()) {  // the browser: the page draws this SVG at the PNG's pixel size (plot_export.h)
        const std::string w_px = number(std::round(page.width * page.png_scale));
        const std::string h_px = number(std::round(page.height * page.png_scale));
        if (std::max(page.width, page.height) * page.png_scale > kMaxPngSide)
          throw input_error(
              path, "cannot draw a " + w_px + " x " + h_px + " PNG (at most " + number(kMaxPngSide) + " px on a side)");
        write_file_atomically(path + kSvgForPngSuffix, [&](std::ostream& out) {
          if (f.heatmap) {
            write_heatmap_svg_sized(out, *f.heatmap, page.width, page.height, page.style, w_px, h_px);
          } else {
            write_plot_svg_sized(out, f.plot, f.view, page.width, page.height, page.style, w_px, h_px);
          }
        });
        return;
      }
      int w = 0, h = 0;
      const std::vector<uint8_t> rgba = render_figure_rgba(f, page, w, h);
      const std::vector<uint8_t> png = rgba.empty() ? rgba : encode_rgba_png(rgba.data(), w, h);
      if (png.empty())
        throw input_error(path, "cannot draw a " + std::to_string(w) + " x " + std::to_string(h) + " PNG (at most " +
                                    number(kMaxPngSide) + " px on a side)");
      write_bytes_atomically(path, png.data(), png.size());
      return;
    }
  }
}
}  // namespace uhop
