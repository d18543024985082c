# A throwaway PostgreSQL server on a free loopback port (sourced by test.sh
# and the bench scripts). initdb refuses root, so as root it runs as the
# `postgres` user. Sets pg_url (a conninfo string) and pg_stop (a function
# that stops the server and removes its directory; call it from your EXIT trap).
#   throwaway_postgres_start
throwaway_postgres_start() {
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
  "${as_pg[@]}" "$pgbin/initdb" -D "$pgdir/data" -A trust -U postgres >"$pgdir/initdb.log" 2>&1 ||
    { cat "$pgdir/initdb.log"; echo "initdb failed" >&2; return 1; }
  "${as_pg[@]}" "$pgbin/pg_ctl" -D "$pgdir/data" -l "$pgdir/server.log" -w \
    -o "-p $pgport -k $pgdir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" start >/dev/null ||
    { cat "$pgdir/server.log"; echo "PostgreSQL failed to start" >&2; return 1; }
  pg_url="host=127.0.0.1 port=$pgport user=postgres dbname=postgres"
}

pg_stop() {
  [ -n "${pgdir:-}" ] || return 0
  "${as_pg[@]}" "$pgbin/pg_ctl" -D "$pgdir/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$pgdir"
  pgdir=
}
