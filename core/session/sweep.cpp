#include "sweep.h"

#include <algorithm>
#include <climits>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <ostream>
#include <sstream>

#include "io/atomic_file.h"
#include "numerics/corruption.h"
#include "numerics/feature_geometry.h"
#include "numerics/input_error.h"
#include "numerics/separation_loss.h"
#include "numerics/separation_stats.h"

namespace uhop {
namespace {
const char* kRowHeaderV1 = "method,M,sigma,seed,paper_error,paper_error_std,retrieved,d,stage1_loss";
const char* kRowHeader =
    "method,M,sigma,seed,paper_error,paper_error_std,retrieved,d,stage1_loss,worst_memory,not_retrieved";

// A memory's name for the CSV: printable (no control or format code point from a file name), and without the
// list's ';' separator.
std::string listed_name(const MemorySet& memories, int mu) {
  std::string name =
      mu < static_cast<int>(memories.names.size()) ? printable_text(memories.names[mu]) : "#" + std::to_string(mu);
  std::replace(name.begin(), name.end(), ';', '_');
  return name;
}

// A CSV field: quoted (inner quotes doubled) when it holds a comma, a quote or a line break.
std::string csv_field(const std::string& text) {
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string out = "\"";
  for (char c : text) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

bool is_uhop(const std::string& method) {
  return parse_sweep_method(method).similarity == Similarity::kernel;
}

std::string corruption_spec(const std::string& noise, double sigma) {
  return noise == "mask-half" ? noise : noise + ":" + format_sigma(sigma);
}

int max_count(const SweepSettings& s, const std::vector<SweepCell>& cells) {
  int m = s.vary == SweepAxis::count ? 0 : s.count;
  for (const SweepCell& c : cells) m = std::max(m, c.m);
  return m;
}

std::string cell_text(double v) {
  if (std::isnan(v)) return "";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

// Stage I without the per-step statistics the Session logs: only loss, gradient and update (the sweep trains
// one W per (M, seed) and needs nothing else).
Matrix train_feature_map(const Matrix& memories, const Stage1Settings& s, int steps, double* final_loss,
                         const ProgressFn& progress) {
  Matrix w = init_feature_map(s.init, static_cast<int>(memories.cols()), s.dim, s.seed);
  AdamState adam;
  for (int i = 0; i < steps; ++i) {
    const FeatureGeometry g = feature_geometry(memories, w);
    const LossValue loss = separation_loss(g, s.t, s.loss, s.train_count);
    const Matrix grad = separation_loss_gradient(g, loss, memories, s.t, s.loss);
    apply_update(w, grad, learning_rate(s.schedule, s.lr, i), s.optimizer, adam);
    if (!w.allFinite())
      throw InputError("Stage I diverged at step " + std::to_string(i + 1) + " (lr " + cell_text(s.lr) +
                       "): lower the learning rate");
    report_progress(progress, static_cast<double>(i + 1) / steps);
  }
  if (s.normalize_rows) normalize_rows(w);
  *final_loss = separation_loss(feature_geometry(memories, w), s.t, s.loss, s.train_count).loss;
  return w;
}

SweepCellResult evaluate_cell(const SweepSettings& s, const SweepCell& cell, const MemorySet& memories, const Matrix& w,
                              double stage1_loss) {
  const SweepMethod method = parse_sweep_method(cell.method);
  const Matrix& xi = memories.patterns;
  const int m = static_cast<int>(xi.rows());
  const Corruption corruption = parse_corruption(corruption_spec(s.noise, cell.sigma));
  Matrix x(xi.rows(), xi.cols());
  for (int mu = 0; mu < m; ++mu)
    x.row(mu) =
        corrupt(xi.row(mu).transpose(), memories.shape, corruption, sweep_query_seed(cell.seed, mu)).transpose();
  RetrievalSettings rs;
  rs.similarity = method.similarity;
  rs.sep = method.sep;
  rs.beta = s.beta;
  rs.beta_after_sep = s.beta_after_sep;
  const RetrievalOperator op =
      make_retrieval_operator(xi, method.similarity == Similarity::kernel ? w : Matrix(), method.similarity);
  for (int t = 0; t < s.retrieval_steps; ++t) x = retrieval_step_batch(op, rs, x);

  SweepCellResult r;
  r.cell = cell;
  r.d = static_cast<int>(xi.cols());
  r.stage1_loss = method.similarity == Similarity::kernel ? stage1_loss : kPlotNaN;
  // Nearest memory in pixels: argmin_nu ||xi_nu||^2 - 2 <xi_nu, x>.
  const Matrix cross = x * xi.transpose();
  const Vector sq = xi.rowwise().squaredNorm();
  std::vector<double> errors(m);
  int retrieved = 0, worst = 0, missed = 0;
  constexpr int kListedMisses = 20;  // enough to see which; the count is M (1 - retrieved)
  for (int mu = 0; mu < m; ++mu) {
    errors[mu] = paper_error(xi.row(mu).transpose(), x.row(mu).transpose());
    if (errors[mu] > errors[worst]) worst = mu;
    Eigen::Index nearest = 0;
    (sq - 2 * cross.row(mu).transpose()).minCoeff(&nearest);
    retrieved += nearest == mu;
    if (nearest != mu && ++missed <= kListedMisses)
      r.not_retrieved += (r.not_retrieved.empty() ? "" : ";") + listed_name(memories, mu);
  }
  if (missed > kListedMisses) r.not_retrieved += ";+" + std::to_string(missed - kListedMisses) + " more";
  if (m > 0) r.worst_memory = listed_name(memories, worst);
  double sum = 0;
  for (double e : errors) sum += e;
  r.paper_error = sum / m;
  double var = 0;
  for (double e : errors) var += (e - r.paper_error) * (e - r.paper_error);
  r.paper_error_std = std::sqrt(var / m);
  r.retrieved = static_cast<double>(retrieved) / m;
  // Never a NaN cell: every retrieval step checks its values, so a non-finite error here is a bug to report loudly.
  if (!std::isfinite(r.paper_error) || !std::isfinite(r.paper_error_std))
    throw InputError("cell " + cell_file_name(cell) + ": the paper error is not finite (beta " + cell_text(s.beta) +
                     "): lower beta or scale the memories down");
  return r;
}

// Fields of one CSV line; a field may be quoted ("a,b" and "" for a quote inside), as csv_field writes them.
std::vector<std::string> split_csv_line(const std::string& line) {
  std::vector<std::string> out(1);
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted && c == '"' && i + 1 < line.size() && line[i + 1] == '"')
      out.back() += '"', ++i;
    else if (c == '"')
      quoted = !quoted;
    else if (c == ',' && !quoted)
      out.emplace_back();
    else
      out.back() += c;
  }
  return out;
}
}  // namespace

SweepAxis parse_sweep_axis(const std::string& s) {
  if (s == "M" || s == "m" || s == "count") return SweepAxis::count;
  if (s == "sigma") return SweepAxis::sigma;
  throw InputError("unknown sweep axis " + quoted_excerpt(s) + " (expected M or sigma)");
}
const char* to_string(SweepAxis a) {
  return a == SweepAxis::count ? "M" : "sigma";
}

const std::vector<std::string>& sweep_method_names() {
  static const std::vector<std::string> names = {"mhm",    "uhop",        "sparse",    "sparse-uhop",
                                                 "entmax", "entmax-uhop", "euclidean", "manhattan"};
  return names;
}

SweepMethod parse_sweep_method(const std::string& name) {
  SweepMethod m;
  m.name = name;
  std::string base = name;
  const std::string suffix = "-uhop";
  if (name == "uhop") {
    base = "mhm", m.similarity = Similarity::kernel;
  } else if (name.size() > suffix.size() && name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0) {
    base = name.substr(0, name.size() - suffix.size()), m.similarity = Similarity::kernel;
    if (base != "sparse" && base != "entmax") base = "?";
  }
  if (base == "mhm") {
    m.sep.alpha = 1;
  } else if (base == "sparse") {
    m.sep.alpha = 2;
  } else if (base == "entmax") {
    m.sep.alpha = 1.5;
  } else if (base == "euclidean" || base == "manhattan") {
    m.similarity = parse_similarity(base);
  } else {
    std::string known;
    for (const auto& n : sweep_method_names()) known += (known.empty() ? "" : ", ") + n;
    throw InputError("unknown method " + quoted_excerpt(name) + " (known: " + known + ")");
  }
  return m;
}

std::vector<double> paper_sweep_values(SweepAxis axis) {
  if (axis == SweepAxis::count) return {10, 20, 30, 50, 100, 200, 500};
  return {0, .01, .05, .1, .3, .5, .7, 1, 1.2, 1.4, 2};
}

std::vector<std::string> default_sweep_methods() {
  return sweep_method_names();
}

SweepSettings default_sweep_settings() {
  SweepSettings s;
  s.stage1.init = FeatureInit::identity;  // so every -uhop curve starts from its MHM twin
  s.stage1.lr = 0.1;  // measured on Fashion-MNIST M = 100: 0.1 separates best in 100 steps (1 and 10 overshoot)
  s.stage1.schedule = Schedule::constant;
  s.stage1.loss = LossKind::avg;
  return s;
}

uint64_t sweep_query_seed(uint64_t seed, int mu) {
  return seed * 0x9E3779B97F4A7C15ULL + static_cast<uint64_t>(mu) * 0xBF58476D1CE4E5B9ULL + 1;
}

std::string format_sigma(double sigma) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", sigma);
  return buf;
}

