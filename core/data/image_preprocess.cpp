#include "image_preprocess.h"

#include <stb_image_resize.h>

#include <algorithm>
#include <cmath>

#include "numerics/input_error.h"

namespace uhop {
ImageView interleaved_view(const uint8_t* pixels, int width, int height, int channels) {
  return {pixels, width, height, channels, 1, static_cast<long long>(width) * channels, channels};
}

ImageView planar_view(const uint8_t* pixels, int width, int height, int channels) {
  return {pixels, width, height, channels, static_cast<long long>(width) * height, width, 1};
}

namespace {
// Source pixel (x, y) in target channel c, in [0,1]; in double so an unresized 8-bit value v becomes exactly v/255.
double mapped_pixel(const ImageView& image, int target_channels, int c, int y, int x) {
  if (image.channels == 1) return image.at(0, y, x) / 255.0;  // gray: replicated into every target channel
  if (target_channels == 3) return image.at(c, y, x) / 255.0;
  return luma(image.at(0, y, x), image.at(1, y, x), image.at(2, y, x)) / 255.0;
}

// Box where an axis shrinks (area average), triangle where it grows (bilinear, no overshoot unlike cubics).
stbir_filter filter_for(int from, int to) {
  return to < from ? STBIR_FILTER_BOX : STBIR_FILTER_TRIANGLE;
}
}  // namespace

void image_to_row(const ImageView& image, const TargetFormat& target, double* row, std::vector<float>& scratch) {
  const long long plane = static_cast<long long>(target.width) * target.height;
  if (image.width == target.width && image.height == target.height) {
    // Same size: no resampling, straight to the row.
    for (int c = 0; c < target.channels; ++c)
      for (int y = 0; y < image.height; ++y)
        for (int x = 0; x < image.width; ++x)
          row[c * plane + static_cast<long long>(y) * image.width + x] = mapped_pixel(image, target.channels, c, y, x);
  } else {
    const long long source_plane = static_cast<long long>(image.width) * image.height;
    scratch.resize(static_cast<size_t>(source_plane + plane));
    float* source = scratch.data();
    float* resized = scratch.data() + source_plane;
    for (int c = 0; c < target.channels; ++c) {
      for (int y = 0; y < image.height; ++y)
        for (int x = 0; x < image.width; ++x)
          source[static_cast<long long>(y) * image.width + x] =
              static_cast<float>(mapped_pixel(image, target.channels, c, y, x));
      // One plane at a time as a 1-channel float image; linear colour space (pixel values are taken as they are).
      const int ok = stbir_resize(source, image.width, image.height, 0, resized, target.width, target.height, 0,
                                  STBIR_TYPE_FLOAT, 1, STBIR_ALPHA_CHANNEL_NONE, 0, STBIR_EDGE_CLAMP, STBIR_EDGE_CLAMP,
                                  filter_for(image.width, target.width), filter_for(image.height, target.height),
                                  STBIR_COLORSPACE_LINEAR, nullptr);
      if (!ok)
        throw InputError("cannot resize a " + std::to_string(image.width) + "x" + std::to_string(image.height) +
                         " image to " + std::to_string(target.width) + "x" + std::to_string(target.height));
      for (long long i = 0; i < plane; ++i) row[c * plane + i] = std::clamp(resized[i], 0.0f, 1.0f);
    }
  }
  normalize_row(row, target.dim(), target.normalization);
}

std::vector<uint8_t> resize_rgba8(const uint8_t* rgba, int width, int height, int out_width, int out_height) {
  if (width <= 0 || height <= 0 || out_width <= 0 || out_height <= 0)
    throw InputError("cannot resize a " + std::to_string(width) + "x" + std::to_string(height) + " frame to " +
                     std::to_string(out_width) + "x" + std::to_string(out_height));
  std::vector<uint8_t> out(static_cast<size_t>(out_width) * out_height * 4);
  if (out_width == width && out_height == height) {
    std::copy(rgba, rgba + out.size(), out.data());
    return out;
  }
  if (!stbir_resize_uint8_srgb(rgba, width, height, 0, out.data(), out_width, out_height, 0, 4, 3, 0))
    throw InputError("cannot resize a " + std::to_string(width) + "x" + std::to_string(height) + " frame to " +
                     std::to_string(out_width) + "x" + std::to_string(out_height));
  return out;
}

void normalize_row(double* row, long long d, Normalization normalization) {
  if (normalization == Normalization::unit_norm) {
    // x / ||x|| computed as y / ||y|| with y = x / max|x_i|: a row of denormals (whose squares underflow to 0) or
    // of values near 1e200 (whose squares overflow) is normalized too. Only an all-zero row stays as it is.
    double peak = 0;
    for (long long i = 0; i < d; ++i) peak = std::max(peak, std::fabs(row[i]));
    if (peak > 0 && std::isfinite(peak)) {
      double sum_sq = 0;
      for (long long i = 0; i < d; ++i) {
        row[i] /= peak;
        sum_sq += row[i] * row[i];
      }
      const double scale = 1.0 / std::sqrt(sum_sq);
      for (long long i = 0; i < d; ++i) row[i] *= scale;
    }
  } else if (normalization == Normalization::centered) {
    double sum = 0;
    for (long long i = 0; i < d; ++i) sum += row[i];
    const double mean = d > 0 ? sum / static_cast<double>(d) : 0.0;
    for (long long i = 0; i < d; ++i) row[i] -= mean;
  }
}

std::string describe_normalization(Normalization normalization) {
  switch (normalization) {
    case Normalization::unit_norm:
      return "unit norm";
    case Normalization::centered:
      return "mean-centered per memory";
    case Normalization::none:
      break;
  }
  return "";
}
}  // namespace uhop
