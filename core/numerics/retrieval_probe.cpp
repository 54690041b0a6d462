#include "retrieval_probe.h"

#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "input_error.h"
#include "parallel_products.h"
#include "real_settings.h"
#include "separation_stats.h"

namespace uhop {
void validate(const ProbeSettings& p) {
  if (p.steps < 0 || p.steps > 1000)
    throw InputError("probe steps must be in 0..1000 (got " + std::to_string(p.steps) + ")");
  checked_real("probe-beta", p.beta, "probe beta");  // the range every front end shares (real_settings.h)
}

uint64_t probe_query_seed(uint64_t seed, int mu) {
  return seed * 0x9E3779B97F4A7C15ULL + static_cast<uint64_t>(mu) * 0xBF58476D1CE4E5B9ULL + 1;
}

Matrix probe_queries(const MemorySet& memories, const Corruption& corruption, uint64_t seed) {
  const Matrix& xi = memories.patterns;
  Matrix queries(xi.rows(), xi.cols());
  for (int mu = 0; mu < memories.count(); ++mu)
    queries.row(mu) =
        corrupt(xi.row(mu).transpose(), memories.shape, corruption, probe_query_seed(seed, mu)).transpose();
  return queries;
}

ProbeResult run_probe(const RetrievalOperator& op, const RetrievalSettings& settings, const Matrix& queries,
                      int steps) {
  const Matrix& xi = *op.memories;
  const Eigen::Index m = xi.rows();
  if (queries.rows() != m || queries.cols() != xi.cols())
    throw InputError("probe: expected one query per memory (" + std::to_string(m) + " x " + std::to_string(xi.cols()) +
                     "), got " + std::to_string(queries.rows()) + " x " + std::to_string(queries.cols()));
  Matrix x = queries;
  for (int t = 0; t < steps; ++t) x = retrieval_step_batch(op, settings, x);
  // Nearest memory in pixels: argmin_nu ||xi_nu||^2 - 2 <xi_nu, x> (the ||x||^2 term is the same for every nu), in
  // blocks of queries on the core's threads (no M x M matrix); each block's counts are summed in block order.
  constexpr Eigen::Index kBlock = 256;
  const Vector sq = xi.rowwise().squaredNorm();
  const Eigen::Index blocks = (m + kBlock - 1) / kBlock;
  std::vector<double> block_error(static_cast<size_t>(blocks), 0.0);
  std::vector<int> block_retrieved(static_cast<size_t>(blocks), 0);
  parallel_rows(m, kBlock, [&](Eigen::Index q0, Eigen::Index n) {
    const Matrix cross = x.middleRows(q0, n) * xi.transpose();  // n x M
    const size_t b = static_cast<size_t>(q0 / kBlock);
    for (Eigen::Index j = 0; j < n; ++j) {
      const Eigen::Index mu = q0 + j;
      block_error[b] += paper_error(xi.row(mu).transpose(), x.row(mu).transpose());
      Eigen::Index nearest = 0;
      (sq - 2 * cross.row(j).transpose()).minCoeff(&nearest);
      block_retrieved[b] += nearest == mu;
    }
  });
  double error_sum = 0;
  int retrieved = 0;
  for (Eigen::Index b = 0; b < blocks; ++b) {
    error_sum += block_error[static_cast<size_t>(b)];
    retrieved += block_retrieved[static_cast<size_t>(b)];
  }
  // Never a NaN row with exit 0: a non-finite error is refused with the beta that gave it.
  if (!std::isfinite(error_sum)) {
    char beta[32];
    std::snprintf(beta, sizeof beta, "%g", settings.beta);
    throw InputError(std::string("probe: the paper error is not finite at beta ") + beta +
                     ": lower the probe's beta or scale the memories down");
  }
  ProbeResult r;
  r.paper_error = error_sum / static_cast<double>(m);
  r.retrieved = static_cast<double>(retrieved) / static_cast<double>(m);
  return r;
}
}  // namespace uhop
