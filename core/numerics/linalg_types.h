// Eigen types at the core's interface.
//
// Scalar choice: double at every interface. The heavy products may run in float (Precision, precision.h): the
// memories and features are then held in float as well (MatrixF), and whatever is reported (losses, statistics,
// energies, W itself) is still accumulated and stored in double. docs/decisions.md "Precision" has the measured
// trade-off.
#pragma once
#include <Eigen/Dense>

namespace uhop {
using Matrix = Eigen::MatrixXd;  // column-major
using Vector = Eigen::VectorXd;
using RowMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using MatrixF = Eigen::MatrixXf;  // single-precision products (column-major)
using VectorF = Eigen::VectorXf;
template <typename T>
using MatrixT = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic>;
}  // namespace uhop
