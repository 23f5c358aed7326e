# Defaults for running the bot on the embedded store; every value can be overridden
# from the environment. Sourced by scripts/run.sh and the end-to-end tests.
ROOT=${ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
umask 077          # databases, keys and logs the servers write: readable by their owner only
export INTAKE_DATA_DIR=${INTAKE_DATA_DIR:-$ROOT/data}
mkdir -p "$INTAKE_DATA_DIR"
# Development token for Rasa's HTTP API. Set RASA_TOKEN in any real deployment.
export RASA_TOKEN=${RASA_TOKEN:-dev-intake-token}
export RASA_PORT=${RASA_PORT:-5005}
export ACTIONS_PORT=${ACTIONS_PORT:-5055}
export WEB_PORT=${WEB_PORT:-8000}
# Servers listen on loopback only: patients reach Rasa through the web front, and the
# action server must be reachable by Rasa alone.
export SANIC_HOST=${SANIC_HOST:-127.0.0.1}
export RASA_URL=${RASA_URL:-http://127.0.0.1:$RASA_PORT}
# `make run` is the development setup: a throwaway session key and cookies without the
# Secure flag (plain http on localhost). Production sets INTAKE_ENV=production and INTAKE_SECRET_KEY.
export INTAKE_ENV=${INTAKE_ENV:-development}
export ACTION_ENDPOINT_URL=${ACTION_ENDPOINT_URL:-http://127.0.0.1:$ACTIONS_PORT/webhook}
# The key Rasa sends the action server on every call (endpoints.yml); nobody else can call it.
# Development makes a throwaway one per start; production sets its own.
export INTAKE_ACTION_KEY=${INTAKE_ACTION_KEY:-$(od -An -N24 -tx1 /dev/urandom | tr -d ' \n')}
export INTAKE_DB_URL=${INTAKE_DB_URL:-sqlite:///$INTAKE_DATA_DIR/intake.db}
# Rasa's SQL tracker store (conversations survive a restart).
export TRACKER_DB_DIALECT=${TRACKER_DB_DIALECT:-sqlite}
export TRACKER_DB_HOST=${TRACKER_DB_HOST:-}
export TRACKER_DB_NAME=${TRACKER_DB_NAME:-$INTAKE_DATA_DIR/tracker.db}
export TRACKER_DB_USER=${TRACKER_DB_USER:-}
export TRACKER_DB_PASSWORD=${TRACKER_DB_PASSWORD:-}
export SQLALCHEMY_SILENCE_UBER_WARNING=1
export TF_CPP_MIN_LOG_LEVEL=${TF_CPP_MIN_LOG_LEVEL:-2}
export RASA_TELEMETRY_ENABLED=false
export OPENBLAS_NUM_THREADS=${OPENBLAS_NUM_THREADS:-1}   # numpy: one thread per worker (small matrices; threads only contend)
