#include "screenshot.h"

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <vector>

#include <stb_image_write.h>

#include "io/atomic_file.h"
#include "gl.h"
#include "numerics/input_error.h"

namespace studio {
void save_window_screenshot(const std::string& path, int w, int h) {
  if (w <= 0 || h <= 0) throw uhop::InputError(path + ": the window has no pixels to save");
  std::vector<uint8_t> rgba(static_cast<size_t>(w) * h * 4);
  glPixelStorei(GL_PACK_ALIGNMENT, 1);
  glReadBuffer(GL_BACK);
  glReadPixels(0, 0, w, h, GL_RGBA, GL_UNSIGNED_BYTE, rgba.data());
  // GL rows go bottom-up; PNG rows top-down. Alpha forced opaque (the back buffer's alpha is meaningless here).
  std::vector<uint8_t> flipped(rgba.size());
  const size_t row = static_cast<size_t>(w) * 4;
  for (int y = 0; y < h; ++y) std::memcpy(&flipped[y * row], &rgba[(h - 1 - y) * row], row);
  for (size_t k = 3; k < flipped.size(); k += 4) flipped[k] = 255;
  std::vector<uint8_t> png;
  auto append = [](void* ctx, void* data, int size) {
    auto* out = static_cast<std::vector<uint8_t>*>(ctx);
    out->insert(out->end(), static_cast<uint8_t*>(data), static_cast<uint8_t*>(data) + size);
  };
  if (!stbi_write_png_to_func(append, &png, w, h, 4, flipped.data(), static_cast<int>(row))) {
    throw uhop::InputError(path + ": PNG encoding failed");
  }
  uhop::write_bytes_atomically(path, png.data(), png.size());
}

std::string next_screenshot_name() {
  for (int n = 1; n < 1000; ++n) {
    char name[32];
    std::snprintf(name, sizeof name, "uhop-studio-%03d.png", n);
    std::error_code ec;
    if (!std::filesystem::exists(name, ec)) return name;
  }
  return "uhop-studio-999.png";
}
}  // namespace studio
