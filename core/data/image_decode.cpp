#include "image_decode.h"

#include <cstring>

#include "image_decoders.h"
#include "numerics/input_error.h"

namespace uhop {
namespace {
std::string size_text(long long width, long long height) {
  return std::to_string(width) + "x" + std::to_string(height);
}

bool starts_with(const uint8_t* data, size_t size, const char* signature, size_t length) {
  return size >= length && std::memcmp(data, signature, length) == 0;
}

// The decoder is about to spend the work: width x height (within the pixel limit, so no overflow) joins the total.
DecodeStatus charge_budget(long long pixels, const DecodeLimits& limits, std::string& problem) {
  DecodeBudget* budget = limits.budget;
  if (!budget) return DecodeStatus::ok;
  if (budget->max_pixels > 0 && pixels > budget->max_pixels - budget->decoded_pixels) {
    budget->exceeded = true;
    problem = "not decoded: the images decoded in this load would pass the limit of " +
              std::to_string(budget->max_pixels) + " pixels";
    return DecodeStatus::over_budget;
  }
  budget->decoded_pixels += pixels;
  ++budget->images;
  return DecodeStatus::ok;
}
}  // namespace

std::string file_value(const DecodeLimits& limits, const std::string& text) {
  return limits.quote_content ? text : std::string();
}

DecodeStatus check_pixel_limit(long long width, long long height, const DecodeLimits& limits, std::string& problem) {
  if (width <= 0 || height <= 0) {
    problem = "image has no pixels" + file_value(limits, " (" + size_text(width, height) + ")");
    return DecodeStatus::unreadable;
  }
  if (width > limits.max_pixels / height) {
    const std::string limit = std::to_string(limits.max_pixels) + " pixels";
    problem = limits.quote_content ? "image is " + size_text(width, height) + " = " + std::to_string(width * height) +
                                         " pixels, more than the limit of " + limit
                                   : "image has more pixels than the limit of " + limit;
    return DecodeStatus::too_large;
  }
  return DecodeStatus::ok;
}

DecodeStatus check_file_holds(long long width, long long height, long long needed_bytes, size_t file_bytes,
                              const char* what, const DecodeLimits& limits, std::string& problem) {
  if (needed_bytes <= 0 || static_cast<unsigned long long>(needed_bytes) <= file_bytes)
    return charge_budget(width * height, limits, problem);
  const std::string file = std::string(what) + " of " + std::to_string(file_bytes) + " bytes";
  problem = limits.quote_content
                ? "header says " + size_text(width, height) + " but " + file +
                      " cannot hold that many pixels (truncated, or a header that lies)"
                : "the size in the header is more than " + file + " can hold (truncated, or a header that lies)";
  return DecodeStatus::unreadable;
}

void allocate_image(DecodedImage& image, int width, int height, int channels) {
  image.width = width;
  image.height = height;
  image.channels = channels;
  image.pixels.assign(static_cast<size_t>(width) * height * channels, 0);
}

bool decode_image(const uint8_t* data, size_t size, const std::string& name, long long max_image_pixels,
                  DecodedImage& image, std::string& problem, bool quote_content, DecodeBudget* budget) {
  image = DecodedImage{};
  if (size == 0) {
    problem = "empty file";
    return false;
  }
  const DecodeLimits limits{max_image_pixels, quote_content, budget};
  DecodeStatus status = DecodeStatus::unreadable;
  if (starts_with(data, size, "\x89PNG\r\n\x1a\n", 8)) {
    status = decode_png(data, size, limits, image, problem);
  } else if (starts_with(data, size, "\xff\xd8\xff", 3)) {
    status = decode_jpeg(data, size, limits, image, problem);
  } else if (starts_with(data, size, "BM", 2)) {
    status = decode_bmp(data, size, limits, image, problem);
  } else if (size >= 2 && data[0] == 'P' && data[1] >= '1' && data[1] <= '6') {
    status = decode_pnm(data, size, limits, image, problem);
  } else if (starts_with(data, size, "GIF8", 4)) {
    problem = "GIF images are not supported (use PNG, JPEG, BMP, TGA or PNM)";
  } else if (starts_with(data, size, "8BPS", 4)) {
    problem = "Photoshop (PSD) images are not supported (use PNG, JPEG, BMP, TGA or PNM)";
  } else if (starts_with(data, size, "#?RADIANCE", 10) || starts_with(data, size, "#?RGBE", 6)) {
    problem = "HDR images are not supported (use PNG, JPEG, BMP, TGA or PNM)";
  } else if (looks_like_tga(data, size)) {
    status = decode_tga(data, size, limits, image, problem);
  } else {
    problem = "not a readable image (no PNG, JPEG, BMP, PNM or TGA header)";
  }
  // Library messages can quote chunk names and other bytes of the file: printable always, and with quote_content
  // false the decoders put only their own kind-of-problem texts here.
  problem = printable_text(problem);
  if (status == DecodeStatus::too_large) throw input_error(name, problem);
  if (status != DecodeStatus::ok) {
    image = DecodedImage{};
    return false;
  }
  return true;
}
}  // namespace uhop
