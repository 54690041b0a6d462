#include "corruption.h"

#include <cmath>
#include <cstdlib>

#include "input_error.h"
#include "number_text.h"
#include "real_settings.h"
#include "rng.h"

namespace uhop {
namespace {
struct KindName {
  CorruptionKind kind;
  const char* name;
  bool needs_strength;
  bool is_probability;
};
constexpr KindName kKinds[] = {
    {CorruptionKind::gaussian, "gaussian", true, false}, {CorruptionKind::gaussian_norm, "gaussian-norm", true, false},
    {CorruptionKind::dropout, "dropout", true, true},    {CorruptionKind::mask_half, "mask-half", false, false},
    {CorruptionKind::occlude, "occlude", true, true},    {CorruptionKind::salt_pepper, "salt-pepper", true, true},
};
const KindName& info(CorruptionKind k) {
  for (const auto& e : kKinds)
    if (e.kind == k) return e;
  return kKinds[0];
}
}  // namespace

const char* to_string(CorruptionKind k) {
  return info(k).name;
}

Corruption parse_corruption(const std::string& spec) {
  const auto colon = spec.find(':');
  const std::string name = spec.substr(0, colon);
  for (const auto& e : kKinds) {
    if (name != e.name) continue;
    Corruption c{e.kind, 0.0};
    if (colon == std::string::npos) {
      if (e.needs_strength)
        throw InputError("corruption " + quoted_excerpt(name) + " needs a strength, e.g. " + name + ":0.3");
      return c;
    }
    const std::string value = spec.substr(colon + 1);
    // The one number parser and range every front end shares (number_text.h, real_settings.h): sigma in [0, 1e6].
    c.strength = checked_real("sigma", parse_real_number(value, "corruption strength"), "corruption strength");
    if (e.is_probability && c.strength >= 1.0 && e.kind == CorruptionKind::dropout)
      throw InputError("dropout probability must be in [0, 1) (got " + value + ")");
    if (e.is_probability && c.strength > 1.0)
      throw InputError(std::string(e.name) + " fraction must be in [0, 1] (got " + value + ")");
    return c;
  }
  throw InputError("unknown corruption " + quoted_excerpt(name) +
                   " (expected gaussian:S, gaussian-norm:S, dropout:P, mask-half, occlude:R or salt-pepper:P)");
}

std::string to_string(const Corruption& c) {
  if (!info(c.kind).needs_strength) return info(c.kind).name;
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s:%g", info(c.kind).name, c.strength);
  return buf;
}

Vector corrupt(const Vector& xi, const ImageShape& shape, const Corruption& c, uint64_t seed) {
  Rng rng(seed);
  const Eigen::Index d = xi.size();
  // A shape that does not describe xi is treated as a single row.
  const bool image = shape.size() == d && shape.height > 0;
  const int W = image ? shape.width : static_cast<int>(d), H = image ? shape.height : 1;
  const int C = image ? shape.channels : 1;
  Vector x = xi;
  switch (c.kind) {
    case CorruptionKind::gaussian:
    case CorruptionKind::gaussian_norm: {
      Vector n(d);
      for (Eigen::Index i = 0; i < d; ++i) n[i] = rng.normal();
      if (c.kind == CorruptionKind::gaussian_norm && n.norm() > 0) n.normalize();
      x = (xi + c.strength * n).cwiseAbs().cwiseMin(1.0);
      break;
    }
    case CorruptionKind::dropout:
      for (Eigen::Index i = 0; i < d; ++i) x[i] = rng.uniform() < c.strength ? 0.0 : xi[i] / (1.0 - c.strength);
      break;
    case CorruptionKind::mask_half:
      if (image) {
        for (int ch = 0; ch < C; ++ch)
          for (int row = H / 2; row < H; ++row) x.segment((ch * H + row) * static_cast<Eigen::Index>(W), W).setZero();
      } else {
        x.tail(d - d / 2).setZero();
      }
      break;
    case CorruptionKind::occlude: {
      // A rectangle with the image's aspect ratio and area fraction r, at a uniformly random position.
      const int rw = std::min(W, static_cast<int>(std::lround(std::sqrt(c.strength) * W)));
      const int rh = std::min(H, static_cast<int>(std::lround(image ? std::sqrt(c.strength) * H : 1.0)));
      const int rw_eff = image ? rw : static_cast<int>(std::lround(c.strength * W));
      if (rw_eff <= 0 || rh <= 0) break;
      const int x0 = static_cast<int>(rng.below(W - rw_eff + 1)), y0 = static_cast<int>(rng.below(H - rh + 1));
      for (int ch = 0; ch < C; ++ch)
        for (int row = y0; row < y0 + rh; ++row)
          x.segment((ch * H + row) * static_cast<Eigen::Index>(W) + x0, rw_eff).setZero();
      break;
    }
    case CorruptionKind::salt_pepper:
      for (int p = 0; p < W * H; ++p) {
        if (rng.uniform() >= c.strength) continue;
        const double v = rng.uniform() < 0.5 ? 0.0 : 1.0;
        for (int ch = 0; ch < C; ++ch) x[ch * static_cast<Eigen::Index>(W) * H + p] = v;
      }
      break;
  }
  return x;
}
}  // namespace uhop
