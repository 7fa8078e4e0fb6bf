#!/usr/bin/env bash
# Regenerate docs/screenshots/ (offscreen; works with no screen attached).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh test
QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/screenshots_filing.py
QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/screenshots_fund.py
QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/screenshots.py
QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/screenshots_transfers.py
QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/screenshots_stations.py
QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/screenshots_insights.py
QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/screenshots_security.py
