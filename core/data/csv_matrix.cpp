#include "csv_matrix.h"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <vector>

#include "io/atomic_file.h"
#include "numerics/input_error.h"

namespace uhop {
Matrix parse_csv_matrix(std::istream& in, const std::string& name) {
  std::vector<double> values;
  long long cols = -1, rows = 0, line_no = 0;
  std::string line;
  while (std::getline(in, line)) {
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos) continue;  // blank lines (e.g. trailing) are skipped
    long long count = 0;
    const char* p = line.c_str();
    while (true) {
      while (*p == ' ' || *p == '\t') ++p;
      char* end = nullptr;
      errno = 0;
      const double v = std::strtod(p, &end);
      const std::string where = name + ":" + std::to_string(line_no);
      if (end == p) {
        std::string field(p, std::min<size_t>(std::strlen(p), 20));
        throw input_error(where, "field " + std::to_string(count + 1) + " is not a number: '" + field + "'");
      }
      if (!std::isfinite(v)) throw input_error(where, "field " + std::to_string(count + 1) + " is not finite");
      values.push_back(v);
      ++count;
      p = end;
      while (*p == ' ' || *p == '\t') ++p;
      if (*p == '\0') break;
      if (*p != ',')
        throw input_error(where,
                          "unexpected character '" + std::string(1, *p) + "' after field " + std::to_string(count));
      ++p;
    }
    if (cols < 0) cols = count;
    if (count != cols)
      throw input_error(
          name + ":" + std::to_string(line_no),
          "row has " + std::to_string(count) + " fields, expected " + std::to_string(cols) + " like the first row");
    ++rows;
  }
  if (rows == 0) throw input_error(name, "no data (empty file)");
  Matrix m(rows, cols);
  for (long long r = 0; r < rows; ++r)
    for (long long c = 0; c < cols; ++c) m(r, c) = values[r * cols + c];
  return m;
}

Matrix read_csv_matrix(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw input_error(path, "cannot open file");
  return parse_csv_matrix(in, path);
}

void write_csv_matrix(std::ostream& out, const Matrix& m) {
  char buf[32];
  for (Eigen::Index r = 0; r < m.rows(); ++r) {
    for (Eigen::Index c = 0; c < m.cols(); ++c) {
      std::snprintf(buf, sizeof buf, "%.17g", m(r, c));
      if (c) out << ',';
      out << buf;
    }
    out << '\n';
  }
}

void write_csv_matrix(const std::string& path, const Matrix& m) {
  write_file_atomically(path, [&](std::ostream& out) { write_csv_matrix(out, m); });
}
}  // namespace uhop
