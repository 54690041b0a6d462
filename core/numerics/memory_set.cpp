#include "memory_set.h"

namespace uhop {
MemorySet memory_set_from_matrix(Matrix patterns, const std::string& source) {
  MemorySet set;
  set.patterns = std::move(patterns);
  set.shape = {static_cast<int>(set.patterns.cols()), 1, 1};
  set.source = source;
  for (int i = 0; i < set.count(); ++i) set.names.push_back(source + "#" + std::to_string(i));
  set.labels.assign(set.count(), -1);
  set.preprocessing = "as given";
  return set;
}
}  // namespace uhop
