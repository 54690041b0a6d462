// Sessions and numbers against hostile input (issue 12): session files that nest 80000 deep, name side files
// outside their folder, hold numbers beyond a double or side files that do not match; the limits a Session puts
// on what it loads, checked before the load; values too large for a double refused up front instead of NaN.
#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>

#include "cli_runner.h"
#include "data/csv_matrix.h"
#include "data/memory_sources.h"
#include "loader_test_files.h"
#include "naive_formulas.h"
#include "numerics/input_error.h"
#include "session/session.h"
#include "session/session_file.h"
#include "session/sweep.h"

namespace {
using namespace uhop;
using Catch::Matchers::Contains;
namespace fs = std::filesystem;

std::string small_json(const std::string& extra = "") {
  return R"({"format": "uhop-session", "version": 1, "memories": {"source": "builtin:glyphs", "count": 6},
  "stage1": {}, "stage2": {}, "query": {"target": 1})" +
         extra + "}";
}

void put(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

std::string replace_first(std::string text, const std::string& from, const std::string& to) {
  const size_t at = text.find(from);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}

// A session with W (D x d > kEmbedWLimit) in a side file, saved into dir (6 memories of d = 40, D = 2600: small
// enough to be quick, large enough for a side file).
SessionFile save_with_side_file(const cli::TempDir& dir) {
  Rng rng(9);
  MemorySet m = memory_set_from_matrix(naive::random_matrix(rng, 6, 40), "mem.csv");
  Stage1Settings s1;
  s1.init = FeatureInit::gaussian;
  s1.dim = 2600;
  Session s(m, s1);
  s.stage1_step();
  SessionOrigin origin;
  origin.memories = "mem.csv";
  SessionFile f = capture_session(s, origin);
  write_session_file(dir / "s.json", f);
  REQUIRE(fs::exists(dir / "s.w.csv"));
  return f;
}
}  // namespace

