#!/usr/bin/env bash
# Measures GET /api/v1/integrations/status (docs/performance.md) in one run:
#  - a cached status call and a 304 revalidation, against nginx serving the
#    very same JSON bytes (the ratio to nginx is the headline figure);
#  - cold aggregation latency with the four provider fakes each answering in
#    100 ms (parallel adapters: about 100 ms, not 400 ms);
#  - latency with one provider hung (about the 2 s deadline).
#   bench/status.sh [duration_seconds=10] [connections=64] [cold_samples=5]
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-10}
connections=${2:-64}
samples=${3:-5}

# shellcheck source=bench/common.sh
. bench/common.sh
bench_init

# ---- the provider fakes, each answering in 100 ms ---------------------------
build/release/bin/switchboard-fakes --latency-ms 100 --ports-file "$work/fakes.txt" > "$work/fakes.log" 2>&1 &
pids+=("$!")
for _ in $(seq 100); do [ -s "$work/fakes.txt" ] && break; sleep 0.05; done
url_of() { awk -v p="$1" '$1 == p { print $2 }' "$work/fakes.txt"; }

# ---- Switchboard (SQLite) with every plugin pointed at its fake --------------
sb_port=$(free_port)
head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$work/secret.key"
chmod 600 "$work/secret.key"
cat > "$work/switchboard.yaml" <<YAML
server: {host: 127.0.0.1, port: $sb_port, threads: ${BENCH_THREADS:-64}}
database: {url: "sqlite:$work/switchboard.db"}
plugins:
  enabled:
    - {name: github, base_url: "$(url_of github)", egress: {allow_http: true, allow: [127.0.0.1]}}
    - {name: vercel, base_url: "$(url_of vercel)", egress: {allow_http: true, allow: [127.0.0.1]}}
    - {name: sanity, base_url: "$(url_of sanity)", egress: {allow_http: true, allow: [127.0.0.1]}}
    - {name: supabase, base_url: "$(url_of supabase)", egress: {allow_http: true, allow: [127.0.0.1]}}
secrets: {key_file: "$work/secret.key"}
status: {deadline_ms: 2000}
logging: {level: warning, access_log: "", file: "$work/server.log"}
YAML
start_switchboard "$work/switchboard.yaml"
base="http://127.0.0.1:$sb_port"
# shellcheck source=scripts/demo_project.sh
. scripts/demo_project.sh

status_url() { echo "$base/api/v1/integrations/status?projectId=$1"; }
timed_ms() {  # url -> total time of one request in ms
  curl -fsS -o /dev/null -w '%{time_total}' -H "Authorization: Bearer $token" "$1" | awk '{printf "%.0f", $1 * 1000}'
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

echo "GET /api/v1/integrations/status, $(nproc) cores, server.threads=${BENCH_THREADS:-64}"
# ---- cold: a fresh project each time, so nothing is cached ------------------
for i in $(seq "$samples"); do
  project=$(create_linked_project "cold $i")
  timed_ms "$(status_url "$project")"
  echo
done > "$work/cold.ms"
echo "cold, 4 fakes x 100 ms   median $(median < "$work/cold.ms") ms  (samples: $(tr '\n' ' ' < "$work/cold.ms"))"

# ---- one provider hung: the reply comes at the deadline ------------------------
curl -fsS -o /dev/null -X POST -d '{"mode":"hang"}' "$(url_of vercel)/__fake/behaviour"
for i in $(seq 3); do
  project=$(create_linked_project "hung $i")
  timed_ms "$(status_url "$project")"
  echo
done > "$work/hung.ms"
curl -fsS -o /dev/null -X POST -d '{"mode":"ok"}' "$(url_of vercel)/__fake/behaviour"
echo "vercel hung, deadline 2000 ms  median $(median < "$work/hung.ms") ms  (samples: $(tr '\n' ' ' < "$work/hung.ms"))"

# ---- cached: one warmed project under wrk, against nginx -------------------------
project=$(create_linked_project "cached")
sb_url=$(status_url "$project")
curl -fsS -o /dev/null -H "Authorization: Bearer $token" "$sb_url"
curl -fsS -H "Authorization: Bearer $token" "$sb_url" > "$work/body.json"
path=/api/v1/integrations/status.json
start_nginx "$path" "$work/body.json"
ng_url="http://127.0.0.1:$ng_port$path"
echo "cached reply $(wc -c < "$work/body.json") bytes, wrk -t2 -c$connections -d${duration}s"
compare_with_nginx "$sb_url" "$ng_url"
