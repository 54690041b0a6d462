// Vectors and matrices as CSV: one row per line, comma-separated numbers, no header (the CLI's file contract).
#pragma once
#include <iosfwd>
#include <string>

#include "numerics/linalg_types.h"

namespace uhop {
// Throws InputError "path:line: problem" for a missing/empty file, text, NaN/inf, or ragged rows.
Matrix read_csv_matrix(const std::string& path);
Matrix parse_csv_matrix(std::istream& in, const std::string& name);
// Full round-trip precision (%.17g). Written atomically.
void write_csv_matrix(const std::string& path, const Matrix& m);
void write_csv_matrix(std::ostream& out, const Matrix& m);
}  // namespace uhop
