#!/usr/bin/env bash
# The cached status call with 1,000 slow-header clients attached, against
# none, in one run (docs/performance.md). Each slow client sends a request
# line and then one header line every 2 s, never finishing its head
# (slowloris); the server cuts each off at server.header_timeout_ms (10 s) and
# the holder replaces it, so 1,000 stay attached throughout.
#   bench/slow_clients.sh [duration_seconds=10] [connections=64] [slow=1000]
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-10}
connections=${2:-64}
slow=${3:-1000}

# shellcheck source=bench/common.sh
. bench/common.sh
bench_init
ulimit -n "$(ulimit -Hn)"

# wrk and the slow clients all come from 127.0.0.1: raise the per-client cap.
start_status_stack 100 "max_connections_per_client: $((slow + connections + 64))"
project=$(create_linked_project "slow clients")
url="$base/api/v1/integrations/status?projectId=$project"
curl -fsS -o /dev/null -H "Authorization: Bearer $token" "$url"

echo "GET /api/v1/integrations/status (cached), wrk -t2 -c$connections -d${duration}s, $(nproc) cores"
run_wrk status-alone "$url"
build/release/bin/conn_holder slow "$sb_port" "$slow" $((duration + 14)) 2000 > "$work/slow.out" &
holder=$!
pids+=("$holder")
for _ in $(seq 200); do grep -q attached "$work/slow.out" && break; sleep 0.05; done
sleep 2  # let the slow heads start dribbling
run_wrk "status-$slow-slow" "$url"
wait "$holder" || true
echo "slow clients: $(tr '\n' ' ' < "$work/slow.out")"
echo "ratio with $slow slow / alone = $(ratio "status-$slow-slow" status-alone)"
report_wrk_errors
report_memory "$sb_pid"
