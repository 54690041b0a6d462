#!/bin/sh
# The "why" views under Xvfb: a script on the glyphs trains W a little, opens the probe, margin, feature-map and
# landscape windows one by one (screenshot each), exports their plots (SVG, PNG, CSV) and the landscape heatmaps, and
# saves the session; then
#  - each window's screenshot has content where its plots and heatmaps are (png_region_check);
#  - every export exists, and the landscape grid CSV the Studio wrote equals `uhop landscape` run on the replayed
#    session's W and query (the same grid, to 1e-12 relative);
#  - a bad `landscape`/`view` line is refused before anything runs.
# usage (from CTest, inside xvfb-run): insight_views.sh UHOP_STUDIO PNG_REGION_CHECK PNG_DIFF_CHECK UHOP_CLI OUT_DIR
set -eu
app=$1; check=$2; diff=$3; cli=$4; out=$5
rm -rf "$out"; mkdir -p "$out"
plots="probe-error probe-retrieved margin beta-star feature-map-mhm feature-map-uhop landscape-mhm landscape-uhop"
{
  echo "load builtin:glyphs count=20"
  echo "target 3"
  echo "corrupt gaussian:0.3 seed=1"
  echo "set lr=0.5 beta=4 probe_every=1"
  echo "stage2 steps=3"
  echo "stage1 steps=12"
  echo "wait"
  echo "screenshot $out/base.png"
  for v in probe margin feature-map; do
    echo "view $v"
    echo "wait"
    echo "screenshot $out/view-$v.png"
    echo "view $v off"
  done
  echo "view landscape"
  echo "landscape rival=11 grid=24"
  echo "wait"
  echo "screenshot $out/view-landscape.png"
  for p in $plots; do
    for ext in svg png csv; do echo "export-plot $p $out/$p.$ext"; done
  done
  echo "export-image landscape-mhm $out/heat-mhm.png"
  echo "export-image landscape-uhop $out/heat-uhop.png"
  echo "save-session $out/s.json"
} > "$out/script.txt"
"$app" --script "$out/script.txt" --frames 5 --dump-state "$out/state.txt"
cat "$out/state.txt"
grep -qx "error=" "$out/state.txt"
grep -qx "stage1_steps=12" "$out/state.txt"
for p in $plots; do for ext in svg png csv; do test -s "$out/$p.$ext"; done; done
test -s "$out/heat-mhm.png" && test -s "$out/heat-uhop.png"
# Windows (fractions of 1600x1000) as the View menu first places them: the plot areas must not be blank.
"$check" "$out/view-probe.png" 0.55 0.17 0.95 0.33 5 0.05  0.55 0.42 0.95 0.58 5 0.05
"$check" "$out/view-margin.png" 0.55 0.52 0.95 0.68 5 0.05  0.55 0.78 0.95 0.92 3 0.02
"$check" "$out/view-feature-map.png" 0.05 0.15 0.30 0.50 5 0.02  0.36 0.15 0.62 0.50 5 0.02
"$check" "$out/view-landscape.png" 0.03 0.52 0.30 0.93 8 0.30  0.32 0.52 0.60 0.93 8 0.30
# ... and each window really is open over the layout (the same regions differ from the screenshot without it).
"$diff" "$out/base.png" "$out/view-probe.png" 0.55 0.17 0.95 0.58 0.2
"$diff" "$out/base.png" "$out/view-margin.png" 0.55 0.52 0.95 0.92 0.2
"$diff" "$out/base.png" "$out/view-feature-map.png" 0.05 0.15 0.62 0.50 0.2
"$diff" "$out/base.png" "$out/view-landscape.png" 0.03 0.52 0.60 0.93 0.5
head -1 "$out/landscape-uhop.csv" | grep -qx "a,b,energy_mhm,energy_kernel"
test "$(wc -l < "$out/landscape-uhop.csv")" -eq 577  # 24 x 24 rows and the header
cmp "$out/landscape-uhop.csv" "$out/landscape-mhm.csv"  # both ids export the one grid

# The CLI on the same W and query gives the same grid.
"$cli" replay --session "$out/s.json" --out "$out/replay"
"$cli" landscape --memories builtin:glyphs --count 20 --w "$out/replay/w.csv" --query "$out/replay/query.csv" \
  --target 3 --rival 11 --beta 4 --grid 24 --out "$out/cli-landscape.csv"
python3 - "$out/landscape-uhop.csv" "$out/cli-landscape.csv" <<'PY'
import csv, sys
a = list(csv.reader(open(sys.argv[1])))
b = list(csv.reader(open(sys.argv[2])))
assert a[0] == b[0] and len(a) == len(b), (a[0], b[0], len(a), len(b))
worst = 0.0
for ra, rb in zip(a[1:], b[1:]):
    for x, y in zip(ra, rb):
        x, y = float(x), float(y)
        worst = max(worst, abs(x - y) / max(1.0, abs(y)))
print("landscape: Studio vs uhop landscape, worst relative difference %.3g" % worst)
assert worst < 1e-12
PY

# Bad lines: the whole script is refused, nothing runs.
printf 'load builtin:glyphs count=5\nlandscape grid=3\nview nowhere\n' > "$out/bad.txt"
"$app" --script "$out/bad.txt" --frames 5 --dump-state "$out/bad-state.txt" 2> "$out/bad-err.txt" || true
grep -q "landscape_grid" "$out/bad-err.txt"
grep -q "view: expected ID" "$out/bad-err.txt"
echo "gui insight views: ok"
