#!/bin/sh
# Issue 24 item 7: a session that needs more memory than the process may have (76 x 76 glyphs: d = 5776, W and the
# kernel's products of d x d doubles, under a 3 GB address-space limit) is refused with a message saying how much
# it needs and what fits (studio_session_bytes against uhop::memory_available_bytes, before the file is read), and
# the Studio keeps running to the end of its script (exit 3: the script had an error). Before, it aborted on
# std::bad_alloc (exit 134). Not under AddressSanitizer, which reserves more address space than any such limit.
# usage (inside xvfb-run): out_of_memory.sh UHOP_STUDIO OUT_DIR
set -u
app=$1; out=$2
rm -rf "$out"; mkdir -p "$out"
printf 'load builtin:glyphs count=6 size=76x76\nstage1 steps=1\nwait\nload builtin:glyphs count=6\nwait\n' > "$out/script.txt"
(ulimit -v 3000000; "$app" --script "$out/script.txt" --frames 5 --dump-state "$out/dump.txt" > "$out/log.txt" 2>&1)
rc=$?
cat "$out/log.txt"
[ "$rc" -eq 3 ] || { echo "FAILED: exit $rc (3 expected: the script's out-of-memory error, reported)"; exit 1; }
grep -q '^last_error=.*needs about .* of memory, and this process can get' "$out/dump.txt" ||
  { echo "FAILED: no message saying the session does not fit"; exit 1; }
# The app went on: the smaller load after the refusal holds a session of 6 memories of 16 x 16.
grep -qx 'memories=6' "$out/dump.txt" || { echo "FAILED: the load after the refusal did not happen"; exit 1; }
echo "gui out of memory: ok"
