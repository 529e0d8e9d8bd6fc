# Short names for the project's commands. `make` alone lists them.
.DEFAULT_GOAL := help
VENV ?= .venv
PY := $(VENV)/bin/python
KLK := $(VENV)/bin/klk
PERIOD ?= 2022-03

.PHONY: help setup run run-all lab test test-fast mutation bench clean

help: ## visa målen
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "} {printf "  make %-9s %s\n", $$1, $$2}'

setup: ## skapa .venv och installera paketet med utvecklingsverktygen
	python3 -m venv $(VENV) && $(VENV)/bin/pip install -e ".[dev]"

run: ## gör rapporten för PERIOD (make run PERIOD=2022-03)
	$(KLK) run $(PERIOD)

run-all: ## gör rapporterna för alla perioder i data/raw/, parallellt
	$(KLK) run --all

lab: ## öppna JupyterLab på notebooks/ med projektets kärna
	$(KLK) lab

test: ## kör hela testsviten
	$(PY) -m pytest

test-fast: ## kör enhetstesterna (inte de långsamma: körningar, processer, filer, diagram)
	$(PY) -m pytest -q -m "not slow"

mutation: ## mutationstesta modulerna som gör siffrorna, var och en mot sina egna tester
	$(PY) scripts/mutation_report.py

bench: ## mät klk run mot golvet (papermill + nbconvert för en enkel anteckningsbok)
	$(PY) benchmarks/bench_run.py

clean: ## ta bort rapporter, loggar och städade tabeller (de går att göra om)
	rm -rf outputs/*/ outputs/.*.lock data/processed/*/
