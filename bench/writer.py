"""Writer benchmark: the CPU the ingest writer spends per article, one article per transaction against
groups of articles, on the same extracted facts, side by side in one run.

    python bench/writer.py ../shared/corpora/reuters-21578/articles.jsonl --limit 1500 --rounds 2
    python bench/writer.py ../shared/corpora/reuters-21578/articles.jsonl --limit 0 --rounds 1 \
        --cache /tmp/reuters-facts.pickle --grouped-only

With two extraction workers on two cores, the writing process takes its CPU from the workers: the
ingest ratio to bare spaCy (bench/ingest.py) is about 2 / (2 * extraction cost + writer CPU per
article / bare parse seconds per article). This benchmark isolates that writer CPU. The corpus is
extracted once (with every core), then stored into fresh SQLite files: by ``store_with_retry``, one
transaction per article as the API stores them, and by ``store_group``, as a seed stores them. It
prints CPU ms and statements per article for each, alternating the two ``--rounds`` times so that a
busy machine weighs on both alike, and checks that both databases hold the same rows. The grouped
writer's CPU per article is also printed for each tenth of the articles: a cost that grows with the
database shows as a rising row. ``--cache`` keeps the extracted facts in a pickle (outside the
repository), so the whole corpus is parsed once across runs; ``--grouped-only`` skips the one-by-one
writer, for the whole corpus.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import json
import os
import pickle
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


def extracted(path: Path, limit: int | None, model: str, processes: int, cache: Path | None) -> list[Pending]:
    if cache is not None and cache.exists():
        with cache.open("rb") as handle:
            items: list[Pending] = pickle.load(handle)
        return items[:limit] if limit else items
    documents = []
    with path.open("rb") as handle:
        for item in read_jsonl_lines(handle, str(path)):
            if not isinstance(item, SourceError):
                documents.append(item)
            if limit and len(documents) >= limit:
                break
    facts = extract_parallel(model, (d.fields() for d in documents), processes=processes)
    items = [(d, content_hash(d), f) for d, f in zip(documents, facts, strict=True)]
    if cache is not None:
        with cache.open("wb") as handle:
            pickle.dump(items, handle, protocol=pickle.HIGHEST_PROTOCOL)
    return items


def one_by_one(engine: object, items: list[Pending]) -> None:
    for document, digest, facts in items:
        store_with_retry(engine, document, facts, digest)  # type: ignore[arg-type]


def grouped(engine: object, items: list[Pending], tenths: list[float] | None = None) -> None:
    summary = IngestSummary()
    step, last = max(1, len(items) // 10), (0, time.process_time())
    for start in range(0, len(items), GROUP):
        store_group(engine, items[start : start + GROUP], summary)  # type: ignore[arg-type]
        done = min(len(items), start + GROUP)
        # The tenth boundaries fall on group ends; the last tenth runs to the end of the corpus.
        if tenths is not None and (
            (done >= step * (len(tenths) + 1) and len(tenths) < 9) or done == len(items)
        ):
            now = time.process_time()
            tenths.append(round(1000 * (now - last[1]) / (done - last[0]), 2))
            last = (done, now)


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
    parser.add_argument("--limit", type=int, default=1500, help="articles to store (0: all)")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--processes", type=int, default=os.cpu_count() or 1, help="for the extraction")
    parser.add_argument("--model", default=Settings().spacy_model)
    parser.add_argument("--cache", type=Path, default=None, help="pickle of the extracted facts")
    parser.add_argument("--grouped-only", action="store_true", help="skip the one-by-one writer")
    args = parser.parse_args()

    items = extracted(args.corpus, args.limit or None, args.model, args.processes, args.cache)
    writers = [(f"groups of {GROUP}", grouped)]
    if not args.grouped_only:
        writers.insert(0, ("one per transaction", one_by_one))
    results: dict[str, list[tuple[float, int]]] = {name: [] for name, _ in writers}
    tenths: list[list[float]] = []
    with tempfile.TemporaryDirectory() as folder:
        for round_ in range(args.rounds):
            for (name, store), suffix in zip(writers, "ab", strict=False):
                if store is grouped:
                    tenths.append([])
                    store = functools.partial(grouped, tenths=tenths[-1])
                results[name].append(timed(store, items, f"{folder}/{suffix}{round_}.db"))
        same = None if args.grouped_only else rows(f"{folder}/a0.db") == rows(f"{folder}/b0.db")

    n = len(items)
    lines = [f"{'writer':<22} {'articles':>8} {'CPU ms/article (each round)':>30} {'statements/article':>19}"]
    for name, runs in results.items():
        per_round = "  ".join(f"{1000 * seconds / n:.2f}" for seconds, _ in runs)
        lines.append(f"{name:<22} {n:>8} {per_round:>30} {runs[0][1] / n:>19.1f}")
    for round_, row in enumerate(tenths):
        lines.append(f"groups, CPU ms/article in each tenth (round {round_ + 1}): {row}")
    if same is not None:
        lines.append(f"same rows in both databases: {'yes' if same else 'NO'}")
    table = "\n".join(lines)
    print(table)

    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / f"writer-{stamp}.json").write_text(
        json.dumps(
            {"argv": sys.argv, "articles": n, "results": results, "tenths": tenths, "same_rows": same},
            indent=2,
        )
    )
    command = "python bench/writer.py " + " ".join(sys.argv[1:])
    with (ROOT / "bench" / "RESULTS.md").open("a") as handle:
        handle.write(f"\n## Writer, {stamp}\n\n`{command}`\n\n```\n{table}\n```\n")
    if same is False:
        raise SystemExit("the two writers stored different rows")


if __name__ == "__main__":
    main()
