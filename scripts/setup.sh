#!/usr/bin/env bash
# Prepare a machine to run LaborDesk from this checkout: a virtual environment with the project
# installed, plus the few system libraries Qt needs on a bare Debian/Ubuntu (installed only when
# Qt cannot start without them). Safe to run again; it only does what is missing.
#   scripts/setup.sh          # the application
#   scripts/setup.sh test     # the application and the test tools
set -euo pipefail
cd "$(dirname "$0")/.."
extra="${1:-}"
PY="${PYTHON:-python3}"

if ! "$PY" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null; then
    echo "需要 Python 3.11 或更新版本（当前：$("$PY" --version 2>&1)）。" >&2
    exit 1
fi

if [ ! -x .venv/bin/python ]; then
    "$PY" -m venv .venv || {
        echo "创建虚拟环境失败：请安装 python3-venv（apt-get install python3-venv）。" >&2
        exit 1
    }
fi
stamp=".venv/.installed-${extra:-app}"
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
    .venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
    spec="."
    [ "$extra" = "test" ] && spec=".[test]"
    .venv/bin/python -m pip install --quiet --disable-pip-version-check -e "$spec"
    touch "$stamp"
fi

qt_ok() {
    QT_QPA_PLATFORM=offscreen .venv/bin/python -c \
        'from PySide6.QtWidgets import QApplication; QApplication([])' >/dev/null 2>&1
}
if ! qt_ok; then
    if command -v apt-get >/dev/null 2>&1; then
        echo "正在安装 Qt 需要的系统库……"
        SUDO=""
        [ "$(id -u)" -ne 0 ] && SUDO="sudo"
        $SUDO apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
            libegl1 libgl1 libglib2.0-0 libfontconfig1 libfreetype6 libdbus-1-3 \
            libxkbcommon0 libxkbcommon-x11-0 libx11-xcb1 libxcb-cursor0 libxcb-icccm4 \
            libxcb-image0 libxcb-keysyms1 libxcb-randr0 libxcb-render-util0 libxcb-shape0 \
            libxcb-xinerama0 libxcb-xkb1 libxcb-xfixes0 >/dev/null
    fi
    qt_ok || { echo "Qt 仍无法启动，请检查系统图形库。" >&2; exit 1; }
fi