std::string cell_file_name(const SweepCell& c) {
  return c.method + "_M" + std::to_string(c.m) + "_sigma" + format_sigma(c.sigma) + "_seed" + std::to_string(c.seed) +
         ".csv";
}

std::vector<SweepCell> sweep_cells(const SweepSettings& s) {
  const std::vector<std::string> methods = s.methods.empty() ? default_sweep_methods() : s.methods;
  const std::vector<double> values = s.values.empty() ? paper_sweep_values(s.vary) : s.values;
  bool any_uhop = false;
  for (size_t i = 0; i < methods.size(); ++i) {
    any_uhop |= parse_sweep_method(methods[i]).similarity == Similarity::kernel;
    if (std::find(methods.begin(), methods.begin() + i, methods[i]) != methods.begin() + i)
      throw InputError("method " + quoted_excerpt(methods[i]) + " is listed twice");
  }
  if (s.seeds < 1) throw InputError("seeds must be >= 1");
  if (!(s.beta > 0) || !std::isfinite(s.beta)) throw InputError("beta must be a finite number > 0");
  if (s.retrieval_steps < 1) throw InputError("retrieval steps must be >= 1");
  if (s.stage1_steps < 0) throw InputError("Stage I steps must be >= 0");
  for (size_t i = 0; i < values.size(); ++i) {
    const double v = values[i];
    if (!std::isfinite(v)) throw InputError("sweep value " + cell_text(v) + " is not finite");
    if (std::find(values.begin(), values.begin() + i, v) != values.begin() + i)
      throw InputError("sweep value " + format_sigma(v) + " is listed twice");
    if (s.vary == SweepAxis::count && (v < 2 || v != std::floor(v) || v > 1e7))
      throw InputError("M = " + format_sigma(v) + " must be a whole number >= 2");
  }
  const std::vector<double> sigmas = s.vary == SweepAxis::sigma ? values : std::vector<double>{s.sigma};
  for (double sigma : sigmas) {
    if (sigma < 0) throw InputError("noise strength " + format_sigma(sigma) + " must be >= 0");
    try {
      parse_corruption(corruption_spec(s.noise, sigma));
    } catch (const InputError& e) {
      throw InputError(std::string("noise ") + s.noise + " at strength " + format_sigma(sigma) + ": " + e.what());
    }
  }
  if (s.vary == SweepAxis::sigma && s.count < 2) throw InputError("M must be >= 2");
  if (any_uhop) validate(s.stage1, 1, 2);  // lr, t, train count; D >= d is checked against the data
  if (any_uhop && (s.train_half || s.stage1.train_count > 0)) {
    // Every cell must have enough memories to train on: floor(M/2) >= 2, or M >= n.
    const std::vector<double> ms = s.vary == SweepAxis::count ? values : std::vector<double>{double(s.count)};
    for (double m : ms) {
      if (s.train_half && m < 4)
        throw InputError("train count half: M = " + format_sigma(m) + " gives floor(M/2) < 2 memories to train on");
      if (!s.train_half && m < s.stage1.train_count)
        throw InputError("train count " + std::to_string(s.stage1.train_count) +
                         " is larger than M = " + format_sigma(m));
    }
  }
  std::vector<SweepCell> cells;
  for (int k = 0; k < s.seeds; ++k)
    for (double v : values)
      for (const std::string& method : methods) {
        SweepCell c;
        c.index = static_cast<int>(cells.size());
        c.method = method;
        c.m = s.vary == SweepAxis::count ? static_cast<int>(v) : s.count;
        c.sigma = s.vary == SweepAxis::sigma ? v : s.sigma;
        c.seed = s.first_seed + static_cast<uint64_t>(k);
        cells.push_back(c);
      }
  return cells;
}

