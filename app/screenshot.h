// PNG of the whole window: the default framebuffer read back after rendering (before the swap), flipped to top-down
// rows, encoded with stb_image_write in memory and written atomically.
#pragma once
#include <string>

namespace studio {
// Throws uhop::InputError naming the path when the file cannot be written.
void save_window_screenshot(const std::string& path, int framebuffer_width, int framebuffer_height);
// "uhop-studio-NNN.png" with the first NNN (001..999) not already taken in the current directory.
std::string next_screenshot_name();
}  // namespace studio
