#include "pattern_stream.h"

#include <cmath>

#include "input_error.h"

namespace uhop {
PatternEnsemble parse_pattern_ensemble(const std::string& s) {
  if (s == "spherical") return PatternEnsemble::spherical;
  if (s == "gaussian") return PatternEnsemble::gaussian;
  if (s == "binary") return PatternEnsemble::binary;
  throw InputError("unknown pattern ensemble " + quoted_excerpt(s) + " (spherical, gaussian or binary)");
}

const char* to_string(PatternEnsemble e) {
  switch (e) {
    case PatternEnsemble::spherical:
      return "spherical";
    case PatternEnsemble::gaussian:
      return "gaussian";
    case PatternEnsemble::binary:
      return "binary";
  }
  return "?";
}

uint64_t counter_hash(uint64_t key, uint64_t counter) {
  uint64_t z = key + (counter + 1) * 0x9E3779B97F4A7C15ull;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

uint64_t stream_key(uint64_t seed, uint64_t stream) {
  return counter_hash(counter_hash(0x5EEDCA9AC17E5EEDull, seed), stream);
}

namespace {
// Gaussian pairs for every column of out: pair j of pattern mu uses hash (mu * pairs + j). The whole block goes
// through Box-Muller at once (Eigen vectorizes log, sqrt, cos and sin), so the cost per component stays flat.
void gaussian_block(uint64_t key, uint64_t first, Eigen::Ref<MatrixF> out) {
  const Eigen::Index n = out.rows(), pairs = (n + 1) / 2, total = pairs * out.cols();
  // Padded to whole SIMD packets: Eigen computes a tail shorter than a packet with scalar code whose last bits
  // differ, which would make a pattern's values depend on where it sits in its block.
  const Eigen::Index padded = (total + 15) / 16 * 16;
  thread_local Eigen::ArrayXf u1, u2, r, c, s;
  if (u1.size() < padded) u1.resize(padded), u2.resize(padded), r.resize(padded), c.resize(padded), s.resize(padded);
  const uint64_t base = first * static_cast<uint64_t>(pairs);
  for (Eigen::Index k = 0; k < total; ++k) {
    const uint64_t h = counter_hash(key, base + static_cast<uint64_t>(k));
    // u1 in (0, 1] (log never sees 0), u2 in [0, 1): 32 bits each, rounded to float.
    u1[k] = (static_cast<float>(h >> 32) + 1.0f) * 2.3283064365386963e-10f;
    u2[k] = static_cast<float>(h & 0xFFFFFFFFull) * 2.3283064365386963e-10f;
  }
  u1.segment(total, padded - total).setOnes();
  u2.segment(total, padded - total).setZero();
  // Box-Muller: r = sqrt(-2 ln u1), theta = 2 pi u2 -> (r cos theta, r sin theta).
  r.head(padded) = (-2.0f * u1.head(padded).min(1.0f).log()).sqrt();
  u2.head(padded) *= 6.2831853071795865f;
  c.head(padded) = r.head(padded) * u2.head(padded).cos();
  s.head(padded) = r.head(padded) * u2.head(padded).sin();
  for (Eigen::Index col = 0; col < out.cols(); ++col)
    for (Eigen::Index j = 0; j < pairs; ++j) {
      out(2 * j, col) = c[col * pairs + j];
      if (2 * j + 1 < n) out(2 * j + 1, col) = s[col * pairs + j];
    }
}
}  // namespace

void generate_patterns(PatternEnsemble e, uint64_t key, uint64_t first, Eigen::Ref<MatrixF> out) {
  const Eigen::Index n = out.rows();
  if (e == PatternEnsemble::binary) {
    const uint64_t words = static_cast<uint64_t>((n + 63) / 64);
    for (Eigen::Index col = 0; col < out.cols(); ++col) {
      const uint64_t mu = first + static_cast<uint64_t>(col);
      for (uint64_t w = 0; w < words; ++w) {
        const uint64_t h = counter_hash(key, mu * words + w);
        for (Eigen::Index i = static_cast<Eigen::Index>(w * 64); i < n && i < static_cast<Eigen::Index>(w * 64 + 64);
             ++i)
          out(i, col) = ((h >> (i - w * 64)) & 1u) ? 1.0f : -1.0f;
      }
    }
    return;
  }
  gaussian_block(key, first, out);
  if (e == PatternEnsemble::spherical) {
    for (Eigen::Index col = 0; col < out.cols(); ++col) {
      const float norm = out.col(col).norm();  // > 0 with probability 1; a zero vector stays zero
      if (norm > 0) out.col(col) *= std::sqrt(static_cast<float>(n)) / norm;
    }
  }
}

Vector generate_pattern(PatternEnsemble e, int n, uint64_t key, uint64_t index) {
  MatrixF one(n, 1);
  generate_patterns(e, key, index, one);
  return one.col(0).cast<double>();
}
}  // namespace uhop
