#!/usr/bin/env bash
# Regenerates every picture of the README and docs/ from the real app and CLI, with fixed seeds and settings, so a
# change to the UI updates the docs with one command (docs/README.md "Pictures").
#
# usage: bash scripts/docs-images.sh [--quick] [--out DIR] [--build DIR]
#   (default)  builds build/release if needed and writes into docs/images/ and docs/ (the sweep figures)
#   --quick    the same pictures on shorter runs, the sweeps on one seed and two values: checks that every step
#              still works (the test `docs_images_quick` runs it into a temporary folder)
#   --skip-sweeps  only the app's pictures (the sweep figures take about an hour at 10 seeds)
#   --out DIR  write there instead of docs/images (the sweep figures go to DIR too)
#   --build DIR  the build tree with cli/uhop and app/uhop-studio (default build/release)
# Needs a display: under no DISPLAY it re-runs itself inside xvfb-run.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
quick=0; skip_sweeps=0; out_given=0; out=docs/images; build=build/release; sweep_out=docs
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=1 ;;
    --skip-sweeps) skip_sweeps=1 ;;
    --out) out=$2; sweep_out=$2; out_given=1; shift ;;
    --build) build=$2; shift ;;
    *) echo "docs-images: unknown argument '$1' (see the usage at the top of $0)" >&2; exit 2 ;;
  esac
  shift
done
if [ -z "${DISPLAY:-}" ]; then
  args=(--build "$build")
  [ $out_given = 1 ] && args+=(--out "$out")
  [ $quick = 1 ] && args+=(--quick)
  [ $skip_sweeps = 1 ] && args+=(--skip-sweeps)
  exec xvfb-run -a -s "-screen 0 1920x1080x24" bash "$0" "${args[@]}"
fi
if [ ! -x "$build/app/uhop-studio" ] || [ ! -x "$build/cli/uhop" ]; then
  cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build "$build" -j"$(nproc)" --target uhop uhop-studio
fi
app=$(cd "$build" && pwd)/app/uhop-studio
cli=$(cd "$build" && pwd)/cli/uhop
mkdir -p "$out" "$sweep_out"
out=$(cd "$out" && pwd); sweep_out=$(cd "$sweep_out" && pwd)
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
say() { echo "docs-images: $*"; }
value() { sed -n "s/^$1=//p" "$2" 2>/dev/null | tail -1; }
wait_for() {  # FILE CONDITION: polls a --dump-state file (the condition sees it as $f) up to 300 s
  local f=$1 i=0
  while [ $i -lt 1500 ]; do
    if [ -s "$f" ] && eval "$2"; then return 0; fi
    i=$((i + 1)); sleep 0.2
  done
  echo "docs-images: timed out waiting for: $2" >&2; cat "$f" >&2 2>/dev/null; return 1
}

# ---- 1. The story's verdict (README, top): the Studio as a newcomer sees it, at the end of the story.
say "the story's verdict"
dump=$work/story.txt
"$app" --window 1600x900 --font-size 17 --dump-state "$dump" --screenshot "$out/story-verdict.png" &
pid=$!
xdotool search --sync --name "U-Hop Studio" >/dev/null
xdotool mousemove 1597 897  # off the panels: motion is not input, the story goes on
wait_for "$dump" '[ "$(value story_step $f)" = 4 ] && [ "$(value story_step_done $f)" = 1 ]'
xdotool key --clearmodifiers ctrl+q
wait $pid
test "$(value uhop_nearest "$dump")" = "$(value target "$dump")"  # the picture shows what the README says

# ---- 2. The Studio's panels and views on the story's case, from a script (docs/studio.md).
# The case: 20 Fashion-MNIST items one per class (seed 1), target #4 (a coat) with Gaussian noise 0.1 (seed 7).
steps=50; fps=10
[ $quick = 1 ] && steps=10
say "panels and views, Stage I GIF ($steps steps)"
cat > "$work/studio.txt" <<EOF
load builtin:fashion-mnist count=20 pick=per-class seed=1
target 4
corrupt gaussian:0.1 seed=7
set lr=0.1
view feature-map
wait
record start $out/stage1-separation.gif panel=feature-map-uhop fps=$fps
set stop_after=$steps
stage1 play
wait
record stop
stage2 steps=1
wait
screenshot $out/studio.png
export-image memories $out/memories.png
export-image query $out/query.png
export-plot loss $out/plot-loss.png
export-plot delta $out/plot-delta.png
export-plot error $out/plot-error.png
export-plot compare $out/plot-compare.png
export-plot heat-now $out/heat-now.png
export-plot feature-map-uhop $out/feature-map-uhop.png
export-plot feature-map-mhm $out/feature-map-mhm.png
view feature-map off
view probe
view margin
wait
export-plot probe-error $out/probe-error.png
export-plot margin $out/margin.png
view probe off
view margin off
view landscape
landscape grid=64
wait
export-image landscape-uhop $out/landscape-uhop.png
export-image landscape-mhm $out/landscape-mhm.png
screenshot $out/studio-landscape.png
view landscape off
layout presentation
wait
screenshot $out/presentation.png
EOF
"$app" --window 1600x900 --font-size 17 --script "$work/studio.txt" --frames 5 --dump-state "$work/studio-state.txt"

# ---- 3. The CLI's figures: the paper's sweeps (docs/sweep-results.md "Commands"). Full: 10 seeds as published (about
# an hour on two cores); quick: one seed, two values, 2 Stage I steps; --skip-sweeps leaves the published figures.
eight=mhm,uhop,sparse,sparse-uhop,entmax,entmax-uhop,euclidean,manhattan
if [ $quick = 1 ]; then short=(--seeds 1 --stage1-steps 2 --values 10,20); else short=(); fi
sweep_figure() {  # NAME uhop-sweep-arguments...
  local name=$1; shift
  say "sweep $name"
  "$cli" sweep "$@" "${short[@]}" --out "$work/$name" >/dev/null
  cp "$work/$name/figure.svg" "$sweep_out/sweep-$name.svg"
}
if [ $skip_sweeps = 0 ]; then
  sweep_figure authors-noise --preset authors-noise
  sweep_figure authors-capacity --preset authors-capacity
  sweep_figure authors-max-loss --preset authors-max-loss
  sweep_figure studio-sigma --preset studio --methods $eight
  sweep_figure studio-M --preset studio --vary M --methods $eight
  sweep_figure studio-capacity --preset studio --vary M --noise dropout --sigma 0.5
fi

for f in story-verdict.png stage1-separation.gif studio.png presentation.png studio-landscape.png memories.png \
  query.png plot-loss.png plot-delta.png plot-error.png plot-compare.png heat-now.png feature-map-uhop.png \
  feature-map-mhm.png probe-error.png margin.png landscape-uhop.png landscape-mhm.png; do
  test -s "$out/$f" || { echo "docs-images: $out/$f was not written" >&2; exit 1; }
done
say "done: pictures in $out, sweep figures in $sweep_out"
