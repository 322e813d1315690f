"""`python scripts/bench [OPTIONS]` (what `make bench` runs), or `python -m scripts.bench`
from the repository; `python scripts/bench NAME ARGS…` runs one helper of children.py."""

import sys
from pathlib import Path


def _main() -> None:
    if __package__:
        from .cli import main
    else:  # run as a folder: sys.path[0] is this folder; import it as the package `bench`
        sys.path[0] = str(Path(__file__).resolve().parent.parent)
        from bench.cli import main
    main()


if __name__ == "__main__":
    _main()
