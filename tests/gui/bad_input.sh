#!/bin/sh
# Bad input never crashes: a script with bad lines is refused with a message (exit 3, the window still ran), a
# missing memory source and a bad query file become errors in the state while the app keeps running.
# usage (inside xvfb-run): bad_input.sh UHOP_STUDIO OUT_DIR
set -eu
app=$1; out=$2
rm -rf "$out"; mkdir -p "$out"
printf 'load builtin:glyphs count=5\ntarget banana\nfly away\n' > "$out/bad.txt"
set +e
"$app" --memories builtin:glyphs --script "$out/bad.txt" --frames 5 --dump-state "$out/state1.txt" 2> "$out/err1.txt"
rc=$?
set -e
cat "$out/err1.txt"
test "$rc" -eq 3
grep -q "line 2" "$out/err1.txt"
grep -q "line 3" "$out/err1.txt"
grep -qx "memories=20" "$out/state1.txt"  # the default glyph set was loaded; the bad script did not run
printf 'load builtin:glyphs count=6\nload /nonexistent/folder\nquery /nonexistent/q.png\nstage1 steps=2\n' > "$out/ok.txt"
set +e
"$app" --script "$out/ok.txt" --frames 5 --dump-state "$out/state2.txt"
rc=$?
set -e
cat "$out/state2.txt"
test "$rc" -eq 3  # commands that failed when they ran make the script's exit status 3 too
grep -qx "memories=6" "$out/state2.txt"  # the failed load kept the previous memories
grep -qx "stage1_steps=2" "$out/state2.txt"  # and the worker carried on
grep -qx "errors=2" "$out/state2.txt"
grep -q "^last_error=.*nonexistent/q.png" "$out/state2.txt"
grep -qx "error=" "$out/state2.txt"  # the last command succeeded: no stale error on screen
"$app" --frames 1 --bogus 2>/dev/null && exit 1
# A screenshot that cannot be written (here: into a folder) is an export failure: exit 4, counted in the state.
mkdir -p "$out/shots"
set +e
"$app" --memories builtin:glyphs --no-story --frames 3 --screenshot "$out/shots" --dump-state "$out/state3.txt" \
  2>/dev/null
rc=$?
set -e
test "$rc" -eq 4
grep -qx "errors=1" "$out/state3.txt"
grep -q "^last_error=.*shots" "$out/state3.txt"
echo "gui bad input: ok"
