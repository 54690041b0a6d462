#!/bin/sh
# An idle Studio waits for events instead of redrawing: with the glyphs loaded and nothing playing, the process uses
# under 15 % of one core (CPU time over a 4 s window, from /proc; the window is a measurement, not a wait).
# usage (inside xvfb-run): idle_cpu.sh UHOP_STUDIO OUT_DIR
set -eu
app=$1; out=$2
rm -rf "$out"; mkdir -p "$out"
dump="$out/state.txt"
. "$(dirname "$0")/lib.sh"
"$app" --memories builtin:glyphs --dump-state "$dump" &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
wait_for '[ "$(value memories)" = 20 ] && [ "$(value busy)" = 0 ]'
cpu() { awk '{ print $14 + $15 }' /proc/$pid/stat; }  # utime + stime, in clock ticks
hz=$(getconf CLK_TCK)
a=$(cpu); t0=$(date +%s.%N)
sleep 4
b=$(cpu); t1=$(date +%s.%N)
kill $pid; wait $pid 2>/dev/null || true
trap - EXIT
awk -v a="$a" -v b="$b" -v hz="$hz" -v t0="$t0" -v t1="$t1" 'BEGIN {
  share = (b - a) / hz / (t1 - t0)
  printf "idle: %.1f %% of one core over %.1f s\n", 100 * share, t1 - t0
  exit !(share < 0.15) }'
