// The guided story the Studio plays on first launch: a case where plain modern Hopfield (MHM) retrieves the wrong
// memory, Stage I training the kernel feature map W, and U-Hop then retrieving the right one, with one caption per
// step. The steps are script lines (studio_commands.h syntax), so the story drives the app exactly as a user or a
// script does. GUI-free: the UI calls update() once per frame and draws caption(); tests run it against a worker.
//
// Modes: autoplay (first launch, the Story button, the `story` command) goes through the steps on its own and any
// input stops it; tour (the Tour button, the `tour` command) waits on each step for Next (button, Right arrow,
// Page Down: what a presenter's clicker sends) and goes back with Back (Left arrow, Page Up).
#pragma once
#include <string>
#include <vector>

#include "studio_worker.h"

namespace studio {
// What a step expects of the main run (U-Hop) once its commands finished: its caption says so, and when the outcome
// differs (another data set, changed code) the step says what happened instead of telling a wrong story.
enum class StoryExpect { nothing, target_retrieved, wrong_memory };

struct StoryStep {
  std::string title;    // a few words, for the step list
  std::string running;  // said while the commands run (empty: the caption)
  std::string caption;  // said once they finished; {target}, {uhop}, {mhm}: names (see caption())
  StoryExpect expect = StoryExpect::nothing;
  std::string caption_otherwise;      // said instead when the outcome is not the expected one
  std::vector<std::string> commands;  // sent in order when the step begins
  std::vector<std::string> fast;      // the same end state at once (replaying earlier steps for Back); empty = commands
  double dwell = 3;                   // autoplay: seconds the caption stays once the commands finished; < 0 = forever
  std::vector<std::string> show;      // panels to bring to front where the layout shows panels as tabs
};

// The story: 20 Fashion-MNIST items, a noisy coat, MHM retrieves a pullover, 50 Stage I steps, U-Hop retrieves the
// coat (the case of assets/presets/mhm-confuses-look-alikes.json, which a test checks).
const std::vector<StoryStep>& story_steps();

enum class StoryMode { off, autoplay, tour };

class StoryPlayer {
 public:
  explicit StoryPlayer(std::vector<StoryStep> steps = story_steps()) : steps_(std::move(steps)) {}

  void start(StoryMode mode);  // from the first step
  void stop();                 // the app stays as the story left it
  void next();                 // tour: the next step; autoplay: skip the rest of the dwell
  void back();                 // tour: the previous step, replayed from the start without animation

  // Once per frame (and whenever the worker publishes): begins a step by sending its commands, and moves on when
  // the worker has finished them (idle) and the dwell has passed (autoplay) or next() was asked (tour).
  void update(StudioWorker& worker, double now_seconds);
  // Seconds until update() has something to do on its own (the UI may sleep that long); a large number when none.
  double seconds_to_next_event(double now_seconds) const;

  // Autoplay's pace: seconds each caption stays once its step finished (0: each step's own dwell). The last step
  // stays until input either way.
  void set_pace(double seconds) { pace_ = seconds > 0 ? seconds : 0; }
  double pace() const { return pace_; }
  // The longest text a step can show (caption, running text or the other outcome): the UI sizes the caption bar for
  // it once, so captions never push the panels up and down between steps.
  const std::string& longest_text() const;

  StoryMode mode() const { return mode_; }
  bool active() const { return mode_ != StoryMode::off; }
  int step() const { return step_; }
  int steps() const { return static_cast<int>(steps_.size()); }
  bool step_done() const { return step_started_ && commands_finished_; }
  // Autoplay has shown its last step (the caption stays until input).
  bool at_end() const { return step_ == steps() - 1 && step_done(); }
  // The current step's caption with {target}, {uhop} and {mhm} replaced by the class names (else "#index") of the
  // target, the main run's nearest memory and MHM's nearest memory in snapshot s.
  std::string caption(const StudioSnapshot& s) const;
  const std::string& title() const { return steps_.at(step_).title; }
  const StoryStep& current() const { return steps_.at(step_); }
  // Increases every time a step begins (the UI brings the step's panels to front once per step).
  int serial() const { return serial_; }

 private:
  void begin_step(StudioWorker& worker, bool fast_replay_before);
  double dwell(const StoryStep& s) const { return s.dwell >= 0 && pace_ > 0 ? pace_ : s.dwell; }

  std::vector<StoryStep> steps_;
  StoryMode mode_ = StoryMode::off;
  int step_ = 0;
  bool step_started_ = false;  // its commands were sent
  bool commands_finished_ = false;
  bool replay_before_ = false;  // back(): replay steps 0..step_-1 fast before this one
  bool advance_ = false;        // next() asked
  double finished_at_ = 0;      // when the worker finished the step's commands
  uint64_t expected_done_ = 0;  // worker commands_done once the step's commands are all processed
  int serial_ = 0;
  double pace_ = 0;
};
}  // namespace studio
