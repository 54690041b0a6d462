#!/usr/bin/env bash
# Builds the Studio for the browser into build/web/ (index.html, uhop-studio.js, .wasm, .data: a static folder any
# static host serves as it is) and serves it on 127.0.0.1, printing the address. Needs scripts/install-web-deps.sh
# (emscripten, the Debian source packages). docs/web.md says what works in the browser and what is desktop-only.
#   usage: bash scripts/web.sh [--no-serve] [--port N]
# Objects go to build/web-obj/ (rebuilt only where a source changed; the first build takes ~15 min on 2 cores).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
OBJ="$ROOT/build/web-obj" OUT="$ROOT/build/web"
SERVE=1 PORT=0
while [ $# -gt 0 ]; do
  case "$1" in
    --no-serve) SERVE=0 ;;
    --port) PORT="$2"; shift ;;
    *) echo "usage: bash scripts/web.sh [--no-serve] [--port N]" >&2; exit 2 ;;
  esac
  shift
done
if ! command -v emcmake >/dev/null || ! compgen -G "$ROOT/build/web-src/imgui-1.86*/" >/dev/null; then
  echo "web.sh: the toolchain is missing: run 'bash scripts/install-web-deps.sh' as root first" >&2
  exit 1
fi
# emscripten's tools need Debian's acorn where /usr/bin/node is not Debian's; its prebuilt cache is frozen (no
# EM_CACHE).
export NODE_PATH=/usr/share/nodejs

# The page's files: the UI font, the shaders, the presets and a Fashion-MNIST subset: every label (so picks are the
# desktop's) but only the images assets/web/fashion-mnist-items.txt lists (the first 3000 and the 20 the story and
# presets pick; the others are zero and refused by core/data when a pick reaches one). docs/web.md says why.
ITEMS="$ROOT/assets/web/fashion-mnist-items.txt"
mkdir -p "$OBJ/data/shaders" "$OBJ/data/presets" "$OBJ/fashion-mnist" "$OUT"
cp "$ROOT"/shaders/*.vert "$ROOT"/shaders/*.frag "$OBJ/data/shaders/"
cp "$ROOT"/assets/presets/*.json "$OBJ/data/presets/"
cp /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf "$OBJ/data/"
FM=/usr/share/datasets/fashion-mnist
if [ ! -s "$OBJ/fashion-mnist/train-labels-idx1-ubyte.gz" ] || [ "$ITEMS" -nt "$OBJ/fashion-mnist/items.txt" ]; then
  if [ ! -f "$FM/train-images-idx3-ubyte.gz" ]; then
    echo "web.sh: $FM is missing: run 'bash scripts/install-deps.sh' as root (dataset-fashion-mnist)" >&2
    exit 1
  fi
  /usr/bin/python3 - "$FM" "$OBJ/fashion-mnist" "$ITEMS" <<'EOF2'
import gzip, os, sys
src, dst, items_path = sys.argv[1:4]
held = []
for line in open(items_path).read().split():
    a, _, b = line.partition("-")
    held.append((int(a), int(b or a)))
def write(name, data):  # gzip without a time stamp: the same bytes on every build
    with open(f"{dst}/{name}.gz.tmp", "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=9, mtime=0) as g:
        g.write(data)
    os.replace(f"{dst}/{name}.gz.tmp", f"{dst}/{name}.gz")
write("train-labels-idx1-ubyte", gzip.open(f"{src}/train-labels-idx1-ubyte.gz").read())
images = bytearray(gzip.open(f"{src}/train-images-idx3-ubyte.gz").read())
kept = bytearray(len(images))
kept[:16] = images[:16]  # IDX: magic, count, rows, cols; then 784 bytes per image
for a, b in held:
    kept[16 + a * 784:16 + (b + 1) * 784] = images[16 + a * 784:16 + (b + 1) * 784]
write("train-images-idx3-ubyte", bytes(kept))
EOF2
  cp "$ITEMS" "$OBJ/fashion-mnist/items.txt"
fi

# The link step packs the files (--preload-file): a changed file changes the stamp it depends on (LINK_DEPENDS).
stamp="$(cd "$OBJ" && find data fashion-mnist -type f -print0 | sort -z | xargs -0 sha256sum | sha256sum)"
[ "$(cat "$OBJ/data.stamp" 2>/dev/null)" = "$stamp" ] || echo "$stamp" >"$OBJ/data.stamp"

if [ ! -f "$OBJ/CMakeCache.txt" ]; then
  # Without test.sh's ccache launcher: em++ is a script ccache does not know.
  env -u CMAKE_CXX_COMPILER_LAUNCHER -u CMAKE_C_COMPILER_LAUNCHER \
    emcmake cmake -S "$ROOT/app/platform/web" -B "$OBJ" -DCMAKE_BUILD_TYPE=Release >/dev/null
fi
cmake --build "$OBJ" -j"$(nproc)"
# The .data package is rebuilt by the link step only; a changed preset or font alone relinks here.
for f in uhop-studio.js uhop-studio.wasm uhop-studio.data; do cp "$OBJ/$f" "$OUT/$f.tmp" && mv "$OUT/$f.tmp" "$OUT/$f"; done
cp "$ROOT/app/platform/web/index.html" "$OUT/index.html"
# The user guide beside the app (the page's "guide" link): README.md and docs/ as static HTML.
/usr/bin/python3 "$ROOT/scripts/render-guide.py" "$ROOT" "$OUT/guide"
echo "web.sh: built $OUT ($(du -sh "$OUT" | cut -f1); as served gzip-compressed:" \
  "$(for f in "$OUT"/uhop-studio.* "$OUT/index.html"; do gzip -9 -c "$f" | wc -c; done | awk '{s += $1} END {print s}') bytes)"

if [ "$SERVE" = 1 ]; then
  # Any static server will do; Python's is on every Debian.
  cd "$OUT"
  exec /usr/bin/python3 -c '
import http.server, socketserver, sys
port = int(sys.argv[1])
handler = http.server.SimpleHTTPRequestHandler
handler.extensions_map[".wasm"] = "application/wasm"
with socketserver.TCPServer(("127.0.0.1", port), handler) as httpd:
    print(f"web.sh: serving U-Hop Studio at http://127.0.0.1:{httpd.server_address[1]}/ (Ctrl+C stops)", flush=True)
    httpd.serve_forever()
' "$PORT"
fi
