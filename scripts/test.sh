#!/usr/bin/env bash
# Set up (first time) and run the whole test suite, Qt tests offscreen. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh test
# The PostgreSQL tests (tests/test_postgres.py) start a private server when its programs are
# installed; on a bare Debian/Ubuntu we install them once. If that is not possible (no apt-get, no
# package registry) those tests are skipped and say why.
if ! command -v initdb >/dev/null 2>&1 && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 \
        && command -v apt-get >/dev/null 2>&1; then
    SUDO=""
    [ "$(id -u)" -ne 0 ] && SUDO="sudo -n"
    echo "正在安装 PostgreSQL（仅供测试使用）……"
    { $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
        postgresql >/dev/null; } || echo "未能安装 PostgreSQL，PostgreSQL 测试将跳过。"
    # the Debian package starts a cluster of its own; the tests use a private one
    { $SUDO service postgresql stop >/dev/null 2>&1 || true; }
fi
export QT_QPA_PLATFORM=offscreen
.venv/bin/python -m ruff check desktop tests bench scripts main.py
exec .venv/bin/python -m pytest -q -p no:cacheprovider "$@"
