#!/usr/bin/env bash
# The one command that sets up and launches U-Hop Studio on the built-in default (builtin:fashion-mnist).
# Installs what is missing, builds (Release, -march=native: for this machine), then starts the app; extra
# arguments go to the app.
# With no display (a server, CI), it runs the headless demo of the uhop CLI instead.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
cmake -S . -B build/release -DCMAKE_BUILD_TYPE=Release -DUHOP_NATIVE=ON >/dev/null
cmake --build build/release -j"$(nproc)"
if [ -x build/release/app/uhop-studio ] && [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  exec build/release/app/uhop-studio "$@"  # no --memories: the guided story plays first
fi
echo "run: no display (or no GUI build): running the headless demo instead" >&2
exec build/release/cli/uhop demo --memories builtin:fashion-mnist "$@"
