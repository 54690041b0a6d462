// Image files through stb_image: PNG, JPEG, BMP, TGA, PGM/PPM (also GIF's first frame, PSD, HDR, PIC). A folder is
// read in name order (plain byte order of the path relative to the folder). Image files directly in the folder
// have no label; images in subfolders (one level, "cat/001.png") are labelled by subfolder, classes in name order.
// Files that cannot be decoded are skipped with one warning; other files (no image extension, hidden) are ignored.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "memory_sources.h"

namespace uhop {
struct StbFree {
  void operator()(uint8_t* pixels) const;
};

struct DecodedImage {
  int width = 0;
  int height = 0;
  int channels = 0;                          // 1 (gray; alpha dropped) or 3 (RGB; alpha dropped)
  std::unique_ptr<uint8_t, StbFree> pixels;  // interleaved H,W,C
};

// Decodes an encoded image. Returns false with problem set when the data is not a decodable image; throws
// InputError naming the image when it has more than max_image_pixels pixels (checked from the header before
// decoding, so a hostile header cannot make stb allocate).
bool decode_image(const uint8_t* data, size_t size, const std::string& name, long long max_image_pixels,
                  DecodedImage& image, std::string& problem);

// .png .jpg .jpeg .bmp .tga .pgm .ppm .pnm .gif .psd .hdr .pic, any case.
bool has_image_extension(const std::string& path);

struct ImageFileList {
  std::vector<std::string> relative_paths;  // sorted
  std::vector<int> labels;                  // subfolder index, -1 for files directly in the folder
  std::vector<std::string> class_names;     // subfolder names
};
ImageFileList list_image_files(const std::string& folder);

MemorySet load_image_folder(const std::string& folder, const LoadOptions& options, std::vector<std::string>* warnings,
                            const ProgressFn& progress);
// One image file as a set of one memory.
MemorySet load_image_file(const std::string& path, const LoadOptions& options, std::vector<std::string>* warnings,
                          const ProgressFn& progress);
// The same from encoded bytes in memory: the fuzzer's entry point.
MemorySet load_image_from_memory(const uint8_t* data, size_t size, const std::string& name, const LoadOptions& options);
}  // namespace uhop
