#include "brush.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace studio {
void apply_stroke(uhop::Vector& query, const uhop::ImageShape& shape, const BrushStroke& stroke) {
  const int w = shape.width, h = shape.height, channels = std::max(shape.channels, 1);
  if (w <= 0 || h <= 0 || query.size() != shape.size() || !(stroke.radius > 0) || !std::isfinite(stroke.radius)) return;
  // Points are clamped to the canvas plus one radius (nothing beyond can be painted): a huge coordinate must not
  // make the densified line below billions of dabs long. Non-finite points are dropped.
  std::vector<std::pair<float, float>> points;
  for (auto [x, y] : stroke.points)
    if (std::isfinite(x) && std::isfinite(y))
      points.emplace_back(std::clamp(x, -stroke.radius, w + stroke.radius),
                          std::clamp(y, -stroke.radius, h + stroke.radius));
  // Densify the polyline so a fast mouse drag still paints a continuous line.
  std::vector<std::pair<float, float>> dabs;
  for (size_t k = 0; k < points.size(); ++k) {
    if (k == 0) {
      dabs.push_back(points[0]);
      continue;
    }
    auto [x0, y0] = points[k - 1];
    auto [x1, y1] = points[k];
    const float len = std::hypot(x1 - x0, y1 - y0);
    const int n = std::max(1, static_cast<int>(std::ceil(len / std::max(0.25f, stroke.radius * 0.5f))));
    for (int s = 1; s <= n; ++s) dabs.emplace_back(x0 + (x1 - x0) * s / n, y0 + (y1 - y0) * s / n);
  }
  // Per pixel, the strongest coverage over all dabs (so overlapping dabs do not accumulate).
  std::vector<float> cover(static_cast<size_t>(w) * h, 0.0f);
  for (auto [cx, cy] : dabs) {
    const int x_lo = std::max(0, static_cast<int>(std::floor(cx - stroke.radius)));
    const int x_hi = std::min(w - 1, static_cast<int>(std::ceil(cx + stroke.radius)));
    const int y_lo = std::max(0, static_cast<int>(std::floor(cy - stroke.radius)));
    const int y_hi = std::min(h - 1, static_cast<int>(std::ceil(cy + stroke.radius)));
    for (int y = y_lo; y <= y_hi; ++y) {
      for (int x = x_lo; x <= x_hi; ++x) {
        const float d = std::hypot(x + 0.5f - cx, y + 0.5f - cy);
        const float a = stroke.intensity * std::clamp(1.0f - d / stroke.radius + 0.5f, 0.0f, 1.0f);
        float& c = cover[static_cast<size_t>(y) * w + x];
        c = std::max(c, a);
      }
    }
  }
  for (int ch = 0; ch < channels; ++ch) {
    for (int p = 0; p < w * h; ++p) {
      const float a = cover[p];
      if (a <= 0) continue;
      double& v = query[static_cast<Eigen::Index>(ch) * w * h + p];
      v = (1.0 - a) * v + a * stroke.value;
    }
  }
}
}  // namespace studio
