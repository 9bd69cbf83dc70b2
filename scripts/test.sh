#!/usr/bin/env bash
# Sets up, builds and runs every test. CI runs exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
BUILD_DIR=${FABULA_BUILD_DIR:-$PWD/build}
# One intra-op thread per test on both the Fabula and the Hugging Face side,
# so two tests in parallel do not oversubscribe two cores.
export OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 FABULA_THREADS=1 QT_QPA_PLATFORM=offscreen
status=0
ctest --test-dir "$BUILD_DIR" --output-on-failure -j "${FABULA_TEST_JOBS:-2}" "$@" || status=$?
# Every parser of outside input under libFuzzer, about 10 seconds a target
# (its own clang build in build-fuzz/; docs/fuzzing.md).
scripts/fuzz.sh 10 || status=1
# The .deb, checked as a user would get it (scripts/check_package.sh:
# validators, lintian, and the extracted package run with a clean environment).
deb=$(scripts/package.sh) && scripts/check_package.sh "$deb" || status=1
exit "$status"
