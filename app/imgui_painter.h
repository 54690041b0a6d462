// core's PlotPainter over an ImGui draw list: a figure drawn by core's own routines (plot_draw.cpp) straight into a
// window, where cairo is not there to draw it into pixels first (the browser build; uhop::can_draw_raster()).
// Used for the capacity lab's phase diagram. Each image drawn (a heatmap's cells, its colour bar) gets a texture of
// `textures` in turn: the draw list shows them only after the frame, so one texture cannot serve two images.
#pragma once
#include <vector>

#include "gl_texture.h"
#include "plot/plot_painter.h"

struct ImDrawList;
struct ImVec2;

namespace studio {
class ImGuiPainter : public uhop::PlotPainter {
 public:
  ImGuiPainter(ImDrawList* list, double origin_x, double origin_y, std::vector<GlTexture>& textures)
      : list_(list), x0_(origin_x), y0_(origin_y), textures_(textures) {}
  void fill_rect(const uhop::PixelRect& r, uint32_t color, double opacity) override;
  void stroke_rect(const uhop::PixelRect& r, uint32_t color, double width) override;
  void line(uhop::PixelPoint a, uhop::PixelPoint b, uint32_t color, double width, double dash_on,
            double dash_off) override;
  void polyline(const std::vector<uhop::PixelPoint>& points, uint32_t color, double width, double dash_on,
                double dash_off) override;
  void polygon(const std::vector<uhop::PixelPoint>& points, uint32_t color, double opacity) override;
  void dot(uhop::PixelPoint center, double radius, uint32_t color) override;
  void text(const std::string& text, uhop::PixelPoint at, double size, uint32_t color, uhop::TextAnchor anchor,
            bool vertical) override;
  void image(const uhop::PixelRect& r, int width, int height, const std::vector<uint8_t>& rgba) override;
  void begin_clip(const uhop::PixelRect& r) override;
  void end_clip() override;

 private:
  ImVec2 at(uhop::PixelPoint p) const;
  ImDrawList* list_;
  double x0_, y0_;
  std::vector<GlTexture>& textures_;
  size_t images_ = 0;
};
}  // namespace studio
