// PDF and PNG through cairo: a PlotPainter over a cairo context. PDF keeps vector graphics and real text (cairo
// embeds a subset of DejaVu Sans with its Unicode mapping, so the text can be selected and pdftotext reads it); PNG
// is the same drawing on an image surface scaled by `scale`, with solid axis-aligned hairlines snapped to the pixel
// grid so they stay crisp. The figure's units are CSS pixels: 0.75 pt each in a PDF.
#include <cairo-pdf.h>
#include <cairo.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <ostream>

#include "io/atomic_file.h"
#include "numerics/input_error.h"
#include "plot_figure.h"
#include "plot_heatmap.h"
#include "plot_painter.h"

namespace uhop {
namespace {
constexpr double kPi = 3.14159265358979323846;
constexpr double kPointsPerPixel = 0.75;  // 72 pt per inch / 96 CSS pixels per inch

void set_color(cairo_t* cr, uint32_t color, double opacity = 1) {
  cairo_set_source_rgba(cr, ((color >> 16) & 255) / 255.0, ((color >> 8) & 255) / 255.0, (color & 255) / 255.0,
                        opacity);
}

// RGBA8 rows -> a new ARGB32 (premultiplied, native-endian) cairo image surface.
cairo_surface_t* surface_from_rgba(const uint8_t* rgba, int w, int h) {
  cairo_surface_t* s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, w, h);
  if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) return s;
  cairo_surface_flush(s);
  unsigned char* data = cairo_image_surface_get_data(s);
  const int stride = cairo_image_surface_get_stride(s);
  for (int y = 0; y < h; ++y) {
    auto* row = reinterpret_cast<uint32_t*>(data + static_cast<size_t>(y) * stride);
    for (int x = 0; x < w; ++x) {
      const uint8_t* p = rgba + (static_cast<size_t>(y) * w + x) * 4;
      const uint32_t a = p[3];
      const auto pre = [a](uint32_t c) { return (c * a + 127) / 255; };
      row[x] = (a << 24) | (pre(p[0]) << 16) | (pre(p[1]) << 8) | pre(p[2]);
    }
  }
  cairo_surface_mark_dirty(s);
  return s;
}

// An ARGB32 surface -> RGBA8 rows (un-premultiplied).
std::vector<uint8_t> rgba_from_surface(cairo_surface_t* s) {
  cairo_surface_flush(s);
  const int w = cairo_image_surface_get_width(s), h = cairo_image_surface_get_height(s);
  const int stride = cairo_image_surface_get_stride(s);
  const unsigned char* data = cairo_image_surface_get_data(s);
  std::vector<uint8_t> out(static_cast<size_t>(w) * h * 4);
  for (int y = 0; y < h; ++y) {
    const auto* row = reinterpret_cast<const uint32_t*>(data + static_cast<size_t>(y) * stride);
    for (int x = 0; x < w; ++x) {
      const uint32_t v = row[x], a = v >> 24;
      uint8_t* p = &out[(static_cast<size_t>(y) * w + x) * 4];
      const auto un = [a](uint32_t c) { return static_cast<uint8_t>(a ? std::min(255u, (c * 255 + a / 2) / a) : 0); };
      p[0] = un((v >> 16) & 255), p[1] = un((v >> 8) & 255), p[2] = un(v & 255), p[3] = static_cast<uint8_t>(a);
    }
  }
  return out;
}

cairo_status_t append_to_vector(void* closure, const unsigned char* data, unsigned int length) {
  auto* out = static_cast<std::vector<uint8_t>*>(closure);
  out->insert(out->end(), data, data + length);
  return CAIRO_STATUS_SUCCESS;
}

cairo_status_t write_to_stream(void* closure, const unsigned char* data, unsigned int length) {
  auto* out = static_cast<std::ostream*>(closure);
  out->write(reinterpret_cast<const char*>(data), length);
  return *out ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR;
}

