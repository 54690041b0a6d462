// What a reader of a plot must not misread: tick labels that tell ticks apart, a log axis that does not run down to
// 1e-132, exact zeros that stay visible on a log axis, and a legend that does not hide the data.
#include <catch2/catch.hpp>
#include <cmath>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "plot/plot_figure.h"

using namespace uhop;

namespace {
PlotSeries line(const std::string& name, std::vector<double> x, std::vector<double> y, uint32_t color = 0x1f77b4) {
  PlotSeries s;
  s.name = name, s.x = std::move(x), s.y = std::move(y), s.color = color;
  return s;
}

std::set<std::string> labels_of(const std::vector<PlotTick>& ticks) {
  std::set<std::string> out;
  for (const PlotTick& t : ticks) out.insert(t.label);
  return out;
}

// The x attribute of the legend's background rectangle (the only rect with fill-opacity 0.88).
double legend_x(const std::string& svg) {
  const size_t at = svg.find("fill-opacity=\"0.88\"");
  REQUIRE(at != std::string::npos);
  const size_t rect = svg.rfind("<rect x=\"", at);
  REQUIRE(rect != std::string::npos);
  return std::stod(svg.substr(rect + 9));
}
}  // namespace

TEST_CASE("axis_ticks label every tick differently, on narrow log ranges too", "[plot]") {
  for (const auto& [lo, hi] : std::vector<std::pair<double, double>>{
           {8.1, 9.3}, {8.01, 8.09}, {1.5, 3.5}, {0.012, 0.019}, {1e-5, 1.0}, {3e-7, 8e-7}, {0.9, 1.1}}) {
    const std::vector<PlotTick> ticks = axis_ticks(lo, hi, true, 8);
    INFO("log axis [" << lo << ", " << hi << "]");
    REQUIRE(ticks.size() >= 2);
    CHECK(labels_of(ticks).size() == ticks.size());  // "8, 8, 8" was the bug
    for (const PlotTick& t : ticks) {
      // A label read back is the tick value to within its own precision (a tenth of the gap is plenty).
      CHECK(std::fabs(std::stod(t.label) - t.value) <= 0.5 * (ticks[1].value - ticks[0].value) + 1e-12 * t.value);
    }
  }
  const std::vector<PlotTick> decades = axis_ticks(1e-6, 1e3, true, 10);
  CHECK(labels_of(decades).count("1e-6") == 1);
  CHECK(labels_of(decades).count("100") == 1);
  const std::vector<PlotTick> linear = axis_ticks(0, 1, false, 6);
  CHECK(labels_of(linear) == std::set<std::string>{"0", "0.2", "0.4", "0.6", "0.8", "1.0"});
}

TEST_CASE("a fitted log axis stops 12 decades below its largest value", "[plot]") {
  PlotFigure f;
  f.log_y = true;
  f.series.push_back(line("error", {0, 1, 2, 3}, {100, 1, 1e-40, 1e-132}));
  const PlotView v = data_range(f);
  CHECK(v.y1 >= 100);
  CHECK(v.y0 > 1e-12);  // 1e-132 would invite "10^100 times better" readings
  CHECK(v.y0 < 1e-9);   // the floor plus padding, not more
  PlotFitOptions off;
  off.log_floor_decades = 0;  // the floor can be switched off
  CHECK(data_range(f, off).y0 < 1e-131);
  // Data within the floor is fitted as before.
  PlotFigure g;
  g.log_y = true;
  g.series.push_back(line("e", {0, 1}, {1, 1e-3}));
  CHECK(data_range(g).y0 < 1e-3);
  CHECK(data_range(g).y0 > 1e-4);
}

TEST_CASE("exact zeros on a log axis get marks on the bottom edge, in every export", "[plot]") {
  PlotFigure f;
  f.log_y = true;
  f.series.push_back(line("error", {0, 1, 2, 3}, {1, 0, 0.1, 0}, 0xd62728));
  const PlotView v = data_range(f);
  const PixelRect rect{10, 20, 300, 100};
  const std::vector<PixelPoint> marks = zero_marks(f.series[0], v, rect);
  REQUIRE(marks.size() == 2);
  CHECK(marks[0].x == Approx(to_pixel(v, rect, 1, 1).x));
  CHECK(marks[1].x == Approx(to_pixel(v, rect, 3, 1).x));
  for (const PixelPoint& m : marks) CHECK(m.y == Approx(120));
  PlotView linear = v;
  linear.log_y = false;
  CHECK(zero_marks(f.series[0], linear, rect).empty());  // 0 is on a linear axis already
  PlotView left = v;
  left.x0 = -1, left.x1 = 0.5;
  CHECK(zero_marks(f.series[0], left, rect).empty());  // outside the view in x

  std::ostringstream svg;
  write_plot_svg(svg, f, v, 400, 250);
  CHECK(svg.str().find("exactly 0") != std::string::npos);
  CHECK(svg.str().find("<polygon points=") != std::string::npos);
  f.series[0].y = {1, 0.5, 0.1, 0.2};
  std::ostringstream none;
  write_plot_svg(none, f, data_range(f), 400, 250);
  CHECK(none.str().find("exactly 0") == std::string::npos);
}

TEST_CASE("the legend goes to the corner where it hides the least data", "[plot]") {
  const PixelRect plot{0, 0, 400, 200};
  PlotFigure f;
  std::vector<double> x, up;
  for (int i = 0; i <= 50; ++i) x.push_back(i), up.push_back(i);
  f.series.push_back(line("rising", x, up));  // a diagonal from bottom-left to top-right
  const PlotView v = data_range(f);
  const PixelRect box = place_legend(f, v, plot, 80, 40, 6);
  CHECK(box.x == Approx(6));  // top-left: the first free corner in the order of preference
  CHECK(box.y == Approx(6));
  PlotFigure low;
  low.series.push_back(line("low", {0, 1, 2}, {0, 0, 10}));
  low.series[0].y = {0, 0, 0.1};
  PlotView lv = data_range(low);
  lv.y1 = 1;  // data along the bottom only: the top-right corner is free
  CHECK(place_legend(low, lv, plot, 80, 40, 6).x == Approx(400 - 80 - 6));
  CHECK(place_legend(low, lv, plot, 80, 40, 6).y == Approx(6));

  // The SVG export uses the same placement (the legend used to sit top-right whatever the data).
  PlotFigure two = f;
  two.series.push_back(line("also rising", x, up, 0xd62728));
  std::ostringstream svg;
  write_plot_svg(svg, two, data_range(two), 500, 300);
  const PlotLayout L = plot_layout(two, data_range(two), 500, 300);
  CHECK(legend_x(svg.str()) < L.plot.x + L.plot.w / 2);
}
