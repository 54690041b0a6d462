// Image panel exports: the memories grid, the query, the target, the trajectory strip and the two heatmaps as PNG.
// Built on the CPU from the snapshot with the same conversions the textures use (image_to_rgba, colormap_rgb), then
// enlarged by a whole factor with nearest-neighbour so every image pixel stays a crisp square.
#include <algorithm>
#include <cmath>
#include <cstring>

#include <stb_image_write.h>

#include "io/atomic_file.h"
#include "insight_figures.h"
#include "numerics/input_error.h"
#include "studio_figures.h"
#include "studio_ui.h"

namespace studio {
namespace {
struct RgbaImage {
  int width = 0, height = 0;
  std::vector<uint8_t> pixels;  // rows top to bottom
};

constexpr int kTargetSide = 512;  // enlarge small images to about this many pixels on the long side
constexpr int kMaxSide = 4096;    // never larger than this
constexpr int kMaxGridCells = 2500;
const uint8_t kGap[4] = {30, 30, 36, 255};  // the panels' dark background between tiles

RgbaImage vector_image(const uhop::Vector& v, const uhop::ImageShape& shape) {
  RgbaImage img;
  img.width = display_shape(shape).width;
  img.height = display_shape(shape).height;
  image_to_rgba(v, shape, img.pixels);
  return img;
}

// Tiles in rows of `cols`, one source pixel of gap between them.
RgbaImage tile(const std::vector<RgbaImage>& cells, int cols) {
  RgbaImage out;
  if (cells.empty()) return out;
  const int cw = cells[0].width, ch = cells[0].height;
  const int rows = (static_cast<int>(cells.size()) + cols - 1) / cols;
  out.width = cols * cw + (cols - 1);
  out.height = rows * ch + (rows - 1);
  out.pixels.resize(static_cast<size_t>(out.width) * out.height * 4);
  for (size_t k = 0; k < out.pixels.size(); k += 4) std::memcpy(&out.pixels[k], kGap, 4);
  for (size_t i = 0; i < cells.size(); ++i) {
    const int x0 = static_cast<int>(i % cols) * (cw + 1), y0 = static_cast<int>(i / cols) * (ch + 1);
    for (int y = 0; y < ch; ++y) {
      std::memcpy(&out.pixels[(static_cast<size_t>(y0 + y) * out.width + x0) * 4],
                  &cells[i].pixels[static_cast<size_t>(y) * cw * 4], static_cast<size_t>(cw) * 4);
    }
  }
  return out;
}

RgbaImage heatmap_image(const Heatmap& h, float lo, float hi) {
  RgbaImage img;
  img.width = img.height = h.n;
  img.pixels.resize(static_cast<size_t>(h.n) * h.n * 4);
  for (size_t k = 0; k < h.values.size(); ++k) {
    colormap_rgb((h.values[k] - lo) / std::max(hi - lo, 1e-6f), &img.pixels[k * 4]);
    img.pixels[k * 4 + 3] = 255;
  }
  return img;
}

RgbaImage enlarged(const RgbaImage& in) {
  const int side = std::max(in.width, in.height);
  const int k = std::clamp((kTargetSide + side - 1) / std::max(side, 1), 1, std::max(1, kMaxSide / std::max(side, 1)));
  RgbaImage out;
  out.width = in.width * k;
  out.height = in.height * k;
  out.pixels.resize(static_cast<size_t>(out.width) * out.height * 4);
  for (int y = 0; y < out.height; ++y) {
    for (int x = 0; x < out.width; ++x) {
      std::memcpy(&out.pixels[(static_cast<size_t>(y) * out.width + x) * 4],
                  &in.pixels[(static_cast<size_t>(y / k) * in.width + x / k) * 4], 4);
    }
  }
  return out;
}

RgbaImage panel_image(const StudioSnapshot& s, const std::string& id) {
  if (id == "heat-initial" || id == "heat-now") {
    if (s.heat_now.n <= 0) throw uhop::InputError("export-image " + id + ": no heatmap yet (load memories first)");
    const Heatmap& h = id == "heat-now" ? s.heat_now : s.heat_initial;
    const auto [lo, hi] = heatmap_range(h);  // its own scale, as on screen
    return heatmap_image(h, lo, hi);
  }
  if (id == "landscape-mhm" || id == "landscape-uhop") {
    const auto& v = s.insight.landscape;
    if (!v || !v->error.empty() || v->a.empty())
      throw uhop::InputError("export-image " + id + ": no landscape yet (run `landscape` first)");
    float lo = 0, hi = 1;  // the panel's own colour range (2nd..98th percentile of this grid)
    const Heatmap h = landscape_heatmap(*v, id == "landscape-uhop", &lo, &hi);
    return heatmap_image(h, lo, hi);
  }
  if (!s.has_session || !s.memories) throw uhop::InputError("export-image " + id + ": load memories first");
  const auto& set = s.memories->set;
  if (id == "query") return vector_image(s.query, set.shape);
  if (id == "target") return vector_image(s.target_image, set.shape);
  if (id == "trajectory") {  // the strip shows the last 10 steps
    std::vector<RgbaImage> cells;
    const int count = static_cast<int>(s.trajectory.size());
    for (int k = std::max(0, count - 10); k < count; ++k) cells.push_back(vector_image(s.trajectory[k], set.shape));
    return tile(cells, std::max(1, static_cast<int>(cells.size())));
  }
  if (id == "memories") {
    const int m = std::min(set.count(), kMaxGridCells);
    std::vector<RgbaImage> cells;
    for (int i = 0; i < m; ++i) cells.push_back(vector_image(set.patterns.row(i).transpose(), set.shape));
    const int cols = std::max(1, static_cast<int>(std::ceil(std::sqrt(static_cast<double>(m)))));
    return tile(cells, cols);
  }
  throw uhop::InputError("export-image: unknown image " + uhop::quoted_excerpt(id));
}
}  // namespace

void export_image_by_id(UiContext& ui, const std::string& id, const std::string& path) {
  if (!ui.snap) throw uhop::InputError("export-image " + id + ": nothing to show yet");
  const RgbaImage img = enlarged(panel_image(*ui.snap, id));
  if (img.width <= 0 || img.height <= 0) throw uhop::InputError("export-image " + id + ": the image is empty");
  std::vector<uint8_t> png;
  auto append = [](void* ctx, void* data, int size) {
    auto* out = static_cast<std::vector<uint8_t>*>(ctx);
    out->insert(out->end(), static_cast<uint8_t*>(data), static_cast<uint8_t*>(data) + size);
  };
  if (!stbi_write_png_to_func(append, &png, img.width, img.height, 4, img.pixels.data(), img.width * 4)) {
    throw uhop::InputError(path + ": PNG encoding failed");
  }
  uhop::write_bytes_atomically(path, png.data(), png.size());
}

void image_context_menu(UiContext& ui, const char* id) {
  const std::string popup = std::string("##export_") + id;
  if (!ImGui::BeginPopupContextItem(popup.c_str())) return;
  const bool heatmap = std::string(id).rfind("heat-", 0) == 0;
  if (ImGui::MenuItem(heatmap ? "Export cells PNG (no colorbar)" : "Export PNG")) {
    SaveRequest r;
    r.stem = id;
    r.what = std::string("the ") + id + " image";
    r.formats = {"png"};
    r.format = "png";
    const std::string which = id;
    r.write = [&ui, which](const std::string& path) { export_image_by_id(ui, which, path); };
    ask_save(ui, std::move(r));
  }
  if (heatmap) figure_export_menu_items(ui, id);  // the figure with its colorbar and values

  ImGui::EndPopup();
}
}  // namespace studio
