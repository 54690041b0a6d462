// Session files: save -> load -> replay gives byte-identical logs; malformed files are refused naming the key; the
// presets in assets/presets/ load and show what they claim.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "cli_runner.h"
#include "numerics/corruption.h"
#include "numerics/input_error.h"
#include "data/memory_sources.h"
#include "session/run_logs.h"
#include "session/run_plots.h"
#include "session/session_file.h"

namespace {
using namespace uhop;
namespace fs = std::filesystem;

std::string stage1_csv(const Session& s) {
  std::ostringstream out;
  write_stage1_log(out, s.stage1_log());
  return out.str();
}
std::string retrieval_csv(const std::vector<RetrievalRecord>& log) {
  std::ostringstream out;
  write_retrieval_log(out, log);
  return out.str();
}
std::string all_logs(const Session& s) {
  return stage1_csv(s) + retrieval_csv(s.retrieval().log) + retrieval_csv(s.baseline().log);
}

// A small run on the built-in glyphs with non-default settings everywhere, so a lost setting shows in the logs.
Session glyph_run(const LoadOptions& load, SessionOrigin& origin, int stage1_steps = 6, int stage2_steps = 3) {
  origin.memories = "builtin:glyphs";
  origin.load = load;
  origin.corruption = "gaussian:0.3";
  origin.corruption_seed = 11;
  MemorySet m = load_memories(origin.memories, load);
  Stage1Settings s1;
  s1.init = FeatureInit::orthogonal;
  s1.dim = m.dim() + 3;
  s1.seed = 5;
  s1.lr = 0.05;
  s1.schedule = Schedule::inv_sqrt;
  s1.t = 1.5;
  RetrievalSettings s2;
  s2.similarity = Similarity::kernel;
  s2.sep.alpha = 1.5;
  s2.beta = 0.7;
  Session s(m, s1, s2);
  s.set_query(corrupt(m.patterns.row(2).transpose(), m.shape, parse_corruption(origin.corruption), 11), 2);
  for (int i = 0; i < stage1_steps; ++i) s.stage1_step();
  for (int i = 0; i < stage2_steps; ++i) s.stage2_step();
  return s;
}

// A valid small session as JSON text, for the malformed-file cases to edit.
std::string valid_json() {
  SessionFile f;
  f.memories = "builtin:glyphs";
  f.load.count = 8;
  f.stage2.beta = 2;
  f.target = 1;
  f.corruption = "gaussian:0.2";
  f.stage1_steps = 2;
  f.stage2_steps = 1;
  return session_json(f);
}

std::string replace(std::string text, const std::string& from, const std::string& to) {
  const size_t at = text.find(from);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}

void check_rejected(const std::string& text, const std::string& expected) {
  INFO(text);
  CHECK_THROWS_WITH(parse_session_json(text, "session.json"), Catch::Contains(expected));
  CHECK_THROWS_AS(parse_session_json(text, "session.json"), InputError);
}

std::string preset(const std::string& name) {
  return std::string(UHOP_SOURCE_DIR) + "/assets/presets/" + name;
}
bool have_fashion_mnist() {
  return fs::exists(std::string(kFashionMnistDir) + "/train-images-idx3-ubyte.gz");
}
}  // namespace

TEST_CASE("session file: save, load and replay give byte-identical logs (W in a side file)", "[session_file]") {
  cli::TempDir dir;
  LoadOptions load;
  load.count = 12;
  load.pick = Pick::random;
  load.seed = 4;
  SessionOrigin origin;
  const Session original = glyph_run(load, origin);
  const std::string path = dir / "run.json";
  write_session_file(path, capture_session(original, origin));
  // D*d = 787*784 is over the embedding limit: W goes to run.w.csv beside the JSON.
  CHECK(fs::exists(dir / "run.w.csv"));

  const SessionFile file = read_session_file(path);
  CHECK(file.stage1_steps == 6);
  CHECK(file.stage2_steps == 3);
  CHECK(file.corruption == "gaussian:0.3");
  CHECK(!file.query);
  CHECK(file.stage1.init == FeatureInit::orthogonal);
  CHECK(file.stage1.schedule == Schedule::inv_sqrt);
  CHECK(file.stage2.sep.alpha == 1.5);
  CHECK(file.load.pick == Pick::random);
  REQUIRE(file.w);
  CHECK(*file.w == original.w());
  std::vector<std::string> warnings;
  const Session restored = restore_session(file, {}, &warnings);
  CHECK(warnings.empty());
  CHECK(restored.w() == original.w());
  CHECK(restored.query() == original.query());
  CHECK(stage1_csv(restored) == stage1_csv(original));
  CHECK(retrieval_csv(restored.retrieval().log) == retrieval_csv(original.retrieval().log));
  CHECK(retrieval_csv(restored.baseline().log) == retrieval_csv(original.baseline().log));
  // The stored curve is the original's too.
  std::ostringstream stored;
  write_stage1_log(stored, file.stage1_log);
  CHECK(stored.str() == stage1_csv(original));
}

