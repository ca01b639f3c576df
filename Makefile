# Two commands on a fresh clone: `make run` and `make test`. Both create .venv if it is missing.
VENV    ?= .venv
PY      := $(VENV)/bin/python
STAMP   := $(VENV)/.bioql-installed
PYTEST_WORKERS ?= 2

.PHONY: setup run demo test docs lint format bench browser-deps extension-test clean llama-cpp

setup: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	# Install the CPU torch wheel first so nothing later pulls a CUDA build.
	$(PY) -m pip install -q torch==2.13.0
	$(MAKE) llama-cpp
	$(PY) -m pip install -q -e ".[all,dev]"
	touch $(STAMP)

# The service on 127.0.0.1:8000 (SQLite under ~/.bioql, the template assistant;
# BIOQL_PROVIDER=local serves the trained model). The first start creates admin@localhost
# and prints its API key once. Playground at /, API docs at /docs.
run: setup
	$(VENV)/bin/bioql serve --host 127.0.0.1 --port 8000

test: setup browser-deps
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(VENV)/bin/pytest -n $(PYTEST_WORKERS) -q
	$(MAKE) docs
	$(MAKE) extension-test

# The documentation site into site/, strict (a broken link or missing reference fails), and
# offline: no page may load a script or stylesheet from another host. The example notebooks
# are executed by tests/docs/test_notebooks.py in the pytest run above.
docs: setup
	NO_MKDOCS_2_WARNING=1 $(VENV)/bin/mkdocs build --strict --quiet
	@! grep -rlE '<(script|link)[^>]+(src|href)="https?://' site --include='*.html' \
		|| (echo "site/ loads assets from the network (listed above)"; exit 1)

# llama.cpp (the code model's runtime) compiled for AVX2 (+ AVX-512 where the CPU has it)
# rather than -march=native: a native build on a CPU with AMX emits tile instructions that fault
# where the VM has not enabled them (seen here: every decode crashed). The wheel is built once
# per version and flags, then reused.
LLAMA_CPP     := $(shell grep -o 'llama-cpp-python==[0-9.]*' pyproject.toml)
CPU_FLAGS     := $(shell grep -m1 '^flags' /proc/cpuinfo 2>/dev/null)
LLAMA_AVX512  := $(if $(and $(findstring avx512f,$(CPU_FLAGS)),$(findstring avx512_vnni,$(CPU_FLAGS))),-DGGML_AVX512=ON -DGGML_AVX512_VNNI=ON)
LLAMA_FLAGS   ?= -DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON $(LLAMA_AVX512)
LLAMA_WHEELS  := $(HOME)/.cache/bioql/wheels/$(subst ==,-,$(LLAMA_CPP))-$(shell echo '$(LLAMA_FLAGS)' | sha256sum | cut -c1-8)

llama-cpp:
	@ls $(LLAMA_WHEELS)/*.whl >/dev/null 2>&1 || CMAKE_ARGS="$(LLAMA_FLAGS)" \
		$(PY) -m pip wheel -q --no-deps --no-cache-dir -w $(LLAMA_WHEELS) "$(LLAMA_CPP)"
	$(PY) -m pip install -q --no-deps --force-reinstall $(LLAMA_WHEELS)/*.whl

# Debian's chromium drives the playground's browser test; npm-downloaded browsers cannot be fetched here.
browser-deps:
	@command -v chromium >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq chromium >/dev/null)

# Typecheck, unit and integration tests, the .vsix (vscode-extension/dist/), then the real-editor
# suite: that .vsix in code-server (VS Code in Chromium) against `bioql serve`. code-server and its
# Node 24 are installed once under ~/.cache/bioql; building its kerberos module needs libkrb5-dev.
extension-test: browser-deps
	@dpkg -s libkrb5-dev >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq libkrb5-dev >/dev/null)
	cd vscode-extension && npm ci --no-audit --no-fund && npm test

# mypy checks bioql/ with the settings in pyproject.toml ([tool.mypy])
lint:
	$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check . && $(VENV)/bin/mypy

format:
	$(VENV)/bin/ruff check --fix . && $(VENV)/bin/ruff format .

# Each benchmark writes RESULTS.md next to itself. The model ones need `bioql model fetch`.
bench: setup
	$(PY) benchmarks/quantum/bench_quantum.py
	$(PY) benchmarks/language/bench_compile.py
	$(PY) benchmarks/language/eval_paraphrases.py --part all --target language
	$(PY) benchmarks/language/eval_paraphrases.py --part all --target assistant
	$(PY) benchmarks/docking/bench_docking.py
	$(PY) benchmarks/docking/bench_screen.py
	$(PY) benchmarks/chemistry/bench_chemistry.py
	$(PY) benchmarks/server/bench_server.py
	$(PY) benchmarks/model/bench_model.py
	$(PY) benchmarks/model/bench_runtime.py
	BIOQL_PROVIDER=local $(VENV)/bin/bioql eval --provider local --split test_novel

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .ruff_cache .mypy_cache
