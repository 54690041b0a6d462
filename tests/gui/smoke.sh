#!/bin/sh
# GUI smoke test: the real uhop-studio under Xvfb runs a script (load glyphs, target, corrupt, Stage I and II steps,
# screenshot) and quits; then the screenshot must show every panel with content and the plots must have curves.
# usage (from CTest, inside xvfb-run): smoke.sh UHOP_STUDIO PNG_REGION_CHECK OUT_DIR
set -eu
app=$1; check=$2; out=$3
rm -rf "$out"; mkdir -p "$out"
cat > "$out/script.txt" <<'SCRIPT'
# the smoke test's script
load builtin:glyphs count=20
target 3
corrupt gaussian:0.3 seed=1
stage1 steps=20
set beta=4
stage2 steps=3
wait
screenshot SHOT
SCRIPT
sed -i "s|SHOT|$out/script-shot.png|" "$out/script.txt"
"$app" --script "$out/script.txt" --frames 20 --screenshot "$out/final.png" --dump-state "$out/state.txt"
cat "$out/state.txt"
grep -qx "stage1_steps=20" "$out/state.txt"
grep -qx "stage2_steps=3" "$out/state.txt"
grep -qx "target=3" "$out/state.txt"
grep -qx "error=" "$out/state.txt"
test -s "$out/script-shot.png"
# Regions (fractions of the 1600x1000 window): memories grid, query canvas, the three Stage I plots, the heatmaps,
# the Stage II plots, the compare panel. Each must vary (not blank) and have non-background pixels.
"$check" "$out/final.png" \
  0.00 0.15 0.25 0.30  8 0.10 \
  0.00 0.50 0.18 0.80  8 0.10 \
  0.27 0.20 0.62 0.32  5 0.05 \
  0.27 0.37 0.62 0.49  5 0.05 \
  0.27 0.54 0.62 0.66  5 0.05 \
  0.27 0.71 0.56 0.93  8 0.30 \
  0.64 0.27 0.99 0.36  5 0.05 \
  0.64 0.41 0.99 0.50  5 0.05 \
  0.64 0.66 0.99 0.94  8 0.10
echo "gui smoke: ok"
