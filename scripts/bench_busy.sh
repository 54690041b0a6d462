#!/usr/bin/env bash
# Stage I on a busy machine (issue 14): the same `uhop stage1` run alone and beside 4 processes that only burn CPU,
# wall and CPU time of each, with the load average beside it. Usage:
#   bash scripts/bench_busy.sh [UHOP_BINARY] [COUNT] [STEPS] [extra uhop flags...]
# e.g. bash scripts/bench_busy.sh build/release/cli/uhop 100 100 --precision double
# Environment variables pass through (UHOP_THREADS=N fixes the thread count; OMP_* for an OpenMP build).
set -euo pipefail
UHOP=${1:-build/release/cli/uhop}
COUNT=${2:-100}
STEPS=${3:-100}
shift $(( $# < 3 ? $# : 3 ))
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"; for p in ${BUSY:-}; do kill "$p" 2>/dev/null || true; done' EXIT
run_labeled() { local l=$1; shift; /usr/bin/time -f "%e %U %S" -o "$OUT/time" "$UHOP" stage1 \
    --memories builtin:fashion-mnist --count "$COUNT" --init identity --steps "$STEPS" --lr 0.1 \
    --out-w "$OUT/w.csv" --log "$OUT/log.csv" "$@" >/dev/null
  read -r wall user sys <"$OUT/time"
  printf "%-22s wall %6.2f s  cpu %6.2f s  (load %s)\n" "$l" "$wall" "$(echo "$user + $sys" | bc)" \
    "$(cut -d' ' -f1-3 /proc/loadavg)"; }
run_labeled "alone" "$@"
BUSY=""
for _ in 1 2 3 4; do (while :; do :; done) & BUSY="$BUSY $!"; done
sleep 1
run_labeled "beside 4 busy" "$@"
for p in $BUSY; do kill "$p"; done
BUSY=""
