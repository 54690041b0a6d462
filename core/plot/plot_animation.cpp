#include "plot_animation.h"

#include <fcntl.h>
#include <gif_lib.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "io/atomic_file.h"
#include "numerics/input_error.h"
#include "plot_heatmap.h"

extern char** environ;

namespace uhop {
namespace fs = std::filesystem;

const char* to_string(AnimationFormat f) {
  switch (f) {
    case AnimationFormat::gif:
      return "GIF";
    case AnimationFormat::mp4:
      return "MP4";
    case AnimationFormat::png_folder:
      return "PNG folder";
  }
  return "?";
}

AnimationFormat animation_format_of_path(const std::string& path) {
  if (path.empty()) throw InputError("an animation needs a file name (.gif, .mp4, or a folder for PNG frames)");
  if (path.back() == '/') return AnimationFormat::png_folder;
  const std::string name = fs::path(path).filename().string();
  const auto dot = name.find_last_of('.');
  if (dot == std::string::npos || dot == 0) return AnimationFormat::png_folder;
  std::string ext = name.substr(dot + 1);
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (ext == "gif") return AnimationFormat::gif;
  if (ext == "mp4") return AnimationFormat::mp4;
  throw input_error(path, "unknown animation format '." + ext + "' (use .gif, .mp4, or a folder name for PNG frames)");
}

std::string find_program_on_path(const std::string& program, const std::string& path_list) {
  std::istringstream dirs(path_list);
  for (std::string dir; std::getline(dirs, dir, ':');) {
    if (dir.empty()) continue;
    const std::string candidate = (fs::path(dir) / program).string();
    struct stat st {};
    if (::stat(candidate.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(candidate.c_str(), X_OK) == 0)
      return candidate;
  }
  return "";
}

std::string find_ffmpeg() {
  const char* path = std::getenv("PATH");
  return find_program_on_path("ffmpeg", path ? path : "");
}

// ---------------------------------------------------------------------------------------------------------------
// Median cut

QuantizedImage quantize_median_cut(const uint8_t* rgba, int width, int height, int max_colors) {
  QuantizedImage out;
  const size_t n = static_cast<size_t>(std::max(0, width)) * std::max(0, height);
  max_colors = std::clamp(max_colors, 1, 256);
  out.indices.assign(n, 0);
  if (n == 0) {
    out.palette = {0, 0, 0};
    return out;
  }
  constexpr int kBins = 1 << 15;
  const auto bin_of = [](const uint8_t* p) { return ((p[0] >> 3) << 10) | ((p[1] >> 3) << 5) | (p[2] >> 3); };
  std::vector<uint32_t> count(kBins, 0);
  std::vector<uint64_t> sum(kBins * 3, 0);  // exact mean colour per bin: flat UI colours come out unchanged
  for (size_t i = 0; i < n; ++i) {
    const uint8_t* p = rgba + i * 4;
    const int b = bin_of(p);
    ++count[b];
    sum[b * 3] += p[0], sum[b * 3 + 1] += p[1], sum[b * 3 + 2] += p[2];
  }
  std::vector<int> bins;
  for (int b = 0; b < kBins; ++b)
    if (count[b]) bins.push_back(b);
  const auto channel = [](int bin, int c) { return (bin >> (10 - 5 * c)) & 31; };

  struct Box {
    size_t begin, end;  // range of `bins`
    uint64_t weight;
    int longest, extent;  // the channel with the widest range, and that range
  };
  const auto measure = [&](size_t begin, size_t end) {
    Box box{begin, end, 0, 0, 0};
    int lo[3] = {31, 31, 31}, hi[3] = {0, 0, 0};
    for (size_t i = begin; i < end; ++i) {
      box.weight += count[bins[i]];
      for (int c = 0; c < 3; ++c)
        lo[c] = std::min(lo[c], channel(bins[i], c)), hi[c] = std::max(hi[c], channel(bins[i], c));
    }
    for (int c = 0; c < 3; ++c) {
      if (hi[c] - lo[c] > box.extent) box.extent = hi[c] - lo[c], box.longest = c;
    }
    return box;
  };
  std::vector<Box> boxes = {measure(0, bins.size())};
  while (static_cast<int>(boxes.size()) < max_colors) {
    // Split the box that covers the most pixels times its widest side; boxes of one bin cannot be split.
    size_t pick = boxes.size();
    double best = 0;
    for (size_t k = 0; k < boxes.size(); ++k) {
      const double score = static_cast<double>(boxes[k].weight) * boxes[k].extent;
      if (boxes[k].end - boxes[k].begin > 1 && score > best) best = score, pick = k;
    }
    if (pick == boxes.size()) break;
    const Box box = boxes[pick];
    std::sort(bins.begin() + box.begin, bins.begin() + box.end,
              [&](int a, int b) { return channel(a, box.longest) < channel(b, box.longest); });
    uint64_t acc = 0;
    size_t cut = box.begin + 1;
    for (size_t i = box.begin; i < box.end - 1; ++i) {
      acc += count[bins[i]];
      cut = i + 1;
      if (acc * 2 >= box.weight) break;
    }
    boxes[pick] = measure(box.begin, cut);
    boxes.push_back(measure(cut, box.end));
  }
  std::vector<uint8_t> entry_of(kBins, 0);
  out.palette.clear();
  for (size_t k = 0; k < boxes.size(); ++k) {
    uint64_t r = 0, g = 0, b = 0, w = 0;
    for (size_t i = boxes[k].begin; i < boxes[k].end; ++i) {
      const int bin = bins[i];
      entry_of[bin] = static_cast<uint8_t>(k);
      r += sum[bin * 3], g += sum[bin * 3 + 1], b += sum[bin * 3 + 2], w += count[bin];
    }
    out.palette.push_back(static_cast<uint8_t>((r + w / 2) / w));
    out.palette.push_back(static_cast<uint8_t>((g + w / 2) / w));
    out.palette.push_back(static_cast<uint8_t>((b + w / 2) / w));
  }
  for (size_t i = 0; i < n; ++i) out.indices[i] = entry_of[bin_of(rgba + i * 4)];
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// The writer

namespace {
std::string without_trailing_slashes(std::string path) {
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  return path;
}

std::string read_tail(const std::string& path) {
  std::ifstream in(path);
  std::string line, last;
  while (std::getline(in, line))
    if (!line.empty()) last = line;
  return last;
}

int gif_write(GifFileType* gif, const GifByteType* data, int length) {
  auto* sink = static_cast<std::pair<FILE*, std::atomic<uint64_t>*>*>(gif->UserData);
  const size_t written = std::fwrite(data, 1, static_cast<size_t>(length), sink->first);
  *sink->second += written;
  return static_cast<int>(written);
}
}  // namespace

struct AnimationWriter::Impl {
  std::string temp;  // the file or folder being written
  // GIF
  FILE* file = nullptr;
  GifFileType* gif = nullptr;
  std::pair<FILE*, std::atomic<uint64_t>*> sink{nullptr, nullptr};
  std::vector<uint8_t> previous;  // the last frame, to store only what changed
  int delay_cs = 10;
  // MP4
  pid_t pid = -1;
  int socket = -1;
  std::string log;

  void close_gif() {
    int err = 0;
    if (gif) EGifCloseFile(gif, &err);
    gif = nullptr;
    if (file) std::fclose(file);
    file = nullptr;
  }
  // Returns the child's exit status (-1 when it did not exit normally).
  int close_ffmpeg() {
    if (socket >= 0) ::close(socket);
    socket = -1;
    int status = 0;
    if (pid > 0) {
      while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
      }
    }
    pid = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
};

namespace {
std::string ffmpeg_for(const std::string& path) {
  const std::string ffmpeg = find_ffmpeg();
  if (ffmpeg.empty())
    throw input_error(path,
                      "MP4 needs the ffmpeg program, and there is none on PATH (install the Debian package "
                      "ffmpeg, or record a .gif or a PNG folder)");
  return ffmpeg;
}
}  // namespace

void check_animation_destination(const std::string& path) {
  const AnimationFormat format = animation_format_of_path(path);
  std::error_code ec;
  const fs::path parent = fs::path(without_trailing_slashes(path)).parent_path();
  if (!parent.empty() && !fs::is_directory(parent, ec))
    throw input_error(path, "the folder " + parent.string() + " does not exist");
  if (format == AnimationFormat::png_folder) {
    // The finished frames are renamed in over an empty folder, never through a link (the commit checks with lstat):
    // a link is refused here, before the frames are drawn.
    if (fs::is_symlink(fs::symlink_status(without_trailing_slashes(path), ec)))
      throw input_error(path, "is a symbolic link: PNG frames need a new or empty folder itself (name the folder)");
    const fs::file_status status = fs::status(path, ec);
    if (fs::exists(status) && !fs::is_directory(status))  // say what it is: /dev/full is no "non-empty folder"
      throw input_error(path, std::string(fs::is_character_file(status) ? "is a character device"
                                          : fs::is_fifo(status)         ? "is a FIFO"
                                          : fs::is_regular_file(status) ? "is an existing file"
                                                                        : "exists and is not a folder") +
                                  ": PNG frames need a new or empty folder (or name a .gif or .mp4 file)");
    if (fs::exists(status) && !fs::is_empty(path, ec))
      throw input_error(path, "already exists and is not an empty folder (PNG frames need a new folder)");
  } else {
    check_output_destination(path);  // a folder, a dangling link, a name too long, ...
  }
  if (format == AnimationFormat::mp4) ffmpeg_for(path);
}

void check_animation_frame_size(const std::string& path, int width, int height) {
  if (width <= 0 || height <= 0 || width > kMaxAnimationSide || height > kMaxAnimationSide)
    throw input_error(path, "frames of " + std::to_string(width) + " x " + std::to_string(height) +
                                " pixels cannot be recorded (1.." + std::to_string(kMaxAnimationSide) + " on a side)");
}

AnimationWriter::AnimationWriter(const std::string& path, int width, int height, double fps)
    : impl_(std::make_unique<Impl>()),
      format_(animation_format_of_path(path)),
      path_(path),
      width_(width),
      height_(height) {
  check_animation_frame_size(path, width, height);
  if (!(fps >= 1 && fps <= 60)) throw input_error(path, "fps must be 1..60");
  Impl& m = *impl_;
  std::error_code ec;
  check_animation_destination(path);
  const fs::path parent = fs::path(without_trailing_slashes(path)).parent_path();
  remove_dead_writers_temps(parent.string());  // what a killed recording left here (its pid no longer alive)
  if (format_ == AnimationFormat::png_folder) {
    m.temp = temp_path_beside(path);
    fs::remove_all(m.temp, ec);
    if (!fs::create_directory(m.temp, ec))
      throw input_error(path, "cannot create a folder here (" + (ec ? ec.message() : std::string("exists")) + ")");
  } else {
    // Like every output (core/io/atomic_file.h): a symlink is written through, a device, FIFO or socket is streamed
    // to at the end (its frames wait in a temp file of the system's temp folder), never replaced by a file.
    const std::string name = fs::path(path).filename().string();
    m.temp = temp_path_beside(output_is_streamed(path) ? (fs::temp_directory_path(ec) / name).string() : path);
  }
  if (format_ == AnimationFormat::gif) {
    const int fd = ::open(m.temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
    m.file = fd >= 0 ? ::fdopen(fd, "wb") : nullptr;
    if (!m.file) {
      const int error = errno;
      if (fd >= 0) ::close(fd);
      m.temp.clear();
      throw input_error(path, std::string("cannot write here (") + std::strerror(error) + ")");
    }
    m.sink = {m.file, &bytes_};
    int err = 0;
    m.gif = EGifOpen(&m.sink, gif_write, &err);
    if (!m.gif) {
      m.close_gif();
      std::remove(m.temp.c_str());
      throw input_error(path, std::string("GIF: ") + GifErrorString(err));
    }
    EGifSetGifVersion(m.gif, true);
    m.delay_cs = std::max(2, static_cast<int>(std::lround(100 / fps)));
    bool ok = EGifPutScreenDesc(m.gif, width, height, 8, 0, nullptr) == GIF_OK;
    // NETSCAPE2.0: loop forever.
    const unsigned char app[] = "NETSCAPE2.0", loop[] = {1, 0, 0};
    ok = ok && EGifPutExtensionLeader(m.gif, APPLICATION_EXT_FUNC_CODE) == GIF_OK &&
         EGifPutExtensionBlock(m.gif, 11, app) == GIF_OK && EGifPutExtensionBlock(m.gif, 3, loop) == GIF_OK &&
         EGifPutExtensionTrailer(m.gif) == GIF_OK;
    if (!ok) {
      m.close_gif();
      std::remove(m.temp.c_str());
      throw input_error(path, "cannot write the GIF header");
    }
  } else if (format_ == AnimationFormat::mp4) {
    const std::string ffmpeg = ffmpeg_for(path);
    int fds[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0)
      throw input_error(path, std::string("cannot start ffmpeg: ") + std::strerror(errno));
    m.log = temp_path_beside((fs::path(m.temp).parent_path() / (fs::path(path).filename().string() + ".log")).string());
    char size[32], rate[32];
    std::snprintf(size, sizeof size, "%dx%d", width, height);
    std::snprintf(rate, sizeof rate, "%g", fps);
    // Raw RGBA frames on stdin -> H.264 in yuv420p (sizes padded to even numbers, which the codec needs).
    std::vector<std::string> args = {
        ffmpeg,      "-hide_banner", "-loglevel", "error",   "-y",   "-f",
        "rawvideo",  "-pix_fmt",     "rgba",      "-s",      size,   "-framerate",
        rate,        "-i",           "pipe:0",    "-an",     "-c:v", "libx264",
        "-preset",   "veryfast",     "-pix_fmt",  "yuv420p", "-vf",  "pad=ceil(iw/2)*2:ceil(ih/2)*2",
        "-movflags", "+faststart",   "-f",        "mp4",     m.temp};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, fds[1], 0);
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 2, m.log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int rc = posix_spawn(&m.pid, ffmpeg.c_str(), &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    ::close(fds[1]);
    m.socket = fds[0];
    if (rc != 0) {
      m.pid = -1;
      m.close_ffmpeg();
      std::remove(m.log.c_str());
      throw input_error(path, std::string("cannot start ffmpeg: ") + std::strerror(rc));
    }
  }
}

AnimationWriter::~AnimationWriter() {
  Impl& m = *impl_;
  std::error_code ec;
  m.close_gif();
  if (m.pid > 0) {
    ::kill(m.pid, SIGTERM);
    m.close_ffmpeg();
  }
  if (!m.log.empty()) fs::remove(m.log, ec);
  if (!m.temp.empty()) fs::remove_all(m.temp, ec);
}

void AnimationWriter::add_frame(const uint8_t* rgba) {
  Impl& m = *impl_;
  if (m.temp.empty()) throw input_error(path_, "the animation is already finished");
  const size_t size = static_cast<size_t>(width_) * height_ * 4;
  const int index = frames_ + 1;
  if (format_ == AnimationFormat::png_folder) {
    char name[32];
    std::snprintf(name, sizeof name, "frame-%05d.png", index);
    const std::vector<uint8_t> png = encode_rgba_png(rgba, width_, height_);
    std::ofstream out(fs::path(m.temp) / name, std::ios::binary);
    out.write(reinterpret_cast<const char*>(png.data()), static_cast<std::streamsize>(png.size()));
    if (png.empty() || !out) throw input_error(path_, std::string("cannot write ") + name);
    bytes_ += png.size();
  } else if (format_ == AnimationFormat::mp4) {
    size_t sent = 0;
    while (sent < size) {
      const ssize_t k = ::send(m.socket, rgba + sent, size - sent, MSG_NOSIGNAL);
      if (k < 0 && errno == EINTR) continue;
      if (k <= 0) {
        m.close_ffmpeg();
        const std::string why = read_tail(m.log);
        throw input_error(path_, "ffmpeg stopped taking frames" + (why.empty() ? std::string() : ": " + why));
      }
      sent += static_cast<size_t>(k);
    }
    struct stat st {};
    if (::stat(m.temp.c_str(), &st) == 0) bytes_ = static_cast<uint64_t>(st.st_size);
  } else {
    // Only the rectangle that changed since the previous frame is stored (the rest stays on screen); an unchanged
    // frame is one pixel, so its delay still counts.
    int x0 = 0, y0 = 0, x1 = width_, y1 = height_;
    if (!m.previous.empty()) {
      x0 = width_, y0 = height_, x1 = 0, y1 = 0;
      for (int y = 0; y < height_; ++y) {
        const uint32_t* a = reinterpret_cast<const uint32_t*>(rgba) + static_cast<size_t>(y) * width_;
        const uint32_t* b = reinterpret_cast<const uint32_t*>(m.previous.data()) + static_cast<size_t>(y) * width_;
        if (std::memcmp(a, b, static_cast<size_t>(width_) * 4) == 0) continue;
        y0 = std::min(y0, y), y1 = y + 1;
        for (int x = 0; x < width_; ++x)
          if (a[x] != b[x]) x0 = std::min(x0, x), x1 = std::max(x1, x + 1);
      }
      if (x1 <= x0) x0 = 0, y0 = 0, x1 = 1, y1 = 1;
    }
    const int w = x1 - x0, h = y1 - y0;
    std::vector<uint8_t> part(static_cast<size_t>(w) * h * 4);
    for (int y = 0; y < h; ++y)
      std::memcpy(&part[static_cast<size_t>(y) * w * 4], rgba + (static_cast<size_t>(y0 + y) * width_ + x0) * 4,
                  static_cast<size_t>(w) * 4);
    const QuantizedImage q = quantize_median_cut(part.data(), w, h, 256);
    const int colors = static_cast<int>(q.palette.size() / 3);
    int table = 2;
    while (table < colors) table *= 2;  // giflib wants a power of two
    std::vector<GifColorType> entries(static_cast<size_t>(table), GifColorType{0, 0, 0});
    for (int k = 0; k < colors; ++k) entries[k] = {q.palette[k * 3], q.palette[k * 3 + 1], q.palette[k * 3 + 2]};
    ColorMapObject* map = GifMakeMapObject(table, entries.data());
    GraphicsControlBlock gcb{};
    gcb.DisposalMode = DISPOSE_DO_NOT;
    gcb.UserInputFlag = false;
    gcb.DelayTime = m.delay_cs;
    gcb.TransparentColor = NO_TRANSPARENT_COLOR;
    GifByteType ext[4];
    EGifGCBToExtension(&gcb, ext);
    bool ok = map && EGifPutExtension(m.gif, GRAPHICS_EXT_FUNC_CODE, 4, ext) == GIF_OK &&
              EGifPutImageDesc(m.gif, x0, y0, w, h, false, map) == GIF_OK;
    for (int y = 0; ok && y < h; ++y)
      ok = EGifPutLine(m.gif, const_cast<GifPixelType*>(&q.indices[static_cast<size_t>(y) * w]), w) == GIF_OK;
    if (map) GifFreeMapObject(map);
    if (!ok || std::ferror(m.file)) throw input_error(path_, "cannot write the GIF frame (disk full?)");
    m.previous.assign(rgba, rgba + size);
  }
  ++frames_;
}

void AnimationWriter::finish() {
  StagedFiles outputs;
  finish_into(outputs);
  outputs.commit();
}

void AnimationWriter::finish_into(StagedFiles& outputs) {
  Impl& m = *impl_;
  if (m.temp.empty()) return;
  if (frames_ == 0) throw input_error(path_, "no frames were recorded");
  std::error_code ec;
  if (format_ == AnimationFormat::gif) {
    int err = 0;
    const bool ok = EGifCloseFile(m.gif, &err) == GIF_OK;
    m.gif = nullptr;
    const bool flushed = std::fflush(m.file) == 0 && ::fsync(fileno(m.file)) == 0;
    std::fclose(m.file);
    m.file = nullptr;
    if (!ok || !flushed) throw input_error(path_, "cannot finish the GIF (disk full?)");
  } else if (format_ == AnimationFormat::mp4) {
    const int status = m.close_ffmpeg();
    if (status != 0) {
      const std::string why = read_tail(m.log);
      throw input_error(path_, "ffmpeg failed (exit " + std::to_string(status) + ")" + (why.empty() ? "" : ": " + why));
    }
    fs::remove(m.log, ec);
    m.log.clear();
  }
  if (format_ != AnimationFormat::png_folder) {
    struct stat st {};
    if (::stat(m.temp.c_str(), &st) == 0) bytes_ = static_cast<uint64_t>(st.st_size);
    const std::string finished = m.temp;
    m.temp.clear();  // committed or removed by the commit, either way no longer ours
    outputs.add_finished(path_, finished);
    return;
  }
  const std::string finished = m.temp;
  m.temp.clear();
  outputs.add_finished_folder(without_trailing_slashes(path_), finished);
}
}  // namespace uhop
