// Image files (PNG, JPEG, BMP, TGA, PNM: see image_decode.h). A folder is read in name order (plain byte order of the
// path relative to the folder). Image files directly in the folder have no label; images in subfolders (one level,
// "cat/001.png") are labelled by subfolder, classes in name order. Files that cannot be read or decoded (including
// FIFOs and devices named like images) are skipped with one warning; other files (no image extension, hidden) are
// ignored.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "image_decode.h"
#include "memory_sources.h"

namespace uhop {
// .png .jpg .jpeg .bmp .tga .pgm .ppm .pnm, and .gif .psd .hdr .pic (recognised so that they are reported as
// unsupported rather than ignored), any case.
bool has_image_extension(const std::string& path);

struct ImageFileList {
  std::vector<std::string> relative_paths;  // sorted
  std::vector<int> labels;                  // subfolder index, -1 for files directly in the folder
  std::vector<std::string> class_names;     // subfolder names
};
// quote_content false (a folder named inside another data file): a subfolder that cannot be listed is named by its
// number, not its name (entry names are the folder's content).
ImageFileList list_image_files(const std::string& folder, bool quote_content = true);

MemorySet load_image_folder(const std::string& folder, const LoadOptions& options, std::vector<std::string>* warnings,
                            const ProgressFn& progress);
// One image file as a set of one memory.
MemorySet load_image_file(const std::string& path, const LoadOptions& options, std::vector<std::string>* warnings,
                          const ProgressFn& progress);
// The same from encoded bytes in memory: the fuzzer's entry point.
MemorySet load_image_from_memory(const uint8_t* data, size_t size, const std::string& name, const LoadOptions& options);
}  // namespace uhop
