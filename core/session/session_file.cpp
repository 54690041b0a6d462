#include "session_file.h"

#include <climits>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <limits>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "data/csv_matrix.h"
#include "json_shape.h"
#include "io/atomic_file.h"
#include "io/file_bytes.h"
#include "io/path_policy.h"
#include "numerics/input_error.h"
#include "session_budget.h"

namespace uhop {
namespace {
using json = nlohmann::ordered_json;
namespace fs = std::filesystem;

constexpr const char* kHashKey = "fnv1a64";  // content_hash of a side file

// Columns are only ever appended: a file from an older build holds the first kFirstStage1LogColumns of them (the
// log is informational, the replay recomputes it), and the missing ones read as undefined.
const std::vector<std::string> kStage1LogColumns = {"step",      "loss",          "delta_phi_min", "delta_phi_mean",
                                                    "r_phi",     "delta_phi_max", "m_phi",         "lr",
                                                    "grad_norm", "w_change",      "batch_loss"};
constexpr size_t kFirstStage1LogColumns = 9;  // version 1 as first released (up to grad_norm)

// One JSON object being read: every lookup is remembered so that finish() can refuse keys nobody asked for (a
// misspelt "bata" must not silently fall back to the default beta).
class ObjectReader {
 public:
  ObjectReader(const json& j, std::string file, std::string where) : j_(j), file_(std::move(file)), where_(where) {
    if (!j.is_object()) throw error_at(where_, "must be an object");
  }

  InputError error_at(const std::string& where, const std::string& what) const {
    return input_error(file_, (where.empty() ? std::string() : where + ": ") + what);
  }
  InputError error(const std::string& key, const std::string& what) const { return error_at(path(key), what); }
  std::string path(const std::string& key) const { return where_.empty() ? key : where_ + "." + key; }
  const std::string& file() const { return file_; }

  const json* find(const std::string& key) {
    seen_.insert(key);
    auto it = j_.find(key);
    return it == j_.end() ? nullptr : &*it;
  }
  const json& required(const std::string& key) {
    const json* v = find(key);
    if (!v) throw error(key, "missing required key");
    return *v;
  }
  bool has(const std::string& key) { return find(key) != nullptr; }

  double number(const std::string& key, double fallback) {
    const json* v = find(key);
    if (!v) return fallback;
    if (!v->is_number()) throw error(key, "must be a number");
    const double x = v->get<double>();
    if (!std::isfinite(x)) throw error(key, "must be finite");
    return x;
  }
  long long integer(const std::string& key, long long fallback, long long lo, long long hi) {
    const json* v = find(key);
    if (!v) return fallback;
    if (!v->is_number_integer()) throw error(key, "must be a whole number");
    if (v->is_number_unsigned() && v->get<uint64_t>() > static_cast<uint64_t>(hi))
      throw error(key, "must be <= " + std::to_string(hi));
    const long long x = v->get<long long>();
    if (x < lo) throw error(key, "must be >= " + std::to_string(lo));
    if (x > hi) throw error(key, "must be <= " + std::to_string(hi));
    return x;
  }
  uint64_t seed(const std::string& key, uint64_t fallback) {
    const json* v = find(key);
    if (!v) return fallback;
    if (!v->is_number_unsigned() && !(v->is_number_integer() && v->get<long long>() >= 0))
      throw error(key, "must be a whole number >= 0");
    return v->get<uint64_t>();
  }
  bool boolean(const std::string& key, bool fallback) {
    const json* v = find(key);
    if (!v) return fallback;
    if (!v->is_boolean()) throw error(key, "must be true or false");
    return v->get<bool>();
  }
  std::string string(const std::string& key, const std::string& fallback) {
    const json* v = find(key);
    if (!v) return fallback;
    if (!v->is_string()) throw error(key, "must be a string");
    return v->get<std::string>();
  }
  // Parses an enum-like string with the core's parser, re-throwing its message under this key.
  template <class T, class Parse>
  T choice(const std::string& key, T fallback, Parse parse) {
    if (!has(key)) return fallback;
    const std::string s = string(key, "");
    try {
      return parse(s);
    } catch (const InputError& e) {
      throw error(key, e.what());
    }
  }

