# The two commands a new user needs (see README.md):
#   make site   build site/ from the repo's own sample content
#   make test   run every test, browser tests included
PY      ?= python3
VENV    := .venv
VPY     := $(VENV)/bin/python
STAMP   := $(VENV)/.installed
TSTAMP  := $(VENV)/.installed-test
CHROMIUM ?= /usr/bin/chromium

.PHONY: site test serve check bench clean deps test-deps browser

site: deps node_modules/.package-lock.json
	$(VPY) -m generator.sample
	$(VPY) -m generator build
	@echo ""
	@echo "The site is in site/, built for the address in mkdocs.yml (site_url). Opened from the disk"
	@echo "(site/index.html) its search, deep zoom and links do not work. To look at it:"
	@echo "  make serve          a preview on http://127.0.0.1:8000/ that rebuilds when you save a file"
	@echo "  or copy site/ to a web server, built for its address:"
	@echo "  $(VENV)/bin/sitegen build --site-url https://your.server/path/"
	@echo "sitegen is $(VENV)/bin/sitegen (or run: . $(VENV)/bin/activate): check, report, add, import,"
	@echo "search, build, serve; '$(VENV)/bin/sitegen COMMAND --help' and README.md say more."
	@echo "サイトは site/ にできました。このパソコンで見るには make serve（http://127.0.0.1:8000/）。"
	@echo "コマンド: $(VENV)/bin/sitegen check / report / add / import（説明は README.md）"

serve: deps node_modules/.package-lock.json
	$(VPY) -m generator.sample
	$(VPY) -m generator serve

check: deps
	$(VPY) -m generator check

test: test-deps node_modules/.installed-dev browser
	$(VPY) -m generator.sample
	$(VPY) -m pytest -n 2 $(PYTEST_ARGS)

deps: $(STAMP)
test-deps: $(TSTAMP)

$(VPY):
	$(PY) -m venv $(VENV)

$(STAMP): pyproject.toml | $(VPY)
	$(VPY) -m pip install --quiet --disable-pip-version-check -e .
	touch $@

$(TSTAMP): pyproject.toml $(STAMP)
	$(VPY) -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $@

# The site needs only its own dependencies (OpenSeadragon); the tests also need the viewers'
# builds they check the IIIF output with (devDependencies: older OpenSeadragon, Mirador).
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --omit=dev --no-audit --no-fund

node_modules/.installed-dev: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

# Browser tests drive Debian's Chromium (a Playwright browser download is not possible here).
browser:
	@if [ -x "$(CHROMIUM)" ] && fc-list 2>/dev/null | grep -qi 'Noto Sans CJK'; then :; \
	elif [ "$$(id -u)" = 0 ]; then \
	  echo "Installing Debian's chromium and fonts-noto-cjk for the browser tests..."; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; \
	else \
	  echo "Browser tests need Chromium and Japanese fonts. Install them with:"; \
	  echo "  sudo apt-get install -y chromium fonts-noto-cjk"; exit 1; \
	fi

# Benchmarks (not tests): each prints its figures against a baseline measured in the same run.
BENCHES := bench_build bench_tiling bench_import bench_schedule bench_page_weight bench_search bench_scale bench_viewer
bench: test-deps node_modules/.package-lock.json
	$(VPY) -m generator.sample
	@for b in $(BENCHES); do echo "== $$b"; $(VPY) bench/$$b.py || exit 1; done

clean:
	rm -rf site .cache
