#!/bin/sh
# Real input: drive the real window with xdotool under Xvfb. Space must start Stage I (steps advance), a mouse
# stroke on the query canvas must paint into the query, Ctrl+Q quits; --dump-state tells what happened.
# usage (inside xvfb-run): xdotool_input.sh UHOP_STUDIO OUT_DIR
set -eu
app=$1; out=$2
rm -rf "$out"; mkdir -p "$out"
printf 'load builtin:glyphs count=20\nclear\nset stop_after=0 speed1=30\n' > "$out/setup.txt"
"$app" --script "$out/setup.txt" --frames 100000 --dump-state "$out/state.txt" --screenshot "$out/final.png" &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
wid=$(xdotool search --sync --name "U-Hop Studio" | head -1)
sleep 4  # the script (load, clear) finishes
xdotool mousemove --sync 300 300   # over the Stage I panel, not a text field
xdotool key --clearmodifiers space
sleep 2
# A stroke across the query canvas (lower left of the 1600x1000 window).
xdotool mousemove --sync 60 640 mousedown 1
for x in 80 100 120 140 160 180 200 220 240; do xdotool mousemove --sync $x 660; sleep 0.05; done
xdotool mouseup 1
sleep 1
xdotool key --clearmodifiers ctrl+q
wait $pid
trap - EXIT
cat "$out/state.txt"
grep -qx "stage1_playing=1" "$out/state.txt"
steps=$(sed -n 's/^stage1_steps=//p' "$out/state.txt")
test "$steps" -gt 5
sum=$(sed -n 's/^query_sum=//p' "$out/state.txt")
awk -v s="$sum" 'BEGIN { exit !(s > 5) }'
echo "gui xdotool input: ok (Stage I steps $steps after Space, query sum $sum after the stroke)"
