#include "recorder.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <filesystem>

#include "data/image_preprocess.h"
#include "numerics/input_error.h"

namespace studio {
std::string byte_size_text(uint64_t bytes) {
  char buf[32];
  const double b = static_cast<double>(bytes);
  if (bytes < 1000)
    std::snprintf(buf, sizeof buf, "%llu B", static_cast<unsigned long long>(bytes));
  else if (b < 999.5e3)
    std::snprintf(buf, sizeof buf, "%.0f KB", b / 1e3);
  else if (b < 999.5e6)
    std::snprintf(buf, sizeof buf, "%.1f MB", b / 1e6);
  else
    std::snprintf(buf, sizeof buf, "%.1f GB", b / 1e9);
  return buf;
}

Recorder::Recorder(size_t max_queued_bytes) : max_queued_bytes_(max_queued_bytes) {}

void Recorder::set_threading(WorkerThreading threading) {
  if (!active()) pumped_ = threading == WorkerThreading::pump;
}

Recorder::~Recorder() {
  finish();
}

int recording_height(int source_width, int source_height, int out_width) {
  if (out_width <= 0 || source_width <= 0) return source_height;
  // h = round(H w / W), at least 1: the captured aspect ratio kept (MP4 pads an odd size to even).
  return std::max(1, static_cast<int>(std::lround(static_cast<double>(source_height) * out_width / source_width)));
}

void Recorder::start(const std::string& path, const std::string& panel, double fps, int out_width) {
  if (active()) throw uhop::InputError("record: a recording is already running (record stop first)");
  if (thread_.joinable()) thread_.join();  // the encoder of the previous, finished recording
  std::lock_guard<std::mutex> lock(mutex_);
  if (!(fps >= 1 && fps <= 60)) throw uhop::InputError("record: fps must be 1..60");
  if (out_width != 0 && (out_width < 16 || out_width > 7680))
    throw uhop::InputError("record: width must be 16..7680 pixels (or 0 for the size on screen), got " +
                           std::to_string(out_width));
  // What the writer would refuse, refused now with the same message (it opens the file at the first frame).
  const uhop::AnimationFormat format = uhop::animation_format_of_path(path);
  std::string plain = path;
  while (plain.size() > 1 && plain.back() == '/') plain.pop_back();
  const std::filesystem::path parent = std::filesystem::path(plain).parent_path();
  std::error_code ec;
  if (!parent.empty() && !std::filesystem::is_directory(parent, ec))
    throw uhop::input_error(path, "the folder " + parent.string() + " does not exist");
  if (format == uhop::AnimationFormat::mp4 && uhop::find_ffmpeg().empty())
    throw uhop::input_error(path,
                            "MP4 needs the ffmpeg program, and there is none on PATH (the desktop app with the Debian "
                            "package ffmpeg records MP4; or record a .gif or a PNG folder)");
  if (format == uhop::AnimationFormat::png_folder && std::filesystem::exists(plain, ec) &&
      !(std::filesystem::is_directory(plain, ec) && std::filesystem::is_empty(plain, ec)))
    throw uhop::input_error(path, "already exists and is not an empty folder (PNG frames need a new folder)");
  const uint64_t finished_id = status_.finished_id;
  const std::string finished = status_.finished;
  status_ = RecordStatus();
  status_.recording = true;
  status_.path = path, status_.panel = panel, status_.format = format, status_.fps = fps;
  status_.out_width = out_width;
  status_.finished_id = finished_id, status_.finished = finished;
  stop_requested_ = false;
  next_frame_time_ = -1;
  queue_.clear();
  queued_bytes_ = 0;
  if (!pumped_) thread_ = std::thread([this] { encode_loop(); });
}

bool Recorder::wants_frame(double now) const {
  std::lock_guard<std::mutex> lock(mutex_);
  return status_.recording && (next_frame_time_ < 0 || now >= next_frame_time_);
}

void Recorder::add_frame(const std::vector<uint8_t>& rgba, int width, int height, double now) {
  if (width <= 0 || height <= 0 || rgba.size() < static_cast<size_t>(width) * height * 4) return;
  std::unique_lock<std::mutex> lock(mutex_);
  if (!status_.recording) return;
  // The next frame is due one period later; after a stall (a slow frame) the clock restarts instead of bursting.
  const double period = 1 / status_.fps;
  next_frame_time_ = next_frame_time_ < 0 || now - next_frame_time_ > period ? now + period : next_frame_time_ + period;
  ++status_.captured;
  if (status_.source_width == 0) {
    status_.source_width = width, status_.source_height = height;
    status_.width = status_.out_width > 0 ? status_.out_width : width;
    status_.height = recording_height(width, height, status_.out_width);
  }
  // Every frame is recorded at the size the first one decided (cropped or padded below), so the writer's cap is
  // checked against that size, for each frame: a recording it cannot take stops here, at once, with the reason.
  try {
    uhop::check_animation_frame_size(status_.path, status_.width, status_.height);
  } catch (const uhop::InputError& e) {
    size_error_ = e.what();
    status_.error = size_error_;
    status_.recording = false;
    status_.finishing = true;
    stop_requested_ = true;
    cv_.notify_all();
    return;
  }
  const int w = status_.source_width, h = status_.source_height;
  const size_t bytes = static_cast<size_t>(w) * h * 4;
  if (queued_bytes_ + bytes > max_queued_bytes_ && !queue_.empty()) {
    ++status_.dropped;
    return;
  }
  lock.unlock();
  std::vector<uint8_t> frame(bytes);
  for (int y = 0; y < h; ++y) {
    const int sy = std::min(y, height - 1);
    uint8_t* dst = &frame[static_cast<size_t>(y) * w * 4];
    const uint8_t* src = &rgba[static_cast<size_t>(sy) * width * 4];
    const int copy = std::min(w, width);
    std::memcpy(dst, src, static_cast<size_t>(copy) * 4);
    for (int x = copy; x < w; ++x) std::memcpy(dst + x * 4, src + (copy - 1) * 4, 4);  // pad with the edge
  }
  lock.lock();
  queue_.push_back(std::move(frame));
  queued_bytes_ += bytes;
  status_.queued = static_cast<long>(queue_.size());
  cv_.notify_all();
}

void Recorder::stop() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!status_.recording) return;
  status_.recording = false;
  status_.finishing = true;
  stop_requested_ = true;
  cv_.notify_all();
}

