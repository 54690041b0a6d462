// SVG 1.1 export: a PlotPainter writing SVG elements by hand (cairo's SVG surface would turn text into glyph
// outlines; here text stays real <text> that LaTeX/Inkscape users can edit and tests can parse), one <polyline> per
// unbroken run of a series, the plot area as a clip path, heatmap cells as an embedded pixel-exact PNG.
#include <algorithm>
#include <cstdio>
#include <ostream>

#include "io/atomic_file.h"
#include "plot_figure.h"
#include "plot_heatmap.h"
#include "plot_painter.h"
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

std::string base64(const std::vector<uint8_t>& bytes) {
  static const char* kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  for (size_t i = 0; i < bytes.size(); i += 3) {
    const uint32_t b0 = bytes[i], b1 = i + 1 < bytes.size() ? bytes[i + 1] : 0,
                   b2 = i + 2 < bytes.size() ? bytes[i + 2] : 0;
    const uint32_t v = (b0 << 16) | (b1 << 8) | b2;
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += i + 1 < bytes.size() ? kAlphabet[(v >> 6) & 63] : '=';
    out += i + 2 < bytes.size() ? kAlphabet[v & 63] : '=';
  }
  return out;
}

std::string points_attr(const std::vector<PixelPoint>& pts) {
  std::string out;
  for (const PixelPoint& p : pts) {
    if (!out.empty()) out += ' ';
    out += px(p.x) + "," + px(p.y);
  }
  return out;
}

std::string number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

class SvgPainter : public PlotPainter {
 public:
  explicit SvgPainter(std::ostream& out) : out_(out) {}

  void fill_rect(const PixelRect& r, uint32_t color, double opacity) override {
    out_ << "<rect x=\"" << px(r.x) << "\" y=\"" << px(r.y) << "\" width=\"" << px(r.w) << "\" height=\"" << px(r.h)
         << "\" fill=\"" << hex_color(color) << "\"" << opacity_attr("fill-opacity", opacity) << "/>\n";
  }
  void stroke_rect(const PixelRect& r, uint32_t color, double width) override {
    out_ << "<rect x=\"" << px(r.x) << "\" y=\"" << px(r.y) << "\" width=\"" << px(r.w) << "\" height=\"" << px(r.h)
         << "\" fill=\"none\" stroke=\"" << hex_color(color) << "\" stroke-width=\"" << number(width) << "\"/>\n";
  }
  void line(PixelPoint a, PixelPoint b, uint32_t color, double width, double on, double off) override {
    out_ << "<line x1=\"" << px(a.x) << "\" y1=\"" << px(a.y) << "\" x2=\"" << px(b.x) << "\" y2=\"" << px(b.y)
         << "\" stroke=\"" << hex_color(color) << "\" stroke-width=\"" << number(width) << "\"" << dash_attr(on, off)
         << "/>\n";
  }
  void polyline(const std::vector<PixelPoint>& pts, uint32_t color, double width, double on, double off) override {
    out_ << "<polyline points=\"" << points_attr(pts) << "\" fill=\"none\" stroke=\"" << hex_color(color)
         << "\" stroke-width=\"" << number(width) << "\" stroke-linejoin=\"round\" stroke-linecap=\"round\""
         << dash_attr(on, off) << "/>\n";
  }
  void polygon(const std::vector<PixelPoint>& pts, uint32_t color, double opacity) override {
    out_ << "<polygon points=\"" << points_attr(pts) << "\" fill=\"" << hex_color(color) << "\""
         << opacity_attr("fill-opacity", opacity) << " stroke=\"none\"/>\n";
  }
  void dot(PixelPoint c, double r, uint32_t color) override {
    out_ << "<circle cx=\"" << px(c.x) << "\" cy=\"" << px(c.y) << "\" r=\"" << number(r) << "\" fill=\""
         << hex_color(color) << "\"/>\n";
  }
  void text(const std::string& s, PixelPoint at, double size, uint32_t color, TextAnchor anchor,
            bool vertical) override {
    if (s.empty()) return;
    static const char* kAnchors[] = {"start", "middle", "end"};
    out_ << "<text x=\"" << px(at.x) << "\" y=\"" << px(at.y) << "\" font-size=\"" << number(size) << "\" fill=\""
         << hex_color(color) << "\"";
    if (anchor != TextAnchor::start) out_ << " text-anchor=\"" << kAnchors[static_cast<int>(anchor)] << "\"";
    if (vertical) out_ << " transform=\"rotate(-90 " << px(at.x) << ' ' << px(at.y) << ")\"";
    out_ << ">" << xml_escape(s) << "</text>\n";
  }
  void image(const PixelRect& r, int w, int h, const std::vector<uint8_t>& rgba) override {
    const std::vector<uint8_t> png = encode_rgba_png(rgba.data(), w, h);
    if (png.empty()) return;
    const std::string data = "data:image/png;base64," + base64(png);
    out_ << "<image x=\"" << px(r.x) << "\" y=\"" << px(r.y) << "\" width=\"" << px(r.w) << "\" height=\"" << px(r.h)
         << "\" preserveAspectRatio=\"none\" image-rendering=\"pixelated\""
         << " style=\"image-rendering:pixelated;image-rendering:crisp-edges\" xlink:href=\"" << data << "\"/>\n";
  }
  void begin_clip(const PixelRect& r) override {
    // The first clip is the plot area ("plot-area": tests and editors look for it); more get numbered ids.
    const std::string id = clips_++ == 0 ? "plot-area" : "clip-" + std::to_string(clips_);
    out_ << "<defs><clipPath id=\"" << id << "\"><rect x=\"" << px(r.x) << "\" y=\"" << px(r.y) << "\" width=\""
         << px(r.w) << "\" height=\"" << px(r.h) << "\"/></clipPath></defs>\n<g clip-path=\"url(#" << id << ")\">\n";
  }
  void end_clip() override { out_ << "</g>\n"; }

