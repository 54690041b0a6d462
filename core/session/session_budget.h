// What a session file (or a Studio link) asks the machine to do, checked before the bulk of anything is loaded or
// computed (issue 24 item 6; docs/hostile-input.md "Limits chosen"). A session file is data that may come from
// someone else: a 667-byte file naming 20,000 Fashion-MNIST memories at 76 x 76 ran for minutes at 4.9 GB, one
// asking for a million Stage I steps for hours. Unless the user asks for it (uhop replay --allow-large, the Studio's
// "Open anyway"), a session may declare what a file named on the command line gives without flags (LoadOptions'
// default caps: M, M x d and d, here for D too) and a run of at most kMaxSessionWork multiply-adds.
#pragma once
#include <string>

#include "data/memory_sources.h"
#include "session.h"

namespace uhop {
// What a run declares: its memories and the steps it takes.
struct DeclaredWork {
  long long memories = 0;     // M
  long long dim = 0;          // d, values per memory
  long long feature_dim = 0;  // D (0 = d)
  long long stage1_steps = 0;
  long long stage1_batch = 0;  // memories per Stage I step (batch, or train count); 0 = all M
  long long stats_every = 1;   // Stage I rows with the statistics over all M: 0, K, 2K, ... and the last
  long long stage2_steps = 0;
  // An animation (uhop replay --animate) on top of the replay: Stage I is taken a second time for the frames, Stage
  // II is rerun (stage2_steps each) for every Stage I frame, and every frame is drawn and encoded.
  long long stage2_reruns = 0;
  long long frames = 0;
  long long frame_rows = 0;  // Stage I log rows the frames hold and draw, summed over the frames
  bool stage1_twice = false;
};

// The cost model behind the budget, in multiply-adds (a bound, not a prediction): building the session (features of
// all M and MHM's pair statistics: M D d + M² d), per Stage I step 2 B D d + B² D for its B memories plus 20 D d for
// the passes over W (update, previous W, ||W - W_0||, Adam's moments: what dominates at small M), per statistics row
// M D d + M² D, per Stage II step 2 (M D + D d) for the run and the MHM baseline. An animation adds Stage I again,
// the Stage II reruns and kFrameMultiplyAdds per frame.
double declared_multiply_adds(const DeclaredWork& work);
// One animation frame (six 400 x 300 plots drawn with cairo, composed and GIF-encoded) took 21 to 30 ms here,
// counted as 2e8 multiply-adds (the rate of the model above on one core).
constexpr double kFrameMultiplyAdds = 2e8;
// Each frame keeps and draws the Stage I log up to its step: a session of 2 one-pixel glyphs and 20,000 steps (its
// steps cost nothing) reached 2.19 GB and 199 s animated, about 220 bytes and 20 us per row held. Counted as 1e5
// multiply-adds a row, so the budget holds an animation to about 3e6 rows (660 MB).
constexpr double kFrameRowMultiplyAdds = 1e5;
// 3e11 multiply-adds: the model runs here at 7 to 19 G per second of one core (5 glyphs: 2000 steps in 6.3 s of CPU,
// 20 Fashion-MNIST items 2000 steps in 8.5 s, 200 items 200 steps in 4.6 s), so at most about 16 to 45 s of one
// core. 10,000 steps of 5 glyphs (2.2e11) pass; 20,000 (4.3e11) and a million do not.
constexpr double kMaxSessionWork = 3e11;

// Throws InputError when `work` is more than a session file may ask for without the user asking: M above
// LoadOptions::default_max_count, d or D above default_max_dim, M x max(d, D) above default_max_values, or more than
// kMaxSessionWork multiply-adds. The message states the declared size, the limit and how to ask (`how_to_allow`,
// e.g. "replay it with --allow-large").
void check_declared_work(const DeclaredWork& work, const std::string& what, const std::string& how_to_allow);

// The work of a session whose memories load as `count` memories of `shape` (what the loader will take).
// animated: the work of `uhop replay --animate` (the replay and its animation, see DeclaredWork).
struct SessionFile;
DeclaredWork declared_work(const SessionFile& file, long long count, const ImageShape& shape, bool animated = false);

// restore_session's checks, unless the user asked for the session whatever its size: load options whose check_fits
// also checks the declared work of `file` as soon as the loader knows the count and shape (before the bulk is read),
// and the same check on what was loaded (for a loader that never asked).
LoadOptions with_declared_work_check(LoadOptions load, const SessionFile& file, bool animated = false);
void check_loaded_work(const SessionFile& file, const MemorySet& memories, bool animated = false);
// uhop replay --animate draws one frame per Stage II step (Stage I's are thinned to 400), and keeps each frame's logs:
// a session with 300 Stage II steps took 92 MB and 2.8 s of CPU, growing as T² in memory (10,000 declared steps would
// need gigabytes; 1000 took 81 s at 1.03 GB, the audit's rerun). Without --allow-large an animation takes at most
// this many Stage II steps.
constexpr long long kMaxAnimatedStage2Steps = 300;
void check_animated_steps(const SessionFile& file);
// An animation shows at most this many Stage I steps (every k-th, always the last): its Stage I frames for n steps.
constexpr long long kMaxAnimatedStage1Frames = 400;
long long animated_stage1_frames(long long stage1_steps);

// How a refused session is asked for anyway, in the messages.
constexpr const char* kAllowLargeSession = "ask for it (uhop replay --allow-large; the Studio: Open anyway)";

// What a source will give, known before it is read: count (or, without one, all of a built-in set, else the
// default count cap) and d (width x height x channels when a size is set, 784 for the built-in sets, else 0: the
// file's own size, which the loader holds to LoadOptions::default_max_dim).
long long declared_count(const std::string& source, const LoadOptions& load);
long long declared_dim(const std::string& source, const LoadOptions& load);
}  // namespace uhop
