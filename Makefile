# Two commands on a fresh machine: `make run` and `make test` (README).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
HOST ?= 0.0.0.0
PORT ?= 5000

.PHONY: run dev test test-fast lint migrate seed certs clean pwa chromium nginx-redis perf-tools sso-tools

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Reinstall only when the pinned lists change.
$(VENV)/.installed: requirements.txt $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements-dev.txt requirements.txt $(VENV)/.installed
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

migrate: $(VENV)/.installed
	$(FLASK) db upgrade

seed: migrate
	$(FLASK) seed-demo --if-empty

# granian (WSGI, granian.env) by default: it measured faster than gunicorn (README, Performance);
# SERVER=gunicorn serves with gunicorn.conf.py instead. One worker per core, at least two.
SERVER ?= granian
WORKERS ?= $(shell n=$$(nproc 2>/dev/null || echo 2); echo $$(( n > 2 ? n : 2 )))
TLS_GRANIAN := $(if $(filter 1,$(HTTPS)),--ssl-certificate instance/cert.pem --ssl-keyfile instance/key.pem)
TLS_GUNICORN := $(if $(filter 1,$(HTTPS)),--certfile instance/cert.pem --keyfile instance/key.pem)

## run: set everything up and serve on $(HOST):$(PORT) (HTTPS=1 for a self-signed certificate;
## SERVER=gunicorn for gunicorn instead of granian)
run: seed pwa
	$(if $(filter 1,$(HTTPS)),$(MAKE) certs)
ifeq ($(SERVER),gunicorn)
	$(BIN)/gunicorn --config gunicorn.conf.py $(TLS_GUNICORN) --bind $(HOST):$(PORT) wsgi:app
else
	set -a && . ./granian.env && set +a && exec $(BIN)/granian --workers $(WORKERS) $(TLS_GRANIAN) \
		--host $(HOST) --port $(PORT) wsgi:app
endif

## dev: Flask's reloading development server
dev: seed pwa
	$(FLASK) run --debug --host $(HOST) --port $(PORT)

## certs: a self-signed certificate for phones on the LAN (camera and service worker need HTTPS)
certs: instance/cert.pem

instance/cert.pem:
	mkdir -p instance
	openssl req -x509 -newkey rsa:2048 -nodes -days 825 -subj "/CN=safety-zones" \
		-addext "subjectAltName=DNS:localhost,IP:127.0.0.1$(if $(LAN_IP),$(comma)IP:$(LAN_IP))" \
		-keyout instance/key.pem -out instance/cert.pem
comma := ,

## lint: ruff and the layer contracts
lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

## test: every suite: node's for the PWA, then pytest (API and browser; SQLite, and PostgreSQL
## when TEST_DATABASE_URL is set)
test: $(VENV)/.installed-dev lint pwa chromium nginx-redis perf-tools sso-tools
	cd pwa && npm test
	$(BIN)/python -m pytest

## test-fast: the inner loop: lint and pytest without the `slow` tests (browser, real server, fuzz);
## needs no chromium (the PWA build, for the shell routes' tests)
test-fast: $(VENV)/.installed-dev lint pwa
	$(BIN)/python -m pytest -m "not slow"

## chromium: Debian's browser for the Playwright tests (Playwright cannot download its own here)
chromium:
	@command -v chromium >/dev/null || { apt-get update && DEBIAN_FRONTEND=noninteractive \
		apt-get install -y --no-install-recommends chromium fonts-noto-cjk; }

## nginx-redis: Debian's nginx and Redis for the multi-node test (tests/platform/test_multi_node.py,
## which starts them itself, as the user running the tests, on loopback ports)
nginx-redis:
	@test -x /usr/sbin/nginx && test -x /usr/bin/redis-server || { apt-get update && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends nginx-light redis-server; }

## perf-tools: Lighthouse (pinned in tests/perf/package.json) for tests/perf/lighthouse.py
perf-tools: tests/perf/node_modules/.installed

tests/perf/node_modules/.installed: tests/perf/package-lock.json
	cd tests/perf && npm ci --no-audit --no-fund
	touch $@

## sso-tools: the OpenID Connect provider (oidc-provider, pinned in tests/sso/package.json) the
## single sign-on tests run against (tests/sso_provider.py)
sso-tools: tests/sso/node_modules/.installed

tests/sso/node_modules/.installed: tests/sso/package-lock.json
	cd tests/sso && npm ci --no-audit --no-fund
	touch $@

clean:
	rm -rf $(VENV)

## pwa: build the phone app into pwa/dist (served at /), with the server's vocabulary written
## into it first (pwa/src/generated/vocabulary.js)
pwa: pwa/node_modules/.installed $(VENV)/.installed
	cd pwa && ../$(BIN)/python write_vocabulary.py && npm run build --silent && ../$(BIN)/python icons.py

pwa/node_modules/.installed: pwa/package-lock.json
	cd pwa && npm ci --no-audit --no-fund
	touch $@
