"""Start-up benchmark: from ``newsfacts serve`` to its first answers, and the memory it then holds.

    python bench/startup.py --database sqlite:///bench/data/bench.db [--rounds 5] [--baseline TREE]

Each round starts the real command (``python -m app serve``, which applies the migrations first) on
one core and polls, every 10 ms, ``/health`` (the process answers), ``/articles?limit=20`` (the first
read with data) and ``/ready`` (database, schema and language model all in). Then it reads the
serving process's resident memory after a list, an article with its facts, a search and a topic.

``--baseline TREE`` starts another work tree's code (with its own ``.venv``) in the same rounds,
the order swapped every round, so that the comparison survives a host whose speed drifts.
The table gives each tree's median and range; a summary is appended to bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.http_load import Code, free_port, get_json, record, start, stop  # noqa: E402

STAGES = ("health", "first page", "ready")


def poll(url: str, started: float, seconds: float = 120) -> float:
    while time.monotonic() - started < seconds:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    response.read()
                    return time.monotonic() - started
        except (urllib.error.HTTPError, OSError):
            pass  # not listening yet, or not ready: ask again
        time.sleep(0.01)
    raise RuntimeError(f"{url} did not answer 200 within {seconds} s")


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def one_start(code: Code, database: str) -> dict[str, float]:
    port = free_port()
    env = {
        **os.environ,
        "NEWSFACTS_DATABASE_URL": database,
        "NEWSFACTS_PORT": str(port),
        "NEWSFACTS_RATE_LIMIT_ENABLED": "false",
        "NEWSFACTS_LOG_LEVEL": "WARNING",
    }
    base = f"http://127.0.0.1:{port}"
    started = time.monotonic()
    process = start([code.python, "-m", "app", "serve"], env, pin=True, cwd=code.tree)
    try:
        figures = {
            "health": poll(f"{base}/health", started),
            "first page": poll(f"{base}/articles?limit=20", started),
            "ready": poll(f"{base}/ready", started),
        }
        first = get_json(f"{base}/articles?limit=20")["items"][0]["id"]
        get_json(f"{base}/articles/{first}?include=quotes&include=actors&include=positions")
        get_json(f"{base}/search?q=said")
        topics = get_json(f"{base}/topics?limit=1")["items"]
        if topics:
            get_json(f"{base}/topics/{topics[0]['id']}")
        figures["rss MB"] = rss_mb(process.pid)
        return figures
    finally:
        stop(process)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database", required=True, help="SQLAlchemy URL of a seeded database")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--baseline", type=Path, help="another work tree to start in the same rounds")
    args = parser.parse_args()

    codes = [Code.of(ROOT)] + ([Code.of(args.baseline)] if args.baseline else [])
    runs: dict[str, list[dict[str, float]]] = {code.name: [] for code in codes}
    for round_ in range(args.rounds):
        order = codes[::-1] if round_ % 2 else codes
        for code in order:
            figures = one_start(code, args.database)
            runs[code.name].append(figures)
            print(
                f"round {round_ + 1} {code.name}: " + ", ".join(f"{k} {v:.2f}" for k, v in figures.items()),
                flush=True,
            )

    columns = [*STAGES, "rss MB"]
    lines = [f"{'code':<10} " + " ".join(f"{c + (' s' if c != 'rss MB' else ''):>22}" for c in columns)]
    for name, figures in runs.items():
        cells = []
        for column in columns:
            values = [f[column] for f in figures]
            cells.append(f"{statistics.median(values):>8.2f} ({min(values):.2f}–{max(values):.2f})")
        lines.append(f"{name:<10} " + " ".join(f"{c:>22}" for c in cells))
    table = "\n".join(lines)
    print(table)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    record("Start-up", stamp, table, f"Median (range) over {args.rounds} rounds. ")


if __name__ == "__main__":
    main()
