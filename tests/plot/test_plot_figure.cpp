// The plot description shared by the widget and the exports: ticks, fitting, view math, and the SVG/CSV/PNG files.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <limits>
#include <map>
#include <random>
#include <sstream>
#include <stb_image.h>
#include <string>
#include <vector>

#include "numerics/input_error.h"
#include "numerics/rng.h"
#include "plot/plot_figure.h"

using namespace uhop;

namespace {
using Catch::Matchers::Equals;

PlotSeries make_series(const std::string& name, std::vector<double> x, std::vector<double> y, uint32_t color,
                       bool dashed = false) {
  PlotSeries s;
  s.name = name, s.x = std::move(x), s.y = std::move(y), s.color = color, s.dashed = dashed;
  return s;
}

// Two curves, a band and a marker: enough of everything the exports draw.
PlotFigure sample_figure() {
  PlotFigure f;
  f.title = "Loss <Δ> & bound";
  f.x_label = "step";
  f.y_label = "loss";
  std::vector<double> x, y, b, lo, hi;
  for (int i = 0; i <= 40; ++i) {
    x.push_back(i);
    y.push_back(1.0 / (1 + i));
    b.push_back(1.5 / (1 + 0.5 * i));
    lo.push_back(0.8 / (1 + i));
    hi.push_back(1.2 / (1 + i));
  }
  y[10] = kPlotNaN;  // a gap
  f.series.push_back(make_series("measured", x, y, 0x1f77b4));
  f.series.push_back(make_series("bound", x, b, 0xd62728, true));
  PlotBand band;
  band.name = "spread", band.x = x, band.lo = lo, band.hi = hi, band.color = 0x2ca02c;
  f.bands.push_back(band);
  f.marker_x = 25;
  return f;
}

// Minimal XML well-formedness: balanced tags, quoted attributes, known entities, one root.
std::string xml_problem(const std::string& s) {
  std::vector<std::string> open;
  int roots = 0;
  const auto entity_ok = [&](size_t i) {
    for (const char* e : {"&amp;", "&lt;", "&gt;", "&quot;", "&apos;", "&#"}) {
      if (s.compare(i, std::strlen(e), e) == 0) return s.find(';', i) != std::string::npos;
    }
    return false;
  };
  const auto is_name = [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == ':' || c == '_';
  };
  size_t i = 0;
  while (i < s.size()) {
    if (s[i] == '&' && !entity_ok(i)) return "bad entity at " + std::to_string(i);
    if (s[i] == '>') return "stray '>' at " + std::to_string(i);
    if (s[i] != '<') {
      if (open.empty() && !std::isspace(static_cast<unsigned char>(s[i]))) return "text outside root";
      ++i;
      continue;
    }
    if (s.compare(i, 2, "<?") == 0) {
      i = s.find("?>", i);
      if (i == std::string::npos) return "unterminated <?";
      i += 2;
      continue;
    }
    if (s.compare(i, 4, "<!--") == 0) {
      i = s.find("-->", i);
      if (i == std::string::npos) return "unterminated comment";
      i += 3;
      continue;
    }
    const bool closing = s[i + 1] == '/';
    i += closing ? 2 : 1;
    const size_t name_start = i;
    while (i < s.size() && is_name(s[i])) ++i;
    const std::string name = s.substr(name_start, i - name_start);
    if (name.empty()) return "empty tag name at " + std::to_string(i);
    if (closing) {
      if (open.empty() || open.back() != name) return "mismatched </" + name + ">";
      open.pop_back();
      if (i >= s.size() || s[i] != '>') return "bad closing tag " + name;
      ++i;
      continue;
    }
    if (open.empty() && ++roots > 1) return "second root element";
    for (;;) {
      while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
      if (i >= s.size()) return "unterminated tag " + name;
      if (s.compare(i, 2, "/>") == 0) {
        i += 2;
        break;
      }
      if (s[i] == '>') {
        open.push_back(name);
        ++i;
        break;
      }
      const size_t attr_start = i;
      while (i < s.size() && is_name(s[i])) ++i;
      if (i == attr_start || i + 1 >= s.size() || s[i] != '=' || (s[i + 1] != '"' && s[i + 1] != '\''))
        return "bad attribute in <" + name + ">";
      const char quote = s[i + 1];
      const size_t end = s.find(quote, i + 2);
      if (end == std::string::npos) return "unterminated attribute";
      for (size_t k = i + 2; k < end; ++k) {
        if (s[k] == '<') return "'<' in attribute";
        if (s[k] == '&' && !entity_ok(k)) return "bad entity in attribute";
      }
      i = end + 1;
    }
  }
  if (!open.empty()) return "unclosed <" + open.back() + ">";
  if (roots != 1) return "no root element";
  return "";
}

std::vector<std::string> split_csv_line(const std::string& line) {
  std::vector<std::string> cells;
  std::string cell;
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"')
        cell += '"', ++i;
      else if (c == '"')
        quoted = false;
      else
        cell += c;
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      cells.push_back(cell), cell.clear();
    } else {
      cell += c;
    }
  }
  cells.push_back(cell);
  return cells;
}

