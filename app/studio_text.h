// Texts the panels show for a snapshot, GUI-free so tests can prove them: the status line, the verdict of a
// retrieval run, and the names of the methods.
#pragma once
#include <cstdint>
#include <string>
#include <utility>

#include "session/session.h"

#include "studio_worker.h"

namespace studio {
enum class TextKind { neutral, good, bad, warning };

struct StatusText {
  std::string text;
  TextKind kind = TextKind::neutral;
};
// The status bar: the newest of the UI's own message (set when the worker had finished `ui_set_at` commands) and
// the worker's message or error for its last command. A command finished after the UI's message replaces it; a
// worker error or message belongs to the last command only (see StudioSnapshot). Empty text: nothing to say.
StatusText status_text(const std::string& ui_text, bool ui_error, uint64_t ui_set_at, const StudioSnapshot& s);

// A run's outcome for a badge or a Compare column. At t = 0 nothing was retrieved yet: neutral ("x_0, nearest #4
// Coat"), never a green "retrieved"; from t = 1 on good when the memory nearest to x_t is the target, else bad.
StatusText retrieval_verdict(const StudioSnapshot& s, bool baseline);

// The main run's method as the panels name it: "U-Hop (kernel)", "MHM (dot)", "Euclidean", "Manhattan"; and where
// it retrieves: "kernel space" for U-Hop, "pixel space" otherwise.
std::string method_label(uhop::Similarity similarity);
std::string retrieval_space(uhop::Similarity similarity);
// The Studio trains a d x d W (D = d by default): d is capped at the session's limit for W (uhop::kMaxWValues = 2^25
// doubles = 256 MiB, so d <= 5792; checked by a static_assert in studio_worker.cpp).
constexpr int kMaxStudioDim = 5792;
// The largest w x h below the cap with the aspect ratio of width x height (channels values per pixel): what the
// Studio offers when a folder of large images is refused. "WxH".
std::string size_within_cap(int width, int height, int channels, int max_dim = kMaxStudioDim);
// Above this d a Stage I step is slow: each costs about M d² (W is d x d; 200 images of 64x64, d = 4096, train at
// 0.3 steps/s on a laptop, 32x32 at 16 times that). The Memories panel then offers the same images downscaled.
constexpr int kQuickStudioDim = 1024;
// The size the Memories panel offers for a set of images with d above kQuickStudioDim: the largest w x h of their
// aspect with d' = w h c <= kQuickStudioDim; width 0 when there is nothing to offer (d small, or not images).
struct DownscaleHint {
  int width = 0, height = 0;
  long long dim = 0;  // d' = w h c
  std::string size() const { return std::to_string(width) + "x" + std::to_string(height); }
};
DownscaleHint downscale_hint(const uhop::MemorySet& set);

// What a Studio session of m memories of d values, with a D x d W, holds at its peak (bytes), a bound measured on
// this machine (docs/hostile-input.md): W and three Stage I buffers of its size (gradient, the optimizer's two),
// the kernel's d x d products for the U-Hop and MHM runs and their float copies, the heatmaps' and snapshots' copies
// of W, and M x max(d, D) per memory for the memories, features and the two runs' trajectories:
//   bytes = 8 (6 D d + 4 d^2 + 8 M max(d, D)).
long long studio_session_bytes(long long m, long long d, long long big_d);
// The largest d (with D = d) whose session fits `available` bytes at m memories; at least 1.
int studio_dim_within(long long m, uint64_t available);
// Bytes for people in GiB/MiB: "2.4 GB", "380 MB".
std::string gib_text(long long bytes);
// A Stage I loss that rose by more than 10 % of its magnitude in one step (the avg loss falls steadily when the
// learning rate suits the optimizer): the warning text, or empty.
std::string loss_jump_warning(const std::vector<uhop::Stage1Record>& log, uhop::Optimizer optimizer);
// "#index class" or, without classes, "#index file.png" (the file's name, where the memory has one): how thumbnails'
// tooltips, verdicts and the target's label name a memory.
std::string memory_name(const uhop::MemorySet& set, int index);
// The lr slider's range for an optimizer and schedule: where that optimizer's useful rates lie (Adam 1e-5..1, SGD
// 1e-3..10, the reference schedule's lr/sqrt(i!) 1e-2..100), widened to include `current` (a typed or preset value).
std::pair<double, double> lr_slider_range(uhop::Optimizer optimizer, uhop::Schedule schedule, double current);
}  // namespace studio
