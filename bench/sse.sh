#!/usr/bin/env bash
# Live events under load (docs/performance.md), in one run: 10,000 SSE
# subscribers on one project (bench/sse_load.cpp, Boost.Asio, one thread)
# against the server on this machine's cores, measuring
#  - the server's RSS per 1,000 subscribers;
#  - status-call req/s from wrk with the subscribers attached against none;
#  - fan-out: from starting a quick action to each subscriber's receipt of
#    its first event, p50 and p99 over every subscriber and round;
#  - a reconnect storm: all of them resume at once with Last-Event-ID and
#    must receive exactly the events they missed;
#  - the yardstick (bench/fanout_floor.cpp): the same number of bytes sent
#    with plain send() to as many loopback connections, from one thread per
#    core, and the fan-out p99 as a ratio of its p99.
#   bench/sse.sh [subscribers=10000] [rounds=5] [duration_seconds=10] [connections=64]
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-10000}
rounds=${2:-5}
duration=${3:-10}
connections=${4:-64}

# shellcheck source=bench/common.sh
. bench/common.sh
bench_init
ulimit -n "$(ulimit -Hn)"

start_status_stack 0 "max_connections: $((count + 500)), max_connections_per_client: $((count + 500)), max_queued: $((count + 500))" \
  "actions: {rate_limit: 1000}
events: {heartbeat_ms: 15000}"
project=$(create_linked_project "live")
status_url="$base/api/v1/integrations/status?projectId=$project"
curl -fsS -o /dev/null -H "Authorization: Bearer $token" "$status_url"

echo "SSE: $count subscribers on one project, $(nproc) cores; wrk -t2 -c$connections -d${duration}s on the status call"
run_wrk "status, 0 attached" "$status_url"
before=$(rss_kb "$sb_pid")

hold=$((duration + 3))
build/release/bin/sse_load "$sb_port" "$token" "$project" "$count" "$hold" "$rounds" > "$work/sse.out" 2> "$work/sse.err" &
client=$!
pids+=("$client")
for _ in $(seq 1200); do grep -q '^attached' "$work/sse.out" && break; sleep 0.1; done
grep '^attached' "$work/sse.out" || { cat "$work/sse.out" "$work/sse.err"; exit 1; }
sleep 1
with=$(rss_kb "$sb_pid")
run_wrk "status, attached" "$status_url"
wait "$client" && storm=ok || storm=failed
cat "$work/sse.out" | grep -v '^attached'
[ -s "$work/sse.err" ] && cat "$work/sse.err"
echo "switchboard RSS: ${before} KiB with none, ${with} KiB with $count attached"
awk -v a="$before" -v b="$with" -v n="$count" 'BEGIN { printf "RSS per 1,000 subscribers: %.0f KiB\n", (b - a) * 1000 / n }'
echo "status req/s attached / none: $(ratio "status, attached" "status, 0 attached")"
echo "reconnect storm: $storm"

# The yardstick, alone: the server holds no stream now.
bytes=$(awk '/^first_read_bytes/ { print $3 }' "$work/sse.out")
[ -n "$bytes" ] || { echo "no fan-out figure: no yardstick"; exit 1; }
build/release/bin/fanout_floor "$count" "$bytes" "$rounds" "$(nproc)" > "$work/floor.out"
grep -v '^floor round' "$work/floor.out"
fan=$(awk '/^fanout_ms/ { print $7 }' "$work/sse.out")
floor=$(awk '/^floor_ms/ { print $7 }' "$work/floor.out")
echo "fan-out p99 / yardstick p99 ($bytes bytes to each): $(awk -v a="$fan" -v b="$floor" 'BEGIN { printf "%.2f", a / b }')"
[ "$storm" = ok ]
