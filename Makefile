# Two commands set everything up on a fresh machine:
#   make run   installs elenefolio in .venv and builds the example portfolio
#   make test  installs elenefolio with its test tools in .venv and runs every test
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin

.PHONY: run test install install-test clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .

install-test: $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[test]"

run: install
	$(BIN)/elenefolio build example-portfolio
	@echo
	@echo "The example site is in example-portfolio/_site/"
	@echo "View it:  $(BIN)/python -m http.server --directory example-portfolio/_site 8000"
	@echo "then open http://127.0.0.1:8000/"

test: install-test
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) example-portfolio/_site example-portfolio/_private build *.egg-info
