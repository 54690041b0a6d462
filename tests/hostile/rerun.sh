#!/usr/bin/env bash
# Reruns issue 12's categories against the real uhop binary with hostile files other than the audit's
# (make_hostile_files.py), each case under `ulimit -v` (virtual memory) and `timeout`, and checks what the issue
# asks: no crash, no hang, no traversal (a secret's bytes never appear), no clobbered old output, no replaced
# device, no large allocation from a small file (the memory limit would kill the run), and no NaN/inf in a log of a
# run that exits 0. Every refusal must be one printable line.
# usage: rerun.sh UHOP [--all | --full]
#   (no flag: the quick set ctest runs, the first two cases of each category; --all: every case; --full: every case
#   plus larger files and slower runs)
set -u
uhop=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
mode=${2:-}
full=$([ "$mode" = --full ] && echo --full)
declare -A per_tag
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d /tmp/uhop-hostile-XXXXXX)
trap 'rm -rf "$work"' EXIT
python3 "$here/make_hostile_files.py" "$work" $full || exit 1
cd "$work" || exit 1
MEM_KB=${HOSTILE_MEM_KB:-1500000}  # 1.5 GB of address space per run
SECONDS_PER_CASE=${HOSTILE_SECONDS:-60}
cases=0 failures=0

echo "old log" >old.csv && echo "old w" >oldw.csv && echo "precious" >victim.txt
ln -sf /dev/null null.csv 2>/dev/null
sentinels() { md5sum old.csv oldw.csv victim.txt secret.w.csv 2>/dev/null; stat -c '%F' /dev/null fifo.json; readlink null.csv; }

# run EXPECTED_EXIT DESCRIPTION ARGS...: EXPECTED_EXIT is 2 (a clear refusal) or 0 (must succeed, logs finite).
run() {
  local expected=$1 what=$2
  shift 2
  per_tag[$what]=$((${per_tag[$what]:-0} + 1))
  if [ -z "$mode" ] && [ "${per_tag[$what]}" -gt 2 ]; then return; fi
  cases=$((cases + 1))
  rm -f out.log out.w.csv out.x.csv
  local before start=$SECONDS
  before=$(sentinels)
  (ulimit -v "$MEM_KB"; exec timeout "$SECONDS_PER_CASE" "$uhop" "$@") >stdout.txt 2>stderr.txt </dev/null
  local rc=$? problem=""
  local lines
  lines=$(wc -l <stderr.txt)
  if [ "$rc" -eq 124 ]; then problem="timed out after ${SECONDS_PER_CASE}s"
  elif [ "$rc" -gt 128 ]; then problem="killed by signal $((rc - 128))"
  elif [ "$rc" -ne "$expected" ]; then problem="exit $rc, expected $expected"
  elif LC_ALL=C grep -q $'[\x01-\x08\x0b-\x1f\x7f]' stderr.txt stdout.txt; then problem="raw control bytes in the output"
  elif LC_ALL=C grep -qaP '\xc2[\x80-\x9f]|\xe2\x80[\xaa-\xae]' stderr.txt stdout.txt; then problem="raw C1/bidi characters in the output"
  elif grep -q "TOP-SECRET" stderr.txt stdout.txt; then problem="a file outside the folder was echoed"
  elif [ "$expected" -eq 2 ] && { [ "$lines" -ne 1 ] || ! grep -q '^uhop: error: ' stderr.txt; }; then
    problem="refusal is not one 'uhop: error:' line"
  elif [ "$expected" -eq 0 ] && cat out.log out.x.csv 2>/dev/null | grep -qiE 'nan|inf'; then
    problem="NaN or inf in a log of a successful run"
  elif [ "$(sentinels)" != "$before" ]; then problem="an old output, a device, a FIFO or a secret was changed"
  fi
  if [ -n "$problem" ]; then
    failures=$((failures + 1))
    echo "FAIL [$what]: $problem: uhop $*"
    sed 's/^/    /' stderr.txt | head -3
  else
    printf '  ok %-44s %3ss  %s\n' "[$what]" "$((SECONDS - start))" "$(head -c 110 stderr.txt | tr '\n' ' ')"
  fi
}

S0="stage1 --steps 2 --lr 0.1"
S1="$S0 --init identity"
R0="retrieve --target 0 --out out.x.csv --log out.log"
RT="$R0 --corrupt gaussian:0.1 --steps 3"
echo "== 1 crash: deep nesting"
run 2 nesting replay --session deep-objects.json
run 2 nesting replay --session deep-mixed.json
run 2 nesting --session deep-inside.json
echo "== 2 traversal: side files"
for f in dotdot-inner dot-slash proc nul symlink symlink-dir; do run 2 traversal replay --session "sess/$f.json"; done
echo "== 3/4/5 outputs and special files"
run 2 outputs $S1 --memories mem.csv --out-w oldw.csv --log ./oldw.csv
run 0 outputs $S1 --memories mem.csv --out-w out.w.csv --log null.csv  # streamed to /dev/null, the link kept
run 2 outputs $S1 --memories mem.csv --out-w out.w.csv --log sess
run 2 outputs $S1 --memories mem.csv --out-w fifo.json --log old.csv
run 2 special $S1 --memories sock.csv --out-w out.w.csv --log out.log
run 2 special replay --session fifo.json
run 2 special $S0 --memories mem.csv --w0 /proc/self/mem --out-w out.w.csv --log out.log
run 2 special $S1 --memories /dev/urandom --out-w out.w.csv --log out.log
run 2 special $R0 --memories mem.csv --query /dev/stdin
run 2 special $S0 --memories mem.csv --w0 /sys/kernel/mm --out-w out.w.csv --log out.log
echo "== 6 sizes"
for f in huge.png tall.png liar.jpg wide.bmp intmin.bmp rle.tga cmap.tga deep.ppm maxval0.pgm gif.png; do
  run 2 sizes $S1 --memories "$f" --out-w out.w.csv --log out.log
