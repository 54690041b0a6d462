#version 330 core
// One full-screen triangle (no vertex buffer): gl_VertexID 0,1,2 -> clip-space corners covering the viewport.
out vec2 uv;
void main() {
  vec2 p = vec2(float((gl_VertexID << 1) & 2), float(gl_VertexID & 2));
  uv = p;
  gl_Position = vec4(p * 2.0 - 1.0, 0.0, 1.0);
}
