#include "image_folder.h"

#include <stb_image.h>

#include <algorithm>
#include <cctype>
#include <climits>
#include <filesystem>

#include "io/file_bytes.h"
#include "image_catalog.h"
#include "numerics/input_error.h"

namespace uhop {
namespace fs = std::filesystem;

void StbFree::operator()(uint8_t* pixels) const {
  stbi_image_free(pixels);
}

namespace {
std::string pixel_limit_text(int width, int height, long long max_image_pixels) {
  return "image is " + std::to_string(width) + "x" + std::to_string(height) + " = " +
         std::to_string(static_cast<long long>(width) * height) + " pixels, more than the limit of " +
         std::to_string(max_image_pixels);
}

// Encoded files bigger than this cannot hold an image within the pixel limit (4 bytes per pixel is the most any
// supported uncompressed format stores, plus room for headers); stb also takes an int length.
uint64_t max_image_file_bytes(long long max_image_pixels) {
  const long long bytes = max_image_pixels > (LLONG_MAX - (1 << 20)) / 4 ? LLONG_MAX : max_image_pixels * 4 + (1 << 20);
  return static_cast<uint64_t>(std::min<long long>(bytes, INT_MAX));
}
}  // namespace

bool decode_image(const uint8_t* data, size_t size, const std::string& name, long long max_image_pixels,
                  DecodedImage& image, std::string& problem) {
  if (size == 0) {
    problem = "empty file";
    return false;
  }
  if (size > static_cast<size_t>(INT_MAX)) throw input_error(name, "file is too large for an image (over 2 GiB)");
  const int length = static_cast<int>(size);
  int width = 0, height = 0, channels = 0;
  if (!stbi_info_from_memory(data, length, &width, &height, &channels)) {
    problem = std::string("not a readable image: ") + stbi_failure_reason();
    return false;
  }
  if (width <= 0 || height <= 0) {
    problem = "image has no pixels";
    return false;
  }
  if (static_cast<long long>(width) * height > max_image_pixels)
    throw input_error(name, pixel_limit_text(width, height, max_image_pixels));
  // Ask stb for 1 channel when the file is gray(+alpha), else 3: alpha is dropped, colour is reduced by our own luma.
  const int wanted = channels >= 3 ? 3 : 1;
  uint8_t* pixels = stbi_load_from_memory(data, length, &width, &height, &channels, wanted);
  if (!pixels) {
    problem = std::string("cannot decode: ") + stbi_failure_reason();
    return false;
  }
  image.pixels.reset(pixels);
  if (static_cast<long long>(width) * height > max_image_pixels)
    throw input_error(name, pixel_limit_text(width, height, max_image_pixels));
  image.width = width;
  image.height = height;
  image.channels = wanted;
  return true;
}

bool has_image_extension(const std::string& path) {
  std::string extension = fs::path(path).extension().string();
  std::transform(extension.begin(), extension.end(), extension.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  for (const char* known :
       {".png", ".jpg", ".jpeg", ".bmp", ".tga", ".pgm", ".ppm", ".pnm", ".gif", ".psd", ".hdr", ".pic"})
    if (extension == known) return true;
  return false;
}

ImageFileList list_image_files(const std::string& folder) {
  std::error_code error;
  if (!fs::is_directory(folder, error)) throw input_error(folder, "no such folder");
  const auto hidden = [](const fs::path& p) { return p.filename().string().rfind('.', 0) == 0; };
  std::vector<std::string> top_files, subfolders;
  fs::directory_iterator entries(folder, error);
  if (error) throw input_error(folder, "cannot list the folder (" + error.message() + ")");
  for (const auto& entry : entries) {
    if (hidden(entry.path())) continue;
    std::error_code entry_error;
    if (entry.is_directory(entry_error))
      subfolders.push_back(entry.path().filename().string());
    else if (has_image_extension(entry.path().string()))
      top_files.push_back(entry.path().filename().string());
  }
  std::sort(subfolders.begin(), subfolders.end());
  std::vector<std::pair<std::string, int>> files;  // relative path, label
  for (const std::string& file : top_files) files.emplace_back(file, -1);
  ImageFileList list;
  for (const std::string& sub : subfolders) {
    const int label = static_cast<int>(list.class_names.size());
    bool any = false;
    fs::directory_iterator sub_entries(fs::path(folder) / sub, error);
    if (error) throw input_error((fs::path(folder) / sub).string(), "cannot list the folder (" + error.message() + ")");
    for (const auto& entry : sub_entries) {
      if (hidden(entry.path()) || !has_image_extension(entry.path().string())) continue;
      std::error_code entry_error;
      if (entry.is_directory(entry_error)) continue;
      files.emplace_back(sub + "/" + entry.path().filename().string(), label);
      any = true;
    }
    if (any) list.class_names.push_back(sub);  // subfolders without images are not classes
  }
  std::sort(files.begin(), files.end());
  for (auto& [path, label] : files) {
    list.relative_paths.push_back(path);
    list.labels.push_back(label);
  }
  if (list.relative_paths.empty())
    throw input_error(folder,
                      "no image files in this folder (looked for .png .jpg .jpeg .bmp .tga .pgm .ppm .pnm "
                      ".gif .psd .hdr .pic, also one level of class subfolders)");
  return list;
}

namespace {
// Holds the current decoded image for the catalog's fetch.
struct FolderReader {
  std::string folder;
  long long max_image_pixels = 0;
  DecodedImage image;
  bool read(const std::string& relative, ImageView& view, std::string& problem) {
    const std::string path = (fs::path(folder) / relative).string();
    uint64_t size = 0;
    try {
      size = regular_file_size(path);
    } catch (const InputError&) {
      problem = "cannot access";
      return false;
    }
    if (size == 0) {
      problem = "empty file";
      return false;
    }
    if (size > max_image_file_bytes(max_image_pixels))
      throw input_error(path, "file is " + std::to_string(size) +
                                  " bytes, too large for an image within the limit of " +
                                  std::to_string(max_image_pixels) + " pixels");
    std::vector<uint8_t> bytes;
    try {
      bytes = read_whole_file(path, size);
    } catch (const InputError&) {
      problem = "cannot read";
      return false;
    }
    if (!decode_image(bytes.data(), bytes.size(), path, max_image_pixels, image, problem)) return false;
    view = interleaved_view(image.pixels.get(), image.width, image.height, image.channels);
    return true;
  }
};
}  // namespace

MemorySet load_image_folder(const std::string& folder, const LoadOptions& options, std::vector<std::string>* warnings,
                            const ProgressFn& progress) {
  report_progress(progress, 0.0);
  ImageFileList list = list_image_files(folder);
  auto reader = std::make_shared<FolderReader>();
  reader->folder = folder;
  reader->max_image_pixels = options.max_image_pixels;
  ImageCatalog catalog;
  catalog.source = folder;
  catalog.format = "images";
  catalog.total = static_cast<int>(list.relative_paths.size());
  catalog.labels = list.labels;
  catalog.class_names = list.class_names;
  catalog.colour = true;
  auto paths = std::make_shared<std::vector<std::string>>(std::move(list.relative_paths));
  catalog.name_of = [paths](int item) { return (*paths)[item]; };
  catalog.fetch = [paths, reader](int item, ImageView& view, std::string& problem) {
    return reader->read((*paths)[item], view, problem);
  };
  return build_memory_set(catalog, options, warnings, progress);
}

namespace {
MemorySet single_image_set(const DecodedImage& image, const std::string& name, const LoadOptions& options,
                           std::vector<std::string>* warnings, const ProgressFn& progress) {
  ImageCatalog catalog;
  catalog.source = name;
  catalog.format = "image";
  catalog.total = 1;
  catalog.colour = true;
  const std::string file_name = file_name_of(name);
  catalog.name_of = [file_name](int) { return file_name; };
  catalog.fetch = [&image](int, ImageView& view, std::string&) {
    view = interleaved_view(image.pixels.get(), image.width, image.height, image.channels);
    return true;
  };
  return build_memory_set(catalog, options, warnings, progress);
}
}  // namespace

MemorySet load_image_file(const std::string& path, const LoadOptions& options, std::vector<std::string>* warnings,
                          const ProgressFn& progress) {
  const uint64_t size = regular_file_size(path);
  if (size > max_image_file_bytes(options.max_image_pixels))
    throw input_error(path, "file is " + std::to_string(size) + " bytes, too large for an image within the limit of " +
                                std::to_string(options.max_image_pixels) + " pixels");
  const std::vector<uint8_t> bytes = read_whole_file(path, size);
  DecodedImage image;
  std::string problem;
  if (!decode_image(bytes.data(), bytes.size(), path, options.max_image_pixels, image, problem))
    throw input_error(path, problem);
  return single_image_set(image, path, options, warnings, progress);
}

MemorySet load_image_from_memory(const uint8_t* data, size_t size, const std::string& name,
                                 const LoadOptions& options) {
  DecodedImage image;
  std::string problem;
  if (!decode_image(data, size, name, options.max_image_pixels, image, problem)) throw input_error(name, problem);
  return single_image_set(image, name, options, nullptr, {});
}
}  // namespace uhop
