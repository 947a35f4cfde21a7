#!/usr/bin/env bash
# Packaging tests (ctest label "packaging"): build the installers with CPack from this build tree, check them,
# install them and run the installed Benchtop. One step per call; `build` runs first (a ctest fixture) and the
# others read its packages from the work folder.
#
#   test_packages.sh STEP BUILD_DIR SOURCE_DIR
#   STEP: build | deb | deb-install | tgz | rpm | system
#
# `system` installs the DEB on this machine with apt and removes it again; it runs only as root with
# BENCHTOP_PACKAGING_SYSTEM_INSTALL=1 (CI sets it: its machine is thrown away), else it asks apt to simulate
# the installation, which resolves every dependency the same way.
set -euo pipefail
step=$1
build=$(cd "$2" && pwd)
source=$(cd "$3" && pwd)
work=$build/packaging-test
packages=$work/packages
clocks="horvath2013,hannum2013,phenoage2018"
python=${BENCHTOP_PYTHON:-python3}

fail() { echo "FAIL: $*" >&2; exit 1; }
note() { echo "--- $*"; }
one() {  # one DIR PATTERN: the single file in DIR matching PATTERN (DIR may hold spaces)
  local matches=()
  shopt -s nullglob
  matches=( "$1"/$2 )
  shopt -u nullglob
  [ ${#matches[@]} -eq 1 ] || fail "expected one file matching $1/$2, found ${#matches[@]}: ${matches[*]}"
  echo "${matches[0]}"
}

# Every run of an installed Benchtop gets its own home, settings and model store, and no network: the demo must
# work from what the package ships.
isolated() {
  local home=$1; shift
  mkdir -p "$home"
  env -u BENCHTOP_CATALOG -u BENCHTOP_BUNDLED_CLOCKS_DIR -u BENCHTOP_MODELS_DIR \
      HOME="$home" XDG_CONFIG_HOME="$home/.config" XDG_DATA_HOME="$home/.local/share" \
      XDG_CACHE_HOME="$home/.cache" HF_HOME="$home/hf" HF_ENDPOINT=http://127.0.0.1:9 \
      BENCHTOP_URL_MIRROR=http://127.0.0.1:9 QT_QPA_PLATFORM=offscreen "$@"
}

# png_size FILE -> "W H" (from the IHDR chunk)
png_size() {
  "$python" - "$1" <<'PY'
import struct, sys
data = open(sys.argv[1], "rb").read(24)
if data[:8] != b"\x89PNG\r\n\x1a\n" or data[12:16] != b"IHDR":
    sys.exit(f"{sys.argv[1]}: not a PNG")
print(*struct.unpack(">II", data[16:24]))
PY
}

# run_installed PREFIX LABEL: the installed command line and window, from PREFIX/bin and PREFIX/share/benchtop.
run_installed() {
  local prefix=$1 label=$2
  local cli=$prefix/bin/benchtop-cli gui=$prefix/bin/benchtop data=$prefix/share/benchtop
  local out=$work/run-$label
  rm -rf "$out"; mkdir -p "$out"
  [ -x "$cli" ] || fail "$label: $cli is missing"

  note "$label: benchtop-cli --version"
  local version
  version=$(isolated "$out/home" "$cli" --version)
  echo "$version"
  [[ "$version" == *"$BENCHTOP_EXPECTED_VERSION"* ]] || fail "$label: version '$version', expected $BENCHTOP_EXPECTED_VERSION"

  note "$label: benchtop-cli devices --json"
  isolated "$out/home" "$cli" devices --json > "$out/devices.json"
  "$python" - "$out/devices.json" <<'PY' || fail "$label: devices --json"
import json, sys
doc = json.load(open(sys.argv[1]))
devices = doc["devices"] if isinstance(doc, dict) else doc
ids = [d.get("id") for d in devices]
assert "cpu" in ids, f"no cpu device in {ids}"
print("devices:", ", ".join(ids))
PY

  note "$label: methylation demo job on the shipped demo data and clock tables, offline"
  isolated "$out/home" "$cli" run "$data/demo/methylation/cohort.csv" --clocks "$clocks" \
      --sample-sheet "$data/demo/methylation/sample_sheet.csv" -o "$out/results" -q \
      || fail "$label: the demo job failed"
  local predictions=$out/results/cohort/predictions.csv
  [ -s "$predictions" ] || fail "$label: no $predictions"
  head -3 "$predictions"
  cmp "$predictions" "$work/reference-predictions.csv" \
      || fail "$label: the installed Benchtop's predictions differ from the build tree's"
  echo "predictions identical to the build tree's ($(($(wc -l < "$predictions") - 1)) samples)"

  if [ -x "$gui" ]; then
    note "$label: benchtop --version and an offscreen screenshot"
    version=$(isolated "$out/home" "$gui" --version)
    echo "$version"
    [[ "$version" == *"$BENCHTOP_EXPECTED_VERSION"* ]] || fail "$label: window version '$version'"
    isolated "$out/home" "$gui" --screenshot "$out/window.png" --screenshot-delay 500 \
        || fail "$label: the window did not start"
    local size
    size=$(png_size "$out/window.png")
    echo "screenshot $out/window.png: $size"
    read -r w h <<< "$size"
    [ "$w" -ge 600 ] && [ "$h" -ge 400 ] || fail "$label: screenshot is only ${w}x${h}"
  fi
}

export BENCHTOP_EXPECTED_VERSION=$(sed -n 's/^CMAKE_PROJECT_VERSION:STATIC=//p' "$build/CMakeCache.txt")

case $step in
build)
  rm -rf "$work"; mkdir -p "$work"
  note "cpack from $build"
  cpack --config "$build/CPackConfig.cmake" -B "$packages" > "$work/cpack.log" 2>&1 \
      || { cat "$work/cpack.log"; fail "cpack failed"; }
  tail -5 "$work/cpack.log"
  ls -l "$packages"/*.deb "$packages"/*.tar.gz "$packages"/*.rpm 2>/dev/null || true
  # The build tree's own result of the demo: the reference every installed copy must reproduce.
  isolated "$work/reference-home" "$build/app/cli/benchtop-cli" run \
      "$source/resources/demo/methylation/cohort.csv" --clocks "$clocks" \
      --sample-sheet "$source/resources/demo/methylation/sample_sheet.csv" -o "$work/reference" -q \
      || fail "the build tree's demo job failed"
  cp "$work/reference/cohort/predictions.csv" "$work/reference-predictions.csv"
  ;;

deb)
  deb=$(one "$packages" "benchtop_*.deb")
  note "dpkg-deb --info $(basename "$deb")"
  dpkg-deb --info "$deb" | tee "$work/deb-info.txt"
  depends=$(dpkg-deb --field "$deb" Depends)
  for lib in libtorch libqt6core6 libqt6widgets6 libqt6charts6 libavcodec libavformat libcurl libutf8proc libc6; do
    grep -q "$lib" <<< "$depends" || fail "Depends lacks $lib (computed from the shared libraries): $depends"
  done
  note "dpkg-deb --contents"
  dpkg-deb --contents "$deb" | awk '{print $6}' | sort > "$work/deb-contents.txt"
  id=org.benchtop.Benchtop
  for f in ./usr/bin/benchtop ./usr/bin/benchtop-cli ./usr/share/benchtop/catalog.json \
           ./usr/share/benchtop/clocks/index.json ./usr/share/benchtop/demo/methylation/cohort.csv \
           ./usr/share/applications/$id.desktop ./usr/share/metainfo/$id.metainfo.xml \
           ./usr/share/mime/packages/$id.xml ./usr/share/icons/hicolor/scalable/apps/$id.svg \
           ./usr/share/man/man1/benchtop.1.gz ./usr/share/man/man1/benchtop-cli.1.gz \
           ./usr/share/doc/benchtop/copyright ./usr/share/doc/benchtop/changelog.gz \
           ./usr/share/doc/benchtop/THIRD_PARTY_NOTICES.md; do
    grep -qx "$f" "$work/deb-contents.txt" || fail "the DEB lacks $f"
  done
  for size in 16 24 32 48 64 128 256 512; do
    grep -qx "./usr/share/icons/hicolor/${size}x${size}/apps/$id.png" "$work/deb-contents.txt" \
        || fail "the DEB lacks the ${size}x${size} icon"
  done
  echo "$(wc -l < "$work/deb-contents.txt") entries, every expected file present"

  note "unpacked: icon sizes, desktop entry, AppStream metainfo, RPATH, no build paths"
  x=$work/deb-x; rm -rf "$x"; dpkg-deb -x "$deb" "$x"
  for size in 16 24 32 48 64 128 256 512; do
    [ "$(png_size "$x/usr/share/icons/hicolor/${size}x${size}/apps/$id.png")" = "$size $size" ] \
        || fail "the ${size}x${size} icon has another size"
  done
  desktop-file-validate "$x/usr/share/applications/$id.desktop" || fail "desktop-file-validate"
  appstreamcli validate --no-net "$x/usr/share/metainfo/$id.metainfo.xml" || fail "appstreamcli validate"
  for exe in benchtop benchtop-cli; do
    runpath=$(readelf -d "$x/usr/bin/$exe" | sed -n 's/.*(RUNPATH).*\[\(.*\)\]/\1/p; s/.*(RPATH).*\[\(.*\)\]/\1/p')
    echo "$exe RUNPATH: $runpath"
    [ "$runpath" = '$ORIGIN/../lib' ] || fail "$exe has RUNPATH '$runpath', expected \$ORIGIN/../lib"
  done
  if grep -rlF -e "$source" -e "$build" "$x"; then fail "installed files name the build or source folder (above)"; fi
  echo "no installed file names $source or $build"

  note "lintian"
  lintian --fail-on error --info --tag-display-limit 0 "$deb" > "$work/lintian.txt" 2>&1 && status=0 || status=$?
  cat "$work/lintian.txt"
  echo "lintian: $(grep -c '^E:' "$work/lintian.txt" || true) errors, $(grep -c '^W:' "$work/lintian.txt" || true) warnings"
  [ $status -eq 0 ] || fail "lintian reports errors"
  ;;

deb-install)
  deb=$(one "$packages" "benchtop_*.deb")
  root=$work/scratch-root
  rm -rf "$root"; mkdir -p "$root/var/lib/dpkg/info" "$root/var/lib/dpkg/updates" "$root/var/lib/dpkg/triggers"
  touch "$root/var/lib/dpkg/status" "$root/var/lib/dpkg/available"
  # The scratch root's dpkg database knows none of the system's packages: the libraries come from the system.
  note "dpkg --root=$root --install"
  dpkg --root="$root" --log=/dev/null --force-depends --force-not-root --force-script-chrootless -i "$deb"
  dpkg --root="$root" -s benchtop | grep -q "^Status: install ok installed" || fail "dpkg does not list benchtop"
  run_installed "$root/usr" deb
  note "dpkg --root=$root --remove benchtop"
  dpkg --root="$root" --log=/dev/null --force-not-root --force-script-chrootless -r benchtop
  left=$(find "$root" -path "$root/var" -prune -o -type f -print | head -20)
  [ -z "$left" ] || fail "files left after removal: $left"
  dpkg --root="$root" -s benchtop 2>/dev/null | grep -q "^Status: install ok installed" \
      && fail "dpkg still lists benchtop"
  echo "removed cleanly: no file of the package is left"
  ;;

tgz)
  tgz=$(one "$packages" "benchtop-*-linux-*.tar.gz")
  # Any folder, with a space in its name and far from the build tree.
  dest="$work/any folder/unpacked here"
  rm -rf "$work/any folder"; mkdir -p "$dest"
  tar -xzf "$tgz" -C "$dest"
  top=$(one "$dest" "benchtop-*")
  note "unpacked to $top"
  if grep -rlF -e "$source" -e "$build" "$top"; then fail "unpacked files name the build or source folder"; fi
  run_installed "$top" tgz
  ;;

rpm)
  if ! command -v rpm >/dev/null; then echo "SKIP: rpm is not installed"; exit 0; fi
  rpmfile=$(one "$packages" "benchtop-*.rpm")
  note "rpm -qpi"
  rpm -qpi "$rpmfile"
  requires=$(rpm -qpR "$rpmfile")
  for lib in libtorch_cpu.so libQt6Widgets.so libQt6Charts.so libavcodec.so libcurl.so; do
    grep -q "$lib" <<< "$requires" || fail "the RPM does not require $lib: $requires"
  done
  rpm -qpl "$rpmfile" > "$work/rpm-contents.txt"
  for f in /usr/bin/benchtop /usr/bin/benchtop-cli /usr/share/benchtop/catalog.json \
           /usr/share/applications/org.benchtop.Benchtop.desktop; do
    grep -qx "$f" "$work/rpm-contents.txt" || fail "the RPM lacks $f"
  done
  for dir in /usr/share/applications /usr/share/icons /usr/bin /usr/share/man/man1; do
    grep -qx "$dir" "$work/rpm-contents.txt" && fail "the RPM owns the system folder $dir"
  done
  x=$work/rpm-x; rm -rf "$x"; mkdir -p "$x"
  (cd "$x" && rpm2cpio "$rpmfile" | cpio -idm --quiet)
  run_installed "$x/usr" rpm
  ;;

system)
  deb=$(one "$packages" "benchtop_*.deb")
  if [ "$(id -u)" -eq 0 ] && [ "${BENCHTOP_PACKAGING_SYSTEM_INSTALL:-0}" = 1 ]; then
    dpkg -s benchtop >/dev/null 2>&1 && fail "benchtop is already installed on this machine"
    note "apt-get install $deb"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$deb"
    run_installed /usr system
    [ -f /usr/share/applications/org.benchtop.Benchtop.desktop ] || fail "no desktop entry in /usr/share/applications"
    note "apt-get remove benchtop"
    DEBIAN_FRONTEND=noninteractive apt-get remove -y -q benchtop
    for f in /usr/bin/benchtop /usr/bin/benchtop-cli /usr/share/benchtop/catalog.json; do
      [ ! -e "$f" ] || fail "$f is left after apt-get remove"
    done
    echo "installed with apt, ran, removed cleanly"
  else
    note "apt-get install --simulate $deb (set BENCHTOP_PACKAGING_SYSTEM_INSTALL=1 as root to install for real)"
    apt-get install --simulate --no-install-recommends "$deb" | tee "$work/apt-simulate.txt"
    grep -Eq "^(Inst|Conf) benchtop " "$work/apt-simulate.txt" || fail "apt would not install benchtop"
  fi
  ;;

*) fail "unknown step $step" ;;
esac
echo "PASS: $step"
