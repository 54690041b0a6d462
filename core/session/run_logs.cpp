#include "run_logs.h"

#include <cmath>
#include <cstdio>
#include <ostream>

#include "data/npy_format.h"
#include "io/atomic_file.h"

namespace uhop {
namespace {
// Full precision; NaN (undefined) becomes an empty cell.
std::string cell(double v) {
  if (std::isnan(v)) return "";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}
}  // namespace

void write_stage1_log(std::ostream& out, const std::vector<Stage1Record>& log, bool probe_columns) {
  out << "step,loss,delta_phi_min,delta_phi_mean,r_phi,delta_phi_max,m_phi,lr,grad_norm,w_change,bound_margin_min,"
         "batch_loss";
  if (probe_columns) out << ",probe_paper_error,probe_retrieved,mhm_probe_paper_error,mhm_probe_retrieved";
  out << '\n';
  for (const auto& r : log) {
    out << r.step << ',' << cell(r.loss) << ',' << cell(r.delta_phi_min) << ',' << cell(r.delta_phi_mean) << ','
        << cell(r.r_phi) << ',' << cell(r.delta_phi_max) << ',' << cell(r.m_phi) << ',' << cell(r.lr) << ','
        << cell(r.grad_norm) << ',' << cell(r.w_change) << ',' << cell(r.bound_margin_min) << ',' << cell(r.batch_loss);
    if (probe_columns)
      out << ',' << cell(r.probe_paper_error) << ',' << cell(r.probe_retrieved) << ',' << cell(r.mhm_probe_paper_error)
          << ',' << cell(r.mhm_probe_retrieved);
    out << '\n';
  }
}

void write_retrieval_log(std::ostream& out, const std::vector<RetrievalRecord>& log) {
  out << "step,energy,error,bound,in_sphere,paper_error,bound_value,exact_guaranteed,one_hot,target_weight,nearest\n";
  for (const auto& r : log)
    out << r.step << ',' << cell(r.energy) << ',' << cell(r.error) << ',' << cell(r.bound) << ','
        << (r.sphere_defined ? (r.in_sphere ? "1" : "0") : "") << ',' << cell(r.paper_error) << ','
        << cell(r.bound_value) << ',' << (r.exact_guaranteed ? 1 : 0) << ',' << (r.one_hot ? 1 : 0) << ','
        << cell(r.target_weight) << ',' << r.nearest << '\n';
}

void save_stage1_log(const std::string& path, const std::vector<Stage1Record>& log, bool probe_columns) {
  write_file_atomically(path, [&](std::ostream& out) { write_stage1_log(out, log, probe_columns); });
}
void save_retrieval_log(const std::string& path, const std::vector<RetrievalRecord>& log) {
  write_file_atomically(path, [&](std::ostream& out) { write_retrieval_log(out, log); });
}

LogColumns stage1_log_columns(const std::vector<Stage1Record>& log, bool probe_columns) {
  LogColumns c;
  c.names = {"step", "loss",      "delta_phi_min", "delta_phi_mean",   "r_phi",     "delta_phi_max", "m_phi",
             "lr",   "grad_norm", "w_change",      "bound_margin_min", "batch_loss"};
  if (probe_columns)
    for (const char* n : {"probe_paper_error", "probe_retrieved", "mhm_probe_paper_error", "mhm_probe_retrieved"})
      c.names.push_back(n);
  c.values.assign(c.names.size(), {});
  for (const auto& r : log) {
    std::vector<double> row = {static_cast<double>(r.step),
                               r.loss,
                               r.delta_phi_min,
                               r.delta_phi_mean,
                               r.r_phi,
                               r.delta_phi_max,
                               r.m_phi,
                               r.lr,
                               r.grad_norm,
                               r.w_change,
                               r.bound_margin_min,
                               r.batch_loss};
    if (probe_columns)
      row.insert(row.end(), {r.probe_paper_error, r.probe_retrieved, r.mhm_probe_paper_error, r.mhm_probe_retrieved});
    for (size_t k = 0; k < row.size(); ++k) c.values[k].push_back(row[k]);
  }
  return c;
}

LogColumns retrieval_log_columns(const std::vector<RetrievalRecord>& log) {
  LogColumns c;
  c.names = {"step",        "energy",           "error",   "bound",         "in_sphere", "paper_error",
             "bound_value", "exact_guaranteed", "one_hot", "target_weight", "nearest"};
  c.values.assign(c.names.size(), {});
  const double nan = std::nan("");
  for (const auto& r : log) {
    const double row[] = {static_cast<double>(r.step),
                          r.energy,
                          r.error,
                          r.bound,
                          r.sphere_defined ? (r.in_sphere ? 1.0 : 0.0) : nan,
                          r.paper_error,
                          r.bound_value,
                          r.exact_guaranteed ? 1.0 : 0.0,
                          r.one_hot ? 1.0 : 0.0,
                          r.target_weight,
                          static_cast<double>(r.nearest)};
    for (size_t k = 0; k < c.names.size(); ++k) c.values[k].push_back(row[k]);
  }
  return c;
}

void write_stage1_log_for(const std::string& path, std::ostream& out, const std::vector<Stage1Record>& log,
                          bool probe_columns) {
  if (!has_npy_extension(path)) return write_stage1_log(out, log, probe_columns);
  const LogColumns c = stage1_log_columns(log, probe_columns);
  write_npy_table(out, c.names, c.values);
}

void write_retrieval_log_for(const std::string& path, std::ostream& out, const std::vector<RetrievalRecord>& log) {
  if (!has_npy_extension(path)) return write_retrieval_log(out, log);
  const LogColumns c = retrieval_log_columns(log);
  write_npy_table(out, c.names, c.values);
}
}  // namespace uhop