std::string temp_path(const std::string& name) {
  return "/tmp/uhop_plot_test_" + std::to_string(::getpid()) + "_" + name;
}
}  // namespace

TEST_CASE("nice_ticks on hand-computed ranges", "[plot]") {
  CHECK_THAT(nice_ticks(0, 1, 6), Equals(std::vector<double>{0, 0.2, 0.4, 0.6, 0.8, 1}));
  CHECK_THAT(nice_ticks(1, 0, 6), Equals(std::vector<double>{0, 0.2, 0.4, 0.6, 0.8, 1}));
  CHECK_THAT(nice_ticks(0, 1, 11), Equals(std::vector<double>{0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1}));
  CHECK_THAT(nice_ticks(0.13, 0.87, 6), Equals(std::vector<double>{0.2, 0.4, 0.6, 0.8}));
  CHECK_THAT(nice_ticks(-3, 97, 6), Equals(std::vector<double>{0, 20, 40, 60, 80}));
  CHECK_THAT(nice_ticks(-1, 1, 5), Equals(std::vector<double>{-1, -0.5, 0, 0.5, 1}));
  CHECK_THAT(nice_ticks(0, 3e12, 4), Equals(std::vector<double>{0, 1e12, 2e12, 3e12}));
  CHECK_THAT(nice_ticks(1e-9, 5e-9, 5), Equals(std::vector<double>{1e-9, 2e-9, 3e-9, 4e-9, 5e-9}));
  CHECK(nice_step(0, 1, 6) == 0.2);
  CHECK(nice_step(-3, 97, 6) == 20);
  CHECK_THAT(nice_ticks(2.5, 2.5, 6), Equals(std::vector<double>{2.5}));
  CHECK(nice_ticks(kPlotNaN, 1, 6).empty());
  CHECK(nice_ticks(0, std::numeric_limits<double>::infinity(), 6).empty());
}

TEST_CASE("nice_ticks stay inside the range, at 1/2/5 steps, never too many", "[plot]") {
  std::mt19937 rng(7);
  std::uniform_real_distribution<double> unit(-1, 1);
  for (int trial = 0; trial < 2000; ++trial) {
    const double scale = std::pow(10.0, 12 * unit(rng));
    const double a = unit(rng) * scale, b = a + std::fabs(unit(rng)) * scale * std::pow(10.0, 3 * unit(rng));
    const int max_count = 2 + trial % 9;
    const std::vector<double> t = nice_ticks(a, b, max_count);
    INFO("range [" << a << ", " << b << "] max " << max_count);
    REQUIRE(!t.empty());
    CHECK(static_cast<int>(t.size()) <= max_count);
    const double step = nice_step(a, b, max_count);
    const double mantissa = step / std::pow(10.0, std::floor(std::log10(step) + 1e-12));
    CHECK((std::fabs(mantissa - 1) < 1e-9 || std::fabs(mantissa - 2) < 1e-9 || std::fabs(mantissa - 5) < 1e-9));
    for (size_t i = 0; i < t.size(); ++i) {
      CHECK(t[i] >= a - step * 1e-6);
      CHECK(t[i] <= b + step * 1e-6);
      if (i > 0) CHECK(t[i] - t[i - 1] == Approx(step).epsilon(1e-6));
      // Every label parses back to its tick and is short.
      const std::string label = format_tick(t[i], step);
      CHECK(std::fabs(std::stod(label) - t[i]) <= step * 1e-6);
      CHECK(label.size() <= 12);
    }
  }
}

