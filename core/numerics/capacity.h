// The capacity lab (docs/capacity.md): how many random patterns a network of N neurons retrieves. One measurement
// for three models: each trial draws its own patterns (stream `trial` of the seed, pattern_stream.h), picks a
// target, starts from it (or from a random point at overlap rho with it, on its sphere), runs the model's dynamics
// and records whether the target was retrieved: final overlap m = xi_t.x_T / xi_t.xi_t >= 0.95 (kRetrievedOverlap).
//
// A plain struct of settings and a free function returning rows, so that every front end (CLI, Studio, bindings)
// shares it. Rows are a pure function of the settings: independent of the thread count and of which cells run.
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "pattern_stream.h"
#include "progress.h"

namespace uhop {
// hebbian: J = (1/N) sum xi xi^T, zero diagonal, asynchronous sign updates, P = round(alpha N).
// polynomial: energy -sum_mu (xi_mu.x)^n, asynchronous sign updates (a spin flips when that lowers the energy),
//             P = round(alpha N^(n-1)); degree 2 is the hebbian network exactly.
// exponential: x <- Xi softmax(beta Xi^T x), patterns of squared norm ~N, P = round(exp(alpha N)), streamed.
enum class CapacityModel { hebbian, polynomial, exponential };
CapacityModel parse_capacity_model(const std::string& s);  // throws InputError
const char* to_string(CapacityModel m);

constexpr double kRetrievedOverlap = 0.95;  // just below AGS's retrieval overlap ~0.967 at alpha_c
constexpr int kMaxCapacityDim = 4096;
constexpr int kMaxCapacityTrials = 1000000;
constexpr int kMaxCapacitySteps = 10000;
constexpr double kMaxCapacityBeta = 1000;
constexpr double kMaxExponentialPatterns = 4611686018427387904.0;  // 2^62
constexpr double kMaxStoredComponents = 33554432.0;                // 2^25: hebbian/polynomial hold P x N int8
constexpr uint64_t kCapacityChunk = 4096;                          // patterns per streamed block

struct CapacitySettings {
  CapacityModel model = CapacityModel::exponential;
  PatternEnsemble patterns = PatternEnsemble::spherical;  // hebbian/polynomial: binary only
  int dim = 16;                                           // N
  std::vector<double> alphas;                             // loads
  std::vector<double> betas = {1.0};                      // exponential only; one row per (beta, alpha)
  int degree = 3;                                         // polynomial n in 2..8
  int trials = 100;
  double start_overlap = 1.0;  // rho in [0, 1]
  int steps = 0;               // 0: the model's default (default_capacity_steps)
  uint64_t seed = 0;
};
// exponential: 1 update (one step decides at large N); hebbian/polynomial: up to 100 sweeps (they stop when no
// spin flips).
int default_capacity_steps(CapacityModel m);

struct CapacityCell {
  int index = 0;  // betas outermost, then alphas
  double beta = 0;
  double alpha = 0;
};
// Validates the settings and every cell's pattern count (throws InputError naming the flag and the value).
std::vector<CapacityCell> capacity_cells(const CapacitySettings& s);
uint64_t capacity_pattern_count(const CapacitySettings& s, double alpha);  // P for this load (throws InputError)

struct CapacityRow {
  CapacityCell cell;
  uint64_t count = 0;  // P
  int trials = 0;
  int steps = 0;                                               // resolved
  double retrieved = 0, retrieved_lo = 0, retrieved_hi = 0;    // fraction, Wilson 95 % interval
  double mean_target_weight = -1, mean_target_weight_se = -1;  // exponential only (< 0: none)
  double mean_final_overlap = 0;
  double theory = -1;  // asymptotic threshold in alpha (< 0: none known)
};
// The model's threshold for this row: hebbian 0.138; polynomial 1/(2 (2n-3)!! ln N); exponential the load where
// the critical start overlap equals the start overlap (alpha_1 at rho = 1).
double capacity_theory(const CapacitySettings& s, double beta);

// One trial's outcome (exposed for tests).
struct CapacityTrial {
  bool retrieved = false;
  double target_weight = -1;  // softmax weight of the target at the start state (exponential)
  double final_overlap = 0;   // xi_t.x_T / xi_t.xi_t
};
CapacityTrial run_capacity_trial(const CapacitySettings& s, double beta, uint64_t count, int trial);

// Runs the cells with these indices (all when empty), on_row after each; progress over the pattern work, called
// on the calling thread only. A cancel (progress returns false) ends the trials within 2^16 pattern visits per
// thread (hebbian/polynomial check inside their sweeps). Throws InputError or Cancelled.
std::vector<CapacityRow> run_capacity(const CapacitySettings& s, const std::vector<int>& indices = {},
                                      const std::function<void(const CapacityRow&)>& on_row = {},
                                      const ProgressFn& progress = {});
// Wilson score interval for k successes in n at 95 % (z = 1.96).
void wilson_interval(int k, int n, double& lo, double& hi);
}  // namespace uhop
