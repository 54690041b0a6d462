// The worker's side of the "why" views (issue "see why U-Hop works"): the probe's every-k chosen from measured costs,
// the feature-space maps (MHM once per memory set, U-Hop per W, Procrustes-aligned frame to frame), and the energy
// landscapes (coarse first, then fine; live while W, the query or the settings change; abortable and cancellable).
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>

#include "numerics/input_error.h"
#include "numerics/progress.h"
#include "studio_worker.h"

namespace studio {
namespace {
double now_seconds() {
  using clock = std::chrono::steady_clock;
  return std::chrono::duration<double>(clock::now().time_since_epoch()).count();
}

// FNV-1a over bytes: a fingerprint of what a view was computed from.
uint64_t mix(uint64_t h, const void* data, size_t n) {
  const auto* p = static_cast<const unsigned char*>(data);
  for (size_t i = 0; i < n; ++i) h = (h ^ p[i]) * 0x100000001b3ULL;
  return h;
}
template <typename T>
uint64_t mix(uint64_t h, T value) {
  return mix(h, &value, sizeof value);
}
uint64_t mix(uint64_t h, const uhop::Vector& v) {
  return mix(h, v.data(), static_cast<size_t>(v.size()) * sizeof(double));
}
constexpr uint64_t kSeed = 0xcbf29ce484222325ULL;

// The probe costs M x M products: above this many memories the Studio leaves it off (the CLI has no limit).
constexpr int kMaxProbeMemories = 4000;
constexpr int kCoarseGrid = 32;

bool same_probe(const uhop::ProbeSettings& a, const uhop::ProbeSettings& b) {
  return uhop::to_string(a.corruption) == uhop::to_string(b.corruption) && a.seed == b.seed && a.steps == b.steps &&
         a.beta == b.beta;
}

uhop::Matrix rows_of(const std::vector<uhop::Vector>& states) {
  if (states.empty()) return uhop::Matrix();
  uhop::Matrix m(static_cast<Eigen::Index>(states.size()), states[0].size());
  for (size_t i = 0; i < states.size(); ++i) m.row(static_cast<Eigen::Index>(i)) = states[i].transpose();
  return m;
}
}  // namespace

void StudioWorker::apply_probe_settings() {
  if (!session_) return;
  if (!state_.probe || session_->memories().count() > kMaxProbeMemories) {
    if (state_.probe)
      message_ = "probe off: M > " + std::to_string(kMaxProbeMemories) + " (uhop stage1 --probe has no limit)";
    if (session_->probe()) session_->set_probe(std::nullopt);
    return;
  }
  uhop::ProbeSettings p;
  p.corruption = state_.corruption;
  p.seed = state_.probe_seed;
  p.steps = state_.probe_steps;
  p.beta = state_.probe_beta;
  if (state_.probe_every > 0) probe_every_ = state_.probe_every;
  session_->set_probe_every(probe_every_);
  if (session_->probe() && same_probe(*session_->probe(), p)) return;
  session_->set_probe(p);
  probe_seconds_ = session_->last_probe_seconds();
}

void StudioWorker::timed_stage1_step(const uhop::ProgressFn& progress) {
  const double start = now_seconds();
  session_->stage1_step(progress);
  double step = now_seconds() - start;
  stage1_finished_ = false;
  const auto& row = session_->stage1_log().back();
  if (session_->probe() && std::isfinite(row.probe_paper_error)) {
    const double probe = session_->last_probe_seconds();
    step = std::max(step - probe, 1e-6);
    probe_seconds_ = probe_seconds_ > 0 ? 0.5 * probe_seconds_ + 0.5 * probe : probe;  // one slow probe is not the rule
  }
  stage1_seconds_ = stage1_seconds_ > 0 ? 0.8 * stage1_seconds_ + 0.2 * step : step;
  // Probing every k-th step costs probe/k per step: Stage I keeps step / (step + probe/k) >= 80 % of its speed when
  // k >= 4 probe / step.
  probe_every_ = state_.probe_every > 0
                     ? state_.probe_every
                     : std::clamp(static_cast<int>(std::ceil(4 * probe_seconds_ / stage1_seconds_)), 1, 100000);
  session_->set_probe_every(probe_every_);
}

void StudioWorker::finish_stage1_run() {
  if (session_) session_->probe_now();
}

void StudioWorker::reset_views() {
  map_anchor_to_mhm_ = true;
  landscape_.reset();
  landscape_key_ = 0;
  apply_probe_settings();
}

uint64_t StudioWorker::w_key() const {
  if (!session_) return 0;
  const auto& last = session_->stage1_log().back();
  uint64_t h = mix(kSeed, memory_version_);
  h = mix(h, session_->stage1_log().size());
  h = mix(h, last.loss);
  h = mix(h, last.delta_phi_min);
  h = mix(h, last.r_phi);
  return mix(h, stage1_finished_);
}

void StudioWorker::update_feature_map(bool force) {
  // The PCA goes through the M x M Gram: above uhop::kMaxGramMemories there is no map (the panel says why).
  if (!session_ || session_->memories().count() > uhop::kMaxGramMemories) {
    feature_map_.reset();
    return;
  }
  const uint64_t key = w_key();
  if (feature_map_ && key == map_key_ && feature_map_->memory_version == memory_version_) return;
  // At most ~10 % of the worker's time: wait 9x what the last frame cost.
  if (!force && feature_map_ && feature_map_->memory_version == memory_version_ &&
      now_seconds() - map_time_ < 9 * feature_map_->seconds)
    return;
  const double start = now_seconds();
  auto view = std::make_shared<FeatureMapView>();
  view->version = ++view_version_;
  view->memory_version = memory_version_;
  view->stage1_step = session_->stage1_steps();
  const bool same_memories = feature_map_ && feature_map_->memory_version == memory_version_;
  if (same_memories) {
    view->mhm = feature_map_->mhm;
  } else {
    view->mhm = uhop::feature_pca(session_->memories().patterns);
    map_anchor_to_mhm_ = true;
  }
  const uhop::Matrix& reference = map_anchor_to_mhm_ || !same_memories ? view->mhm.points : feature_map_->uhop.points;
  // Z = Xi W^T: the one Stage I's kernel holds for this W, else formed here.
  const uhop::Matrix* held = session_->features();
  const uhop::Matrix formed =
      held ? uhop::Matrix() : uhop::Matrix(session_->memories().patterns * session_->w().transpose());
  view->uhop = uhop::feature_pca(held ? *held : formed, nullptr, 256, &reference);
  uhop::align_map(view->uhop, reference);
  map_anchor_to_mhm_ = false;
  view->seconds = now_seconds() - start;
  map_time_ = now_seconds();
  map_key_ = key;
  feature_map_ = view;
}

void StudioWorker::landscape_command(const Command& c) {
  if (c.id == "off") {
    landscape_live_ = false;
    return;
  }
  StudioState next = state_;
  for (const auto& [k, v] : c.settings) apply_setting(next, k, v);
  if (!session_) throw uhop::InputError("no memories loaded yet");
  const int m = session_->memories().count();
  if (next.rival >= m)
    throw uhop::InputError("rival " + std::to_string(next.rival) + " is outside 0.." + std::to_string(m - 1));
  state_ = next;
  landscape_live_ = true;
  landscape_key_ = 0;  // recompute even when nothing changed
  if (refresh_landscape(false, false, true)) {
    publish(false);
    refresh_landscape(true, false, true);
  }
}

uint64_t StudioWorker::landscape_inputs_key() const {
  if (!session_) return 0;
  const auto& rs = session_->retrieval_settings();
  uint64_t h = mix(w_key(), session_->query());
  h = mix(mix(mix(h, session_->target()), state_.rival), state_.landscape_grid);
  h = mix(mix(mix(h, rs.sep.alpha), rs.sep.top_k), rs.beta);
  // The automatic rival follows what MHM retrieves.
  if (state_.rival < 0 && !session_->baseline().log.empty()) h = mix(h, session_->baseline().log.back().nearest);
  return h;
}

bool StudioWorker::landscape_stale() const {
  return landscape_live_ && session_ &&
         (!landscape_ || !landscape_->fine || landscape_key_ == 0 || landscape_key_ != landscape_inputs_key());
}

bool StudioWorker::refresh_landscape(bool fine, bool abortable, bool show_progress) {
  if (!session_) return false;
  const uhop::Matrix& xi = session_->memories().patterns;
  const int m = session_->memories().count();
  const uhop::RetrievalSettings& rs = session_->retrieval_settings();
  auto view = std::make_shared<LandscapeView>();
  view->version = ++view_version_;
  view->target = session_->target();
  view->rival_auto = state_.rival < 0;
  const int mhm_nearest = session_->baseline().log.empty() ? -1 : session_->baseline().log.back().nearest;
  view->rival = view->rival_auto ? uhop::default_rival(xi, session_->query(), view->target, mhm_nearest) : state_.rival;
  view->stage1_step = session_->stage1_steps();
  view->alpha = rs.sep.alpha;
  view->beta = rs.beta;
  view->fine = fine;
  const uint64_t key = landscape_inputs_key();
  const double start = now_seconds();
  try {
    if (rs.sep.top_k > 0) throw uhop::InputError("top-k softmax has no energy: pick an alpha to see the landscape");
    if (view->rival >= m)
      throw uhop::InputError("rival " + std::to_string(view->rival) + " is outside 0.." + std::to_string(m - 1) +
                             " (set rival=auto)");
    view->plane = uhop::landscape_plane(xi, session_->query(), view->target, view->rival);
    const int n = fine ? state_.landscape_grid : std::min(kCoarseGrid, state_.landscape_grid);
    view->a = view->b = uhop::landscape_axis(n);
    const std::string label = "Landscape: " + std::to_string(n) + " x " + std::to_string(n) + " grid";
    landscape_computing_ = true;
    auto progress = [&](double f) {
      if (show_progress) {
        set_busy(label, f);
        maybe_publish();
      }
      if (cancel_) return false;
      if (abortable) {
        std::lock_guard<std::mutex> lock(mutex_);
        if (!queue_.empty()) return false;  // a command waits: it goes first, the landscape is redone after
      }
      return true;
    };
    uint64_t mhm_key = mix(mix(mix(kSeed, memory_version_), session_->query()), n);
    mhm_key = mix(mix(mix(mix(mhm_key, view->target), view->rival), rs.sep.alpha), rs.beta);
    if (mhm_key != landscape_mhm_key_ || landscape_mhm_cache_.rows() != n) {
      landscape_mhm_cache_ = uhop::landscape_energy(view->plane, xi, uhop::Matrix(), rs.sep, rs.beta, view->a, view->b,
                                                    nullptr, [&](double f) { return progress(0.5 * f); });
      landscape_mhm_key_ = mhm_key;
    }
    view->energy_mhm = landscape_mhm_cache_;
    view->energy_kernel =
        uhop::landscape_energy(view->plane, xi, session_->w(), rs.sep, rs.beta, view->a, view->b, session_->features(),
                               [&](double f) { return progress(0.5 + 0.5 * f); });
  } catch (const uhop::Cancelled&) {
    landscape_computing_ = false;
    if (abortable && !cancel_) return false;  // a command came first; the landscape stays stale and is redone
    throw;
  } catch (const uhop::InputError& e) {
    view->error = e.what();
    view->a.clear(), view->b.clear();
    view->energy_mhm.resize(0, 0), view->energy_kernel.resize(0, 0);
    view->fine = true;  // nothing finer to compute
  }
  landscape_computing_ = false;
  view->seconds = now_seconds() - start;
  landscape_time_ = now_seconds();
  landscape_key_ = view->fine ? key : 0;
  landscape_ = view;
  return true;
}

void StudioWorker::update_background_work() {
  const bool pending = landscape_stale();
  std::lock_guard<std::mutex> lock(mutex_);
  background_pending_ = pending;
}

void StudioWorker::publish_views(StudioSnapshot& s, bool full) {
  InsightSnapshot& v = s.insight;
  v.probe_every = probe_every_;
  v.probe_seconds = probe_seconds_;
  v.stage1_seconds = stage1_seconds_;
  v.landscape_live = landscape_live_;
  v.landscape_computing = landscape_computing_;
  if (!session_) return;
  // While Stage I plays, a live landscape follows W on the coarse grid within ~10 % of the time; the fine grid comes
  // when the worker is idle again.
  if (stage1_playing_ && landscape_stale() && !landscape_computing_ &&
      now_seconds() - landscape_time_ >= 9 * (landscape_ ? landscape_->seconds : 0.0)) {
    try {
      refresh_landscape(false, false, false);
    } catch (const uhop::Cancelled&) {  // Cancel while playing: the play loop stops; the landscape stays as it was
    }
  }
  // Full publishes (after every command, and twice a second while playing) always show the current W's map; the
  // ones in between only when the time budget allows.
  update_feature_map(full);
  v.feature_map = feature_map_;
  v.landscape = landscape_;
  if (full || !last_full_)
    v.baseline_trajectory = session_->baseline().trajectory;
  else
    v.baseline_trajectory = last_full_->insight.baseline_trajectory;
  const uhop::Matrix main = rows_of(s.trajectory), mhm = rows_of(v.baseline_trajectory);
  if (feature_map_ && main.size() > 0) v.map_trajectory = uhop::project_states(feature_map_->uhop, session_->w(), main);
  if (feature_map_ && mhm.size() > 0)
    v.map_mhm_trajectory = uhop::project_states(feature_map_->mhm, uhop::Matrix(), mhm);
  if (landscape_ && landscape_->error.empty()) {
    for (const auto& x : s.trajectory) v.plane_trajectory.push_back(uhop::plane_coordinates(landscape_->plane, x));
    for (const auto& x : v.baseline_trajectory)
      v.plane_mhm_trajectory.push_back(uhop::plane_coordinates(landscape_->plane, x));
  }
}
}  // namespace studio
