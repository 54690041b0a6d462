// Eigen types at the core's interface.
//
// Scalar choice: double. Stage II checks (energy never rises, error <= bound) compare quantities that differ by
// ~1e-10 at large beta, and float rounding would make those tests (and what the user reads on screen) flaky. The
// hot products (features, Gram, gradient) are where float would win; see README "Speed" for the measured cost.
#pragma once
#include <Eigen/Dense>

namespace uhop {
using Matrix = Eigen::MatrixXd;  // column-major
using Vector = Eigen::VectorXd;
using RowMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
}  // namespace uhop