std::vector<SweepCellResult> run_sweep(const SweepSettings& s, const std::vector<int>& indices,
                                       const std::function<void(const SweepCellResult&)>& on_cell,
                                       const ProgressFn& progress) {
  const std::vector<SweepCell> all = sweep_cells(s);
  std::vector<SweepCell> todo;
  if (indices.empty()) todo = all;
  for (int i : indices) {
    if (i < 0 || i >= static_cast<int>(all.size()))
      throw InputError("cell " + std::to_string(i) + " is outside 0.." + std::to_string(all.size() - 1));
    todo.push_back(all[i]);
  }
  // Same (seed, M) together: one load and one Stage I serve all their methods and sigmas.
  std::stable_sort(todo.begin(), todo.end(), [](const SweepCell& a, const SweepCell& b) {
    return a.seed != b.seed ? a.seed < b.seed : a.m < b.m;
  });
  const int pool_m = max_count(s, all);  // from all cells, so a single --cell run sees the same memories
  // Work estimate for progress: Stage I dominates and grows with M; retrievals count as one unit each.
  double total = 0, done = 0;
  const auto group_cost = [&](int m) { return 1.0 + s.stage1_steps * m / 100.0; };
  for (size_t i = 0; i < todo.size(); ++i) {
    total += 1;
    if ((i == 0 || todo[i].seed != todo[i - 1].seed || todo[i].m != todo[i - 1].m)) total += group_cost(todo[i].m);
  }
  std::vector<SweepCellResult> results;
  MemorySet pool;
  uint64_t pool_seed = 0;
  bool have_pool = false;
  for (size_t i = 0; i < todo.size();) {
    const SweepCell& first = todo[i];
    size_t end = i;
    while (end < todo.size() && todo[end].seed == first.seed && todo[end].m == first.m) ++end;
    if (!have_pool || pool_seed != first.seed) {
      // The subset of M memories is the first M of one seeded order, so cells with a smaller M use a subset of
      // the same memories (load with count M gives exactly these rows, see pick_order).
      LoadOptions o = s.load;
      o.count = pool_m;
      if (s.random_subset) {
        o.pick = Pick::random;
        o.seed = first.seed;
      } else {
        o.pick = Pick::first;
        o.offset = static_cast<int>(
            std::min<long long>(INT_MAX, s.load.offset + static_cast<long long>(first.seed - s.first_seed) * pool_m));
      }
      try {
        pool = load_memories(s.memories, o);
      } catch (const InputError& e) {
        throw InputError(std::string(e.what()) + " (the sweep needs M = " + std::to_string(pool_m) +
                         " memories per seed" + (s.random_subset ? "" : ", at offset " + std::to_string(o.offset)) +
                         ")");
      }
      if (pool.count() < pool_m)
        throw InputError(s.memories + ": has " + std::to_string(pool.count()) +
                         " memories, the sweep needs M = " + std::to_string(pool_m));
      pool_seed = first.seed;
      have_pool = true;
    }
    MemorySet memories = pool;
    memories.patterns = pool.patterns.topRows(first.m);
    bool needs_w = false;
    for (size_t j = i; j < end; ++j) needs_w |= is_uhop(todo[j].method);
    Matrix w;
    double stage1_loss = kPlotNaN;
    const double cost = group_cost(first.m);
    if (needs_w) {
      Stage1Settings st = s.stage1;
      st.seed = first.seed;
      st.train_count = s.train_half ? first.m / 2 : s.stage1.train_count;
      w = train_feature_map(memories.patterns, st, s.stage1_steps, &stage1_loss,
                            [&](double f) { return !progress || progress((done + f * cost) / total); });
    }
    done += cost;
    for (size_t j = i; j < end; ++j) {
      results.push_back(evaluate_cell(s, todo[j], memories, w, stage1_loss));
      if (on_cell) on_cell(results.back());
      done += 1;
      report_progress(progress, done / total);
    }
    i = end;
  }
  return results;
}

