#!/usr/bin/env bash
# Set up (first time) and start LaborDesk on its embedded SQLite database in the per-user data
# folder. Extra arguments go to the program, e.g. scripts/run.sh --db /path/to/labordesk.db
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ] && [ -z "${QT_QPA_PLATFORM:-}" ]; then
    # No screen (a server or CI machine): start offscreen, save the first screen and stop.
    mkdir -p artifacts
    echo "未检测到显示器：以无界面方式启动，首屏截图保存到 artifacts/first-screen.png 后退出。"
    export QT_QPA_PLATFORM=offscreen LABORDESK_FIRST_SCREEN_PNG="$PWD/artifacts/first-screen.png"
fi
exec .venv/bin/python main.py "$@"
