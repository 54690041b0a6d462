#!/usr/bin/env bash
# Fuzz the memory loaders (IDX, CIFAR, images) with libFuzzer + ASan + UBSan for FUZZ_SECONDS each (default 30).
# Builds in build/fuzz with clang, writes a seed corpus with make_fuzz_seeds, prints executions and crashes per
# target, and exits non-zero if any target crashed (crash inputs are left in build/fuzz/artifacts/).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
build=$root/build/fuzz
seconds=${FUZZ_SECONDS:-30}

CC=clang CXX=clang++ cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DUHOP_FUZZ=ON \
  -DUHOP_BUILD_APP=OFF -DUHOP_BUILD_BENCH=OFF -DUHOP_BUILD_TESTS=OFF >/dev/null
cmake --build "$build" -j"$(nproc)" --target fuzz_idx fuzz_cifar fuzz_image make_fuzz_seeds >/dev/null

seeds=$build/seeds
rm -rf "$seeds"
"$build/fuzz/make_fuzz_seeds" "$seeds" >/dev/null
rm -rf "$build/artifacts"
mkdir -p "$build/artifacts"

failed=0
printf '%-12s %12s %8s\n' target executions crashes
for target in idx cifar image; do
  case $target in
    idx) max_len=65536 ;;
    cifar) max_len=16384 ;;
    image) max_len=65536 ;;
  esac
  corpus=$build/corpus/$target
  mkdir -p "$corpus"
  log=$build/fuzz_$target.log
  status=0
  "$build/fuzz/fuzz_$target" "$corpus" "$seeds/$target" -max_total_time="$seconds" -max_len=$max_len \
    -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 -artifact_prefix="$build/artifacts/${target}-" \
    >"$log" 2>&1 || status=$?
  executions=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  crashes=$(find "$build/artifacts" -name "${target}-*" -type f | wc -l)
  if [ "$status" -ne 0 ] && [ "$crashes" -eq 0 ]; then crashes=1; fi  # died without leaving an input
  printf '%-12s %12s %8s\n' "fuzz_$target" "${executions:-?}" "$crashes"
  if [ "$crashes" -ne 0 ]; then
    failed=1
    echo "  see $log" >&2
  fi
done
exit $failed
