// JPEG through libjpeg-turbo. Errors longjmp out of the library (its default would exit the process); warnings
// (corrupt data the decoder can skip) are silent. Memory is capped through the library's own memory manager and the
// number of progressive scans through its progress hook, so a small hostile file can take neither much memory nor
// much time.
#include <cstdio>
// jpeglib.h needs FILE and size_t declared first.
#include <jpeglib.h>

#include <csetjmp>
#include <cstring>
#include <string>

#include "image_decoders.h"

namespace uhop {
namespace {
// Real progressive files have ~10 scans (libjpeg's default script: 10 for colour; optimizers ~20); each scan
// re-reads the whole coefficient buffer, so hundreds in a small file are a known slow-decode trick (990 scans in
// 260 KB took 9 s and 328 MB before this limit was lowered from 1000).
constexpr int kMaxScans = 100;

struct JpegErrors {
  jpeg_error_mgr manager;  // first member: libjpeg passes a pointer to it
  jmp_buf jump;
  char message[JMSG_LENGTH_MAX] = {};
  bool from_library = false;  // message is libjpeg's (manager.msg_code says which), not one of ours
};

void on_error(j_common_ptr cinfo) {
  auto* errors = reinterpret_cast<JpegErrors*>(cinfo->err);
  (*cinfo->err->format_message)(cinfo, errors->message);
  errors->from_library = true;
  longjmp(errors->jump, 1);
}

// libjpeg's message for its last error with the parameters left out, for a file named inside another data file: the
// parameters are values read from the file ("Unsupported marker type 0x%02x" printed a byte of it). Each printf
// conversion becomes "?" (and a "0x" before it goes too).
std::string library_message_without_values(const jpeg_error_mgr& manager) {
  const int code = manager.msg_code;
  const char* format = nullptr;
  if (code > 0 && code <= manager.last_jpeg_message)
    format = manager.jpeg_message_table[code];
  else if (manager.addon_message_table && code >= manager.first_addon_message && code <= manager.last_addon_message)
    format = manager.addon_message_table[code - manager.first_addon_message];
  if (!format) return "libjpeg error " + std::to_string(code);
  std::string text;
  for (const char* c = format; *c; ++c) {
    if (*c != '%') {
      text += *c;
      continue;
    }
    if (c[1] == '%') {
      text += *++c;
      continue;
    }
    while (c[1] && !std::strchr("diouxXcsfgeEp", c[1])) ++c;  // flags, width, length
    if (c[1]) ++c;
    if (text.size() >= 2 && text.compare(text.size() - 2, 2, "0x") == 0) text.resize(text.size() - 2);
    text += '?';
  }
  return text;
}

void on_message(j_common_ptr, int) {}  // warnings and traces: silent (libjpeg's default prints to stderr)

struct ScanLimit {
  jpeg_progress_mgr manager;  // first member
  JpegErrors* errors = nullptr;
};

void on_progress(j_common_ptr cinfo) {
  if (cinfo->is_decompressor) {
    auto* d = reinterpret_cast<j_decompress_ptr>(cinfo);
    if (d->input_scan_number > kMaxScans) {
      auto* limit = reinterpret_cast<ScanLimit*>(cinfo->progress);
      std::snprintf(limit->errors->message, sizeof limit->errors->message, "more than %d progressive scans", kMaxScans);
      longjmp(limit->errors->jump, 1);
    }
  }
}

// Everything that can longjmp is in here; returns false with errors.message set on a library error.
bool read_jpeg(jpeg_decompress_struct& cinfo, JpegErrors& errors, const uint8_t* data, size_t size,
               const DecodeLimits& limits, DecodedImage& image, std::string& problem, DecodeStatus& status) {
  if (setjmp(errors.jump)) return false;
  jpeg_mem_src(&cinfo, data, static_cast<unsigned long>(size));
  jpeg_read_header(&cinfo, TRUE);
  const long long width = cinfo.image_width, height = cinfo.image_height;
  status = check_pixel_limit(width, height, limits, problem);
  if (status != DecodeStatus::ok) return true;
  // Every 8x8 block costs at least a bit (a DC code), so a file cannot hold more than 512 pixels per byte of one
  // component; kJpegPixelsPerByte allows twice that (and 64 Ki pixels for tiny files).
  const long long most = static_cast<long long>(size) * kJpegPixelsPerByte + (1 << 16);
  status = check_file_holds(width, height, width * height <= most ? 0 : static_cast<long long>(size) + 1, size,
                            "a JPEG", limits, problem);
  if (status != DecodeStatus::ok) return true;
  if (cinfo.num_components != 1 && cinfo.num_components != 3) {
    if (limits.quote_content)
      std::snprintf(errors.message, sizeof errors.message, "%d colour components (CMYK?) are not supported",
                    cinfo.num_components);
    else
      std::snprintf(errors.message, sizeof errors.message, "colour components other than 1 or 3 (CMYK?)");
    return false;
  }
  cinfo.out_color_space = cinfo.num_components == 1 ? JCS_GRAYSCALE : JCS_RGB;
  // The decoder's own working memory (a progressive file keeps all coefficients: 2 bytes per sample).
  cinfo.mem->max_memory_to_use = static_cast<long>(8 * width * height + (16 << 20));
  jpeg_start_decompress(&cinfo);
  const int channels = cinfo.output_components;
  if ((channels != 1 && channels != 3) || static_cast<long long>(cinfo.output_width) != width ||
      static_cast<long long>(cinfo.output_height) != height) {
    std::snprintf(errors.message, sizeof errors.message, "unexpected output layout");
    return false;
  }
  allocate_image(image, static_cast<int>(width), static_cast<int>(height), channels);
  while (cinfo.output_scanline < cinfo.output_height) {
    JSAMPROW row = image.pixels.data() + static_cast<size_t>(cinfo.output_scanline) * width * channels;
    if (jpeg_read_scanlines(&cinfo, &row, 1) != 1) {
      std::snprintf(errors.message, sizeof errors.message, "the decoder stopped early");
      return false;
    }
  }
  jpeg_finish_decompress(&cinfo);
  return true;
}
}  // namespace

DecodeStatus decode_jpeg(const uint8_t* data, size_t size, const DecodeLimits& limits, DecodedImage& image,
                         std::string& problem) {
  jpeg_decompress_struct cinfo{};
  JpegErrors errors;
  cinfo.err = jpeg_std_error(&errors.manager);
  errors.manager.error_exit = on_error;
  errors.manager.emit_message = on_message;
  ScanLimit scan_limit;
  scan_limit.manager.progress_monitor = on_progress;
  scan_limit.errors = &errors;
  if (setjmp(errors.jump)) {  // jpeg_create_decompress itself can fail (out of memory)
    problem = std::string("cannot decode JPEG: ") + errors.message;
    return DecodeStatus::unreadable;
  }
  jpeg_create_decompress(&cinfo);
  cinfo.progress = &scan_limit.manager;
  DecodeStatus status = DecodeStatus::ok;
  const bool finished = read_jpeg(cinfo, errors, data, size, limits, image, problem, status);
  // How far libjpeg had read: where the problem is, for a file whose bytes are not shown. At the end of the data
  // the memory source points at a fake end marker of its own, outside the file: the whole file was read then.
  const auto at = reinterpret_cast<uintptr_t>(cinfo.src ? cinfo.src->next_input_byte : data);
  const auto first = reinterpret_cast<uintptr_t>(data);
  const long long read_bytes = static_cast<long long>(at >= first && at - first <= size ? at - first : size);
  jpeg_destroy_decompress(&cinfo);
  if (!finished) {
    problem = "cannot decode JPEG: " + (limits.quote_content || !errors.from_library
                                            ? std::string(errors.message)
                                            : library_message_without_values(errors.manager) + " (libjpeg read " +
                                                  std::to_string(read_bytes) + " bytes)");
    return DecodeStatus::unreadable;
  }
  return status;
}
}  // namespace uhop
