# Wardrobe: `make run` sets up and starts the desktop app, `make test` sets up and runs the tests.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip

.PHONY: run test lint check cli clean wheel-smoke desktop

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --upgrade pip

$(VENV)/.installed-app: pyproject.toml | $(BIN)/python
	$(PIP) install -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(PIP) install -e ".[test]"
	touch $@ $(VENV)/.installed-app

# Qt's X11 plugin needs system libraries PySide6 does not bundle: say which, with the apt-get line, before starting.
run: $(VENV)/.installed-app
	@$(BIN)/python -m wardrobe_app.ui.qt_libs
	$(BIN)/python main.py

test: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check wardrobe_app tests benchmarks
	$(BIN)/lint-imports
	$(BIN)/mypy
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q
	.ci/wheel_smoke.sh $(BIN)/python

# The wheel built, installed (not editable) into a fresh venv and run from elsewhere; offline (~45 s).
wheel-smoke: $(VENV)/.installed-test
	.ci/wheel_smoke.sh $(BIN)/python

# A menu entry and icon for the desktop app (Linux, this user), starting this checkout's venv.
desktop: $(VENV)/.installed-app
	install -Dm644 assets/linux/wardrobe.png $(HOME)/.local/share/icons/hicolor/256x256/apps/wardrobe.png
	install -Dm644 assets/linux/wardrobe.svg $(HOME)/.local/share/icons/hicolor/scalable/apps/wardrobe.svg
	sed "s|^Exec=wardrobe-gui|Exec=$(abspath $(BIN))/wardrobe-gui|" assets/linux/wardrobe.desktop \
		| install -Dm644 /dev/stdin $(HOME)/.local/share/applications/wardrobe.desktop

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check wardrobe_app tests benchmarks
	$(BIN)/mypy
	$(BIN)/lint-imports

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
