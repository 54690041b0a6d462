// A 2D RGBA8 texture for ImGui::Image, and the conversion of a memory/query vector into pixels.
#pragma once
#include <imgui.h>

#include <cstdint>
#include <vector>

#include "numerics/linalg_types.h"
#include "numerics/memory_set.h"

namespace studio {
class GlTexture {
 public:
  GlTexture() = default;
  ~GlTexture();
  GlTexture(const GlTexture&) = delete;
  GlTexture& operator=(const GlTexture&) = delete;
  GlTexture(GlTexture&& other) noexcept;
  GlTexture& operator=(GlTexture&& other) noexcept;

  // Nearest filtering: a 28 x 28 memory should look like pixels, not a blur.
  void upload_rgba(const uint8_t* rgba, int width, int height, bool nearest = true);
  // Replaces the w x h pixels at (x, y) of an uploaded texture.
  void upload_region(const uint8_t* rgba, int x, int y, int w, int h);
  unsigned id() const { return id_; }
  int width() const { return width_; }
  int height() const { return height_; }
  ImTextureID imgui_id() const { return reinterpret_cast<ImTextureID>(static_cast<intptr_t>(id_)); }
  bool valid() const { return id_ != 0; }

 private:
  unsigned id_ = 0;
  int width_ = 0, height_ = 0;
};

// How a memory is drawn: images as they are; a vector that is not an image (embeddings from a .npy or CSV: one row
// of d values, shape d x 1) as a strip of its values, wrapped onto lines of kStripWidth pixels when it is longer,
// the last line padded dark (a 784 x 1 strip would otherwise make an atlas wider than a GL texture may be).
constexpr int kStripWidth = 64;
// One row of grey values: a vector that is not an image (what display_shape draws as a strip).
inline bool is_embedding(const uhop::ImageShape& shape) {
  return shape.height == 1 && shape.channels == 1;
}
uhop::ImageShape display_shape(const uhop::ImageShape& shape);
// Channel-major (C,H,W) values -> RGBA8 rows of display_shape(shape). Values in [0,1] map directly; other ranges
// (unit-norm or centered memories) are stretched from their min..max so the image stays visible.
void image_to_rgba(const uhop::Vector& v, const uhop::ImageShape& shape, std::vector<uint8_t>& rgba);
// Draws row r of an M-row set into cell (cx, cy) of an atlas `atlas_width` pixels wide (cells of display_shape).
void blit_into_atlas(const uhop::Vector& v, const uhop::ImageShape& shape, std::vector<uint8_t>& atlas, int atlas_width,
                     int cx, int cy);
}  // namespace studio
