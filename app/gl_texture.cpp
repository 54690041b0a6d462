#include "gl_texture.h"

#include <algorithm>
#include <cmath>

#include "gl.h"

namespace studio {
GlTexture::~GlTexture() {
  if (id_) glDeleteTextures(1, &id_);
}

GlTexture::GlTexture(GlTexture&& o) noexcept : id_(o.id_), width_(o.width_), height_(o.height_) {
  o.id_ = 0;
}

GlTexture& GlTexture::operator=(GlTexture&& o) noexcept {
  if (this != &o) {
    if (id_) glDeleteTextures(1, &id_);
    id_ = o.id_;
    width_ = o.width_;
    height_ = o.height_;
    o.id_ = 0;
  }
  return *this;
}

void GlTexture::upload_rgba(const uint8_t* rgba, int width, int height, bool nearest) {
  if (width <= 0 || height <= 0) return;
  if (!id_) glGenTextures(1, &id_);
  glBindTexture(GL_TEXTURE_2D, id_);
  glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, nearest ? GL_NEAREST : GL_LINEAR);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, nearest ? GL_NEAREST : GL_LINEAR);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
  if (width == width_ && height == height_) {
    glTexSubImage2D(GL_TEXTURE_2D, 0, 0, 0, width, height, GL_RGBA, GL_UNSIGNED_BYTE, rgba);
  } else {
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, width, height, 0, GL_RGBA, GL_UNSIGNED_BYTE, rgba);
    width_ = width;
    height_ = height;
  }
  glBindTexture(GL_TEXTURE_2D, 0);
}

void GlTexture::upload_region(const uint8_t* rgba, int x, int y, int w, int h) {
  if (!id_ || w <= 0 || h <= 0 || x < 0 || y < 0 || x + w > width_ || y + h > height_) return;
  glBindTexture(GL_TEXTURE_2D, id_);
  glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
  glTexSubImage2D(GL_TEXTURE_2D, 0, x, y, w, h, GL_RGBA, GL_UNSIGNED_BYTE, rgba);
  glBindTexture(GL_TEXTURE_2D, 0);
}

namespace {
// The affine map value -> [0,1] used for display.
void display_range(const uhop::Vector& v, double& lo, double& scale) {
  double mn = v.size() ? v.minCoeff() : 0, mx = v.size() ? v.maxCoeff() : 1;
  if (mn >= -1e-9 && mx <= 1 + 1e-9 && mx > 0.05) {
    lo = 0;
    scale = 1;
  } else {
    lo = mn;
    scale = mx > mn ? 1.0 / (mx - mn) : 1.0;
  }
}
}  // namespace

uhop::ImageShape display_shape(const uhop::ImageShape& shape) {
  if (!is_embedding(shape) || shape.width <= kStripWidth) return shape;
  return {kStripWidth, (shape.width + kStripWidth - 1) / kStripWidth, 1};
}

void blit_into_atlas(const uhop::Vector& v, const uhop::ImageShape& shape, std::vector<uint8_t>& atlas, int atlas_width,
                     int cx, int cy) {
  const uhop::ImageShape drawn = display_shape(shape);
  const int w = drawn.width, h = drawn.height, c = std::max(1, shape.channels);
  if (v.size() != shape.size()) return;
  double lo, scale;
  display_range(v, lo, scale);
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      uint8_t px[3] = {24, 24, 28};  // padding after the last value of a wrapped strip
      for (int k = 0; k < 3; ++k) {
        const Eigen::Index at = static_cast<Eigen::Index>(c == 3 ? k : 0) * w * h + y * w + x;
        if (at >= v.size()) break;
        const double val = std::clamp((v[at] - lo) * scale, 0.0, 1.0);
        px[k] = static_cast<uint8_t>(std::lround(val * 255));
      }
      uint8_t* out = &atlas[(static_cast<size_t>(cy + y) * atlas_width + cx + x) * 4];
      out[0] = px[0];
      out[1] = px[1];
      out[2] = px[2];
      out[3] = 255;
    }
  }
}

void image_to_rgba(const uhop::Vector& v, const uhop::ImageShape& shape, std::vector<uint8_t>& rgba) {
  const uhop::ImageShape drawn = display_shape(shape);
  rgba.assign(static_cast<size_t>(drawn.width) * drawn.height * 4, 0);
  blit_into_atlas(v, shape, rgba, drawn.width, 0, 0);
}
}  // namespace studio
