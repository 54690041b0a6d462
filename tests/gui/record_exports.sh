#!/bin/sh
# Recording and exports for slides and papers, under Xvfb: a script records the whole window while Stage I plays
# (GIF) and again resampled to 640 px wide, one plot while it plays on (MP4 through ffmpeg), a heatmap while Stage II plays (a folder of PNGs), and
# exports PDFs (dark theme, font scale 1.5; and a cm-sized page), a heatmap with its colorbar, a PNG at a cm size and
# DPI; then
#  - the GIF has >= 10 frames of the window's size; ffprobe reads the MP4 as H.264 with >= 10 frames; the PNG folder
#    holds numbered frames;
#  - every PDF renders (pdftoppm) to a page with ink on it and pdftotext finds its labels (real text);
#  - the cm/DPI PNG has the size the options give; the saved session holds the export options;
#  - without ffmpeg on PATH an MP4 is refused with a message naming ffmpeg while a GIF still records; a bad export
#    path is a clear message; neither leaves a partial file;
#  - `uhop replay --animate DIR/` writes one frame per Stage I step and per Stage II step.
# usage (from CTest, inside xvfb-run): record_exports.sh UHOP_STUDIO PNG_SIZE_CHECK UHOP_CLI OUT_DIR
set -eu
app=$1; pngsize=$2; cli=$3; out=$4
here=$(cd "$(dirname "$0")" && pwd)
check="python3 $here/check_exports.py"
rm -rf "$out"; mkdir -p "$out"

# ---- run A: three recordings and the exports
cat > "$out/a.txt" <<SCRIPT
load builtin:glyphs count=20
target 3
corrupt gaussian:0.3 seed=1
set speed1=20 stop_after=30 lr=0.5
record start $out/run.gif fps=12
stage1 play
wait
record stop
set stop_after=55
record start $out/loss.mp4 panel=loss fps=10
stage1 play
wait
record stop
set speed2=4 T=6
record start $out/heat/ panel=error fps=5
stage2 play
wait
record stop
set export_theme=dark export_font_scale=1.5
export-plot error $out/error.pdf
export-plot heat-now $out/heat-now.pdf
export-plot heat-initial $out/heat-initial.svg
set export_theme=light export_font_scale=1 export_unit=cm export_size=12x8 export_dpi=200
export-plot loss $out/loss.pdf
export-plot delta $out/delta.png
save-session $out/s.json
set stop_after=67
record start $out/small.gif fps=8 width=640
stage1 play
wait
record stop
SCRIPT
"$app" --script "$out/a.txt" --frames 5 --dump-state "$out/a-state.txt"
cat "$out/a-state.txt"
grep -qx "error=" "$out/a-state.txt"
grep -qx "stage1_steps=67" "$out/a-state.txt"

set -- $($check gif "$out/run.gif" 10)
echo "run.gif: $1 frames, $2 x $3"
test "$2" -eq 1600 && test "$3" -eq 1000
set -- $($check gif "$out/small.gif" 3)
echo "small.gif (width=640): $1 frames, $2 x $3"
test "$2" -eq 640 && test "$3" -eq 400
probe=$(ffprobe -v error -count_frames -select_streams v:0 -show_entries stream=codec_name,nb_read_frames \
  -of default=nw=1 "$out/loss.mp4")
echo "$probe"
echo "$probe" | grep -qx "codec_name=h264"
test "$(echo "$probe" | sed -n 's/^nb_read_frames=//p')" -ge 10
test -s "$out/heat/frame-00001.png" && test -s "$out/heat/frame-00003.png"
ls "$out" | grep -v '\.tmp\.' > /dev/null
! ls "$out" | grep -q '\.tmp\.'  # no temp file or folder left behind

$check pdf "$out/error.pdf" "step t" "measured" "bound"
$check pdf "$out/heat-now.pdf" "memory ν" "memory μ" "feature cosine at step 55"
$check pdf "$out/loss.pdf" "separation loss" "step i"
grep -q "<image" "$out/heat-initial.svg"
grep -q "cos(Φ(ξ_μ), Φ(ξ_ν))</text>" "$out/heat-initial.svg"
# 12 x 8 cm = 454 x 302 CSS px (96 per inch), at 200 dpi: 946 x 629 pixels
"$pngsize" "$out/delta.png" 946 629
grep -q '"exports": {"format":"png","unit":"cm","width":12.0,"height":8.0,"dpi":200.0' "$out/s.json"

# ---- run B: no ffmpeg on PATH, bad paths
cat > "$out/b.txt" <<SCRIPT
load builtin:glyphs count=12
set speed1=20 stop_after=20
record start $out/no-ffmpeg.mp4
record start /nonexistent-dir/r.gif
export-plot loss /nonexistent-dir/l.pdf
record start $out/still.gif fps=10
stage1 play
wait
record stop
SCRIPT
status=0
env PATH=/nonexistent "$app" --script "$out/b.txt" --frames 5 --dump-state "$out/b-state.txt" 2> "$out/b-err.txt" ||
  status=$?
cat "$out/b-err.txt"
test "$status" -eq 4  # an export/record line failed; the app went on
grep -q "no-ffmpeg.mp4: MP4 needs the ffmpeg program" "$out/b-err.txt"
grep -q "/nonexistent-dir/r.gif: the folder /nonexistent-dir does not exist" "$out/b-err.txt"
grep -q "/nonexistent-dir/l.pdf" "$out/b-err.txt"
test ! -e "$out/no-ffmpeg.mp4"
$check gif "$out/still.gif" 5

# ---- the CLI: one frame per Stage I step (0..8) and per Stage II step (0..2)
"$cli" save-session --memories builtin:glyphs --count 10 --stage1-steps 8 --stage2-steps 2 --target 1 \
  --corrupt gaussian:0.2 --out "$out/small.json" > /dev/null
"$cli" replay --session "$out/small.json" --animate "$out/replay-frames/" --fps 5
test "$(ls "$out/replay-frames" | grep -c '^frame-[0-9]*\.png$')" -eq 12
"$pngsize" "$out/replay-frames/frame-00012.png" 1200 600
echo "gui record and exports: ok"
