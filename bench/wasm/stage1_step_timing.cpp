// One Stage I step (full batch, avg loss, double) at M memories, d = D = 784, timed with a plain clock: the same
// source built natively and as WebAssembly (run under Node), so scripts/bench_wasm.sh can print their ratio from one
// run. Google Benchmark has no WebAssembly build in Debian, hence this small loop. Only core/numerics (std + Eigen).
//
// usage: stage1_step_timing [M] [steps]   prints "stage1_step_ms=<median> M=<M> d=784"
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <vector>

#include "numerics/feature_map.h"
#include "numerics/parallel_for.h"
#include "numerics/rng.h"
#include "numerics/separation_loss.h"
#include "numerics/stage1_kernel.h"

int main(int argc, char** argv) {
  const int m = argc > 1 ? std::atoi(argv[1]) : 100, steps = argc > 2 ? std::atoi(argv[2]) : 10;
  constexpr int kDim = 784;  // Fashion-MNIST's 28 x 28; values in [0, 1] like its pixels (the cost is value-blind)
  uhop::set_max_compute_threads(1);  // single thread on both sides: what is compared is the compiled code
  uhop::Rng rng(7);
  auto memories = std::make_shared<uhop::Matrix>(m, kDim);
  for (int i = 0; i < m; ++i)
    for (int j = 0; j < kDim; ++j) (*memories)(i, j) = rng.uniform();
  auto kernel = uhop::make_stage1_kernel(memories, nullptr, uhop::Precision::double_precision);
  uhop::Matrix w = uhop::init_feature_map(uhop::FeatureInit::identity, kDim, kDim, 1), grad;
  uhop::AdamState adam;
  uhop::Stage1Request request;
  request.gradient = true;
  std::vector<double> ms;
  double loss = 0;
  for (int s = 0; s <= steps; ++s) {  // step 0 warms up (allocations)
    const auto t0 = std::chrono::steady_clock::now();
    loss = kernel->evaluate(w, {}, request).loss;  // the sweep of W_i: loss and the gradient's weighted sum
    kernel->gradient(grad);
    uhop::apply_update(w, grad, 0.1, uhop::Optimizer::sgd, adam);
    const std::chrono::duration<double, std::milli> dt = std::chrono::steady_clock::now() - t0;
    if (s > 0) ms.push_back(dt.count());
  }
  std::sort(ms.begin(), ms.end());
  std::printf("stage1_step_ms=%.3f M=%d d=%d steps=%d loss=%.17g\n", ms[ms.size() / 2], m, kDim, steps, loss);
  return 0;
}
