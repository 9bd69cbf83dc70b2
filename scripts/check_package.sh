#!/usr/bin/env bash
# Checks the .deb scripts/package.sh built: its desktop entry and AppStream
# data validate, lintian reports no errors, it holds the files a desktop app
# needs, and, extracted into an empty folder, it runs from there with a clean
# environment (no build folder on any path, no .venv, empty LD_LIBRARY_PATH):
# fabula-cli tokenize, fabula-cli generate on a tiny model, and the app's
# --screenshot offscreen. Prints one `package:` line per check.
# Usage: scripts/check_package.sh DEB
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
DEB=${1:?usage: scripts/check_package.sh DEB}
SHARED_DIR=${FABULA_SHARED_DIR:-$ROOT/../shared}
APP_ID=$(sed -n 's/^FABULA_APP_ID:STRING=//p' "$(dirname "$DEB")/CMakeCache.txt")
WORK=$(mktemp -d "${TMPDIR:-/tmp}/fabula-package.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
fail() { echo "package: FAILED: $*" >&2; exit 1; }
ok() { echo "package: ok: $*"; }

echo "package: $(basename "$DEB") $(du -h "$DEB" | cut -f1)"
dpkg-deb -c "$DEB" | awk '{print $NF}' | sed 's|^\./|/|' > "$WORK/contents"
for f in /usr/bin/fabula /usr/bin/fabula-cli /usr/lib/fabula/libtorch_cpu.so /usr/lib/fabula/libc10.so \
         /usr/share/fabula/translations/fabula_en.qm /usr/share/fabula/translations/fabula_de.qm \
         /usr/share/fabula/translations/fabula_fr.qm "/usr/share/applications/$APP_ID.desktop" \
         "/usr/share/icons/hicolor/scalable/apps/$APP_ID.svg" "/usr/share/icons/hicolor/48x48/apps/$APP_ID.png" \
         "/usr/share/icons/hicolor/256x256/apps/$APP_ID.png" "/usr/share/metainfo/$APP_ID.metainfo.xml" \
         /usr/share/man/man1/fabula.1.gz /usr/share/man/man1/fabula-cli.1.gz /usr/share/doc/fabula/copyright \
         /usr/share/doc/fabula/changelog.gz; do
  grep -qxF "$f" "$WORK/contents" || fail "dpkg-deb -c lists no $f"
done
ok "dpkg-deb -c lists the executables, libtorch, translations, desktop entry, icons, metainfo, man pages, copyright, changelog"
if grep -E '^/usr/lib/(x86_64|aarch64)[^/]*-linux-gnu/|^/usr/lib/[^/]*\.so' "$WORK/contents"; then
  fail "the package puts libraries on the system's library path"
fi

mkdir "$WORK/root"
dpkg-deb -x "$DEB" "$WORK/root"
desktop-file-validate "$WORK/root/usr/share/applications/$APP_ID.desktop" || fail "desktop-file-validate"
ok "desktop-file-validate"
appstreamcli validate --no-net "$WORK/root/usr/share/metainfo/$APP_ID.metainfo.xml" || fail "appstreamcli validate"
ok "appstreamcli validate --no-net"
lintian --fail-on error --suppress-tags-from-file /dev/null "$DEB" > "$WORK/lintian" 2>&1 || {
  cat "$WORK/lintian" >&2
  fail "lintian reports errors"
}
sed 's/^/package: lintian: /' "$WORK/lintian"
ok "lintian: no errors ($(grep -c '^W:' "$WORK/lintian" || true) warnings, listed above)"

for exe in fabula fabula-cli; do
  runpath=$(readelf -d "$WORK/root/usr/bin/$exe" | sed -n 's/.*(RUNPATH).*\[\(.*\)\]/\1/p')
  [ "$runpath" = '$ORIGIN/../lib/fabula' ] || fail "$exe has RUNPATH '$runpath', expected \$ORIGIN/../lib/fabula"
done
ok "RUNPATH is \$ORIGIN/../lib/fabula only"

# A tiny model and its tokenizer, made here with the reference packages;
# the package's executables then run without them.
"$ROOT/.venv/bin/python" - "$WORK/model" <<'PY'
import sys, pathlib
sys.path.insert(0, "tests/python")
from model_fixtures import make_model
make_model(pathlib.Path(sys.argv[1]))
PY
clean_env=(env -i "PATH=/usr/bin:/bin" "HOME=$WORK/home" "LD_LIBRARY_PATH=" "QT_QPA_PLATFORM=offscreen"
           "XDG_RUNTIME_DIR=$WORK/run" "LANG=C.UTF-8")
mkdir -p "$WORK/home" "$WORK/run" && chmod 700 "$WORK/run"
bin=$WORK/root/usr/bin
# Every library the executables load resolves inside the package or the system.
LD_TRACE_LOADED_OBJECTS=1 "${clean_env[@]}" "$bin/fabula" > "$WORK/ldd" || fail "the dynamic loader cannot start fabula"
if grep -E "not found|$ROOT|\.venv" "$WORK/ldd"; then fail "fabula loads libraries from outside the package"; fi
ids=$("${clean_env[@]}" "$bin/fabula-cli" tokenize --model "$WORK/model" --text "Once upon a time") || fail "fabula-cli tokenize"
[ "$ids" = "[7454,2402,257,640]" ] || fail "fabula-cli tokenize gave $ids"
ok "fabula-cli tokenize from the extracted package: $ids"
"${clean_env[@]}" "$bin/fabula-cli" generate --model "$WORK/model" --prompt "Once upon a time" --max-new-tokens 8 \
  --temperature 0 --json > "$WORK/generate.json" || fail "fabula-cli generate"
grep -q '"generated_ids"' "$WORK/generate.json" || fail "fabula-cli generate printed no ids"
ok "fabula-cli generate from the extracted package"
"${clean_env[@]}" "$bin/fabula" --screenshot "$WORK/shot.png" || fail "fabula --screenshot"
[ -s "$WORK/shot.png" ] || fail "fabula --screenshot wrote nothing"
ok "fabula --screenshot offscreen from the extracted package ($(du -h "$WORK/shot.png" | cut -f1))"
