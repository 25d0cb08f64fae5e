"""The synthetic 10-year workspace the benchmarks run on, cached under benchmarks/out/.

It is built by facilitator.demo.history (the one place synthetic records are made); this module
only names a folder per set of arguments and builds it when it is not there yet.

    from history import build_history          # from a script in benchmarks/
    info = build_history()                      # benchmarks/out/history-g400-y10-m10-s2026/
    info = build_history("/tmp/h", groups=40)   # smaller, elsewhere

Run as a script to build (or find) the default workspace and print its counts:
    uv run python benchmarks/history.py [--groups N] [--years N] [--out DIR] [--rebuild]
"""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import asdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from facilitator.demo import history as _history
from facilitator.demo.history import HistoryInfo

OUT = Path(__file__).resolve().parent / "out"
__all__ = ["HistoryInfo", "build_history", "default_path"]


def default_path(
    groups: int = 400, years: int = 10, men_per_group: int = 10, seed: int = 2026
) -> Path:
    return OUT / f"history-g{groups}-y{years}-m{men_per_group}-s{seed}"


def build_history(
    path: str | os.PathLike | None = None,
    groups: int = 400,
    years: int = 10,
    men_per_group: int = 10,
    seed: int = 2026,
    **options,
) -> HistoryInfo:
    """The workspace at `path` (default: the cached one for these arguments), built if absent."""
    where = Path(path) if path else default_path(groups, years, men_per_group, seed)
    return _history.build_history(where, groups, years, men_per_group, seed, **options)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(
        description="Build (or find in the cache) the synthetic history workspace."
    )
    ap.add_argument("--groups", type=int, default=400)
    ap.add_argument("--years", type=int, default=10)
    ap.add_argument("--men", type=int, default=10, help="seats per group")
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--out", help="workspace folder (default under benchmarks/out/)")
    ap.add_argument("--no-audit", action="store_true")
    ap.add_argument("--durable", action="store_true", help="fsync every file")
    ap.add_argument("--rebuild", action="store_true")
    a = ap.parse_args(argv)
    info = build_history(
        a.out,
        a.groups,
        a.years,
        a.men,
        a.seed,
        audit=not a.no_audit,
        durable=a.durable,
        rebuild=a.rebuild,
    )
    for key, value in asdict(info).items():
        print(f"{key:<14} {value}")
    print(f"{'records':<14} {info.records}")


if __name__ == "__main__":
    main()
