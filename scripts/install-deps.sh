#!/usr/bin/env bash
# Installs the Debian packages Switchboard needs, only those missing (idempotent).
# usage: scripts/install-deps.sh build|test|bench|lint
set -euo pipefail

build_pkgs=(cmake ninja-build g++ pkg-config curl python3 libpoco-dev libboost-dev libyaml-cpp-dev
            libssl-dev libpq-dev libsqlite3-dev zlib1g-dev ccache
            nlohmann-json3-dev)
test_pkgs=(libgtest-dev libgmock-dev postgresql binutils)
bench_pkgs=(nginx-light wrk curl python3)
lint_pkgs=(nodejs npm)

wanted=("${build_pkgs[@]}")
case "${1:-build}" in
  build) ;;
  test) wanted+=("${test_pkgs[@]}") ;;
  bench) wanted+=("${test_pkgs[@]}" "${bench_pkgs[@]}") ;;
  # npm may come with a nodejs that is not Debian's (NodeSource bundles it): then Debian's npm cannot install.
  lint) if command -v npm >/dev/null; then wanted=(); else wanted=("${lint_pkgs[@]}"); fi ;;
  *) echo "usage: $0 build|test|bench|lint" >&2; exit 2 ;;
esac

missing=()
for pkg in "${wanted[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "Installing missing Debian packages: ${missing[*]}"
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "need root or sudo to install: ${missing[*]}" >&2; exit 1; }
  sudo_cmd=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
