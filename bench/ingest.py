"""Ingest benchmark: the seeding path against spaCy's bare ``nlp.pipe``, on the same texts, in one run.

    python bench/ingest.py ../shared/corpora/reuters-21578/articles.jsonl \
        ../shared/corpora/bbc-news/articles.jsonl

For each corpus it parses every title and body with bare ``nlp.pipe(n_process=P)`` (the reference), then
runs the real ingest path (``app.ingest.ingest``: reading, extraction in P worker processes, storing in a
fresh SQLite database) on the same articles, and prints articles/s, words/s, their ratio to bare spaCy,
and memory: the peak of the writing process and of the workers, and the writing process's RSS sampled
along the run (flat means no growth with the number of articles), and the writing process's own CPU per
article (see bench/writer.py). Results go to bench/results/ and a
summary is appended to bench/RESULTS.md with the command line.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.db import make_engine, upgrade  # noqa: E402
from app.ingest import IngestSummary, ingest  # noqa: E402
from app.settings import Settings  # noqa: E402
from app.sources import SourceDocument, SourceError, read_jsonl_lines  # noqa: E402


def rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def read_corpus(path: Path, limit: int | None) -> list[SourceDocument]:
    documents = []
    with path.open("rb") as handle:
        for item in read_jsonl_lines(handle, str(path)):
            if isinstance(item, SourceError):
                continue
            documents.append(item)
            if limit and len(documents) >= limit:
                break
    return documents


def words(documents: list[SourceDocument]) -> int:
    return sum(len(text.split()) for d in documents for text in d.fields().values())


def bare_spacy(model: str, documents: list[SourceDocument], processes: int) -> float:
    import spacy

    nlp = spacy.load(model)
    texts = (text for d in documents for text in d.fields().values() if text)
    started = time.perf_counter()
    for _ in nlp.pipe(texts, n_process=processes, batch_size=64):
        pass
    return time.perf_counter() - started


def run_ingest(model: str, documents: list[SourceDocument], processes: int) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as folder:
        engine = make_engine(Settings(database_url=f"sqlite:///{folder}/bench.db"))
        upgrade(engine)
        samples: list[tuple[int, float, float]] = []
        step = max(1, len(documents) // 10)
        last = [0, time.process_time()]

        def progress(summary: IngestSummary) -> None:
            # Called once per stored group of articles: a sample each time another tenth is done, with
            # the writer's CPU per article over that tenth (a cost growing with the database shows here).
            done = summary.new + summary.unchanged + summary.failed
            if done >= step * (len(samples) + 1):
                now = time.process_time()
                cpu_ms = 1000 * (now - last[1]) / max(1, done - last[0])
                samples.append((done, round(rss_mb(), 1), round(cpu_ms, 2)))
                last[:] = [done, now]

        started, cpu = time.perf_counter(), time.process_time()
        summary = ingest(engine, iter(documents), model=model, processes=processes, on_progress=progress)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        engine.dispose()
    return {"seconds": seconds, "writer_cpu": cpu, "summary": summary.as_dict(), "rss_samples": samples}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("corpora", nargs="+", type=Path, help="JSONL files with title and body per line")
    parser.add_argument("--processes", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--limit", type=int, default=None, help="articles per corpus")
    parser.add_argument("--model", default=Settings().spacy_model)
    args = parser.parse_args()

    rows = []
    for path in args.corpora:
        documents = read_corpus(path, args.limit)
        n_words = words(documents)
        bare = bare_spacy(args.model, documents, args.processes)
        result = run_ingest(args.model, documents, args.processes)
        seconds = float(result["seconds"])  # type: ignore[arg-type]
        rows.append(
            {
                "corpus": path.name if path.name != "articles.jsonl" else path.parent.name,
                "articles": len(documents),
                "words": n_words,
                "processes": args.processes,
                "bare_words_per_s": n_words / bare,
                "ingest_seconds": seconds,
                "ingest_articles_per_s": len(documents) / seconds,
                "ingest_words_per_s": n_words / seconds,
                "ratio": bare / seconds,
                # The writing process's own CPU: on two cores it is taken from the extraction workers.
                "writer_cpu_ms_per_article": 1000 * float(result["writer_cpu"]) / len(documents),  # type: ignore[arg-type]
                "peak_rss_writer_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                "peak_rss_worker_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
                "rss_samples": result["rss_samples"],
                "summary": result["summary"],
            }
        )

    header = (
        f"{'corpus':<14} {'articles':>8} {'words':>9} {'spaCy w/s':>10} {'ingest s':>9} {'art/s':>7} "
        f"{'words/s':>8} {'ratio':>6} {'writer MB':>9} {'worker MB':>9} {'writer CPU ms/art':>17}"
    )
    lines = [header]
    for r in rows:
        lines.append(
            f"{r['corpus']:<14} {r['articles']:>8} {r['words']:>9} {r['bare_words_per_s']:>10,.0f} "
            f"{r['ingest_seconds']:>9.1f} {r['ingest_articles_per_s']:>7.1f} "
            f"{r['ingest_words_per_s']:>8,.0f} "
            f"{r['ratio']:>6.2f} {r['peak_rss_writer_mb']:>9.0f} {r['peak_rss_worker_mb']:>9.0f} "
            f"{r['writer_cpu_ms_per_article']:>17.2f}"
        )
        lines.append(f"  writer (articles done, RSS MB, CPU ms/article in that tenth): {r['rss_samples']}")
    table = "\n".join(lines)
    print(table)

    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / f"ingest-{stamp}.json").write_text(json.dumps(rows, indent=2))
    command = "python bench/ingest.py " + " ".join(sys.argv[1:])
    with (ROOT / "bench" / "RESULTS.md").open("a") as results:
        results.write(f"\n## Ingest, {stamp}\n\n`{command}`\n\n```\n{table}\n```\n")


if __name__ == "__main__":
    main()
