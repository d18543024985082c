#!/usr/bin/env bash
# `./run.sh --demo`: Switchboard with the bundled provider fakes on loopback
# and a demo project linked to GitHub, Vercel, Sanity and Supabase (Supabase
# degraded: its auth service reports UNHEALTHY), so the status call can be
# tried with no provider account. Everything lives in var/demo/ and is
# recreated on every start. Stop with Ctrl-C.
# usage: scripts/demo.sh BUILD_DIR   (run.sh passes build/release)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/release}
port=${SWITCHBOARD_DEMO_PORT:-8080}
demo=var/demo
rm -rf "$demo"
mkdir -p "$demo"
(umask 077 && head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$demo/secret.key")

fakes_pid=""
server_pid=""
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
  [ -n "$fakes_pid" ] && kill "$fakes_pid" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap cleanup EXIT
trap 'exit 0' INT TERM

"$build/bin/switchboard-fakes" --mode supabase=auth_unhealthy --ports-file "$demo/fakes.txt" > "$demo/fakes.log" 2>&1 &
fakes_pid=$!
for _ in $(seq 100); do [ -s "$demo/fakes.txt" ] && break; sleep 0.05; done
[ -s "$demo/fakes.txt" ] || { echo "the provider fakes did not start; see $demo/fakes.log" >&2; exit 1; }
url_of() { awk -v p="$1" '$1 == p { print $2 }' "$demo/fakes.txt"; }

cat > "$demo/switchboard.yaml" <<YAML
# Written by scripts/demo.sh: every plugin points at its local fake.
server:
  host: 127.0.0.1
  port: $port
database:
  url: sqlite:switchboard.db
plugins:
  directory: $PWD/$build/plugins
  enabled:
    - { name: github, base_url: "$(url_of github)", egress: { allow_http: true, allow: [127.0.0.1] } }
    - { name: vercel, base_url: "$(url_of vercel)", egress: { allow_http: true, allow: [127.0.0.1] } }
    - { name: sanity, base_url: "$(url_of sanity)", egress: { allow_http: true, allow: [127.0.0.1] } }
    - { name: supabase, base_url: "$(url_of supabase)", egress: { allow_http: true, allow: [127.0.0.1] } }
    - mcp_oauth
secrets:
  key_file: secret.key
logging:
  access_log: access.log
  file: server.log
YAML

"$build/bin/switchboard" serve --config "$demo/switchboard.yaml" > "$demo/serve.out" 2>&1 &
server_pid=$!
for _ in $(seq 200); do grep -q "listening on" "$demo/serve.out" 2>/dev/null && break; sleep 0.05; done
grep -q "listening on" "$demo/serve.out" || { cat "$demo/serve.out" >&2; exit 1; }
token=$(sed -n "s/^Admin token for user 'admin': \(sbt_[A-Za-z0-9_-]*\).*/\1/p" "$demo/serve.out" | head -1)
[ -n "$token" ] || token=$(grep -o 'sbt_[A-Za-z0-9_-]*' "$demo/serve.out" | head -1)
base="http://127.0.0.1:$port"
# shellcheck source=scripts/demo_project.sh
. scripts/demo_project.sh
project=$(create_linked_project "Demo workspace")

cat <<TEXT

Switchboard demo on $base (provider fakes: $demo/fakes.txt; logs: $demo/)
Project "Demo workspace" ($project) is linked to GitHub, Vercel, Sanity and
Supabase; Supabase's auth service is degraded.

Admin token: $token

Try:
  curl -s -H 'Authorization: Bearer $token' '$base/api/v1/integrations/status?projectId=$project'

Revalidate with the ETag it returned (304, no body):
  curl -si -H 'Authorization: Bearer $token' -H 'If-None-Match: W/"<hash>"' '$base/api/v1/integrations/status?projectId=$project'

Metrics: curl -s $base/metrics
Break a provider: curl -s -X POST -d '{"mode":"server_error"}' $(url_of github)/__fake/behaviour
Press Ctrl-C to stop.
TEXT
wait "$server_pid"
