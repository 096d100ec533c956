#!/usr/bin/env bash
# Builds the Python package `nixflex` from this directory into a venv and tests it:
# mypy --strict on the package, the examples and the tests, ruff, then pytest against the mock
# server at NIXFLEX_MOCK_URL (when unset, the tests start target/debug/nixflex-mock themselves).
# Needs only python3 (>= 3.9, with venv and pip) and cargo; everything else comes from PyPI.
set -euo pipefail
cd "$(dirname "$0")"

VENV="${NIXFLEX_PY_VENV:-.venv}"
if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
fi
PY="$VENV/bin/python"
"$PY" -m pip install --quiet --disable-pip-version-check --upgrade pip
"$PY" -m pip install --quiet --disable-pip-version-check \
  "maturin>=1.9.4,<2" "pytest>=8,<10" "mypy>=1.10" "ruff>=0.5"

echo "--- pip install ./bindings-python (maturin PEP 517 build, dev profile)"
# The same wheel build as a user's `pip install`, in the dev profile so that it reuses the debug
# artefacts of the workspace (a release build is what `maturin build --release` makes).
# --force-reinstall rebuilds the package; its dependencies (msgspec) come along as a user gets them.
MATURIN_PEP517_ARGS="--profile dev" "$PY" -m pip install --quiet --disable-pip-version-check \
  --force-reinstall .
"$PY" -c "import nixflex, sys; print('nixflex', nixflex.__version__, 'on Python', sys.version.split()[0])"

echo "--- mypy --strict (package, examples, tests)"
"$PY" -m mypy --strict python/nixflex examples tests

echo "--- ruff"
"$VENV/bin/ruff" check python tests examples
"$VENV/bin/ruff" format --check python tests examples

echo "--- pytest"
"$PY" -m pytest tests -q -p no:cacheprovider "$@"
