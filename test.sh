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
pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
pgdir=$(mktemp -d /tmp/switchboard-pg.XXXXXX)
chmod 755 "$pgdir"
as_pg=()
if [ "$(id -u)" -eq 0 ]; then
  chown postgres "$pgdir"
  as_pg=(runuser -u postgres --)
fi
pgport=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null ||
         echo $((20000 + RANDOM % 20000)))
stop_pg() {
  "${as_pg[@]}" "$pgbin/pg_ctl" -D "$pgdir/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$pgdir"
}
trap stop_pg EXIT
"${as_pg[@]}" "$pgbin/initdb" -D "$pgdir/data" -A trust -U postgres >"$pgdir/initdb.log" 2>&1 ||
  { cat "$pgdir/initdb.log"; echo "initdb failed" >&2; exit 1; }
"${as_pg[@]}" "$pgbin/pg_ctl" -D "$pgdir/data" -l "$pgdir/server.log" -w \
  -o "-p $pgport -k $pgdir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" start >/dev/null ||
  { cat "$pgdir/server.log"; echo "PostgreSQL failed to start" >&2; exit 1; }
pg_url="host=127.0.0.1 port=$pgport user=postgres dbname=postgres"
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
