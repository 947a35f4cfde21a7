#!/usr/bin/env bash
# Installs Benchtop's build and test dependencies on Debian 12 (bookworm). Safe to re-run.
set -euo pipefail

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive

# Catch2 3 comes from bookworm-backports.
if ! grep -rqs "bookworm-backports" /etc/apt/sources.list /etc/apt/sources.list.d/; then
  echo "deb http://deb.debian.org/debian bookworm-backports main" | $SUDO tee /etc/apt/sources.list.d/bookworm-backports.list >/dev/null
fi

PACKAGES=(
  cmake ninja-build g++ ccache pkg-config git
  qt6-base-dev qt6-charts-dev libqt6opengl6-dev libquazip1-qt6-dev
  libtorch-dev libopenblas0-openmp
  libavformat-dev libavcodec-dev libswresample-dev libavutil-dev
  libutf8proc-dev nlohmann-json3-dev libcurl4-openssl-dev libssl-dev zlib1g-dev
  libsentencepiece-dev libcli11-dev
  # The local server (core/serve): cpp-httplib, with the OpenSSL, zlib and brotli headers its Cflags name.
  libcpp-httplib-dev libbrotli-dev
  # CpGPT run natively (core/methyl/cpgpt): yaml-cpp reads config.yaml, SQLite the dependency files' index.
  libyaml-cpp-dev libsqlite3-dev
  # Slurm scale-out tests (tests/cli/test_slurm): a real single-node Slurm on loopback (tools/slurm).
  slurm-wlm munge
  # Desktop: Chinese translations (lupdate/lrelease, Qt's own qtbase_*.qm), a CJK font for the zh screenshots and
  # the offscreen tests, and the platform keychain for the Hugging Face token (optional at build time).
  qt6-tools-dev qt6-l10n-tools qt6-translations-l10n fonts-noto-cjk qtkeychain-qt6-dev
  xvfb xauth python3
  # The formatting check (tests: format:check) uses Debian 12's clang-format, version 14.
  clang-format-14
  # Packaging and its tests: CPack's DEB (dpkg-shlibdeps) and RPM generators, lintian, desktop-file-validate,
  # appstreamcli, rpm2cpio | cpio, and windres for the Windows resource-script check.
  dpkg-dev lintian desktop-file-utils appstream rpm cpio binutils-mingw-w64-x86-64
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
catch2_ok=1
dpkg-query -W -f='${Version}' catch2 2>/dev/null | grep -q '^3' || catch2_ok=0

if [ ${#missing[@]} -gt 0 ] || [ $catch2_ok -eq 0 ]; then
  $SUDO apt-get update -q
  if [ ${#missing[@]} -gt 0 ]; then
    $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
  fi
  if [ $catch2_ok -eq 0 ]; then
    $SUDO apt-get install -y -q --no-install-recommends -t bookworm-backports catch2
  fi
fi
echo "Benchtop dependencies are installed."
