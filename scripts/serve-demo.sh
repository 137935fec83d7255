#!/usr/bin/env bash
# Serve the demo: the background worker and the web server together; Ctrl-C stops both.
set -euo pipefail
PORT="${PORT:-8000}"
uv run --frozen gorod worker &
WORKER=$!
trap 'kill $WORKER 2>/dev/null || true' EXIT INT TERM
echo "Gorod demo: http://127.0.0.1:${PORT}/"
uv run --frozen gorod runserver "127.0.0.1:${PORT}" --noreload
