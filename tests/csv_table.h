// The tests' one CSV reader: a file as rows of cells (no quoting: the project's logs and tables have none), and a
// column's index by header name. Shared by the CLI, sweep and insight tests.
#pragma once
#include <catch2/catch.hpp>

#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "cli_runner.h"

namespace csv_table {
// Every line split at commas; a trailing comma gives a trailing empty cell.
inline std::vector<std::vector<std::string>> read(const std::filesystem::path& path) {
  std::vector<std::vector<std::string>> rows;
  std::istringstream in(cli::slurp(path));
  for (std::string line; std::getline(in, line);) {
    std::vector<std::string> cells;
    std::string cell;
    std::istringstream ls(line);
    while (std::getline(ls, cell, ',')) cells.push_back(cell);
    if (!line.empty() && line.back() == ',') cells.push_back("");
    rows.push_back(cells);
  }
  return rows;
}
// The index of column `name` in `header`; fails the test when there is none.
inline int column(const std::vector<std::string>& header, const std::string& name) {
  for (size_t i = 0; i < header.size(); ++i)
    if (header[i] == name) return static_cast<int>(i);
  FAIL("no column " << name);
  return -1;
}
}  // namespace csv_table
