// The energy landscape: E(x) on the plane through the query and two memories, x = q + a (xi_I - q) + b (xi_J - q)
// (I the target, J a rival), for MHM (W = I) and for U-Hop (the current W), so the basins are visible.
// Issue "see why U-Hop works", view 4.
//
// E is the energy of the `retrieve` log (reference math section 5): E(x) = 1/2 K(x,x) - (1/beta) Psi*_alpha(beta k(x)),
// k(x)_nu = K(xi_nu, x), without constants. On the plane W x and k(x) are affine in (a, b):
//   W x = p0 + a p1 + b p2 (p0 = W q, p1 = W (xi_I - q), p2 = W (xi_J - q)),  k(x) = Z W x = k0 + a k1 + b k2,
// so a whole grid costs three products with W and Z plus Psi* per point (vectorized log-sum-exp for softmax).
#pragma once
#include <vector>

#include "linalg_types.h"
#include "progress.h"
#include "separation_functions.h"

namespace uhop {
struct LandscapePlane {
  Vector origin;  // q
  Vector u;       // xi_I - q
  Vector v;       // xi_J - q
};
// Throws InputError when I or J is outside [0, M), I == J, or the query has the wrong size / is not finite.
LandscapePlane landscape_plane(const Matrix& memories, const Vector& query, int target, int rival);

// n evenly spaced values over [lo, hi] (n >= 2): lo + (hi - lo) i / (n - 1).
std::vector<double> landscape_axis(int n, double lo = -0.25, double hi = 1.25);

// E(q + a_i u + b_j v) for every a_i in `a`, b_j in `b`: an a.size() x b.size() matrix (row i = a_i).
// w empty = W = I (MHM, dot similarity); features: Xi W^T when the caller has it. Throws InputError for top-k (no
// energy: its Psi* is not defined here) and for beta <= 0. Rows are computed in chunks; progress(f) may cancel.
Matrix landscape_energy(const LandscapePlane& plane, const Matrix& memories, const Matrix& w, const SepSpec& sep,
                        double beta, const std::vector<double>& a, const std::vector<double>& b,
                        const Matrix* features = nullptr, const ProgressFn& progress = nullptr);

// Where a state lies on the plane: the (a, b) of its orthogonal projection q + a u + b v, and its distance from the
// plane (a trajectory drawn on the landscape is its shadow; `off_plane` says how far above or below it is).
struct PlanePoint {
  double a = 0, b = 0;
  double off_plane = 0;
};
PlanePoint plane_coordinates(const LandscapePlane& plane, const Vector& x);

// The rival the Studio picks when none is chosen: the memory MHM retrieved (its nearest memory at x_T) when that is
// not the target, else the memory nearest to the query in pixel space among the others.
int default_rival(const Matrix& memories, const Vector& query, int target, int mhm_nearest);
}  // namespace uhop