TEST_CASE("log_ticks use decades, adding 2 and 5 over few decades", "[plot]") {
  CHECK_THAT(log_ticks(1, 1e6), Equals(std::vector<double>{1, 10, 100, 1e3, 1e4, 1e5, 1e6}));
  CHECK_THAT(log_ticks(0.01, 1), Equals(std::vector<double>{0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1}));
  CHECK_THAT(log_ticks(2, 8), Equals(std::vector<double>{2, 5}));
  CHECK_THAT(log_ticks(1e-10, 1e10, 10), Equals(std::vector<double>{1e-9, 1e-6, 1e-3, 1, 1e3, 1e6, 1e9}));
  CHECK_THAT(log_ticks(3, 4), Equals(std::vector<double>{3, 3.2, 3.4, 3.6, 3.8, 4}));
  CHECK(log_ticks(0, 10).empty());
  CHECK(log_ticks(-1, 10).empty());
}

TEST_CASE("format_tick has no float noise and switches to exponents at the extremes", "[plot]") {
  CHECK(format_tick(0.1 + 0.2, 0.1) == "0.3");
  CHECK(format_tick(0.30000000000000004, 0.05) == "0.30");
  CHECK(format_tick(3 * 0.1, 0.2) == "0.3");
  CHECK(format_tick(1e-17, 0.2) == "0");
  CHECK(format_tick(-1e-17, 0.2) == "0");
  CHECK(format_tick(20, 20) == "20");
  CHECK(format_tick(-40, 20) == "-40");
  CHECK(format_tick(0.001, 0.001) == "0.001");
  CHECK(format_tick(2.5e-6, 5e-7) == "2.5e-6");
  CHECK(format_tick(1e-5, 1e-5) == "1e-5");
  CHECK(format_tick(3e9, 1e9) == "3e9");
  CHECK(format_tick(1.5e7, 5e6) == "1.5e7");
  CHECK(format_tick(9.99e6, 1e5) == "1e7");
  CHECK(format_tick(kPlotNaN, 1) == "nan");
}

TEST_CASE("data_range fits visible data with padding and survives degenerate input", "[plot]") {
  PlotFigure f;
  f.series.push_back(
      make_series("a", {0, 1, 2, 3, 4}, {1, kPlotNaN, 3, std::numeric_limits<double>::infinity(), 5}, 0));
  PlotView v = data_range(f);
  CHECK(v.x0 == Approx(-0.2));
  CHECK(v.x1 == Approx(4.2));
  CHECK(v.y0 == Approx(0.8));
  CHECK(v.y1 == Approx(5.2));

  SECTION("hidden and invisible series do not count") {
    f.series.push_back(make_series("b", {0, 100}, {0, 100}, 0));
    CHECK(data_range(f).x1 > 100);
    PlotFitOptions o;
    o.hidden = {"b"};
    CHECK(data_range(f, o).x1 == Approx(4.2));
    f.series[1].visible = false;
    CHECK(data_range(f).x1 == Approx(4.2));
  }
  SECTION("constant and single-point series get a non-zero span around the value") {
    f.series[0] = make_series("c", {0, 1, 2}, {7, 7, 7}, 0);
    v = data_range(f);
    CHECK(v.y0 < 7);
    CHECK(v.y1 > 7);
    f.series[0] = make_series("p", {3}, {0}, 0);
    v = data_range(f);
    CHECK(v.x0 < 3);
    CHECK(v.x1 > 3);
    CHECK(v.y0 < 0);
    CHECK(v.y1 > 0);
  }
  SECTION("log y ignores negative values, fits only the x of exact zeros (zero marks) and pads in decades") {
    f.series[0] = make_series("l", {0, 1, 2, 3}, {-1, 0, 1e-3, 10}, 0);
    PlotFitOptions o;
    o.log_y = true;
    v = data_range(f, o);
    CHECK(v.log_y);
    CHECK(v.y0 == Approx(std::pow(10.0, -3 - 0.2)));
    CHECK(v.y1 == Approx(std::pow(10.0, 1 + 0.2)));
    CHECK(v.x0 == Approx(1 - 0.1));  // x from 1 (the exact zero) to 3, padded by 5 % of 2
    f.series[0] = make_series("k", {0, 1}, {5, 5}, 0);
    v = data_range(f, o);
    CHECK(v.y0 > 0);
    CHECK(v.y0 < 5);
    CHECK(v.y1 > 5);
  }
  SECTION("no data gives a usable default") {
    f.series[0].y = {kPlotNaN, kPlotNaN, kPlotNaN, kPlotNaN, kPlotNaN};
    v = data_range(f);
    CHECK(v.x1 > v.x0);
    CHECK(v.y1 > v.y0);
    f.log_y = true;
    v = data_range(f);
    CHECK(v.y0 > 0);
    CHECK(v.y1 > v.y0);
  }
  SECTION("bands count, and an x window restricts the fit") {
    PlotBand b;
    b.name = "band", b.x = {0, 4}, b.lo = {-10, -10}, b.hi = {20, 20};
    f.bands.push_back(b);
    v = data_range(f);
    CHECK(v.y0 < -10);
    CHECK(v.y1 > 20);
    PlotFitOptions o;
    o.x_min = 1.5, o.x_max = 2.5;
    f.bands.clear();
    v = data_range(f, o);
    CHECK(v.y0 < 3);
    CHECK(v.y1 > 3);
    CHECK(v.y1 - v.y0 < 1);
  }
}

