#!/bin/sh
# The Studio's own flags are parsed strictly, before any window opens (no display needed): numbers out of range,
# repeated flags and empty values exit 2 with one line naming the flag.
# usage: bad_flags.sh UHOP_STUDIO
set -u
app=$1
fail=0
check() {  # expected-text args...
  expected=$1
  shift
  out=$("$app" "$@" 2>&1 >/dev/null)
  rc=$?
  if [ "$rc" -ne 2 ] || ! printf '%s' "$out" | grep -q -- "$expected"; then
    echo "FAIL: uhop-studio $* -> rc $rc: $out"
    fail=1
  fi
}
check "outside 1..100000000" --frames 99999999999999999999
check "outside 1..100000000" --bench-frames 4294967297
check "outside 1..100000000" --frames -1
check "given twice" --frames 5 --frames 6
check "given twice" --script a.txt --script b.txt
check "needs a value, got an empty one" --memories ""
check "needs a value, got an empty one" --session ""
check "out of range" --font-size 1e400
check "expected 6..96" --font-size 500
check "unknown flag" --bogus 1
[ "$fail" -eq 0 ] && echo "studio bad flags: ok"
exit "$fail"
