// PNM, the project's own decoder: P2 (gray) and P3 (RGB) as text, P5 and P6 as binary (1 byte per sample when
// maxval < 256, else 2 bytes big-endian), maxval 1..65535, '#' comments in the header (and between the samples of
// the text forms). Samples are scaled to 0..255. The file must be able to hold the declared size before anything is
// allocated (binary: exactly; text: at least two bytes, a digit and a separator, per sample).
#include "image_decoders.h"

namespace uhop {
namespace {
DecodeStatus fail(std::string& problem, const std::string& what) {
  problem = "PNM: " + what;
  return DecodeStatus::unreadable;
}

bool is_space(uint8_t c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

// Reads a decimal number after whitespace and comments; false when there is none or it exceeds limit.
bool read_number(const uint8_t*& p, const uint8_t* end, long long limit, long long& value, bool comments) {
  while (p < end) {
    if (is_space(*p)) {
      ++p;
    } else if (comments && *p == '#') {
      while (p < end && *p != '\n') ++p;
    } else {
      break;
    }
  }
  if (p >= end || *p < '0' || *p > '9') return false;
  value = 0;
  while (p < end && *p >= '0' && *p <= '9') {
    value = value * 10 + (*p++ - '0');
    if (value > limit) return false;
  }
  return true;
}
}  // namespace

DecodeStatus decode_pnm(const uint8_t* data, size_t size, const DecodeLimits& limits, DecodedImage& image,
                        std::string& problem) {
  const char kind = static_cast<char>(data[1]);
  if (kind == '1' || kind == '4') return fail(problem, "P1/P4 (1-bit bitmaps) are not supported");
  const bool text = kind == '2' || kind == '3';
  const int channels = kind == '3' || kind == '6' ? 3 : 1;
  const uint8_t* p = data + 2;
  const uint8_t* const end = data + size;
  long long width = 0, height = 0, maxval = 0;
  if (!read_number(p, end, 1 << 30, width, true) || !read_number(p, end, 1 << 30, height, true))
    return fail(problem, "the header has no valid width and height");
  DecodeStatus status = check_pixel_limit(width, height, limits, problem);
  if (status != DecodeStatus::ok) return status;
  if (!read_number(p, end, 65535, maxval, true) || maxval < 1) return fail(problem, "maxval must be 1..65535");
  // The netpbm spec: maxval, then a single whitespace byte, then the raster; comments ('#' to the end of the line)
  // may come anywhere before that whitespace. So a comment may follow maxval directly ("255#c\n"), and its newline
  // is the whitespace (as libnetpbm reads it). In P5/P6, whatever follows that one whitespace byte is raster: in
  // "255 #c\n" the '#' is the first sample (35), not a comment. The text forms P2/P3 have no such ambiguity (a
  // sample is digits), so comments are skipped between their samples too, as libnetpbm does ("255 #c\n0 1 ...").
  if (p < end && *p == '#')
    while (p < end && *p != '\n') ++p;
  if (p >= end || !is_space(*p)) return fail(problem, "the header does not end with whitespace");
  ++p;  // exactly one whitespace byte before binary samples
  const long long samples = width * height * channels;
  const int sample_bytes = maxval < 256 ? 1 : 2;
  const long long needed = text ? 2 * samples - 1 : samples * sample_bytes;
  status = check_file_holds(width, height, static_cast<long long>(p - data) + needed, size, "a PNM", limits, problem);
  if (status != DecodeStatus::ok) return status;
  allocate_image(image, static_cast<int>(width), static_cast<int>(height), channels);
  for (long long i = 0; i < samples; ++i) {
    long long v = 0;
    if (text) {
      if (!read_number(p, end, maxval, v, true))
        return fail(problem, "sample " + std::to_string(i + 1) + " is missing or larger than maxval" +
                                 file_value(limits, " " + std::to_string(maxval)));
    } else {
      v = sample_bytes == 1 ? p[0] : (p[0] << 8) | p[1];
      p += sample_bytes;
      if (v > maxval) v = maxval;
    }
    image.pixels[static_cast<size_t>(i)] = static_cast<uint8_t>((v * 255 + maxval / 2) / maxval);
  }
  return DecodeStatus::ok;
}
}  // namespace uhop
