#!/usr/bin/env bash
# The OAuth refresh race at scale (docs/performance.md, "Connections"): two
# Switchboard instances on one throwaway PostgreSQL, one user's GitHub grant
# (from the fake authorization server) whose access token is due for
# refresh, and CALLERS concurrent status calls, one per project so none is
# answered from the status cache, split across both instances. Reports:
#  - the token requests that reached the authorization server (target: 1);
#  - the callers' p50 / p99 / max wait;
#  - the throughput of cached status traffic while a refresh is in flight
#    (the fake's token endpoint held for 3 s: mode slow), against the same
#    load with no refresh running.
#   bench/refresh.sh [callers=1000] [duration_seconds=10] [connections=64]
set -euo pipefail
cd "$(dirname "$0")/.."
callers=${1:-1000}
duration=${2:-10}
connections=${3:-64}

# shellcheck source=bench/common.sh
. bench/common.sh
# shellcheck source=scripts/throwaway-postgres.sh
. scripts/throwaway-postgres.sh
bench_init
trap 'bench_cleanup; pg_stop' EXIT
throwaway_postgres_start

build/release/bin/switchboard-fakes --ports-file "$work/fakes.txt" > "$work/fakes.log" 2>&1 &
pids+=("$!")
for _ in $(seq 100); do [ -s "$work/fakes.txt" ] && break; sleep 0.05; done
oauth=$(url_of oauth)
oauth_control() { curl -fsS -X POST -d "$1" "$oauth/__fake/oauth" > /dev/null; }
oauth_count() { curl -fsS "$oauth/__fake/oauth" | python3 -c "import json,sys; print(json.load(sys.stdin)['$1'])"; }
set_mode() { curl -fsS -o /dev/null -X POST -d "{\"mode\":\"$1\"}" "$oauth/__fake/behaviour"; }

head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$work/secret.key"
chmod 600 "$work/secret.key"
export BENCH_OAUTH_SECRET=sb-test-client-secret-5d1e  # the fake's pre-registered client
port1=$(free_port)
port2=$(free_port)
write_config() {  # port file
  cat > "$2" <<YAML
server: {host: 127.0.0.1, port: $1, threads: 64, max_connections_per_client: 4096}
database: {url: "$pg_url"}
plugins:
  enabled:
    - {name: github, base_url: "$(url_of github)", egress: {allow_http: true, allow: [127.0.0.1]}}
secrets: {key_file: "$work/secret.key"}
status: {deadline_ms: 30000, cache_ttl_min_ms: 600000, cache_ttl_max_ms: 600000, queue_limit: 4096}
logging: {level: warning, access_log: "", file: "$work/server-$1.log"}
connections:
  - name: gh
    provider: github
    refresh_margin_ms: 60000
    egress: {allow_http: true, allow: [127.0.0.1]}
    oauth:
      client_id: sb-test-client
      client_secret: \${BENCH_OAUTH_SECRET}
      authorize_url: $oauth/authorize
      token_url: $oauth/token
      redirect_uri: http://127.0.0.1:$port1/oauth/callback
YAML
}
write_config "$port1" "$work/one.yaml"
write_config "$port2" "$work/two.yaml"
start_switchboard "$work/one.yaml"
one=http://127.0.0.1:$port1
build/release/bin/switchboard serve --config "$work/two.yaml" > "$work/serve-two.out" 2>&1 &
pids+=("$!")
for _ in $(seq 100); do grep -q "listening on" "$work/serve-two.out" && break; sleep 0.1; done
two=http://127.0.0.1:$port2

api() {  # method url [body]
  curl -fsS -X "$1" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' ${3:+-d "$3"} "$2"
}

