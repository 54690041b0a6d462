// A reproducible random source: the same seed gives the same numbers on every platform and standard library
// (std::normal_distribution is implementation-defined, so we do not use it). xoshiro256** seeded by splitmix64.
#pragma once
#include <cstdint>

namespace uhop {
struct Rng {
  uint64_t s[4];
  explicit Rng(uint64_t seed);
  uint64_t next_u64();
  double uniform();            // [0, 1), 53 random bits
  double normal();             // N(0,1), Box-Muller (one value per call; the pair's second is discarded)
  uint64_t below(uint64_t n);  // uniform integer in [0, n), n > 0, unbiased (rejection)
};
}  // namespace uhop
