// The browser build's block product (parallel_products.h says why): built only by app/platform/web/CMakeLists.txt
// and scripts/bench_wasm.sh.
#include "../parallel_products.h"

#if defined(__wasm_simd128__)
#include <wasm_simd128.h>

#include <vector>

namespace uhop {
void wasm_block_product(double* out, Eigen::Index ld_out, const Matrix& a, const Matrix& b) {
  const Eigen::Index rows = a.rows(), depth = a.cols(), cols = b.cols();
  const Eigen::Index tile_rows = rows / 4 * 4, tile_cols = cols / 4 * 4;
  // Panels of 4 rows of a, k-major: panel p holds a(4p..4p+3, k) at [p][k][0..3].
  std::vector<double> packed(static_cast<size_t>(tile_rows * depth));
  for (Eigen::Index p = 0; p < tile_rows / 4; ++p)
    for (Eigen::Index k = 0; k < depth; ++k)
      for (int r = 0; r < 4; ++r) packed[static_cast<size_t>((p * depth + k) * 4 + r)] = a(4 * p + r, k);
  for (Eigen::Index j = 0; j < tile_cols; j += 4) {
    const double* b0 = &b(0, j);
    const double* b1 = b0 + depth;
    const double* b2 = b1 + depth;
    const double* b3 = b2 + depth;
    for (Eigen::Index i = 0; i < tile_rows; i += 4) {
      const double* pa = &packed[static_cast<size_t>(i * depth)];
      v128_t c00 = wasm_f64x2_splat(0), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
      for (Eigen::Index k = 0; k < depth; ++k, pa += 4) {
        const v128_t a0 = wasm_v128_load(pa), a1 = wasm_v128_load(pa + 2);
        const v128_t x0 = wasm_f64x2_splat(b0[k]), x1 = wasm_f64x2_splat(b1[k]);
        const v128_t x2 = wasm_f64x2_splat(b2[k]), x3 = wasm_f64x2_splat(b3[k]);
        c00 = wasm_f64x2_add(c00, wasm_f64x2_mul(a0, x0)), c01 = wasm_f64x2_add(c01, wasm_f64x2_mul(a1, x0));
        c10 = wasm_f64x2_add(c10, wasm_f64x2_mul(a0, x1)), c11 = wasm_f64x2_add(c11, wasm_f64x2_mul(a1, x1));
        c20 = wasm_f64x2_add(c20, wasm_f64x2_mul(a0, x2)), c21 = wasm_f64x2_add(c21, wasm_f64x2_mul(a1, x2));
        c30 = wasm_f64x2_add(c30, wasm_f64x2_mul(a0, x3)), c31 = wasm_f64x2_add(c31, wasm_f64x2_mul(a1, x3));
      }
      double* o = out + j * ld_out + i;
      wasm_v128_store(o, c00), wasm_v128_store(o + 2, c01);
      wasm_v128_store(o + ld_out, c10), wasm_v128_store(o + ld_out + 2, c11);
      wasm_v128_store(o + 2 * ld_out, c20), wasm_v128_store(o + 2 * ld_out + 2, c21);
      wasm_v128_store(o + 3 * ld_out, c30), wasm_v128_store(o + 3 * ld_out + 2, c31);
    }
  }
  // The edges: rows past the last tile in every column, columns past the last tile in the tiled rows.
  for (Eigen::Index j = 0; j < cols; ++j)
    for (Eigen::Index i = j < tile_cols ? tile_rows : 0; i < rows; ++i) {
      double sum = 0;
      for (Eigen::Index k = 0; k < depth; ++k) sum += a(i, k) * b(k, j);
      out[j * ld_out + i] = sum;
    }
}
}  // namespace uhop
#endif
