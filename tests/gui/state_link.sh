#!/bin/sh
# The state link on the desktop: a run's --dump-state gives link=; a second run opened with --state (the fragment,
# or a whole URL as the web page would have it) shows the same numbers; it makes the same link again; a malformed
# or hostile link is refused with a one-line message (exit 2) before a window opens.
# usage (inside xvfb-run): state_link.sh UHOP_STUDIO OUT_DIR
set -eu
app=$1; out=$2
. "$(dirname "$0")/lib.sh"
rm -rf "$out"; mkdir -p "$out"
cat > "$out/setup.txt" <<'SCRIPT'
load builtin:glyphs count=12 pick=random seed=4
set lr=0.3 beta=3 similarity=kernel
target 5
corrupt dropout:0.3 seed=21
brush 3,4 8,9 12,2 radius=2 value=0.7
stage1 steps=6
stage2 steps=3
view probe on
layout presentation
wait
SCRIPT
"$app" --script "$out/setup.txt" --frames 5 --window 1280x720 --dump-state "$out/a.txt"
link=$(sed -n 's/^link=//p' "$out/a.txt")
echo "link (${#link} characters): $link"
case "$link" in "#s=1."*) ;; *) echo "no link in --dump-state"; exit 1 ;; esac
"$app" --state "http://127.0.0.1:8765/index.html$link" --frames 5 --window 1280x720 --dump-state "$out/b.txt" \
  --screenshot "$out/b.png"
for key in source memories target stage1_steps stage2_steps mhm_nearest uhop_nearest query_sum stage1_loss \
  stage2_error layout link errors; do
  a=$(grep "^$key=" "$out/a.txt"); b=$(grep "^$key=" "$out/b.txt")
  if [ "$a" != "$b" ]; then echo "differs after --state: '$a' vs '$b'"; exit 1; fi
done
grep -qx "layout=presentation" "$out/b.txt"
# the open probe window is in both links (views=probe), compared above
grep -qx "errors=0" "$out/b.txt"
# Malformed and hostile links: refused with the reason, exit 2, no window.
truncated=$(printf '%s' "$link" | cut -c1-40)
for bad in "$truncated" "#s=9.AAAA" "#s=1.AAAA" "https://example.org/" "#s=1.%%%"; do
  set +e
  "$app" --state "$bad" --frames 1 2> "$out/err.txt"
  rc=$?
  set -e
  cat "$out/err.txt"
  test "$rc" -eq 2
  grep -q "^uhop-studio: link: " "$out/err.txt"
done
# A link over the session budget: a file source at its own size counts at the largest d a file gives without
# flags (3600), so 5 rows of a CSV with 20,000 Stage I steps declare more work than a link may without asking. On
# the command line: exit 2 naming --allow-large, which opens it; in the app (open-link, as File > Open link):
# refused in the status bar with an "Open anyway" button, whose click opens it.
printf '0.1,0.2,0.3,0.4\n0.5,0.1,0.2,0.9\n0.3,0.3,0.8,0.1\n0.9,0.7,0.1,0.2\n0.2,0.6,0.5,0.5\n' > "$out/m.csv"
big=$(python3 -c 'import base64, sys, zlib
c = zlib.compressobj(9, zlib.DEFLATED, -15)
raw = c.compress(("source=" + sys.argv[1] + "\nsteps1=20000\n").encode()) + c.flush()
print("#s=1." + base64.urlsafe_b64encode(raw).decode().rstrip("="))' "$out/m.csv")
set +e
"$app" --state "$big" --frames 1 2> "$out/err.txt"
rc=$?
set -e
cat "$out/err.txt"
test "$rc" -eq 2
grep -q -- "--allow-large" "$out/err.txt"
"$app" --state "$big" --allow-large --frames 5 --window 1280x720 --dump-state "$out/c.txt"
grep -qx "memories=5" "$out/c.txt"
grep -qx "stage1_steps=20000" "$out/c.txt"
printf 'open-link %s\n' "$big" > "$out/open.txt"
dump="$out/d.txt"
start_app --script "$out/open.txt" --window 1280x720 --dump-state "$dump"
wait_for '[ "$(value errors)" = 1 ] && [ -n "$(value rect.widget.open_link_anyway)" ]'
value last_error | grep -q "link"
test "$(value memories)" != 5
click open_link_anyway
wait_for '[ "$(value memories)" = 5 ] && [ "$(value stage1_steps)" = 20000 ] && [ -z "$(value rect.widget.open_link_anyway)" ]'
rc=0
quit_app || rc=$?
test "$rc" -eq 3  # the script's open-link line was refused: a script line failed, whatever the user did next
echo "gui state link: ok"
