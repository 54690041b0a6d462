// The browser build's block product (core/numerics/web/wasm_products.cpp) against a plain triple loop, on shapes
// with every kind of edge (tiles of 4, blocks of 256 x 128, depth 1). Built with em++ -msimd128 and run under Node
// by tests/web/web_test.sh; prints "wasm products: ok" or the first mismatch (exit 1).
#include <cmath>
#include <cstdio>

#include "numerics/parallel_products.h"
#include "numerics/rng.h"

int main() {
#if !defined(__wasm_simd128__)
  std::printf("wasm products: built without -msimd128, nothing to test\n");
  return 1;
#else
  uhop::Rng rng(3);
  const int shapes[][3] = {{1, 1, 1}, {4, 4, 1}, {5, 3, 7}, {8, 8, 100}, {257, 129, 33}, {300, 131, 784}, {13, 260, 2}};
  for (const auto& s : shapes) {
    uhop::Matrix a(s[0], s[2]), b(s[2], s[1]), out;
    for (int i = 0; i < a.size(); ++i) a.data()[i] = rng.uniform() - 0.5;
    for (int i = 0; i < b.size(); ++i) b.data()[i] = rng.uniform() - 0.5;
    uhop::parallel_product(out, a, b.transpose().transpose());
    for (int i = 0; i < s[0]; ++i)
      for (int j = 0; j < s[1]; ++j) {
        double sum = 0, scale = 0;
        for (int k = 0; k < s[2]; ++k) sum += a(i, k) * b(k, j), scale += std::abs(a(i, k) * b(k, j));
        if (std::abs(out(i, j) - sum) > 1e-14 * scale) {
          std::printf("wasm products: %dx%dx%d: out(%d,%d) = %.17g, loop %.17g\n", s[0], s[2], s[1], i, j, out(i, j),
                      sum);
          return 1;
        }
      }
  }
  std::printf("wasm products: ok\n");
  return 0;
#endif
}
