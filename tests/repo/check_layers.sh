#!/usr/bin/env bash
# The core's layers (core/CMakeLists.txt): each room may include the standard library, its own files (by bare
# name) and the rooms below it ("room/name.h"). numerics, at the bottom, may include only the standard library,
# Eigen and its own files. Also: no source file in the repository is over 700 lines (a long file hides its ideas),
# and no product code (core/, cli/, app/) includes stb_image.h: user files are decoded by libpng, libjpeg-turbo and
# the project's own decoders (core/data/image_decode.h); stb_image_resize and stb_image_write are fine.
# Exit 1 listing every violation.
set -u
root=${1:-$(cd "$(dirname "$0")/../.." && pwd)}
cd "$root" || exit 2
declare -A below=(
  [numerics]=""
  [io]="numerics"
  [data]="numerics io"
  [plot]="numerics io"
  [session]="numerics io data plot"
)
bad=0
for room in "${!below[@]}"; do
  [ -d "core/$room" ] || { echo "missing room core/$room"; bad=1; continue; }
  # file:#include line, for every include in the room (one grep, not a process per line)
  while IFS= read -r hit; do
    f=${hit%%:*}
    [[ ${hit#*:} =~ include[[:space:]]*([\"\<][^\">]*[\">]) ]] || continue
    inc=${BASH_REMATCH[1]}
    name=${inc:1:${#inc}-2}
    case $inc in
      \"*)
        if [[ $name == */* ]]; then
          dep=${name%%/*}
          [[ " ${below[$room]} " == *" $dep "* ]] || { echo "$f: includes $inc: core/$room may not use core/$dep"; bad=1; }
          [ -e "core/$name" ] || { echo "$f: includes $inc: no such file core/$name"; bad=1; }
        else
          [ -e "core/$room/$name" ] || { echo "$f: includes $inc: not a file of core/$room"; bad=1; }
        fi ;;
      \<*)
        if [ "$room" = numerics ]; then
          # the standard library (no extension, no folder) or Eigen
          [[ $name =~ ^[a-z_]+$ || $name == Eigen/* ]] || { echo "$f: includes $inc: numerics uses only the standard library and Eigen"; bad=1; }
        fi ;;
    esac
  done < <(grep -H '^[[:space:]]*#[[:space:]]*include' core/$room/*.h core/$room/*.cpp 2>/dev/null)
done
while IFS= read -r hit; do
  echo "${hit%%:*}: includes stb_image.h: user files must not be decoded by stb_image (see core/data/image_decode.h)"
  bad=1
done < <(grep -rHE '^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"]stb_image\.h[>"]' core cli app 2>/dev/null)
# The browser's differences live in its platform room and in core's web/ stand-ins, nowhere else.
while IFS= read -r f; do
  echo "$f: mentions Emscripten outside app/platform/web/ and core/*/web/"
  bad=1
done < <(grep -rlE '__EMSCRIPTEN__|emscripten\.h' core app cli python 2>/dev/null | grep -vE '^(app/platform/web|core/[a-z]+/web)/')
while IFS= read -r f; do
  n=$(wc -l <"$f")
  [ "$n" -le 700 ] || { echo "$f: $n lines (over 700)"; bad=1; }
done < <(git ls-files '*.h' '*.cpp' '*.sh' '*.py' 2>/dev/null || find . -name '*.cpp' -o -name '*.h')
[ $bad -eq 0 ] && echo "layers: ok"
exit $bad
