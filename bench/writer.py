"""Writer benchmark: the CPU the ingest writer spends per article, one article per transaction against
groups of articles, on the same extracted facts, side by side in one run.

    python bench/writer.py ../shared/corpora/reuters-21578/articles.jsonl --limit 1500 --rounds 2

With two extraction workers on two cores, the writing process takes its CPU from the workers: the
ingest ratio to bare spaCy (bench/ingest.py) is about 2 / (2 * extraction cost + writer CPU per
article / bare parse seconds per article). This benchmark isolates that writer CPU. The corpus is
extracted once (with every core), then stored into fresh SQLite files: by ``store_with_retry``, one
transaction per article as the API stores them, and by ``store_group``, as a seed stores them. It
prints CPU ms and statements per article for each, alternating the two ``--rounds`` times so that a
busy machine weighs on both alike, and checks that both databases hold the same rows.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import event  # noqa: E402

from app.db import make_engine, upgrade  # noqa: E402
from app.extraction.parallel import extract_parallel  # noqa: E402
from app.ingest import IngestSummary, Pending, store_group, store_with_retry  # noqa: E402
from app.settings import Settings  # noqa: E402
from app.sources import SourceError, content_hash, read_jsonl_lines  # noqa: E402

GROUP = 32


def extracted(path: Path, limit: int | None, model: str, processes: int) -> list[Pending]:
    documents = []
    with path.open("rb") as handle:
        for item in read_jsonl_lines(handle, str(path)):
            if not isinstance(item, SourceError):
                documents.append(item)
            if limit and len(documents) >= limit:
                break
    facts = extract_parallel(model, (d.fields() for d in documents), processes=processes)
    return [(d, content_hash(d), f) for d, f in zip(documents, facts, strict=True)]


def one_by_one(engine: object, items: list[Pending]) -> None:
    for document, digest, facts in items:
        store_with_retry(engine, document, facts, digest)  # type: ignore[arg-type]


def grouped(engine: object, items: list[Pending]) -> None:
    summary = IngestSummary()
    for start in range(0, len(items), GROUP):
        store_group(engine, items[start : start + GROUP], summary)  # type: ignore[arg-type]


def timed(
    store: Callable[[object, list[Pending]], None], items: list[Pending], path: str
) -> tuple[float, int]:
    """CPU seconds and statements to store ``items`` into a fresh SQLite file at ``path``."""
    engine = make_engine(Settings(database_url=f"sqlite:///{path}"))
    upgrade(engine)
    statements = [0]

    @event.listens_for(engine, "before_cursor_execute")
    def count(*_: object) -> None:
        statements[0] += 1

    started = time.process_time()
    store(engine, items)
    seconds = time.process_time() - started
    engine.dispose()
    return seconds, statements[0]


def rows(path: str) -> list[tuple[str, list[tuple[object, ...]]]]:
    """Every table's rows in a fixed order, without the time each article was stored."""
    connection = sqlite3.connect(path)
    tables = [
        name
        for (name,) in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%' "
            "AND name NOT LIKE '%fts%' AND name != 'alembic_version' ORDER BY name"
        )
    ]
    found = []
    for table in tables:
        columns = [c[1] for c in connection.execute(f"PRAGMA table_info({table})") if c[1] != "ingested_at"]
        listed = ", ".join(f'"{c}"' for c in columns)
        order = ", ".join(str(i + 1) for i in range(len(columns)))
        found.append((table, connection.execute(f"SELECT {listed} FROM {table} ORDER BY {order}").fetchall()))
    connection.close()
    return found


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("corpus", type=Path, help="JSONL file with title and body per line")
    parser.add_argument("--limit", type=int, default=1500, help="articles to store")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--processes", type=int, default=os.cpu_count() or 1, help="for the extraction")
    parser.add_argument("--model", default=Settings().spacy_model)
    args = parser.parse_args()

    items = extracted(args.corpus, args.limit, args.model, args.processes)
    results: dict[str, list[tuple[float, int]]] = {"one per transaction": [], f"groups of {GROUP}": []}
    with tempfile.TemporaryDirectory() as folder:
        for round_ in range(args.rounds):
            for (name, store), suffix in zip(
                (("one per transaction", one_by_one), (f"groups of {GROUP}", grouped)), "ab", strict=True
            ):
                results[name].append(timed(store, items, f"{folder}/{suffix}{round_}.db"))
        same = rows(f"{folder}/a0.db") == rows(f"{folder}/b0.db")

    n = len(items)
    lines = [f"{'writer':<22} {'articles':>8} {'CPU ms/article (each round)':>30} {'statements/article':>19}"]
    for name, runs in results.items():
        per_round = "  ".join(f"{1000 * seconds / n:.2f}" for seconds, _ in runs)
        lines.append(f"{name:<22} {n:>8} {per_round:>30} {runs[0][1] / n:>19.1f}")
    lines.append(f"same rows in both databases: {'yes' if same else 'NO'}")
    table = "\n".join(lines)
    print(table)

    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / f"writer-{stamp}.json").write_text(
        json.dumps({"argv": sys.argv, "articles": n, "results": results, "same_rows": same}, indent=2)
    )
    command = "python bench/writer.py " + " ".join(sys.argv[1:])
    with (ROOT / "bench" / "RESULTS.md").open("a") as handle:
        handle.write(f"\n## Writer, {stamp}\n\n`{command}`\n\n```\n{table}\n```\n")
    if not same:
        raise SystemExit("the two writers stored different rows")


if __name__ == "__main__":
    main()
