#!/usr/bin/env bash
# The Studio in the browser against the desktop (issue 22). Builds build/web/ (scripts/web.sh --no-serve,
# incremental), then:
#  1. the desktop story (no input) to its verdict: mhm_nearest, uhop_nearest and the numbers, and its link;
#  2. tests/web/web_test.mjs in headless chromium: the web story's verdict, a click on Stage I's Step, the web link
#     opened in a fresh page, the desktop's link opened in the page, a hostile link (it checks its own parts);
#  3. compares: the same verdict and query as the desktop; the web link reopens the same numbers; the desktop opens
#     the web's link (--state) with the same numbers. Numbers within 1e-5 relative between platforms: Stage I runs in
#     single precision in the story, and wasm and AVX sum in different orders (README: what can differ); exact
#     equality on one platform.
# usage: web_test.sh UHOP_STUDIO OUT_DIR   (needs xvfb-run; scripts/install-web-deps.sh for the rest)
set -euo pipefail
app=$(realpath "$1") out=$2
root="$(cd "$(dirname "$0")/../.." && pwd)"
rm -rf "$out"; mkdir -p "$out"; out=$(realpath "$out")
bash "$root/scripts/web.sh" --no-serve
# The browser's block product against a plain loop (Node runs the wasm).
NODE_PATH=/usr/share/nodejs em++ -std=c++17 -O2 -msimd128 -I"$root/core" -isystem /usr/include/eigen3 -sENVIRONMENT=node \
  -sALLOW_MEMORY_GROWTH=1 -sEXIT_RUNTIME=1 "$root/tests/web/wasm_products_test.cpp" \
  "$root"/core/numerics/{web/wasm_products,parallel_for,rng}.cpp -o "$out/wasm_products_test.js"
node --no-experimental-fetch "$out/wasm_products_test.js"

# 1. The desktop story to its verdict (step 4 done, worker idle).
# Its own process group (setsid), so the kill below reaches xvfb-run, Xvfb and the Studio.
setsid xvfb-run -a -s "-screen 0 1600x1000x24" "$app" --window 1600x1000 --dump-state "$out/desktop.txt" \
  --frames 100000 >"$out/desktop.log" 2>&1 &
pid=$!
verdict_reached() {
  [ -f "$out/desktop.txt" ] && cp "$out/desktop.txt" "$out/poll.txt" &&
    grep -Eq '^story_step=[45]$' "$out/poll.txt" && grep -qx 'story_step_done=1' "$out/poll.txt" &&
    grep -qx 'busy=0' "$out/poll.txt"
}
for _ in $(seq 1 600); do verdict_reached && break; sleep 0.5; done
kill -- "-$pid" 2>/dev/null || true
wait "$pid" 2>/dev/null || true
verdict_reached || { echo "FAILED: the desktop story did not reach its verdict"; cat "$out/desktop.txt"; exit 1; }
cp "$out/poll.txt" "$out/desktop_verdict.txt"
desktop_link=$(sed -n 's/^link=//p' "$out/desktop_verdict.txt")

# 2. The browser.
(cd "$root/tests/web" && node web_test.mjs "$root/build/web" "$out" "$desktop_link") | tee "$out/web.txt"
status=${PIPESTATUS[0]}
[ "$status" -eq 0 ] || { echo "FAILED: web_test.mjs (status $status)"; exit 1; }

# 3. Comparisons. same KEY A B TOLERANCE: numbers within a relative tolerance (0 = the same text).
val() { sed -n "s/^$2=//p" "$1" | head -1; }
same() {
  if ! awk -v a="$2" -v b="$3" -v t="$4" -v k="$1" 'BEGIN {
      if (t == 0) exit !(a == b);
      d = a - b; if (d < 0) d = -d; m = (a < 0 ? -a : a); if ((b < 0 ? -b : b) > m) m = (b < 0 ? -b : b);
      exit !(a != "" && b != "" && d <= t * (m > 1e-300 ? m : 1)) }'; then
    echo "FAILED: $1 differs: '$2' vs '$3' (tolerance $4)"
    exit 1
  fi
  echo "same $1: $2 | $3"
}
exact="mhm_nearest uhop_nearest memories target source stage1_steps stage2_steps"
close="query_sum stage1_loss query_margin_mhm query_margin_uhop"
for k in $exact; do same "verdict.$k" "$(val "$out/desktop_verdict.txt" "$k")" "$(val "$out/web.txt" "verdict.$k")" 0; done
for k in $close; do
  same "verdict.$k" "$(val "$out/desktop_verdict.txt" "$k")" "$(val "$out/web.txt" "verdict.$k")" 1e-5
done
for k in $exact $close stage2_error; do  # the web link, reopened on the web: the same numbers exactly
  same "web link.$k" "$(val "$out/web.txt" "after_step.$k")" "$(val "$out/web.txt" "opened_web_link.$k")" 0
done
for k in $exact; do  # the desktop's link opened in the page
  same "desktop link.$k" "$(val "$out/desktop_verdict.txt" "$k")" "$(val "$out/web.txt" "opened_desktop_link.$k")" 0
done
for k in $close; do
  same "desktop link.$k" "$(val "$out/desktop_verdict.txt" "$k")" "$(val "$out/web.txt" "opened_desktop_link.$k")" 1e-5
done
# The desktop opens the page's link (after the clicked step).
web_link=$(val "$out/web.txt" after_step_link)
xvfb-run -a -s "-screen 0 1600x1000x24" "$app" --state "http://127.0.0.1/index.html$web_link" --frames 5 \
  --window 1600x1000 --dump-state "$out/desktop_from_web.txt"
for k in $exact; do
  same "web link on the desktop.$k" "$(val "$out/web.txt" "after_step.$k")" "$(val "$out/desktop_from_web.txt" "$k")" 0
done
for k in $close; do
  same "web link on the desktop.$k" "$(val "$out/web.txt" "after_step.$k")" \
    "$(val "$out/desktop_from_web.txt" "$k")" 1e-5
done
grep -q '^hostile.last_error=.*link' "$out/web.txt" || { echo "FAILED: no message for the hostile link"; exit 1; }
echo "web test: ok (screenshots in $out)"
