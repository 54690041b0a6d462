// PNG export through a small software rasterizer (coverage masks, stb_truetype text): the same picture as the SVG.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <fstream>
#include <iterator>

// stb_easy_font is header-only with static functions we do not all use.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-function"
#include <stb_easy_font.h>
#pragma GCC diagnostic pop
#include <stb_image_write.h>
#include <stb_truetype.h>

#include "io/atomic_file.h"
#include "numerics/input_error.h"
#include "plot_figure.h"
#include "plot_style.h"

namespace uhop {
using namespace plot_style;

// PNG: a small software rasterizer. Shapes are first accumulated as coverage in a float mask, then composited once
// in one colour, so the joints of a thick polyline are not blended twice.

namespace {
struct Canvas {
  int w, h;
  std::vector<uint8_t> rgba;
  std::vector<float> mask;
  int mx0, my0, mx1, my1;  // dirty box of the mask, half-open
  int cx0, cy0, cx1, cy1;  // clip box for compositing, half-open

  Canvas(int w_, int h_) : w(w_), h(h_), rgba(size_t(w_) * h_ * 4, 255), mask(size_t(w_) * h_, 0.f) {
    reset_dirty();
    clip_all();
  }
  void reset_dirty() { mx0 = w, my0 = h, mx1 = 0, my1 = 0; }
  void clip_all() { cx0 = 0, cy0 = 0, cx1 = w, cy1 = h; }
  void clip_to(const PixelRect& r) {
    cx0 = std::clamp(int(std::floor(r.x)), 0, w), cy0 = std::clamp(int(std::floor(r.y)), 0, h);
    cx1 = std::clamp(int(std::ceil(r.x + r.w)), 0, w), cy1 = std::clamp(int(std::ceil(r.y + r.h)), 0, h);
  }
  void touch(int x0, int y0, int x1, int y1) {
    mx0 = std::min(mx0, x0), my0 = std::min(my0, y0), mx1 = std::max(mx1, x1), my1 = std::max(my1, y1);
  }
  void blend(int x, int y, uint32_t color, float a) {
    if (a <= 0 || x < 0 || y < 0 || x >= w || y >= h) return;
    a = std::min(a, 1.f);
    uint8_t* p = &rgba[(size_t(y) * w + x) * 4];
    const float c[3] = {float((color >> 16) & 255), float((color >> 8) & 255), float(color & 255)};
    for (int k = 0; k < 3; ++k) p[k] = uint8_t(std::lround(p[k] + (c[k] - p[k]) * a));
  }
  // Paints the mask in one colour inside the clip box and clears it.
  void composite(uint32_t color, float opacity) {
    for (int y = std::max(my0, 0); y < std::min(my1, h); ++y) {
      for (int x = std::max(mx0, 0); x < std::min(mx1, w); ++x) {
        float& m = mask[size_t(y) * w + x];
        if (m > 0 && x >= cx0 && x < cx1 && y >= cy0 && y < cy1) blend(x, y, color, std::min(m, 1.f) * opacity);
        m = 0;
      }
    }
    reset_dirty();
  }

  // A round-capped segment of the given width: coverage falls off over one pixel at the edge.
  void segment(PixelPoint a, PixelPoint b, double width) {
    const double hw = 0.5 * std::max(width, 1.0), thin = std::min(width, 1.0);
    const int x0 = std::max(0, int(std::floor(std::min(a.x, b.x) - hw - 1)));
    const int x1 = std::min(w, int(std::ceil(std::max(a.x, b.x) + hw + 1)));
    const int y0 = std::max(0, int(std::floor(std::min(a.y, b.y) - hw - 1)));
    const int y1 = std::min(h, int(std::ceil(std::max(a.y, b.y) + hw + 1)));
    if (x0 >= x1 || y0 >= y1) return;
    touch(x0, y0, x1, y1);
    const double dx = b.x - a.x, dy = b.y - a.y, len2 = dx * dx + dy * dy;
    for (int y = y0; y < y1; ++y) {
      for (int x = x0; x < x1; ++x) {
        const double px = x + 0.5 - a.x, py = y + 0.5 - a.y;
        const double t = len2 > 0 ? std::clamp((px * dx + py * dy) / len2, 0.0, 1.0) : 0.0;
        const double d = std::hypot(px - t * dx, py - t * dy);
        const float cov = float(std::clamp(hw + 0.5 - d, 0.0, 1.0) * thin);
        float& m = mask[size_t(y) * w + x];
        m = std::max(m, cov);
      }
    }
  }
  void polyline(const std::vector<PixelPoint>& pts, double width) {
    if (pts.size() == 1) segment(pts[0], pts[0], width * 1.6);
    for (size_t i = 1; i < pts.size(); ++i) segment(pts[i - 1], pts[i], width);
  }

