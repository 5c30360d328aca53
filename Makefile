# The two commands of README.md: `make serve` and `make test`. Each sets itself up on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Material prints an end-of-life banner for MkDocs 2 on every build; we pin mkdocs<2 on purpose.
export NO_MKDOCS_2_WARNING := 1
# mkdocs-gallery 0.10.4 imports MkDocs' deprecated `warning_filter` (mkdocs_gallery/mkdocs_compatibility.py),
# and MkDocs prints the DeprecationWarning with a traceback before anything else. The plugin loads before
# any hook of ours, so the filter is set here, for that message only. (With PYTHONWARNINGS set, MkDocs
# leaves Python's warning filters as they are: other deprecations show as Python shows them.)
export PYTHONWARNINGS := ignore:warning_filter doesn't do anything:DeprecationWarning
# Where `make serve` listens; another address: make serve SERVE_ADDRESS=127.0.0.1:8001
SERVE_ADDRESS ?= 127.0.0.1:8000

.PHONY: serve build test check browser deploy golden clean experiments

serve: $(VENV)/.site-deps
	$(BIN)/mkdocs serve --dev-addr $(SERVE_ADDRESS) --watch gallery --watch pitfalls

# Build into a scratch folder and swap it in only on success: a failed build leaves no half-built
# site/ behind for a publish step to pick up.
build: $(VENV)/.site-deps
	rm -rf site.partial
	$(BIN)/mkdocs build --strict --site-dir site.partial || { rm -rf site.partial; exit 1; }
	rm -rf site && mv site.partial site

# Everything, on every core (pytest.ini): the site is built once and shared by the tests that read it.
test: $(VENV)/.test-deps browser
	$(BIN)/python -m pytest

# The inner loop: every test but those that drive a browser or build the whole site again (pytest.ini's
# markers): the shared build, the numbers, the links, bad input. `make test` runs everything.
check: $(VENV)/.test-deps
	$(BIN)/python -m pytest -m "not browser and not rebuild"

# The browser tests use Debian's Chromium (Playwright's own browser download does not work offline),
# or the Chromium or Chrome that CHROMIUM names (scripts/scratch.py reads it), and Noto CJK, without
# which Chinese renders as boxes.
CHROMIUM := $(or $(CHROMIUM),/usr/bin/chromium)
browser:
	@if [ ! -x "$(CHROMIUM)" ] || ! fc-list 2>/dev/null | grep -qi "noto.*cjk"; then \
	  echo "Installing Debian's chromium and fonts-noto-cjk for the browser tests"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium fonts-noto-cjk; \
	fi

# Set-up steps run again only when the requirements they install from change.
$(VENV)/.site-deps: requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.test-deps: requirements-test.txt requirements-test-nodeps.txt $(VENV)/.site-deps
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-test.txt
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -r requirements-test-nodeps.txt
	touch $@

# The Evidence page's experiments (experiments/): run them all, about 5 minutes of one core, and record
# their results in experiments/results/, which the build reads (it refuses results older than their script).
experiments: $(VENV)/.test-deps
	nice $(BIN)/python experiments/run.py

# Build times (cold, no-change, under serve) against the floors, page weight and the test suite's time, in a
# scratch copy (the suite in this checkout): writes bench/results.md and bench/results.json. Options: .venv/bin/python bench/run.py --help
.PHONY: bench
bench: $(VENV)/.test-deps browser
	$(BIN)/python bench/run.py

# Publish from your own machine to the gh-pages branch of `origin` (the workflow in
# .github/workflows/ is the other way). SITE_URL=https://OWNER.github.io/REPO/ make deploy
deploy: $(VENV)/.site-deps
	$(BIN)/mkdocs gh-deploy --strict --force

# Accept the numbers of the current build as the golden data (tests/golden/), after reviewing
# what changed: tests/test_trust.py names the scheduler and the step.
golden: build
	rm -f tests/golden/*.csv && mkdir -p tests/golden && cp site/data/*.csv tests/golden/

clean:
	rm -rf site site.partial docs/generated .cache
