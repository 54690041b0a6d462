// Turning one decoded 8-bit image into one memory row: channel mapping, resize, scale to [0,1], per-memory
// normalization. Every image loader (folder, IDX, CIFAR, glyphs) goes through here, so they agree exactly.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "memory_sources.h"

namespace uhop {
// 8-bit pixels of one image, addressed as pixels[c * plane_stride + y * row_stride + x * pixel_stride]: this covers
// interleaved (stb_image: H,W,C), planar (CIFAR: C,H,W) and single-channel (IDX) layouts without copying.
struct ImageView {
  const uint8_t* pixels = nullptr;
  int width = 0;
  int height = 0;
  int channels = 1;  // 1 (gray) or 3 (RGB)
  long long plane_stride = 0;
  long long row_stride = 0;
  long long pixel_stride = 1;
  uint8_t at(int c, int y, int x) const { return pixels[c * plane_stride + y * row_stride + x * pixel_stride]; }
};

ImageView interleaved_view(const uint8_t* pixels, int width, int height, int channels);
ImageView planar_view(const uint8_t* pixels, int width, int height, int channels);

// The shape every row gets: d = channels * height * width, channel-major (C,H,W).
struct TargetFormat {
  int width = 0;
  int height = 0;
  int channels = 1;  // 1: colour is reduced to luma; 3: RGB kept (a gray image is replicated to R=G=B)
  Normalization normalization = Normalization::none;
  long long dim() const { return static_cast<long long>(width) * height * channels; }
};

// Gray from RGB as ITU-R BT.601 luma: Y = 0.299 R + 0.587 G + 0.114 B (the MNIST/OpenCV convention).
inline float luma(float r, float g, float b) {
  return 0.299f * r + 0.587f * g + 0.114f * b;
}

// Writes target.dim() values into row: pixels / 255, channels mapped, resized to target size (box filter where an
// axis shrinks, so each output pixel is the mean of the area it covers; triangle = bilinear where it grows), clamped
// to [0,1], then normalized. scratch is reused between calls to avoid reallocating.
void image_to_row(const ImageView& image, const TargetFormat& target, double* row, std::vector<float>& scratch);

// Per-memory normalization of one row of length d: unit_norm divides by the Euclidean norm (an all-zero row stays
// zero), centered subtracts the row mean.
void normalize_row(double* row, long long d, Normalization normalization);

// An RGBA8 image (rows top to bottom) resampled to out_width x out_height, as stb_image_resize's default filters do
// (Mitchell when shrinking, Catmull-Rom when growing; sRGB-aware). For recordings at a chosen resolution
// (app/recorder.h). Throws InputError on a non-positive size.
std::vector<uint8_t> resize_rgba8(const uint8_t* rgba, int width, int height, int out_width, int out_height);

// "unit norm", "mean-centered per memory" or "" for none.
std::string describe_normalization(Normalization normalization);
}  // namespace uhop
