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
}  // namespace uhop
