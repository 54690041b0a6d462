// The kernel feature map Phi(u) = W u, W in R^{D x d}, D >= d (reference math section 1). K(u,v) = <Wu, Wv>.
#pragma once
#include <cstdint>
#include <string>

#include "linalg_types.h"

namespace uhop {
enum class FeatureInit {
  identity,    // D = d: U-Hop before training is exactly plain modern Hopfield (MHM)
  gaussian,    // entries N(0,1), as the reference code
  orthogonal,  // D x d with orthonormal columns (random), D >= d
};

FeatureInit parse_feature_init(const std::string& s);  // throws InputError
const char* to_string(FeatureInit init);

// Throws InputError when D < d (Assumption 1 needs full column rank) or identity with D != d.
// dim = 0 means D = d.
Matrix init_feature_map(FeatureInit init, int d, int dim, uint64_t seed);

// Algorithm 1, line 4: every row of W scaled to unit length (zero rows are left as they are).
void normalize_rows(Matrix& w);
}  // namespace uhop
