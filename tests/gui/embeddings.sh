#!/bin/sh
# Embeddings in the Studio: a (20, 200) float .npy written here loads as 20 memories; the query canvas shows the
# query as the same wrapped strip as the thumbnails (not 200 x 1 stretched to a 32,000 px canvas), every rect lies
# inside the window, no text is cut, and corruption still works while the brush is off. Waits on the script's end
# (--frames after it), never on fixed sleeps.
# usage (inside xvfb-run with a 1600x1000 screen): embeddings.sh UHOP_STUDIO PYTHON3 OUT_DIR
set -eu
app=$1; python=$2; out=$3
rm -rf "$out"; mkdir -p "$out"
dump="$out/state.txt"
. "$(dirname "$0")/lib.sh"

"$python" -c "
import numpy as np
rng = np.random.default_rng(7)
np.save('$out/emb.npy', rng.standard_normal((20, 200)).astype(np.float32))
"
cat > "$out/script.txt" <<SCRIPT
load $out/emb.npy
target 3
corrupt gaussian:0.5 seed=1
wait
SCRIPT
"$app" --script "$out/script.txt" --frames 30 --window 1600x1000 --screenshot "$out/final.png" --dump-state "$dump"
cat "$dump"
test "$(value memories)" = 20
test "$(value target)" = 3
test -z "$(value error)"
test -z "$(value last_error)"
# The query panel, its canvas (at least 160 x 160: the square the thumbnails draw) and every rect inside the window.
awk -F'[=,]' '
  /^window=/ { W = $2; H = $3 }
  /^rect\./ { n++; if ($2 < 0 || $3 < 0 || $2 + $4 > W + 1 || $3 + $5 > H + 1) { print "outside the window: " $0; bad = 1 } }
  /^rect\.query=/ { panel = 1 }
  /^rect\.widget\.query_canvas=/ { canvas = 1; if ($4 < 160 || $5 < 160) { print "canvas under 160 px: " $0; bad = 1 } }
  END { if (!panel || !canvas) { print "no query panel or canvas rect"; bad = 1 }
        printf "%d rects inside %dx%d\n", n, W, H; exit bad }' "$dump"
if [ "$(value cut_text)" != 0 ]; then grep "^cut_text" "$dump"; exit 1; fi
test -s "$out/final.png"
echo "gui embeddings: ok"
