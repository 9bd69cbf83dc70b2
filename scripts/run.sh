#!/usr/bin/env bash
# Sets up, builds and starts the Fabula app (offscreen when there is no display).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
BUILD_DIR=${FABULA_BUILD_DIR:-$PWD/build}
if [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && [ -z "${QT_QPA_PLATFORM:-}" ]; then
  echo "run: no display found; starting offscreen"
  export QT_QPA_PLATFORM=offscreen
fi
exec "$BUILD_DIR/app/fabula" "$@"
