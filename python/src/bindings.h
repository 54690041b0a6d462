// The rooms of the Python API, one file each (python/src/bind_*.cpp), and the setting parsers they share.
#pragma once
#include <pybind11/pybind11.h>

#include <string>

#include "numerics/precision.h"

namespace uhop_python {
namespace py = pybind11;
void bind_memories(py::module_& m);   // load_memories
void bind_session(py::module_& m);    // Session
void bind_retrieval(py::module_& m);  // retrieve, probe, separation_loss, separation_loss_gradient
void bind_views(py::module_& m);      // sweep, landscape, project
void bind_capacity(py::module_& m);   // capacity
}  // namespace uhop_python
