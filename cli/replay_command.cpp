// uhop replay / uhop --session: rebuild a run from a session file and export its logs, W and plots.
// uhop save-session: describe a run with flags, take its steps and save it as a session file.
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "io/atomic_file.h"
#include "io/output_folders.h"
#include "cli_args.h"
#include "numerics/corruption.h"
#include "data/csv_matrix.h"
#include "data/npy_format.h"
#include "numerics/input_error.h"
#include "session/run_logs.h"
#include "session/run_plots.h"
#include "plot/plot_animation.h"
#include "session/session_budget.h"
#include "session/session_file.h"

namespace uhop::cli {
// cli/replay_animation.cpp
// Writes the animation's frames and adds the finished file to outputs; returns the line to print once committed.
std::string write_run_animation(const SessionFile& file, const Session& restored, const std::string& path, double fps,
                                StagedFiles& outputs);
}  // namespace uhop::cli

namespace {
using namespace uhop;
using namespace uhop::cli;
namespace fs = std::filesystem;

const char* kReplayHelp = R"(uhop replay --session FILE [--out DIR] [--save-session OUT.json] [--animate FILE [--fps N]]
  [--allow-large]
uhop --session FILE [--out DIR] [--allow-large]
Loads a session file (a preset from assets/presets/ or one saved by the Studio or 'uhop save-session'), replays
its Stage I and Stage II steps and prints where it ends. With --out writes DIR/stage1.csv, DIR/retrieval.csv,
DIR/baseline.csv (the MHM run on the same query), DIR/w.csv, DIR/query.csv and DIR/plots/<plot>.{svg,csv,png}
for the Studio's plots loss, delta, radius, energy, error, compare (all files appear together or not at all).
--save-session writes the replayed session back (e.g. to upgrade a hand-written preset with its W and curves).
--animate writes the run as an animation of those six plots: one frame per Stage I step (Stage II rerun with that
step's W), then one per Stage II step. FILE.gif, FILE.mp4 (H.264, needs the ffmpeg program on PATH) or a folder
of numbered PNGs (no extension, or a trailing '/'); --fps N frames per second (1..60, default 10).
A session file may come from someone else: one that declares more than a file gives without flags (M over 10000,
d or D over 3600, M x d over 7840000 values) or a run of more than 3e11 multiply-adds (about half a minute of one
core) is refused before its memories are read, and so is --animate of more than 300 Stage II steps (a frame each)
or whose replay and animation together are over that work (Stage I taken again, Stage II rerun for each of up to
400 Stage I frames, about 2e8 per frame drawn); --allow-large replays (or animates) it anyway.
)";

const char* kSaveHelp = R"(uhop save-session --memories SRC [--count M] [--offset K] [--pick first|random|per-class]
  [--pick-seed S] [--size WxH] [--rgb] [--normalize none|unit|center]
  [--init identity|gaussian|orthogonal] [--dim D] [--w0 W.csv] [--lr X] [--schedule constant|inv-sqrt|reference]
  [--optimizer sgd|adam] [--t T] [--loss avg|max] [--train-count N] [--normalize-rows] [--stage1-seed S]
  [--stage1-steps N] [--similarity dot|kernel|euclidean|manhattan] [--alpha A] [--top-k K] [--beta B]
  [--beta-after-sep] [--stage2-steps T] --target I [--corrupt KIND:STRENGTH [--corrupt-seed S] | --query Q.csv]
  [--description TEXT] [--settings-only] --out FILE.json
Runs the steps and saves the session (settings, seeds, query, W, Stage I curve). W larger than 100000 values goes
to FILE.w.csv next to it. --settings-only leaves out W and the curve (small files for sharing and presets: the
replay recomputes both). 'uhop replay --session FILE.json' gives the same logs again.
)";