TEST_CASE("to_pixel and from_pixel are inverse, linear and log", "[plot]") {
  const PixelRect rect{50, 20, 400, 300};
  PlotView v{-2, 8, 1, 5};
  PixelPoint p = to_pixel(v, rect, -2, 1);
  CHECK(p.x == Approx(50));
  CHECK(p.y == Approx(320));  // y grows downwards: the bottom-left corner
  p = to_pixel(v, rect, 8, 5);
  CHECK(p.x == Approx(450));
  CHECK(p.y == Approx(20));
  for (double x : {-2.0, 0.3, 7.9}) {
    for (double y : {1.0, 2.2, 4.9}) {
      const PixelPoint q = to_pixel(v, rect, x, y), back = from_pixel(v, rect, q.x, q.y);
      CHECK(back.x == Approx(x));
      CHECK(back.y == Approx(y));
    }
  }
  v = PlotView{0, 1, 1e-3, 10, true};
  CHECK(to_pixel(v, rect, 0, 0.1).y == Approx(20 + 300 * 0.5));  // 0.1 is halfway in log between 1e-3 and 10
  CHECK(std::isnan(to_pixel(v, rect, 0, 0).y));
  CHECK(std::isnan(to_pixel(v, rect, 0, -1).y));
  for (double y : {1e-3, 0.0123, 3.3, 10.0}) {
    const PixelPoint q = to_pixel(v, rect, 0.5, y);
    CHECK(from_pixel(v, rect, q.x, q.y).y == Approx(y));
  }
}