class CairoPainter : public PlotPainter {
 public:
  // pixels_per_unit > 0 for raster surfaces (enables snapping of hairlines); 0 for vector surfaces.
  CairoPainter(cairo_t* cr, double pixels_per_unit) : cr_(cr), snap_(pixels_per_unit) {
    cairo_select_font_face(cr_, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_line_join(cr_, CAIRO_LINE_JOIN_ROUND);
    cairo_set_line_cap(cr_, CAIRO_LINE_CAP_ROUND);
  }

  void fill_rect(const PixelRect& r, uint32_t color, double opacity) override {
    set_color(cr_, color, opacity);
    cairo_rectangle(cr_, r.x, r.y, r.w, r.h);
    cairo_fill(cr_);
  }
  void stroke_rect(const PixelRect& r, uint32_t color, double width) override {
    const double x0 = snap(r.x, width), x1 = snap(r.x + r.w, width), y0 = snap(r.y, width), y1 = snap(r.y + r.h, width);
    set_color(cr_, color);
    cairo_set_line_width(cr_, snapped_width(width));
    cairo_set_dash(cr_, nullptr, 0, 0);
    cairo_rectangle(cr_, x0, y0, x1 - x0, y1 - y0);
    cairo_stroke(cr_);
  }
  void line(PixelPoint a, PixelPoint b, uint32_t color, double width, double on, double off) override {
    const bool solid = !(on > 0 && off > 0);
    if (solid && a.x == b.x) a.x = b.x = snap(a.x, width);
    if (solid && a.y == b.y) a.y = b.y = snap(a.y, width);
    set_color(cr_, color);
    cairo_set_line_width(cr_, solid ? snapped_width(width) : width);
    set_dash(on, off);
    cairo_set_line_cap(cr_, CAIRO_LINE_CAP_BUTT);
    cairo_move_to(cr_, a.x, a.y);
    cairo_line_to(cr_, b.x, b.y);
    cairo_stroke(cr_);
    cairo_set_line_cap(cr_, CAIRO_LINE_CAP_ROUND);
  }
  void polyline(const std::vector<PixelPoint>& pts, uint32_t color, double width, double on, double off) override {
    if (pts.empty()) return;
    set_color(cr_, color);
    cairo_set_line_width(cr_, width);
    set_dash(on, off);
    cairo_move_to(cr_, pts[0].x, pts[0].y);
    for (size_t i = 1; i < pts.size(); ++i) cairo_line_to(cr_, pts[i].x, pts[i].y);
    cairo_stroke(cr_);
  }
  void polygon(const std::vector<PixelPoint>& pts, uint32_t color, double opacity) override {
    if (pts.size() < 3) return;
    set_color(cr_, color, opacity);
    cairo_move_to(cr_, pts[0].x, pts[0].y);
    for (size_t i = 1; i < pts.size(); ++i) cairo_line_to(cr_, pts[i].x, pts[i].y);
    cairo_close_path(cr_);
    cairo_fill(cr_);
  }
  void dot(PixelPoint c, double r, uint32_t color) override {
    set_color(cr_, color);
    cairo_new_sub_path(cr_);
    cairo_arc(cr_, c.x, c.y, r, 0, 2 * kPi);
    cairo_fill(cr_);
  }
  void text(const std::string& s, PixelPoint at, double size, uint32_t color, TextAnchor anchor,
            bool vertical) override {
    if (s.empty()) return;
    cairo_set_font_size(cr_, size);
    cairo_text_extents_t ext;
    cairo_text_extents(cr_, s.c_str(), &ext);
    const double shift = anchor == TextAnchor::start    ? 0
                         : anchor == TextAnchor::middle ? ext.x_advance / 2
                                                        : ext.x_advance;
    set_color(cr_, color);
    cairo_save(cr_);
    cairo_translate(cr_, at.x, at.y);
    if (vertical) cairo_rotate(cr_, -kPi / 2);
    cairo_move_to(cr_, -shift, 0);
    cairo_show_text(cr_, s.c_str());
    cairo_restore(cr_);
  }
  void image(const PixelRect& r, int w, int h, const std::vector<uint8_t>& rgba) override {
    if (w <= 0 || h <= 0 || rgba.size() < static_cast<size_t>(w) * h * 4) return;
    cairo_surface_t* img = surface_from_rgba(rgba.data(), w, h);
    if (cairo_surface_status(img) == CAIRO_STATUS_SUCCESS) {
      cairo_save(cr_);
      cairo_rectangle(cr_, r.x, r.y, r.w, r.h);
      cairo_clip(cr_);
      cairo_translate(cr_, r.x, r.y);
      cairo_scale(cr_, r.w / w, r.h / h);
      cairo_set_source_surface(cr_, img, 0, 0);
      cairo_pattern_set_filter(cairo_get_source(cr_), CAIRO_FILTER_NEAREST);
      cairo_paint(cr_);
      cairo_restore(cr_);
    }
    cairo_surface_destroy(img);
  }
  void begin_clip(const PixelRect& r) override {
    cairo_save(cr_);
    cairo_rectangle(cr_, r.x, r.y, r.w, r.h);
    cairo_clip(cr_);
  }
  void end_clip() override { cairo_restore(cr_); }

 private:
  void set_dash(double on, double off) {
    if (on > 0 && off > 0) {
      const double dashes[2] = {on, off};
      cairo_set_dash(cr_, dashes, 2, 0);
    } else {
      cairo_set_dash(cr_, nullptr, 0, 0);
    }
  }
  // Device width of a hairline: a whole number of pixels (at least one).
  double snapped_width(double width) const {
    return snap_ > 0 ? std::max(1.0, std::round(width * snap_)) / snap_ : width;
  }
  // Odd pixel widths land on pixel centres, even ones on pixel edges.
  double snap(double v, double width) const {
    if (!(snap_ > 0)) return v;
    const long pixels = std::lround(std::max(1.0, std::round(width * snap_)));
    const double d = v * snap_;
    return (pixels % 2 == 1 ? std::floor(d) + 0.5 : std::round(d)) / snap_;
  }
  cairo_t* cr_;
  double snap_;
};

template <class Draw>
std::vector<uint8_t> render_rgba(double width, double height, double scale, Draw draw) {
  const int w = static_cast<int>(std::lround(width * scale)), h = static_cast<int>(std::lround(height * scale));
  if (w <= 0 || h <= 0 || !(scale > 0) || static_cast<long long>(w) * h > (1LL << 28)) return {};
  cairo_surface_t* surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, w, h);
  std::vector<uint8_t> out;
  if (cairo_surface_status(surface) == CAIRO_STATUS_SUCCESS) {
    cairo_t* cr = cairo_create(surface);
    cairo_scale(cr, scale, scale);
    CairoPainter painter(cr, scale);
    draw(painter);
    cairo_destroy(cr);
    out = rgba_from_surface(surface);
  }
  cairo_surface_destroy(surface);
  return out;
}