void write_sweep_rows(std::ostream& out, const std::vector<SweepCellResult>& rows) {
  out << kRowHeader << "\n";
  for (const SweepCellResult& r : rows)
    out << r.cell.method << ',' << r.cell.m << ',' << format_sigma(r.cell.sigma) << ',' << r.cell.seed << ','
        << cell_text(r.paper_error) << ',' << cell_text(r.paper_error_std) << ',' << cell_text(r.retrieved) << ','
        << r.d << ',' << cell_text(r.stage1_loss) << ',' << csv_field(r.worst_memory) << ','
        << csv_field(r.not_retrieved) << '\n';
}

std::vector<SweepCellResult> read_sweep_rows(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw input_error(path, "cannot open");
  std::string line;
  if (!std::getline(in, line) || (line != kRowHeader && line != kRowHeaderV1))
    throw input_error(path, std::string("line 1: expected the header ") + kRowHeader);
  const size_t columns = line == kRowHeader ? 11 : 9;
  std::vector<SweepCellResult> rows;
  for (int no = 2; std::getline(in, line); ++no) {
    if (line.empty()) continue;
    const std::vector<std::string> f = split_csv_line(line);
    const std::string where = path + ":" + std::to_string(no);
    if (f.size() != columns)
      throw input_error(where, "expected " + std::to_string(columns) + " columns, got " + std::to_string(f.size()));
    const auto number = [&](const std::string& text) {
      if (text.empty()) return kPlotNaN;
      char* end = nullptr;
      const double v = std::strtod(text.c_str(), &end);
      if (*end != '\0') throw input_error(where, quoted_excerpt(text) + " is not a number");
      return v;
    };
    SweepCellResult r;
    r.cell.method = f[0];
    parse_sweep_method(f[0]);
    r.cell.m = static_cast<int>(number(f[1]));
    r.cell.sigma = number(f[2]);
    r.cell.seed = static_cast<uint64_t>(number(f[3]));
    r.paper_error = number(f[4]);
    r.paper_error_std = number(f[5]);
    r.retrieved = number(f[6]);
    r.d = static_cast<int>(number(f[7]));
    r.stage1_loss = number(f[8]);
    if (columns == 11) {
      // Printable name by name: the list as one text would be cut in its middle past 1024 bytes.
      r.worst_memory = printable_text(f[9]);
      std::istringstream names(f[10]);
      for (std::string name; std::getline(names, name, ';');)
        r.not_retrieved += (r.not_retrieved.empty() ? "" : ";") + printable_text(name);
    }
    rows.push_back(r);
  }
  return rows;
}

