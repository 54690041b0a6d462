// NumPy arrays in and out of the core's Eigen types. In: float32 or float64, any layout (C, Fortran or strided
// views), read straight from the array's buffer into the core's own storage (one copy, no temporary); anything
// else is a TypeError (not an array, another dtype) or a ValueError (wrong number of dimensions, a size that does
// not match, NaN or infinity), naming the argument. Out: new float64 arrays (C order).
#pragma once
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <string>
#include <vector>

#include "numerics/linalg_types.h"

namespace uhop_python {
namespace py = pybind11;

// A 2-D array (rows, cols); rows/cols = -1 accept any size. what names the argument in messages ("X", "w").
uhop::Matrix matrix_from(const py::handle& value, const std::string& what, long long rows = -1, long long cols = -1);
// A 1-D array of size (or -1 for any).
uhop::Vector vector_from(const py::handle& value, const std::string& what, long long size = -1);
// The number of dimensions of an array argument (TypeError when it is not a float32/float64 array).
int array_ndim(const py::handle& value, const std::string& what);

py::array_t<double> to_numpy(const uhop::Matrix& m);
py::array_t<double> to_numpy(const uhop::Vector& v);
py::array_t<double> to_numpy(const std::vector<double>& v);
}  // namespace uhop_python
