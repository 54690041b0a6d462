// The extension module uhop._uhop: one bind_* function per room of the Python API (memories, the Session, retrieval
// and the loss, the sweep and the views). python/uhop/__init__.py re-exports it as `uhop`.
#include <pybind11/pybind11.h>

#include "bindings.h"
#include "numerics/input_error.h"
#include "numerics/progress.h"

PYBIND11_MODULE(_uhop, m) {
  namespace py = pybind11;
  m.doc() = "U-Hop Studio's core: dense associative memories and U-Hop's two-stage retrieval, NumPy in and out.";
  m.attr("__version__") = UHOP_VERSION;
  // Bad input (a file, a setting, a shape the core refuses): the core's one-line message, as a ValueError.
  static py::exception<uhop::InputError> input_error(m, "InputError", PyExc_ValueError);
  // Work stopped because a progress= callback returned False.
  static py::exception<uhop::Cancelled> cancelled(m, "Cancelled", PyExc_RuntimeError);
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const uhop::InputError& e) {
      PyErr_SetString(input_error.ptr(), e.what());
    } catch (const uhop::Cancelled& e) {
      PyErr_SetString(cancelled.ptr(), "cancelled by the progress callback");
    }
  });
  uhop_python::bind_memories(m);
  uhop_python::bind_session(m);
  uhop_python::bind_retrieval(m);
  uhop_python::bind_views(m);
  uhop_python::bind_capacity(m);
}
