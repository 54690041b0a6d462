// BMP, the project's own decoder: BITMAPFILEHEADER + a core (12-byte), INFO (40) or V2..V5 (52..124) header;
// 1/4/8-bit palettes, 16/24/32-bit true colour, BI_RGB or BI_BITFIELDS; bottom-up or top-down rows. RLE
// compression is refused. Every read is bounds-checked against the buffer, and the pixel rows must all be in the
// file before anything is allocated.
#include <cstring>

#include "image_decoders.h"

namespace uhop {
namespace {
uint32_t u16(const uint8_t* p) {
  return p[0] | (uint32_t{p[1]} << 8);
}
uint32_t u32(const uint8_t* p) {
  return p[0] | (uint32_t{p[1]} << 8) | (uint32_t{p[2]} << 16) | (uint32_t{p[3]} << 24);
}

// One colour channel from a bit-field mask (e.g. 0x7C00 for 5-bit red), scaled to 0..255.
struct Channel {
  int shift = 0;
  int bits = 0;
  explicit Channel(uint32_t mask = 0) {
    if (!mask) return;
    while (!(mask & 1)) mask >>= 1, ++shift;
    while (mask & 1) mask >>= 1, ++bits;
  }
  uint8_t value(uint32_t pixel) const {
    if (bits == 0) return 0;
    const uint32_t v = (pixel >> shift) & ((bits >= 32) ? 0xFFFFFFFFu : ((1u << bits) - 1));
    return bits >= 8 ? static_cast<uint8_t>(v >> (bits - 8)) : static_cast<uint8_t>(v * 255 / ((1u << bits) - 1));
  }
};

DecodeStatus fail(std::string& problem, const std::string& what) {
  problem = "BMP: " + what;
  return DecodeStatus::unreadable;
}
}  // namespace

DecodeStatus decode_bmp(const uint8_t* data, size_t size, const DecodeLimits& limits, DecodedImage& image,
                        std::string& problem) {
  if (size < 26) return fail(problem, "file too short for its headers");
  const uint32_t pixel_offset = u32(data + 10);
  const uint32_t header_size = u32(data + 14);
  const bool core = header_size == 12;
  if (!core && !(header_size >= 40 && header_size <= 124))
    return fail(problem, "unknown header size" + file_value(limits, " " + std::to_string(header_size)));
  if (size < 14 + static_cast<size_t>(header_size)) return fail(problem, "file too short for its headers");
  const uint8_t* h = data + 14;
  const long long width =
      core ? static_cast<long long>(u16(h + 4)) : static_cast<long long>(static_cast<int32_t>(u32(h + 4)));
  const long long raw_height =
      core ? static_cast<long long>(u16(h + 6)) : static_cast<long long>(static_cast<int32_t>(u32(h + 8)));
  const int bpp = static_cast<int>(u16(h + (core ? 10 : 14)));
  const uint32_t compression = core ? 0 : u32(h + 16);
  const bool top_down = raw_height < 0;
  const long long height = top_down ? -raw_height : raw_height;
  if (compression == 1 || compression == 2) return fail(problem, "RLE-compressed BMP is not supported");
  if (compression != 0 && compression != 3 && compression != 6)
    return fail(problem, "compression type" + file_value(limits, " " + std::to_string(compression)) +
                             " is not supported (PNG/JPEG inside BMP?)");
  if (bpp != 1 && bpp != 4 && bpp != 8 && bpp != 16 && bpp != 24 && bpp != 32)
    return fail(problem, "bits per pixel" + file_value(limits, " " + std::to_string(bpp)) + " not supported");
  DecodeStatus status = check_pixel_limit(width, height, limits, problem);
  if (status != DecodeStatus::ok) return status;
  const long long stride = (width * bpp + 31) / 32 * 4;
  status = check_file_holds(width, height, static_cast<long long>(pixel_offset) + stride * height, size, "a BMP",
                            limits, problem);
  if (status != DecodeStatus::ok) return status;

  // Palette (<= 8 bits) or channel masks (16/32 bits).
  uint8_t palette[256][3] = {};
  int palette_size = 0;
  bool gray_palette = true;
  Channel red, green, blue;
  if (bpp <= 8) {
    const uint32_t used = core ? 0 : u32(h + 32);
    palette_size = used == 0 || used > (1u << bpp) ? (1 << bpp) : static_cast<int>(used);
    const size_t entry = core ? 3 : 4;
    const size_t at = 14 + header_size;
    if (at + entry * palette_size > pixel_offset || at + entry * palette_size > size)
      return fail(problem, "the palette does not fit before the pixels");
    for (int i = 0; i < palette_size; ++i) {
      const uint8_t* e = data + at + entry * i;
      palette[i][0] = e[2], palette[i][1] = e[1], palette[i][2] = e[0];  // stored B, G, R
      gray_palette = gray_palette && e[0] == e[1] && e[1] == e[2];
    }
  } else if (bpp == 16 || bpp == 32) {
    uint32_t masks[3] = {bpp == 16 ? 0x7C00u : 0xFF0000u, bpp == 16 ? 0x03E0u : 0xFF00u, bpp == 16 ? 0x001Fu : 0xFFu};
    if (compression == 3 || compression == 6) {
      const size_t at = header_size >= 52 ? 14 + 40 : 14 + header_size;  // V2+ headers hold them, INFO follows
      if (at + 12 > size) return fail(problem, "the bit-field masks are missing");
      for (int c = 0; c < 3; ++c) masks[c] = u32(data + at + 4 * c);
    }
    red = Channel(masks[0]), green = Channel(masks[1]), blue = Channel(masks[2]);
  }

  const int channels = bpp <= 8 && gray_palette ? 1 : 3;
  allocate_image(image, static_cast<int>(width), static_cast<int>(height), channels);
  for (long long y = 0; y < height; ++y) {
    const uint8_t* row = data + pixel_offset + stride * (top_down ? y : height - 1 - y);
    uint8_t* out = image.pixels.data() + static_cast<size_t>(y) * width * channels;
    for (long long x = 0; x < width; ++x) {
      uint8_t rgb[3];
      if (bpp <= 8) {
        const long long bit = x * bpp;
        const int index = (row[bit / 8] >> (8 - bpp - bit % 8)) & ((1 << bpp) - 1);
        if (index >= palette_size)
          return fail(problem, "a pixel uses a colour outside the palette" +
                                   file_value(limits, " (colour " + std::to_string(index) + " of " +
                                                          std::to_string(palette_size) + ")"));
        std::memcpy(rgb, palette[index], 3);
      } else if (bpp == 24) {
        rgb[0] = row[3 * x + 2], rgb[1] = row[3 * x + 1], rgb[2] = row[3 * x];
      } else {
        const uint32_t pixel = bpp == 16 ? u16(row + 2 * x) : u32(row + 4 * x);
        rgb[0] = red.value(pixel), rgb[1] = green.value(pixel), rgb[2] = blue.value(pixel);
      }
      if (channels == 1)
        out[x] = rgb[0];
      else
        std::memcpy(out + 3 * x, rgb, 3);
    }
  }
  return DecodeStatus::ok;
}
}  // namespace uhop
