// Matrix products on the core's threads (parallel_for.h), in any scalar type: the output is cut into fixed
// blocks and each block is one single-threaded Eigen product of its rows and columns, so the result does not
// depend on the thread count.
#pragma once
#include <algorithm>
#include <type_traits>

#include "linalg_types.h"
#include "parallel_for.h"

namespace uhop {
constexpr Eigen::Index kProductBlockRows = 256, kProductBlockCols = 128;

#if defined(__wasm_simd128__)
// WebAssembly (the browser build): Eigen 3.4 has no wasm SIMD path, so its products there are scalar. This kernel
// computes out = a * b for one block in double with 128-bit lanes: a is packed into panels of 4 rows (k-major, so
// each panel streams through the cache once per 4 columns) and a 4 x 4 tile of out is 8 f64x2 accumulators. The
// sum over k runs in order, like a plain dot product; rows and columns past the last whole tile are done in scalar.
// Measured with scripts/bench_wasm.sh (docs/web.md).
void wasm_block_product(double* out, Eigen::Index ld_out, const Matrix& a, const Matrix& b);
#endif

// out = lhs * rhs for Eigen expressions with .middleRows (lhs) and .middleCols (rhs); out is resized.
template <typename Out, typename Lhs, typename Rhs>
void parallel_product(Out& out, const Lhs& lhs, const Rhs& rhs) {
  const Eigen::Index rows = lhs.rows(), cols = rhs.cols();
  out.resize(rows, cols);
  if (rows == 0 || cols == 0) return;
  if (lhs.cols() == 0) {
    out.setZero();
    return;
  }
  const Eigen::Index row_blocks = (rows + kProductBlockRows - 1) / kProductBlockRows;
  const Eigen::Index col_blocks = (cols + kProductBlockCols - 1) / kProductBlockCols;
  parallel_for(static_cast<long>(row_blocks * col_blocks), [&](long chunk) {
    const Eigen::Index r0 = (chunk % row_blocks) * kProductBlockRows, c0 = (chunk / row_blocks) * kProductBlockCols;
    const Eigen::Index nr = std::min(kProductBlockRows, rows - r0), nc = std::min(kProductBlockCols, cols - c0);
#if defined(__wasm_simd128__)
    if constexpr (std::is_same_v<typename Out::Scalar, double> && !Out::IsRowMajor) {
      const Matrix a = lhs.middleRows(r0, nr), b = rhs.middleCols(c0, nc);  // O(n^2) copies of an O(n^3) product
      wasm_block_product(&out(r0, c0), out.outerStride(), a, b);
      return;
    }
#endif
    out.block(r0, c0, nr, nc).noalias() = lhs.middleRows(r0, nr) * rhs.middleCols(c0, nc);
  });
}

// Runs fn(first_row, row_count) over fixed blocks of `rows` rows on the core's threads.
template <typename Fn>
void parallel_rows(Eigen::Index rows, Eigen::Index block, const Fn& fn) {
  const Eigen::Index blocks = (rows + block - 1) / block;
  parallel_for(static_cast<long>(blocks), [&](long b) {
    const Eigen::Index r0 = static_cast<Eigen::Index>(b) * block;
    fn(r0, std::min(block, rows - r0));
  });
}
}  // namespace uhop