TEST_CASE("session file: embedded W, hand-drawn query and a CSV source beside the file", "[session_file]") {
  cli::TempDir dir;
  dir.write("pts.csv", "0.1,0.9,0.3,0.2\n0.8,0.1,0.4,0.6\n0.3,0.3,0.9,0.1\n0.5,0.7,0.2,0.9\n0.9,0.4,0.6,0.3\n");
  MemorySet m = load_memories(dir / "pts.csv");
  Stage1Settings s1;
  s1.lr = 0.2;
  s1.normalize_rows = true;
  Session s(m, s1, RetrievalSettings{});
  Vector drawn(4);
  drawn << 0.15, 0.85, 0.35, 0.1;
  s.set_query(drawn, 0);
  for (int i = 0; i < 4; ++i) s.stage1_step();
  s.finish_stage1();
  s.stage2_step();
  SessionOrigin origin;
  origin.memories = "pts.csv";  // relative: resolved beside the session file, wherever the reader runs
  origin.stage1_finished = true;
  const SessionFile captured = capture_session(s, origin);
  REQUIRE(captured.query);
  CHECK(captured.corruption.empty());
  write_session_file(dir / "s.json", captured);
  CHECK(!fs::exists(dir / "s.w.csv"));
  CHECK(cli::slurp(dir / "s.json").find("\"w\": {\"rows\": [") != std::string::npos);
  const Session restored = restore_session(read_session_file(dir / "s.json"));
  CHECK(restored.w() == s.w());  // row normalization replayed
  CHECK(restored.query() == drawn);
  CHECK(all_logs(restored) == all_logs(s));
}

TEST_CASE("session file: a W the replay cannot reproduce is installed with a warning", "[session_file]") {
  SessionOrigin origin;
  LoadOptions load;
  load.count = 6;
  const Session original = glyph_run(load, origin, 3, 1);
  SessionFile file = capture_session(original, origin);
  *file.w *= 1.5;  // as if W had been trained with other settings part-way
  std::vector<std::string> warnings;
  const Session restored = restore_session(file, {}, &warnings);
  REQUIRE(warnings.size() == 1);
  CHECK(warnings[0].find("stored W") != std::string::npos);
  CHECK(restored.w() == *file.w);
  CHECK(restored.stage1_steps() == 0);
}

TEST_CASE("session file: precision, mini-batch and stats-every are saved and replayed", "[session_file][batch]") {
  cli::TempDir dir;
  LoadOptions load;
  load.count = 12;
  SessionOrigin origin;
  origin.memories = "builtin:glyphs";
  origin.load = load;
  MemorySet m = load_memories(origin.memories, load);
  Stage1Settings s1;
  s1.init = FeatureInit::gaussian;
  s1.seed = 2;
  s1.lr = 0.05;
  s1.precision = Precision::single_precision;
  s1.batch = 5;
  s1.stats_every = 2;
  RetrievalSettings s2;
  s2.similarity = Similarity::kernel;
  s2.precision = Precision::single_precision;
  Session original(m, s1, s2);
  for (int i = 0; i < 5; ++i) original.stage1_step();
  original.ensure_stats();
  original.stage2_step();
  const std::string path = dir / "batch.json";
  write_session_file(path, capture_session(original, origin));
  const SessionFile file = read_session_file(path);
  CHECK(file.stage1.precision == Precision::single_precision);
  CHECK(file.stage1.batch == 5);
  CHECK(file.stage1.stats_every == 2);
  CHECK(file.stage2.precision == Precision::single_precision);
  std::vector<std::string> warnings;
  const Session restored = restore_session(file, {}, &warnings);
  CHECK(warnings.empty());
  CHECK(restored.w() == original.w());
  CHECK(all_logs(restored) == all_logs(original));
  std::ostringstream stored;
  write_stage1_log(stored, file.stage1_log);
  CHECK(stored.str() == stage1_csv(original));
}

