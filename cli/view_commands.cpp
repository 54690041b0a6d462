// uhop project and uhop landscape: the feature-space map and the energy landscape of the Studio's "why" views, headless
// (issue "see why U-Hop works"). Same numerics as the Studio (core/numerics/feature_projection.h, energy_landscape.h).
#include <cmath>
#include <cstdio>
#include <iostream>
#include <string>

#include "cli_args.h"
#include "data/csv_matrix.h"
#include "data/npy_format.h"
#include "io/atomic_file.h"
#include "numerics/energy_landscape.h"
#include "numerics/feature_projection.h"
#include "numerics/input_error.h"
#include "session/insight_views.h"
#include "session/session.h"

namespace {
using namespace uhop;
using namespace uhop::cli;

const char* kProjectHelp = R"(uhop project --memories SRC [--count M] [--w W.csv] --out P.csv
The normalized features f_mu = W xi_mu / ||W xi_mu|| (W = I without --w: plain pixels, MHM) projected on their top
two principal components after centering: P.csv has the columns index,x,y (one row per memory). Signs: each axis is
turned so that its largest |coordinate| is positive (the Studio aligns successive frames instead).
)";

const char* kLandscapeHelp = R"(uhop landscape --memories SRC [--count M] [--w W.csv] --query Q.csv --target I
  --rival J [--alpha A] [--beta B] --grid N --out L.csv
The energy E(x) = 1/2 K(x,x) - (1/beta) Psi*_alpha(beta k(x)) (as in the retrieve log, without constants) on the
plane x = q + a (xi_I - q) + b (xi_J - q) through the query q, the target I and the rival J, for MHM (W = I) and
U-Hop (K(u,v) = <Wu, Wv>; W = I without --w). a and b take N evenly spaced values over [-0.25, 1.25] (2 <= N <= 1024):
L.csv has N^2 rows a,b,energy_mhm,energy_kernel (a outer, b inner). Defaults alpha 1 (softmax), beta 1. Top-k
softmax has no energy and is refused.
)";

Matrix read_w(const Args& a, int d) {
  if (!a.has("w")) return Matrix();
  Matrix w = read_matrix_file(a.str("w"), kMaxWValues);
  if (w.cols() != d)
    throw InputError(a.str("w") + ": W has " + std::to_string(w.cols()) +
                     " columns, the memories have d = " + std::to_string(d));
  if (!w.allFinite()) throw InputError(a.str("w") + ": W contains a NaN or infinite value");
  return w;
}

void check_count(const MemorySet& memories, const char* what) {
  if (memories.count() < 2) throw InputError(std::string(what) + " needs at least 2 memories");
  // The PCA goes through the M x M Gram of the normalized features (core/numerics/feature_projection.h).
  if (memories.count() > kMaxGramMemories)
    throw InputError(std::string(what) + ": M = " + std::to_string(memories.count()) + " memories is more than " +
                     std::to_string(kMaxGramMemories) + " (it keeps M x M matrices); pick fewer with --count");
}
}  // namespace

int cmd_project(int argc, char** argv) {
  const Args a = parse_args(argc, argv, 2, {"w", "out"}, {"help"});
  if (a.has("help")) return std::cout << kProjectHelp, 0;
  const std::string out = a.required("out");
  MemorySet memories = load(a);
  check_count(memories, "project");
  const Matrix w = read_w(a, memories.dim());
  const Matrix features = w.size() == 0 ? memories.patterns : Matrix(memories.patterns * w.transpose());
  if (!features.allFinite()) throw InputError("project: the features W xi overflow (beyond 1.8e308): scale W down");
  // Exact eigenvectors up to M = 2000 (about a second); the Studio animates with the warm-started iteration.
  const FeatureMap2d map = feature_pca(features, nullptr, 2000);
  write_file_atomically(out, [&](std::ostream& o) { write_projection_csv(o, map.points); });
  std::printf("project: %d memories, the two axes show %.3g%% of the features' variance (%.4g + %.4g of %.4g)\n",
              memories.count(), map.total_variance > 0 ? 100 * map.variance.sum() / map.total_variance : 0.0,
              map.variance[0], map.variance[1], map.total_variance);
  return 0;
}

int cmd_landscape(int argc, char** argv) {
  const Args a =
      parse_args(argc, argv, 2, {"w", "query", "target", "rival", "alpha", "beta", "grid", "out", "top-k"}, {"help"});
  if (a.has("help")) return std::cout << kLandscapeHelp, 0;
  const std::string out = a.required("out");
  const std::string query_path = a.required("query");
  if (!a.has("target")) throw InputError("missing required flag --target");
  if (!a.has("rival")) throw InputError("missing required flag --rival");
  if (!a.has("grid")) throw InputError("missing required flag --grid");
  const long long grid = a.integer("grid", 0, 2, 1024);
  SepSpec sep;
  sep.alpha = a.number("alpha", 1.0);
  sep.top_k = a.count("top-k", 0);
  if (sep.top_k > 0)
    throw InputError(
        "landscape: top-k softmax has no energy (its Psi* is not defined here; the retrieve log leaves "
        "energy empty for it too): use --alpha");
  validate(sep);
  const double beta = a.number("beta", 1.0);
  const long long target = a.integer("target", -1, 0, INT_MAX), rival = a.integer("rival", -1, 0, INT_MAX);
  const Matrix query_file = read_matrix_file(query_path, kMaxWValues);
  MemorySet memories = load(a);
  if (memories.count() < 2) throw InputError("landscape needs at least 2 memories");
  const Matrix w = read_w(a, memories.dim());
  if (query_file.rows() != 1 && query_file.cols() != 1)
    throw InputError(query_path + ": expected one row (or one column) of " + std::to_string(memories.dim()) +
                     " values, got " + std::to_string(query_file.rows()) + "x" + std::to_string(query_file.cols()));
  const Vector query = Eigen::Map<const Vector>(query_file.data(), query_file.size());
  if (target < 0 || target >= memories.count())
    throw InputError("--target " + std::to_string(target) + " is outside 0.." + std::to_string(memories.count() - 1));
  if (rival < 0 || rival >= memories.count())
    throw InputError("--rival " + std::to_string(rival) + " is outside 0.." + std::to_string(memories.count() - 1));
  const LandscapePlane plane =
      landscape_plane(memories.patterns, query, static_cast<int>(target), static_cast<int>(rival));
  LandscapeGrid g;
  g.a = g.b = landscape_axis(static_cast<int>(grid));
  g.energy_mhm = landscape_energy(plane, memories.patterns, Matrix(), sep, beta, g.a, g.b);
  g.energy_kernel = w.size() == 0 ? g.energy_mhm : landscape_energy(plane, memories.patterns, w, sep, beta, g.a, g.b);
  write_file_atomically(out, [&](std::ostream& o) { write_landscape_csv(o, g); });
  std::printf("landscape: %lld x %lld grid, E_mhm in [%.6g, %.6g], E_kernel in [%.6g, %.6g]\n", grid, grid,
              g.energy_mhm.minCoeff(), g.energy_mhm.maxCoeff(), g.energy_kernel.minCoeff(), g.energy_kernel.maxCoeff());
  return 0;
}
