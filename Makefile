# Gorod. On a fresh machine `make demo` and `make test` install everything they need themselves.
SHELL := /bin/bash
export UV_PYTHON_DOWNLOADS := never
export PATH := $(HOME)/.local/bin:$(PATH)
PORT ?= 8000
# Every demo step (seeding too) sees the port: links in mails are built from it (settings.GOROD_SITE_URL).
export PORT
UV := $(shell command -v uv 2>/dev/null || echo $(HOME)/.local/bin/uv)
RUN := $(UV) run --frozen
CHROMIUM ?= /usr/bin/chromium

.PHONY: install uv messages chromium nginx demo test test-fast lint format bench bench-pb bench-load clean

uv:
	@command -v uv >/dev/null 2>&1 || test -x $(HOME)/.local/bin/uv || python3 -m pip install --user --quiet uv

# npm ci: front-end libraries no Python package ships (package.json, package-lock.json), served as static
# files from node_modules (settings.STATICFILES_DIRS). Without npm the maps still work, except a
# self-hosted PMTiles map (docs/deploy.md).
install: uv
	$(UV) sync --frozen
	@if command -v npm >/dev/null 2>&1; then npm ci --no-audit --no-fund --ignore-scripts --loglevel=error; \
	  else echo "npm not found: protomaps-leaflet (self-hosted PMTiles maps) is not installed" >&2; fi
	@$(RUN) python -m gorod.core.compilemessages

# Browser tests drive Debian's chromium; Playwright never downloads a browser.
chromium:
	@test -x $(CHROMIUM) || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "Install Debian's chromium (sudo apt-get install chromium) for the browser tests" >&2; exit 1; fi; }

# The deployment smoke test (tests/deploy) starts Debian's nginx in front of `gorod serve`.
nginx:
	@command -v nginx >/dev/null 2>&1 || test -x /usr/sbin/nginx || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light >/dev/null; \
	  else echo "Install Debian's nginx (sudo apt-get install nginx-light) for tests/deploy; it is skipped meanwhile" >&2; fi; }

demo: install
	$(RUN) gorod migrate --noinput
	$(RUN) gorod seed_demo --if-empty
	@GOROD_DEBUG=1 PORT=$(PORT) bash scripts/serve-demo.sh

# worksteal: an idle worker takes tests queued for the other, so a few long tests (browser, demo seeding,
# the worker kill test) do not leave one core idle at the end.
PYTEST := GOROD_TESTING=1 $(RUN) pytest -n 2 --dist worksteal

test: install chromium nginx
	$(PYTEST)

test-fast: install
	$(PYTEST) -m "not e2e"

lint: install
	$(RUN) ruff check src tests bench
	$(RUN) ruff format --check src tests bench
	$(RUN) mypy src
	$(RUN) lint-imports  # the app layers of docs/decisions.md

format: install
	$(RUN) ruff format src tests bench
	$(RUN) ruff check --fix src tests bench

bench: install
	$(RUN) python -m bench.run
	$(RUN) python -m bench.pb
	$(RUN) python -m bench.opendata
	$(RUN) python -m bench.stats
	$(RUN) python -m bench.surveys
	$(RUN) python -m bench.consultations
	$(RUN) python -m bench.opinion_groups

bench-pb: install
	$(RUN) python -m bench.pb
	$(RUN) python -m bench.opendata

# Load on loopback (issue 10, item 4): locust against `gorod serve` on SQLite and PostgreSQL, stepped.
bench-load: install
	$(RUN) python -m bench.load

clean:
	rm -rf var .venv
