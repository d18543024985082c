# Sourced by scripts/demo.sh and bench/status.sh: creates a project through the
# API and links it to the four providers with the values the bundled fakes
# (tests/fakes) accept. Needs $base (server URL) and $token (bearer token).
# usage: project=$(create_linked_project "Name")
create_linked_project() {
  local name=$1 project
  project=$(curl -sS -f -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
              -X POST "$base/api/v1/projects" -d "{\"name\":\"$name\"}" |
            python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
  local key body
  while read -r key body; do
    curl -sS -f -o /dev/null -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
      -X PUT "$base/api/v1/projects/$project/integrations/$key" -d "$body"
  done <<'LINKS'
github {"settings":{"repository":"acme/web","branch":"main"},"secrets":{"token":"ghp_demo_token"}}
vercel {"settings":{"projectId":"prj_demo"},"secrets":{"token":"vercel_demo_token"}}
sanity {"settings":{"projectId":"abc123de","dataset":"production"},"secrets":{"token":"sanity-contract-token"}}
supabase {"settings":{"projectRef":"abcdefghijklmnopqrst"},"secrets":{"accessToken":"sbp_contract_token"}}
LINKS
  echo "$project"
}