link_project() {  # name -> project id, linked to GitHub on the connection
  local project
  project=$(api POST "$one/api/v1/projects" "{\"name\":\"$1\"}" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
  api PUT "$one/api/v1/projects/$project/integrations/github" \
    '{"settings":{"repository":"acme/web","branch":"main"},"connection":"gh"}' > /dev/null
  echo "$project"
}
status_of() { echo "$1/api/v1/integrations/status?projectId=$2"; }

# ---- connect: a token due for refresh 2 s from now (lifetime 62 s, margin 60 s),
# and at once one project whose status is then cached for the whole run ---------
oauth_control '{"accessTtlSeconds":62}'
authorize=$(api POST "$one/api/v1/connections/gh/authorize" '{}' |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["authorizationUrl"])')
location=$(curl -fsS -o /dev/null -w '%{redirect_url}' "$authorize")
curl -fsS -o /dev/null "$one/oauth/callback?${location#*\?}"
api GET "$one/api/v1/connections" | grep -q '"state":"connected"' || { echo "the connection did not connect" >&2; exit 1; }
cached=$(status_of "$one" "$(link_project cached)")
api GET "$cached" > /dev/null

# ---- one project per caller (none answered from the cache), split across both instances
echo "linking $callers projects to GitHub on the connection..."
: > "$work/urls.txt"
for i in $(seq "$callers"); do
  project=$(link_project "refresh $i")
  host=$one; [ $((i % 2)) -eq 0 ] && host=$two
  printf 'url = "%s"\noutput = /dev/null\n' "$(status_of "$host" "$project")" >> "$work/urls.txt"
done
trigger=$(status_of "$one" "$(link_project trigger)")

# ---- cached status throughput, then the same while one refresh is held 3 s --------
echo "cached status, wrk -t2 -c$connections -d${duration}s"
run_wrk no-refresh "$cached"
before=$(oauth_count tokenRequests)
set_mode slow
run_wrk refresh-held "$cached" &
wrk_pid=$!
sleep 1
api GET "$trigger" > /dev/null  # needs the token: refreshes, held 3 s by the provider
wait "$wrk_pid"
held=$(( $(oauth_count tokenRequests) - before ))
echo "ratio during refresh / without = $(ratio refresh-held no-refresh)   (token requests during the run: $held)"

# ---- the race: every caller at once on a due token -----------------------------------
set_mode ok
oauth_control '{"accessTtlSeconds":3600}'
sleep 3  # the token the trigger got (62 s) is now within the margin
before=$(oauth_count tokenRequests)
# curl runs at most 300 transfers at once: 250-caller shares, all started together.
lines_per_part=$(( 250 * 2 ))
split -l "$lines_per_part" -d -a 3 "$work/urls.txt" "$work/part."
curls=()
for part in "$work"/part.[0-9][0-9][0-9]; do
  curl -sS --no-progress-meter --parallel --parallel-immediate --parallel-max 300 -H "Authorization: Bearer $token" \
    -w '%{http_code} %{time_total}\n' -K "$part" > "$part.out" 2> "$part.err" &
  curls+=("$!")
done
wait "${curls[@]}"
after=$(oauth_count tokenRequests)
cat "$work"/part.*.out > "$work/race.txt"
ok=$(awk '$1 == 200' "$work/race.txt" | wc -l)
awk '{print $2 * 1000}' "$work/race.txt" | sort -n > "$work/race.ms"
pct() { awk -v p="$1" '{a[NR]=$1} END {i=int(NR*p/100); if (i<1) i=1; printf "%.0f", a[i]}' "$work/race.ms"; }
echo "race: $callers concurrent callers on 2 instances (one PostgreSQL), one grant due for refresh"
echo "  token requests made   $((after - before))   (target 1)"
echo "  answered 200          $ok / $callers"
cat "$work"/part.*.err | sort | uniq -c | sed 's/^/  curl: /'
awk '$1 != 200 {print $1}' "$work/race.txt" | sort | uniq -c | sed 's/^/  other status: /'
echo "  wait p50 $(pct 50) ms   p99 $(pct 99) ms   max $(pct 100) ms"
report_wrk_errors
report_memory "$sb_pid"
