#!/usr/bin/env bash
# Builds the .deb: BUILD/fabula_<version>_<arch>.deb (CPack over the install
# rules of packaging/CMakeLists.txt), after scripts/setup.sh has built the
# tree. Cached: when nothing the package holds has changed since the last
# run, the .deb is kept and this takes a second (CPack copies and compresses
# libtorch, about a minute on two cores). Prints the package's path.
# Usage: scripts/package.sh   (FABULA_BUILD_DIR: the build folder, default build/)
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${FABULA_BUILD_DIR:-$PWD/build}
cmake --build "$BUILD_DIR" -j "${FABULA_JOBS:-$(nproc)}" --target fabula fabula-cli fabula_package_files >&2

# What goes into the package, by content: the executables, the generated
# files, the packaging sources and the libtorch it bundles (by size and time).
stamp_of() {
  {
    sha256sum "$BUILD_DIR"/app/fabula "$BUILD_DIR"/app/fabula-cli "$BUILD_DIR"/ui/fabula_*.qm
    find "$BUILD_DIR/packaging" -type f ! -name '*.cmake' ! -path '*CMakeFiles*' -print0 | sort -z | xargs -0 sha256sum
    find packaging LICENSE -type f -print0 | sort -z | xargs -0 sha256sum
    torch_lib=$(.venv/bin/python -c 'import os, torch; print(os.path.join(os.path.dirname(torch.__file__), "lib"))')
    stat -c '%n %s %Y' "$torch_lib"/*.so*
  } | sha256sum | cut -d' ' -f1
}
version=$(sed -n 's/^CMAKE_PROJECT_VERSION:STATIC=//p' "$BUILD_DIR/CMakeCache.txt")
arch=$(dpkg --print-architecture)
deb="$BUILD_DIR/fabula_${version}_${arch}.deb"
stamp=$(stamp_of)
if [ -f "$deb" ] && [ "$(cat "$deb.stamp" 2>/dev/null)" = "$stamp" ]; then
  echo "package: $deb is up to date" >&2
else
  rm -f "$deb" "$deb.stamp"
  (cd "$BUILD_DIR" && cpack -G DEB --config CPackConfig.cmake >&2)
  [ -f "$deb" ] || { echo "package: CPack did not write $deb" >&2; exit 1; }
  echo "$stamp" > "$deb.stamp"
fi
echo "$deb"
