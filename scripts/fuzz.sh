#!/usr/bin/env bash
# Fuzz the decode paths the app uses (IDX, CIFAR, image files, session files, CSV matrices, NumPy .npy/.npz) with libFuzzer + ASan +
# UBSan for FUZZ_SECONDS each (default 30). Builds in build/fuzz with clang, writes a seed corpus with
# make_fuzz_seeds, runs the targets two at a time (FUZZ_JOBS, default 2: the total stays near what three targets
# took one after another), prints executions and crashes per target, and exits non-zero if any target crashed (crash
# inputs are left in build/fuzz/artifacts/).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
build=$root/build/fuzz
seconds=${FUZZ_SECONDS:-30}
jobs=${FUZZ_JOBS:-2}
targets=(idx gzip_idx cifar image session csv npy)

CC=clang CXX=clang++ cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DUHOP_FUZZ=ON \
  -DUHOP_BUILD_APP=OFF -DUHOP_BUILD_BENCH=OFF -DUHOP_BUILD_TESTS=OFF >/dev/null
cmake --build "$build" -j"$(nproc)" --target "${targets[@]/#/fuzz_}" make_fuzz_seeds >/dev/null

seeds=$build/seeds
rm -rf "$seeds"
"$build/fuzz/make_fuzz_seeds" "$seeds" >/dev/null
# gzip_idx: the IDX seeds (their first byte becomes the variant; the target gzips the rest itself).
mkdir -p "$seeds/gzip_idx" && cp -r "$seeds/idx/." "$seeds/gzip_idx/" 2>/dev/null || true
rm -rf "$build/artifacts"
mkdir -p "$build/artifacts"

run_target() {
  local target=$1 max_len
  case $target in
    cifar | csv) max_len=16384 ;;
    *) max_len=65536 ;;
  esac
  local corpus=$build/corpus/$target
  mkdir -p "$corpus"
  local status=0
  "$build/fuzz/fuzz_$target" "$corpus" "$seeds/$target" -max_total_time="$seconds" -max_len=$max_len \
    -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 -artifact_prefix="$build/artifacts/${target}-" \
    >"$build/fuzz_$target.log" 2>&1 || status=$?
  echo "$status" >"$build/fuzz_$target.status"
}

running=0
for target in "${targets[@]}"; do
  run_target "$target" &
  running=$((running + 1))
  if [ "$running" -ge "$jobs" ]; then
    wait -n
    running=$((running - 1))
  fi
done
wait

failed=0
printf '%-14s %12s %8s\n' target executions crashes
for target in "${targets[@]}"; do
  log=$build/fuzz_$target.log
  status=$(cat "$build/fuzz_$target.status")
  executions=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  crashes=$(find "$build/artifacts" -name "${target}-*" -type f | wc -l)
  if [ "$status" -ne 0 ] && [ "$crashes" -eq 0 ]; then crashes=1; fi  # died without leaving an input
  printf '%-14s %12s %8s\n' "fuzz_$target" "${executions:-?}" "$crashes"
  if [ "$crashes" -ne 0 ]; then
    failed=1
    echo "  see $log" >&2
  fi
done
exit $failed
