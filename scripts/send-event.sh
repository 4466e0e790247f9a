#!/usr/bin/env bash
# Sends a canonical call event, signed the Standard Webhooks way, to a running scc-zoho-sync.
#
#   SCC_WEBHOOK_SECRET=whsec_... scripts/send-event.sh [event.json] [url]
#
# Without a file it sends a small sample event with fresh ids. Needs bash, openssl and curl.
set -euo pipefail

secret="${SCC_WEBHOOK_SECRET:?set SCC_WEBHOOK_SECRET to the service webhook secret (whsec_...)}"
file="${1:-}"
url="${2:-${SCC_URL:-http://localhost:8080}/api/v1/calls/events}"

if [ -n "$file" ] && [ "$file" != "-" ]; then
  body="$(cat "$file")"
else
  n="$(date +%s)$RANDOM"
  now="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  start="$(date -u -d '-2 minutes' +%Y-%m-%dT%H:%M:%SZ 2>/dev/null || echo "$now")"
  body="{\"eventId\":\"evt_$n\",\"callId\":\"call_$n\",\"type\":\"call.ended\",\"occurredAt\":\"$now\",\
\"direction\":\"inbound\",\"status\":\"answered\",\"from\":\"+1 (415) 555-0134\",\"to\":\"+14155550100\",\
\"startedAt\":\"$start\",\"endedAt\":\"$now\",\"durationSeconds\":116,\
\"agent\":{\"id\":\"ag_17\",\"email\":\"dana@acme.example\",\"name\":\"Dana Ruiz\"},\
\"caller\":{\"email\":\"pat.lee@example.com\",\"firstName\":\"Pat\",\"lastName\":\"Lee\"},\"notes\":\"Sent by send-event.sh\"}"
fi

msg_id="msg_$(date +%s%N)"
ts="$(date +%s)"
key_b64="${secret#whsec_}"
key_hex="$(printf '%s' "$key_b64" | base64 -d | od -An -tx1 -v | tr -d ' \n')"
sig="$(printf '%s.%s.%s' "$msg_id" "$ts" "$body" | openssl dgst -sha256 -mac HMAC -macopt "hexkey:$key_hex" -binary | base64 -w0)"

curl -sS -i -X POST "$url" \
  -H 'Content-Type: application/json' \
  -H "webhook-id: $msg_id" \
  -H "webhook-timestamp: $ts" \
  -H "webhook-signature: v1,$sig" \
  --data-binary "$body"
echo