done
run 2 sizes $S1 --memories iccp.png --out-w out.w.csv --log out.log  # one memory: Stage I needs two
run 2 sizes $S1 --memories many-images-idx3-ubyte.gz --out-w out.w.csv --log out.log
run 2 sizes $S1 --memories zeros-images-idx3-ubyte.gz --count 5 --out-w out.w.csv --log out.log
run 2 sizes $S1 --memories one-line.csv --out-w out.w.csv --log out.log
run 2 sizes $S1 --memories builtin:glyphs --size 100x100 --out-w out.w.csv --log out.log
run 2 sizes $S0 --memories builtin:glyphs --count 5 --dim 50000 --init gaussian --out-w out.w.csv --log out.log
echo "== 7 non-finite results"
run 2 numbers $S1 --memories maxdouble.csv --out-w out.w.csv --log out.log
run 2 numbers $RT --memories mem.csv --w w-huge.csv
run 0 numbers $RT --memories big-mem.csv --beta 1e100 --alpha 1.7
run 0 numbers $RT --memories denormal.csv --beta 1e100 --alpha 2
run 0 numbers $RT --memories builtin:glyphs --count 30 --beta 1e60 --top-k 3
run 0 numbers $RT --memories neg-zero.csv --beta 1e20 --alpha 1.5 --similarity manhattan
run 0 numbers $R0 --corrupt gaussian:0.1 --memories mem.csv --beta 1e6 --beta-after-sep --steps 60
echo "== 8 integers"
for flag in "--offset 2147483648" "--count 0x10" "--steps 1e3" "--seed 18446744073709551616" "--count -0x1"; do
  run 2 integers stage1 --memories mem.csv --init identity --lr 0.1 --out-w out.w.csv --log out.log \
    $([ "${flag%% *}" = --steps ] || echo --steps 1) $flag
done
run 2 integers $RT --memories mem.csv --top-k -1
run 2 integers sweep --memories builtin:glyphs --vary M --values 6 --seeds 0 --out sw
echo "== 9 messages"
run 2 messages $S1 --memories esc.csv --out-w out.w.csv --log out.log
run 2 messages $S1 --memories $'bidi-\u202e.csv' --out-w out.w.csv --log out.log
run 0 messages replay --session c1.json
run 2 messages $S1 --memories $'no\tsuch\x9b.csv' --out-w out.w.csv --log out.log
echo "== 10 flags and JSON values"
run 2 flags $S1 --memories mem.csv --out-w out.w.csv --log out.log --rgb=yes
run 2 flags $S1 --memories mem.csv --out-w out.w.csv --log out.log --size=
run 2 flags $S1 --memories mem.csv --out-w= --log out.log
for f in n309 nneg bigint str; do run 2 json replay --session "$f.json"; done
run 0 json replay --session tiny.json
run 2 json replay --session huge-steps.json
echo "== CSV odds"
run 2 csv $S1 --memories digits.csv --out-w out.w.csv --log out.log
run 0 csv $S1 --memories cr-only.csv --out-w out.w.csv --log out.log
run 2 csv $S1 --memories bom-text.csv --out-w out.w.csv --log out.log
echo "== NumPy .npy and .npz"
for f in liar.npy object.npy short.npy nan.npy header-len.npy; do
  run 2 npy $S1 --memories "$f" --out-w out.w.csv --log out.log
done
run 2 npy $S0 --memories mem.csv --w0 liar.npy --out-w out.w.csv --log out.log
run 2 npy $R0 --memories mem.csv --query object.npy
for f in bomb.npz two.npz two.npz:c; do run 2 npz $S1 --memories "$f" --out-w out.w.csv --log out.log; done
run 0 npy-ok $S1 --memories fortran32.npy --out-w out.w.csv --log out.log
run 0 npy-ok $RT --memories labels.npz --pick per-class --count 2
run 0 npy-ok $S1 --memories two.npz:b --out-w out.w.csv --log out.log
if [ "$mode" = "--full" ]; then
  echo "== full: larger runs"
  run 0 full demo --memories builtin:glyphs --steps 20
  run 0 full sweep --memories builtin:glyphs --vary M --values 10 --methods sparse,entmax --seeds 1 --stage1-steps 0 \
    --beta 1e15 --out sweep-out
  if grep -qiE 'nan|inf' sweep-out/merged.csv; then echo "FAIL [full]: NaN in a sweep"; failures=$((failures + 1)); fi
fi
echo "hostile rerun: $cases cases, $failures failures (ulimit -v ${MEM_KB} KB, timeout ${SECONDS_PER_CASE}s each)"
[ "$failures" -eq 0 ]
