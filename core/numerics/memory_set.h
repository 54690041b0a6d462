// The stored patterns and what we know about where they came from.
#pragma once
#include <string>
#include <vector>

#include "linalg_types.h"

namespace uhop {
// Shape of one memory when it is an image: d = channels * height * width, stored channel-major (C,H,W) like the
// reference code. Memories that are not images (CSV rows) have channels = 1, height = 1, width = d.
struct ImageShape {
  int width = 0;
  int height = 0;
  int channels = 1;
  long long size() const { return static_cast<long long>(width) * height * channels; }
};

struct MemorySet {
  Matrix patterns;                       // M x d, memory mu is row mu (Xi in the reference math)
  ImageShape shape;                      // how to show a row as an image
  std::vector<std::string> names;        // per memory: file name or "source#index"
  std::vector<int> labels;               // per memory: class label, -1 when unknown
  std::vector<std::string> class_names;  // optional, label -> name
  std::string source;                    // the SRC string it was loaded from
  std::string preprocessing;             // human-readable record, e.g. "gray, 28x28, scale [0,1]"

  int count() const { return static_cast<int>(patterns.rows()); }
  int dim() const { return static_cast<int>(patterns.cols()); }
};

// A set with default names/labels/shape for a bare matrix (CSV or generated data).
MemorySet memory_set_from_matrix(Matrix patterns, const std::string& source);
}  // namespace uhop