TEST_CASE("session file: files from before precision, batch and stats_every read as double, full batch, every row",
          "[session_file][batch]") {
  // As written before these keys and the batch_loss column existed.
  std::string old = valid_json();
  old = replace(old, ",\"precision\":\"single\",\"batch\":0,\"stats_every\":1", "");
  old = replace(old, ",\"precision\":\"double\"", "");
  const SessionFile f = parse_session_json(old, "old.json");
  CHECK(f.stage1.precision == Precision::double_precision);
  CHECK(f.stage2.precision == Precision::double_precision);
  CHECK(f.stage1.batch == 0);
  CHECK(f.stage1.stats_every == 1);
  const std::string nine_columns =
      R"({"format": "uhop-session", "version": 1, "memories": {"source": "builtin:glyphs", "count": 4},
          "stage1": {"steps": 1}, "stage2": {}, "query": {"target": 0},
          "stage1_log": {"columns": ["step","loss","delta_phi_min","delta_phi_mean","r_phi","delta_phi_max","m_phi",
                                     "lr","grad_norm"],
                         "rows": [[0, -1, 1, 2, 0.5, 3, 4, 0.1, 2], [1, -2, 1, 2, 0.5, 3, 4, null, null]]}})";
  const SessionFile g = parse_session_json(nine_columns, "old.json");
  REQUIRE(g.stage1_log.size() == 2u);
  CHECK(g.stage1_log[0].grad_norm == 2);
  CHECK(std::isnan(g.stage1_log[0].batch_loss));
}

TEST_CASE("session file: malformed files are refused naming the key", "[session_file]") {
  const std::string ok = valid_json();
  REQUIRE_NOTHROW(parse_session_json(ok, "session.json"));
  check_rejected(replace(ok, "\"beta\":2.0", "\"beta\":\"two\""), "session.json: stage2.beta: must be a number");
  check_rejected(replace(ok, "\"beta\":2.0", "\"beta\":0"), "session.json: stage2.beta: must be > 0");
  check_rejected(replace(ok, "\"beta\":2.0", "\"beta\":-1"), "stage2.beta: must be > 0");
  check_rejected(replace(ok, "\"alpha\":1.0", "\"alpha\":0.5"), "session.json: stage2.alpha: must be >= 1");
  check_rejected(replace(ok, "\"similarity\":\"kernel\"", "\"similarity\":\"cosine\""),
                 "session.json: stage2.similarity: ");
  check_rejected(replace(ok, "\"target\":1,", ""), "session.json: query.target: missing required key");
  check_rejected(replace(ok, "\"source\":\"builtin:glyphs\",", ""), "memories.source: missing required key");
  check_rejected(replace(ok, "\"version\": 1", "\"version\": 2"), "session.json: version: 2 is not supported");
  check_rejected(replace(ok, "\"version\": 1", "\"version\": \"1\""), "version: must be a whole number");
  check_rejected(replace(ok, "\"uhop-session\"", "\"something-else\""), "format: must be \"uhop-session\"");
  check_rejected(replace(ok, "\"count\":8", "\"count\":8.5"), "memories.count: must be a whole number");
  check_rejected(replace(ok, "\"count\":8", "\"count\":-3"), "memories.count: must be >= 0");
  check_rejected(replace(ok, "\"pick\":\"first\"", "\"pick\":\"best\""), "memories.pick: ");
  check_rejected(replace(ok, "\"lr\":0.1", "\"lr\":-0.1"), "stage1.lr: must be >= 0");
  check_rejected(replace(ok, "\"t\":2.0", "\"t\":0"), "stage1.t: must be > 0");
  check_rejected(replace(ok, "\"normalize_rows\":false", "\"normalize_rows\":0"),
                 "stage1.normalize_rows: must be true");
  check_rejected(replace(ok, "\"train_count\":0", "\"train_count\":1"), "stage1.train_count: must be 0 (all) or >= 2");
  check_rejected(replace(ok, "\"beta_after_sep\":false", "\"bata\":3"), "stage2.bata: unknown key");
  check_rejected(replace(ok, "\"batch\":0", "\"batch\":1"), "stage1.batch: must be 0 (all memories) or >= 2");
  check_rejected(replace(ok, "\"stats_every\":1", "\"stats_every\":0"), "stage1.stats_every: must be >= 1");
  check_rejected(replace(ok, "\"precision\":\"single\"", "\"precision\":\"half\""), "stage1.precision: ");
  check_rejected(replace(ok, "\"corruption\":\"gaussian:0.2\"", "\"corruption\":\"blur:2\""), "query.corruption: ");
  check_rejected(replace(ok, "\"seed\":0}", "\"seed\":0, \"vector\": [1, 2]}"), "query.vector: give either");
  check_rejected(replace(ok, "\"stage2\": {", "\"stage2\": 5, \"x\": {"), "session.json: stage2: must be an object");
  check_rejected(replace(ok, "\"version\": 1", "\"version\": 1, \"extra\": true"), "session.json: extra: unknown key");
  check_rejected(replace(ok, "\"query\": {", "\"w\": {\"rows\": [[1, 2], [3]]}, \"query\": {"),
                 "session.json: w.rows: row 1 has 1 values");
  check_rejected("this is not JSON", "session.json: not a valid JSON document");
  check_rejected(ok.substr(0, ok.size() / 2), "session.json: not a valid JSON document");
  check_rejected("", "session.json: not a valid JSON document");
  check_rejected("[1, 2]", "session.json: must be an object");
}

