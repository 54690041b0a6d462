#!/bin/sh
# Exports, sessions and sweeps under Xvfb: a script runs a little Stage I/II, exports every plot as SVG, PNG (2x)
# and CSV and the image panels as PNG, saves a session and loads it back; then
#  - each SVG is well-formed XML whose polyline goes through the CSV's values; each PNG decodes at 2x the SVG size;
#  - the CSVs equal the logs `uhop replay` writes from the saved session (loss, R_Φ, retrieval error);
#  - loading the session (script load-session, and --session at startup) gives identical CSVs;
#  - a malformed session file is refused naming the key and leaves the state as it was;
#  - a small sweep writes its outputs and its figure exports.
# usage (from CTest, inside xvfb-run): exports.sh UHOP_STUDIO PNG_SIZE_CHECK UHOP_CLI OUT_DIR
set -eu
app=$1; pngsize=$2; cli=$3; out=$4
here=$(cd "$(dirname "$0")" && pwd)
check="python3 $here/check_exports.py"
rm -rf "$out"; mkdir -p "$out"
plots="loss delta radius energy error compare"

# ---- run A: compute, export, save, disturb, load back, export again
{
  echo "load builtin:glyphs count=20"
  echo "target 3"
  echo "corrupt gaussian:0.3 seed=1"
  echo "set lr=0.5"
  echo "stage1 steps=12"
  echo "brush 4,4 10,10 radius=1.5"
  echo "set beta=4"
  echo "stage2 steps=3"
  echo "wait"
  for p in $plots; do
    echo "export-plot $p $out/a-$p.svg"
    echo "export-plot $p $out/a-$p.png scale=2"
    echo "export-plot $p $out/a-$p.csv"
  done
  for i in memories query target trajectory heat-initial heat-now; do echo "export-image $i $out/a-$i.png"; done
  echo "save-session $out/s.json"
  echo "stage1 steps=5"
  echo "set beta=2"
  echo "load-session $out/s.json"
  echo "wait"
  for p in $plots; do echo "export-plot $p $out/b-$p.csv"; done
  echo "sweep vary=M values=10,20 methods=mhm,uhop seeds=1 stage1_steps=10 out=$out/sweep"
  echo "wait"
  echo "export-plot sweep $out/sweep.svg"
  echo "export-plot sweep $out/sweep.csv"
  echo "screenshot $out/with-sweep.png"
} > "$out/a.txt"
"$app" --script "$out/a.txt" --frames 10 --dump-state "$out/a-state.txt"
cat "$out/a-state.txt"
grep -qx "error=" "$out/a-state.txt"
grep -qx "session=$out/s.json" "$out/a-state.txt"

for p in $plots; do
  test -s "$out/a-$p.svg" && test -s "$out/a-$p.png" && test -s "$out/a-$p.csv"
  set -- $($check svgsize "$out/a-$p.svg")
  "$pngsize" "$out/a-$p.png" $(($1 * 2)) $(($2 * 2))
  cmp "$out/a-$p.csv" "$out/b-$p.csv"  # the reloaded session plots the very same numbers
done
$check svg "$out/a-loss.svg" "$out/a-loss.csv" "L_Φ"
$check svg "$out/a-radius.svg" "$out/a-radius.csv" "R_Φ"
$check svg "$out/a-delta.svg" "$out/a-delta.csv" "mean"
$check svg "$out/a-energy.svg" "$out/a-energy.csv" "E"
for i in memories query target trajectory heat-initial heat-now; do test -s "$out/a-$i.png"; done
"$pngsize" "$out/a-query.png" 532 532      # 28 x 28 enlarged 19x (the long side reaches 512)
"$pngsize" "$out/a-memories.png" 576 460   # 5 x 4 tiles of 28 px with 1 px gaps (144 x 115), 4x
"$pngsize" "$out/a-heat-now.png" 520 520   # 20 x 20 block means, 26x

# ---- the CSVs against the CLI's logs of the same session
"$cli" replay --session "$out/s.json" --out "$out/replay" > "$out/replay.txt"
$check column "$out/a-loss.csv" "L_Φ" "$out/replay/stage1.csv" loss
$check column "$out/a-radius.csv" "R_Φ" "$out/replay/stage1.csv" r_phi
$check column "$out/a-error.csv" measured "$out/replay/retrieval.csv" error
$check column "$out/a-compare.csv" MHM "$out/replay/baseline.csv" error

# ---- the sweep
test -s "$out/sweep/summary.csv" && test -s "$out/sweep/merged.csv"
$check svg "$out/sweep.svg" "$out/sweep.csv" "uhop"
grep -qx "sweep=$out/sweep" "$out/a-state.txt"

# ---- run B: --session at startup gives the same plots
{
  for p in $plots; do echo "export-plot $p $out/c-$p.csv"; done
} > "$out/c.txt"
"$app" --session "$out/s.json" --script "$out/c.txt" --frames 5 --dump-state "$out/c-state.txt"
grep -qx "error=" "$out/c-state.txt"
for p in $plots; do cmp "$out/a-$p.csv" "$out/c-$p.csv"; done

# ---- run C: a malformed session file is refused naming the key; the state stays
sed 's/"beta": *[0-9.e+-]*/"beta":"hot"/' "$out/s.json" > "$out/bad.json"
grep -q '"beta":"hot"' "$out/bad.json"
cp "$out/s.w.csv" "$out/bad.w.csv" 2>/dev/null || true
cat > "$out/d.txt" <<SCRIPT
load builtin:glyphs count=10
stage1 steps=4
stage2 steps=2
export-plot loss $out/d1.csv
export-plot error $out/d1-error.csv
load-session $out/bad.json
wait
export-plot loss $out/d2.csv
export-plot error $out/d2-error.csv
SCRIPT
rc=0
"$app" --script "$out/d.txt" --frames 5 --dump-state "$out/d-state.txt" || rc=$?
cat "$out/d-state.txt"
test "$rc" -eq 3  # the bad session failed when the script ran it
grep -q "^error=.*stage2\.beta" "$out/d-state.txt"
grep -qx "memories=10" "$out/d-state.txt"
grep -qx "stage1_steps=4" "$out/d-state.txt"
cmp "$out/d1.csv" "$out/d2.csv"
cmp "$out/d1-error.csv" "$out/d2-error.csv"
echo "gui exports: ok"
