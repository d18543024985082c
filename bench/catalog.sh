#!/usr/bin/env bash
# Measures the catalog read path, GET /api/v1/integrations/schemas (bearer auth,
# store query, JSON), against nginx serving the very same bytes from a file:
# the ratio to nginx is the headline figure (docs/performance.md).
#   bench/catalog.sh [duration_seconds=10] [connections=64]
# Everything runs on loopback; both servers get the same wrk load in one run.
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-10}
connections=${2:-64}

# shellcheck source=bench/common.sh
. bench/common.sh
bench_init

# ---- Switchboard on its embedded default (SQLite), all bundled plugins -----
sb_port=$(free_port)
cat > "$work/switchboard.yaml" <<YAML
server: {host: 127.0.0.1, port: $sb_port, threads: ${BENCH_THREADS:-64}}
database: {url: "sqlite:$work/switchboard.db"}
plugins:
  enabled: [github, vercel, sanity, supabase, mcp_oauth]
logging: {level: warning, access_log: "", file: "$work/server.log"}
YAML
start_switchboard "$work/switchboard.yaml"
path=/api/v1/integrations/schemas
curl -fsS -H "Authorization: Bearer $token" "http://127.0.0.1:$sb_port$path" > "$work/body.json"

# ---- nginx serving the same bytes with the same content type ---------------
start_nginx "$path" "$work/body.json"

# ---- one run, same load --------------------------------------------------------
sb_url="http://127.0.0.1:$sb_port$path"
ng_url="http://127.0.0.1:$ng_port$path"
echo "GET $path ($(wc -c < "$work/body.json") bytes), wrk -t2 -c$connections -d${duration}s, $(nproc) cores, server.threads=${BENCH_THREADS:-64}"
compare_with_nginx "$sb_url" "$ng_url"
