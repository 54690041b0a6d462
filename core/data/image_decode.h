// Decoding image files the project loads as memories or queries, with every size checked before a pixel buffer is
// allocated. PNG through libpng and JPEG through libjpeg-turbo (the libraries OSS-Fuzz covers and Debian patches);
// BMP, TGA and PNM through the project's own small decoders below (fuzzed in fuzz/fuzz_image.cpp). stb_image is
// not used for user files.
//
// Formats: PNG (any bit depth, palette, interlaced; alpha and transparency dropped), baseline and progressive JPEG
// (gray, YCbCr, RGB; CMYK refused), BMP (uncompressed 1/4/8-bit palette, 16/24/32-bit, bit fields; RLE refused),
// TGA (colour-mapped, true colour and gray, 8/15/16/24/32-bit, uncompressed and RLE), PNM (P2/P3 text and P5/P6
// binary, maxval up to 65535). Recognised by content (signature), TGA (which has none) by a plausible header.
//
// Before allocating, each decoder checks (1) width x height against max_image_pixels (refused: InputError), and (2)
// that the file can hold that many pixels: uncompressed formats need their exact byte count, RLE TGA at least one
// packet per 128 pixels, PNM text two bytes per sample, PNG at most 1032 raw bytes per compressed byte (deflate's
// limit), JPEG at most kJpegPixelsPerByte pixels per byte (a progressive scan costs at least one bit per 8x8
// block). A header that promises more is a truncated file or a lie (a 54-byte BMP declaring 16000x16000): it is
// reported as unreadable without allocating anything.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace uhop {
struct DecodedImage {
  int width = 0;
  int height = 0;
  int channels = 0;             // 1 (gray; alpha dropped) or 3 (RGB; alpha dropped)
  std::vector<uint8_t> pixels;  // interleaved H,W,C
};

constexpr long long kJpegPixelsPerByte = 1024;

// The pixels one load may decode across its images (a folder: LoadOptions::max_decoded_pixels). Each image whose
// header passed the checks above is charged its declared width x height before its pixels are decoded (so an image
// that then fails, e.g. a truncated stream, still counts: the work was spent); an image that would take the total
// past max_pixels is not decoded, and exceeded is set. max_pixels 0 = no limit (counted all the same).
struct DecodeBudget {
  long long max_pixels = 0;
  long long decoded_pixels = 0;  // declared pixels of the images charged so far
  int images = 0;                // how many were charged
  bool exceeded = false;
};

// Decodes an encoded image. Returns false with problem set (printable) when the data is not a decodable image;
// throws InputError naming the image when it has more than max_image_pixels pixels. quote_content false (a file
// named inside another data file, LoadOptions::quote_content): the problem says what kind and where, never a value
// read from the file or a library's own text about it (DecodeLimits::quote_content). With a budget, an image that
// would pass it is not decoded: false, with budget->exceeded set (the caller refuses the load).
bool decode_image(const uint8_t* data, size_t size, const std::string& name, long long max_image_pixels,
                  DecodedImage& image, std::string& problem, bool quote_content = true, DecodeBudget* budget = nullptr);
}  // namespace uhop
