#!/usr/bin/env bash
# Serve the demo: the background worker and the web server together; Ctrl-C stops both.
set -euo pipefail
PORT="${PORT:-8000}"
# Links in the e-mails the worker prints must point at this server.
export GOROD_SITE_URL="${GOROD_SITE_URL:-http://127.0.0.1:${PORT}}"
# -v 0: no line per task run, so the e-mails the console backend prints stay readable.
uv run --frozen gorod worker -v 0 &
WORKER=$!
trap 'kill $WORKER 2>/dev/null || true' EXIT INT TERM
echo "Gorod demo: http://127.0.0.1:${PORT}/"
uv run --frozen gorod runserver "127.0.0.1:${PORT}" --noreload
