#!/usr/bin/env bash
# Builds Switchboard (Release) and starts it on its embedded default: SQLite
# under var/, every bundled plugin enabled, http://127.0.0.1:8080.
# usage: ./run.sh [extra args for `switchboard serve`]
#        ./run.sh --demo   (bundled provider fakes + a linked demo project; scripts/demo.sh)
set -euo pipefail
cd "$(dirname "$0")"

scripts/install-deps.sh build
cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release -DSWITCHBOARD_BUILD_TESTS=OFF >/dev/null
cmake --build build/release --parallel "$(nproc)"

if [ "${1:-}" = "--demo" ]; then
  exec scripts/demo.sh build/release
fi

mkdir -p var
if [ ! -f var/secret.key ]; then
  # 32 random bytes, hex: the key that encrypts secrets at rest.
  (umask 077 && head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' > var/secret.key)
  echo "Created var/secret.key (mode 0600)"
fi

exec build/release/bin/switchboard serve --config config/switchboard.yaml "$@"
