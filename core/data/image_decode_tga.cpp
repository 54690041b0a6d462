// TGA, the project's own decoder: colour-mapped (type 1/9), true colour (2/10) and gray (3/11), uncompressed or RLE,
// 8/15/16/24/32 bits per pixel, any origin. The file must be able to hold the declared size before anything is
// allocated (uncompressed: exactly; RLE: at least one packet of 1 + bytes-per-pixel per 128 pixels), and every
// packet is bounds-checked while decoding.
#include <cstring>

#include "image_decoders.h"

namespace uhop {
namespace {
uint32_t u16(const uint8_t* p) {
  return p[0] | (uint32_t{p[1]} << 8);
}

DecodeStatus fail(std::string& problem, const std::string& what) {
  problem = "TGA: " + what;
  return DecodeStatus::unreadable;
}

// One stored pixel (or colour-map entry) of `bytes` bytes as R, G, B.
void to_rgb(const uint8_t* p, int bytes, uint8_t rgb[3]) {
  if (bytes == 1) {
    rgb[0] = rgb[1] = rgb[2] = p[0];
  } else if (bytes == 2) {  // A1R5G5B5, little-endian
    const uint32_t v = u16(p);
    const auto five = [](uint32_t x) { return static_cast<uint8_t>((x & 31) * 255 / 31); };
    rgb[0] = five(v >> 10), rgb[1] = five(v >> 5), rgb[2] = five(v);
  } else {  // B, G, R[, A]
    rgb[0] = p[2], rgb[1] = p[1], rgb[2] = p[0];
  }
}

int bytes_for(int bits) {
  return bits == 15 ? 2 : bits / 8;
}
}  // namespace

bool looks_like_tga(const uint8_t* data, size_t size) {
  if (size < 18) return false;
  const int map_type = data[1], type = data[2], bits = data[16];
  const bool known_type = type == 1 || type == 2 || type == 3 || type == 9 || type == 10 || type == 11;
  const bool mapped = type == 1 || type == 9;
  if (!known_type || map_type > 1 || mapped != (map_type == 1)) return false;
  if (mapped) return bits == 8 && (data[7] == 15 || data[7] == 16 || data[7] == 24 || data[7] == 32);
  if (type == 3 || type == 11) return bits == 8;
  return bits == 15 || bits == 16 || bits == 24 || bits == 32;
}

DecodeStatus decode_tga(const uint8_t* data, size_t size, const DecodeLimits& limits, DecodedImage& image,
                        std::string& problem) {
  if (!looks_like_tga(data, size)) return fail(problem, "unsupported header");
  const int id_length = data[0], type = data[2], bits = data[16], descriptor = data[17];
  const bool mapped = type == 1 || type == 9, gray = type == 3 || type == 11, rle = type >= 9;
  const uint32_t map_first = u16(data + 3), map_length = u16(data + 5);
  const int map_bytes = mapped ? bytes_for(data[7]) : 0;
  const long long width = u16(data + 12), height = u16(data + 14);
  const int pixel_bytes = bytes_for(bits);
  DecodeStatus status = check_pixel_limit(width, height, limits, problem);
  if (status != DecodeStatus::ok) return status;
  const size_t map_at = 18 + static_cast<size_t>(id_length);
  const size_t pixels_at = map_at + static_cast<size_t>(map_length) * map_bytes;
  if (pixels_at > size) return fail(problem, "the colour map does not fit in the file");
  const long long pixels = width * height;
  const long long needed = rle ? (pixels + 127) / 128 * (1 + pixel_bytes) : pixels * pixel_bytes;
  status = check_file_holds(width, height, static_cast<long long>(pixels_at) + needed, size, "a TGA", limits, problem);
  if (status != DecodeStatus::ok) return status;

  bool gray_map = true;
  for (uint32_t i = 0; i < map_length && map_bytes > 1; ++i) {
    uint8_t rgb[3];
    to_rgb(data + map_at + static_cast<size_t>(i) * map_bytes, map_bytes, rgb);
    gray_map = gray_map && rgb[0] == rgb[1] && rgb[1] == rgb[2];
  }
  const int channels = gray || (mapped && gray_map) ? 1 : 3;
  allocate_image(image, static_cast<int>(width), static_cast<int>(height), channels);
  const bool top = descriptor & 0x20, right_to_left = descriptor & 0x10;
  const uint8_t* p = data + pixels_at;
  const uint8_t* const end = data + size;
  const uint8_t* repeat = nullptr;  // inside an RLE run: the pixel repeated
  long long left_in_packet = 0;
  for (long long i = 0; i < pixels; ++i) {
    const uint8_t* pixel = nullptr;
    if (!rle) {
      pixel = p;
      p += pixel_bytes;
    } else {
      if (left_in_packet == 0) {
        if (p >= end) return fail(problem, "the RLE data ends early (truncated)");
        const uint8_t header = *p++;
        left_in_packet = (header & 0x7F) + 1;
        repeat = header & 0x80 ? p : nullptr;
        if (repeat) {
          if (end - p < pixel_bytes) return fail(problem, "the RLE data ends early (truncated)");
          p += pixel_bytes;
        }
      }
      if (repeat) {
        pixel = repeat;
      } else {
        if (end - p < pixel_bytes) return fail(problem, "the RLE data ends early (truncated)");
        pixel = p;
        p += pixel_bytes;
      }
      --left_in_packet;
    }
    uint8_t rgb[3];
    if (mapped) {
      const uint32_t index = pixel[0];
      if (index < map_first || index - map_first >= map_length)
        return fail(problem, "a pixel uses a colour outside the colour map" +
                                 file_value(limits, " (colour " + std::to_string(index) + ")"));
      to_rgb(data + map_at + static_cast<size_t>(index - map_first) * map_bytes, map_bytes, rgb);
    } else {
      to_rgb(pixel, pixel_bytes, rgb);
    }
    const long long x0 = i % width, y0 = i / width;
    const long long x = right_to_left ? width - 1 - x0 : x0, y = top ? y0 : height - 1 - y0;
    uint8_t* out = image.pixels.data() + static_cast<size_t>(y * width + x) * channels;
    if (channels == 1)
      out[0] = rgb[0];
    else
      std::memcpy(out, rgb, 3);
  }
  return DecodeStatus::ok;
}
}  // namespace uhop
