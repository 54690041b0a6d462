#!/usr/bin/env bash
# check_layers.sh must fail on a copy of core/ with a planted upward include and an Eigen-free numerics file
# that includes a third-party header: a check that cannot fail is no check.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp -r "$root/core" "$tmp/core"
bash "$here/check_layers.sh" "$tmp" >/dev/null || { echo "clean copy should pass"; exit 1; }
echo '#include "session/session.h"' >>"$tmp/core/numerics/rng.cpp"
echo '#include <zlib.h>' >>"$tmp/core/numerics/rng.h"
echo '#include <stb_image.h>' >>"$tmp/core/data/image_decode.cpp"
out=$(bash "$here/check_layers.sh" "$tmp") && { echo "planted violations were not found"; exit 1; }
grep -q "rng.cpp: includes \"session/session.h\"" <<<"$out" || { echo "upward include not named: $out"; exit 1; }
grep -q "rng.h: includes <zlib.h>" <<<"$out" || { echo "third-party include not named: $out"; exit 1; }
grep -q "image_decode.cpp: includes stb_image.h" <<<"$out" || { echo "stb_image decoding not named: $out"; exit 1; }
echo "check_layers catches violations"
