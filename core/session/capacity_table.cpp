#include "capacity_table.h"

#include <cstdio>
#include <cstdlib>
#include <ostream>
#include <sstream>

#include "cell_files.h"
#include "io/atomic_file.h"
#include "io/file_bytes.h"
#include "numerics/input_error.h"

namespace uhop {
const std::string& capacity_csv_header() {
  static const std::string h =
      "model,patterns,dim,degree,beta,alpha,count,trials,start_overlap,steps,retrieved,retrieved_lo,retrieved_hi,"
      "mean_target_weight,mean_target_weight_se,mean_final_overlap,theory";
  return h;
}

std::string shortest_number(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.15g", v);
  if (std::strtod(buf, nullptr) != v) std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

std::string capacity_csv_line(const CapacitySettings& s, const CapacityRow& r) {
  const bool expo = s.model == CapacityModel::exponential;
  std::string line = std::string(to_string(s.model)) + "," + to_string(s.patterns) + "," + std::to_string(s.dim) + ",";
  line += expo ? "" : std::to_string(s.model == CapacityModel::hebbian ? 2 : s.degree);
  line += "," + (expo ? shortest_number(r.cell.beta) : std::string()) + "," + shortest_number(r.cell.alpha) + ",";
  line += std::to_string(r.count) + "," + std::to_string(r.trials) + "," + shortest_number(s.start_overlap) + ",";
  line += std::to_string(r.steps) + "," + shortest_number(r.retrieved) + "," + shortest_number(r.retrieved_lo) + ",";
  line += shortest_number(r.retrieved_hi) + ",";
  line += (expo ? shortest_number(r.mean_target_weight) : std::string()) + ",";
  line += (expo ? shortest_number(r.mean_target_weight_se) : std::string()) + ",";
  line += shortest_number(r.mean_final_overlap) + "," + (r.theory >= 0 ? shortest_number(r.theory) : std::string());
  return line;
}

void write_capacity_csv(std::ostream& out, const CapacitySettings& s, const std::vector<CapacityRow>& rows) {
  out << capacity_csv_header() << "\n";
  for (const CapacityRow& r : rows) out << capacity_csv_line(s, r) << "\n";
}

void save_capacity_csv(const std::string& path, const CapacitySettings& s, const std::vector<CapacityRow>& rows) {
  write_file_atomically(path, [&](std::ostream& out) { write_capacity_csv(out, s, rows); });
}

std::string capacity_cell_file_name(const CapacityCell& c) {
  return "cell" + std::to_string(c.index) + "_beta" + shortest_number(c.beta) + "_alpha" + shortest_number(c.alpha) +
         ".csv";
}

namespace {
std::vector<std::string> split_fields(const std::string& line) {
  std::vector<std::string> out;
  std::stringstream in(line);
  std::string f;
  while (std::getline(in, f, ',')) out.push_back(f);
  if (!line.empty() && line.back() == ',') out.push_back("");
  return out;
}

// The one data line of a cell file, checked against the cell it must hold.
std::string read_cell_line(const std::string& path, const CapacitySettings& s, const CapacityCell& c) {
  const std::vector<uint8_t> bytes = read_file_prefix(path, 1 << 16);
  const std::string text(bytes.begin(), bytes.end());
  std::stringstream in(text);
  std::string header, line, extra;
  std::getline(in, header);
  if (header != capacity_csv_header()) throw InputError(path + ": line 1: not a capacity CSV header");
  if (!std::getline(in, line) || line.empty()) throw InputError(path + ": expected one row, got none");
  while (std::getline(in, extra))
    if (!extra.empty()) throw InputError(path + ": expected one row, got more");
  const std::vector<std::string> f = split_fields(line);
  if (f.size() != 17) throw InputError(path + ": line 2: expected 17 fields, got " + std::to_string(f.size()));
  const bool expo = s.model == CapacityModel::exponential;
  if (f[0] != to_string(s.model) || f[2] != std::to_string(s.dim) || f[5] != shortest_number(c.alpha) ||
      (expo && f[4] != shortest_number(c.beta)))
    throw InputError(path + ": line 2: the row is not cell " + std::to_string(c.index) + " of these settings");
  return line;
}
}  // namespace

void merge_capacity_cells(const std::string& dir, const CapacitySettings& s, const std::string& out_path) {
  const std::vector<CapacityCell> cells = capacity_cells(s);
  std::vector<std::string> names;
  for (const CapacityCell& c : cells) names.push_back(capacity_cell_file_name(c));
  const std::vector<std::string> paths = collect_cell_files(dir, names);
  std::vector<std::string> lines;
  for (size_t i = 0; i < paths.size(); ++i) lines.push_back(read_cell_line(paths[i], s, cells[i]));
  write_file_atomically(out_path, [&](std::ostream& out) {
    out << capacity_csv_header() << "\n";
    for (const std::string& l : lines) out << l << "\n";
  });
}
}  // namespace uhop
