#!/usr/bin/env bash
# Start the action server and the Rasa server in the foreground; Ctrl-C stops both.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
source scripts/env.sh
MODEL=$(ls -t bot/models/*.tar.gz 2>/dev/null | head -n 1 || true)
[ -n "$MODEL" ] || { echo "no trained model in bot/models: run 'make train'" >&2; exit 1; }

# Refuse to start with malformed routing rules (the message names the rule).
.venv/bin/intake route >/dev/null || { echo "fix intake/routing/rules.yml before starting" >&2; exit 1; }

pids=()
stop() { trap - INT TERM EXIT; kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; }
trap stop INT TERM EXIT

.venv/bin/python -m bot.action_server --actions bot.actions --port "$ACTIONS_PORT" &
pids+=($!)
.venv/bin/rasa run --model "$MODEL" --endpoints endpoints.yml --credentials credentials.yml \
  --port "$RASA_PORT" --interface 127.0.0.1 --enable-api --auth-token "$RASA_TOKEN" &
pids+=($!)
.venv/bin/python -m web.serve &
pids+=($!)
echo "Rasa server: http://localhost:$RASA_PORT  (REST: POST /webhooks/rest/webhook)"
echo "Action server: http://localhost:$ACTIONS_PORT"
echo "Web front: http://localhost:$WEB_PORT/chat/ (patient chat), http://localhost:$WEB_PORT/console/ (nurse console)"
wait -n "${pids[@]}"