  // Even-odd scanline fill with 4 sub-rows per pixel and exact horizontal coverage.
  void polygon(const std::vector<PixelPoint>& pts) {
    if (pts.size() < 3) return;
    double ymin = kInf, ymax = -kInf, xmin = kInf, xmax = -kInf;
    for (const PixelPoint& p : pts) {
      ymin = std::min(ymin, p.y), ymax = std::max(ymax, p.y), xmin = std::min(xmin, p.x), xmax = std::max(xmax, p.x);
    }
    const int y0 = std::max(0, int(std::floor(ymin))), y1 = std::min(h, int(std::ceil(ymax)) + 1);
    touch(std::max(0, int(std::floor(xmin))), y0, std::min(w, int(std::ceil(xmax)) + 1), y1);
    std::vector<double> xs;
    for (int y = y0; y < y1; ++y) {
      for (int sub = 0; sub < 4; ++sub) {
        const double sy = y + (sub + 0.5) / 4;
        xs.clear();
        for (size_t i = 0; i < pts.size(); ++i) {
          const PixelPoint a = pts[i], b = pts[(i + 1) % pts.size()];
          if ((a.y <= sy) != (b.y <= sy)) xs.push_back(a.x + (sy - a.y) / (b.y - a.y) * (b.x - a.x));
        }
        std::sort(xs.begin(), xs.end());
        for (size_t i = 0; i + 1 < xs.size(); i += 2) span(y, xs[i], xs[i + 1], 0.25f);
      }
    }
  }
  void span(int y, double xa, double xb, float weight) {
    xa = std::max(xa, 0.0), xb = std::min(xb, double(w));
    for (int x = int(std::floor(xa)); x < xb; ++x) {
      const double cover = std::min(xb, x + 1.0) - std::max(xa, double(x));
      if (cover > 0) mask[size_t(y) * w + x] += float(cover) * weight;
    }
  }
  void rect(const PixelRect& r) { polygon({{r.x, r.y}, {r.x + r.w, r.y}, {r.x + r.w, r.y + r.h}, {r.x, r.y + r.h}}); }
};

// Axis-aligned lines land on pixel centres (odd widths) or edges (even widths) so they stay crisp.
double snap(double v, double width) {
  return int(std::lround(width)) % 2 == 1 ? std::floor(v) + 0.5 : std::round(v);
}

// ---- text ----
struct Font {
  std::vector<unsigned char> data;
  stbtt_fontinfo info{};
  bool ok = false;
};
const Font& plot_font() {
  static const Font font = [] {
    Font f;
    for (const char* path : {"/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "/usr/share/fonts/TTF/DejaVuSans.ttf",
                             "/usr/share/fonts/dejavu/DejaVuSans.ttf"}) {
      std::ifstream in(path, std::ios::binary);
      if (!in) continue;
      f.data.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
      if (!f.data.empty() && stbtt_InitFont(&f.info, f.data.data(), stbtt_GetFontOffsetForIndex(f.data.data(), 0))) {
        f.ok = true;
        break;
      }
    }
    return f;
  }();
  return font;
}

std::vector<int> utf8_codepoints(const std::string& s) {
  std::vector<int> out;
  for (size_t i = 0; i < s.size();) {
    const unsigned char c = s[i];
    int cp = c, extra = 0;
    if (c >= 0xF0)
      cp = c & 0x07, extra = 3;
    else if (c >= 0xE0)
      cp = c & 0x0F, extra = 2;
    else if (c >= 0xC0)
      cp = c & 0x1F, extra = 1;
    ++i;
    for (int k = 0; k < extra && i < s.size(); ++k, ++i) cp = (cp << 6) | (s[i] & 0x3F);
    out.push_back(cp);
  }
  return out;
}

// Text as an alpha bitmap with its baseline `baseline` pixels below the top.
struct TextBitmap {
  int w = 0, h = 0;
  double baseline = 0;
  std::vector<float> alpha;
};

TextBitmap rasterize_text(const std::string& text, double size) {
  TextBitmap t;
  const Font& font = plot_font();
  if (font.ok) {
    const float scale = stbtt_ScaleForMappingEmToPixels(&font.info, float(size));
    int ascent, descent, gap;
    stbtt_GetFontVMetrics(&font.info, &ascent, &descent, &gap);
    const std::vector<int> cps = utf8_codepoints(text);
    double width = 0;
    for (size_t i = 0; i < cps.size(); ++i) {
      int advance, lsb;
      stbtt_GetCodepointHMetrics(&font.info, cps[i], &advance, &lsb);
      width += advance * scale;
      if (i + 1 < cps.size()) width += scale * stbtt_GetCodepointKernAdvance(&font.info, cps[i], cps[i + 1]);
    }
    t.w = int(std::ceil(width)) + 2, t.h = int(std::ceil((ascent - descent) * scale)) + 2;
    t.baseline = std::ceil(ascent * scale) + 1;
    t.alpha.assign(size_t(t.w) * t.h, 0.f);
    double pen = 1;
    std::vector<unsigned char> glyph;
    for (size_t i = 0; i < cps.size(); ++i) {
      const float shift = float(pen - std::floor(pen));
      int gx0, gy0, gx1, gy1;
      stbtt_GetCodepointBitmapBoxSubpixel(&font.info, cps[i], scale, scale, shift, 0, &gx0, &gy0, &gx1, &gy1);
      const int gw = gx1 - gx0, gh = gy1 - gy0;
      if (gw > 0 && gh > 0) {
        glyph.assign(size_t(gw) * gh, 0);
        stbtt_MakeCodepointBitmapSubpixel(&font.info, glyph.data(), gw, gh, gw, scale, scale, shift, 0, cps[i]);
        const int ox = int(std::floor(pen)) + gx0, oy = int(t.baseline) + gy0;
        for (int y = 0; y < gh; ++y) {
          for (int x = 0; x < gw; ++x) {
            const int tx = ox + x, ty = oy + y;
            if (tx < 0 || ty < 0 || tx >= t.w || ty >= t.h) continue;
            float& a = t.alpha[size_t(ty) * t.w + tx];
            a = std::min(1.f, a + glyph[size_t(y) * gw + x] / 255.f);
          }
        }
      }
      int advance, lsb;
      stbtt_GetCodepointHMetrics(&font.info, cps[i], &advance, &lsb);
      pen += advance * scale;
      if (i + 1 < cps.size()) pen += scale * stbtt_GetCodepointKernAdvance(&font.info, cps[i], cps[i + 1]);
    }
    return t;
  }
  // No TrueType font installed: stb_easy_font's segment font (ASCII only), drawn as quads.
  std::string ascii;
  for (int cp : utf8_codepoints(text)) ascii += cp < 128 ? char(cp) : '?';
  const double k = size / 10.0;                           // easy_font glyphs are about 7 units tall for capitals
  std::vector<char> buffer(ascii.size() * 64 * 24 + 64);  // 64 bytes per quad, at most ~20 quads a glyph
  unsigned char white[4] = {255, 255, 255, 255};
  const int quads = stb_easy_font_print(0, 0, ascii.data(), white, buffer.data(), int(buffer.size()));
  t.w = int(std::ceil(stb_easy_font_width(ascii.data()) * k)) + 2, t.h = int(std::ceil(12 * k)) + 2;
  t.baseline = std::ceil(7 * k) + 1;
  t.alpha.assign(size_t(t.w) * t.h, 0.f);
  for (int q = 0; q < quads; ++q) {
    const float* v = reinterpret_cast<const float*>(buffer.data() + q * 64);
    const double x0 = 1 + v[0] * k, y0 = 1 + v[1] * k, x1 = 1 + v[8] * k, y1 = 1 + v[9] * k;
    for (int y = std::max(0, int(y0)); y < std::min(t.h, int(std::ceil(y1))); ++y) {
      const double cy = std::min(y1, y + 1.0) - std::max(y0, double(y));
      for (int x = std::max(0, int(x0)); x < std::min(t.w, int(std::ceil(x1))); ++x) {
        const double cx = std::min(x1, x + 1.0) - std::max(x0, double(x));
        float& a = t.alpha[size_t(y) * t.w + x];
        a = std::min(1.f, a + float(std::max(0.0, cx) * std::max(0.0, cy)));
      }
    }
  }
  return t;
}

// Draws text with its baseline at y; halign 0 = left, 0.5 = centre, 1 = right of x. `vertical` reads bottom to
// top, centred on (x, y) along the text and with its baseline to the right of x.
void draw_text(Canvas& c, const std::string& text, double x, double y, double size, uint32_t color, double halign,
               bool vertical = false) {
  if (text.empty()) return;
  const TextBitmap t = rasterize_text(text, size);
  if (!vertical) {
    const int ox = int(std::lround(x - halign * t.w)), oy = int(std::lround(y - t.baseline));
    for (int ty = 0; ty < t.h; ++ty) {
      for (int tx = 0; tx < t.w; ++tx) c.blend(ox + tx, oy + ty, color, t.alpha[size_t(ty) * t.w + tx]);
    }
    return;
  }
  // Rotated 90 degrees counter-clockwise: text column u goes up, text row v goes right.
  const int ox = int(std::lround(x - t.baseline)), oy = int(std::lround(y + 0.5 * t.w));
  for (int v = 0; v < t.h; ++v) {
    for (int u = 0; u < t.w; ++u) c.blend(ox + v, oy - u, color, t.alpha[size_t(v) * t.w + u]);
  }
}
}  // namespace

std::vector<uint8_t> render_plot_rgba(const PlotFigure& figure, const PlotView& view, int width, int height,
                                      float scale) {
  if (width <= 0 || height <= 0 || !(scale > 0)) return {};
  const double s = scale;
  const PlotLayout L = plot_layout(figure, view, width, height, s);
  Canvas c(int(std::lround(width * s)), int(std::lround(height * s)));
  const PixelRect& P = L.plot;
  const PixelRect clip = inflate(P, 4 * s);
  const double hair = std::max(1.0, std::round(s));  // 1 CSS pixel lines

  c.clip_to(P);
  for (const PlotInterval& iv : figure.intervals) {
    const double a = interval_px(view, P, iv.x0), b = interval_px(view, P, iv.x1);
    if (!(b > a)) continue;
    c.rect({a, P.y, b - a, P.h});
    c.composite(iv.color, float(kIntervalOpacity));
  }
  for (const PlotTick& t : L.x_ticks) {
    const double x = snap(to_pixel(view, P, t.value, view.y0).x, hair);
    c.segment({x, P.y}, {x, P.y + P.h}, hair);
  }
  for (const PlotTick& t : L.y_ticks) {
    const double y = snap(to_pixel(view, P, view.x0, t.value).y, hair);
    c.segment({P.x, y}, {P.x + P.w, y}, hair);
  }
  c.composite(kGridColor, 1);
  for (const PlotBand& b : figure.bands) {
    if (!b.visible) continue;
    for (const auto& poly : band_polygons(b, view, P, clip)) c.polygon(poly);
    c.composite(b.color, float(kBandOpacity));
  }
  for (const PlotSeries& ser : figure.series) {
    if (!ser.visible) continue;
    auto paths = series_paths(ser, view, P, clip);
    if (ser.dashed) paths = dash_paths(paths, kDashOn * s, kDashOff * s);
    for (const auto& path : paths) c.polyline(path, kSeriesWidth * s);
    c.composite(ser.color, 1);
  }
  bool any_zero = false;
  for (const PlotSeries& ser : figure.series) {
    const std::vector<PixelPoint> marks = zero_marks(ser, view, P);
    for (const PixelPoint& m : marks) c.polygon(zero_mark_triangle(m, 4 * s));
    if (!marks.empty()) c.composite(ser.color, 1), any_zero = true;
  }
  if (any_zero) draw_text(c, kZeroNote, P.x + 4 * s, P.y + L.tick_font * 1.1, L.tick_font * 0.9, 0x555555, 0);
  if (finite(figure.marker_x)) {
    const double x = to_pixel(view, P, figure.marker_x, view.y0).x;
    c.segment({x, P.y}, {x, P.y + P.h}, 1.25 * s);
    c.composite(kMarkerColor, 1);
  }
  for (const PlotInterval& iv : figure.intervals) {
    const double a = interval_px(view, P, iv.x0), b = interval_px(view, P, iv.x1);
    if (b > a && !iv.label.empty() && a < P.x + P.w) {
      draw_text(c, iv.label, std::max(a, P.x) + 4 * s, P.y + P.h - 5 * s, L.tick_font * 0.9, 0x555555, 0);
    }
  }

  c.clip_all();
  // Frame and tick marks.
  const double fx0 = snap(P.x, hair), fx1 = snap(P.x + P.w, hair), fy0 = snap(P.y, hair), fy1 = snap(P.y + P.h, hair);
  c.segment({fx0, fy0}, {fx1, fy0}, hair), c.segment({fx1, fy0}, {fx1, fy1}, hair);
  c.segment({fx1, fy1}, {fx0, fy1}, hair), c.segment({fx0, fy1}, {fx0, fy0}, hair);
  for (const PlotTick& t : L.x_ticks) {
    const double x = snap(to_pixel(view, P, t.value, view.y0).x, hair);
    c.segment({x, fy1}, {x, fy1 + kTickLength * s}, hair);
  }
  for (const PlotTick& t : L.y_ticks) {
    const double y = snap(to_pixel(view, P, view.x0, t.value).y, hair);
    c.segment({fx0 - kTickLength * s, y}, {fx0, y}, hair);
  }
  c.composite(kFrameColor, 1);
  for (const PlotTick& t : L.x_ticks) {
    const double x = to_pixel(view, P, t.value, view.y0).x;
    draw_text(c, t.label, x, P.y + P.h + (kTickLength + 3) * s + L.tick_font * 0.8, L.tick_font, kTickTextColor, 0.5);
  }
  for (const PlotTick& t : L.y_ticks) {
    const double y = to_pixel(view, P, view.x0, t.value).y;
    draw_text(c, t.label, P.x - (kTickLength + 3) * s, y + L.tick_font * 0.36, L.tick_font, kTickTextColor, 1);
  }
  draw_text(c, figure.x_label, P.x + P.w / 2, L.height - 8 * s, L.label_font, kTextColor, 0.5);
  draw_text(c, figure.y_label, 8 * s + L.label_font * 0.85, P.y + P.h / 2, L.label_font, kTextColor, 0.5, true);
  draw_text(c, figure.title, P.x + P.w / 2, L.title_font * 1.35, L.title_font, kTextColor, 0.5);

  const std::vector<LegendEntry> entries = legend_entries(figure);
  if (!entries.empty()) {
    const LegendBox B = legend_box(L, entries, figure, view);
    // The box is sized from estimated text widths; widen it if the real text is wider.
    double text_w = 0;
    for (const LegendEntry& e : entries) text_w = std::max(text_w, double(rasterize_text(e.name, L.tick_font).w));
    const double w = std::max(B.w, B.pad + B.swatch + B.pad + text_w + B.pad * 0.5), x = B.x + B.w - w;
    c.rect({x, B.y, w, B.h});
    c.composite(0xffffff, 0.88f);
    const double bx0 = snap(x, hair), bx1 = snap(x + w, hair), by0 = snap(B.y, hair), by1 = snap(B.y + B.h, hair);
    c.segment({bx0, by0}, {bx1, by0}, hair), c.segment({bx1, by0}, {bx1, by1}, hair);
    c.segment({bx1, by1}, {bx0, by1}, hair), c.segment({bx0, by1}, {bx0, by0}, hair);
    c.composite(kLegendBorder, 1);
    for (size_t i = 0; i < entries.size(); ++i) {
      const LegendEntry& e = entries[i];
      const double cy = B.y + B.pad + B.row * (i + 0.5), x0 = x + B.pad;
      if (e.band) {
        c.rect({x0, cy - 5 * s, B.swatch, 10 * s});
        c.composite(e.color, float(kBandOpacity * 1.5));
      } else {
        std::vector<std::vector<PixelPoint>> sample = {{{x0, cy}, {x0 + B.swatch, cy}}};
        if (e.dashed) sample = dash_paths(sample, kDashOn * s, kDashOff * s);
        for (const auto& p : sample) c.polyline(p, kSeriesWidth * s);
        c.composite(e.color, 1);
      }
      draw_text(c, e.name, x0 + B.swatch + B.pad, cy + L.tick_font * 0.36, L.tick_font, kTextColor, 0);
    }
  }
  return std::move(c.rgba);
}

std::vector<uint8_t> encode_plot_png(const PlotFigure& figure, const PlotView& view, int width, int height,
                                     float scale) {
  const std::vector<uint8_t> rgba = render_plot_rgba(figure, view, width, height, scale);
  if (rgba.empty()) return {};
  const int w = int(std::lround(width * double(scale))), h = int(std::lround(height * double(scale)));
  std::vector<uint8_t> png;
  const auto sink = [](void* context, void* data, int size) {
    auto* out = static_cast<std::vector<uint8_t>*>(context);
    out->insert(out->end(), static_cast<uint8_t*>(data), static_cast<uint8_t*>(data) + size);
  };
  if (!stbi_write_png_to_func(sink, &png, w, h, 4, rgba.data(), w * 4)) return {};
  return png;
}

void save_plot_png(const std::string& path, const PlotFigure& figure, const PlotView& view, int width, int height,
                   float scale) {
  const std::vector<uint8_t> png = encode_plot_png(figure, view, width, height, scale);
  if (png.empty()) throw input_error(path, "cannot encode the plot as PNG (empty size?)");
  write_bytes_atomically(path, png.data(), png.size());
}
}  // namespace uhop