TEST_CASE("a session file nesting arrays 80000 deep is refused, not a stack overflow", "[session_file][hostile]") {
  const std::string deep = std::string(80000, '[') + std::string(80000, ']');
  CHECK_THROWS_WITH(parse_session_json(deep, "deep.json"), Contains("deep.json") && Contains("nest more than 64"));
  const std::string deep_objects = small_json(R"(, "description": "[[[[ in a string is fine")");
  CHECK_NOTHROW(parse_session_json(deep_objects, "ok.json"));
  std::string nested = "{\"a\":";
  for (int i = 0; i < 70; ++i) nested += "{\"a\":";
  CHECK_THROWS_WITH(parse_session_json(nested + "1" + std::string(71, '}') + "}", "o.json"),
                    Contains("nest more than 64"));
  // Through the file reader too (the CLI and the Studio load this way).
  cli::TempDir dir;
  put(dir / "deep.json", deep);
  CHECK_THROWS_WITH(read_session_file(dir / "deep.json"), Contains("nest more than 64"));
}

// Issue 24: 120,000 keys in one object cost the JSON library's ordered object a linear search per key (18 s). The
// shape check counts keys per object and refuses past the cap before the library sees the text, so its work stays
// linear: the cap itself is what is tested (a 64-key object reaches the library, a 65-key one does not).
TEST_CASE("an object with 120000 keys is refused by the key cap before it is parsed", "[session_file][hostile]") {
  const auto with_keys = [](int n) {
    std::string keys;
    for (int i = 0; i < n; ++i) keys += (i ? ",\"k" : "\"k") + std::to_string(i) + "\":0";
    return small_json(", \"exports\": {" + keys + "}");
  };
  CHECK_THROWS_WITH(parse_session_json(with_keys(120000), "many.json"),
                    Contains("many.json") && Contains("more than 64 keys") && Contains("at byte"));
  CHECK_THROWS_WITH(parse_session_json(with_keys(65), "k.json"), Contains("more than 64 keys"));
  CHECK_THROWS_WITH(parse_session_json(with_keys(64), "k.json"), Contains("exports.k0: unknown key"));
  // Keys inside strings and nested objects count for their own object only.
  std::string nested = "{\"s\": \"a:b:c\"";
  for (int i = 0; i < 40; ++i) nested += ",\"n" + std::to_string(i) + "\": {\"x\": 1, \"y\": 2}";
  CHECK_THROWS_WITH(parse_session_json(small_json(", \"exports\": " + nested + "}"), "n.json"),
                    Contains("unknown key"));
}

TEST_CASE("session files: numbers beyond a double, type errors and sizes are refused naming the file",
          "[session_file][hostile]") {
  const std::string huge = small_json();
  CHECK_THROWS_WITH(parse_session_json(replace_first(huge, "\"count\": 6", "\"count\": 1e400"), "s.json"),
                    Contains("s.json") && Contains("out of range"));
  CHECK_THROWS_WITH(
      parse_session_json(replace_first(huge, "\"stage2\": {}", "\"stage2\": {\"beta\": 1e400}"), "s.json"),
      Contains("out of range"));
  CHECK_THROWS_WITH(
      parse_session_json(replace_first(huge, "\"stage2\": {}", "\"stage2\": {\"beta\": 1e200}"), "s.json"),
      Contains("stage2.beta: must be <= 1e100"));
  CHECK_THROWS_WITH(
      parse_session_json(replace_first(huge, "\"stage1\": {}", "\"stage1\": {\"steps\": 99999999999}"), "s.json"),
      Contains("stage1.steps: must be <= 1000000"));
  CHECK_THROWS_WITH(
      parse_session_json(replace_first(huge, "\"stage1\": {}", "\"stage1\": {\"seed\": 184467440737095516150}"),
                         "s.json"),
      Contains("s.json"));
  CHECK_THROWS_WITH(parse_session_json(replace_first(huge, "\"count\": 6", "\"count\": -1"), "s.json"),
                    Contains("memories.count"));
  CHECK_THROWS_WITH(parse_session_json(replace_first(huge, "\"target\": 1", "\"target\": [1]"), "s.json"),
                    Contains("query.target"));
  // The file cap: 32 MiB, refused before parsing.
  cli::TempDir dir;
  put(dir / "big.json", small_json(", \"description\": \"" + std::string(kMaxSessionFileBytes, 'x') + "\""));
  CHECK_THROWS_WITH(read_session_file(dir / "big.json"), Contains("bytes this loader accepts"));
  // A FIFO or a device as the session file is refused at once.
  REQUIRE(::mkfifo((dir / "pipe.json").c_str(), 0600) == 0);
  CHECK_THROWS_WITH(read_session_file(dir / "pipe.json"), Contains("FIFO"));
  CHECK_THROWS_WITH(read_session_file("/dev/zero"), Contains("character device"));
}

TEST_CASE("session side files must stay in the session's folder and never echo what they point at",
          "[session_file][hostile]") {
  cli::TempDir dir;
  fs::create_directories(dir.path / "inner");
  put(dir / "secret.w.csv", "SECRET-BYTES,1\n");
  const auto with_file = [](const std::string& name) {
    return small_json(R"(, "w": {"file": ")" + name + R"(", "rows": 1, "cols": 2})");
  };
  const std::string base = (dir.path / "inner").string();
  for (const std::string& name :
       {std::string("../secret.w.csv"), std::string("../../../../etc/shadow"), (dir.path / "secret.w.csv").string()}) {
    INFO(name);
    try {
      parse_session_json(with_file(name), "s.json", base);
      FAIL("accepted " << name);
    } catch (const InputError& e) {
      CHECK_THAT(std::string(e.what()), Contains("w.file") && Contains("inside the session file's folder"));
      CHECK_THAT(std::string(e.what()), !Contains("SECRET") && !Contains("root:"));
    }
  }
  fs::create_symlink(dir / "secret.w.csv", dir.path / "inner" / "link.w.csv");
  CHECK_THROWS_WITH(parse_session_json(with_file("link.w.csv"), "s.json", base),
                    Contains("symbolic link") && !Contains("SECRET"));
  // A side file inside the folder is read (here: wrong size for the session, named as such).
  put((dir.path / "inner" / "ok.w.csv").string(), "1,2\n");
  CHECK_NOTHROW(parse_session_json(with_file("ok.w.csv"), "s.json", base));
}

TEST_CASE("a side file that is not the one the session was saved with is refused, not installed",
          "[session_file][hostile]") {
  cli::TempDir dir;
  const SessionFile saved = save_with_side_file(dir);
  const std::string text = cli::slurp(dir / "s.json");
  CHECK_THAT(text, Contains("\"bytes\":") && Contains("\"fnv1a64\":"));
  CHECK_NOTHROW(read_session_file(dir / "s.json"));
  // A kill between the renames of a later save: a newer W beside this JSON (same shape, other numbers).
  Matrix other = *saved.w;
  other(0, 0) += 1;
  write_csv_matrix(dir / "s.w.csv", other);
  CHECK_THROWS_WITH(read_session_file(dir / "s.json"),
                    Contains("w.file") && Contains("not the file this session was saved with"));
  // Files saved before sizes and hashes were recorded still load (nothing to check against).
  std::string old_style = text;
  const size_t at = old_style.find(",\"bytes\"");
  REQUIRE(at != std::string::npos);
  old_style.erase(at, old_style.find('}', at) - at);
  put(dir / "old.json", old_style);
  write_csv_matrix(dir / "s.w.csv", *saved.w);
  CHECK_NOTHROW(read_session_file(dir / "old.json"));
}

TEST_CASE("session limits are checked before the memories are read", "[session][limits]") {
  uhop_test::TempDir dir("limits");
  // An IDX header promising 200000 images of 28x28 (more than kMaxSessionMemories = 100000), then nothing: a loader
  // that read first would call it truncated.
  std::vector<uint8_t> header = {0, 0, 0x08, 3};
  uhop_test::put_u32_big_endian(header, 200000);
  uhop_test::put_u32_big_endian(header, 28);
  uhop_test::put_u32_big_endian(header, 28);
  uhop_test::write_bytes(dir.file("big-images-idx3-ubyte"), header);
  // (Without a count a file source gives at most LoadOptions::default_max_count memories: ask for all of them.)
  LoadOptions all_big;
  all_big.count = 200000;
  CHECK_THROWS_WITH(load_memories(dir.file("big-images-idx3-ubyte"), with_session_limits(all_big)),
                    Contains("M = 200000 memories is more than a session holds"));
  LoadOptions count;
  count.count = 100;  // 100 of the 200000 fit: the file is then read (and found truncated)
  CHECK_THROWS_WITH(load_memories(dir.file("big-images-idx3-ubyte"), with_session_limits(count)),
                    Contains("truncated"));
  // 60000 images of 64x64 are within the count but not within M x d <= 2^27 values (1 GiB per copy of the memories).
  std::vector<uint8_t> wide = {0, 0, 0x08, 3};
  uhop_test::put_u32_big_endian(wide, 60000);
  uhop_test::put_u32_big_endian(wide, 64);
  uhop_test::put_u32_big_endian(wide, 64);
  uhop_test::write_bytes(dir.file("wide-images-idx3-ubyte"), wide);
  LoadOptions all_wide;
  all_wide.count = 60000;
  CHECK_THROWS_WITH(load_memories(dir.file("wide-images-idx3-ubyte"), with_session_limits(all_wide)),
                    Contains("M x d = 60000 x 4096 values is more than a session holds"));
  // --size 200x200: d = 40000 and W = 12.8 GB, refused before any image is decoded (this one is not even an image).
  uhop_test::write_bytes(dir.file("not-an-image.png"), {'x'});
  LoadOptions size;
  size.width = size.height = 200;
  CHECK_THROWS_WITH(load_memories(dir.file("not-an-image.png"), with_session_limits(size)),
                    Contains("d = C*H*W = 1*200*200 = 40000") && Contains("12.8 GB") &&
                        Contains("smaller image size (at most 76x76)"));
  LoadOptions dim;
  CHECK_THROWS_WITH(load_memories("builtin:glyphs", with_session_limits(dim, 100000)),
                    Contains("smaller feature dimension D (at most 42799)"));
  // The Session itself checks the same limits (for memories that did not come through a loader).
  CHECK_THROWS_WITH(Session(memory_set_from_matrix(Matrix::Zero(3, 6000), "wide")), Contains("W is D x d"));
}

TEST_CASE("values too large for a double are refused up front, never NaN later", "[session][numerics][hostile]") {
  Rng rng(3);
  const Matrix xi = naive::random_matrix(rng, 5, 6);
  // Memories near 1e100 (squares overflow), one 1e308 cell, a W of 1e300 I.
  CHECK_THROWS_WITH(Session(memory_set_from_matrix(xi * 1e100, "big")),
                    Contains("memories: values up to") && Contains("too large"));
  Matrix cell = xi;
  cell(2, 3) = 1e308;
  CHECK_THROWS_WITH(Session(memory_set_from_matrix(cell, "cell")), Contains("too large"));
  Session s(memory_set_from_matrix(xi, "ok"));
  CHECK_THROWS_WITH(s.set_initial_w(Matrix::Identity(6, 6) * 1e300), Contains("W: entries up to 1e+300"));
  CHECK(s.w() == Matrix::Identity(6, 6));  // kept
  CHECK_THROWS_WITH(s.set_query(Vector::Constant(6, 1e200), 0), Contains("query"));
  // Beta above its limit is refused (and the settings kept); at the limit, with memories near 1e60, every value of
  // the run is still finite: the scale limit and the beta limit together keep beta s(x) inside a double.
  RetrievalSettings r;
  r.beta = 1e101;
  CHECK_THROWS_WITH(s.set_retrieval_settings(r), Contains("beta"));
  CHECK(s.retrieval_settings().beta == 1.0);
  // Memories near 1e60 do not fit single precision (the default): refused, naming the way out; in double they do.
  CHECK_THROWS_WITH(Session(memory_set_from_matrix(xi * 1e60, "wide")),
                    Contains("too large") && Contains("--precision double"));
  Stage1Settings s1;
  s1.precision = Precision::double_precision;
  Session wide(memory_set_from_matrix(xi * 1e60, "wide"), s1);
  r.beta = 1e100;
  REQUIRE_NOTHROW(wide.set_retrieval_settings(r));
  REQUIRE_NOTHROW(wide.stage2_step());
  REQUIRE_NOTHROW(wide.stage1_step());
  for (const auto& row : wide.retrieval().log) CHECK((std::isfinite(row.error) && std::isfinite(row.energy)));
  for (const auto& row : wide.stage1_log())
    CHECK((std::isfinite(row.loss) && std::isfinite(row.delta_phi_min) && std::isfinite(row.r_phi)));
}

TEST_CASE("extreme beta: sparsemax and entmax runs stay finite and one-hot; the bound saturates, never inf",
          "[session][numerics]") {
  LoadOptions load;
  load.count = 10;
  MemorySet m = load_memories("builtin:glyphs", load);
  for (double alpha : {1.0, 1.3, 1.5, 2.0}) {
    INFO("alpha " << alpha);
    RetrievalSettings r;
    r.sep.alpha = alpha;
    r.beta = 1e15;
    r.similarity = Similarity::dot;
    Session s(m, Stage1Settings{}, r);
    s.set_query(m.patterns.row(4).transpose() * 0.9, 4);
    s.stage2_step();
    const RetrievalRecord& last = s.retrieval().log.back();
    CHECK(std::isfinite(last.error));
    CHECK(s.retrieval().weights.maxCoeff() == 1.0);  // one-hot at beta = 1e15 (the old sort-based forms gave NaN)
    CHECK(s.retrieval().weights.sum() == 1.0);
    for (const auto& row : s.retrieval().log) {
      CHECK(std::isfinite(row.energy));
      if (!std::isnan(row.bound_value)) CHECK(std::isfinite(row.bound_value));
    }
  }
  // beta = 1e4 with a negative margin: the Lemma 1 number overflows a double; it is written as DBL_MAX (vacuous).
  RetrievalSettings r;
  r.beta = 1e4;
  r.similarity = Similarity::dot;
  Session s(m, Stage1Settings{}, r);
  s.stage2_step();
  CHECK(s.retrieval().log.back().bound_value == std::numeric_limits<double>::max());
  CHECK(bound_is_vacuous(s.identity_stats(), s.retrieval().log.back().bound_value));
}

TEST_CASE("sweeps never report NaN cells: sparse and entmax at beta 1e15 are finite", "[sweep][numerics]") {
  SweepSettings s = default_sweep_settings();
  s.memories = "builtin:glyphs";
  s.vary = SweepAxis::count;
  s.values = {6};
  s.methods = {"sparse", "entmax"};
  s.seeds = 1;
  s.stage1_steps = 0;
  s.beta = 1e15;
  for (const SweepCellResult& r : run_sweep(s, {}, {})) {
    INFO(r.cell.method);
    CHECK(std::isfinite(r.paper_error));
    CHECK(std::isfinite(r.paper_error_std));
  }
}

TEST_CASE("a session's memories.source of any format: messages say where and what, never the file's bytes",
          "[session_file][hostile][provenance]") {
  // The audit's files (issue 24, F2), each holding the marker AUDIT25-SECRET where a decoder would quote it.
  cli::TempDir dir;
  const std::string secret = "AUDIT25-SECRET";
  // PNG: IHDR, then a chunk of type "SECR" with a wrong CRC.
  const std::string ihdr_crc = "\x57\xdd\x52\xf8";  // CRC-32 of "IHDR" and a 2x2 gray 8-bit header
  put(dir / "a.png", std::string("\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR\0\0\0\x02\0\0\0\x02\x08\0\0\0\0", 29) + ihdr_crc +
                         std::string("\0\0\0\x04SECRXXXX\0\0\0\0\0\0\0\0", 20));
  put(dir / "b.jpg", "\xff\xd8\xff" + secret);
  put(dir / "c.bmp", "BM" + std::string(12, '\0') + secret + std::string(30, '\0'));
  fs::create_directories(dir.path / "e");
  put(dir / "e/AUDIT25-SECRET.png", "x");
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"a.png", "CRC"}, {"b.jpg", "marker"}, {"c.bmp", "unknown header size"}, {"e", "item 1"}};
  for (const auto& [file, kind] : cases) {
    INFO(file);
    const std::string json = R"({"format": "uhop-session", "version": 1, "memories": {"source": ")" +
                             (dir.path / file).string() + R"(", "count": 0}, "stage1": {}, "stage2": {},
                             "query": {"target": 0}})";
    std::string inside = "(loaded)";
    try {
      restore_session(parse_session_json(json, "s.json", dir.path.string()));
    } catch (const InputError& e) {
      inside = e.what();
    }
    CHECK_THAT(inside, Contains(kind));
    CHECK_THAT(inside, !Contains("SECR") && !Contains("AUDIT") && !Contains("0x41") && !Contains("1229215041"));
    // Named by the user: the bytes that are wrong are quoted (the chunk type, the marker, the field, the file).
    std::string named = "(loaded)";
    try {
      load_memories(dir / file);
    } catch (const InputError& e) {
      named = e.what();
    }
    CHECK_THAT(named, Contains("SECR") || Contains("0x41") || Contains("1229215041"));
  }
}
