#!/usr/bin/env bash
# Memory per idle keep-alive connection (docs/performance.md): the server's
# RSS before and with 10,000 connections that each completed one request and
# then sit idle, in one run.
#   bench/idle.sh [connections=10000] [hold_seconds=5]
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-10000}
hold=${2:-5}

# shellcheck source=bench/common.sh
. bench/common.sh
bench_init
ulimit -n "$(ulimit -Hn)"

sb_port=$(free_port)
cat > "$work/switchboard.yaml" <<YAML
server: {host: 127.0.0.1, port: $sb_port, idle_timeout_ms: 600000,
         max_connections: $((count + 100)), max_connections_per_client: $((count + 100))}
database: {url: "sqlite:$work/switchboard.db"}
plugins: {enabled: [github, vercel, sanity, supabase, mcp_oauth]}
logging: {level: warning, access_log: "", file: "$work/server.log"}
YAML
start_switchboard "$work/switchboard.yaml"
# Warm up: a few hundred requests, so per-thread buffers and caches exist.
for _ in $(seq 200); do curl -fsS -o /dev/null "http://127.0.0.1:$sb_port/healthz"; done
before=$(rss_kb "$sb_pid")
build/release/bin/conn_holder idle "$sb_port" "$count" "$hold" > "$work/idle.out" &
holder=$!
pids+=("$holder")
for _ in $(seq 1200); do grep -q ready "$work/idle.out" && break; sleep 0.05; done
sleep 1
with=$(rss_kb "$sb_pid")
open=$(ss -Htn state established "( sport = :$sb_port )" | wc -l)
wait "$holder" || true
echo "idle keep-alive connections: $(cat "$work/idle.out") (server side established: $open)"
echo "switchboard RSS before ${before} KiB, with $count idle ${with} KiB"
awk -v a="$before" -v b="$with" -v n="$count" 'BEGIN { printf "per connection %.1f KiB (%.0f bytes)\n", (b - a) / n, (b - a) * 1024 / n }'