void print_summary(const Session& session) {
  const auto& s1 = session.stage1_log();
  const RetrievalRun& run = session.retrieval();
  const RetrievalRun& mhm = session.baseline();
  std::printf("memories: %s, M = %d, d = %d\n", printable_text(session.memories().source).c_str(),
              session.memories().count(), session.memories().dim());
  std::printf("stage1: %d steps, loss %.6g -> %.6g, min Delta^Phi %.6g -> %.6g\n", session.stage1_steps(),
              s1.front().loss, s1.back().loss, s1.front().delta_phi_min, s1.back().delta_phi_min);
  for (const RetrievalRun* r : {&run, &mhm}) {
    const RetrievalRecord& last = r->log.back();
    std::printf("stage2 %-9s alpha %g beta %g: %zu step(s), error %.6g -> %.6g, paper error %.6g, nearest %d (%s)%s\n",
                to_string(r->settings.similarity), r->settings.sep.alpha, r->settings.beta, r->log.size() - 1,
                r->log.front().error, last.error, last.paper_error, last.nearest,
                last.nearest == session.target() ? "the target" : "NOT the target",
                last.exact_guaranteed ? ", exact retrieval guaranteed" : "");
  }
}

const char* const kRunLogFiles[] = {"stage1.csv", "retrieval.csv", "baseline.csv", "w.csv", "query.csv"};
const char* const kPlotFormats[] = {".svg", ".csv", ".png"};

// Every file export_run writes under dir (checked before the replay: a refused replay creates nothing).
std::vector<std::string> export_paths(const fs::path& dir) {
  std::vector<std::string> paths;
  for (const char* name : kRunLogFiles) paths.push_back((dir / name).string());
  for (const std::string& id : run_plot_ids())
    for (const char* format : kPlotFormats) paths.push_back((dir / "plots" / id).string() + format);
  return paths;
}

// --save-session or --animate naming --out's folder, its plots folder or one of its files, or each other, or one
// of them inside another's folder (a session saved into the PNG frames folder, --out inside it): the set would
// clash only at its commit, after the whole replay; refused before it. Compared as absolute, normalized paths (the
// commit itself still compares file identities).
void refuse_clashing_outputs(const Args& a) {
  struct Named {
    std::string path, what;
    bool holds_outputs = false;  // --out's folders: the other outputs may go inside them
  };
  std::vector<Named> named;
  const auto key = [](const std::string& p) {
    std::error_code ec;
    std::string k = fs::absolute(p, ec).lexically_normal().string();
    while (k.size() > 1 && k.back() == '/') k.pop_back();
    return k;
  };
  const auto inside = [](const std::string& inner, const std::string& outer) {
    return inner.size() > outer.size() && inner.compare(0, outer.size(), outer) == 0 && inner[outer.size()] == '/';
  };
  if (a.has("out")) {
    const fs::path dir = a.str("out");
    named.push_back({key(dir.string()), "--out's folder", true});
    named.push_back({key((dir / "plots").string()), "--out's plots folder", true});
    for (const std::string& p : export_paths(dir))
      named.push_back({key(p), "--out's " + fs::path(p).filename().string()});
  }
  for (const char* flag : {"animate", "save-session"}) {
    if (!a.has(flag)) continue;
    const Named mine{key(a.str(flag)), "--" + std::string(flag)};
    for (const Named& other : named) {
      const bool same = other.path == mine.path;
      if (same || inside(other.path, mine.path) || (inside(mine.path, other.path) && !other.holds_outputs))
        throw InputError(mine.what + " " + printable_text(a.str(flag)) + (same ? " is also " : " and ") + other.what +
                         (same ? "" : " are one inside the other") + ": give each output its own place");
    }
    named.push_back(mine);
  }
}