template <class Draw>
void render_pdf(std::ostream& out, double width, double height, Draw draw) {
  if (!(width > 0) || !(height > 0) || !std::isfinite(width) || !std::isfinite(height))
    throw InputError("cannot write a PDF of an empty size");
  cairo_surface_t* surface =
      cairo_pdf_surface_create_for_stream(write_to_stream, &out, width * kPointsPerPixel, height * kPointsPerPixel);
  cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "U-Hop Studio");
  cairo_t* cr = cairo_create(surface);
  cairo_scale(cr, kPointsPerPixel, kPointsPerPixel);
  {
    CairoPainter painter(cr, 0);
    draw(painter);
  }
  cairo_destroy(cr);
  cairo_surface_finish(surface);
  const cairo_status_t status = cairo_surface_status(surface);
  cairo_surface_destroy(surface);
  if (status != CAIRO_STATUS_SUCCESS) throw InputError(std::string("PDF: ") + cairo_status_to_string(status));
}
}  // namespace

bool can_draw_raster() {
  return true;
}

std::vector<uint8_t> encode_rgba_png(const uint8_t* rgba, int width, int height) {
  if (width <= 0 || height <= 0 || !rgba) return {};
  cairo_surface_t* s = surface_from_rgba(rgba, width, height);
  std::vector<uint8_t> png;
  if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS ||
      cairo_surface_write_to_png_stream(s, append_to_vector, &png) != CAIRO_STATUS_SUCCESS)
    png.clear();
  cairo_surface_destroy(s);
  return png;
}