TEST_CASE("pan, zoom, follow-latest", "[plot]") {
  const PixelRect rect{0, 0, 200, 100};
  const PlotView v{0, 10, -1, 1};
  SECTION("panning moves the data under the mouse with it") {
    const PlotView p = pan_view(v, rect, 40, -25);
    const PixelPoint before = from_pixel(v, rect, 60, 70), after = from_pixel(p, rect, 100, 45);
    CHECK(after.x == Approx(before.x));
    CHECK(after.y == Approx(before.y));
    CHECK(p.x1 - p.x0 == Approx(10));
    const PlotView lv{0, 1, 1, 100, true};
    const PlotView lp = pan_view(lv, rect, 0, 50);  // half the height down = one decade
    CHECK(lp.y0 == Approx(10));
    CHECK(lp.y1 == Approx(1000));
  }
  SECTION("zoom keeps the anchor fixed and scales the span") {
    const PlotView z = zoom_view(v, 2, 0.5, 0.5, 0.5);
    CHECK(z.x1 - z.x0 == Approx(5));
    CHECK(z.y1 - z.y0 == Approx(1));
    const PixelPoint a0 = to_pixel(v, rect, 2, 0.5), a1 = to_pixel(z, rect, 2, 0.5);
    CHECK(a1.x == Approx(a0.x));
    CHECK(a1.y == Approx(a0.y));
    const PlotView only_x = zoom_view(v, 2, 0.5, 2, 1);
    CHECK(only_x.x1 - only_x.x0 == Approx(20));
    CHECK(only_x.y0 == v.y0);
    CHECK(only_x.y1 == v.y1);
    const PlotView lz = zoom_view(PlotView{0, 1, 1, 1e4, true}, 0.5, 100, 1, 0.5);
    CHECK(lz.y0 == Approx(10));
    CHECK(lz.y1 == Approx(1000));
  }
  SECTION("repeated zoom cannot collapse the view") {
    PlotView z = v;
    for (int i = 0; i < 200; ++i) z = zoom_view(z, 3, 0.1, 0.5, 0.5);
    CHECK(z.x1 > z.x0);
    CHECK(z.y1 > z.y0);
    for (int i = 0; i < 2000; ++i) z = zoom_view(z, 3, 0.1, 2, 2);
    CHECK(std::isfinite(z.x1 - z.x0));
  }
  SECTION("follow-latest keeps the span and slides to the newest sample") {
    PlotFigure f;
    f.series.push_back(make_series("a", {0, 1, 2, 50}, {0, 1, 2, 3}, 0));
    f.series.push_back(make_series("b", {0, 80}, {0, kPlotNaN}, 0));  // undefined at 80: not the latest
    const PlotView fl = follow_latest(v, f, 0.1);
    CHECK(fl.x1 - fl.x0 == Approx(10));
    CHECK(fl.x1 == Approx(51));
    CHECK(fl.y0 == v.y0);
    CHECK(last_x(f) == 50);
    CHECK(last_x(f, {"a"}) == 0);
    CHECK(follow_latest(v, PlotFigure{}).x0 == v.x0);
  }
}

TEST_CASE("hover_readout gives each visible series' value at the nearest sample", "[plot]") {
  PlotFigure f;
  f.series.push_back(make_series("a", {0, 1, 2, 3}, {10, 11, 12, 13}, 0));
  f.series.push_back(make_series("b", {0, 2, 4}, {5, kPlotNaN, 7}, 0));
  f.series.push_back(make_series("c", {0}, {1}, 0));
  f.series[2].visible = false;
  std::vector<HoverValue> r = hover_readout(f, 1.2);
  REQUIRE(r.size() == 3);
  CHECK(r[0].x == 1);
  CHECK(r[0].y == 11);
  CHECK(r[1].x == 2);
  CHECK(std::isnan(r[1].y));  // nearest sample is undefined
  CHECK(std::isnan(r[2].y));  // hidden
  r = hover_readout(f, 3.9);
  CHECK(r[0].y == 13);
  CHECK(r[1].y == 7);
  r = hover_readout(f, 10, 2);
  CHECK(std::isnan(r[0].y));
  CHECK(std::isnan(r[1].y));
}

TEST_CASE("a long path is drawn as at most four points per pixel column, its extremes and ends kept", "[plot]") {
  std::vector<PixelPoint> short_path = {{0.5, 1}, {0.6, 9}, {0.7, 3}};
  CHECK(thin_to_pixel_columns(short_path).size() == 3);  // short paths are drawn as they are
  // 10^5 samples of a noisy curve over 400 columns (250 per column).
  Rng rng(3);
  std::vector<PixelPoint> path;
  for (int i = 0; i < 100000; ++i) path.push_back({i * 0.004, std::sin(i * 1e-4) * 50 + rng.normal()});
  const std::vector<PixelPoint> thin = thin_to_pixel_columns(path);
  CHECK(thin.size() <= 4 * 400);
  CHECK(thin.front().x == path.front().x);
  CHECK(thin.back().x == path.back().x);
  std::map<int, std::pair<double, double>> want, got;  // per column: lowest and highest y
  const auto add = [](std::map<int, std::pair<double, double>>& m, const PixelPoint& p) {
    auto [it, fresh] = m.try_emplace(static_cast<int>(std::floor(p.x)), p.y, p.y);
    if (!fresh) it->second = {std::min(it->second.first, p.y), std::max(it->second.second, p.y)};
  };
  for (const PixelPoint& p : path) add(want, p);
  for (const PixelPoint& p : thin) add(got, p);
  CHECK(got == want);  // every column spans exactly what the full path spans
  for (size_t i = 1; i < thin.size(); ++i) CHECK(thin[i].x >= thin[i - 1].x);  // in the path's order
}

