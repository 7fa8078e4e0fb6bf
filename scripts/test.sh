#!/usr/bin/env bash
# Set up (first time) and run the whole test suite, Qt tests offscreen. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh test
export QT_QPA_PLATFORM=offscreen
.venv/bin/python -m ruff check desktop tests bench scripts main.py
exec .venv/bin/python -m pytest -q -p no:cacheprovider "$@"
