#!/usr/bin/env bash
# Sets up everything Fabula needs on a Debian/Ubuntu machine and builds it.
# Idempotent: packages already there are not reinstalled, the venv is reused,
# and the build is incremental. Both README commands start here.
#   --cuda  build against the CUDA build of the same torch version instead of
#           the CPU one, in build-cuda/. Needs nvcc and cudart of a CUDA toolkit
#           with the wheel's major version (torch's CMake files look for them;
#           CUDA_PATH names the toolkit when nvcc is not on PATH). The wheel
#           comes from pip's index (PyPI's Linux wheels are the CUDA builds;
#           an offline mirror works the same) or FABULA_TORCH_INDEX;
#           FABULA_TORCH_PYTHON=PY builds against the CUDA torch PY already
#           has (any torch from 2.11 on) and installs nothing into it.
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

TORCH_PY=.venv/bin/python
CUDA_ARGS=()
if ((CUDA)); then
  if [ -n "${FABULA_TORCH_PYTHON:-}" ]; then
    TORCH_PY=$FABULA_TORCH_PYTHON
  elif [ "$(.venv/bin/python -c 'import torch; print(torch.version.cuda is not None)')" != True ]; then
    # The same torch version as requirements-dev.txt pins, built for CUDA.
    TORCH_PIN=$(sed -n 's/^torch==//p' "$REQ")
    INDEX=()
    [ -n "${FABULA_TORCH_INDEX:-}" ] && INDEX=(--index-url "$FABULA_TORCH_INDEX")
    echo "setup: installing the CUDA build of torch $TORCH_PIN (about 5.5 GB with its nvidia-* libraries)"
    .venv/bin/pip install -q --disable-pip-version-check --force-reinstall "torch==$TORCH_PIN" "${INDEX[@]}"
  fi
  TORCH_CUDA=$("$TORCH_PY" -c 'import torch; print(torch.version.cuda or "")' 2>/dev/null || true)
  if [ -z "$TORCH_CUDA" ]; then
    echo "setup: $TORCH_PY has no CUDA build of torch; set FABULA_TORCH_INDEX to an index with one" >&2
    exit 1
  fi
  # Fabula compiles no CUDA code, but torch's CMake files want nvcc, cuda.h
  # and cudart. They take the folder above the first nvcc on PATH for the
  # toolkit, which misses one behind a wrapper script (/usr/local/bin/nvcc),
  # so nvcc says where it lives.
  NVCC=${CUDA_PATH:+$CUDA_PATH/bin/nvcc}
  NVCC=${NVCC:-$(command -v nvcc || echo /usr/local/cuda/bin/nvcc)}
  if [ ! -x "$NVCC" ]; then
    echo "setup: --cuda needs the CUDA $TORCH_CUDA toolkit's nvcc and cudart (NVIDIA's packages" \
      "cuda-nvcc-${TORCH_CUDA/./-} and cuda-cudart-dev-${TORCH_CUDA/./-}); set CUDA_PATH when it is not on PATH" >&2
    exit 1
  fi
  CUDA_ROOT=$(dirname "$("$NVCC" --dryrun -x cu -c /dev/null -o /dev/null 2>&1 | sed -n 's/^#\$ _HERE_=//p')")
  NVCC_CUDA=$("$NVCC" --version | sed -n 's/.*release \([0-9.]*\),.*/\1/p')
  # Another major version would put a second CUDA runtime into the process.
  if [ "${NVCC_CUDA%%.*}" != "${TORCH_CUDA%%.*}" ]; then
    echo "setup: nvcc is CUDA $NVCC_CUDA but torch was built for CUDA $TORCH_CUDA; install the CUDA" \
      "${TORCH_CUDA%%.*} toolkit, or pick a torch for yours with FABULA_TORCH_INDEX" >&2
    exit 1
  fi
  CUDA_ARGS=(-DCUDA_TOOLKIT_ROOT_DIR="$CUDA_ROOT" -DCMAKE_CUDA_COMPILER="$CUDA_ROOT/bin/nvcc")
fi
TORCH_PREFIX=$("$TORCH_PY" -c 'import torch.utils; print(torch.utils.cmake_prefix_path)')
LAUNCHER=()
command -v ccache >/dev/null && LAUNCHER=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
# Cache hits from another checkout of the same sources too (paths relative
# to the checkout, the build folder left out of the key), as scripts/fuzz.sh.
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$ROOT} CCACHE_NOHASHDIR=${CCACHE_NOHASHDIR:-1}
if [ ! -f "$BUILD_DIR/build.ninja" ]; then
  cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_PREFIX_PATH="$TORCH_PREFIX" -DFABULA_PYTHON="$ROOT/.venv/bin/python" \
    -DFABULA_SHARED_DIR="$ROOT/../shared" "${LAUNCHER[@]}" "${CUDA_ARGS[@]}" ${FABULA_CMAKE_ARGS:-}
fi
cmake --build "$BUILD_DIR" -j "${FABULA_JOBS:-$(nproc)}"