// ---- line figures

std::vector<uint8_t> render_plot_rgba(const PlotFigure& figure, const PlotView& view, int width, int height,
                                      float scale, const PlotStyle& style) {
  if (width <= 0 || height <= 0) return {};
  return render_rgba(width, height, scale, [&](PlotPainter& p) {
    draw_plot(p, figure, view, plot_layout(figure, view, width, height, 1, style.font_scale), plot_colors(style.theme));
  });
}

std::vector<uint8_t> encode_plot_png(const PlotFigure& figure, const PlotView& view, int width, int height, float scale,
                                     const PlotStyle& style) {
  const std::vector<uint8_t> rgba = render_plot_rgba(figure, view, width, height, scale, style);
  if (rgba.empty()) return {};
  return encode_rgba_png(rgba.data(), static_cast<int>(std::lround(width * scale)),
                         static_cast<int>(std::lround(height * scale)));
}

void write_plot_pdf(std::ostream& out, const PlotFigure& figure, const PlotView& view, double width, double height,
                    const PlotStyle& style) {
  render_pdf(out, width, height, [&](PlotPainter& p) {
    draw_plot(p, figure, view, plot_layout(figure, view, width, height, 1, style.font_scale), plot_colors(style.theme));
  });
}

void save_plot_png(const std::string& path, const PlotFigure& figure, const PlotView& view, int width, int height,
                   float scale, const PlotStyle& style) {
  const std::vector<uint8_t> png = encode_plot_png(figure, view, width, height, scale, style);
  if (png.empty()) throw input_error(path, "cannot encode the plot as PNG (empty or huge size?)");
  write_bytes_atomically(path, png.data(), png.size());
}

void save_plot_pdf(const std::string& path, const PlotFigure& figure, const PlotView& view, double width, double height,
                   const PlotStyle& style) {
  write_file_atomically(path, [&](std::ostream& out) { write_plot_pdf(out, figure, view, width, height, style); });
}

// ---- heatmaps

std::vector<uint8_t> render_heatmap_rgba(const HeatmapFigure& figure, int width, int height, float scale,
                                         const PlotStyle& style) {
  if (width <= 0 || height <= 0) return {};
  return render_rgba(width, height, scale, [&](PlotPainter& p) {
    draw_heatmap(p, figure, heatmap_layout(figure, width, height, style.font_scale), plot_colors(style.theme));
  });
}

std::vector<uint8_t> encode_heatmap_png(const HeatmapFigure& figure, int width, int height, float scale,
                                        const PlotStyle& style) {
  const std::vector<uint8_t> rgba = render_heatmap_rgba(figure, width, height, scale, style);
  if (rgba.empty()) return {};
  return encode_rgba_png(rgba.data(), static_cast<int>(std::lround(width * scale)),
                         static_cast<int>(std::lround(height * scale)));
}

void write_heatmap_pdf(std::ostream& out, const HeatmapFigure& figure, double width, double height,
                       const PlotStyle& style) {
  render_pdf(out, width, height, [&](PlotPainter& p) {
    draw_heatmap(p, figure, heatmap_layout(figure, width, height, style.font_scale), plot_colors(style.theme));
  });
}
}  // namespace uhop