TEST_CASE("series_paths break at gaps and clip far-away samples", "[plot]") {
  const PixelRect rect{0, 0, 100, 100};
  const PlotView v{0, 10, 0, 10};
  const PlotSeries s = make_series("s", {1, 2, 3, 4, 5, 6}, {1, 2, kPlotNaN, 4, 5, 1e9}, 0);
  const auto paths = series_paths(s, v, rect, rect);
  REQUIRE(paths.size() == 2);
  CHECK(paths[0].size() == 2);
  REQUIRE(paths[1].size() == 3);
  CHECK(paths[1][2].y == Approx(0).margin(1e-9));  // the spike is cut at the top edge
  CHECK(paths[1][2].x > 50);
  CHECK(paths[1][2].x < 60);

  const auto dashes = dash_paths({{{0, 0}, {100, 0}}}, 6, 4);
  REQUIRE(dashes.size() == 10);
  CHECK(dashes[0].back().x == Approx(6));
  CHECK(dashes[1].front().x == Approx(10));
}

TEST_CASE("SVG export is well-formed and draws what the view says", "[plot]") {
  const PlotFigure f = sample_figure();
  const PlotView v = data_range(f);
  std::ostringstream out;
  write_plot_svg(out, f, v, 640, 400);
  const std::string svg = out.str();
  INFO(svg.substr(0, 600));
  CHECK(xml_problem(svg).empty());
  CHECK(xml_problem("<svg><g></svg>") == "mismatched </svg>");  // the checker itself can fail
  CHECK(!xml_problem("<svg a=\"1 & 2\"/>").empty());
  CHECK(svg.find("xmlns=\"http://www.w3.org/2000/svg\"") != std::string::npos);
  CHECK(svg.find("Loss &lt;Δ&gt; &amp; bound") != std::string::npos);
  CHECK(svg.find("clip-path=\"url(#plot-area)\"") != std::string::npos);

  const PlotLayout L = plot_layout(f, v, 640, 400);
  const auto point = [&](double x, double y) {
    const PixelPoint p = to_pixel(v, L.plot, x, y);
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.2f,%.2f", p.x, p.y);
    return std::string(buf);
  };
  for (int i = 0; i <= 40; ++i) {
    if (i == 10) continue;
    INFO("sample " << i);
    CHECK(svg.find(point(i, f.series[0].y[i])) != std::string::npos);
  }
  // The gap splits "measured" into two polylines; the dashed bound is one more.
  size_t polylines = 0;
  for (size_t at = svg.find("<polyline"); at != std::string::npos; at = svg.find("<polyline", at + 1)) ++polylines;
  CHECK(polylines == 3);
  const size_t bound_at = svg.find(point(0, f.series[1].y[0]));
  REQUIRE(bound_at != std::string::npos);
  const size_t tag_end = svg.find("/>", bound_at);
  CHECK(svg.substr(bound_at, tag_end - bound_at).find("stroke-dasharray") != std::string::npos);
  CHECK(svg.find("#d62728") != std::string::npos);
  CHECK(svg.find("<polygon") != std::string::npos);
  CHECK(svg.find("fill-opacity") != std::string::npos);
  for (const PlotTick& t : L.y_ticks) CHECK(svg.find(">" + t.label + "</text>") != std::string::npos);
}

TEST_CASE("CSV export round-trips the plotted values", "[plot]") {
  PlotFigure f;
  f.series.push_back(make_series("a,b", {0, 1, 2}, {0.1, kPlotNaN, 1.0 / 3}, 0));
  f.series.push_back(make_series("late", {1.5, 2, 3}, {7, 8, 9}, 0));
  f.series.push_back(make_series("hidden", {100}, {1}, 0));
  f.series.back().visible = false;
  PlotBand b;
  b.name = "spread", b.x = {0, 3}, b.lo = {-1, -2}, b.hi = {1, 2};
  f.bands.push_back(b);
  std::ostringstream out;
  write_plot_csv(out, f);
  std::istringstream in(out.str());
  std::string line;
  std::vector<std::vector<std::string>> rows;
  while (std::getline(in, line)) rows.push_back(split_csv_line(line));
  REQUIRE(rows.size() == 6);  // header + x in {0, 1, 1.5, 2, 3}
  CHECK_THAT(rows[0], Equals(std::vector<std::string>{"x", "a,b", "late", "spread_lo", "spread_hi"}));
  const std::vector<double> xs = {0, 1, 1.5, 2, 3};
  for (size_t r = 1; r < rows.size(); ++r) {
    REQUIRE(rows[r].size() == 5);
    CHECK(std::stod(rows[r][0]) == xs[r - 1]);
  }
  CHECK(std::stod(rows[1][1]) == 0.1);
  CHECK(rows[2][1].empty());                // NaN
  CHECK(std::stod(rows[4][1]) == 1.0 / 3);  // %.17g round-trips exactly
  CHECK(rows[1][2].empty());
  CHECK(std::stod(rows[3][2]) == 7);
  CHECK(std::stod(rows[5][2]) == 9);
  CHECK(std::stod(rows[5][3]) == -2);
  CHECK(std::stod(rows[5][4]) == 2);
  CHECK(rows[2][3].empty());
}