std::vector<SweepSummaryRow> summarize_sweep(const std::vector<SweepCellResult>& rows) {
  std::vector<SweepSummaryRow> out;
  std::vector<std::vector<double>> errors;
  for (const SweepCellResult& r : rows) {
    size_t k = 0;
    while (k < out.size() && !(out[k].method == r.cell.method && out[k].m == r.cell.m && out[k].sigma == r.cell.sigma))
      ++k;
    if (k == out.size()) {
      SweepSummaryRow s;
      s.method = r.cell.method, s.m = r.cell.m, s.sigma = r.cell.sigma;
      out.push_back(s);
      errors.emplace_back();
    }
    errors[k].push_back(r.paper_error);
    out[k].retrieved += r.retrieved;
  }
  for (size_t k = 0; k < out.size(); ++k) {
    const std::vector<double>& e = errors[k];
    SweepSummaryRow& s = out[k];
    s.n = static_cast<int>(e.size());
    double sum = 0;
    for (double v : e) sum += v;
    s.mean = sum / s.n;
    double var = 0;
    for (double v : e) var += (v - s.mean) * (v - s.mean);
    s.std = s.n > 1 ? std::sqrt(var / (s.n - 1)) : 0;
    s.retrieved /= s.n;
  }
  // Methods in the order they first appear, then by M and sigma: the table reads like the figure.
  std::vector<std::string> order;
  for (const auto& s : out)
    if (std::find(order.begin(), order.end(), s.method) == order.end()) order.push_back(s.method);
  std::stable_sort(out.begin(), out.end(), [&](const SweepSummaryRow& a, const SweepSummaryRow& b) {
    const auto ia = std::find(order.begin(), order.end(), a.method),
               ib = std::find(order.begin(), order.end(), b.method);
    if (ia != ib) return ia < ib;
    return a.m != b.m ? a.m < b.m : a.sigma < b.sigma;
  });
  return out;
}

