// Seeded query corruptions (reference math section 7): KIND:STRENGTH strings as the CLI and the app take them.
#pragma once
#include <cstdint>
#include <string>

#include "linalg_types.h"
#include "memory_set.h"

namespace uhop {
enum class CorruptionKind { gaussian, gaussian_norm, dropout, mask_half, occlude, salt_pepper };

struct Corruption {
  CorruptionKind kind = CorruptionKind::gaussian;
  double strength = 0.1;
};

// "gaussian:0.3", "gaussian-norm:2", "dropout:0.5", "mask-half", "occlude:0.25", "salt-pepper:0.1".
// Throws InputError naming the problem (unknown kind, missing/negative strength, probability outside [0,1)).
Corruption parse_corruption(const std::string& spec);
std::string to_string(const Corruption& c);
const char* to_string(CorruptionKind k);

// The corrupted copy of xi (shape tells rows/columns for mask-half and occlude; channel-major C,H,W):
//  gaussian:s       clip(|xi + s n|, 0, 1), n ~ N(0, I)
//  gaussian-norm:s  clip(|xi + s n/||n|| |, 0, 1)   (noise of norm s)
//  dropout:p        each value zeroed with probability p, the rest scaled by 1/(1-p)
//  mask-half        bottom half of the image zeroed (second half of a non-image vector)
//  occlude:r        a random rectangle covering a fraction r of the image zeroed (all channels)
//  salt-pepper:p    each pixel set to 0 or 1 (even odds) with probability p (all channels)
Vector corrupt(const Vector& xi, const ImageShape& shape, const Corruption& c, uint64_t seed);
}  // namespace uhop