void Recorder::finish() {
  stop();
  if (thread_.joinable()) thread_.join();
  while (pumped_ && active()) pump(1);
}

RecordStatus Recorder::status() const {
  std::lock_guard<std::mutex> lock(mutex_);
  RecordStatus s = status_;
  if (writer_) s.bytes = writer_->bytes();
  return s;
}

bool Recorder::active() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return status_.recording || status_.finishing;
}

void Recorder::encode_loop() {
  for (;;) {
    std::vector<uint8_t> frame;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      cv_.wait(lock, [&] { return !queue_.empty() || stop_requested_; });
      if (queue_.empty()) break;  // stop requested and everything written
      frame = take_frame();
    }
    encode(frame);
  }
  finalize();
}

void Recorder::pump(double budget_seconds) {
  if (!pumped_) return;
  const auto until = std::chrono::steady_clock::now() + std::chrono::duration<double>(budget_seconds);
  for (;;) {
    std::vector<uint8_t> frame;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (queue_.empty()) {
        if (!stop_requested_ || !status_.finishing) return;
        break;  // stopped and everything written: finalize below
      }
      frame = take_frame();
    }
    encode(frame);
    if (std::chrono::steady_clock::now() >= until) return;
  }
  finalize();
}

std::vector<uint8_t> Recorder::take_frame() {
  std::vector<uint8_t> frame = std::move(queue_.front());
  queue_.pop_front();
  queued_bytes_ -= frame.size();
  status_.queued = static_cast<long>(queue_.size());
  return frame;
}

void Recorder::encode(const std::vector<uint8_t>& frame) {
  if (!encode_error_.empty()) return;  // after a failure: drain the queue, write nothing
  std::string path;
  double fps = 10;
  int w = 0, h = 0, sw = 0, sh = 0;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    path = status_.path, fps = status_.fps, w = status_.width, h = status_.height;
    sw = status_.source_width, sh = status_.source_height;
  }
  try {
    if (!writer_) {
      auto writer = std::make_unique<uhop::AnimationWriter>(path, w, h, fps);
      std::lock_guard<std::mutex> lock(mutex_);
      writer_ = std::move(writer);
    }
    if (w == sw && h == sh)
      writer_->add_frame(frame.data());
    else  // resampled here, on the encoder's thread, never in the frame loop
      writer_->add_frame(uhop::resize_rgba8(frame.data(), sw, sh, w, h).data());
    std::lock_guard<std::mutex> lock(mutex_);
    ++status_.written;
    status_.seconds = status_.written / status_.fps;
  } catch (const std::exception& e) {
    encode_error_ = e.what();
  }
}

void Recorder::finalize() {
  std::string message, error = encode_error_;
  encode_error_.clear();
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!size_error_.empty()) error = size_error_;  // refused at the first frame: nothing was encoded
    size_error_.clear();
  }
  uint64_t bytes = 0;
  try {
    if (!error.empty()) throw uhop::InputError(error);
    if (!writer_) throw uhop::input_error(status().path, "no frames were recorded (nothing was on screen?)");
    writer_->finish();
    bytes = writer_->bytes();
  } catch (const std::exception& e) {
    error = e.what();
  }
  std::unique_ptr<uhop::AnimationWriter> done;
  std::lock_guard<std::mutex> lock(mutex_);
  done = std::move(writer_);  // destroyed after the lock: removes a partial output on failure
  status_.finishing = false;
  status_.bytes = bytes;
  status_.error = error;
  const std::string size = byte_size_text(bytes);
  const std::string where = std::filesystem::absolute(status_.path).lexically_normal().string();
  status_.finished = error.empty() ? "recorded " + std::to_string(status_.written) + " frames (" +
                                         std::to_string(status_.dropped) + " dropped, " + size + ") to " + where
                                   : "recording failed: " + error;
  ++status_.finished_id;
}
}  // namespace studio
