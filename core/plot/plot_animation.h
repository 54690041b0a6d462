// Animations from RGBA frames: an animated GIF (giflib; our own median-cut palette per frame, only the changed
// rectangle of each frame stored), an MP4 (H.264, by piping raw frames to the `ffmpeg` program found on PATH) or a
// folder of numbered PNGs, chosen by the path. Like every output, the result appears only when finish() succeeds:
// frames go to a temp file/folder beside the target, renamed into place at the end. Used by the Studio's recorder
// (app/recorder.h, on its encoder thread) and by `uhop replay --animate`.
#pragma once
#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "io/atomic_file.h"

namespace uhop {
enum class AnimationFormat { gif, mp4, png_folder };
const char* to_string(AnimationFormat format);
// ".gif" and ".mp4" (any case); a path ending in '/' or whose last part has no extension is a PNG folder; other
// extensions throw InputError naming the path.
AnimationFormat animation_format_of_path(const std::string& path);

// The full path of an executable `program` in the colon-separated directory list `path_list` (like $PATH); empty
// when there is none.
std::string find_program_on_path(const std::string& program, const std::string& path_list);
// ffmpeg on the process's $PATH, or empty.
std::string find_ffmpeg();

// At most max_colors colours for an RGBA8 image: median cut over a 5-bit-per-channel histogram (each box split at
// the weighted median of its longest side), the palette the mean colour of each box. indices[i] is pixel i's entry.
struct QuantizedImage {
  std::vector<uint8_t> palette;  // r, g, b per entry
  std::vector<uint8_t> indices;  // one per pixel
};
QuantizedImage quantize_median_cut(const uint8_t* rgba, int width, int height, int max_colors = 256);

// Throws InputError, as AnimationWriter's constructor would, when path cannot receive an animation: an unknown
// extension, a missing folder, an existing non-empty PNG folder (or a non-folder there), a file output that
// check_output_destination refuses, an MP4 without ffmpeg on PATH. Front ends call it before any work.
void check_animation_destination(const std::string& path);

// The largest frame side an AnimationWriter takes (GIF's 16-bit sizes allow more; an 8K frame is the sane end).
constexpr int kMaxAnimationSide = 8192;
// Throws InputError naming path when width x height frames cannot be recorded (a side outside 1..kMaxAnimationSide),
// with the message AnimationWriter's constructor gives.
void check_animation_frame_size(const std::string& path, int width, int height);

class AnimationWriter {
 public:
  // Opens the output for width x height frames at `fps` frames per second (GIF delays are whole hundredths of a
  // second: round(100 / fps), at least 2). Throws InputError naming the path: unknown extension, a folder that
  // cannot be written, an existing non-empty PNG folder, an MP4 without ffmpeg on PATH, a bad size or fps.
  AnimationWriter(const std::string& path, int width, int height, double fps);
  ~AnimationWriter();  // without finish(): the partial output is removed
  AnimationWriter(const AnimationWriter&) = delete;
  AnimationWriter& operator=(const AnimationWriter&) = delete;

  void add_frame(const uint8_t* rgba);  // width * height * 4 bytes, rows top to bottom; throws InputError
  void finish();                        // completes the file and renames it into place; throws InputError
  // Completes the file (or frames folder) and adds it to `outputs` instead: it appears when they are committed,
  // together with the other outputs of the command, or not at all.
  void finish_into(StagedFiles& outputs);

  AnimationFormat format() const { return format_; }
  const std::string& path() const { return path_; }
  int width() const { return width_; }
  int height() const { return height_; }
  int frames() const { return frames_; }
  uint64_t bytes() const { return bytes_; }  // written so far (safe to read from another thread)

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  AnimationFormat format_;
  std::string path_;
  int width_, height_;
  std::atomic<int> frames_{0};
  std::atomic<uint64_t> bytes_{0};
};
}  // namespace uhop
