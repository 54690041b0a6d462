#include "story.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>

#include "numerics/input_error.h"
#include "numerics/query_margin.h"

namespace studio {
const std::vector<StoryStep>& story_steps() {
  // Every setting the story relies on is set here, so a replay after the user changed things tells the same story.
  static const std::vector<StoryStep> steps = {
      {"The memories and the query",
       "Loading 20 Fashion-MNIST images, two of each class...",
       "20 Fashion-MNIST images, two of each class, are stored as memories. The query is the {target} with a little "
       "Gaussian noise (σ = 0.1): can a Hopfield memory recover it?",
       StoryExpect::nothing,
       "",
       {"set speed1=20 stop_after=0 speed2=2 T=1 similarity=kernel alpha=1 topk=0 beta=1 beta_after_sep=0",
        "set init=identity dim=0 w_seed=0 lr=0.1 schedule=constant optimizer=sgd t=2 loss=avg normalize_rows=0 "
        "train_count=0",
        "load builtin:fashion-mnist count=20 offset=0 pick=per-class seed=1 size=0 rgb=0 norm=none", "target 4",
        "corrupt gaussian:0.1 seed=7"},
       {},
       4,
       {"stage2", "query", "memories"}},
      {"MHM retrieves the wrong memory",
       "Before training, W = I: U-Hop is plain modern Hopfield (MHM). One retrieval step: x_1 = Ξᵀ softmax(β Ξ x_0)...",
       "Before training, W = I: U-Hop is plain modern Hopfield (MHM). One retrieval step returns a {uhop}, not the "
       "{target}: at the query, the {target}'s pixel score minus the best rival's is {gap_mhm}, short of the "
       "ln(M-1)/β = {gap_half} that would give it half the weight.",
       StoryExpect::wrong_memory,
       "Before training, W = I: U-Hop is plain modern Hopfield (MHM). One retrieval step returns the {uhop}: MHM "
       "gets this query right.",
       {"stage2 reset", "stage2 play"},
       {"stage2 reset", "stage2 steps=1"},
       6,
       {"compare", "stage2"}},
      {"Stage I separates the memories",
       "",
       "Stage I trains the feature map Φ(x) = W x to push the memories apart on the unit sphere: the separation loss "
       "L_Φ falls and the separation Δ^Φ grows (Stage I panel).",
       StoryExpect::nothing,
       "",
       {"set stop_after=50 speed1=20", "stage1 reset", "stage1 play"},
       {"stage1 reset", "stage1 steps=50"},
       2,
       {"stage1", "compare"}},
      {"U-Hop retrieves the right memory",
       "Stage II again, now in the kernel space of the trained W: x_1 = Ξᵀ softmax(β Ξ WᵀW x_0)...",
       "Stage II again, now in the kernel space of the trained W: one step returns the {uhop}. In feature space the "
       "target now leads the best rival by {gap_uhop} (past {gap_half}: most of the weight); in pixels the gap stays "
       "{gap_mhm}, so MHM still returns a {mhm} (Compare).",
       StoryExpect::target_retrieved,
       "Stage II again, now in the kernel space of the trained W: one step returns a {uhop}, not the {target}. "
       "More Stage I steps may separate them (Stage I: Play).",
       {"stage2 reset", "stage2 play"},
       {"stage2 reset", "stage2 steps=1"},
       6,
       {"compare", "stage2"}},
      {"Your turn",
       "",
       "That is U-Hop: separate the memories first (Stage I), then retrieve in the learned kernel space (Stage II). "
       "Story replays this, Tour steps through it; or explore: click a memory, corrupt it, train, retrieve.",
       StoryExpect::nothing,
       "",
       {},
       {},
       -1,
       {"compare", "stage1"}},
  };
  return steps;
}

void StoryPlayer::start(StoryMode mode) {
  mode_ = mode;
  step_ = 0;
  step_started_ = commands_finished_ = replay_before_ = advance_ = false;
}

void StoryPlayer::stop() {
  mode_ = StoryMode::off;
}

void StoryPlayer::next() {
  if (!active()) return;
  if (step_done() && step_ + 1 < steps()) {
    ++step_;
    step_started_ = commands_finished_ = replay_before_ = false;
  } else {
    advance_ = true;  // once the current step's commands finish
  }
}

void StoryPlayer::back() {
  if (!active() || step_ == 0) return;
  --step_;
  step_started_ = commands_finished_ = advance_ = false;
  replay_before_ = true;
}

void StoryPlayer::begin_step(StudioWorker& worker, bool fast_replay_before) {
  std::vector<Command> commands;
  const auto add = [&](const std::vector<std::string>& lines) {
    for (const std::string& line : lines) {
      Command c;
      if (parse_command_line(line, 0, c)) commands.push_back(std::move(c));
    }
  };
  // Counted before anything is sent: the step is done once at least this many more commands were processed and
  // the worker is idle (idle alone would do, as a pushed command makes it busy at once; the count guards it).
  expected_done_ = worker.snapshot()->commands_done;
  if (fast_replay_before) {
    worker.cancel();  // stop whatever plays; the replay starts from the story's first step
    for (int k = 0; k < step_; ++k) add(steps_[k].fast.empty() ? steps_[k].commands : steps_[k].fast);
  }
  add(steps_[step_].commands);
  expected_done_ += commands.size();
  for (Command& c : commands) worker.push(std::move(c));
  step_started_ = true;
  commands_finished_ = false;
  ++serial_;
}

void StoryPlayer::update(StudioWorker& worker, double now) {
  if (!active()) return;
  if (!step_started_) {
    begin_step(worker, replay_before_);
    replay_before_ = false;
    return;
  }
  if (!commands_finished_) {
    if (worker.snapshot()->commands_done < expected_done_ || !worker.idle()) return;
    commands_finished_ = true;
    finished_at_ = now;
  }
  const StoryStep& s = steps_[step_];
  const bool last = step_ + 1 >= steps();
  const bool dwell_over = mode_ == StoryMode::autoplay && s.dwell >= 0 && now - finished_at_ >= dwell(s);
  if (!last && (advance_ || dwell_over)) {
    advance_ = false;
    ++step_;
    step_started_ = commands_finished_ = false;
    begin_step(worker, false);
  }
}

double StoryPlayer::seconds_to_next_event(double now) const {
  if (!active()) return 1e9;
  if (!step_started_ || !commands_finished_ || advance_) return 0;
  const StoryStep& s = steps_[step_];
  if (mode_ != StoryMode::autoplay || s.dwell < 0 || step_ + 1 >= steps()) return 1e9;
  return std::max(0.0, finished_at_ + dwell(s) - now);
}

const std::string& StoryPlayer::longest_text() const {
  static const std::string none;
  if (steps_.empty()) return none;
  const std::string* longest = &steps_.front().caption;
  for (const StoryStep& s : steps_)
    for (const std::string* t : {&s.caption, &s.running, &s.caption_otherwise})
      if (t->size() > longest->size()) longest = t;
  return *longest;
}

std::string StoryPlayer::caption(const StudioSnapshot& s) const {
  const StoryStep& step = steps_.at(step_);
  const auto name = [&](int index) {
    if (!s.memories || index < 0 || index >= s.memories->set.count())
      return std::string("memory #") + std::to_string(index);
    const auto& set = s.memories->set;
    const int label = index < static_cast<int>(set.labels.size()) ? set.labels[index] : -1;
    if (label < 0 || label >= static_cast<int>(set.class_names.size())) return "memory #" + std::to_string(index);
    std::string n = set.class_names[label];
    std::transform(n.begin(), n.end(), n.begin(), [](unsigned char c) { return std::tolower(c); });
    return n + " (#" + std::to_string(index) + ")";
  };
  const int uhop = s.retrieval_log.empty() ? -1 : s.retrieval_log.back().nearest;
  const int mhm = s.baseline_log.empty() ? -1 : s.baseline_log.back().nearest;
  std::string text = step.caption;
  if (!step_done() && !step.running.empty()) {
    text = step.running;
  } else if (step_done() && step.expect != StoryExpect::nothing) {
    const bool right = uhop == s.state.target;
    if (right != (step.expect == StoryExpect::target_retrieved)) text = step.caption_otherwise;
  }
  // The query's margins at x_0 (the last Stage I row: the current W) and ln(M-1)/beta, as the margin view shows them.
  const auto gap = [](double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%+.3g", v);
    return std::string(std::isfinite(v) ? buf : "?");
  };
  const double nan = std::nan("");
  const double gap_uhop = s.stage1_log.empty() ? nan : s.stage1_log.back().query_margin;
  const double gap_mhm = s.stage1_log.empty() ? nan : s.stage1_log.back().mhm_query_margin;
  char half[32];
  std::snprintf(half, sizeof half, "%.3g",
                uhop::half_weight_margin(s.memories ? s.memories->set.count() : 0, s.state.stage2.beta));
  const std::pair<const char*, std::string> fields[] = {
      {"{target}", name(s.state.target)}, {"{uhop}", name(uhop)},      {"{mhm}", name(mhm)},
      {"{gap_uhop}", gap(gap_uhop)},      {"{gap_mhm}", gap(gap_mhm)}, {"{gap_half}", half}};
  for (const auto& [key, value] : fields) {
    for (size_t at = text.find(key); at != std::string::npos; at = text.find(key, at + value.size()))
      text.replace(at, std::string(key).size(), value);
  }
  return text;
}
}  // namespace studio
