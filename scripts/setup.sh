#!/usr/bin/env bash
# Sets up everything Fabula needs on a Debian/Ubuntu machine and builds it.
# Idempotent: packages already there are not reinstalled, the venv is reused,
# and the build is incremental. Both README commands start here.
#   --cuda  build against the CUDA build of the same torch version instead of
#           the CPU one, in build-cuda/ (needs an NVIDIA driver and the CUDA
#           toolkit torch's CMake files look for; FABULA_TORCH_INDEX picks the
#           wheel index, default PyTorch's cu128 one)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
CUDA=0
for arg in "$@"; do
  case $arg in
    --cuda) CUDA=1 ;;
    *) echo "usage: scripts/setup.sh [--cuda]" >&2; exit 2 ;;
  esac
done
if ((CUDA)); then
  BUILD_DIR=${FABULA_BUILD_DIR:-$ROOT/build-cuda}
else
  BUILD_DIR=${FABULA_BUILD_DIR:-$ROOT/build}
fi

DEB_PACKAGES=(
  g++ cmake ninja-build ccache pkg-config python3-venv
  qt6-base-dev qt6-charts-dev qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools
  qt6-translations-l10n libgl-dev libsqlite3-dev sqlite3 nlohmann-json3-dev
  fonts-dejavu-core time libcli11-dev
  clang libclang-rt-14-dev
  libsentencepiece-dev libonig-dev libicu-dev
  # The package and its checks (scripts/package.sh, scripts/check_package.sh).
  lintian desktop-file-utils appstream help2man librsvg2-bin
)
missing=()
for p in "${DEB_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing Debian packages: ${missing[*]}"
  SUDO=; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# torch 2.13 wheels exist for CPython 3.10-3.13; prefer 3.11, the reference setup.
PY=${FABULA_PYTHON:-}
if [ -z "$PY" ]; then
  for cand in python3.11 python3.12 python3.10 python3.13 python3; do
    if command -v "$cand" >/dev/null; then PY=$cand; break; fi
  done
fi
if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv with $PY"
  "$PY" -m venv .venv
fi
REQ=requirements-dev.txt
STAMP=.venv/.fabula-requirements
if ! cmp -s "$REQ" "$STAMP" 2>/dev/null; then
  echo "setup: installing Python reference packages (torch is the libtorch of the build)"
  .venv/bin/pip install -q --disable-pip-version-check -r "$REQ"
  cp "$REQ" "$STAMP"
fi

if ((CUDA)); then
  # The same torch version as requirements-dev.txt pins, built for CUDA.
  TORCH_PIN=$(sed -n 's/^torch==//p' "$REQ")
  if [ "$(.venv/bin/python -c 'import torch; print(torch.version.cuda is not None)')" != True ]; then
    echo "setup: installing the CUDA build of torch $TORCH_PIN"
    .venv/bin/pip install -q --disable-pip-version-check --force-reinstall "torch==$TORCH_PIN" \
      --index-url "${FABULA_TORCH_INDEX:-https://download.pytorch.org/whl/cu128}"
  fi
fi
TORCH_PREFIX=$(.venv/bin/python -c 'import torch.utils; print(torch.utils.cmake_prefix_path)')
LAUNCHER=()
command -v ccache >/dev/null && LAUNCHER=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
# Cache hits from another checkout of the same sources too (paths relative
# to the checkout, the build folder left out of the key), as scripts/fuzz.sh.
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$ROOT} CCACHE_NOHASHDIR=${CCACHE_NOHASHDIR:-1}
if [ ! -f "$BUILD_DIR/build.ninja" ]; then
  cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_PREFIX_PATH="$TORCH_PREFIX" -DFABULA_PYTHON="$ROOT/.venv/bin/python" \
    -DFABULA_SHARED_DIR="$ROOT/../shared" "${LAUNCHER[@]}" ${FABULA_CMAKE_ARGS:-}
fi
cmake --build "$BUILD_DIR" -j "${FABULA_JOBS:-$(nproc)}"
