// The capacity lab's table (numerics/capacity.h): one CSV row per (beta, alpha) cell, with the columns `uhop
// capacity` promises, and the per-cell files of a fanned-out run (session/cell_files.h) merged back into it.
#pragma once
#include <iosfwd>
#include <string>
#include <vector>

#include "numerics/capacity.h"

namespace uhop {
// "model,patterns,dim,degree,beta,alpha,count,trials,start_overlap,steps,retrieved,retrieved_lo,retrieved_hi,
//  mean_target_weight,mean_target_weight_se,mean_final_overlap,theory"
const std::string& capacity_csv_header();
// One row: numbers in their shortest round-trip form; degree empty for exponential, beta empty unless
// exponential, mean_target_weight(_se) empty unless exponential, theory empty where none is known.
std::string capacity_csv_line(const CapacitySettings& s, const CapacityRow& row);
void write_capacity_csv(std::ostream& out, const CapacitySettings& s, const std::vector<CapacityRow>& rows);
// Atomic file write; throws InputError naming the path.
void save_capacity_csv(const std::string& path, const CapacitySettings& s, const std::vector<CapacityRow>& rows);

std::string capacity_cell_file_name(const CapacityCell& cell);  // "cell<K>_beta<b>_alpha<a>.csv"
// Reads the cells' files from dir (every one must be there, each the header and one row of 17 fields naming the
// cell's beta and alpha) and writes the merged CSV atomically to out_path: byte for byte the direct run's.
void merge_capacity_cells(const std::string& dir, const CapacitySettings& s, const std::string& out_path);
std::string shortest_number(double v);  // %.15g when it round-trips, else %.17g
}  // namespace uhop
