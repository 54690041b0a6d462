// CSV export: one x column and one column per visible series (and band edge), aligned on the union of x.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ostream>

#include "io/atomic_file.h"
#include "plot_figure.h"
#include "plot_style.h"

namespace uhop {
using namespace plot_style;

// CSV

namespace {
std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

// One column: (x, value) sorted by x, ready to be walked alongside the sorted union of x.
struct Column {
  std::string name;
  std::vector<std::pair<double, double>> samples;
};
Column make_column(const std::string& name, const std::vector<double>& x, const std::vector<double>& y) {
  Column c{name, {}};
  const size_t n = std::min(x.size(), y.size());
  for (size_t i = 0; i < n; ++i) {
    if (finite(x[i])) c.samples.emplace_back(x[i], y[i]);
  }
  std::stable_sort(c.samples.begin(), c.samples.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  return c;
}
}  // namespace

void write_plot_csv(std::ostream& out, const PlotFigure& figure) {
  std::vector<Column> columns;
  for (const PlotSeries& s : figure.series) {
    if (s.visible) columns.push_back(make_column(s.name, s.x, s.y));
  }
  for (const PlotBand& b : figure.bands) {
    if (!b.visible) continue;
    columns.push_back(make_column(b.name + "_lo", b.x, b.lo));
    columns.push_back(make_column(b.name + "_hi", b.x, b.hi));
  }
  std::vector<double> xs;
  for (const Column& c : columns) {
    for (const auto& s : c.samples) xs.push_back(s.first);
  }
  std::sort(xs.begin(), xs.end());
  xs.erase(std::unique(xs.begin(), xs.end()), xs.end());

  out << "x";
  for (const Column& c : columns) out << ',' << csv_field(c.name);
  out << '\n';
  std::vector<size_t> next(columns.size(), 0);
  char buf[40];
  for (double x : xs) {
    std::snprintf(buf, sizeof buf, "%.17g", x);
    out << buf;
    for (size_t k = 0; k < columns.size(); ++k) {
      const auto& samples = columns[k].samples;
      size_t& i = next[k];
      double value = kPlotNaN;
      // With repeated x the last sample wins, as it is the one drawn on top.
      while (i < samples.size() && samples[i].first == x) value = samples[i++].second;
      out << ',';
      if (!std::isnan(value)) {
        std::snprintf(buf, sizeof buf, "%.17g", value);
        out << buf;
      }
    }
    out << '\n';
  }
}

void save_plot_csv(const std::string& path, const PlotFigure& figure) {
  write_file_atomically(path, [&](std::ostream& out) { write_plot_csv(out, figure); });
}
}  // namespace uhop
