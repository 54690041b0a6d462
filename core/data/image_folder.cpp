#include "image_folder.h"

#include <algorithm>
#include <cctype>
#include <climits>
#include <filesystem>

#include "io/file_bytes.h"
#include "image_catalog.h"
#include "numerics/input_error.h"

namespace uhop {
namespace fs = std::filesystem;

namespace {
// Encoded files bigger than this cannot hold an image within the pixel limit (4 bytes per pixel is the most any
// supported uncompressed format stores, plus room for headers and metadata).
uint64_t max_image_file_bytes(long long max_image_pixels) {
  const long long bytes = max_image_pixels > (LLONG_MAX - (1 << 20)) / 4 ? LLONG_MAX : max_image_pixels * 4 + (1 << 20);
  return static_cast<uint64_t>(std::min<long long>(bytes, INT_MAX));
}

// The bytes of an image file, capped by what an image within the limit can need.
std::vector<uint8_t> read_image_file(const std::string& path, long long max_image_pixels) {
  const uint64_t cap = max_image_file_bytes(max_image_pixels);
  std::vector<uint8_t> bytes = read_file_prefix(path, cap + 1);
  if (bytes.size() > cap)
    throw input_error(path, "file is more than " + std::to_string(cap) +
                                " bytes, too large for an image within the limit of " +
                                std::to_string(max_image_pixels) + " pixels");
  return bytes;
}

// "path: problem" -> "problem", for the per-file list of skipped images.
std::string without_path(const std::string& message, const std::string& path) {
  const std::string printable_path = printable_text(path) + ": ";
  return message.compare(0, printable_path.size(), printable_path) == 0 ? message.substr(printable_path.size())
                                                                        : message;
}
}  // namespace

bool has_image_extension(const std::string& path) {
  std::string extension = fs::path(path).extension().string();
  std::transform(extension.begin(), extension.end(), extension.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  for (const char* known :
       {".png", ".jpg", ".jpeg", ".bmp", ".tga", ".pgm", ".ppm", ".pnm", ".gif", ".psd", ".hdr", ".pic"})
    if (extension == known) return true;
  return false;
}

ImageFileList list_image_files(const std::string& folder, bool quote_content) {
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
  for (size_t k = 0; k < subfolders.size(); ++k) {
    const std::string& sub = subfolders[k];
    const int label = static_cast<int>(list.class_names.size());
    bool any = false;
    fs::directory_iterator sub_entries(fs::path(folder) / sub, error);
    if (error)
      throw input_error(quote_content ? (fs::path(folder) / sub).string() : folder,
                        (quote_content ? std::string() : "subfolder " + std::to_string(k + 1) + " in name order: ") +
                            "cannot list the folder (" + error.message() + ")");
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
  bool quote_content = true;
  DecodeBudget budget;  // pixels decoded in this load (LoadOptions::max_decoded_pixels)
  DecodedImage image;
  bool read(const std::string& relative, ImageView& view, std::string& problem) {
    const std::string path = (fs::path(folder) / relative).string();
    std::vector<uint8_t> bytes;
    try {
      bytes = read_image_file(path, max_image_pixels);
    } catch (const InputError& e) {
      problem = without_path(e.what(), path);  // not readable (a FIFO, a device, too large): skipped, named
      return false;
    }
    if (!decode_image(bytes.data(), bytes.size(), path, max_image_pixels, image, problem, quote_content, &budget)) {
      if (budget.exceeded) throw over_budget_error();
      return false;
    }
    view = interleaved_view(image.pixels.data(), image.width, image.height, image.channels);
    return true;
  }
  // A LargeRequestError: a session naming the folder is offered "Open anyway" (restore_session with allow_large).
  LargeRequestError over_budget_error() const {
    return LargeRequestError(
        folder + ": " + std::to_string(budget.images) + " images decoded so far hold " +
        std::to_string(budget.decoded_pixels) + " pixels, and the next would pass the limit of " +
        std::to_string(budget.max_pixels) +
        " pixels decoded in one load (each image is decoded at its own size before it is "
        "resized): --allow-large (Python allow_large=True; a session in the Studio: Open anyway) loads them anyway");
  }
};
}  // namespace

MemorySet load_image_folder(const std::string& folder, const LoadOptions& options, std::vector<std::string>* warnings,
                            const ProgressFn& progress) {
  report_progress(progress, 0.0);
  ImageFileList list = list_image_files(folder, options.quote_content);
  auto reader = std::make_shared<FolderReader>();
  reader->folder = folder;
  reader->max_image_pixels = options.max_image_pixels;
  reader->quote_content = options.quote_content;
  reader->budget.max_pixels = options.max_decoded_pixels;
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
    view = interleaved_view(image.pixels.data(), image.width, image.height, image.channels);
    return true;
  };
  return build_memory_set(catalog, options, warnings, progress);
}
}  // namespace

MemorySet load_image_file(const std::string& path, const LoadOptions& options, std::vector<std::string>* warnings,
                          const ProgressFn& progress) {
  if (options.check_fits && options.width > 0)  // a target size the caller cannot hold: refused before decoding
    options.check_fits(planned_count(1, options), ImageShape{options.width, options.height, options.keep_rgb ? 3 : 1});
  const std::vector<uint8_t> bytes = read_image_file(path, options.max_image_pixels);
  DecodedImage image;
  std::string problem;
  if (!decode_image(bytes.data(), bytes.size(), path, options.max_image_pixels, image, problem, options.quote_content))
    throw input_error(path, problem);
  return single_image_set(image, path, options, warnings, progress);
}

MemorySet load_image_from_memory(const uint8_t* data, size_t size, const std::string& name,
                                 const LoadOptions& options) {
  DecodedImage image;
  std::string problem;
  if (!decode_image(data, size, name, options.max_image_pixels, image, problem, options.quote_content))
    throw input_error(name, problem);
  return single_image_set(image, name, options, nullptr, {});
}
}  // namespace uhop
