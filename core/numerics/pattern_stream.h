// Random patterns generated on the fly (docs/capacity.md "Patterns"): pattern mu of a stream is a pure function of
// (seed, mu), computed from a counter-based hash, so a trial over P = exp(alpha N) patterns holds one block at a
// time and any block can be regenerated in any order, on any thread, with the same numbers.
#pragma once
#include <cstdint>
#include <string>

#include "linalg_types.h"

namespace uhop {
// spherical: uniform on the sphere of radius sqrt(N); gaussian: N(0, I_N); binary: +-1 with probability 1/2.
enum class PatternEnsemble { spherical, gaussian, binary };
PatternEnsemble parse_pattern_ensemble(const std::string& s);  // throws InputError naming the three
const char* to_string(PatternEnsemble e);

// SplitMix64's finalizer of the counter c under key k: mix(k + (c + 1) * golden). A bijection of c for each key.
uint64_t counter_hash(uint64_t key, uint64_t counter);
// The key of stream `stream` under `seed` (e.g. one stream per trial): counter_hash(seed-mix, stream).
uint64_t stream_key(uint64_t seed, uint64_t stream);

// Writes patterns first .. first + out.cols() - 1 of the stream `key` into the columns of out (out.rows() = N).
// Gaussian components come in Box-Muller pairs (2j, 2j+1) from one 64-bit hash of (mu, j): two 32-bit uniforms.
void generate_patterns(PatternEnsemble e, uint64_t key, uint64_t first, Eigen::Ref<MatrixF> out);
// One pattern in double (the same numbers as the block's column, widened).
Vector generate_pattern(PatternEnsemble e, int n, uint64_t key, uint64_t index);
}  // namespace uhop