 private:
  static std::string opacity_attr(const char* name, double opacity) {
    return opacity >= 1 ? std::string() : std::string(" ") + name + "=\"" + number(opacity) + "\"";
  }
  static std::string dash_attr(double on, double off) {
    return on > 0 && off > 0 ? " stroke-dasharray=\"" + number(on) + "," + number(off) + "\"" : std::string();
  }
  std::ostream& out_;
  int clips_ = 0;
};

// The <svg> root: `width` x `height` user units (CSS pixels), or a physical size (e.g. "16cm") with the same viewBox.
void open_svg(std::ostream& out, double width, double height, const std::string& title, const std::string& w_attr,
              const std::string& h_attr) {
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n"
      << "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" version=\"1.1\" "
      << "width=\"" << w_attr << "\" height=\"" << h_attr << "\" viewBox=\"0 0 " << number(width) << ' '
      << number(height) << "\" font-family=\"DejaVu Sans, Verdana, Arial, sans-serif\">\n";
  if (!title.empty()) out << "<title>" << xml_escape(title) << "</title>\n";
}
}  // namespace

void write_plot_svg_sized(std::ostream& out, const PlotFigure& figure, const PlotView& view, double width,
                          double height, const PlotStyle& style, const std::string& w_attr, const std::string& h_attr) {
  open_svg(out, width, height, figure.title, w_attr, h_attr);
  SvgPainter painter(out);
  draw_plot(painter, figure, view, plot_layout(figure, view, width, height, 1, style.font_scale),
            plot_colors(style.theme));
  out << "</svg>\n";
}

void write_heatmap_svg_sized(std::ostream& out, const HeatmapFigure& figure, double width, double height,
                             const PlotStyle& style, const std::string& w_attr, const std::string& h_attr) {
  open_svg(out, width, height, figure.title, w_attr, h_attr);
  SvgPainter painter(out);
  draw_heatmap(painter, figure, heatmap_layout(figure, width, height, style.font_scale), plot_colors(style.theme));
  out << "</svg>\n";
}

void write_plot_svg(std::ostream& out, const PlotFigure& figure, const PlotView& view, int width, int height,
                    const PlotStyle& style) {
  write_plot_svg_sized(out, figure, view, width, height, style, std::to_string(width), std::to_string(height));
}

void write_heatmap_svg(std::ostream& out, const HeatmapFigure& figure, int width, int height, const PlotStyle& style) {
  write_heatmap_svg_sized(out, figure, width, height, style, std::to_string(width), std::to_string(height));
}

void save_plot_svg(const std::string& path, const PlotFigure& figure, const PlotView& view, int width, int height,
                   const PlotStyle& style) {
  write_file_atomically(path, [&](std::ostream& out) { write_plot_svg(out, figure, view, width, height, style); });
}
}  // namespace uhop
