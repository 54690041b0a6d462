#!/usr/bin/env bash
# The one command that sets up and runs every test (README "Tests"): installs what is missing, builds a Release
# tree and an AddressSanitizer+UBSan tree, runs ctest in both (unit, CLI end-to-end and GUI-under-Xvfb tests),
# then runs each fuzzer for a bounded time. Safe to run again (incremental builds).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
JOBS=${JOBS:-$(nproc)}

echo "== Release build and tests"
cmake -S . -B build/release -DCMAKE_BUILD_TYPE=Release -DUHOP_NATIVE=ON >/dev/null
cmake --build build/release -j"$JOBS"
(cd build/release && ctest --output-on-failure -j"$JOBS")

echo "== AddressSanitizer + UndefinedBehaviorSanitizer build and tests"
cmake -S . -B build/sanitize -DCMAKE_BUILD_TYPE=RelWithDebInfo -DUHOP_SANITIZE=ON -DUHOP_BUILD_BENCH=OFF >/dev/null
cmake --build build/sanitize -j"$JOBS"
(cd build/sanitize && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 ctest --output-on-failure -j"$JOBS")

if [ -f scripts/fuzz.sh ]; then
  echo "== Fuzzing (FUZZ_SECONDS=${FUZZ_SECONDS:-30} per target)"
  bash scripts/fuzz.sh
fi
echo "== all tests passed"