  void finish() const {
    for (auto it = j_.begin(); it != j_.end(); ++it)
      if (!seen_.count(it.key())) throw error(it.key(), "unknown key");
  }

 private:
  const json& j_;
  std::string file_, where_;
  std::set<std::string> seen_;
};

double json_number_or_nan(const json& v, const ObjectReader& r, const std::string& where) {
  if (v.is_null()) return std::numeric_limits<double>::quiet_NaN();
  if (!v.is_number()) throw r.error_at(where, "must be a number or null");
  return v.get<double>();
}

std::vector<double> finite_numbers(const json& v, const ObjectReader& r, const std::string& where) {
  if (!v.is_array()) throw r.error_at(where, "must be an array of numbers");
  std::vector<double> out;
  out.reserve(v.size());
  for (size_t i = 0; i < v.size(); ++i) {
    const json& x = v[i];
    if (!x.is_number()) throw r.error_at(where + "[" + std::to_string(i) + "]", "must be a number");
    out.push_back(x.get<double>());
    if (!std::isfinite(out.back())) throw r.error_at(where + "[" + std::to_string(i) + "]", "must be finite");
  }
  return out;
}

Matrix read_matrix(ObjectReader& parent, const std::string& key, const std::string& base_dir) {
  ObjectReader r(parent.required(key), parent.file(), parent.path(key));
  const bool embedded = r.has("rows") && r.find("rows")->is_array();
  Matrix m;
  if (embedded) {
    const json& rows = r.required("rows");
    if (rows.empty()) throw r.error("rows", "must hold at least one row");
    for (size_t i = 0; i < rows.size(); ++i) {
      const std::vector<double> row = finite_numbers(rows[i], r, r.path("rows") + "[" + std::to_string(i) + "]");
      if (i == 0) {
        if (row.empty()) throw r.error("rows", "rows must not be empty");
        m.resize(static_cast<Eigen::Index>(rows.size()), static_cast<Eigen::Index>(row.size()));
      }
      if (static_cast<Eigen::Index>(row.size()) != m.cols())
        throw r.error("rows", "row " + std::to_string(i) + " has " + std::to_string(row.size()) +
                                  " values, row 0 has " + std::to_string(m.cols()));
      for (size_t c = 0; c < row.size(); ++c) m(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(c)) = row[c];
    }
    if (r.has("cols")) throw r.error("cols", "only with \"file\"");
  } else {
    const std::string file = r.string("file", "");
    if (!r.has("file")) throw r.error("file", "missing required key (or give \"rows\" as an array of rows)");
    const long long rows = r.integer("rows", -1, 1, kMaxWValues), cols = r.integer("cols", -1, 1, kMaxWValues);
    if (rows < 0) throw r.error("rows", "missing required key");
    if (cols < 0) throw r.error("cols", "missing required key");
    if (rows * cols > kMaxWValues)
      throw r.error("rows", std::to_string(rows) + " x " + std::to_string(cols) + " is more than a session holds");
    const long long bytes = r.integer("bytes", -1, 1, LLONG_MAX);
    const std::string hash = r.string(kHashKey, "");
    // The name is data: it must stay inside the session file's folder (no "..", not absolute, no symlink at any
    // step). It is opened once through the folder's descriptor and read whole; its size and hash are checked
    // against the record before a byte is parsed, and the parser never quotes its content (it came from a name in
    // a data file), so a file swapped in behind our back can neither be read past the checks nor echoed.
    const std::string where = r.file() + ": " + r.path("file");
    const std::vector<uint8_t> content =
        read_file_inside_folder(base_dir, file, static_cast<uint64_t>(kCsvBytesPerValue * rows * cols + 4096), where);
    // The JSON is renamed into place after its side files (the commit point): a side file that is not the one the
    // JSON was saved with (a kill between the renames, an edit) is refused rather than installed.
    if ((bytes >= 0 && static_cast<uint64_t>(bytes) != content.size()) ||
        (!hash.empty() && hash != content_hash(content.data(), content.size())))
      throw r.error("file", text_excerpt(file, 200) +
                                " is not the file this session was saved with (its size or hash differs from the "
                                "session's record of " +
                                std::to_string(bytes) + " bytes, hash " + text_excerpt(hash, 20) +
                                "): it was changed or replaced after the save");
    m = parse_csv_matrix(reinterpret_cast<const char*>(content.data()), content.size(), where, rows * cols, false);
    if (m.rows() != rows || m.cols() != cols)
      throw r.error("file", file + " holds a " + std::to_string(m.rows()) + "x" + std::to_string(m.cols()) +
                                " matrix, the session says " + std::to_string(rows) + "x" + std::to_string(cols));
  }
  r.finish();
  return m;
}

std::vector<Stage1Record> read_stage1_log(ObjectReader& parent) {
  ObjectReader r(parent.required("stage1_log"), parent.file(), "stage1_log");
  const json& columns = r.required("columns");
  if (!columns.is_array() || columns.size() < kFirstStage1LogColumns || columns.size() > kStage1LogColumns.size())
    throw r.error("columns", "must be the first " + std::to_string(kFirstStage1LogColumns) + " to " +
                                 std::to_string(kStage1LogColumns.size()) + " Stage I log columns");
  for (size_t i = 0; i < columns.size(); ++i)
    if (!columns[i].is_string() || columns[i].get<std::string>() != kStage1LogColumns[i])
      throw r.error("columns", "column " + std::to_string(i) + " must be \"" + kStage1LogColumns[i] + "\"");
  const json& rows = r.required("rows");
  if (!rows.is_array()) throw r.error("rows", "must be an array of rows");
  std::vector<Stage1Record> log;
  for (size_t i = 0; i < rows.size(); ++i) {
    const std::string where = r.path("rows") + "[" + std::to_string(i) + "]";
    const json& row = rows[i];
    if (!row.is_array() || row.size() != columns.size())
      throw r.error_at(where, "must be an array of " + std::to_string(columns.size()) + " values");
    if (!row[0].is_number_integer() || row[0].get<long long>() != static_cast<long long>(i))
      throw r.error_at(where, "step must be " + std::to_string(i));
    Stage1Record rec;
    rec.step = static_cast<int>(i);
    rec.batch_loss = std::numeric_limits<double>::quiet_NaN();  // not in files written before the column existed
    double* fields[] = {
        &rec.loss, &rec.delta_phi_min, &rec.delta_phi_mean, &rec.r_phi,     &rec.delta_phi_max, &rec.m_phi,
        &rec.lr,   &rec.grad_norm,     &rec.w_change,       &rec.batch_loss};
    rec.w_change = std::numeric_limits<double>::quiet_NaN();  // columns an older file does not have
    for (size_t c = 1; c < row.size(); ++c) *fields[c - 1] = json_number_or_nan(row[c], r, where);
    // Lemma 1's margins follow from the stored columns (as Session computes them); the target's needs Delta^Phi of
    // one memory, which the file does not keep.
    rec.bound_margin_min = rec.delta_phi_min - 2 * rec.m_phi * rec.r_phi;
    rec.bound_margin_mean = rec.delta_phi_mean - 2 * rec.m_phi * rec.r_phi;
    rec.bound_margin_target = std::numeric_limits<double>::quiet_NaN();
    log.push_back(rec);
  }
  r.finish();
  return log;
}

ExportSettings read_exports(ObjectReader& parent) {
  ObjectReader r(parent.required("exports"), parent.file(), "exports");
  ExportSettings e;
  e.format = r.choice("format", e.format, parse_plot_format);
  e.unit = r.choice("unit", e.unit, parse_size_unit);
  e.width = r.number("width", e.width);
  e.height = r.number("height", e.height);
  e.dpi = r.number("dpi", e.dpi);
  e.font_scale = r.number("font_scale", e.font_scale);
  e.theme = r.choice("theme", e.theme, parse_plot_theme);
  e.folder = r.string("folder", e.folder);
  r.finish();
  try {
    check_export_settings(e);  // its messages start with the key
  } catch (const InputError& err) {
    throw input_error(r.file(), std::string("exports.") + err.what());
  }
  return e;
}

json matrix_rows(const Matrix& m) {
  json rows = json::array();
  for (Eigen::Index i = 0; i < m.rows(); ++i) {
    json row = json::array();
    for (Eigen::Index j = 0; j < m.cols(); ++j) row.push_back(m(i, j));
    rows.push_back(std::move(row));
  }
  return rows;
}

json nan_as_null(double v) {
  return std::isnan(v) ? json(nullptr) : json(v);
}

// Rows of a matrix one per line, the rest compact: diffable and readable by a person, still plain JSON.
void write_rows(std::ostream& out, const json& rows, const std::string& indent) {
  out << "[";
  for (size_t i = 0; i < rows.size(); ++i) out << (i ? ",\n" : "\n") << indent << rows[i].dump();
  out << "]";
}

// The Stage I curve is stored only up to this many rows (~4 MB): it is informational (the replay recomputes it),
// and a million-step curve would not fit the session file cap.
constexpr size_t kMaxStoredLogRows = 20000;

std::string side_file_name(const std::string& path, const char* suffix) {
  std::string stem = fs::path(path).filename().string();
  if (stem.size() > 5 && stem.compare(stem.size() - 5, 5, ".json") == 0) stem.resize(stem.size() - 5);
  return stem + suffix;
}

std::string resolve_source(const SessionFile& file) {
  const std::string& src = file.memories;
  if (src.rfind("builtin:", 0) == 0 || file.base_dir.empty() || fs::path(src).is_absolute()) return src;
  const fs::path beside = fs::path(file.base_dir) / src;
  std::error_code ec;
  return fs::exists(beside, ec) ? beside.string() : src;
}
}  // namespace

namespace {
SessionFile parse_session_document(const json& doc, const std::string& name, const std::string& base_dir);
}  // namespace

SessionFile parse_session_json(const std::string& text, const std::string& name, const std::string& base_dir) {
  check_json_shape(text, name);
  json doc;
  try {
    doc = json::parse(text);
  } catch (const json::parse_error& e) {
    // e.what() carries nlohmann's "[json.exception.parse_error.101] " prefix; the byte position is what helps.
    throw input_error(name, "not a valid JSON document (syntax error at byte " + std::to_string(e.byte) + ")");
  } catch (const json::out_of_range& e) {
    // 406: a number such as 1e400 that no double can hold.
    throw input_error(name, "a number is out of range (beyond ±1.8e308, e.g. 1e400): every number must be finite");
  } catch (const json::exception& e) {
    throw input_error(name, "not a valid JSON document (" + std::string(e.what()) + ")");
  }
  try {
    return parse_session_document(doc, name, base_dir);
  } catch (const json::exception& e) {  // a type the checks above let through: still the file's fault, not ours
    throw input_error(name, std::string("unexpected value (") + e.what() + ")");
  }
}

namespace {
SessionFile parse_session_document(const json& doc, const std::string& name, const std::string& base_dir) {
  ObjectReader top(doc, name, "");
  if (top.string("format", "") != "uhop-session")
    throw top.error("format", top.has("format") ? "must be \"uhop-session\"" : "missing required key");
  const json& version = top.required("version");
  if (!version.is_number_integer()) throw top.error("version", "must be a whole number");
  if (version.get<long long>() != kSessionFormatVersion)
    throw top.error("version", std::to_string(version.get<long long>()) + " is not supported (this program reads " +
                                   std::to_string(kSessionFormatVersion) + ")");
  SessionFile f;
  f.base_dir = base_dir;
  f.description = top.string("description", "");

  {
    ObjectReader r(top.required("memories"), name, "memories");
    f.memories = r.string("source", "");
    if (!r.has("source")) throw r.error("source", "missing required key");
    if (f.memories.empty()) throw r.error("source", "must not be empty");
    f.load.count = static_cast<int>(r.integer("count", 0, 0, 1 << 30));
    f.load.offset = static_cast<int>(r.integer("offset", 0, 0, 1 << 30));
    f.load.pick = r.choice("pick", Pick::first, parse_pick);
    f.load.seed = r.seed("seed", 0);
    f.load.keep_rgb = r.boolean("rgb", false);
    f.load.width = static_cast<int>(r.integer("width", 0, 0, 4096));
    f.load.height = static_cast<int>(r.integer("height", 0, 0, 4096));
    if ((f.load.width == 0) != (f.load.height == 0)) throw r.error("height", "give both width and height, or neither");
    f.load.normalization = r.choice("normalize", Normalization::none, parse_normalization);
    r.finish();
  }
  {
    ObjectReader r(top.required("stage1"), name, "stage1");
    Stage1Settings& s = f.stage1;
    s.init = r.choice("init", s.init, parse_feature_init);
    s.dim = static_cast<int>(r.integer("dim", 0, 0, kMaxWValues));
    s.lr = r.number("lr", s.lr);
    if (s.lr < 0) throw r.error("lr", "must be >= 0");
    s.schedule = r.choice("schedule", s.schedule, parse_schedule);
    s.optimizer = r.choice("optimizer", s.optimizer, parse_optimizer);
    s.t = r.number("t", s.t);
    if (!(s.t > 0)) throw r.error("t", "must be > 0");
    s.loss = r.choice("loss", s.loss, parse_loss_kind);
    s.normalize_rows = r.boolean("normalize_rows", false);
    s.seed = r.seed("seed", 0);
    s.train_count = static_cast<int>(r.integer("train_count", 0, 0, 1 << 30));
    if (s.train_count == 1) throw r.error("train_count", "must be 0 (all) or >= 2");
    // Files from before these keys were computed in double, full batch, statistics on every row.
    s.precision = r.choice("precision", Precision::double_precision, parse_precision);
    s.batch = static_cast<int>(r.integer("batch", 0, 0, 1 << 30));
    if (s.batch == 1) throw r.error("batch", "must be 0 (all memories) or >= 2");
    s.stats_every = static_cast<int>(r.integer("stats_every", 1, 1, 1 << 30));
    f.stage1_steps = static_cast<int>(r.integer("steps", 0, 0, kMaxStage1Steps));
    f.stage1_finished = r.boolean("finished", false);
    r.finish();
  }
  {
    ObjectReader r(top.required("stage2"), name, "stage2");
    RetrievalSettings& s = f.stage2;
    s.similarity = r.choice("similarity", s.similarity, parse_similarity);
    s.sep.alpha = r.number("alpha", 1.0);
    if (s.sep.alpha < 1) throw r.error("alpha", "must be >= 1 (1 softmax, 1.5 entmax, 2 sparsemax)");
    s.sep.top_k = static_cast<int>(r.integer("top_k", 0, 0, 1 << 30));
    s.beta = r.number("beta", 1.0);
    if (!(s.beta > 0)) throw r.error("beta", "must be > 0");
    if (s.beta > kMaxBeta) throw r.error("beta", "must be <= 1e100");
    s.beta_after_sep = r.boolean("beta_after_sep", false);
    s.precision = r.choice("precision", Precision::double_precision, parse_precision);
    f.stage2_steps = static_cast<int>(r.integer("steps", 0, 0, kMaxStage2Steps));
    r.finish();
  }
  {
    ObjectReader r(top.required("query"), name, "query");
    const long long target = r.integer("target", -1, 0, 1 << 30);
    if (target < 0) throw r.error("target", "missing required key");
    f.target = static_cast<int>(target);
    if (r.has("corruption") && r.has("vector")) throw r.error("vector", "give either corruption or vector, not both");
    if (r.has("corruption")) {
      f.corruption = r.string("corruption", "");
      try {
        parse_corruption(f.corruption);
      } catch (const InputError& e) {
        throw r.error("corruption", e.what());
      }
      f.corruption_seed = r.seed("seed", 0);
    } else if (r.has("vector")) {
      const std::vector<double> v = finite_numbers(*r.find("vector"), r, r.path("vector"));
      if (v.empty()) throw r.error("vector", "must not be empty");
      f.query = Eigen::Map<const Vector>(v.data(), static_cast<Eigen::Index>(v.size()));
    }
    r.finish();
  }
  if (top.has("w0")) f.w0 = read_matrix(top, "w0", base_dir);
  if (top.has("w")) f.w = read_matrix(top, "w", base_dir);
  if (top.has("stage1_log")) {
    f.stage1_log = read_stage1_log(top);
    if (!f.stage1_log.empty() && static_cast<int>(f.stage1_log.size()) != f.stage1_steps + 1)
      throw top.error("stage1_log", "has " + std::to_string(f.stage1_log.size()) +
                                        " rows, stage1.steps = " + std::to_string(f.stage1_steps) + " needs " +
                                        std::to_string(f.stage1_steps + 1));
  }
  if (top.has("exports")) f.exports = read_exports(top);
  top.finish();
  return f;
}
}  // namespace

SessionFile read_session_file(const std::string& path) {
  const std::vector<uint8_t> bytes = read_whole_file(path, kMaxSessionFileBytes);
  return parse_session_json(std::string(bytes.begin(), bytes.end()), path, fs::path(path).parent_path().string());
}

std::string session_json(const SessionFile& f, const SideFile& w_side_file, const SideFile& w0_side_file) {
  std::ostringstream out;
  const auto field = [&](const char* key, const json& value) { out << ",\n  \"" << key << "\": " << value.dump(); };
  out << "{\n  \"format\": \"uhop-session\",\n  \"version\": " << kSessionFormatVersion;
  if (!f.description.empty()) field("description", f.description);
  json memories;
  memories["source"] = f.memories;
  memories["count"] = f.load.count;
  memories["offset"] = f.load.offset;
  memories["pick"] = f.load.pick == Pick::first ? "first" : f.load.pick == Pick::random ? "random" : "per-class";
  memories["seed"] = f.load.seed;
  memories["rgb"] = f.load.keep_rgb;
  memories["width"] = f.load.width;
  memories["height"] = f.load.height;
  memories["normalize"] = f.load.normalization == Normalization::none        ? "none"
                          : f.load.normalization == Normalization::unit_norm ? "unit"
                                                                             : "center";
  field("memories", memories);
  const Stage1Settings& s1 = f.stage1;
  json stage1;
  stage1["init"] = to_string(s1.init);
  stage1["dim"] = s1.dim;
  stage1["lr"] = s1.lr;
  stage1["schedule"] = to_string(s1.schedule);
  stage1["optimizer"] = to_string(s1.optimizer);
  stage1["t"] = s1.t;
  stage1["loss"] = to_string(s1.loss);
  stage1["normalize_rows"] = s1.normalize_rows;
  stage1["seed"] = s1.seed;
  stage1["train_count"] = s1.train_count;
  stage1["precision"] = to_string(s1.precision);
  stage1["batch"] = s1.batch;
  stage1["stats_every"] = s1.stats_every;
  stage1["steps"] = f.stage1_steps;
  stage1["finished"] = f.stage1_finished;
  field("stage1", stage1);
  const RetrievalSettings& s2 = f.stage2;
  json stage2;
  stage2["similarity"] = to_string(s2.similarity);
  stage2["alpha"] = s2.sep.alpha;
  stage2["top_k"] = s2.sep.top_k;
  stage2["beta"] = s2.beta;
  stage2["beta_after_sep"] = s2.beta_after_sep;
  stage2["precision"] = to_string(s2.precision);
  stage2["steps"] = f.stage2_steps;
  field("stage2", stage2);
  json query;
  query["target"] = f.target;
  if (f.query) {
    query["vector"] = std::vector<double>(f.query->data(), f.query->data() + f.query->size());
  } else if (!f.corruption.empty()) {
    query["corruption"] = f.corruption;
    query["seed"] = f.corruption_seed;
  }
  field("query", query);
  const auto matrix = [&](const char* key, const Matrix& m, const SideFile& side_file) {
    if (!side_file.name.empty()) {
      json entry{{"file", side_file.name}, {"rows", m.rows()}, {"cols", m.cols()}};
      if (!side_file.content.empty()) {
        entry["bytes"] = side_file.content.size();
        entry[kHashKey] = content_hash(side_file.content.data(), side_file.content.size());
      }
      field(key, entry);
      return;
    }
    out << ",\n  \"" << key << "\": {\"rows\": ";
    write_rows(out, matrix_rows(m), "    ");
    out << "}";
  };
  if (f.w0) matrix("w0", *f.w0, w0_side_file);
  if (f.w) matrix("w", *f.w, w_side_file);
  if (!f.stage1_log.empty() && f.stage1_log.size() <= kMaxStoredLogRows) {
    json rows = json::array();
    for (const Stage1Record& r : f.stage1_log)
      rows.push_back(
          json::array({r.step, nan_as_null(r.loss), nan_as_null(r.delta_phi_min), nan_as_null(r.delta_phi_mean),
                       nan_as_null(r.r_phi), nan_as_null(r.delta_phi_max), nan_as_null(r.m_phi), nan_as_null(r.lr),
                       nan_as_null(r.grad_norm), nan_as_null(r.w_change), nan_as_null(r.batch_loss)}));
    out << ",\n  \"stage1_log\": {\"columns\": " << json(kStage1LogColumns).dump() << ", \"rows\": ";
    write_rows(out, rows, "    ");
    out << "}";
  }
  if (f.exports) {
    const ExportSettings& e = *f.exports;
    json exports;
    exports["format"] = to_string(e.format);
    exports["unit"] = to_string(e.unit);
    exports["width"] = e.width;
    exports["height"] = e.height;
    exports["dpi"] = e.dpi;
    exports["font_scale"] = e.font_scale;
    exports["theme"] = to_string(e.theme);
    exports["folder"] = e.folder;
    field("exports", exports);
  }
  out << "\n}\n";
  return out.str();
}

namespace {
bool needs_side_file(const std::optional<Matrix>& m) {
  return m && static_cast<long long>(m->rows()) * m->cols() > kEmbedWLimit;
}

// A streamed session (stdout, a FIFO, /dev/null) has no folder for a side file to sit beside.
void refuse_side_file_beside_stream(const std::string& path, const SessionFile& f) {
  if (!needs_side_file(f.w) && !needs_side_file(f.w0)) return;
  if (output_is_streamed(path))
    throw input_error(path,
                      "is streamed to (a device, FIFO, socket or the process's own output), but this "
                      "session's W (over " +
                          std::to_string(kEmbedWLimit) +
                          " values) goes to a side file beside its JSON: give a file path (or save settings only)");
}
}  // namespace

std::vector<std::string> session_file_outputs(const std::string& path, const SessionFile& f) {
  refuse_side_file_beside_stream(path, f);
  std::vector<std::string> out;
  const fs::path dir = fs::path(path).parent_path();
  if (needs_side_file(f.w)) out.push_back((dir / side_file_name(path, ".w.csv")).string());
  if (needs_side_file(f.w0)) out.push_back((dir / side_file_name(path, ".w0.csv")).string());
  out.push_back(path);
  return out;
}

void write_session_file(const std::string& path, const SessionFile& f) {
  StagedFiles files;
  stage_session_file(files, path, f);
  files.commit();
}

void stage_session_file(StagedFiles& files, const std::string& path, const SessionFile& f) {
  refuse_side_file_beside_stream(path, f);
  const auto large = needs_side_file;
  const auto side_file = [&](const std::optional<Matrix>& m, const char* suffix) {
    SideFile side;
    if (!large(m)) return side;
    side.name = side_file_name(path, suffix);
    std::ostringstream text;
    write_csv_matrix(text, *m);
    side.content = text.str();  // written as is, and its size and hash recorded in the JSON
    return side;
  };
  const SideFile w_side = side_file(f.w, ".w.csv"), w0_side = side_file(f.w0, ".w0.csv");
  const std::string text = session_json(f, w_side, w0_side);
  const fs::path dir = fs::path(path).parent_path();
  // The JSON and its side files appear together or not at all; the JSON, which names the side files and records
  // their hashes, is renamed last: it is the commit point.
  for (const SideFile* side : {&w_side, &w0_side})
    if (!side->name.empty()) files.add((dir / side->name).string(), [&](std::ostream& o) { o << side->content; });
  files.add(path, [&](std::ostream& o) { o << text; });
}

SessionFile capture_session(const Session& session, const SessionOrigin& origin) {
  SessionFile f;
  f.description = origin.description;
  f.memories = origin.memories.empty() ? session.memories().source : origin.memories;
  f.load = origin.load;
  f.stage1 = session.stage1_settings();
  f.stage2 = session.retrieval_settings();
  f.target = session.target();
  const Vector target_memory = session.memories().patterns.row(f.target).transpose();
  if (!origin.corruption.empty() &&
      corrupt(target_memory, session.memories().shape, parse_corruption(origin.corruption), origin.corruption_seed) ==
          session.query()) {
    f.corruption = origin.corruption;
    f.corruption_seed = origin.corruption_seed;
  } else if (session.query() != target_memory) {
    f.query = session.query();  // drawn or edited by hand: only the vector reproduces it
  }
  f.w0 = origin.w0;
  f.w = session.w();
  f.stage1_steps = session.stage1_steps();
  f.stage1_finished = origin.stage1_finished;
  f.stage2_steps = static_cast<int>(session.retrieval().log.size()) - 1;
  f.stage1_log = session.stage1_log();
  return f;
}

Vector session_query(const SessionFile& f, const MemorySet& memories) {
  if (f.target < 0 || f.target >= memories.count())
    throw InputError("query.target: " + std::to_string(f.target) + " is outside 0.." +
                     std::to_string(memories.count() - 1) +
                     " (the session loads M = " + std::to_string(memories.count()) + " memories)");
  if (f.query) {
    if (f.query->size() != memories.dim())
      throw InputError("query.vector: has " + std::to_string(f.query->size()) +
                       " values, the memories have d = " + std::to_string(memories.dim()));
    return *f.query;
  }
  const Vector clean = memories.patterns.row(f.target).transpose();
  if (f.corruption.empty()) return clean;
  return corrupt(clean, memories.shape, parse_corruption(f.corruption), f.corruption_seed);
}

Session restore_session(const SessionFile& f, const ProgressFn& progress, std::vector<std::string>* warnings,
                        bool allow_large, bool animated) {
  const int total_steps = f.stage1_steps + f.stage2_steps;
  const double load_share = total_steps > 0 ? 0.2 : 1.0;  // loading is quick next to a long replay
  LoadOptions load = with_session_limits(f.load, f.stage1.dim);
  load.quote_content = false;  // the source's name came from the session file: never echo the file's content
  // Sizes and steps in a file are not the user asking for them (session_budget.h): only allow_large is.
  if (allow_large) {
    load.default_max_dim = 0;
    load.max_decoded_pixels = 0;
  } else
    load = with_declared_work_check(load, f, animated);
  MemorySet memories =
      load_memories(resolve_source(f), load, warnings, [&](double x) { return !progress || progress(load_share * x); });
  if (!allow_large) check_loaded_work(f, memories, animated);
  const Vector query = session_query(f, memories);
  Session session(std::move(memories), f.stage1, f.stage2);
  if (f.w0) session.set_initial_w(*f.w0);
  session.set_query(query, f.target);
  const auto step_done = [&](int done) {
    report_progress(progress, load_share + (1 - load_share) * done / std::max(1, total_steps));
  };
  for (int i = 0; i < f.stage1_steps; ++i) {
    session.stage1_step();
    step_done(i + 1);
  }
  if (f.stage1_steps > 0) session.ensure_stats();  // the last row always has them (as after uhop stage1)
  if (f.stage1_finished) session.finish_stage1();
  if (f.w) {
    const Matrix& w = session.w();
    const bool same =
        f.w->rows() == w.rows() && f.w->cols() == w.cols() && (*f.w - w).norm() <= 1e-9 * std::max(1.0, f.w->norm());
    if (!same) {
      // Deterministic replay cannot give this W (settings changed mid-run, or W came from a file): keep the
      // stored W, which is what the user had, and say the curve restarts from it.
      session.set_initial_w(*f.w);
      if (warnings)
        warnings->push_back(
            "the replayed W differs from the stored W; the stored W is installed as W_0 and the "
            "Stage I curve restarts from it");
    }
  }
  for (int s = 0; s < f.stage2_steps; ++s) {
    session.stage2_step();
    step_done(f.stage1_steps + s + 1);
  }
  return session;
}
}  // namespace uhop