void write_sweep_summary(std::ostream& out, const std::vector<SweepSummaryRow>& rows) {
  out << "method,M,sigma,mean,std,n,retrieved\n";
  for (const SweepSummaryRow& r : rows)
    out << r.method << ',' << r.m << ',' << format_sigma(r.sigma) << ',' << cell_text(r.mean) << ',' << cell_text(r.std)
        << ',' << r.n << ',' << cell_text(r.retrieved) << '\n';
}

PlotFigure sweep_figure(const std::vector<SweepSummaryRow>& rows, SweepAxis axis, const std::string& title) {
  static const uint32_t palette[] = {0x1f77b4, 0xd62728, 0x2ca02c, 0xff7f0e, 0x9467bd,
                                     0x8c564b, 0xe377c2, 0x7f7f7f, 0xbcbd22, 0x17becf};
  PlotFigure fig;
  fig.title = title;
  fig.x_label = axis == SweepAxis::count ? "M (memories)" : "noise sigma";
  fig.y_label = "paper error (mean over queries)";
  double lo = INFINITY, hi = 0;
  for (const auto& r : rows)
    if (r.mean > 0) lo = std::min(lo, r.mean), hi = std::max(hi, r.mean);
  fig.log_y = hi > 0 && hi / lo > 100;
  // The log axis reaches 12 decades below the largest mean (PlotFitOptions::log_floor_decades): a method whose errors
  // lie below that (Manhattan's 1e-29) is drawn at the floor with dots and says so in its legend, never hidden.
  double top = hi;  // the fit's largest value: means and their +1 std bands
  for (const auto& r : rows)
    if (std::isfinite(r.mean + r.std)) top = std::max(top, r.mean + r.std);
  const double floor = fig.log_y ? top * 1e-12 : 0;
  std::vector<std::string> methods;
  for (const auto& r : rows)
    if (std::find(methods.begin(), methods.end(), r.method) == methods.end()) methods.push_back(r.method);
  for (size_t k = 0; k < methods.size(); ++k) {
    // Known methods keep their colour whatever subset is plotted; U-Hop variants are solid, baselines dashed.
    const auto& known = sweep_method_names();
    const size_t slot = std::find(known.begin(), known.end(), methods[k]) - known.begin();
    PlotSeries series;
    series.name = methods[k];
    series.color = palette[(slot < known.size() ? slot : k) % 10];
    series.dashed = methods[k].find("uhop") == std::string::npos;
    PlotBand band;
    band.name = methods[k] + " +-1 std";
    band.color = series.color;
    std::vector<SweepSummaryRow> mine;
    for (const auto& r : rows)
      if (r.method == methods[k]) mine.push_back(r);
    std::sort(mine.begin(), mine.end(), [&](const SweepSummaryRow& a, const SweepSummaryRow& b) {
      return axis == SweepAxis::count ? a.m < b.m : a.sigma < b.sigma;
    });
    PlotSeries below;
    below.color = series.color;
    for (const auto& r : mine) {
      const double x = axis == SweepAxis::count ? r.m : r.sigma;
      series.x.push_back(x);
      const bool clamp = r.mean > 0 && r.mean < floor;
      series.y.push_back(clamp ? floor : r.mean);
      if (clamp) {
        if (!below.x.empty()) below.x.push_back(kPlotNaN), below.y.push_back(kPlotNaN);  // isolated: drawn as dots
        below.x.push_back(x), below.y.push_back(floor);
      }
      band.x.push_back(x);
      const double low = r.mean - r.std;
      band.lo.push_back(fig.log_y && low <= 0 ? r.mean / 10 : low);
      band.hi.push_back(r.mean + r.std);
    }
    fig.series.push_back(std::move(series));
    fig.bands.push_back(std::move(band));
    if (!below.x.empty()) {
      char text[48];
      std::snprintf(text, sizeof text, "%.0e", floor);
      below.name = methods[k] + " below " + text + " (drawn there)";
      below.tooltip = "means smaller than 1e-12 times the largest are drawn at the log axis' floor";
      fig.series.push_back(std::move(below));
    }
  }
  return fig;
}

