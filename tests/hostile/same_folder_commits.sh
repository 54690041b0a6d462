#!/usr/bin/env bash
# Issue 24 (F1 of the re-audit): the outputs of one commit in one folder, spelled differently (relative and absolute,
# "sub/../", "$PWD/./", a symlink into the same folder, save-session through a symlinked JSON), lock that folder once:
# every run must finish (a hang is killed by `timeout`, exit 124 = failure) with exit 0 and leave no temp behind.
# usage: same_folder_commits.sh UHOP
set -u
uhop=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
work=$(mktemp -d /tmp/uhop-same-folder-XXXXXX)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1
mkdir sub
echo old >t.csv && ln -s t.csv link.csv
echo old >t.json && ln -s t.json l.json
failures=0
S1="stage1 --memories builtin:glyphs --count 5 --init identity --lr 0.1 --steps 2 --out-w w.csv"
check() {
  local what=$1
  shift
  timeout 20 "$uhop" "$@" >stdout.txt 2>stderr.txt </dev/null
  local rc=$?
  if [ "$rc" -ne 0 ]; then
    failures=$((failures + 1))
    echo "FAIL [$what]: exit $rc$([ "$rc" -eq 124 ] && echo ' (hung)'): uhop $*"
    head -3 stderr.txt | sed 's/^/    /'
  else
    echo "  ok [$what]"
  fi
}
check "relative + absolute" $S1 --log "$work/l.csv"
check "sub/.." $S1 --log sub/../l.csv
check "\$PWD/./" $S1 --log "$PWD/./l.csv"
check "symlink into the folder" $S1 --log link.csv
check "save-session through a symlink" save-session --memories builtin:glyphs --count 5 --target 0 \
  --corrupt gaussian:0.1 --out l.json
[ -L link.csv ] && [ -L l.json ] || { echo "FAIL: a symlink output was replaced"; failures=$((failures + 1)); }
if ls -A | grep -q 'uhop-tmp'; then
  echo "FAIL: temps left behind: $(ls -A | grep uhop-tmp | tr '\n' ' ')"
  failures=$((failures + 1))
fi
echo "same-folder commits: $failures failures"
[ "$failures" -eq 0 ]