// Adds the run's files under dir to `files` (folders made now, removed again by `folders` unless committed).
void stage_run(const Session& session, const fs::path& dir, StagedFiles& files, CreatedFolders& folders) {
  folders.create((dir / "plots").string());
  files.add((dir / "stage1.csv").string(), [&](std::ostream& o) { write_stage1_log(o, session.stage1_log()); });
  files.add((dir / "retrieval.csv").string(),
            [&](std::ostream& o) { write_retrieval_log(o, session.retrieval().log); });
  files.add((dir / "baseline.csv").string(), [&](std::ostream& o) { write_retrieval_log(o, session.baseline().log); });
  files.add((dir / "w.csv").string(), [&](std::ostream& o) { write_csv_matrix(o, session.w()); });
  files.add((dir / "query.csv").string(),
            [&](std::ostream& o) { write_csv_matrix(o, Matrix(session.query().transpose())); });
  for (const NamedFigure& nf : session_figures(session)) {
    const PlotView view = data_range(nf.figure);
    const fs::path stem = dir / "plots" / nf.name;
    files.add(stem.string() + ".svg", [&](std::ostream& o) { write_plot_svg(o, nf.figure, view, 800, 480); });
    files.add(stem.string() + ".csv", [&](std::ostream& o) { write_plot_csv(o, nf.figure); });
    const std::vector<uint8_t> png = encode_plot_png(nf.figure, view, 800, 480);
    files.add(stem.string() + ".png",
              [png](std::ostream& o) { o.write(reinterpret_cast<const char*>(png.data()), png.size()); });
  }
}

}  // namespace

int cmd_replay(int argc, char** argv) {
  // "uhop --session FILE" is "uhop replay --session FILE": flags start right after the command word otherwise.
  const int first = std::string(argv[1]) == "replay" ? 2 : 1;
  const Args a = parse_args(argc, argv, first, {"session", "out", "save-session", "animate", "fps"}, {"help"});
  if (a.has("help")) return std::cout << kReplayHelp, 0;
  const std::string path = a.required("session");
  const double fps = a.number("fps", 10);
  if (a.has("fps") && !a.has("animate")) throw InputError("--fps goes with --animate FILE");
  if (!(fps >= 1 && fps <= 60)) throw InputError("--fps must be 1..60");
  // Every destination is checked before the session is read and replayed: a refused replay creates nothing (and
  // the folders of --out appear only when its files are committed).
  if (a.has("animate")) check_animation_destination(a.str("animate"));
  if (a.has("out"))
    for (const std::string& p : export_paths(a.str("out"))) check_output_in_new_folders(p);
  if (a.has("save-session")) check_output_destination(a.str("save-session"));
  refuse_clashing_outputs(a);
  const SessionFile file = read_session_file(path);
  if (a.has("animate") && !a.has("allow-large")) check_animated_steps(file);  // frames, before any work
  std::vector<std::string> warnings;
  const Session session = restore_session(file, {}, &warnings, a.has("allow-large"), a.has("animate"));
  std::optional<SessionFile> saved;
  if (a.has("save-session")) {
    SessionOrigin origin;
    origin.memories = file.memories;
    origin.load = file.load;
    origin.corruption = file.corruption;
    origin.corruption_seed = file.corruption_seed;
    origin.w0 = file.w0;
    origin.stage1_finished = file.stage1_finished;
    origin.description = file.description;
    saved = capture_session(session, origin);
    // Its side files exist only when W is large, known now: checked before the first output is written.
    for (const std::string& p : session_file_outputs(a.str("save-session"), *saved)) check_output_destination(p);
  }
  print_warnings(warnings);
  // The description is text from the file: printed printable (no escape sequences reach the terminal).
  if (!file.description.empty()) std::printf("%s\n", printable_text(file.description).c_str());
  print_summary(session);
  // --out's files, the animation and the saved session are one set: all appear, or (a full disk, a FIFO without
  // reader, a failed frame) none does and every old file stays.
  CreatedFolders folders;  // removed again when the commit fails (declared first: destroyed after the temps)
  StagedFiles outputs;
  if (a.has("out")) stage_run(session, a.str("out"), outputs, folders);
  std::string animation;
  if (a.has("animate")) animation = write_run_animation(file, session, a.str("animate"), fps, outputs);
  if (saved) stage_session_file(outputs, a.str("save-session"), *saved);
  outputs.commit();
  folders.keep();
  if (!animation.empty()) std::printf("%s\n", animation.c_str());
  return 0;
}