TEST_CASE("session file: a Stage I log from before w_change still loads and columns stay a known prefix",
          "[session_file]") {
  const std::string v1_columns =
      R"(["step","loss","delta_phi_min","delta_phi_mean","r_phi","delta_phi_max","m_phi","lr","grad_norm")";
  const std::string v1_rows = "[[0,1,2,3,4,5,6,0.1,7],[1,1,2,3,4,5,6,0.1,7],[2,0.5,2,3,4,5,6,null,null]]";
  const auto with_log = [&](const std::string& columns, const std::string& rows) {
    std::string text = valid_json();
    const size_t end = text.rfind("\n}");
    REQUIRE(end != std::string::npos);
    return text.substr(0, end) + ",\n  \"stage1_log\": {\"columns\": " + columns + ", \"rows\": " + rows + "}\n}\n";
  };
  const SessionFile old = parse_session_json(with_log(v1_columns + "]", v1_rows), "old.json");
  REQUIRE(old.stage1_log.size() == 3);
  CHECK(old.stage1_log[2].loss == 0.5);
  CHECK(old.stage1_log[1].grad_norm == 7);
  CHECK(std::isnan(old.stage1_log[1].w_change));  // not in the file: undefined, not 0
  const SessionFile now = parse_session_json(
      with_log(v1_columns + R"(,"w_change"])",
               "[[0,1,2,3,4,5,6,0.1,7,0],[1,1,2,3,4,5,6,0.1,7,0.25],[2,0.5,2,3,4,5,6,null,null,0.5]]"),
      "now.json");
  CHECK(now.stage1_log[1].w_change == 0.25);
  CHECK(std::isnan(now.stage1_log[1].batch_loss));
  // All eleven: batch_loss (issue 16) comes after w_change (issue 13).
  const SessionFile all = parse_session_json(
      with_log(v1_columns + R"(,"w_change","batch_loss"])",
               "[[0,1,2,3,4,5,6,0.1,7,0,1.5],[1,1,2,3,4,5,6,0.1,7,0.25,0.75],[2,0.5,2,3,4,5,6,null,null,0.5,null]]"),
      "all.json");
  CHECK(all.stage1_log[1].w_change == 0.25);
  CHECK(all.stage1_log[1].batch_loss == 0.75);
  CHECK(std::isnan(all.stage1_log[2].batch_loss));
  check_rejected(with_log(v1_columns + R"(,"batch_loss"])",
                          "[[0,1,2,3,4,5,6,0.1,7,0],[1,1,2,3,4,5,6,0.1,7,0],[2,0.5,2,3,4,5,6,null,null,0]]"),
                 "must be \"w_change\"");
  check_rejected(with_log(R"(["step","loss","delta_phi_min","delta_phi_mean","r_phi","delta_phi_max","m_phi","lr"])",
                          "[[0,1,2,3,4,5,6,0.1],[1,1,2,3,4,5,6,0.1],[2,0.5,2,3,4,5,6,null]]"),
                 "stage1_log.columns");
  check_rejected(with_log(v1_columns + R"(,"w_changed"])",
                          "[[0,1,2,3,4,5,6,0.1,7,0],[1,1,2,3,4,5,6,0.1,7,0],[2,0.5,2,3,4,5,6,null,null,0]]"),
                 "must be \"w_change\"");
  check_rejected(
      with_log(v1_columns + "]", "[[0,1,2,3,4,5,6,0.1,7],[1,1,2,3,4,5,6,0.1,7,0],[2,0.5,2,3,4,5,6,null,null]]"),
      "must be an array of 9 values");
}

