// Records the Studio while it plays: frames (RGBA, captured by the GUI after rendering, app/recorder_ui.cpp) go into
// a bounded queue; an encoder thread writes them with uhop::AnimationWriter (GIF, MP4 through ffmpeg, or a folder of
// PNGs), so encoding never stalls the UI. When the queue is full a new frame is dropped and counted (shown in the
// readout) rather than blocking the frame loop or growing memory. No GL, no ImGui: unit-tested in tests/app/.
//
//   recorder.start("run.gif", "", 10);                 // throws InputError: bad path, unknown format, no ffmpeg
//   if (recorder.wants_frame(now)) recorder.add_frame(rgba, w, h, now);   // every frame, after rendering
//   recorder.stop();                                    // the encoder finishes the queue and the file
// The destructor (window closed) stops and waits, so the file is always finalized.
#pragma once
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "plot/plot_animation.h"
#include "studio_commands.h"  // WorkerThreading

namespace studio {
// A file size for people: "812 B", "46 KB", "1.2 MB", "3.4 GB" (1000-based, as file managers show them).
std::string byte_size_text(uint64_t bytes);
// A recording's height at out_width from a captured source_width x source_height (aspect kept, rounded; out_width 0:
// the source's height).
int recording_height(int source_width, int source_height, int out_width);

struct RecordStatus {
  bool recording = false;  // taking frames
  bool finishing = false;  // stopped, the encoder still writing
  std::string path, panel;
  uhop::AnimationFormat format = uhop::AnimationFormat::gif;
  double fps = 10;
  int width = 0, height = 0;                // the output's frame size (from the first frame and out_width)
  int source_width = 0, source_height = 0;  // the captured size (the first frame's)
  int out_width = 0;                        // asked for at start: 0 = as captured
  long captured = 0, written = 0, dropped = 0, queued = 0;
  uint64_t bytes = 0;        // written to the output so far
  double seconds = 0;        // of recorded video (written / fps)
  std::string error;         // the encoder failed (the partial output is removed)
  std::string finished;      // the message of the last finished recording ("recorded 42 frames to ...")
  uint64_t finished_id = 0;  // increases with each finished (or failed) recording
};

class Recorder {
 public:
  // max_queued_bytes bounds the frames waiting for the encoder (and so the memory a slow encoder can take).
  explicit Recorder(size_t max_queued_bytes = size_t(160) << 20);
  ~Recorder();
  Recorder(const Recorder&) = delete;
  Recorder& operator=(const Recorder&) = delete;

  // Checks the path (format, folder, ffmpeg for MP4) and starts. panel: "" for the whole window. fps 1..60.
  // out_width: the recording's width in pixels (16..7680), its height following the first frame's aspect ratio;
  // frames are resampled on the encoder thread. 0 records at the captured (on-screen) size.
  // Throws uhop::InputError; refuses while a recording is running or finishing.
  void start(const std::string& path, const std::string& panel, double fps, int out_width = 0);
  // True when a frame is due at time `now` (seconds, any monotonic clock).
  bool wants_frame(double now) const;
  // A captured frame (RGBA8, rows top to bottom). Every frame gets the first frame's size: larger ones are cropped
  // and smaller ones padded with the edge colour, so a panel that is resized mid-recording still records; then it is
  // resampled to the output size when out_width asked for one. An output size past the writer's cap (8192 a side,
  // uhop::kMaxAnimationSide) stops the recording at that frame, with the reason in status().error.
  void add_frame(const std::vector<uint8_t>& rgba, int width, int height, double now);
  void stop();  // returns at once; the encoder thread (or the next pumps) finalizes
  // Where there are no threads (the browser): encode queued frames for about budget_seconds, and finalize the file
  // once stopped and drained. Call between frames after set_threading(pump) (before a recording starts).
  void set_threading(WorkerThreading threading);
  void pump(double budget_seconds);
  void finish();  // stop and wait until the file is complete
  RecordStatus status() const;
  bool active() const;  // recording or finishing

 private:
  void encode_loop();
  std::vector<uint8_t> take_frame();  // the queue's front (mutex_ held)
  void encode(const std::vector<uint8_t>& frame);
  void finalize();
  bool pumped_ = false;
  std::string encode_error_;  // the encoder's first failure (the encoder's own)
  std::string size_error_;    // frames of a size the writer cannot take (set by add_frame, under mutex_)

  const size_t max_queued_bytes_;
  mutable std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<std::vector<uint8_t>> queue_;
  size_t queued_bytes_ = 0;
  bool stop_requested_ = false;
  double next_frame_time_ = -1;
  RecordStatus status_;
  std::unique_ptr<uhop::AnimationWriter> writer_;  // owned by the encoder thread while it runs
  std::thread thread_;
};
}  // namespace studio
