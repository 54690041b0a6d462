// The worker's session files: save the current setup, load one (validated first, committed only when it replays).
#include <algorithm>
#include <cctype>
#include <cstdint>
#include <filesystem>
#include <optional>

#include "io/memory_budget.h"
#include "numerics/input_error.h"
#include "session/session_file.h"
#include "studio_text.h"
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

void StudioWorker::load_session(const std::string& path, bool allow_large) {
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
  const auto progress = [&](double f) {
    set_busy(label, f);
    maybe_publish();
    return !cancel_.load();
  };
  std::optional<uhop::Session> restored;
  try {  // a session from someone else declaring more than the budget: refused, the UI offers "Open anyway"
    restored.emplace(uhop::restore_session(file, progress, &warnings, allow_large));
  } catch (const uhop::LargeRequestError&) {
    refused_session_ = path;
    throw;
  }
  // W_0's heatmap, from the same settings (or the given W_0).
  const uhop::Matrix w0 =
      file.w0 ? *file.w0
              : uhop::init_feature_map(file.stage1.init, restored->memories().dim(), file.stage1.dim, file.stage1.seed);
  auto gallery = std::make_shared<MemoryGallery>();
  gallery->version = ++memory_version_;
  gallery->set = restored->memories();
  // Commit only now: a failed load keeps the previous session.
  state_ = next;
  session_ = std::make_unique<uhop::Session>(std::move(*restored));
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
static_assert(static_cast<long long>(kMaxStudioDim) * kMaxStudioDim <= uhop::kMaxWValues,
              "the Studio's d x d W must fit the session's limit");

// Images too large for the Studio: d above its cap for W, or a session (W, Stage I's buffers, both runs' kernel
// products) larger than the memory this process can get (studio_session_bytes). Refused before the file is read,
// with a size that fits ("Load at WxH").
void StudioWorker::check_studio_size(const StudioState& next, const uhop::ImageShape& shape, long long count) {
  const long long d = shape.size(), big_d = std::max<long long>(d, next.stage1.dim);
  const uint64_t available = uhop::memory_available_bytes();
  const long long need = studio_session_bytes(count, d, big_d);
  const bool fits_memory = available == UINT64_MAX || static_cast<uint64_t>(need) <= available;
  // Images at a file's own size (no size set) are held to LoadOptions::default_max_dim, as in the CLI: a small file
  // must not buy gigabytes without the user asking for that size. Here the Studio offers "Load at WxH" for them
  // (arrays, which have no size to set, meet the loader's own check and its --allow-large).
  std::string ext = std::filesystem::path(next.source).extension().string();
  for (char& ch : ext) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  const bool array = ext == ".npy" || ext == ".npz" || ext == ".csv";  // no size to set: no "Load at WxH" offer
  const bool own_size = next.load.width == 0 && shape.height > 1 && next.source.rfind("builtin:", 0) != 0 &&
                        next.load.default_max_dim > 0 && !array;
  const int studio_cap =
      own_size ? static_cast<int>(std::min<long long>(kMaxStudioDim, next.load.default_max_dim)) : kMaxStudioDim;
  if (big_d <= studio_cap && fits_memory) return;
  const int max_dim = fits_memory ? studio_cap : std::min(studio_cap, studio_dim_within(count, available));
  const bool over_cap = big_d > studio_cap;  // the cap is the first reason to give
  suggested_size_ = size_within_cap(shape.width, shape.height, shape.channels, max_dim);
  const std::string quick = size_within_cap(shape.width, shape.height, shape.channels, kQuickStudioDim);
  quick_size_ = max_dim > kQuickStudioDim && quick != suggested_size_ ? quick : std::string();
  refused_source_ = next.source;
  const std::string images = next.source + ": images of " + std::to_string(shape.width) + "x" +
                             std::to_string(shape.height) + (shape.channels == 3 ? " RGB" : "") +
                             " give d = " + std::to_string(d) + " values each; ";
  if (!over_cap)
    throw uhop::InputError(images + "the session (Stage I's " + std::to_string(big_d) + " x " + std::to_string(d) +
                           " W and its buffers, both runs' kernel products) needs about " + gib_text(need) +
                           " of memory, and this process can get " + gib_text(static_cast<long long>(available)) +
                           ": load them resized, e.g. to " + suggested_size_);
  throw uhop::InputError(images + "Stage I trains a " + std::to_string(big_d) + " x " + std::to_string(d) +
                         " feature map W (" + std::to_string(big_d * d * 8 / (1 << 20)) +
                         " MiB), more than the Studio holds (d up to " + std::to_string(studio_cap) +
                         (studio_cap < kMaxStudioDim
                              ? " at a file's own size, " + std::to_string(kMaxStudioDim) + " when you set the size"
                              : std::string()) +
                         "): load them resized, e.g. to " + suggested_size_);
}

// What escapes a command's own handler (a view computed while publishing, a playing step's aftermath) must not end
// the process: an out-of-memory there (a session whose views need more than the machine gives, issue 24 item 7)
// closes the session with a message, so the app keeps running and the user can load something smaller.
bool StudioWorker::work_once() {
  try {
    return work_once_unguarded();
  } catch (const std::bad_alloc&) {
    recover_from_failure(
        "out of memory: this session's views need more memory than this machine gives, so it was "
        "closed (load fewer or smaller memories; the CLI computes one run with less)");
  } catch (const std::exception& e) {
    recover_from_failure(std::string("the session was closed after an unexpected failure: ") + e.what());
  }
  return true;
}

void StudioWorker::recover_from_failure(const std::string& what) {
  stage1_playing_ = stage2_playing_ = playing_ = false;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    background_pending_ = false;
  }
  busy_label_.clear();
  progress_ = 0;
  session_.reset();  // frees what it held; the gallery (the memories' thumbnails) stays
  report_error(what);
  try {
    publish(true);
  } catch (const std::exception&) {  // nothing more to free: the previous snapshot stays on screen
  }
  {
    std::lock_guard<std::mutex> lock(mutex_);
    working_ = false;
  }
  cv_.notify_all();
}
}  // namespace studio
