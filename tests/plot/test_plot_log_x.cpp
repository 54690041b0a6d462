// A log x axis (PlotFigure::log_x, PlotView::log_x): the pixel mapping px = x + (log10 v - log10 x0) /
// (log10 x1 - log10 x0) w and its inverse, values <= 0 off the axis, fitting, ticks, pan and zoom by decades, and
// markers series (a dot per sample, no line) in the files; the capacity lab's three-laws figure uses both.
#include <catch2/catch.hpp>

#include <cmath>
#include <sstream>
#include <string>

#include "plot/plot_figure.h"
#include "session/capacity_figures.h"
#include "text_files.h"

using namespace uhop;
using uhop_test::count_of;

namespace {
PlotView decades(double x0, double x1) {
  PlotView v;
  v.x0 = x0, v.x1 = x1, v.y0 = 0, v.y1 = 1;
  v.log_x = true;
  return v;
}

}  // namespace

TEST_CASE("plot log x: each decade gets the same width, and from_pixel inverts to_pixel", "[plot]") {
  const PlotView v = decades(1, 1000);
  const PixelRect r{10, 20, 300, 100};
  CHECK(to_pixel(v, r, 1, 0).x == Approx(10));
  CHECK(to_pixel(v, r, 10, 0).x == Approx(110));
  CHECK(to_pixel(v, r, 100, 0).x == Approx(210));
  CHECK(to_pixel(v, r, 1000, 0).x == Approx(310));
  CHECK(to_pixel(v, r, std::sqrt(10.0), 0).x == Approx(60));  // half a decade, half its width
  CHECK(std::isnan(to_pixel(v, r, 0, 0).x));
  CHECK(std::isnan(to_pixel(v, r, -5, 0).x));
  CHECK(to_pixel(v, r, 10, 0.5).y == Approx(70));  // y stays linear
  for (double x : {1.5, 42.0, 999.0}) CHECK(from_pixel(v, r, to_pixel(v, r, x, 0.25).x, 70).x == Approx(x));
  PlotView linear = v;
  linear.log_x = false;
  CHECK(to_pixel(linear, r, 10, 0).x == Approx(10 + 9.0 / 999 * 300));
}

TEST_CASE("plot log x: fitting in decades, log ticks, samples at x <= 0 left out", "[plot]") {
  PlotFigure f;
  f.log_x = true;
  PlotSeries s;
  s.x = {-3, 0, 10, 1000};
  s.y = {5, 5, 1, 2};
  f.series.push_back(s);
  const PlotView v = data_range(f, PlotFitOptions{});
  CHECK(v.log_x);
  CHECK(std::log10(v.x0) == Approx(1 - 0.1));  // 5 % of the 2-decade span on each side
  CHECK(std::log10(v.x1) == Approx(3 + 0.1));
  CHECK(v.y1 < 5);  // the y of samples with no place on the x axis does not count either
  PlotFitOptions linear;
  linear.log_x = false;
  CHECK(data_range(f, linear).x0 < -3);
  const PixelRect r{0, 0, 400, 100};
  const auto paths = series_paths(f.series[0], v, r, r);
  REQUIRE(paths.size() == 1);
  CHECK(paths[0].size() == 2);
  const PlotLayout L = plot_layout(f, v, 640, 400);
  std::vector<double> ticks;
  for (const PlotTick& t : L.x_ticks) ticks.push_back(t.value);
  CHECK(ticks == std::vector<double>{10, 20, 50, 100, 200, 500, 1000});  // log_ticks: under 3 decades, 1-2-5
}

TEST_CASE("plot log x: pan and zoom move the view by factors", "[plot]") {
  const PlotView v = decades(1, 10000);
  const PixelRect r{0, 0, 400, 100};
  const PlotView panned = pan_view(v, r, -100, 0);  // drag left by one decade's width
  CHECK(panned.x0 == Approx(10));
  CHECK(panned.x1 == Approx(100000));
  const PlotView zoomed = zoom_view(v, 100, 0.5, 0.5, 1);
  CHECK(zoomed.x0 == Approx(10));
  CHECK(zoomed.x1 == Approx(1000));
}

TEST_CASE("plot markers: a dot per sample on the view, no line, in the SVG and its legend", "[plot]") {
  PlotFigure f;
  f.log_x = f.log_y = true;
  PlotSeries theory, measured;
  theory.name = "theory";
  theory.dashed = true;
  theory.x = {10, 100};
  theory.y = {1, 100};
  measured.name = "measured";
  measured.markers = true;
  measured.x = {10, 30, 100, 0};  // x = 0 has no place on the log axis
  measured.y = {1.2, 9, 90, 5};
  f.series = {theory, measured};
  const PlotView v = data_range(f, PlotFitOptions{});
  const PixelRect r{0, 0, 400, 300};
  CHECK(series_points(f.series[1], v, r, r).size() == 3);
  std::ostringstream svg;
  write_plot_svg(svg, f, v, 640, 400);
  CHECK(count_of(svg.str(), "<circle") == 3 + 1);  // three samples and the legend's swatch
  f.series[1].markers = false;
  std::ostringstream lines;
  write_plot_svg(lines, f, v, 640, 400);
  CHECK(count_of(lines.str(), "<circle") == 0);
}

TEST_CASE("capacity three laws: P_max against N on log-log axes, measured points as markers", "[plot][capacity]") {
  const std::vector<CapacityLawPoint> points = {{"hebbian", 25, 4.0}, {"hebbian", 100, 15.0}};
  const PlotFigure f = capacity_laws_figure(points, PatternEnsemble::spherical, 1.0);
  CHECK(f.log_x);
  CHECK(f.log_y);
  bool measured = false;
  for (const PlotSeries& s : f.series) {
    if (s.name == "hebbian measured") {
      measured = true;
      CHECK(s.markers);
      CHECK(s.x == std::vector<double>{25, 100});
    }
    if (s.name == "hebbian theory") CHECK(s.dashed);
  }
  CHECK(measured);
}
