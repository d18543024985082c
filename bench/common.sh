# Shared by the bench scripts (sourced): a scratch directory, process cleanup,
# free ports, nginx serving a file, and wrk runs reported as req/s, p50, p99.
# Expects $work to be set by bench_init and $connections/$duration by the caller.

bench_init() {
  scripts/install-deps.sh bench
  cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release -DSWITCHBOARD_BUILD_TESTS=OFF >/dev/null
  cmake --build build/release --parallel "$(nproc)" >/dev/null
  work=$(mktemp -d /tmp/switchboard-bench.XXXXXX)
  chmod 755 "$work"
  pids=()
  trap bench_cleanup EXIT
}

bench_cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# start_switchboard CONFIG: starts the release server; sets sb_pid and token.
start_switchboard() {
  build/release/bin/switchboard serve --config "$1" > "$work/serve.out" 2>&1 &
  sb_pid=$!
  pids+=("$sb_pid")
  for _ in $(seq 1 100); do grep -q "listening on" "$work/serve.out" && break; sleep 0.1; done
  grep -q "listening on" "$work/serve.out" || { cat "$work/serve.out"; exit 1; }
  token=$(grep -o 'sbt_[A-Za-z0-9_-]*' "$work/serve.out" | head -n 1)
}

# start_nginx PATH BODYFILE: nginx serving BODYFILE's bytes at PATH; sets ng_port.
start_nginx() {
  local path=$1 body=$2
  ng_port=$(free_port)
  mkdir -p "$work/www$(dirname "$path")"
  cp "$body" "$work/www$path"
  chmod -R a+rX "$work/www"
  cat > "$work/nginx.conf" <<NGINX
worker_processes auto;
pid $work/nginx.pid;
error_log $work/nginx-error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $work/nginx-body;
  keepalive_requests 100000;
  server {
    listen 127.0.0.1:$ng_port backlog=1024;
    root $work/www;
    location / { default_type "application/json; charset=utf-8"; }
  }
}
NGINX
  nginx -c "$work/nginx.conf" -g 'daemon off;' &
  pids+=("$!")
  for _ in $(seq 1 50); do curl -fsS -o /dev/null "http://127.0.0.1:$ng_port$path" 2>/dev/null && break; sleep 0.1; done
  cmp -s "$body" <(curl -fsS "http://127.0.0.1:$ng_port$path") ||
    { echo "nginx does not serve the same bytes" >&2; exit 1; }
}

run_wrk() {  # name url [extra header]
  local extra=()
  [ -n "${3:-}" ] && extra=(-H "$3")
  wrk -t2 -c"$connections" -d"${duration}s" --latency -H "Authorization: Bearer $token" \
    "${extra[@]}" "$2" > "$work/$1.wrk"
  local rps p50 p99
  rps=$(awk '/^Requests\/sec/ {print $2}' "$work/$1.wrk")
  p50=$(awk '$1=="50%" {print $2}' "$work/$1.wrk")
  p99=$(awk '$1=="99%" {print $2}' "$work/$1.wrk")
  printf '%-18s %12s req/s   p50 %-9s p99 %-9s\n' "$1" "$rps" "$p50" "$p99"
  echo "$rps" > "$work/$1.rps"
}

ratio() {  # a b
  awk -v a="$(cat "$work/$1.rps")" -v b="$(cat "$work/$2.rps")" 'BEGIN { printf "%.2f", a / b }'
}

etag_of() {  # url
  curl -fsS -o /dev/null -D - -H "Authorization: Bearer $token" "$1" |
    awk 'tolower($1)=="etag:" {sub(/\r$/, "", $2); print $2}'
}

report_wrk_errors() {
  local errors
  errors=$(grep -H "Non-2xx\|Socket errors" "$work"/*.wrk | grep -v -- "-304.wrk:Non-2xx" || true)
  [ -z "$errors" ] || echo "wrk reported: $errors"
}

report_memory() {  # pid
  grep -E "VmHWM|VmRSS" "/proc/$1/status" | awk '{printf "switchboard memory  %s %s %s\n", $1, $2, $3}'
}

# compare_with_nginx SB_URL NG_URL: checks that Switchboard answers its own
# ETag with 304, then loads both with wrk (200, then 304 revalidation) and
# prints the ratios, wrk errors and the server's memory (sb_pid).
compare_with_nginx() {
  local sb_url=$1 ng_url=$2 sb_etag ng_etag
  sb_etag=$(etag_of "$sb_url")
  ng_etag=$(etag_of "$ng_url")
  [ "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" -H "If-None-Match: $sb_etag" "$sb_url")" = 304 ] ||
    { echo "switchboard did not answer 304 to its own ETag" >&2; exit 1; }
  run_wrk nginx-200 "$ng_url"
  run_wrk switchboard-200 "$sb_url"
  run_wrk nginx-304 "$ng_url" "If-None-Match: $ng_etag"
  run_wrk switchboard-304 "$sb_url" "If-None-Match: $sb_etag"
  echo "ratio 200  switchboard/nginx = $(ratio switchboard-200 nginx-200)"
  echo "ratio 304  switchboard/nginx = $(ratio switchboard-304 nginx-304)"
  report_wrk_errors
  report_memory "$sb_pid"
}

# start_status_stack LATENCY_MS [EXTRA_SERVER_KEYS] [EXTRA_SECTIONS]: the four
# provider fakes (each answering in LATENCY_MS), Switchboard on SQLite with
# every status plugin pointed at its fake, and scripts/demo_project.sh
# sourced. Sets url_of(), sb_port, base, sb_pid and token. EXTRA_SERVER_KEYS
# is appended inside the server mapping (e.g. "max_connections_per_client:
# 4096"); EXTRA_SECTIONS are further top-level YAML lines.
start_status_stack() {
  local latency=$1 extra=${2:-} sections=${3:-}
  build/release/bin/switchboard-fakes --latency-ms "$latency" --ports-file "$work/fakes.txt" > "$work/fakes.log" 2>&1 &
  pids+=("$!")
  for _ in $(seq 100); do [ -s "$work/fakes.txt" ] && break; sleep 0.05; done
  sb_port=$(free_port)
  head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$work/secret.key"
  chmod 600 "$work/secret.key"
  cat > "$work/switchboard.yaml" <<YAML
server: {host: 127.0.0.1, port: $sb_port, threads: ${BENCH_THREADS:-64}${extra:+, $extra}}
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
$sections
YAML
  start_switchboard "$work/switchboard.yaml"
  base="http://127.0.0.1:$sb_port"
  # shellcheck source=scripts/demo_project.sh
  . scripts/demo_project.sh
}

url_of() { awk -v p="$1" '$1 == p { print $2 }' "$work/fakes.txt"; }

# rss_kb PID: resident set size in KiB.
rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }
