#!/usr/bin/env bash
# Builds the libFuzzer targets of tests/fuzz/ (clang, ASan + UBSan, no Qt or
# libtorch) in their own build folder and runs each for SECONDS_PER_TARGET
# seconds (default 10), two at a time, from a fresh copy of its seed corpus.
# Prints exactly one line per target,
#   fuzz: <target> execs=<n> crashes=<k>
# and nothing else on stdout: the build, seed and libFuzzer output goes to
# logs in BUILD/fuzz-logs/. Exits non-zero when any target crashed, naming
# its log and the crashing input on stderr (docs/fuzzing.md: reproducing).
# Usage: scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
SECONDS_PER_TARGET=${1:-10}
shift $(($# > 0 ? 1 : 0))
BUILD_DIR=${FABULA_FUZZ_BUILD_DIR:-$ROOT/build-fuzz}
SHARED_DIR=${FABULA_SHARED_DIR:-$ROOT/../shared}
PARALLEL=${FABULA_FUZZ_PARALLEL:-2}
# Two targets at once on a machine shared with other work: ASan's shadow
# memory and the GPT-2 tokenizer stay far below this.
RSS_MB=${FABULA_FUZZ_RSS_MB:-2048}
LOGS=$BUILD_DIR/fuzz-logs
WORK=$BUILD_DIR/fuzz-work
SEEDS=$BUILD_DIR/fuzz-seeds
# Cache hits from another checkout or build folder too: the paths are made
# relative, and the folder a debug build ran in is left out of the key.
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$ROOT} CCACHE_NOHASHDIR=${CCACHE_NOHASHDIR:-1}

mkdir -p "$BUILD_DIR"
rm -rf "$LOGS" "$WORK" "$SEEDS"
mkdir -p "$LOGS" "$WORK"
# Files the targets write per run (the token cache), in memory when there is
# /dev/shm, and gone afterwards even when a target crashed.
FABULA_FUZZ_TMP=$(mktemp -d "$([ -d /dev/shm ] && echo /dev/shm || echo "${TMPDIR:-/tmp}")/fabula-fuzz.XXXXXX")
export FABULA_FUZZ_TMP
trap 'rm -rf "$FABULA_FUZZ_TMP"' EXIT
fail() {
  echo "fuzz: $1 failed, see $2" >&2
  exit 1
}

if [ ! -f "$BUILD_DIR/build.ninja" ]; then
  LAUNCHER=()
  command -v ccache >/dev/null && LAUNCHER=(-DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ -DFABULA_FUZZ=ON \
    -DFABULA_SHARED_DIR="$SHARED_DIR" "${LAUNCHER[@]}" >"$LOGS/configure.log" 2>&1 ||
    fail configure "$LOGS/configure.log"
fi
cmake --build "$BUILD_DIR" -j "${FABULA_JOBS:-$(nproc)}" >"$LOGS/build.log" 2>&1 || fail build "$LOGS/build.log"

# Seeds: files made from the tests' fixtures, the hand-written ones, and every
# input that once crashed a target.
"$BUILD_DIR/tests/fuzz/fabula-fuzz-seeds" "$SEEDS" "$SHARED_DIR/data" >"$LOGS/seeds.log" 2>&1 ||
  fail "making the seed corpora" "$LOGS/seeds.log"
for dir in tests/fuzz/seeds/*/; do
  [ -d "$dir" ] || continue
  mkdir -p "$SEEDS/$(basename "$dir")"
  cp "$dir"* "$SEEDS/$(basename "$dir")/"
done
for input in tests/fuzz/regressions/fuzz_*; do
  [ -f "$input" ] || continue
  name=$(basename "$input")
  mkdir -p "$SEEDS/${name%%-*}"
  cp "$input" "$SEEDS/${name%%-*}/"
done

if (($#)); then
  TARGETS=("$@")
else
  TARGETS=()
  for source in tests/fuzz/fuzz_*.cpp; do TARGETS+=("$(basename "$source" .cpp)"); done
fi

run_target() {
  local t=$1 dir=$WORK/$1
  mkdir -p "$dir/corpus" "$dir/artifacts"
  [ -d "$SEEDS/$t" ] && cp "$SEEDS/$t/"* "$dir/corpus/"
  local dict=()
  [ -f "tests/fuzz/dicts/$t.dict" ] && dict=(-dict="tests/fuzz/dicts/$t.dict")
  local rc=0
  "$BUILD_DIR/tests/fuzz/$t" "${dict[@]}" -max_total_time="$SECONDS_PER_TARGET" -rss_limit_mb="$RSS_MB" \
    -timeout=30 -print_final_stats=1 -artifact_prefix="$dir/artifacts/" "$dir/corpus" >"$LOGS/$t.log" 2>&1 || rc=$?
  echo "$rc" >"$dir/rc"
}

running=0
for t in "${TARGETS[@]}"; do
  [ -x "$BUILD_DIR/tests/fuzz/$t" ] || fail "finding the target $t" "$LOGS/build.log"
  run_target "$t" &
  running=$((running + 1))
  if ((running >= PARALLEL)); then
    wait -n || true
    running=$((running - 1))
  fi
done
wait

crashed=0
for t in "${TARGETS[@]}"; do
  dir=$WORK/$t
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$LOGS/$t.log" | tail -1)
  crashes=$(find "$dir/artifacts" -type f ! -name 'slow-unit-*' | wc -l)
  # A target that died without leaving an input (e.g. in its set-up) crashed too.
  if [ "$(cat "$dir/rc")" != 0 ] && [ "$crashes" = 0 ]; then crashes=1; fi
  echo "fuzz: $t execs=${execs:-0} crashes=$crashes"
  if [ "$crashes" != 0 ]; then
    crashed=1
    echo "fuzz: $t crashed: log $LOGS/$t.log, inputs in $dir/artifacts/" >&2
  fi
done
exit $crashed
