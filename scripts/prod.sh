#!/usr/bin/env bash
# The production layout on this machine's loopback (`make prod`): PostgreSQL for the
# tracker and intake stores, Redis lock store, REPLICAS Rasa servers and REPLICAS action
# servers behind nginx, the web front, and `intake reconcile` every minute.
# Runs in the foreground; Ctrl-C stops everything.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
export INTAKE_ENV=${INTAKE_ENV:-production}
export REPLICAS=${REPLICAS:-2}
export PROD_DIR=${PROD_DIR:-$ROOT/data/prod}
export PG_HOST=${PG_HOST:-127.0.0.1} PG_PORT=${PG_PORT:-5432} PG_USER=${PG_USER:-postgres}
export PG_DATABASE=${PG_DATABASE:-intake}
export INTAKE_DB_URL=${INTAKE_DB_URL:-postgresql://$PG_USER@$PG_HOST:$PG_PORT/$PG_DATABASE}
export TRACKER_DB_DIALECT=postgresql TRACKER_DB_HOST=$PG_HOST TRACKER_DB_PORT=$PG_PORT
export TRACKER_DB_NAME=$PG_DATABASE TRACKER_DB_USER=$PG_USER TRACKER_DB_PASSWORD=${TRACKER_DB_PASSWORD:-}
export REDIS_HOST=${REDIS_HOST:-127.0.0.1} REDIS_PORT=${REDIS_PORT:-6379} REDIS_DB=${REDIS_DB:-1}
export REDIS_KEY_PREFIX=${REDIS_KEY_PREFIX:-intake}
# Per process: Rasa's SQL pool (PostgreSQL allows 100 connections in all) and the intake store's.
export SQL_POOL_SIZE=${SQL_POOL_SIZE:-5} SQL_MAX_OVERFLOW=${SQL_MAX_OVERFLOW:-5}
export INTAKE_DB_POOL_SIZE=${INTAKE_DB_POOL_SIZE:-5} INTAKE_DB_MAX_OVERFLOW=${INTAKE_DB_MAX_OVERFLOW:-5}
export RASA_PORT=${RASA_PORT:-5005} ACTIONS_PORT=${ACTIONS_PORT:-5055} WEB_PORT=${WEB_PORT:-8000}
export ACTION_ENDPOINT_URL=${ACTION_ENDPOINT_URL:-http://127.0.0.1:$ACTIONS_PORT/webhook}
export RASA_URL=${RASA_URL:-http://127.0.0.1:$RASA_PORT}
export SQLALCHEMY_SILENCE_UBER_WARNING=1 TF_CPP_MIN_LOG_LEVEL=2 RASA_TELEMETRY_ENABLED=false
export SANIC_HOST=${SANIC_HOST:-127.0.0.1}   # action servers on loopback: reachable by Rasa only
: "${RASA_TOKEN:?set RASA_TOKEN: the HTTP API is never open without a token}"
if [ "$INTAKE_ENV" != development ]; then
  : "${INTAKE_SECRET_KEY:?set INTAKE_SECRET_KEY for the web front and the socket.io sessions}"
  : "${INTAKE_ACTION_KEY:?set INTAKE_ACTION_KEY: the key Rasa sends the action servers (16 characters or more)}"
  : "${INTAKE_ENCRYPTION_KEYS:?set INTAKE_ENCRYPTION_KEYS (personal data is encrypted at rest; .venv/bin/intake keygen prints a key)}"
fi
BASE_PORT=${BASE_PORT:-15100}
MODEL=$(ls -t bot/models/*.tar.gz 2>/dev/null | head -n 1 || true)
[ -n "$MODEL" ] || { echo "no trained model in bot/models: run 'make train'" >&2; exit 1; }
command -v nginx >/dev/null || { echo "nginx missing: make prod-setup (apt-get install nginx-light)" >&2; exit 1; }
mkdir -p "$PROD_DIR"

.venv/bin/python -m scripts.prod_db "$INTAKE_DB_URL"          # create the database if missing, migrate
.venv/bin/intake route >/dev/null                             # refuse broken routing rules

# Like a process supervisor (systemd, compose restart policies): a server that dies is restarted.
supervise() {
  local name=$1; shift
  while true; do
    "$@" >> "$PROD_DIR/$name.log" 2>&1 || true
    echo "$(date -u +%FT%TZ) $name exited; restarting" >> "$PROD_DIR/supervisor.log"
    sleep 1
  done
}
trap 'trap - INT TERM EXIT; kill 0' INT TERM EXIT

# max_fails=0: no failure accounting, so a dead server's refused connection falls straight
# through to the next one, and one slow answer never marks a live server down.
rasa_upstreams="" action_upstreams=""
for i in $(seq 1 "$REPLICAS"); do
  aport=$((BASE_PORT + 50 + i)); rport=$((BASE_PORT + i))
  action_upstreams+="        server 127.0.0.1:$aport max_fails=0;"$'\n'
  rasa_upstreams+="        server 127.0.0.1:$rport max_fails=0;"$'\n'
  supervise "actions-$i" .venv/bin/python -m bot.action_server --actions bot.actions --port "$aport" &
  supervise "rasa-$i" .venv/bin/rasa run --model "$MODEL" --endpoints deploy/endpoints.prod.yml \
    --credentials credentials.yml --port "$rport" --interface 127.0.0.1 --enable-api --auth-token "$RASA_TOKEN" &
done
export RASA_UPSTREAMS="$rasa_upstreams" ACTION_UPSTREAMS="$action_upstreams"
# Started as root, nginx would run its worker as www-data, which cannot use this folder.
export NGINX_USER=""; [ "$(id -u)" = 0 ] && NGINX_USER="user root;"
.venv/bin/python -c "import os,string,sys; print(string.Template(open('deploy/nginx.conf.template').read()).safe_substitute(os.environ))" > "$PROD_DIR/nginx.conf"
supervise nginx nginx -p "$PROD_DIR" -c "$PROD_DIR/nginx.conf" -g 'daemon off;' &
supervise web .venv/bin/python -m web.serve &
supervise reconcile .venv/bin/intake reconcile --every "${RECONCILE_EVERY:-60}" &
echo "Production layout: $REPLICAS Rasa replicas and $REPLICAS action servers behind nginx"
echo "Rasa (load balanced): http://localhost:$RASA_PORT   Web front: http://localhost:$WEB_PORT"
wait
