// Small text helpers the tests share: read a whole file, write one, a writer callback for the atomic file API
// (core/io/atomic_file.h), and how often a piece of text occurs (an SVG's elements, a log's lines).
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
// Occurrences of `what` in `text`, overlapping ones included.
inline int count_of(const std::string& text, const std::string& what) {
  int n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}
}  // namespace uhop_test
