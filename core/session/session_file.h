// Session files: one JSON document that holds everything needed to rebuild a Session and get the same numbers
// again (the memory source and how it was loaded, both stages' settings and seeds, the query, how many steps were
// taken, the Stage I curve, and the current W). Presets in assets/presets/ are session files too.
//
// Format (version 1), keys in this order when written; every key is checked on read, unknown keys are refused:
//   {"format": "uhop-session", "version": 1, "description": "free text, optional",
//    "memories": {"source", "count", "offset", "pick", "seed", "rgb", "width", "height", "normalize"},
//    "stage1": {"init", "dim", "lr", "schedule", "optimizer", "t", "loss", "normalize_rows", "seed",
//               "train_count", "precision", "batch", "stats_every", "steps", "finished"},
//    "stage2": {"similarity", "alpha", "top_k", "beta", "beta_after_sep", "precision", "steps"},
// ("precision" "single"|"double", "batch" and "stats_every" may be missing: files written before they existed
// were computed in double, full batch, with statistics on every row, and read back that way.)
//    "query": {"target", "corruption", "seed"} or {"target", "vector": [d numbers]},
//    "w0": W, "w": W,                                 (both optional)
//    "stage1_log": {"columns": [...], "rows": [[...], ...]},   (optional; null for an undefined value)
//    "exports": {"format", "unit", "width", "height", "dpi", "font_scale", "theme", "folder"}}
//                                                     (optional: the Studio's export options, plot/plot_export.h;
//                                                      absent in older files, which get the defaults)
// where W is {"rows": [[...], ...]} (embedded) or {"file": "NAME.w.csv", "rows": D, "cols": d, "bytes": N,
// "fnv1a64": "16 hex digits"} (a side file next to the session file, in the CSV matrix format; bytes and hash are
// optional on read). write_session_file embeds W when D*d <= kEmbedWLimit and writes a side file otherwise.
//
// Hostile files (docs/hostile-input.md "Limits chosen"): a session file is at most kMaxSessionFileBytes, nests at most
// 64 levels and holds at most 2^22 values (checked without recursion before parsing); numbers beyond a double
// (1e400) and every other malformed value are refused naming the file and key. A side file name must stay inside
// the session file's folder (no "..", not absolute, no symlink leading out: io/path_policy.h), and when the JSON
// records its size and hash the file must match them: the side files are renamed into place before the JSON (the
// commit point), so a kill between the renames, or a side file edited later, is refused instead of installing a W
// the session was not saved with.
//
// Restoring replays: Stage I from W_0 for `steps` steps (then finish_stage1 when `finished`), and Stage II for its
// `steps`. Replay is deterministic, so the logs come out identical to the original run's. The stored W is a check
// and a fallback: when the replayed W differs from it (settings changed in the middle of a run, or W came from
// elsewhere), the stored W is installed as W_0 instead and a warning says the Stage I curve restarts there.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "numerics/corruption.h"
#include "data/memory_sources.h"
#include "numerics/progress.h"
#include "plot/plot_export.h"
#include "session.h"
#include "io/atomic_file.h"

namespace uhop {
constexpr int kSessionFormatVersion = 1;
constexpr long long kEmbedWLimit = 100000;  // D*d above this goes to a side file
// 32 MiB: a hand-written file with an embedded 784 x 784 W (614656 numbers, ~15 MB as text) and W_0 still fits.
constexpr long long kMaxSessionFileBytes = 32LL << 20;

struct SessionFile {
  std::string description;  // free text (presets say what they show)
  std::string memories;     // SRC as load_memories takes it; a relative path is read relative to the session file
  LoadOptions load;         // count, offset, pick, seed, keep_rgb, width, height, normalization
  Stage1Settings stage1;
  RetrievalSettings stage2;
  int target = 0;
  std::string corruption;  // "gaussian:0.1" etc.; empty when the query is given as a vector
  uint64_t corruption_seed = 0;
  std::optional<Vector> query;  // hand-drawn (or otherwise not reproducible) query
  std::optional<Matrix> w0;     // a given initial W (e.g. --w0); none = from stage1.init/dim/seed
  std::optional<Matrix> w;      // the current W, a check and fallback for the replay
  int stage1_steps = 0;
  bool stage1_finished = false;  // finish_stage1() was applied after the steps (row normalization)
  int stage2_steps = 0;
  std::vector<Stage1Record> stage1_log;   // the curve as saved (informational; the replay recomputes it)
  std::optional<ExportSettings> exports;  // the export options the session was saved with; none = defaults
  std::string base_dir;                   // not stored: the session file's directory, set by read_session_file
};

// Throws InputError "path: key.sub: problem" for anything that is not a valid version-1 session file.
SessionFile read_session_file(const std::string& path);
SessionFile parse_session_json(const std::string& text, const std::string& name, const std::string& base_dir = "");
// Atomic; a W side file "<path without .json>.w.csv" (and ".w0.csv") is committed together with the JSON.
void write_session_file(const std::string& path, const SessionFile& file);
// The same files added to `outputs` (committed by the caller with its other outputs). A session whose W needs a
// side file cannot go to a device, FIFO or socket (its side file would land in /dev or beside a pipe): refused.
void stage_session_file(StagedFiles& outputs, const std::string& path, const SessionFile& file);
// Every file write_session_file(path, file) writes: its side files, then path (for checking them before any work).
std::vector<std::string> session_file_outputs(const std::string& path, const SessionFile& file);
// A W stored beside the session file: its name (relative to the session file's folder) and its CSV text.
struct SideFile {
  std::string name;
  std::string content;
};
std::string session_json(const SessionFile& file, const SideFile& w_side_file = {}, const SideFile& w0_side_file = {});

// What a Session does not know about itself.
struct SessionOrigin {
  std::string memories;    // the SRC string (defaults to session.memories().source)
  LoadOptions load;        // how the memories were loaded
  std::string corruption;  // how the query was made; empty or not reproducing session.query() -> vector stored
  uint64_t corruption_seed = 0;
  std::optional<Matrix> w0;      // when W_0 was given rather than initialized from the settings
  bool stage1_finished = false;  // finish_stage1() was called after the last step
  std::string description;
};
SessionFile capture_session(const Session& session, const SessionOrigin& origin);

// Loads the memories and replays the file (see the header comment). Throws InputError (bad source, settings that
// do not fit the memories, a target out of range) or Cancelled. Warnings (e.g. "stored W installed") are appended.
// Unless allow_large (the user asked for it: uhop replay --allow-large), a file declaring more work than
// session_budget.h allows is refused before its memories are read; animated counts the animation's work too
// (uhop replay --animate, which then runs file's steps again for its frames).
Session restore_session(const SessionFile& file, const ProgressFn& progress = {},
                        std::vector<std::string>* warnings = nullptr, bool allow_large = false, bool animated = false);
// The query the file describes for these memories (corruption of the target, or the stored vector).
Vector session_query(const SessionFile& file, const MemorySet& memories);
}  // namespace uhop
