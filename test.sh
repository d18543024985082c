#!/usr/bin/env bash
# Builds Switchboard with warnings as errors and runs the whole suite against
# SQLite and a throwaway PostgreSQL server started here (as the `postgres` user
# when run as root). Exits non-zero on any failure.
#   SWITCHBOARD_SANITIZE=1 ./test.sh   the same under ASan+UBSan (build/asan)
set -euo pipefail
cd "$(dirname "$0")"
root=$(pwd)

scripts/install-deps.sh test

if [ "${SWITCHBOARD_SANITIZE:-0}" = 1 ]; then
  build=build/asan; sanitize=ON; type=Debug
else
  build=build/test; sanitize=OFF; type=RelWithDebInfo
fi

# ---- a throwaway PostgreSQL on a free loopback port -------------------------
# shellcheck source=scripts/throwaway-postgres.sh
. scripts/throwaway-postgres.sh
trap pg_stop EXIT
throwaway_postgres_start
echo "PostgreSQL for tests: $pg_url"

# ---- build and test ------------------------------------------------------------
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=$type -DSWITCHBOARD_WERROR=ON \
  -DSWITCHBOARD_SANITIZE=$sanitize -DSWITCHBOARD_TEST_PG="$pg_url" >/dev/null
cmake --build "$build" --parallel "$(nproc)"

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
cd "$build"
status=0
ctest --output-on-failure --timeout 600 -j 2 || status=$?
cd "$root"
exit $status
