// Draws a Heatmap (an n x n float matrix) through the colormap shader (shaders/colormap.vert/.frag) into an RGBA8
// texture shown with ImGui::Image. When the shader cannot be built, the same colormap is applied on the CPU.
#pragma once
#include <string>
#include <vector>

#include "gl_texture.h"
#include "studio_worker.h"

namespace studio {
class HeatmapShader {
 public:
  HeatmapShader() = default;
  ~HeatmapShader();
  HeatmapShader(const HeatmapShader&) = delete;
  HeatmapShader& operator=(const HeatmapShader&) = delete;

  // Compiles the program from `shader_dir`; returns false (and keeps the CPU fallback) with error() set on failure.
  bool init(const std::string& shader_dir);
  // Renders `h` with t = (v - lo) / (hi - lo) into `out` (n x n pixels). Restores the framebuffer and viewport.
  void render(const Heatmap& h, float lo, float hi, GlTexture& out);
  const std::string& error() const { return error_; }
  bool using_shader() const { return program_ != 0; }

 private:
  unsigned program_ = 0, vao_ = 0, fbo_ = 0, values_tex_ = 0;
  std::string error_;
};

// The colormap of shaders/colormap.frag on the CPU (fallback and legend): t in [0,1] -> RGB8.
void colormap_rgb(float t, unsigned char rgb[3]);
}  // namespace studio
