# Quick start:  make run   (set up, load reference + demo data, serve http://127.0.0.1:8000/ with its worker)
#               make test  (the test suite; DATABASE_URL=postgres://... for PostgreSQL)
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
HOST   ?= 127.0.0.1:8000

.PHONY: run setup test deps dev-deps messages catalogue lint browser clean

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

deps: $(VENV)/bin/python
	$(PY) -m pip install --quiet -r requirements.txt

dev-deps: $(VENV)/bin/python
	$(PY) -m pip install --quiet -r requirements-dev.txt

messages:
	$(PY) manage.py compilemessages --ignore=.venv -v0

# Refresh the English catalogue from the source (no line numbers, so diffs show only real changes);
# then translate what tests/web/test_message_catalogue.py reports as missing or fuzzy.
catalogue:
	$(PY) manage.py makemessages -l en --no-location --ignore=.venv --ignore=benchmarks --ignore=tests --ignore=staticfiles -v0
	msgattrib --no-obsolete -o locale/en/LC_MESSAGES/django.po locale/en/LC_MESSAGES/django.po

setup: deps messages
	$(PY) manage.py migrate --noinput -v0
	$(PY) manage.py loaddata reference -v0
	$(PY) manage.py load_demo
	$(PY) manage.py collectstatic --noinput -v0

run: setup
	@echo "==> 打开 http://$(HOST)/ 登录（演示账号见上方）；后台任务进程随服务一同启动；Ctrl-C 停止"
	PY=$(PY) HOST=$(HOST) scripts/serve

browser:
	@bash scripts/ensure-chromium

test: dev-deps messages browser
	$(VENV)/bin/pytest -n 2

lint: dev-deps
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

clean:
	rm -rf $(VENV) db.sqlite3* staticfiles test-output