TEST_CASE("PNG export decodes to the requested size and shows the series", "[plot]") {
  const PlotFigure f = sample_figure();
  const PlotView v = data_range(f);
  for (float scale : {1.0f, 2.0f}) {
    const std::vector<uint8_t> png = encode_plot_png(f, v, 320, 200, scale);
    REQUIRE(!png.empty());
    int w = 0, h = 0, n = 0;
    unsigned char* pixels = stbi_load_from_memory(png.data(), static_cast<int>(png.size()), &w, &h, &n, 4);
    REQUIRE(pixels != nullptr);
    CHECK(w == static_cast<int>(320 * scale));
    CHECK(h == static_cast<int>(200 * scale));
    const auto count_near = [&](uint32_t color) {
      int count = 0;
      for (int i = 0; i < w * h; ++i) {
        const unsigned char* p = pixels + 4 * i;
        if (std::abs(p[0] - int(color >> 16)) < 24 && std::abs(p[1] - int((color >> 8) & 255)) < 24 &&
            std::abs(p[2] - int(color & 255)) < 24)
          ++count;
      }
      return count;
    };
    INFO("scale " << scale);
    CHECK(count_near(0x1f77b4) > 100 * scale);
    CHECK(count_near(0xd62728) > 50 * scale);
    CHECK(count_near(0xffffff) > w * h / 2);  // mostly background
    // A sample in the middle of the measured curve is drawn in its colour.
    const PlotLayout L = plot_layout(f, v, 320, 200, scale);
    const PixelPoint p = to_pixel(v, L.plot, 30, f.series[0].y[30]);
    const unsigned char* c = pixels + 4 * (static_cast<int>(p.y) * w + static_cast<int>(p.x));
    CHECK(std::abs(c[2] - 0xb4) < 40);
    CHECK(c[0] < 100);
    stbi_image_free(pixels);
  }
  CHECK(render_plot_rgba(f, v, 0, 10).empty());
}

TEST_CASE("save_plot_* write whole files and name the path on failure", "[plot]") {
  const PlotFigure f = sample_figure();
  const PlotView v = data_range(f);
  const std::string svg = temp_path("a.svg"), csv = temp_path("a.csv"), png = temp_path("a.png");
  save_plot_svg(svg, f, v, 300, 200);
  save_plot_csv(csv, f);
  save_plot_png(png, f, v, 300, 200, 2);
  std::ifstream svg_in(svg), csv_in(csv);
  const std::string svg_text((std::istreambuf_iterator<char>(svg_in)), std::istreambuf_iterator<char>());
  std::string header;
  std::getline(csv_in, header);
  CHECK(svg_text.find("</svg>") != std::string::npos);
  CHECK(header == "x,measured,bound,spread_lo,spread_hi");
  int w = 0, h = 0, n = 0;
  unsigned char* pixels = stbi_load(png.c_str(), &w, &h, &n, 4);
  REQUIRE(pixels != nullptr);
  CHECK(w == 600);
  CHECK(h == 400);
  stbi_image_free(pixels);
  std::remove(svg.c_str()), std::remove(csv.c_str()), std::remove(png.c_str());
  CHECK_THROWS_AS(save_plot_svg("/nonexistent-dir/x.svg", f, v, 10, 10), InputError);
  CHECK_THROWS_WITH(save_plot_png("/nonexistent-dir/x.png", f, v, 10, 10), Catch::Contains("/nonexistent-dir/x.png"));
}