void set_sweep_train_count(SweepSettings& s, const std::string& text) {
  if (text == "all" || text == "half") {
    s.train_half = text == "half";
    s.stage1.train_count = 0;
    return;
  }
  char* end = nullptr;
  const long long n = std::strtoll(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0' || n < 2 || n > 10000000)
    throw InputError("train count " + quoted_excerpt(text) + ": expected all, half or a whole number >= 2");
  s.train_half = false;
  s.stage1.train_count = static_cast<int>(n);
}

std::string sweep_train_count_text(const SweepSettings& s) {
  if (s.train_half) return "half";
  return s.stage1.train_count > 0 ? std::to_string(s.stage1.train_count) : "all";
}

std::string sweep_settings_summary(const SweepSettings& s) {
  const Stage1Settings& st = s.stage1;
  const std::string trained = s.train_half         ? "the first floor(M/2)"
                              : st.train_count > 0 ? "the first " + std::to_string(st.train_count)
                                                   : "all";
  return std::string("Stage I: W_0 ") + to_string(st.init) + ", lr " + format_sigma(st.lr) + " " +
         to_string(st.schedule) + ", " + to_string(st.loss) + " loss, t " + format_sigma(st.t) + ", " +
         std::to_string(s.stage1_steps) + " steps on " + trained + "; noise " + s.noise + "; beta " +
         format_sigma(s.beta) + (s.beta_after_sep ? " after Sep" : " inside Sep") + ", T " +
         std::to_string(s.retrieval_steps);
}

void write_sweep_settings(std::ostream& out, const SweepSettings& s) {
  const auto list = [](const auto& items, const auto& text) {
    std::string t;
    for (const auto& v : items) t += (t.empty() ? "" : ",") + text(v);
    return t.empty() ? std::string("(default)") : t;
  };
  const std::vector<double> values = s.values.empty() ? paper_sweep_values(s.vary) : s.values;
  const std::vector<std::string> methods = s.methods.empty() ? default_sweep_methods() : s.methods;
  out << "preset " << (s.preset.empty() ? "(none)" : s.preset) << "\n"
      << "memories " << s.memories << "\n"
      << "pick " << (s.random_subset ? "random" : "first") << "\n"
      << "vary " << to_string(s.vary) << "\n"
      << "values " << list(values, format_sigma) << "\n"
      << "methods " << list(methods, [](const std::string& m) { return m; }) << "\n"
      << "seeds " << s.seeds << " (" << s.first_seed << ".." << s.first_seed + s.seeds - 1 << ")\n"
      << "noise " << s.noise << "\n";
  if (s.vary == SweepAxis::count) out << "sigma " << format_sigma(s.sigma) << "\n";
  if (s.vary == SweepAxis::sigma) out << "count " << s.count << "\n";
  out << "beta " << format_sigma(s.beta) << "\n"
      << "beta_after_sep " << (s.beta_after_sep ? 1 : 0) << "\n"
      << "retrieval_steps " << s.retrieval_steps << "\n"
      << "init " << to_string(s.stage1.init) << "\n"
      << "dim " << s.stage1.dim << "\n"
      << "lr " << format_sigma(s.stage1.lr) << "\n"
      << "schedule " << to_string(s.stage1.schedule) << "\n"
      << "optimizer " << to_string(s.stage1.optimizer) << "\n"
      << "loss " << to_string(s.stage1.loss) << "\n"
      << "t " << format_sigma(s.stage1.t) << "\n"
      << "stage1_steps " << s.stage1_steps << "\n"
      << "train_count " << sweep_train_count_text(s) << "\n"
      << "normalize_rows " << (s.stage1.normalize_rows ? 1 : 0) << "\n";
}

void write_sweep_outputs(const std::string& dir, const SweepSettings& s, const std::vector<SweepCellResult>& results) {
  namespace fs = std::filesystem;
  const std::vector<SweepSummaryRow> summary = summarize_sweep(results);
  // One short line (titles do not wrap at 900 px): the data and noise, then what decides the U-Hop curves;
  // settings.txt holds the rest.
  const std::string source = s.memories.rfind("builtin:", 0) == 0 ? s.memories.substr(8) : s.memories;
  const std::string what = s.vary == SweepAxis::count ? corruption_spec(s.noise, s.sigma)
                                                      : "M = " + std::to_string(s.count) + ", " + s.noise;
  const std::string stage1 = "W_0 " + std::string(to_string(s.stage1.init)) + ", lr " + format_sigma(s.stage1.lr) +
                             " " + to_string(s.stage1.schedule) + ", " + to_string(s.stage1.loss) +
                             (s.train_half ? ", W on M/2" : "") + (s.beta_after_sep ? ", beta after Sep" : "");
  const std::string beta = s.beta == 1 ? "" : ", beta " + format_sigma(s.beta);
  const PlotFigure fig = sweep_figure(
      summary, s.vary,
      "Error vs " + std::string(to_string(s.vary)) + " (" + source + ", " + what + beta + "; " + stage1 + ")");
  const PlotView view = data_range(fig);
  StagedFiles files;
  files.add((fs::path(dir) / "merged.csv").string(), [&](std::ostream& o) { write_sweep_rows(o, results); });
  files.add((fs::path(dir) / "summary.csv").string(), [&](std::ostream& o) { write_sweep_summary(o, summary); });
  files.add((fs::path(dir) / "figure.svg").string(), [&](std::ostream& o) { write_plot_svg(o, fig, view, 900, 560); });
  files.add((fs::path(dir) / "figure.csv").string(), [&](std::ostream& o) { write_plot_csv(o, fig); });
  files.add((fs::path(dir) / "settings.txt").string(), [&](std::ostream& o) { write_sweep_settings(o, s); });
  files.commit();
}
}  // namespace uhop
