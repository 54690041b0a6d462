// SVG 1.1 export: real <text>, one <polyline> per unbroken run of a series, the plot area as a clip path.
#include <algorithm>
#include <cstdio>
#include <ostream>

#include "io/atomic_file.h"
#include "plot_figure.h"
#include "plot_style.h"

namespace uhop {
using namespace plot_style;

namespace {

std::string xml_escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string hex_color(uint32_t c) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "#%06x", c & 0xffffffu);
  return buf;
}

std::string px(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", v);
  return buf;
}

std::string points_attr(const std::vector<PixelPoint>& pts) {
  std::string out;
  for (const PixelPoint& p : pts) {
    if (!out.empty()) out += ' ';
    out += px(p.x) + "," + px(p.y);
  }
  return out;
}
}  // namespace

void write_plot_svg(std::ostream& out, const PlotFigure& figure, const PlotView& view, int width, int height) {
  const PlotLayout L = plot_layout(figure, view, width, height, 1);
  const PixelRect& P = L.plot;
  const PixelRect clip = inflate(P, 4);
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n"
      << "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"" << width << "\" height=\"" << height
      << "\" viewBox=\"0 0 " << width << ' ' << height
      << "\" font-family=\"DejaVu Sans, Verdana, Arial, sans-serif\">\n";
  if (!figure.title.empty()) out << "<title>" << xml_escape(figure.title) << "</title>\n";
  out << "<defs><clipPath id=\"plot-area\"><rect x=\"" << px(P.x) << "\" y=\"" << px(P.y) << "\" width=\"" << px(P.w)
      << "\" height=\"" << px(P.h) << "\"/></clipPath></defs>\n";
  out << "<rect x=\"0\" y=\"0\" width=\"" << width << "\" height=\"" << height << "\" fill=\"#ffffff\"/>\n";

  // Shaded intervals, grid, bands, series and marker: all clipped to the plot area.
  out << "<g clip-path=\"url(#plot-area)\">\n";
  for (const PlotInterval& iv : figure.intervals) {
    const double a = interval_px(view, P, iv.x0), b = interval_px(view, P, iv.x1);
    if (!(b > a)) continue;
    out << "<rect x=\"" << px(a) << "\" y=\"" << px(P.y) << "\" width=\"" << px(b - a) << "\" height=\"" << px(P.h)
        << "\" fill=\"" << hex_color(iv.color) << "\" fill-opacity=\"" << kIntervalOpacity << "\"/>\n";
  }
  out << "<g stroke=\"" << hex_color(kGridColor) << "\" stroke-width=\"1\">\n";
  for (const PlotTick& t : L.x_ticks) {
    const double x = to_pixel(view, P, t.value, view.y0).x;
    out << "<line x1=\"" << px(x) << "\" y1=\"" << px(P.y) << "\" x2=\"" << px(x) << "\" y2=\"" << px(P.y + P.h)
        << "\"/>\n";
  }
  for (const PlotTick& t : L.y_ticks) {
    const double y = to_pixel(view, P, view.x0, t.value).y;
    out << "<line x1=\"" << px(P.x) << "\" y1=\"" << px(y) << "\" x2=\"" << px(P.x + P.w) << "\" y2=\"" << px(y)
        << "\"/>\n";
  }
  out << "</g>\n";
  for (const PlotBand& b : figure.bands) {
    if (!b.visible) continue;
    for (const auto& poly : band_polygons(b, view, P, clip)) {
      out << "<polygon points=\"" << points_attr(poly) << "\" fill=\"" << hex_color(b.color) << "\" fill-opacity=\""
          << kBandOpacity << "\" stroke=\"none\"/>\n";
    }
  }
  for (const PlotSeries& s : figure.series) {
    if (!s.visible) continue;
    const std::string color = hex_color(s.color);
    for (const auto& path : series_paths(s, view, P, clip)) {
      if (path.size() == 1) {  // an isolated sample between gaps would otherwise be invisible
        out << "<circle cx=\"" << px(path[0].x) << "\" cy=\"" << px(path[0].y) << "\" r=\"" << kSeriesWidth
            << "\" fill=\"" << color << "\"/>\n";
        continue;
      }
      out << "<polyline points=\"" << points_attr(path) << "\" fill=\"none\" stroke=\"" << color << "\" stroke-width=\""
          << kSeriesWidth << "\" stroke-linejoin=\"round\" stroke-linecap=\"round\"";
      if (s.dashed) out << " stroke-dasharray=\"" << kDashOn << ',' << kDashOff << "\"";
      out << "/>\n";
    }
  }
  bool any_zero = false;
  for (const PlotSeries& s : figure.series) {
    for (const PixelPoint& m : zero_marks(s, view, P)) {
      out << "<polygon points=\"" << points_attr(zero_mark_triangle(m, 4)) << "\" fill=\"" << hex_color(s.color)
          << "\"/>\n";
      any_zero = true;
    }
  }
  if (any_zero) {
    out << "<text x=\"" << px(P.x + 4) << "\" y=\"" << px(P.y + L.tick_font * 1.1) << "\" font-size=\""
        << L.tick_font * 0.9 << "\" fill=\"" << hex_color(0x555555) << "\">" << xml_escape(kZeroNote) << "</text>\n";
  }
  if (finite(figure.marker_x)) {
    const double x = to_pixel(view, P, figure.marker_x, view.y0).x;
    out << "<line x1=\"" << px(x) << "\" y1=\"" << px(P.y) << "\" x2=\"" << px(x) << "\" y2=\"" << px(P.y + P.h)
        << "\" stroke=\"" << hex_color(kMarkerColor) << "\" stroke-width=\"1.25\"/>\n";
  }
  for (const PlotInterval& iv : figure.intervals) {
    const double a = interval_px(view, P, iv.x0), b = interval_px(view, P, iv.x1);
    if (!(b > a) || iv.label.empty()) continue;
    out << "<text x=\"" << px(std::max(a, P.x) + 4) << "\" y=\"" << px(P.y + P.h - 5) << "\" font-size=\""
        << L.tick_font * 0.9 << "\" fill=\"" << hex_color(0x555555) << "\">" << xml_escape(iv.label) << "</text>\n";
  }
  out << "</g>\n";

  // Frame, ticks and labels.
  out << "<rect x=\"" << px(P.x) << "\" y=\"" << px(P.y) << "\" width=\"" << px(P.w) << "\" height=\"" << px(P.h)
      << "\" fill=\"none\" stroke=\"" << hex_color(kFrameColor) << "\" stroke-width=\"1\"/>\n";
  out << "<g stroke=\"" << hex_color(kFrameColor) << "\" stroke-width=\"1\">\n";
  for (const PlotTick& t : L.x_ticks) {
    const double x = to_pixel(view, P, t.value, view.y0).x;
    out << "<line x1=\"" << px(x) << "\" y1=\"" << px(P.y + P.h) << "\" x2=\"" << px(x) << "\" y2=\""
        << px(P.y + P.h + kTickLength) << "\"/>\n";
  }
  for (const PlotTick& t : L.y_ticks) {
    const double y = to_pixel(view, P, view.x0, t.value).y;
    out << "<line x1=\"" << px(P.x - kTickLength) << "\" y1=\"" << px(y) << "\" x2=\"" << px(P.x) << "\" y2=\"" << px(y)
        << "\"/>\n";
  }
  out << "</g>\n";
  out << "<g font-size=\"" << L.tick_font << "\" fill=\"" << hex_color(kTickTextColor) << "\">\n";
  for (const PlotTick& t : L.x_ticks) {
    const double x = to_pixel(view, P, t.value, view.y0).x;
    out << "<text x=\"" << px(x) << "\" y=\"" << px(P.y + P.h + kTickLength + 3 + L.tick_font * 0.8)
        << "\" text-anchor=\"middle\">" << xml_escape(t.label) << "</text>\n";
  }
  for (const PlotTick& t : L.y_ticks) {
    const double y = to_pixel(view, P, view.x0, t.value).y;
    out << "<text x=\"" << px(P.x - kTickLength - 3) << "\" y=\"" << px(y + L.tick_font * 0.36)
        << "\" text-anchor=\"end\">" << xml_escape(t.label) << "</text>\n";
  }
  out << "</g>\n";
  if (!figure.x_label.empty()) {
    out << "<text x=\"" << px(P.x + P.w / 2) << "\" y=\"" << px(L.height - 8) << "\" font-size=\"" << L.label_font
        << "\" text-anchor=\"middle\" fill=\"" << hex_color(kTextColor) << "\">" << xml_escape(figure.x_label)
        << "</text>\n";
  }
  if (!figure.y_label.empty()) {
    const double x = 8 + L.label_font * 0.85, y = P.y + P.h / 2;
    out << "<text x=\"" << px(x) << "\" y=\"" << px(y) << "\" font-size=\"" << L.label_font
        << "\" text-anchor=\"middle\" fill=\"" << hex_color(kTextColor) << "\" transform=\"rotate(-90 " << px(x) << ' '
        << px(y) << ")\">" << xml_escape(figure.y_label) << "</text>\n";
  }
  if (!figure.title.empty()) {
    out << "<text x=\"" << px(P.x + P.w / 2) << "\" y=\"" << px(L.title_font * 1.35) << "\" font-size=\""
        << L.title_font << "\" text-anchor=\"middle\" fill=\"" << hex_color(kTextColor) << "\">"
        << xml_escape(figure.title) << "</text>\n";
  }

  const std::vector<LegendEntry> entries = legend_entries(figure);
  if (!entries.empty()) {
    const LegendBox B = legend_box(L, entries, figure, view);
    out << "<g font-size=\"" << L.tick_font << "\">\n";
    out << "<rect x=\"" << px(B.x) << "\" y=\"" << px(B.y) << "\" width=\"" << px(B.w) << "\" height=\"" << px(B.h)
        << "\" fill=\"#ffffff\" fill-opacity=\"0.88\" stroke=\"" << hex_color(kLegendBorder) << "\"/>\n";
    for (size_t i = 0; i < entries.size(); ++i) {
      const LegendEntry& e = entries[i];
      const double cy = B.y + B.pad + B.row * (i + 0.5), x0 = B.x + B.pad;
      if (e.band) {
        out << "<rect x=\"" << px(x0) << "\" y=\"" << px(cy - 5) << "\" width=\"" << px(B.swatch)
            << "\" height=\"10\" fill=\"" << hex_color(e.color) << "\" fill-opacity=\"" << kBandOpacity * 1.5
            << "\"/>\n";
      } else {
        out << "<line x1=\"" << px(x0) << "\" y1=\"" << px(cy) << "\" x2=\"" << px(x0 + B.swatch) << "\" y2=\""
            << px(cy) << "\" stroke=\"" << hex_color(e.color) << "\" stroke-width=\"" << kSeriesWidth << "\"";
        if (e.dashed) out << " stroke-dasharray=\"" << kDashOn << ',' << kDashOff << "\"";
        out << "/>\n";
      }
      out << "<text x=\"" << px(x0 + B.swatch + B.pad) << "\" y=\"" << px(cy + L.tick_font * 0.36) << "\" fill=\""
          << hex_color(kTextColor) << "\">" << xml_escape(e.name) << "</text>\n";
    }
    out << "</g>\n";
  }
  out << "</svg>\n";
}

void save_plot_svg(const std::string& path, const PlotFigure& figure, const PlotView& view, int width, int height) {
  write_file_atomically(path, [&](std::ostream& out) { write_plot_svg(out, figure, view, width, height); });
}
}  // namespace uhop
