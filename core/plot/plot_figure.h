// The one description of a plot. The ImGui widget, the SVG/PDF/PNG/CSV exports and the CLI all read a PlotFigure and
// a PlotView, so what is on screen and what is in a file cannot disagree. No GUI, no GL: plain structs and free
// functions, unit-testable without a window.
//
// Files are drawn by one routine (plot_draw.cpp: grid, ticks, series, bands, intervals, legend, labels) over a small
// painter interface (plot_painter.h) with two painters: a hand-written SVG writer (plot_svg.cpp, real <text> that
// LaTeX/Inkscape users can edit) and cairo (plot_cairo.cpp: PDF with real text, and PNG), so the three formats
// cannot drift apart. The screen (app/plot_widget.cpp) draws with ImDrawList from the same layout math.
//
// Colours are 0xRRGGBB (no alpha: bands and shaded intervals get their transparency from the drawing code).
// Pixel coordinates have y growing downwards, like the screen, SVG and images.
#pragma once
#include <cstdint>
#include <iosfwd>
#include <limits>
#include <optional>
#include <string>
#include <vector>

namespace uhop {
constexpr double kPlotNaN = std::numeric_limits<double>::quiet_NaN();

// One line. y may hold NaN for "undefined here": the line breaks there. On a log axis, values <= 0 break it too.
struct PlotSeries {
  std::string name;
  std::vector<double> x, y;  // same length; x need not be sorted, but lines join samples in the order given
  uint32_t color = 0x1f77b4;
  bool dashed = false;   // e.g. a theoretical bound drawn against the measured curve
  bool markers = false;  // a dot per sample and no line: measured points over a theory line
  bool visible = true;
  std::string tooltip;  // longer description for the legend hover
};

// A shaded band between lo and hi, e.g. the spread of a quantity over memories. NaN in lo or hi leaves a gap.
struct PlotBand {
  std::string name;
  std::vector<double> x, lo, hi;
  uint32_t color = 0x1f77b4;
  bool visible = true;
};

// A labelled x-interval shaded over the full height, e.g. steps where the state is "outside sphere".
// x0/x1 may be -inf/+inf to mean "from/to the edge".
struct PlotInterval {
  double x0 = 0, x1 = 0;
  std::string label;
  uint32_t color = 0x999999;
};

struct PlotFigure {
  std::string title, x_label, y_label;
  std::vector<PlotSeries> series;
  std::vector<PlotBand> bands;
  std::vector<PlotInterval> intervals;
  bool log_y = false;          // the figure's preferred axes; the PlotView decides what is drawn
  bool log_x = false;          // e.g. capacity against N on log-log axes
  double marker_x = kPlotNaN;  // current-step vertical marker; NaN for none
};

// The visible data window. On a log axis its limits are still data values (> 0) and the mapping is log10.
struct PlotView {
  double x0 = 0, x1 = 1, y0 = 0, y1 = 1;
  bool log_y = false;
  bool log_x = false;
};

struct PixelPoint {
  double x = 0, y = 0;
};
struct PixelRect {
  double x = 0, y = 0, w = 0, h = 0;  // top-left corner and size
};

// ---- ticks ----
// The 1/2/5 x 10^k step giving at most max_count ticks inside [lo, hi] (at least one step when lo == hi).
double nice_step(double lo, double hi, int max_count);
// Multiples of nice_step inside [lo, hi] (both ends included up to rounding). Empty for non-finite input.
std::vector<double> nice_ticks(double lo, double hi, int max_count);
// Log axis (lo, hi > 0): powers of ten inside [lo, hi], every k-th decade when there are many; with fewer than
// three decades also 2 and 5 times them; falls back to nice_ticks when that still gives fewer than two ticks.
std::vector<double> log_ticks(double lo, double hi, int max_count = 10);
// Short label for a tick at `value` on an axis with spacing `step`: as many decimals as the step needs (so no
// "0.30000000000000004"), exponent form ("2.5e-6", "1e+9") for very small steps or very large magnitudes.
// For log ticks pass step = value.
std::string format_tick(double value, double step);

struct PlotTick {
  double value;
  std::string label;
};
// The ticks of one axis with labels that tell them apart: linear ticks get the decimals of their step; log ticks
// the precision of the gap to their nearest neighbour (so one decade reads "8.2, 8.4, 8.6", not "8, 8, 8"). Every
// renderer (screen, SVG, PNG) labels its axes with this.
std::vector<PlotTick> axis_ticks(double lo, double hi, bool log_axis, int max_count);

// ---- fitting and view math ----
struct PlotFitOptions {
  double pad_x = 0.05, pad_y = 0.05;  // fraction of the span added on each side (in log10 units for log y)
  std::optional<bool> log_y;          // default: figure.log_y
  std::optional<bool> log_x;          // default: figure.log_x
  std::vector<std::string> hidden;    // series/band names to ignore besides those with visible == false
  double x_min = -std::numeric_limits<double>::infinity();  // only samples with x in [x_min, x_max] count
  double x_max = std::numeric_limits<double>::infinity();
  // A log axis reaches at most this many decades below its largest value: an error of 1e-132 next to 1e2 is
  // "numerically zero", and an axis down to it would invite "10^100 times better" readings (values below the floor
  // leave the plot at its bottom edge; exact zeros get their own marks, see zero_marks).
  double log_floor_decades = 12;
};
// Auto-fit view of the visible series and bands, skipping NaN/inf (and values <= 0 on a log axis). A constant or
// single-point range gets a non-zero span around the value; no data gives [0,1] x [0,1] ([1,10] on log y).
PlotView data_range(const PlotFigure& figure, const PlotFitOptions& options = {});
// Largest finite x with a finite y among visible series and bands; NaN when there is none.
double last_x(const PlotFigure& figure, const std::vector<std::string>& hidden = {});

// Each axis linear or log10 (pixel position proportional to log10 of the value). to_pixel of a value <= 0 on a log
// axis gives NaN for that coordinate.
PixelPoint to_pixel(const PlotView& view, const PixelRect& rect, double x, double y);
PixelPoint from_pixel(const PlotView& view, const PixelRect& rect, double px, double py);

// Drag by (dx, dy) pixels: the data under the mouse moves with it.
PlotView pan_view(const PlotView& view, const PixelRect& rect, double dx_px, double dy_px);
// Scale the spans about the anchor (data coordinates) so that the anchor stays put; factor < 1 zooms in.
// Spans are kept within a sane relative range so repeated zooming cannot collapse or overflow the view.
PlotView zoom_view(const PlotView& view, double anchor_x, double anchor_y, double factor_x, double factor_y);
// Keep the x span and slide it so the newest sample sits `pad` of the span inside the right edge; y unchanged.
PlotView follow_latest(const PlotView& view, const PlotFigure& figure, double pad = 0.05,
                       const std::vector<std::string>& hidden = {});

// ---- hover ----
struct HoverValue {
  double x = kPlotNaN, y = kPlotNaN;  // the series' sample nearest to the cursor in x
};
// One entry per figure.series (same index). NaN for hidden series, series without samples, or when the nearest
// sample is farther than max_dx from x.
std::vector<HoverValue> hover_readout(const PlotFigure& figure, double x,
                                      double max_dx = std::numeric_limits<double>::infinity());

// ---- geometry shared by every renderer ----
// A series as pixel polylines: split at NaN/inf (and y <= 0 on log views) and clipped to `clip`, so far
// off-screen samples never produce huge coordinates. Samples inside `clip` keep their exact to_pixel position.
std::vector<std::vector<PixelPoint>> series_paths(const PlotSeries& series, const PlotView& view, const PixelRect& rect,
                                                  const PixelRect& clip);
// A long path (over kThinAbove points: a Stage I curve of 10^5 steps) as at most four points per pixel column, the
// first, lowest, highest and last of each run of consecutive points in one column: the same picture at one pixel,
// bounded work (cairo stroked 10^5-point curves at ~200 us a point: replay --out of 10^6 steps ran for minutes).
constexpr size_t kThinAbove = 4096;
std::vector<PixelPoint> thin_to_pixel_columns(const std::vector<PixelPoint>& path);
// A markers series' samples as pixel points: those with a place on the view (finite, > 0 on a log axis) inside `clip`.
std::vector<PixelPoint> series_points(const PlotSeries& series, const PlotView& view, const PixelRect& rect,
                                      const PixelRect& clip);
// A band as closed pixel polygons (hi forwards, lo backwards), one per run of finite samples, clipped to `clip`.
std::vector<std::vector<PixelPoint>> band_polygons(const PlotBand& band, const PlotView& view, const PixelRect& rect,
                                                   const PixelRect& clip);
// Exact zeros on a log view cannot be placed on the axis, yet "the error is exactly 0" is often the point of a plot:
// each sample with y == 0 (x inside the view) gets a mark on the bottom edge of `rect`. Empty on linear views.
std::vector<PixelPoint> zero_marks(const PlotSeries& series, const PlotView& view, const PixelRect& rect);
// Where a legend box of `w` x `h` pixels hides the least data: the corner of `plot` (inset by `margin`) whose box
// covers the fewest visible series and band samples (lines sampled every few pixels), preferring top-right, then
// top-left, bottom-right, bottom-left on ties.
PixelRect place_legend(const PlotFigure& figure, const PlotView& view, const PixelRect& plot, double w, double h,
                       double margin);
// Cut polylines into dashes of `on` pixels separated by `off` pixels, measured along the line.
std::vector<std::vector<PixelPoint>> dash_paths(const std::vector<std::vector<PixelPoint>>& paths, double on,
                                                double off);

// Where the exports put things, for a `width` x `height` figure (in CSS pixels; `scale` multiplies every size).
struct PlotLayout {
  double width = 0, height = 0, scale = 1;
  PixelRect plot;  // the data area
  std::vector<PlotTick> x_ticks, y_ticks;
  double tick_font = 11, label_font = 12, title_font = 14;  // pixel sizes, already scaled
};
// font_scale multiplies the text sizes only (e.g. 1.5 for slides); the layout makes room for the bigger labels.
PlotLayout plot_layout(const PlotFigure& figure, const PlotView& view, double width, double height, double scale = 1,
                       double font_scale = 1);

// ---- appearance of a file ----
enum class PlotTheme { light, dark };  // dark: dark background, light text (for dark slides)
struct PlotStyle {
  double font_scale = 1;  // text sizes times this (0.5..4)
  PlotTheme theme = PlotTheme::light;
};

// ---- exports ----
// Standalone SVG 1.1 of `width` x `height` pixels.
void write_plot_svg(std::ostream& out, const PlotFigure& figure, const PlotView& view, int width, int height,
                    const PlotStyle& style = {});
// PDF (one page of width x height CSS pixels, i.e. 0.75 pt each): vector graphics, real (selectable) text.
void write_plot_pdf(std::ostream& out, const PlotFigure& figure, const PlotView& view, double width, double height,
                    const PlotStyle& style = {});
// Header "x,<series...>,<band>_lo,<band>_hi" for visible series and bands; one row per distinct finite x
// (sorted); an empty cell where that column has no sample at x or its value is NaN. Numbers as %.17g.
void write_plot_csv(std::ostream& out, const PlotFigure& figure);
// Whether this build draws figures into pixels and PDF (cairo: the desktop; the browser build has no cairo and
// refuses render_*_rgba, PNG and PDF of figures with an InputError, core/plot/web/).
bool can_draw_raster();
// RGBA8, round(width*scale) x round(height*scale), rows top to bottom.
// Drawn with cairo; empty for an empty size.
std::vector<uint8_t> render_plot_rgba(const PlotFigure& figure, const PlotView& view, int width, int height,
                                      float scale = 1, const PlotStyle& style = {});
std::vector<uint8_t> encode_plot_png(const PlotFigure& figure, const PlotView& view, int width, int height,
                                     float scale = 1, const PlotStyle& style = {});
// Atomic file versions; throw InputError naming the path.
void save_plot_svg(const std::string& path, const PlotFigure& figure, const PlotView& view, int width, int height,
                   const PlotStyle& style = {});
void save_plot_csv(const std::string& path, const PlotFigure& figure);
void save_plot_png(const std::string& path, const PlotFigure& figure, const PlotView& view, int width, int height,
                   float scale = 1, const PlotStyle& style = {});
void save_plot_pdf(const std::string& path, const PlotFigure& figure, const PlotView& view, double width, double height,
                   const PlotStyle& style = {});
}  // namespace uhop
