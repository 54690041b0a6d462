#include "imgui_painter.h"

#include <imgui.h>

#include <algorithm>
#include <cmath>

namespace studio {
namespace {
// 0xRRGGBB and an opacity -> ImGui's ABGR.
ImU32 color_of(uint32_t rgb, double opacity = 1) {
  const int a = static_cast<int>(std::lround(std::clamp(opacity, 0.0, 1.0) * 255));
  return IM_COL32((rgb >> 16) & 255, (rgb >> 8) & 255, rgb & 255, a);
}
}  // namespace

ImVec2 ImGuiPainter::at(uhop::PixelPoint p) const {
  return ImVec2(static_cast<float>(x0_ + p.x), static_cast<float>(y0_ + p.y));
}

void ImGuiPainter::fill_rect(const uhop::PixelRect& r, uint32_t color, double opacity) {
  list_->AddRectFilled(at({r.x, r.y}), at({r.x + r.w, r.y + r.h}), color_of(color, opacity));
}

void ImGuiPainter::stroke_rect(const uhop::PixelRect& r, uint32_t color, double width) {
  list_->AddRect(at({r.x, r.y}), at({r.x + r.w, r.y + r.h}), color_of(color), 0, 0, static_cast<float>(width));
}

void ImGuiPainter::line(uhop::PixelPoint a, uhop::PixelPoint b, uint32_t color, double width, double dash_on,
                        double dash_off) {
  polyline({a, b}, color, width, dash_on, dash_off);
}

// Dashes: the path is walked and drawn in on/off pieces of the given lengths.
void ImGuiPainter::polyline(const std::vector<uhop::PixelPoint>& points, uint32_t color, double width, double dash_on,
                            double dash_off) {
  if (points.size() < 2) return;
  const ImU32 c = color_of(color);
  const float w = static_cast<float>(width);
  if (!(dash_on > 0 && dash_off > 0)) {
    std::vector<ImVec2> v;
    v.reserve(points.size());
    for (const auto& p : points) v.push_back(at(p));
    list_->AddPolyline(v.data(), static_cast<int>(v.size()), c, 0, w);
    return;
  }
  bool on = true;
  double left = dash_on;
  for (size_t i = 1; i < points.size(); ++i) {
    uhop::PixelPoint a = points[i - 1];
    const uhop::PixelPoint b = points[i];
    double length = std::hypot(b.x - a.x, b.y - a.y);
    while (length > 0) {
      const double piece = std::min(left, length);
      const uhop::PixelPoint m{a.x + (b.x - a.x) * piece / length, a.y + (b.y - a.y) * piece / length};
      if (on) list_->AddLine(at(a), at(m), c, w);
      a = m;
      length -= piece;
      left -= piece;
      if (left <= 0) on = !on, left = on ? dash_on : dash_off;
    }
  }
}

void ImGuiPainter::polygon(const std::vector<uhop::PixelPoint>& points, uint32_t color, double opacity) {
  std::vector<ImVec2> v;
  for (const auto& p : points) v.push_back(at(p));
  if (v.size() >= 3) list_->AddConvexPolyFilled(v.data(), static_cast<int>(v.size()), color_of(color, opacity));
}

void ImGuiPainter::dot(uhop::PixelPoint center, double radius, uint32_t color) {
  list_->AddCircleFilled(at(center), static_cast<float>(radius), color_of(color));
}

// Vertical text: drawn horizontally, then its vertices turned -90 degrees about the anchor point.
void ImGuiPainter::text(const std::string& text, uhop::PixelPoint p, double size, uint32_t color,
                        uhop::TextAnchor anchor, bool vertical) {
  ImFont* font = ImGui::GetFont();
  const float px = static_cast<float>(size);
  const ImVec2 extent = font->CalcTextSizeA(px, 1e9f, 0, text.c_str());
  const float shift = anchor == uhop::TextAnchor::middle ? extent.x / 2
                      : anchor == uhop::TextAnchor::end  ? extent.x
                                                         : 0;
  const ImVec2 origin = at(p);
  const ImVec2 top_left(origin.x - shift, origin.y - px * 0.8f);  // baseline at p: ImGui places the text's top
  const int first = list_->VtxBuffer.Size;
  list_->AddText(font, px, top_left, color_of(color), text.c_str());
  if (!vertical) return;
  for (int i = first; i < list_->VtxBuffer.Size; ++i) {
    ImVec2& v = list_->VtxBuffer[i].pos;
    const float dx = v.x - origin.x, dy = v.y - origin.y;
    v = ImVec2(origin.x + dy, origin.y - dx);
  }
}

void ImGuiPainter::image(const uhop::PixelRect& r, int width, int height, const std::vector<uint8_t>& rgba) {
  if (width <= 0 || height <= 0 || rgba.size() < static_cast<size_t>(width) * height * 4) return;
  if (textures_.size() <= images_) textures_.resize(images_ + 1);
  GlTexture& texture = textures_[images_++];
  texture.upload_rgba(rgba.data(), width, height, true);
  list_->AddImage(texture.imgui_id(), at({r.x, r.y}), at({r.x + r.w, r.y + r.h}));
}

void ImGuiPainter::begin_clip(const uhop::PixelRect& r) {
  list_->PushClipRect(at({r.x, r.y}), at({r.x + r.w, r.y + r.h}), true);
}

void ImGuiPainter::end_clip() {
  list_->PopClipRect();
}
}  // namespace studio
