# Two commands set everything up on a fresh machine:
#   make run   installs elenefolio in .venv and builds the example portfolio
#   make test  installs elenefolio with its test tools in .venv (and, when missing, the
#              Debian packages of the browser and validator tests), runs ruff and mypy, every
#              test, then the tests again with every dependency at its lowest allowed version
# and one refreshes the interface translations after a template changed:
#   make translations  extracts the strings into the .pot, updates every .po, checks they compile
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
VENV_MIN ?= .venv-min

# Debian packages for the browser, accessibility and HTML-validity tests: Chromium (which
# Playwright drives; it never downloads a browser of its own) and Java for the Nu checker.
CHROMIUM ?= /usr/bin/chromium
JAVA     ?= java

.PHONY: run test test-fast test-min lint regen-golden install install-test system-test-deps translations clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .

install-test: $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[test,dask]"

# The example's shared entry is encrypted for its mentor, whose passphrase (public: it is an
# example) the build reads from this variable; the README's "The example's shared entry" says more.
run: export EXAMPLE_MENTOR_PASSPHRASE ?= lucia-mentor-example
run: install
	$(BIN)/elenefolio build example-portfolio
	@echo
	@echo "The example site is in example-portfolio/_site/"
	@echo "View it:  EXAMPLE_MENTOR_PASSPHRASE=$$EXAMPLE_MENTOR_PASSPHRASE $(BIN)/elenefolio serve example-portfolio"
	@echo "then open http://127.0.0.1:8000/ (pages reload by themselves when you edit the example)"

system-test-deps:
	@missing=""; \
	[ -x "$(CHROMIUM)" ] || missing="$$missing chromium"; \
	command -v $(JAVA) >/dev/null 2>&1 || missing="$$missing default-jre-headless"; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages for the browser and validator tests:$$missing"; \
	  if [ "$$(id -u)" = 0 ]; then sudo=""; \
	  elif command -v sudo >/dev/null 2>&1; then sudo="sudo -n"; \
	  else echo "Please install these Debian packages as root:$$missing" >&2; exit 1; fi; \
	  $$sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	  $$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing </dev/null >/dev/null; \
	fi

# Every test with the current versions (about 13 minutes on CI's 2 cores), then `make test-min`
# (below; shorter: no browser tests). CI (.ci/run, a clean clone) runs exactly this.
test: install-test system-test-deps lint
	$(BIN)/python -m pytest
	$(MAKE) --no-print-directory test-min

# ruff (lint and format check) on the code and tests, mypy on the package (settings in pyproject.toml)
lint: install-test
	$(BIN)/ruff check elenefolio tests bench
	$(BIN)/ruff format --check elenefolio tests bench
	$(BIN)/mypy

# Everything but the browser tests and the slow ones (passport PDFs, the HTML validator, kill
# loops, sequences of builds, timeouts waited out: any test that takes seconds): the loop to
# run while working. Measured on two cores with no other work: just under two minutes of wall
# time and about 200 s of processor time for its 825 tests; 2.5 to 3 minutes while other work
# keeps the cores busy too (load 3 to 4). Mark a test `slow` when it takes seconds, keeping a
# quicker test of its area here. The tests run in one process per core (pytest-xdist);
# --dist loadscope keeps each module in one process, so that a module's builds (module-scoped
# fixtures) are made once. Every test writes only in its own temporary folders, so the
# processes never share a file. `make test` (and CI) still runs every test.
test-fast: install-test
	$(BIN)/python -m pytest -q -n auto --dist loadscope -m "not browser and not slow"

# The expected site of the golden portfolio (tests/fixtures/golden-output/, which
# tests/test_golden.py compares every build with), written again after an intended change.
regen-golden: install-test
	$(BIN)/python tests/regen_golden.py

# Every test but the browser ones with every dependency at the lowest version pyproject.toml
# allows (pinned in constraints-min.txt; tests/test_constraints.py keeps the two files equal),
# in a virtualenv of their own: proves the lower bounds. The slow tests are in (the passport
# is where WeasyPrint, pypdf and pypdfium2 are used); the browser tests are not: they drive
# the same site through Playwright and Chromium, whose versions change nothing in the site,
# and would add another ten minutes to CI. The golden site is left out: it is the output of
# the current versions, byte for byte (older Pygments escapes quotes in code differently,
# another Pagefind writes other index files).
$(VENV_MIN)/bin/python:
	$(PYTHON) -m venv $(VENV_MIN)
	$(VENV_MIN)/bin/python -m pip install --quiet --upgrade pip

test-min: $(VENV_MIN)/bin/python
	$(VENV_MIN)/bin/python -m pip install --quiet -c constraints-min.txt -e ".[test]"
	$(VENV_MIN)/bin/python -m pytest -q -p no:cacheprovider -m "not browser" \
	    --deselect tests/test_golden.py::test_the_built_site_is_the_expected_one

LOCALES = elenefolio/locales

# Extract (templates and Python) → update every language's .po → compile each as a check.
# The build compiles the .po files in memory, so no .mo file is written or committed.
translations: install
	$(BIN)/pybabel --quiet extract -F babel.cfg --project=elenefolio --version=$$($(BIN)/python -c 'import elenefolio; print(elenefolio.__version__)') \
	    --copyright-holder="the elenefolio authors" --msgid-bugs-address="" --add-comments=Translators: \
	    --sort-by-file -o $(LOCALES)/elenefolio.pot elenefolio themes
	$(BIN)/pybabel --quiet update -D elenefolio -i $(LOCALES)/elenefolio.pot -d $(LOCALES) --previous
	@for po in $(LOCALES)/*/LC_MESSAGES/elenefolio.po; do \
	    $(BIN)/pybabel compile --statistics -i "$$po" -o /dev/null || exit 1; \
	done
	@echo "Now translate every new or fuzzy entry (make test checks that none is left)."

clean:
	rm -rf $(VENV) $(VENV_MIN) example-portfolio/_site example-portfolio/_private build *.egg-info
