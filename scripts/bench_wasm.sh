#!/usr/bin/env bash
# A Stage I step at M = 100, d = D = 784 (bench/wasm/stage1_step_timing.cpp) as WebAssembly under Node beside the
# same source built natively, both single-threaded, from one run; prints both medians and their ratio (the issue's
# budget: wasm <= 4x native). Needs scripts/install-web-deps.sh (emscripten). Objects go to build/bench-wasm/.
#   usage: bash scripts/bench_wasm.sh [M] [steps]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
OUT="$ROOT/build/bench-wasm"
M="${1:-100}" STEPS="${2:-10}"
mkdir -p "$OUT"
# What the step needs of core/numerics (std + Eigen only).
SOURCES=(bench/wasm/stage1_step_timing.cpp core/numerics/{stage1_kernel,pair_sweep,separation_loss,feature_geometry}.cpp
  core/numerics/{feature_map,precision,parallel_for,input_error,rng,separation_stats,number_text}.cpp core/numerics/web/wasm_products.cpp)
cd "$ROOT"
FLAGS=(-std=c++17 -O3 -DNDEBUG -Icore -isystem /usr/include/eigen3)
# Each side is rebuilt only when a source is newer than it (the builds take minutes on a busy machine).
stale() { [ ! -e "$1" ] || [ -n "$(find "${SOURCES[@]}" core/numerics/*.h -newer "$1" | head -1)" ]; }
stale "$OUT/stage1_step_native" && g++ "${FLAGS[@]}" -march=native -pthread "${SOURCES[@]}" -o "$OUT/stage1_step_native"
# Node's own WebAssembly engine: a Node-targeted build, run with --no-experimental-fetch (emscripten 3.1.6 reads the
# .wasm with fetch when Node offers one). NODE_PATH: emscripten's tools need Debian's acorn where node is not Debian's.
# Debian's emscripten uses its prebuilt, frozen system-library cache (/usr/share/emscripten/cache): no EM_CACHE.
export NODE_PATH=/usr/share/nodejs
stale "$OUT/stage1_step.js" && em++ "${FLAGS[@]}" -msimd128 -sENVIRONMENT=node -sALLOW_MEMORY_GROWTH=1 -sEXIT_RUNTIME=1 "${SOURCES[@]}" \
  -o "$OUT/stage1_step.js"
native="$("$OUT/stage1_step_native" "$M" "$STEPS")"
wasm="$(node --no-experimental-fetch "$OUT/stage1_step.js" "$M" "$STEPS")"
echo "native: $native"
echo "wasm:   $wasm"
n="$(sed 's/.*stage1_step_ms=\([0-9.]*\).*/\1/' <<<"$native")"
w="$(sed 's/.*stage1_step_ms=\([0-9.]*\).*/\1/' <<<"$wasm")"
awk -v n="$n" -v w="$w" 'BEGIN { printf "ratio wasm/native: %.2f (budget 4)\n", w / n }'
