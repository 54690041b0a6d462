#!/bin/sh
# Real input: drive the real window with xdotool under Xvfb. Space must start Stage I (steps advance), a mouse
# stroke on the query canvas must paint into the query, Ctrl+Q quits. Waits on --dump-state (rewritten while the
# state changes), never on fixed sleeps; finds the canvas through its rect.widget line.
# usage (inside xvfb-run): xdotool_input.sh UHOP_STUDIO OUT_DIR
set -eu
app=$1; out=$2
rm -rf "$out"; mkdir -p "$out"
dump="$out/state.txt"
. "$(dirname "$0")/lib.sh"
printf 'load builtin:glyphs count=20\nclear\nset stop_after=0 speed1=30\n' > "$out/setup.txt"
start_app --script "$out/setup.txt" --dump-state "$dump" --screenshot "$out/final.png"
trap 'kill $pid 2>/dev/null || true' EXIT
# The script ran: glyphs loaded, the query cleared (sum 0), nothing busy.
wait_for '[ "$(value memories)" = 20 ] && [ "$(value query_sum)" = 0 ] && [ "$(value busy)" = 0 ] &&
          [ -n "$(value rect.widget.stage1_play)" ]'
set -- $(value rect.widget.stage1_play | tr ',' ' ')
xdotool mousemove --sync $(($1 + $3 / 2)) $(($2 + $4 + 40))  # over the Stage I panel, not a text field
xdotool key --clearmodifiers space
wait_for '[ "$(value stage1_playing)" = 1 ] && [ "$(value stage1_steps)" -gt 5 ]'
# A stroke across the query canvas.
set -- $(value rect.widget.query_canvas | tr ',' ' ')
x0=$(($1 + $3 / 8)); y0=$(($2 + $4 / 2))
xdotool mousemove --sync $x0 $y0 mousedown 1
for k in 1 2 3 4 5 6 7 8; do xdotool mousemove --sync $((x0 + k * $3 / 12)) $((y0 + k)); done
xdotool mouseup 1
wait_for 'awk -v s="$(value query_sum)" "BEGIN { exit !(s > 5) }"'
quit_app
trap - EXIT
cat "$dump"
grep -qx "stage1_playing=1" "$dump"
steps=$(value stage1_steps)
test "$steps" -gt 5
echo "gui xdotool input: ok (Stage I steps $steps after Space, query sum $(value query_sum) after the stroke)"