TEST_CASE("session file: a failed load leaves the caller's session as it was", "[session_file]") {
  cli::TempDir dir;
  SessionOrigin origin;
  LoadOptions load;
  load.count = 8;
  Session session = glyph_run(load, origin, 3, 2);
  const std::string before = all_logs(session);
  const Matrix w_before = session.w();
  dir.write("bad.json", replace(valid_json(), "\"beta\":2.0", "\"beta\":0"));
  CHECK_THROWS_WITH(session = restore_session(read_session_file(dir / "bad.json")),
                    Catch::Contains("stage2.beta: must be > 0"));
  // Valid file, but the target does not exist among the memories it loads: refused at restore.
  dir.write("far.json", replace(valid_json(), "\"target\":1", "\"target\":99"));
  CHECK_THROWS_WITH(session = restore_session(read_session_file(dir / "far.json")),
                    Catch::Contains("query.target: 99 is outside"));
  CHECK_THROWS_WITH(read_session_file(dir / "missing.json"), Catch::Contains("no such file"));
  CHECK(all_logs(session) == before);
  CHECK(session.w() == w_before);
}

TEST_CASE("presets: every preset parses and runs", "[session_file][presets]") {
  int seen = 0;
  for (const auto& entry : fs::directory_iterator(std::string(UHOP_SOURCE_DIR) + "/assets/presets")) {
    if (entry.path().extension() != ".json") continue;
    ++seen;
    INFO(entry.path());
    const SessionFile f = read_session_file(entry.path().string());
    CHECK(!f.description.empty());
    if (f.memories.rfind("builtin:fashion-mnist", 0) == 0 && !have_fashion_mnist()) {
      WARN("skipping the run of " << entry.path() << ": " << kFashionMnistDir << " is missing");
      continue;
    }
    const Session s = restore_session(f);
    CHECK(s.stage1_steps() == f.stage1_steps);
    CHECK(static_cast<int>(s.retrieval().log.size()) == f.stage2_steps + 1);
    CHECK(std::isfinite(s.retrieval().log.back().error));
  }
  CHECK(seen >= 3);
}

TEST_CASE("preset mhm-confuses-look-alikes: MHM retrieves a look-alike, U-Hop the target", "[session_file][presets]") {
  if (!have_fashion_mnist()) {
    WARN("skipped: " << kFashionMnistDir << " is missing (apt install dataset-fashion-mnist)");
    return;
  }
  const SessionFile f = read_session_file(preset("mhm-confuses-look-alikes.json"));
  CHECK(f.stage2.similarity == Similarity::kernel);
  CHECK(f.stage2.sep.alpha == 1);
  CHECK(f.stage1_steps > 0);
  const Session s = restore_session(f);
  const int target = s.target();
  const int mhm = s.baseline().log.back().nearest;
  CHECK(mhm != target);
  // The memory MHM lands on is a look-alike: another upper-body garment (T-shirt 0, pullover 2, coat 4, shirt 6).
  const std::vector<int> tops = {0, 2, 4, 6};
  CHECK(std::count(tops.begin(), tops.end(), s.memories().labels[target]) == 1);
  CHECK(std::count(tops.begin(), tops.end(), s.memories().labels[mhm]) == 1);
  CHECK(s.retrieval().log.back().nearest == target);
  CHECK(s.retrieval().log.back().paper_error < 0.01 * s.baseline().log.back().paper_error);
  // And it is Stage I that does it: the same kernel with W_0 = I (no steps) is MHM and fails the same way.
  SessionFile untrained = f;
  untrained.stage1_steps = 0;
  CHECK(restore_session(untrained).retrieval().log.back().nearest == mhm);
}

