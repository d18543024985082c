#!/usr/bin/env bash
# Workspace sync against the GitHub fake (docs/performance.md, "Sync"):
#  1. preview of a 100,000-file tree, listed truncated (the fake truncates
#     above 20,000 entries, as GitHub does above 100,000 / 7 MB) and walked by
#     subtrees: wall time of GET /sync with the fake answering at once, the
#     time the fake spent making its replies (its busyMicros), the server's
#     time as the difference (the server's and the plugin's, not the fake's),
#     and the server's peak RSS (VmHWM);
#  2. a pull of 4,000 files with one sync.progress event per file;
#  3. a push of 4,000 changed text files in one commit, counting the GitHub
#     requests the push made (target <= 5).
#   bench/sync.sh [files=100000]
set -euo pipefail
cd "$(dirname "$0")/.."
files=${1:-100000}

# shellcheck source=bench/common.sh
. bench/common.sh
bench_init

start_fakes() {  # files truncate
  build/release/bin/switchboard-fakes --github-files "$1" --github-truncate "$2" --ports-file "$work/fakes.txt" \
    > "$work/fakes.log" 2>&1 &
  fakes_pid=$!
  pids+=("$fakes_pid")
  for _ in $(seq 600); do [ -s "$work/fakes.txt" ] && break; sleep 0.1; done
}

start_server() {
  sb_port=$(free_port)
  head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$work/secret.key"
  chmod 600 "$work/secret.key"
  cat > "$work/switchboard.yaml" <<YAML
server: {host: 127.0.0.1, port: $sb_port, threads: 8, max_body_bytes: 1048576}
database: {url: "sqlite:$work/switchboard-$1.db"}
plugins:
  enabled:
    - {name: github, base_url: "$(url_of github)", max_response_bytes: 67108864, egress: {allow_http: true, allow: [127.0.0.1]}}
secrets: {key_file: "$work/secret.key"}
logging: {level: warning, access_log: "", file: "$work/server.log"}
YAML
  start_switchboard "$work/switchboard.yaml"
  base="http://127.0.0.1:$sb_port"
  project=$(curl -fsS -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
    -d '{"name":"bench"}' "$base/api/v1/projects" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
  curl -fsS -o /dev/null -X PUT -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
    -d '{"settings":{"repository":"acme/web","branch":"main"},"secrets":{"token":"ghp_bench"}}' \
    "$base/api/v1/projects/$project/integrations/github"
}

fake_field() { curl -fsS "$(url_of github)/__fake/behaviour" | python3 -c "import json,sys; print(json.load(sys.stdin)['$1'])"; }
fake_requests() { fake_field requests; }

wait_job() {  # job id -> prints the final job JSON
  for _ in $(seq 6000); do
    job=$(curl -fsS -H "Authorization: Bearer $token" "$base/api/v1/projects/$project/sync/jobs/$1")
    case "$job" in *'"state":"succeeded"'*|*'"state":"failed"'*) echo "$job"; return;; esac
    sleep 0.1
  done
  echo "job $1 did not finish" >&2; exit 1
}

# ---- 1. preview of a big truncated tree ---------------------------------------
start_fakes "$files" 20000
start_server preview
for run in 1 2 3; do
  busy=$(fake_field busyMicros)
  wall=$(curl -fsS -o "$work/preview.json" -w '%{time_total}' -H "Authorization: Bearer $token" \
    "$base/api/v1/projects/$project/sync")
  fake_s=$(python3 -c "print(($(fake_field busyMicros) - $busy) / 1e6)")
  echo "run $run: wall $wall s, fake $fake_s s, server $(python3 -c "print(round($wall - $fake_s, 3))") s"
done
pulls=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["to_pull"]))' "$work/preview.json")
echo "preview of $files files (truncated, walked by subtrees): to_pull=$pulls;" \
     "server peak RSS $(awk '/^VmHWM/ {print $2}' "/proc/$sb_pid/status") KiB"
kill "$sb_pid" "$fakes_pid"; wait "$sb_pid" "$fakes_pid" 2>/dev/null || true

# ---- 2. pull of 4,000 files, 3. push of 4,000 changed files -------------------
start_fakes 4000 100000
start_server pull
curl -fsS -N -H "Authorization: Bearer $token" "$base/api/v1/integrations/events?projectId=$project" \
  > "$work/events.txt" &
pids+=("$!")
sleep 0.5
start=$(date +%s.%N)
job=$(curl -fsS -X POST -H "Authorization: Bearer $token" -H 'Content-Type: application/json' -d '{}' \
  "$base/api/v1/projects/$project/sync" | python3 -c 'import json,sys; print(json.load(sys.stdin)["jobId"])')
wait_job "$job" > "$work/pull.json"
end=$(date +%s.%N)
sleep 1
echo "pull of 4000 files: $(python3 -c "print(round($end - $start, 2))") s," \
     "sync.progress events: $(grep -c '^event: sync.progress' "$work/events.txt")," \
     "result: $(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["result"])' "$work/pull.json")"

curl -fsS -H "Authorization: Bearer $token" "$base/api/v1/projects/$project/files" |
  python3 -c 'import json,sys; [print(f["path"]) for f in json.load(sys.stdin)["items"]]' > "$work/paths.txt"
while read -r path; do
  echo "changed $path" | curl -fsS -o /dev/null -X PUT -H "Authorization: Bearer $token" \
    -H 'Content-Type: application/octet-stream' --data-binary @- "$base/api/v1/projects/$project/files/$path"
done < "$work/paths.txt"
before=$(fake_requests)
start=$(date +%s.%N)
job=$(curl -fsS -X POST -H "Authorization: Bearer $token" -H 'Content-Type: application/json' -d '{}' \
  "$base/api/v1/projects/$project/sync" | python3 -c 'import json,sys; print(json.load(sys.stdin)["jobId"])')
wait_job "$job" > "$work/push.json"
end=$(date +%s.%N)
after=$(fake_requests)
# The sync's requests: the branch for the plan (its head is the one the pull
# left, so no tree listing), then the push (GET commit, POST tree, POST
# commit, PATCH ref).
echo "push of $(wc -l < "$work/paths.txt") changed files in one commit: $(python3 -c "print(round($end - $start, 2))") s," \
     "GitHub requests for the whole sync: $((after - before)) (plan 1 + push 4)," \
     "result: $(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["result"])' "$work/push.json")"
