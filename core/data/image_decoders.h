// The per-format decoders behind decode_image (image_decode.h), one file each. Each returns ok, or unreadable with
// problem set, or too_large (more pixels than the limit; decode_image turns it into an InputError), or over_budget
// (the load's DecodeBudget would pass its limit). They read only
// within [data, data + size) and allocate the pixel buffer only after the checks of image_decode.h.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>

#include "image_decode.h"

namespace uhop {
enum class DecodeStatus { ok, unreadable, too_large, over_budget };

struct DecodeLimits {
  long long max_pixels = 0;
  // Provenance (LoadOptions::quote_content): false for a file whose name came from inside another data file. Then a
  // problem says where and what kind, never a value read from the file (a header field, a marker, a palette index,
  // the image's size) nor a library's message text (libpng names the chunk, libjpeg prints a marker's byte).
  bool quote_content = true;
  DecodeBudget* budget = nullptr;  // the load's decode budget, charged by check_file_holds; null = none
};

// A value read from the file, for a message: `text` when the user named the file, else nothing.
std::string file_value(const DecodeLimits& limits, const std::string& text);

DecodeStatus decode_png(const uint8_t* data, size_t size, const DecodeLimits& limits, DecodedImage& image,
                        std::string& problem);
DecodeStatus decode_jpeg(const uint8_t* data, size_t size, const DecodeLimits& limits, DecodedImage& image,
                         std::string& problem);
DecodeStatus decode_bmp(const uint8_t* data, size_t size, const DecodeLimits& limits, DecodedImage& image,
                        std::string& problem);
DecodeStatus decode_tga(const uint8_t* data, size_t size, const DecodeLimits& limits, DecodedImage& image,
                        std::string& problem);
bool looks_like_tga(const uint8_t* data, size_t size);
DecodeStatus decode_pnm(const uint8_t* data, size_t size, const DecodeLimits& limits, DecodedImage& image,
                        std::string& problem);

// Shared checks, for the decoders: the pixel limit (too_large) and "the header promises more than the file holds"
// (unreadable). Both set problem; they return ok when the image may be allocated. check_file_holds is each
// decoder's last check before it allocates and decodes: when the file holds the image, it charges the image's
// pixels to limits.budget, or returns over_budget when they would pass it.
DecodeStatus check_pixel_limit(long long width, long long height, const DecodeLimits& limits, std::string& problem);
DecodeStatus check_file_holds(long long width, long long height, long long needed_bytes, size_t file_bytes,
                              const char* what, const DecodeLimits& limits, std::string& problem);
// Allocates width x height x channels bytes (after the checks above).
void allocate_image(DecodedImage& image, int width, int height, int channels);
}  // namespace uhop
