#!/usr/bin/env bash
# Lints docs/openapi.yaml with Redocly CLI (npm, pinned, installed once into
# .cache/npm; nothing is vendored). Exits non-zero on any lint error.
#   scripts/lint-openapi.sh
set -euo pipefail
cd "$(dirname "$0")/.."
version=2.77.0
command -v npm >/dev/null || scripts/install-deps.sh lint
prefix=.cache/npm
bin=$prefix/node_modules/.bin/redocly
if [ ! -x "$bin" ] || [ "$("$bin" --version 2>/dev/null | tail -n 1)" != "$version" ]; then
  mkdir -p "$prefix"
  npm install --prefix "$prefix" --no-audit --no-fund --loglevel=error "@redocly/cli@$version" >/dev/null
fi
"$bin" lint --format=stylish docs/openapi.yaml 2>&1 | grep -v '[║╔╚]'
exit "${PIPESTATUS[0]}"
