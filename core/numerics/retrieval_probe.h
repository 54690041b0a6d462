// The probe: how well a memory set retrieves *in general* under one corruption, not just for the one query on screen.
// Every memory mu is queried once (its corrupted copy, seeded per memory), Stage II runs T batched steps, and the
// probe reports the mean paper error and the fraction retrieved. Issue "see why U-Hop works", view 1.
#pragma once
#include <cstdint>
#include <limits>

#include "corruption.h"
#include "memory_set.h"
#include "retrieval.h"

namespace uhop {
struct ProbeSettings {
  Corruption corruption;  // the queries: corrupt(xi_mu) for every mu
  uint64_t seed = 0;      // query mu uses probe_query_seed(seed, mu)
  int steps = 1;          // T batched Stage II steps (the paper's sweeps use T = 1)
  double beta = 1.0;      // inverse temperature of the probe's retrieval (the paper's sweeps use beta = 1)
};
void validate(const ProbeSettings& p);  // 0 <= T <= 1000, beta > 0 finite (throws InputError)

struct ProbeResult {
  double paper_error = std::numeric_limits<double>::quiet_NaN();  // mean_mu ||clip(xi_mu) - clip(x_T^mu)||^2
  double retrieved = std::numeric_limits<double>::quiet_NaN();  // fraction of mu with argmin_nu ||xi_nu - x_T^mu|| = mu
};

// The seed of memory mu's query: the same mixing as `uhop sweep` (so a probe and a sweep cell with the same seed and
// memories query with the same noise).
uint64_t probe_query_seed(uint64_t seed, int mu);
// Row mu = corrupt(xi_mu, shape, corruption, probe_query_seed(seed, mu)) (M x d).
Matrix probe_queries(const MemorySet& memories, const Corruption& corruption, uint64_t seed);

// T steps of retrieval_step_batch from every row of `queries` (row mu's target is memory mu), then the mean paper
// error and the fraction retrieved (nearest memory in pixel space, ties to the lower index).
ProbeResult run_probe(const RetrievalOperator& op, const RetrievalSettings& settings, const Matrix& queries, int steps);
}  // namespace uhop
