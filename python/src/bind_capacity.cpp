// uhop.capacity: the capacity lab (core/numerics/capacity.h, docs/capacity.md), as `uhop capacity` computes it. The
// result is the CLI's CSV as columns: the rows go through the same writer (session/capacity_table.h), so a column
// holds exactly the numbers `uhop capacity --out` prints (round-trip precision), empty cells as NaN.
#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include "bindings.h"
#include "numerics/capacity.h"
#include "numerics/input_error.h"
#include "python_calls.h"
#include "session/capacity_table.h"

namespace uhop_python {
using namespace pybind11::literals;
namespace {
std::vector<std::string> split(const std::string& line) {
  std::vector<std::string> out;
  std::string field;
  std::istringstream in(line);
  while (std::getline(in, field, ',')) out.push_back(field);
  if (!line.empty() && line.back() == ',') out.emplace_back();
  return out;
}

// The CSV text -> {column: array}: model and patterns as str arrays, every other column float64 (empty = NaN).
py::dict csv_columns(const std::string& text) {
  std::istringstream in(text);
  std::string line;
  std::getline(in, line);
  const std::vector<std::string> names = split(line);
  std::vector<std::vector<std::string>> cells(names.size());
  while (std::getline(in, line)) {
    const std::vector<std::string> fields = split(line);
    for (size_t k = 0; k < names.size(); ++k) cells[k].push_back(k < fields.size() ? fields[k] : std::string());
  }
  py::module_ np = py::module_::import("numpy");
  py::dict out;
  for (size_t k = 0; k < names.size(); ++k) {
    if (names[k] == "model" || names[k] == "patterns") {
      out[py::str(names[k])] = np.attr("array")(py::cast(cells[k]), "dtype"_a = "U");
      continue;
    }
    py::array_t<double> column(static_cast<py::ssize_t>(cells[k].size()));
    double* v = column.mutable_data();
    for (size_t i = 0; i < cells[k].size(); ++i)
      v[i] = cells[k][i].empty() ? std::numeric_limits<double>::quiet_NaN() : std::stod(cells[k][i]);
    out[py::str(names[k])] = column;
  }
  return out;
}
}  // namespace

void bind_capacity(py::module_& m) {
  m.def(
      "capacity",
      [](const std::string& model, const std::string& patterns, int dim, const std::vector<double>& alphas,
         const std::vector<double>& betas, int degree, int trials, double start_overlap, int steps, uint64_t seed,
         py::object progress_callback) {
        uhop::CapacitySettings s;
        s.model = uhop::parse_capacity_model(model);
        const bool expo = s.model == uhop::CapacityModel::exponential;
        // The CLI's defaults: spherical patterns for the exponential model, binary for the others.
        s.patterns = uhop::parse_pattern_ensemble(patterns.empty() ? (expo ? "spherical" : "binary") : patterns);
        s.dim = dim;
        s.alphas = alphas;
        if (!betas.empty() && !expo)
          throw uhop::InputError("betas: only the exponential model has an inverse temperature");
        if (!betas.empty()) s.betas = betas;
        s.degree = degree;
        s.trials = trials;
        s.start_overlap = start_overlap;
        s.steps = steps;
        s.seed = seed;
        uhop::capacity_cells(s);  // validates before the GIL is released (a refusal is a ValueError at once)
        PythonProgress progress(progress_callback);
        const std::vector<uhop::CapacityRow> rows =
            run_released(progress, [&] { return uhop::run_capacity(s, {}, {}, progress.fn()); });
        std::ostringstream csv;
        uhop::write_capacity_csv(csv, s, rows);
        return csv_columns(csv.str());
      },
      "model"_a = "exponential", "patterns"_a = "", "dim"_a = 16, "alphas"_a, "betas"_a = std::vector<double>{},
      "degree"_a = 3, "trials"_a = 100, "start_overlap"_a = 1.0, "steps"_a = 0, "seed"_a = 0, "progress"_a = py::none(),
      R"(The capacity lab, as `uhop capacity`: one row per (beta, alpha), betas outermost. Returns a dict of the CSV's
columns (model, patterns, dim, degree, beta, alpha, count, trials, start_overlap, steps, retrieved, retrieved_lo,
retrieved_hi, mean_target_weight, mean_target_weight_se, mean_final_overlap, theory) as arrays; cells the CSV leaves
empty are NaN. model: hebbian|polynomial|exponential; patterns: spherical|gaussian|binary (default spherical for
exponential, binary otherwise); steps 0 = the model's default. Same seed => same numbers.)");
}
}  // namespace uhop_python
