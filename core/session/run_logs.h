// The CSV logs of Stage I and Stage II (a header row, then one row per step; empty cells where a value is
// undefined). Column names are a contract with users' scripts: add columns at the end, never rename.
#pragma once
#include <iosfwd>
#include <string>
#include <vector>

#include "numerics/retrieval_run.h"
#include "session.h"

namespace uhop {
// step,loss,delta_phi_min,delta_phi_mean,r_phi,delta_phi_max,m_phi,lr,grad_norm,w_change,bound_margin_min,batch_loss
// and, with probe_columns, probe_paper_error,probe_retrieved,mhm_probe_paper_error,mhm_probe_retrieved (empty where
// not probed).
void write_stage1_log(std::ostream& out, const std::vector<Stage1Record>& log, bool probe_columns = false);
// step,energy,error,bound,in_sphere,paper_error,bound_value,exact_guaranteed,one_hot,target_weight,nearest
void write_retrieval_log(std::ostream& out, const std::vector<RetrievalRecord>& log);
void save_stage1_log(const std::string& path, const std::vector<Stage1Record>& log,
                     bool probe_columns = false);                                           // atomic
void save_retrieval_log(const std::string& path, const std::vector<RetrievalRecord>& log);  // atomic

// The same logs as named columns of doubles (NaN = an empty cell; flags 0/1): the .npy logs and the Python module.
struct LogColumns {
  std::vector<std::string> names;
  std::vector<std::vector<double>> values;  // values[k] is column names[k], one entry per row
};
LogColumns stage1_log_columns(const std::vector<Stage1Record>& log, bool probe_columns = false);
LogColumns retrieval_log_columns(const std::vector<RetrievalRecord>& log);
// The format by the output's name: a structured .npy array (write_npy_table) for "*.npy", else CSV.
void write_stage1_log_for(const std::string& path, std::ostream& out, const std::vector<Stage1Record>& log,
                          bool probe_columns = false);
void write_retrieval_log_for(const std::string& path, std::ostream& out, const std::vector<RetrievalRecord>& log);
}  // namespace uhop
