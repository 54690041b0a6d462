#version 330 core
// A viridis-like colormap of one scalar texture: t = (value - lo) / (hi - lo), piecewise-linear through 9 stops.
in vec2 uv;
out vec4 color;
uniform sampler2D values;  // R32F, row 0 = first memory (drawn at the top)
uniform float lo;
uniform float hi;

const vec3 stops[9] = vec3[9](vec3(0.267, 0.005, 0.329), vec3(0.278, 0.173, 0.478), vec3(0.231, 0.322, 0.545),
                              vec3(0.173, 0.447, 0.557), vec3(0.129, 0.569, 0.549), vec3(0.153, 0.678, 0.506),
                              vec3(0.369, 0.788, 0.384), vec3(0.667, 0.863, 0.196), vec3(0.993, 0.906, 0.144));

void main() {
  // FBO row 0 is shown at the top by ImGui::Image, so row 0 of the values needs no flip.
  float v = texture(values, uv).r;
  float t = clamp((v - lo) / max(hi - lo, 1e-6), 0.0, 1.0) * 8.0;
  int i = int(min(floor(t), 7.0));
  color = vec4(mix(stops[i], stops[i + 1], t - float(i)), 1.0);
}
