#include "studio_layout.h"

#include <algorithm>
#include <cmath>

namespace studio {
namespace {
constexpr float kThreeColumnEm = 78;

// Splits [start, start + total) into parts proportional to `weights`, on whole pixels, the last part taking the rest.
std::vector<float> split(float start, float total, const std::vector<float>& weights) {
  float sum = 0;
  for (float w : weights) sum += w;
  std::vector<float> edges{start};
  float acc = 0;
  for (size_t i = 0; i + 1 < weights.size(); ++i) {
    acc += weights[i];
    edges.push_back(start + std::floor(total * acc / sum));
  }
  edges.push_back(start + total);
  return edges;
}

struct Place {
  float top, h, font_px, tab_h;
};

// Panels one above the other by weight, or as tabs when the column is shorter than their minimum heights together.
void column(StudioLayout& L, float x, float w, const Place& at, const std::vector<std::string>& ids,
            const std::vector<float>& weights) {
  LayoutColumn c{x, w, ids, false};
  float needed = 0;
  for (const std::string& id : ids) needed += panel_min_height(id, at.font_px);
  c.tabbed = ids.size() > 1 && needed > at.h;
  if (c.tabbed) {
    const float tab = std::min(at.tab_h, at.h * 0.5f);
    for (const std::string& id : ids) L.panels[id] = {x, at.top + tab, w, at.h - tab};
  } else {
    const std::vector<float> e = split(at.top, at.h, weights);
    for (size_t i = 0; i < ids.size(); ++i) L.panels[ids[i]] = {x, e[i], w, e[i + 1] - e[i]};
  }
  L.column_list.push_back(c);
}
}  // namespace

float panel_min_em(const std::string& id) {
  if (id == "memories") return 12;
  if (id == "query") return 9;  // its controls; the canvas's 160 px come on top (panel_min_height)
  if (id == "stage1") return 22;
  if (id == "stage2") return 24;
  if (id == "compare") return 11;
  return 10;
}

float panel_min_height(const std::string& id, float font_px) {
  // The query's canvas keeps 160 px whatever the font (drawing must stay possible): below that, tabs.
  return panel_min_em(id) * font_px + (id == "query" ? 160.0f : 0.0f);
}

const std::vector<std::string>& layout_panel_ids() {
  static const std::vector<std::string> ids = {"memories", "query", "stage1", "stage2", "compare"};
  return ids;
}

StudioLayout compute_layout(float width, float height, float top, float bottom, float font_px, LayoutMode mode,
                            float tab_h) {
  StudioLayout L;
  width = std::max(width, 1.0f);
  top = std::clamp(top, 0.0f, height);
  const float h = std::max(1.0f, height - top - std::max(bottom, 0.0f));
  const float em = width / std::max(font_px, 1.0f);
  const Place at{top, h, std::max(font_px, 1.0f), std::max(tab_h, 0.0f)};
  if (mode == LayoutMode::presentation) {
    L.columns = 2;
    const std::vector<float> x = split(0, width, {38, 62});
    column(L, x[0], x[1] - x[0], at, {"stage1", "stage2"}, {50, 50});
    column(L, x[1], x[2] - x[1], at, {"compare"}, {1});
    return L;
  }
  if (em >= kThreeColumnEm) {
    L.columns = 3;
    const std::vector<float> x = split(0, width, {26, 37, 37});
    column(L, x[0], x[1] - x[0], at, {"memories", "query"}, {42, 58});
    column(L, x[1], x[2] - x[1], at, {"stage1"}, {1});
    column(L, x[2], x[3] - x[2], at, {"stage2", "compare"}, {64, 36});
    return L;
  }
  L.columns = 2;
  const std::vector<float> x = split(0, width, {42, 58});
  column(L, x[0], x[1] - x[0], at, {"memories", "query", "compare"}, {30, 34, 36});
  column(L, x[1], x[2] - x[1], at, {"stage1", "stage2"}, {45, 55});  // Stage II has more rows of controls
  return L;
}

std::vector<float> spread_apart(const std::vector<float>& centers, float w, float gap, float lo, float hi) {
  const size_t n = centers.size();
  std::vector<size_t> order(n);
  for (size_t i = 0; i < n; ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return centers[a] < centers[b]; });
  const float step = w + gap, first = lo + w / 2, last = hi - w / 2;
  std::vector<float> x(n);
  for (size_t k = 0; k < n; ++k) x[k] = std::clamp(centers[order[k]], first, std::max(first, last));
  for (size_t k = 1; k < n; ++k) x[k] = std::max(x[k], x[k - 1] + step);  // push right past the previous
  if (n > 0 && x[n - 1] > last) {                                         // then back from the right edge
    x[n - 1] = std::max(first, last);
    for (size_t k = n - 1; k-- > 0;) x[k] = std::min(x[k], x[k + 1] - step);
  }
  std::vector<float> out(n);
  for (size_t k = 0; k < n; ++k) out[order[k]] = x[k];
  return out;
}

PanelRect clamp_to_display(PanelRect r, float width, float height, float top) {
  r.w = std::clamp(r.w, 1.0f, std::max(1.0f, width));
  r.h = std::clamp(r.h, 1.0f, std::max(1.0f, height - top));
  r.x = std::clamp(r.x, 0.0f, std::max(0.0f, width - r.w));
  r.y = std::clamp(r.y, top, std::max(top, height - r.h));
  return r;
}
}  // namespace studio
