"""Start LaborDesk (劳务服务管理台): `python main.py [--db PATH]`, or the same as `labordesk`."""

from desktop.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
