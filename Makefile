# The commands a user types. `make site` builds the site (and PDF); `make test` runs every test.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# What `make site` builds the site with: mkdocs (Material for MkDocs) or zensical (README,
# "Engines"): `make site ENGINE=zensical`.
ENGINE ?= mkdocs

.PHONY: site test serve check pdf-preview clean system-deps

site: $(STAMP)
	$(BIN)/briefing check
	$(BIN)/briefing build --engine $(ENGINE)

# The gates first (pyproject.toml configures each): lint, formatting, strict typing.
test: $(STAMP)
	$(BIN)/ruff check scripts tests
	$(BIN)/ruff format --check scripts tests
	$(BIN)/mypy -p briefing
	$(BIN)/python -m pytest -q

# Live preview on http://127.0.0.1:8000 (README, "Live preview"): the build folder regenerated
# on every save and served by the engine's own server; `make serve ENGINE=zensical`.
serve: $(STAMP)
	$(BIN)/briefing serve --engine $(ENGINE)

check: $(STAMP)
	$(BIN)/briefing check

# The PDF alone, and its first pages as PNG pictures to look at: build/preview/page-N.png.
pdf-preview: $(STAMP)
	rm -rf build/preview && mkdir -p build/preview
	$(BIN)/briefing pdf -o build/preview/briefing.pdf
	pdftoppm -r 70 -png -f 1 -l $${PAGES:-8} build/preview/briefing.pdf build/preview/page
	@echo "pages: $$(pdfinfo build/preview/briefing.pdf | awk '/^Pages:/ {print $$2}'); pictures in build/preview/"

# The performance benchmark (README, "Benchmark"); not part of `make test`. Options pass
# through BENCH_ARGS, e.g. `make bench BENCH_ARGS=--large`.
.PHONY: bench
# Bytecode first, as a regular install has it (an editable install leaves it to the first
# run, and PYTHONDONTWRITEBYTECODE would leave every run compiling the package).
bench: $(VENV)/.bench-installed
	$(BIN)/python -m compileall -q scripts/briefing
	$(BIN)/python scripts/bench $(BENCH_ARGS)

$(VENV)/.bench-installed: $(STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[test,bench]'
	touch $@

system-deps:
	bash scripts/install-system-deps.sh

# npm packages (package-lock.json): the iframe-worker shim the site serves itself, axe-core
# for the browser tests.
$(STAMP): pyproject.toml constraints.txt scripts/install-system-deps.sh package.json package-lock.json
	bash scripts/install-system-deps.sh
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[test]'
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

clean:
	rm -rf site .venv .pytest_cache .mypy_cache .ruff_cache .hypothesis node_modules
