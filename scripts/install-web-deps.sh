#!/usr/bin/env bash
# Installs what only the browser build (scripts/web.sh) and its test need, from Debian and npm only:
#  - emscripten 3.1.6 (emcc, with its own GLFW 3 and WebGL 2 support) and chromium (the headless browser the test
#    drives; nothing downloads a browser);
#  - deb-src lines for the suites already configured, so `apt-get source imgui zlib giflib` fetches Dear ImGui 1.86 (the
#    version of libimgui-dev), zlib and giflib into build/web-src/ (not committed): emscripten's "ports" download and are
#    unavailable offline, so both are compiled from Debian's sources;
#  - python3-markdown, which renders the user guide beside the page (scripts/render-guide.py);
#  - puppeteer-core (pinned in tests/web/package-lock.json) into tests/web/node_modules, pointed at /usr/bin/chromium.
# Safe to run again: each step is skipped when its result is there. Run as root.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
SRC="$ROOT/build/web-src"
PACKAGES=(emscripten chromium dpkg-dev nodejs python3-markdown)

need_root() {
  if [ "$(id -u)" -ne 0 ]; then
    echo "install-web-deps: $1: run as root (e.g. sudo bash $0)" >&2
    exit 1
  fi
}

# deb-src: one .sources file mirroring every deb stanza of the configured suites (debian.sources is deb822).
SOURCES=/etc/apt/sources.list.d/uhop-deb-src.sources
if ! grep -rqs '^Types:.*deb-src\|^deb-src ' /etc/apt/sources.list /etc/apt/sources.list.d/; then
  need_root "adding deb-src lines"
  if [ -f /etc/apt/sources.list.d/debian.sources ]; then
    sed 's/^Types: deb$/Types: deb-src/' /etc/apt/sources.list.d/debian.sources >"$SOURCES"
  else
    grep '^deb ' /etc/apt/sources.list | sed 's/^deb /deb-src /' >/etc/apt/sources.list.d/uhop-deb-src.list
  fi
fi

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# /usr/bin/node may be another Node (e.g. v20 from elsewhere): nodejs is only wanted for its acorn module.
if [ ${#missing[@]} -gt 0 ]; then
  need_root "installing ${missing[*]}"
  apt-get -o DPkg::Lock::Timeout=900 update -qq
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=900 install -y -qq --no-install-recommends "${missing[@]}" node-acorn >/dev/null
fi

# Sources of the same versions as the installed -dev packages (apt-get source picks the candidate version).
mkdir -p "$SRC"
fetch_source() {  # NAME DIR-GLOB
  compgen -G "$SRC/$2" >/dev/null && return 0
  # Without fresh lists (deb-src just added) apt-get source finds nothing: update once first.
  apt-cache showsrc "$1" 2>/dev/null | grep -q '^Version:' || apt-get -o DPkg::Lock::Timeout=900 update -qq
  # The newest version first; a mirror may lack one suite's sources (security), so older ones are tried too.
  local v
  for v in $(apt-cache showsrc "$1" | sed -n 's/^Version: //p' | sort -urV); do
    (cd "$SRC" && apt-get source -qq "$1=$v" >/dev/null 2>&1) && return 0
  done
  echo "install-web-deps: cannot fetch the source package $1" >&2
  return 1
}
fetch_source imgui 'imgui-1.86*/'
fetch_source zlib 'zlib-1.2*/'
# giflib: the Studio's GIF recorder (core/plot/plot_animation.cpp) in the browser too.
fetch_source giflib 'giflib-5*/'

# puppeteer-core from the lock file (npm ci) into tests/web/node_modules.
if [ ! -d "$ROOT/tests/web/node_modules/puppeteer-core" ]; then
  (cd "$ROOT/tests/web" && PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
fi
echo "install-web-deps: emscripten $(dpkg-query -W -f='${Version}' emscripten), chromium" \
  "$(dpkg-query -W -f='${Version}' chromium), sources in $SRC, puppeteer-core in tests/web/node_modules"
