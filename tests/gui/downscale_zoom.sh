#!/bin/sh
# A researcher's folder of large images, as a user clicks it: 30 images of 56x56 load all 30 (d = 3136, within the 3600 a file may give without asking) and the
# Memories panel says Stage I will be slow and offers "Load at 32x32"; the user zooms the loss plot with the wheel
# (it stops fitting its data), then clicks the offer: the same 30 images load at 32x32 (d = 1024), the offer is
# gone, and every plot fits the new data again (zoom and pan reset, plots_fitting=6/6). Then 30 images of 64x64
# (d = 4096, over the 3600 a file gives without asking): the Memories panel says why they were not loaded and offers
# the largest size that fits (60x60) and the quick one (32x32); a click on the quick one loads all 30 at d = 1024.
# Waits on --dump-state.
# usage (inside xvfb-run): downscale_zoom.sh UHOP_STUDIO PYTHON3 OUT_DIR
set -eu
app=$1; python=$2; out=$3
rm -rf "$out"; mkdir -p "$out/faces" "$out/big"
. "$(dirname "$0")/lib.sh"
dump="$out/state.txt"
# 30 gray 56x56 PGMs, each a different diagonal stripe pattern (standard library only).
"$python" -c "
for k in range(30):
    px = bytes(((x * (k + 1) + y * (30 - k)) % 256) for y in range(56) for x in range(56))
    open('$out/faces/img%02d.pgm' % k, 'wb').write(b'P5 56 56 255\n' + px)
    big = bytes(((x * (k + 2) + y * (31 - k)) % 256) for y in range(64) for x in range(64))
    open('$out/big/img%02d.pgm' % k, 'wb').write(b'P5 64 64 255\n' + big)
"
printf 'load %s\nwait\n' "$out/faces" > "$out/script.txt"
start_app --window 1280x800 --script "$out/script.txt" --dump-state "$dump"
wait_for '[ "$(value memories)" = 30 ] && [ "$(value dim)" = 3136 ] && [ -n "$(value rect.widget.downscale)" ]'
test "$(value downscale_hint)" = 32x32
test "$(value plots_fitting)" = 6/6
# Zoom the loss plot: three wheel notches over it.
set -- $(value rect.plot.loss | tr ',' ' ')
xdotool mousemove --sync $(($1 + $3 / 2)) $(($2 + $4 / 2)) click 4 click 4 click 4
wait_for '[ "$(value plots_fitting)" = 5/6 ]'
click downscale
wait_for '[ "$(value dim)" = 1024 ] && [ "$(value memories)" = 30 ]'
wait_for '[ "$(value plots_fitting)" = 6/6 ]'
test -z "$(value downscale_hint)"
test -z "$(value last_error)"
quit_app

# ---- images too large at their own size: refused in the panel, with both sizes offered
start_app --window 1280x800 --memories "$out/big" --dump-state "$dump"
wait_for '[ -n "$(value rect.widget.load_quick)" ] && [ -n "$(value rect.widget.load_suggested)" ]'
test "$(value memories)" = 0
value last_error | grep -q "images of 64x64 give d = 4096"
test "$(value cut_text)" = 0
click load_quick
wait_for '[ "$(value dim)" = 1024 ] && [ "$(value memories)" = 30 ]'
test -z "$(value rect.widget.load_quick)"
quit_app
echo "gui downscale and zoom reset: ok"
