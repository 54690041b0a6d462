#!/bin/sh
# The Studio as a newcomer and a lecturer meet it: started with no arguments and no input, it plays its story to
# the point (MHM retrieves the wrong memory, U-Hop the target) within 1500 frames; at 1280x720 with 15 px text, at
# 1920x1080 with 28 px and in the presentation layout (F5) every panel and plot lies inside the window and every plot
# is at least 160 x 80 px, and no text is cut by its rect in any frame (also at 800x600). Waits on the --dump-state file, never on fixed sleeps.
# usage (inside xvfb-run with a 1920x1080 screen): story_layout.sh UHOP_STUDIO OUT_DIR
set -eu
app=$1; out=$2
rm -rf "$out"; mkdir -p "$out"

. "$(dirname "$0")/lib.sh"

check_rects() {  # every rect inside the window, every plot at least 160 x 80
  awk -F'[=,]' '
    /^window=/ { W = $2; H = $3 }
    /^rect\./ { n++; if ($2 < 0 || $3 < 0 || $2 + $4 > W + 1 || $3 + $5 > H + 1) { print "outside the window: " $0; bad = 1 } }
    /^rect\.plot\./ { plots++; if ($4 < 160 || $5 < 80) { print "plot too small: " $0; bad = 1 } }
    END { if (plots < 3) { print "only " plots " plots drawn"; bad = 1 }
          printf "%d rects, %d plots inside %dx%d\n", n, plots, W, H; exit bad }' "$1"
}

run_case() {  # name WxH font [presentation]
  name=$1; size=$2; font=$3
  dump="$out/$name.txt"
  start_app --window "$size" --font-size "$font" --dump-state "$dump" --screenshot "$out/$name.png"
  w=${size%x*}; h=${size#*x}
  xdotool mousemove $((w - 3)) $((h - 3))  # the pointer off the panels (motion is not input: the story goes on)
  if [ "${4:-}" = presentation ]; then xdotool key F5; fi
  # The point of the story: both stages ran, MHM is wrong, U-Hop retrieves the target.
  wait_for '[ "$(value stage1_steps)" -gt 0 ] && [ "$(value stage2_steps)" -gt 0 ] &&
    [ "$(value uhop_nearest)" = "$(value target)" ] && [ "$(value mhm_nearest)" != "$(value target)" ]'
  frames=$(value frames "$dump")
  echo "$name: the story made its point by frame $frames"
  test "$frames" -le 1500
  wait_for '[ "$(value story_step)" = 4 ] && [ "$(value story_step_done)" = 1 ]'
  test "$(value story "$dump")" = autoplay  # no input: nothing stopped it
  quit_app
  grep -q "^rect.story=" "$dump"  # the caption is on screen at the end
  test "$(value first_frame_ms "$dump")" -gt 0
  if [ "${4:-}" = presentation ]; then grep -qx "layout=presentation" "$dump"; fi
  check_rects "$dump"
  # No text ran out of its rect in any frame of the story (app/cut_text.h gathers every frame's cut glyphs).
  if [ "$(value cut_text "$dump")" != 0 ]; then grep "^cut_text" "$dump"; return 1; fi
}

run_case small 1280x720 15
run_case projector 1920x1080 28
run_case presentation 1280x720 15 presentation
run_case tiny 800x600 15
echo "gui story and layout: ok"
