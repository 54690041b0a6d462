#!/bin/sh
# Controls as a user clicks them (real input through xdotool under Xvfb): a value typed into Stage II's T without
# Enter is not lost when Play is clicked right after; the "Normalize rows now" button normalizes W; a fast double
# click on Step takes two steps. Finds the widgets through the rect.widget.* lines of --dump-state and waits on the
# dump, never on fixed sleeps.
# usage (inside xvfb-run): controls.sh UHOP_STUDIO OUT_DIR
set -eu
app=$1; out=$2
rm -rf "$out"; mkdir -p "$out"
dump="$out/state.txt"
. "$(dirname "$0")/lib.sh"

start_app --memories builtin:glyphs --window 1280x720 --dump-state "$dump" --screenshot "$out/final.png"
trap 'kill $pid 2>/dev/null || true' EXIT
wait_for '[ "$(value memories)" = 20 ] && [ "$(value busy)" = 0 ] && [ -n "$(value rect.widget.stage2_T)" ]'

# T: type 3 without Enter, then click Play at once.
click stage2_T
xdotool key --clearmodifiers ctrl+a
xdotool type 3
click stage2_play
wait_for '[ "$(value stage2_steps)" = 3 ] && [ "$(value busy)" = 0 ]'
echo "T typed without Enter, then Play: $(value stage2_steps) steps"

# Normalize rows now (in Stage I's advanced section).
click advanced1
wait_for '[ -n "$(value rect.widget.normalize_rows)" ]'
click normalize_rows
wait_for 'value message | grep -q "rows of W normalized"'
echo "Normalize rows: $(value message)"

# Two fast clicks on Stage I's Step (30 ms apart): two steps.
steps0=$(value stage1_steps)
set -- $(value rect.widget.stage1_step | tr ',' ' ')
xdotool mousemove --sync $(($1 + $3 / 2)) $(($2 + $4 / 2)) click --repeat 2 --delay 30 1
wait_for '[ "$(value stage1_steps)" = $((steps0 + 2)) ] && [ "$(value busy)" = 0 ]'
echo "two fast clicks on Step: $steps0 -> $(value stage1_steps)"

quit_app
trap - EXIT
echo "gui controls: ok"