TEST_CASE("preset sparse-retrieval-is-exact: Theorem 2's guarantee holds and retrieval is exact",
          "[session_file][presets]") {
  const SessionFile f = read_session_file(preset("sparse-retrieval-is-exact.json"));
  CHECK(f.stage2.sep.alpha > 1);
  const Session s = restore_session(f);
  const auto& log = s.retrieval().log;
  REQUIRE(log.size() >= 2);
  CHECK(log[0].exact_guaranteed);
  CHECK(log[1].one_hot);
  CHECK(log[1].error == 0);
  CHECK(log[1].nearest == s.target());
  // Before Stage I the margin is negative: no guarantee for the same query.
  SessionFile untrained = f;
  untrained.stage1_steps = 0;
  CHECK_FALSE(restore_session(untrained).retrieval().log[0].exact_guaranteed);
}

TEST_CASE("preset reference-code: the reference implementation's quirks are what it sets", "[session_file][presets]") {
  const SessionFile f = read_session_file(preset("reference-code.json"));
  CHECK(f.stage1.init == FeatureInit::gaussian);
  CHECK_FALSE(f.stage1.normalize_rows);
  CHECK(f.load.count >= 2);
  CHECK(f.stage1.train_count == f.load.count / 2);
  CHECK(f.stage2.beta_after_sep);
  CHECK(f.stage1.schedule == Schedule::reference);
  CHECK(f.stage1.lr == 1);
  CHECK(f.stage1.loss == LossKind::avg);
  CHECK(f.stage2.similarity == Similarity::kernel);
}

// The pair of issue 13: one setting apart (W_0), the same memories, query and Stage I steps.
TEST_CASE("preset pair gaussian-w0 / identity-w0: Stage I barely moves a Gaussian W_0 and separates from W_0 = I",
          "[session_file][presets]") {
  if (!have_fashion_mnist()) {
    WARN("skipped: " << kFashionMnistDir << " is missing (apt install dataset-fashion-mnist)");
    return;
  }
  const SessionFile g = read_session_file(preset("gaussian-w0-stage1-barely-moves-w.json"));
  const SessionFile i = read_session_file(preset("identity-w0-stage1-separates.json"));
  CHECK(g.stage1.init == FeatureInit::gaussian);
  CHECK(i.stage1.init == FeatureInit::identity);
  SessionFile g_as_identity = g;  // everything else is the same: the contrast is W_0's alone
  g_as_identity.stage1.init = FeatureInit::identity;
  g_as_identity.description = i.description;
  CHECK(session_json(g_as_identity) == session_json(i));

  const Session gs = restore_session(g), is = restore_session(i);
  const auto& glog = gs.stage1_log();
  const auto& ilog = is.stage1_log();
  REQUIRE(glog.size() == 101);
  REQUIRE(ilog.size() == 101);
  // Gaussian W_0: W moves by less than 1e-3 of its norm, the loss hardly changes, U-Hop lands where MHM does.
  CHECK(glog.back().w_change < 1e-3);
  CHECK(std::abs(glog.back().loss - glog.front().loss) < 0.05);
  CHECK(glog.back().delta_phi_min < 0);
  const int target = gs.target();
  CHECK(gs.baseline().log.back().nearest != target);
  CHECK(gs.retrieval().log.back().nearest == gs.baseline().log.back().nearest);
  // Its kernel scores are about d = 784 times the dot products: W_0^T W_0 ~ D I for N(0,1) entries.
  const Matrix& xi = gs.memories().patterns;
  const Vector wx = gs.w() * gs.query();
  double ratio = 0;
  for (Eigen::Index nu = 0; nu < xi.rows(); ++nu)
    ratio += (gs.w() * xi.row(nu).transpose()).dot(wx) / xi.row(nu).dot(gs.query()) / xi.rows();
  CHECK(ratio == Approx(784).epsilon(0.1));
  CHECK(glog.front().m_phi / ilog.front().m_phi == Approx(28).epsilon(0.1));  // sqrt(784)

  // W_0 = I: Stage I moves W by several percent, the loss falls, Delta^Phi_min turns positive, U-Hop retrieves.
  CHECK(ilog.back().w_change > 0.05);
  CHECK(ilog.front().loss - ilog.back().loss > 2);
  CHECK(ilog.front().delta_phi_min < 0);
  CHECK(ilog.back().delta_phi_min > 0);
  CHECK(is.baseline().log.back().nearest != target);
  CHECK(is.retrieval().log.back().nearest == target);

  // The scale is the reason: lr x 784 lets the same Gaussian W_0 separate as W_0 = I does.
  SessionFile g_scaled = g;
  g_scaled.stage1.lr = g.stage1.lr * 784;
  const Session scaled = restore_session(g_scaled);
  CHECK(scaled.stage1_log().back().loss == Approx(ilog.back().loss).margin(0.05));
  CHECK(scaled.stage1_log().back().w_change > 0.05);
  CHECK(scaled.retrieval().log.back().nearest == target);
  // The authors' lr 1 with the reference schedule (lr / sqrt(i!)) freezes it after about 10 steps.
  SessionFile g_authors = g;
  g_authors.stage1.lr = 1;
  g_authors.stage1.schedule = Schedule::reference;
  g_authors.stage1_steps = 30;  // gamma_30 = 1/sqrt(30!) ~ 6e-17: nothing moves after this
  const Session frozen = restore_session(g_authors);
  const auto& flog = frozen.stage1_log();
  REQUIRE(flog.size() == 31);
  CHECK(flog.back().w_change < 1e-3);
  CHECK(flog.back().w_change == Approx(flog[10].w_change).epsilon(1e-2));
  CHECK(flog[12].lr < 1e-4);
  CHECK(frozen.retrieval().log.back().nearest == gs.baseline().log.back().nearest);
}

