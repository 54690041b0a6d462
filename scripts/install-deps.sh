#!/usr/bin/env bash
# Installs the Debian packages U-Hop Studio needs (as root, with apt). Safe to run again: it only calls apt when
# something is missing. Why each package: docs/install.md.
set -euo pipefail
PACKAGES=(
  build-essential cmake pkg-config git ccache
  libeigen3-dev zlib1g-dev libpng-dev libjpeg62-turbo-dev libstb-dev catch2 libbenchmark-dev nlohmann-json3-dev
  libimgui-dev libglfw3-dev libgl-dev libgl1-mesa-dri
  fonts-dejavu-core dataset-fashion-mnist
  libcairo2-dev libgif-dev ffmpeg
  xvfb xauth xdotool poppler-utils
  clang libclang-rt-14-dev
  python3-dev pybind11-dev python3-pybind11 python3-numpy python3-pytest
  python3-venv python3-pip python3-setuptools python3-wheel
  python3-matplotlib jupyter-nbconvert python3-ipykernel
)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#PACKAGES[@]} packages present"
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "install-deps: missing packages: ${missing[*]}" >&2
  echo "install-deps: run as root (e.g. sudo bash $0) to install them" >&2
  exit 1
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
