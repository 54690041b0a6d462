// The sweep figure never hides a method: means below the log axis' floor are drawn at the floor and say so.
#include <catch2/catch.hpp>

#include "plot/plot_figure.h"
#include "session/sweep.h"

using namespace uhop;

TEST_CASE("sweep figure: a method far below the others is drawn at the log floor with a legend note", "[sweep]") {
  std::vector<SweepSummaryRow> rows;
  for (double m : {10.0, 20.0, 30.0}) {
    SweepSummaryRow a;
    a.method = "mhm";
    a.m = m;
    a.mean = 100 + m;
    rows.push_back(a);
    SweepSummaryRow b = a;
    b.method = "manhattan";
    b.mean = m == 20 ? 5e-3 : 1e-29;  // two of three below 1e-12 x 130
    rows.push_back(b);
  }
  const PlotFigure f = sweep_figure(rows, SweepAxis::count, "t");
  REQUIRE(f.log_y);
  const double floor = 130 * 1e-12;
  const PlotSeries* line = nullptr;
  const PlotSeries* below = nullptr;
  for (const auto& s : f.series) {
    if (s.name == "manhattan") line = &s;
    if (s.name.find("manhattan below") == 0) below = &s;
  }
  REQUIRE(line);
  REQUIRE(below);
  CHECK(line->y[0] == Approx(floor));
  CHECK(line->y[1] == 5e-3);  // above the floor: as it is
  CHECK(line->y[2] == Approx(floor));
  CHECK(below->name.find("drawn there") != std::string::npos);
  // Every drawn value is inside the fitted view: nothing leaves through the bottom edge.
  const PlotView v = data_range(f);
  for (double y : line->y) CHECK(y >= v.y0 * (1 - 1e-9));
  // No note where nothing is below the floor.
  for (const auto& s : f.series) CHECK(s.name.find("mhm below") == std::string::npos);
}
