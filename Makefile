# Two commands on a fresh machine: `make run` and `make test` (README).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
HOST ?= 0.0.0.0
PORT ?= 5000

.PHONY: run dev test lint migrate seed certs clean pwa

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

## run: set everything up and serve on $(HOST):$(PORT) (HTTPS=1 for a self-signed certificate)
run: seed
ifeq ($(HTTPS),1)
	$(MAKE) certs
	$(BIN)/gunicorn --config gunicorn.conf.py --certfile instance/cert.pem --keyfile instance/key.pem \
		--bind $(HOST):$(PORT) wsgi:app
else
	$(BIN)/gunicorn --config gunicorn.conf.py --bind $(HOST):$(PORT) wsgi:app
endif

## dev: Flask's reloading development server
dev: seed
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

## test: every suite (SQLite; also PostgreSQL when TEST_DATABASE_URL is set)
test: $(VENV)/.installed-dev lint
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV)

## pwa: build the phone app into server/static/app (served at /)
pwa:
	@if [ -f pwa/package.json ]; then cd pwa && npm ci && npm run build; \
	else echo "The PWA source (pwa/) is not in this checkout yet; the API runs without it."; fi
