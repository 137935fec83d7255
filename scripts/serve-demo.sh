#!/usr/bin/env bash
# Serve the demo: the background worker and the production web server (gunicorn, `gorod serve`) together;
# Ctrl-C stops both. `gorod runserver` is for development only.
set -euo pipefail
PORT="${PORT:-8000}"
# Links in the e-mails the worker prints must point at this server.
export GOROD_SITE_URL="${GOROD_SITE_URL:-http://127.0.0.1:${PORT}}"
# The second demo city (Petrozavodsk) answers on its own host; browsers send *.localhost to 127.0.0.1.
export GOROD_ALLOWED_HOSTS="${GOROD_ALLOWED_HOSTS:-127.0.0.1,localhost,petrozavodsk.localhost}"
# Hashed, compressed static files for WhiteNoise (quick when nothing changed).
uv run --frozen gorod collectstatic --noinput -v 0
# -v 0: no line per task run, so the e-mails the console backend prints stay readable.
uv run --frozen gorod worker -v 0 &
WORKER=$!
trap 'kill $WORKER 2>/dev/null || true' EXIT INT TERM
echo "Gorod demo: http://127.0.0.1:${PORT}/ (St Petersburg), http://petrozavodsk.localhost:${PORT}/ (Petrozavodsk)"
uv run --frozen gorod serve --port "${PORT}"