TEST_CASE("cli: save-session, replay and --session reproduce the run and export its plots", "[session_file][cli]") {
  cli::TempDir dir;
  auto r = cli::run(dir,
                    "save-session --memories builtin:glyphs --count 10 --init identity --lr 0.1 --stage1-steps 5 "
                    "--similarity kernel --alpha 1.5 --beta 2 --stage2-steps 2 --target 3 --corrupt gaussian:0.2 "
                    "--corrupt-seed 9 --out s.json");
  REQUIRE(r.code == 0);
  r = cli::run(dir, "replay --session s.json --out a");
  INFO(r.err);
  REQUIRE(r.code == 0);
  for (const char* f : {"stage1.csv", "retrieval.csv", "baseline.csv", "w.csv", "query.csv"})
    CHECK(fs::exists(dir.path / "a" / f));
  for (const std::string& p : run_plot_ids())
    for (const char* ext : {".svg", ".csv", ".png"})
      CHECK(fs::exists(dir.path / "a" / "plots" / (p + std::string(ext))));
  // The replayed logs equal a direct restore of the file.
  const Session s = restore_session(read_session_file(dir / "s.json"));
  // Each exported plot is the Studio's figure of those logs (one builder, core/session/run_plots.h).
  for (const std::string& p : run_plot_ids()) {
    PlotFigure fig;
    REQUIRE(run_figure(run_logs(s), p, fig));
    std::ostringstream csv;
    write_plot_csv(csv, fig);
    CHECK(cli::slurp(dir.path / "a" / "plots" / (p + ".csv")) == csv.str());
  }
  CHECK(cli::slurp(dir.path / "a" / "stage1.csv") == stage1_csv(s));
  CHECK(cli::slurp(dir.path / "a" / "retrieval.csv") == retrieval_csv(s.retrieval().log));
  CHECK(s.stage1_steps() == 5);
  r = cli::run(dir, "--session s.json --out b");
  REQUIRE(r.code == 0);
  CHECK(cli::slurp(dir.path / "b" / "retrieval.csv") == cli::slurp(dir.path / "a" / "retrieval.csv"));
  // A bad file: exit 2, the key named, no output directory.
  dir.write("bad.json", replace(cli::slurp(dir.path / "s.json"), "\"alpha\":1.5", "\"alpha\":0.5"));
  r = cli::run(dir, "replay --session bad.json --out c");
  CHECK(r.code == 2);
  CHECK(r.err.find("stage2.alpha: must be >= 1") != std::string::npos);
  CHECK(!fs::exists(dir.path / "c"));
}
