// PNG through libpng (low-level API, so alpha, and tRNS transparency, is dropped rather than composited, like the
// other formats).
// libpng reports errors by longjmp: the function that calls setjmp keeps only plain locals after it.
#include <png.h>

#include <csetjmp>
#include <cstring>
#include <utility>

#include "image_decoders.h"

namespace uhop {
namespace {
struct PngSource {
  const uint8_t* data = nullptr;
  size_t size = 0;
  size_t offset = 0;
  char message[160] = {};
};

void read_from_memory(png_structp png, png_bytep out, png_size_t length) {
  auto* source = static_cast<PngSource*>(png_get_io_ptr(png));
  if (length > source->size - source->offset) png_error(png, "the file ends early (truncated)");
  std::memcpy(out, source->data + source->offset, length);
  source->offset += length;
}

void on_error(png_structp png, png_const_charp message) {
  auto* source = static_cast<PngSource*>(png_get_error_ptr(png));
  std::snprintf(source->message, sizeof source->message, "%s", message ? message : "unknown error");
  png_longjmp(png, 1);
}

void on_warning(png_structp, png_const_charp) {}  // ancillary-chunk trouble: ignored, like most viewers

// libpng's message without its bytes of the file, for a file named inside another data file: libpng prefixes chunk
// errors with the chunk's type as read ("SECR: CRC error"), so its text is matched against the kinds below and never
// passed on. Our own png_error texts (read_from_memory, read_png) hold no bytes of the file and are among them.
std::string kind_of_png_error(const char* message) {
  static const std::pair<const char*, const char*> kKinds[] = {
      {"ends early", "the file ends early (truncated)"},
      {"unexpected pixel layout", "unexpected pixel layout after conversion"},
      {"CRC", "a chunk's CRC does not match its data"},
      {"chunk type", "a chunk has an invalid type"},
      {"chunk length", "a chunk has an invalid length"},
      {"signature", "not a PNG signature"},
      {"IHDR", "the image header (IHDR) is invalid or missing"},
      {"image data", "the pixel data (IDAT) is too short or too long"},
      {"PLTE", "the palette (PLTE) is invalid or missing"},
      {"memory", "a chunk needs more memory than allowed"},
      {"too large", "a chunk needs more memory than allowed"},
      {"data check", "the compressed pixel data is damaged"},
      {"distance", "the compressed pixel data is damaged"},
      {"code", "the compressed pixel data is damaged"},
      {"block type", "the compressed pixel data is damaged"},
  };
  for (const auto& [phrase, kind] : kKinds)
    if (std::strstr(message, phrase)) return kind;
  return "damaged or unsupported PNG data";
}

// Raw (filtered, uncompressed) bytes the IDAT stream must inflate to for a non-interlaced image.
long long raw_png_bytes(png_uint_32 width, png_uint_32 height, int bit_depth, int color_type) {
  const int samples = color_type == PNG_COLOR_TYPE_RGB          ? 3
                      : color_type == PNG_COLOR_TYPE_RGB_ALPHA  ? 4
                      : color_type == PNG_COLOR_TYPE_GRAY_ALPHA ? 2
                                                                : 1;
  const long long row_bits = static_cast<long long>(width) * samples * bit_depth;
  return static_cast<long long>(height) * (1 + (row_bits + 7) / 8);
}

// Everything that can longjmp is in here; returns false with source.message set on a libpng error.
bool read_png(png_structp png, png_infop info, PngSource& source, const DecodeLimits& limits, DecodedImage& image,
              std::string& problem, DecodeStatus& status) {
  if (setjmp(png_jmpbuf(png))) return false;
  png_set_read_fn(png, &source, read_from_memory);
  png_set_chunk_malloc_max(png, 8u << 20);  // text, ICC profiles and other ancillary chunks: at most 8 MiB each
  png_read_info(png, info);
  png_uint_32 width = 0, height = 0;
  int bit_depth = 0, color_type = 0, interlace = 0;
  png_get_IHDR(png, info, &width, &height, &bit_depth, &color_type, &interlace, nullptr, nullptr);
  status = check_pixel_limit(width, height, limits, problem);
  if (status != DecodeStatus::ok) return true;
  // Deflate inflates at most 1032:1: a file smaller than that promise cannot hold the image.
  const long long raw = raw_png_bytes(width, height, bit_depth, color_type);
  status = check_file_holds(width, height, raw / 1032 - 1024, source.size, "a PNG", limits, problem);
  if (status != DecodeStatus::ok) return true;
  if (color_type == PNG_COLOR_TYPE_PALETTE) png_set_palette_to_rgb(png);
  if (color_type == PNG_COLOR_TYPE_GRAY && bit_depth < 8) png_set_expand_gray_1_2_4_to_8(png);
  if (bit_depth == 16) png_set_strip_16(png);
  // tRNS is alpha without an alpha channel (per palette entry, or a grey or RGB colour key): dropped like any alpha.
  // png_set_palette_to_rgb expands a palette's tRNS to an alpha channel, which then must be stripped too.
  if ((color_type & PNG_COLOR_MASK_ALPHA) || png_get_valid(png, info, PNG_INFO_tRNS)) png_set_strip_alpha(png);
  const int passes = png_set_interlace_handling(png);
  png_read_update_info(png, info);
  const int channels = png_get_channels(png, info);
  if ((channels != 1 && channels != 3) || png_get_rowbytes(png, info) != static_cast<size_t>(width) * channels)
    png_error(png, "unexpected pixel layout after conversion");
  allocate_image(image, static_cast<int>(width), static_cast<int>(height), channels);
  // Row by row into the final image (each interlace pass updates the rows in place): no row-pointer array, whose
  // 8 bytes per row would outweigh the pixels of a tall, narrow image.
  for (int pass = 0; pass < passes; ++pass)
    for (png_uint_32 y = 0; y < height; ++y)
      png_read_row(png, image.pixels.data() + static_cast<size_t>(y) * width * channels, nullptr);
  return true;  // chunks after the pixels (text, time) are not needed: png_read_end is skipped, like most viewers
}
}  // namespace

DecodeStatus decode_png(const uint8_t* data, size_t size, const DecodeLimits& limits, DecodedImage& image,
                        std::string& problem) {
  PngSource source;
  source.data = data;
  source.size = size;
  png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &source, on_error, on_warning);
  if (!png) {
    problem = "cannot start libpng";
    return DecodeStatus::unreadable;
  }
  png_infop info = png_create_info_struct(png);
  if (!info) {
    png_destroy_read_struct(&png, nullptr, nullptr);
    problem = "cannot start libpng";
    return DecodeStatus::unreadable;
  }
  DecodeStatus status = DecodeStatus::ok;
  const bool finished = read_png(png, info, source, limits, image, problem, status);
  png_destroy_read_struct(&png, &info, nullptr);
  if (!finished) {
    problem = "cannot decode PNG: " + (limits.quote_content ? std::string(source.message)
                                                            : kind_of_png_error(source.message) + " (libpng read " +
                                                                  std::to_string(source.offset) + " bytes)");
    return DecodeStatus::unreadable;
  }
  return status;
}
}  // namespace uhop
