#include "plot_contours.h"

#include <algorithm>
#include <cmath>
#include <unordered_map>

namespace uhop {
namespace {
struct Segment {
  long long a, b;  // edge ids of the two ends
  bool used = false;
};
}  // namespace

std::vector<std::vector<ContourPoint>> iso_lines(const std::vector<double>& xs, const std::vector<double>& ys,
                                                 const std::vector<double>& values, double level) {
  std::vector<std::vector<ContourPoint>> lines;
  const long long nx = static_cast<long long>(xs.size()), ny = static_cast<long long>(ys.size());
  if (nx < 2 || ny < 2 || static_cast<long long>(values.size()) != nx * ny || !std::isfinite(level)) return lines;
  auto v = [&](long long i, long long j) { return values[static_cast<size_t>(i * ny + j)]; };
  // Edge ids: 2 (i ny + j) for the edge (i,j)-(i+1,j), 2 (i ny + j) + 1 for (i,j)-(i,j+1).
  std::unordered_map<long long, ContourPoint> where;
  auto edge_point = [&](long long id) {
    auto it = where.find(id);
    if (it != where.end()) return id;
    const long long cell = id / 2, i = cell / ny, j = cell % ny;
    const long long i1 = id % 2 == 0 ? i + 1 : i, j1 = id % 2 == 0 ? j : j + 1;
    const double v0 = v(i, j), v1 = v(i1, j1);
    const double t = v1 != v0 ? std::clamp((level - v0) / (v1 - v0), 0.0, 1.0) : 0.5;
    where[id] = {xs[i] + t * (xs[i1] - xs[i]), ys[j] + t * (ys[j1] - ys[j])};
    return id;
  };
  std::vector<Segment> segments;
  for (long long i = 0; i + 1 < nx; ++i) {
    for (long long j = 0; j + 1 < ny; ++j) {
      const double c0 = v(i, j), c1 = v(i + 1, j), c2 = v(i + 1, j + 1), c3 = v(i, j + 1);
      if (!std::isfinite(c0) || !std::isfinite(c1) || !std::isfinite(c2) || !std::isfinite(c3)) continue;
      const int code = (c0 > level) | (c1 > level) << 1 | (c2 > level) << 2 | (c3 > level) << 3;
      if (code == 0 || code == 15) continue;
      const long long bottom = 2 * (i * ny + j), left = 2 * (i * ny + j) + 1;
      const long long top = 2 * (i * ny + j + 1), right = 2 * ((i + 1) * ny + j) + 1;
      auto add = [&](long long a, long long b) { segments.push_back({edge_point(a), edge_point(b)}); };
      const bool center_above = (c0 + c1 + c2 + c3) / 4 > level;
      switch (code) {
        case 1:
        case 14:
          add(left, bottom);
          break;
        case 2:
        case 13:
          add(bottom, right);
          break;
        case 3:
        case 12:
          add(left, right);
          break;
        case 4:
        case 11:
          add(right, top);
          break;
        case 6:
        case 9:
          add(bottom, top);
          break;
        case 7:
        case 8:
          add(left, top);
          break;
        case 5:  // c0 and c2 above
          if (center_above)
            add(left, top), add(bottom, right);
          else
            add(left, bottom), add(right, top);
          break;
        case 10:  // c1 and c3 above
          if (center_above)
            add(left, bottom), add(right, top);
          else
            add(left, top), add(bottom, right);
          break;
        default:
          break;
      }
    }
  }
  // Chain segments that share an edge point into polylines: open chains from their loose ends first, then loops.
  std::unordered_map<long long, std::vector<size_t>> at;
  for (size_t s = 0; s < segments.size(); ++s) at[segments[s].a].push_back(s), at[segments[s].b].push_back(s);
  auto walk = [&](size_t first, long long start) {
    std::vector<ContourPoint> line{where[start]};
    long long end = start;
    size_t s = first;
    for (;;) {
      segments[s].used = true;
      end = segments[s].a == end ? segments[s].b : segments[s].a;
      line.push_back(where[end]);
      size_t next = segments.size();
      for (size_t t : at[end])
        if (!segments[t].used) next = t;
      if (next == segments.size()) break;
      s = next;
    }
    lines.push_back(std::move(line));
  };
  for (size_t s = 0; s < segments.size(); ++s) {  // in grid order, so the output is the same on every run
    if (segments[s].used) continue;
    if (at[segments[s].a].size() == 1)
      walk(s, segments[s].a);
    else if (at[segments[s].b].size() == 1)
      walk(s, segments[s].b);
  }
  for (size_t s = 0; s < segments.size(); ++s)
    if (!segments[s].used) walk(s, segments[s].a);
  return lines;
}

std::vector<double> quantile_levels(const std::vector<double>& values, int count) {
  std::vector<double> finite;
  for (double x : values)
    if (std::isfinite(x)) finite.push_back(x);
  std::vector<double> levels;
  if (finite.empty() || count <= 0) return levels;
  std::sort(finite.begin(), finite.end());
  for (int k = 1; k <= count; ++k) {
    const double pos = static_cast<double>(k) / (count + 1) * static_cast<double>(finite.size() - 1);
    const size_t lo = static_cast<size_t>(std::floor(pos));
    const size_t hi = std::min(lo + 1, finite.size() - 1);
    const double level = finite[lo] + (pos - static_cast<double>(lo)) * (finite[hi] - finite[lo]);
    if (levels.empty() || level > levels.back()) levels.push_back(level);
  }
  return levels;
}
}  // namespace uhop
