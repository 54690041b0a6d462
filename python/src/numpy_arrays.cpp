#include "numpy_arrays.h"

#include <cmath>
#include <cstring>

namespace uhop_python {
namespace {
std::string shape_text(const py::array& a) {
  std::string s = "(";
  for (py::ssize_t k = 0; k < a.ndim(); ++k) s += (k ? ", " : "") + std::to_string(a.shape(k));
  return s + (a.ndim() == 1 ? ",)" : ")");
}

// The argument as a NumPy array of float32 or float64, else TypeError.
py::array float_array(const py::handle& value, const std::string& what) {
  if (!py::isinstance<py::array>(value))
    throw py::type_error(what + ": expected a NumPy array of float32 or float64, got " +
                         std::string(py::str(value.get_type().attr("__name__"))));
  py::array a = py::reinterpret_borrow<py::array>(value);
  const std::string code = a.dtype().attr("str").cast<std::string>();  // '<f8', '<f4', '>f8', '<i8', ...
  const std::string name = py::str(a.dtype().attr("name")).cast<std::string>();
  if (code != "<f8" && code != "<f4") {
    if (code == ">f8" || code == ">f4")
      throw py::type_error(what + ": big-endian " + name + " is not supported (use " + what + ".astype(np." + name +
                           "))");
    throw py::type_error(what + ": dtype " + name + " is not supported (float32 or float64; e.g. " + what +
                         ".astype(np.float64))");
  }
  if (!a.attr("flags").attr("aligned").cast<bool>())
    throw py::type_error(what + ": the array is not aligned (use np.ascontiguousarray)");
  return a;
}

// Element (i, j) of a 1-D (j ignored) or 2-D float array through its strides.
template <typename T>
void copy_strided(const py::array& a, double* out, long long rows, long long cols, const std::string& what) {
  const char* base = static_cast<const char*>(a.data());
  const py::ssize_t s0 = a.strides(0), s1 = a.ndim() > 1 ? a.strides(1) : 0;
  for (long long j = 0; j < cols; ++j)
    for (long long i = 0; i < rows; ++i) {
      T v;
      std::memcpy(&v, base + i * s0 + j * s1, sizeof(T));
      if (!std::isfinite(v))
        throw py::value_error(what + ": value at [" + std::to_string(i) +
                              (a.ndim() > 1 ? ", " + std::to_string(j) : "") + "] is " +
                              (std::isnan(v) ? "NaN" : "infinite"));
      out[i + j * rows] = static_cast<double>(v);
    }
}

void copy_into(const py::array& a, double* out, long long rows, long long cols, const std::string& what) {
  if (a.itemsize() == 8)
    copy_strided<double>(a, out, rows, cols, what);
  else
    copy_strided<float>(a, out, rows, cols, what);
}
}  // namespace

int array_ndim(const py::handle& value, const std::string& what) {
  return static_cast<int>(float_array(value, what).ndim());
}

uhop::Matrix matrix_from(const py::handle& value, const std::string& what, long long rows, long long cols) {
  const py::array a = float_array(value, what);
  if (a.ndim() != 2)
    throw py::value_error(what + ": expected a 2-D array" +
                          (rows >= 0 || cols >= 0 ? std::string() : std::string(" (rows, columns)")) + ", got shape " +
                          shape_text(a));
  if ((rows >= 0 && a.shape(0) != rows) || (cols >= 0 && a.shape(1) != cols))
    throw py::value_error(what + ": expected shape (" + (rows >= 0 ? std::to_string(rows) : std::string("any")) + ", " +
                          (cols >= 0 ? std::to_string(cols) : std::string("any")) + "), got " + shape_text(a));
  if (a.shape(0) == 0 || a.shape(1) == 0) throw py::value_error(what + ": the array is empty, shape " + shape_text(a));
  uhop::Matrix m(a.shape(0), a.shape(1));
  copy_into(a, m.data(), m.rows(), m.cols(), what);
  return m;
}

uhop::Vector vector_from(const py::handle& value, const std::string& what, long long size) {
  const py::array a = float_array(value, what);
  if (a.ndim() != 1) throw py::value_error(what + ": expected a 1-D array, got shape " + shape_text(a));
  if (size >= 0 && a.shape(0) != size)
    throw py::value_error(what + ": expected " + std::to_string(size) + " values, got shape " + shape_text(a));
  uhop::Vector v(a.shape(0));
  copy_into(a, v.data(), v.size(), 1, what);
  return v;
}

py::array_t<double> to_numpy(const uhop::Matrix& m) {
  py::array_t<double> out({static_cast<py::ssize_t>(m.rows()), static_cast<py::ssize_t>(m.cols())});
  Eigen::Map<uhop::RowMatrix>(out.mutable_data(), m.rows(), m.cols()) = m;
  return out;
}

py::array_t<double> to_numpy(const uhop::Vector& v) {
  py::array_t<double> out(static_cast<py::ssize_t>(v.size()));
  if (v.size()) std::memcpy(out.mutable_data(), v.data(), v.size() * sizeof(double));
  return out;
}

py::array_t<double> to_numpy(const std::vector<double>& v) {
  py::array_t<double> out(static_cast<py::ssize_t>(v.size()));
  if (!v.empty()) std::memcpy(out.mutable_data(), v.data(), v.size() * sizeof(double));
  return out;
}
}  // namespace uhop_python
