// The browser build's stand-in for image_decode_png.cpp and image_decode_jpeg.cpp (libpng and libjpeg are not in
// Emscripten offline; docs/web.md). The page decodes PNG and JPEG files itself (createImageBitmap) and hands them
// to C++ as PPM/PAM files, which the project's own PNM decoder reads; a PNG or JPEG that reaches here anyway (e.g.
// inside a session's folder) is refused with a message rather than misread.
#include "../image_decoders.h"

namespace uhop {
DecodeStatus decode_png(const uint8_t*, size_t, const DecodeLimits&, DecodedImage&, std::string& problem) {
  problem = "PNG files are decoded by the page when you open or drop them; this one came another way";
  return DecodeStatus::unreadable;
}
DecodeStatus decode_jpeg(const uint8_t*, size_t, const DecodeLimits&, DecodedImage&, std::string& problem) {
  problem = "JPEG files are decoded by the page when you open or drop them; this one came another way";
  return DecodeStatus::unreadable;
}
}  // namespace uhop
