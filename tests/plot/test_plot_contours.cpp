// Iso-lines (marching squares) of functions whose level sets are known exactly.
#include <catch2/catch.hpp>

#include <cmath>

#include "plot/plot_contours.h"

using namespace uhop;

namespace {
std::vector<double> grid(int n, double lo, double hi) {
  std::vector<double> v(n);
  for (int i = 0; i < n; ++i) v[i] = lo + (hi - lo) * i / (n - 1);
  return v;
}
}  // namespace

TEST_CASE("iso-lines of a linear function are one straight line at the level", "[plot][contours]") {
  const auto xs = grid(11, 0, 1), ys = grid(7, -1, 1);
  std::vector<double> v;
  for (double x : xs)
    for (double y : ys) v.push_back(2 * x + 0 * y);
  const auto lines = iso_lines(xs, ys, v, 0.63);
  REQUIRE(lines.size() == 1);
  REQUIRE(lines[0].size() == ys.size());  // one point per grid row it crosses
  for (const auto& p : lines[0]) CHECK(p.x == Approx(0.315).margin(1e-12));
  CHECK(iso_lines(xs, ys, v, 5.0).empty());
}

TEST_CASE("iso-lines of x^2 + y^2 are one closed loop near the circle", "[plot][contours]") {
  const auto xs = grid(81, -1, 1), ys = grid(81, -1, 1);
  std::vector<double> v;
  for (double x : xs)
    for (double y : ys) v.push_back(x * x + y * y);
  const auto lines = iso_lines(xs, ys, v, 0.25);
  REQUIRE(lines.size() == 1);
  const auto& loop = lines[0];
  CHECK(loop.front().x == loop.back().x);
  CHECK(loop.front().y == loop.back().y);
  CHECK(loop.size() > 60);
  for (const auto& p : loop) CHECK(std::hypot(p.x, p.y) == Approx(0.5).margin(2e-3));  // linear interpolation error
  // Two bumps: two loops; NaN cells are skipped without crashing.
  v.clear();
  for (double x : xs)
    for (double y : ys) v.push_back(std::min((x - 0.5) * (x - 0.5) + y * y, (x + 0.5) * (x + 0.5) + y * y));
  CHECK(iso_lines(xs, ys, v, 0.04).size() == 2);
  v[40 * 81 + 40] = std::nan("");
  CHECK_NOTHROW(iso_lines(xs, ys, v, 0.04));
}

TEST_CASE("quantile levels are where the values are", "[plot][contours]") {
  std::vector<double> v;
  for (int i = 0; i <= 100; ++i) v.push_back(i);
  const auto l = quantile_levels(v, 3);
  REQUIRE(l.size() == 3);
  CHECK(l[0] == Approx(25));
  CHECK(l[1] == Approx(50));
  CHECK(l[2] == Approx(75));
  CHECK(quantile_levels(std::vector<double>(5, 1.0), 4).size() == 1);
  CHECK(quantile_levels({}, 4).empty());
}

TEST_CASE("saddle cells give two separate segments, split by the cell mean", "[plot][contours]") {
  const std::vector<double> xs = {0, 1}, ys = {0, 1};
  // values[i * 2 + j] at (xs[i], ys[j]): the corners (0,0) and (1,1) high, (1,0) and (0,1) low.
  auto lines = iso_lines(xs, ys, {1, -1, -1, 1}, 0.0);
  REQUIRE(lines.size() == 2);
  for (const auto& l : lines) REQUIRE(l.size() == 2);
  // Mean 0 is not above the level: the low corners connect, so each segment cuts off one high corner.
  CHECK(lines[0][0].x + lines[0][0].y + lines[0][1].x + lines[0][1].y == Approx(1.0));
  CHECK(lines[1][0].x + lines[1][0].y + lines[1][1].x + lines[1][1].y == Approx(3.0));
  lines = iso_lines(xs, ys, {-1, 1, 1, -1}, 0.0);  // the mirror case
  REQUIRE(lines.size() == 2);
  // Mean 0 above the level -0.5: the high corners connect, each segment cuts off a low corner: (0,0.75)-(0.25,1)
  // and (0.75,0)-(1,0.25).
  lines = iso_lines(xs, ys, {1, -1, -1, 1}, -0.5);
  REQUIRE(lines.size() == 2);
  for (const auto& l : lines) CHECK(l[0].x + l[0].y + l[1].x + l[1].y == Approx(2.0));
  CHECK(std::min(lines[0][0].x, lines[0][1].x) + std::min(lines[1][0].x, lines[1][1].x) == Approx(0.75));
}
