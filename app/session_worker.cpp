// The worker's session files: save the current setup, load one (validated first, committed only when it replays).
#include <filesystem>

#include "session/session_file.h"
#include "studio_worker.h"

namespace studio {
void StudioWorker::save_session(const std::string& path) {
  uhop::SessionOrigin origin;
  origin.memories = state_.source;
  origin.load = state_.load;
  // capture_session stores the query as a vector when this corruption does not reproduce it (a hand drawing).
  origin.corruption = uhop::to_string(state_.corruption);
  origin.corruption_seed = state_.corruption_seed;
  origin.stage1_finished = stage1_finished_;
  uhop::SessionFile file = uhop::capture_session(*session_, origin);
  file.exports = state_.exports;  // the export options travel with the session
  uhop::write_session_file(path, file);
  session_path_ = path;
  message_ = "saved session " + path;
}

void StudioWorker::load_session(const std::string& path) {
  // Read and validate first: a malformed file throws naming the key, before anything here has changed.
  const uhop::SessionFile file = uhop::read_session_file(path);
  // A session (or preset) sets everything it names; whatever it does not name goes back to its default, so no
  // setting of an earlier preset lingers unseen (the reference code's β-after-Sep, its train count, speeds).
  StudioState next;
  next.source = file.memories;
  if (next.source.rfind("builtin:", 0) != 0 && !file.base_dir.empty() &&
      std::filesystem::path(next.source).is_relative()) {
    std::error_code ec;
    const auto beside = std::filesystem::path(file.base_dir) / next.source;
    if (std::filesystem::exists(beside, ec)) next.source = beside.string();  // as restore_session resolves it
  }
  next.load = file.load;
  next.stage1 = file.stage1;
  next.stage2 = file.stage2;
  next.target = file.target;
  if (!file.corruption.empty()) {  // a stored (hand-drawn) query keeps the current corruption controls
    apply_setting(next, "corruption", file.corruption);
    next.corruption_seed = file.corruption_seed;
  }
  if (file.stage2_steps > 0) next.stage2_steps = file.stage2_steps;
  next.exports = file.exports.value_or(uhop::ExportSettings());  // older files: the default options
  std::vector<std::string> warnings;
  const std::string label = "Loading session " + path;
  set_busy(label, 0);
  publish(false);
  uhop::Session restored = uhop::restore_session(
      file,
      [&](double f) {
        set_busy(label, f);
        maybe_publish();
        return !cancel_.load();
      },
      &warnings);
  // W_0's heatmap, from the same settings (or the given W_0).
  const uhop::Matrix w0 =
      file.w0 ? *file.w0
              : uhop::init_feature_map(file.stage1.init, restored.memories().dim(), file.stage1.dim, file.stage1.seed);
  auto gallery = std::make_shared<MemoryGallery>();
  gallery->version = ++memory_version_;
  gallery->set = restored.memories();
  // Commit only now: a failed load keeps the previous session.
  state_ = next;
  session_ = std::make_unique<uhop::Session>(std::move(restored));
  gallery_ = gallery;
  warnings_ = warnings;
  stage1_playing_ = stage2_playing_ = false;
  stage1_finished_ = file.stage1_finished;
  query_edits_.clear();
  query_unlinkable_ = file.query.has_value();  // a stored (hand-drawn) vector: a link cannot rebuild it
  stage1_warning_.clear();
  heat_initial_ = feature_cosine_heatmap(session_->memories().patterns, w0);
  heat_now_w_.resize(0, 0);
  session_path_ = path;
  reset_views();
  message_ = "loaded session " + path + (warnings.empty() ? "" : " (" + warnings.front() + ")");
}
}  // namespace studio
