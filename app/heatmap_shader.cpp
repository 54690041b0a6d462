#include "heatmap_shader.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>

#include "gl.h"
#include "plot/plot_heatmap.h"

namespace studio {
namespace {
bool read_text(const std::string& path, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream s;
  s << in.rdbuf();
  out = s.str();
  return true;
}

unsigned compile(GLenum type, const std::string& source, const std::string& name, std::string& error) {
  unsigned s = glCreateShader(type);
  const char* text = source.c_str();
  glShaderSource(s, 1, &text, nullptr);
  glCompileShader(s);
  GLint ok = 0;
  glGetShaderiv(s, GL_COMPILE_STATUS, &ok);
  if (!ok) {
    char log[1024] = {0};
    glGetShaderInfoLog(s, sizeof log, nullptr, log);
    error = name + ": " + log;
    glDeleteShader(s);
    return 0;
  }
  return s;
}

}  // namespace

void colormap_rgb(float t, unsigned char rgb[3]) {
  uhop::colormap_rgb(t, rgb);  // core's colormap: the same stops as shaders/colormap.frag and the file exports
}

HeatmapShader::~HeatmapShader() {
  if (program_) glDeleteProgram(program_);
  if (vao_) glDeleteVertexArrays(1, &vao_);
  if (fbo_) glDeleteFramebuffers(1, &fbo_);
  if (values_tex_) glDeleteTextures(1, &values_tex_);
}

bool HeatmapShader::init(const std::string& dir) {
  std::string vs, fs;
  if (!read_text(dir + "/colormap.vert", vs) || !read_text(dir + "/colormap.frag", fs)) {
    error_ = "cannot read " + dir + "/colormap.vert/.frag (heatmap colours computed on the CPU)";
    return false;
  }
#ifdef UHOP_GLES
  // The same GLSL as GLSL ES 3.00 (WebGL 2): only the version line differs, plus a default float precision.
  for (std::string* src : {&vs, &fs}) {
    const std::string desktop = "#version 330 core";
    if (src->compare(0, desktop.size(), desktop) == 0)
      src->replace(0, desktop.size(), "#version 300 es\nprecision highp float;");
  }
#endif
  unsigned v = compile(GL_VERTEX_SHADER, vs, "colormap.vert", error_);
  if (!v) return false;
  unsigned f = compile(GL_FRAGMENT_SHADER, fs, "colormap.frag", error_);
  if (!f) {
    glDeleteShader(v);
    return false;
  }
  unsigned p = glCreateProgram();
  glAttachShader(p, v);
  glAttachShader(p, f);
  glLinkProgram(p);
  glDeleteShader(v);
  glDeleteShader(f);
  GLint ok = 0;
  glGetProgramiv(p, GL_LINK_STATUS, &ok);
  if (!ok) {
    char log[1024] = {0};
    glGetProgramInfoLog(p, sizeof log, nullptr, log);
    error_ = std::string("colormap shader link: ") + log;
    glDeleteProgram(p);
    return false;
  }
  program_ = p;
  glGenVertexArrays(1, &vao_);
  glGenFramebuffers(1, &fbo_);
  glGenTextures(1, &values_tex_);
  return true;
}

void HeatmapShader::render(const Heatmap& h, float lo, float hi, GlTexture& out) {
  if (h.n <= 0) return;
  if (!program_) {  // CPU fallback, same colormap
    std::vector<uint8_t> rgba(static_cast<size_t>(h.n) * h.n * 4, 255);
    for (size_t k = 0; k < h.values.size(); ++k)
      colormap_rgb((h.values[k] - lo) / std::max(hi - lo, 1e-6f), &rgba[k * 4]);
    out.upload_rgba(rgba.data(), h.n, h.n);
    return;
  }
  // Allocate the output at the right size (contents drawn below).
  if (out.width() != h.n || out.height() != h.n) {
    std::vector<uint8_t> blank(static_cast<size_t>(h.n) * h.n * 4, 0);
    out.upload_rgba(blank.data(), h.n, h.n);
  }
  GLint prev_fbo = 0, prev_viewport[4], prev_program = 0, prev_vao = 0, prev_tex = 0, prev_active = 0;
  glGetIntegerv(GL_FRAMEBUFFER_BINDING, &prev_fbo);
  glGetIntegerv(GL_VIEWPORT, prev_viewport);
  glGetIntegerv(GL_CURRENT_PROGRAM, &prev_program);
  glGetIntegerv(GL_VERTEX_ARRAY_BINDING, &prev_vao);
  glGetIntegerv(GL_ACTIVE_TEXTURE, &prev_active);
  glActiveTexture(GL_TEXTURE0);
  glGetIntegerv(GL_TEXTURE_BINDING_2D, &prev_tex);
  const GLboolean blend = glIsEnabled(GL_BLEND), scissor = glIsEnabled(GL_SCISSOR_TEST);

  glBindTexture(GL_TEXTURE_2D, values_tex_);
  glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
  glTexImage2D(GL_TEXTURE_2D, 0, GL_R32F, h.n, h.n, 0, GL_RED, GL_FLOAT, h.values.data());
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);

  glBindFramebuffer(GL_FRAMEBUFFER, fbo_);
  glFramebufferTexture2D(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_TEXTURE_2D, out.id(), 0);
  glViewport(0, 0, h.n, h.n);
  glDisable(GL_BLEND);
  glDisable(GL_SCISSOR_TEST);
  glUseProgram(program_);
  glUniform1i(glGetUniformLocation(program_, "values"), 0);
  glUniform1f(glGetUniformLocation(program_, "lo"), lo);
  glUniform1f(glGetUniformLocation(program_, "hi"), hi);
  glBindVertexArray(vao_);
  glDrawArrays(GL_TRIANGLES, 0, 3);

  glBindVertexArray(prev_vao);
  glUseProgram(prev_program);
  glBindFramebuffer(GL_FRAMEBUFFER, prev_fbo);
  glViewport(prev_viewport[0], prev_viewport[1], prev_viewport[2], prev_viewport[3]);
  glBindTexture(GL_TEXTURE_2D, prev_tex);
  glActiveTexture(prev_active);
  if (blend) glEnable(GL_BLEND);
  if (scissor) glEnable(GL_SCISSOR_TEST);
}
}  // namespace studio
