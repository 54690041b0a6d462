// Small text-file helpers the I/O tests share: read a whole file, write one, and a writer callback for the atomic
// file API (core/io/atomic_file.h).
#pragma once
#include <fstream>
#include <iterator>
#include <ostream>
#include <string>

namespace uhop_test {
inline std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}
inline void put(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}
inline auto writes(const std::string& text) {
  return [text](std::ostream& out) { out << text; };
}
}  // namespace uhop_test