int cmd_save_session(int argc, char** argv) {
  const Args a = parse_args(
      argc, argv, 2,
      {"pick-seed",    "init",        "dim",         "w0",           "lr",         "schedule",    "optimizer", "t",
       "loss",         "train-count", "stage1-seed", "stage1-steps", "similarity", "alpha",       "top-k",     "beta",
       "stage2-steps", "target",      "corrupt",     "corrupt-seed", "query",      "description", "out"},
      {"normalize-rows", "beta-after-sep", "settings-only", "help"});
  if (a.has("help")) return std::cout << kSaveHelp, 0;
  const std::string out = a.required("out");
  if (a.has("query") && a.has("corrupt")) throw InputError("give --query or --corrupt, not both");
  if (!a.has("target")) throw InputError("missing required flag --target");
  SessionOrigin origin;
  origin.memories = a.required("memories");
  origin.load = load_options(a, "pick-seed");
  origin.corruption = a.str("corrupt");
  if (!origin.corruption.empty()) parse_corruption(origin.corruption);
  origin.corruption_seed = a.seed("corrupt-seed");
  origin.description = a.str("description");
  origin.stage1_finished = true;
  Stage1Settings s1;
  if (a.has("init")) s1.init = parse_feature_init(a.str("init"));
  s1.dim = a.count("dim", 0, 1, static_cast<int>(kMaxWValues));
  s1.lr = a.number("lr", s1.lr);
  if (a.has("schedule")) s1.schedule = parse_schedule(a.str("schedule"));
  if (a.has("optimizer")) s1.optimizer = parse_optimizer(a.str("optimizer"));
  s1.t = a.number("t", s1.t);
  if (a.has("loss")) s1.loss = parse_loss_kind(a.str("loss"));
  s1.normalize_rows = a.has("normalize-rows");
  s1.seed = a.seed("stage1-seed");
  s1.train_count = a.count("train-count", 0);
  RetrievalSettings s2;
  if (a.has("similarity")) s2.similarity = parse_similarity(a.str("similarity"));
  s2.sep.alpha = a.number("alpha", 1.0);
  s2.sep.top_k = a.count("top-k", 0);
  s2.beta = a.number("beta", 1.0);
  s2.beta_after_sep = a.has("beta-after-sep");
  const long long steps1 = a.integer("stage1-steps", 0, 0, kMaxStage1Steps);
  const long long steps2 = a.integer("stage2-steps", 1, 0, kMaxStage2Steps);
  const long long target = a.count("target", 0);
  check_output_destination(out);

  std::vector<std::string> warnings;
  MemorySet memories = load_memories(origin.memories, with_session_limits(origin.load, s1.dim), &warnings);
  print_warnings(warnings);
  if (target < 0 || target >= memories.count())
    throw InputError("--target " + std::to_string(target) + " is outside 0.." + std::to_string(memories.count() - 1));
  Vector query = memories.patterns.row(target).transpose();
  if (a.has("query")) {
    const Matrix q = read_matrix_file(a.str("query"), kMaxWValues);
    if (q.size() != memories.dim())
      throw InputError(a.str("query") + ": has " + std::to_string(q.size()) +
                       " values, memories have d = " + std::to_string(memories.dim()));
    query = Eigen::Map<const Vector>(q.data(), q.size());
  } else if (!origin.corruption.empty()) {
    query = corrupt(query, memories.shape, parse_corruption(origin.corruption), origin.corruption_seed);
  }
  Session session(std::move(memories), s1, s2);
  if (a.has("w0")) {
    origin.w0 = read_matrix_file(a.str("w0"), kMaxWValues);
    session.set_initial_w(*origin.w0);
  }
  session.set_query(query, static_cast<int>(target));
  for (long long i = 0; i < steps1; ++i) session.stage1_step();
  session.finish_stage1();
  for (long long i = 0; i < steps2; ++i) session.stage2_step();
  SessionFile file = capture_session(session, origin);
  if (a.has("settings-only")) file.w.reset(), file.stage1_log.clear();
  write_session_file(out, file);
  print_summary(session);
  return 0;
}
