"""``python -m rangemap``: the same command as ``rangemap``."""

from rangemap.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
