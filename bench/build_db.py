"""Build a benchmark database of at least 100,000 articles with their quotes, actors and positions.

    python bench/build_db.py --corpus ../shared/corpora/reuters-21578/articles.jsonl \
        --corpus ../shared/corpora/bbc-news/articles.jsonl --sqlite bench/data/bench.db \
        [--postgres postgresql+psycopg://postgres@127.0.0.1/newsfacts_bench] --articles 100000

The corpora are seeded once through the real ingest path (extraction included) into the SQLite file;
the stored articles are then copied under new ids, slugs, hashes and dates (a year later per copy)
with all their mentions, roles, quotes and positions until there are ``--articles`` of them. With
``--postgres`` the finished SQLite tables are copied into that (emptied, migrated) database.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import Engine, func, insert, select, text  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from app import counts, models  # noqa: E402
from app.db import make_engine, upgrade  # noqa: E402
from app.ingest import ingest  # noqa: E402
from app.settings import Settings  # noqa: E402
from app.sources import SourceError, iter_paths, read_path  # noqa: E402

# Columns copied as they are; the rest are shifted per copy below.
ARTICLE_COPY = (
    "source, url, section, title, standfirst, caption, photo_credit, body, word_count, language, "
    "extractor_version, ingested_at"
)


def seed(engine: Engine, corpora: list[Path], model: str, processes: int) -> None:
    def documents():  # type: ignore[no-untyped-def]
        for path in iter_paths(corpora):
            if not isinstance(path, SourceError):
                yield from read_path(path)

    started = time.perf_counter()
    summary = ingest(engine, documents(), model=model, processes=processes)
    print(f"seeded {summary.as_dict()} in {time.perf_counter() - started:.0f} s", flush=True)


def replicate(engine: Engine, target: int) -> None:
    """Copies of the seeded articles with their facts, in SQL, each copy dated a year later."""
    with engine.begin() as connection:
        base = connection.execute(select(func.max(models.Article.id))).scalar_one()
        quotes = connection.execute(select(func.coalesce(func.max(models.Quote.id), 0))).scalar_one()
        copies = -(-target // base)
        # Undated articles (the BBC set) get a day of 2005 so that every copy has a date to sort by.
        connection.execute(
            text(
                "UPDATE article SET published_on = date('2005-01-01', '+' || (id % 365) || ' days') "
                "WHERE published_on IS NULL"
            )
        )
        for table in ("article", "quote", "position"):
            connection.execute(
                text(
                    f"UPDATE {table} SET sort_date = (SELECT published_on FROM article AS a "
                    f"WHERE a.id = {table}.{'id' if table == 'article' else 'article_id'})"
                )
            )
        connection.execute(
            text(
                "UPDATE actor_role SET seen_on = (SELECT published_on FROM article "
                "WHERE article.id = actor_role.article_id)"
            )
        )
        for k in range(1, copies):
            shift, qshift, days = k * base, k * quotes, 365 * k
            connection.execute(
                text(
                    f"INSERT INTO article (id, slug, content_hash, published_on, sort_date, {ARTICLE_COPY}) "
                    f"SELECT id + {shift}, slug || '-c{k}', "
                    f"substr('00000{k}', -6) || substr(content_hash, 7), "
                    f"date(published_on, '+{days} days'), date(published_on, '+{days} days'), "
                    f"{ARTICLE_COPY} FROM article WHERE id <= {base}"
                )
            )
            connection.execute(
                text(
                    f'INSERT INTO mention (article_id, actor_id, field, start, "end", text) '
                    f'SELECT article_id + {shift}, actor_id, field, start, "end", text FROM mention '
                    f"WHERE article_id <= {base}"
                )
            )
            connection.execute(
                text(
                    f"INSERT INTO actor_role (actor_id, article_id, title, seen_on) "
                    f"SELECT actor_id, article_id + {shift}, title, date(seen_on, '+{days} days') "
                    f"FROM actor_role WHERE article_id <= {base}"
                )
            )
            quote_columns = (
                "seq, speaker_id, speaker_text, speaker_field, speaker_start, speaker_end, kind, cue, "
                'cue_field, cue_start, cue_end, content, field, start, "end", confidence'
            )
            connection.execute(
                text(
                    f"INSERT INTO quote (id, article_id, sort_date, {quote_columns}) "
                    f"SELECT id + {qshift}, article_id + {shift}, date(sort_date, '+{days} days'), "
                    f"{quote_columns} FROM quote "
                    f"WHERE article_id <= {base}"
                )
            )
            position_columns = (
                'seq, actor_id, topic_id, stance, claim, field, start, "end", evidence, evidence_field, '
                "evidence_start, evidence_end, confidence"
            )
            connection.execute(
                text(
                    f"INSERT INTO position (article_id, quote_id, sort_date, {position_columns}) "
                    f"SELECT article_id + {shift}, quote_id + {qshift}, date(sort_date, '+{days} days'), "
                    f"{position_columns} FROM position "
                    f"WHERE article_id <= {base}"
                )
            )
            print(f"copy {k}/{copies - 1} done", flush=True)
    with Session(engine) as session, session.begin():
        counts.recount_all(session)
    with engine.connect() as connection:
        total = connection.execute(select(func.count()).select_from(models.Article)).scalar_one()
    print(f"{total} articles", flush=True)


def copy_to_postgres(source: Engine, url: str) -> None:
    target = make_engine(Settings(database_url=url))
    with target.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    upgrade(target)
    tables = models.Base.metadata.sorted_tables
    with source.connect() as reader, target.begin() as writer:
        writer.execute(text("DELETE FROM tally"))  # made by the migrations; copied below
        # Actors name their country by id, in any order: foreign keys are checked by the source, not here.
        writer.execute(text("SET LOCAL session_replication_role = replica"))
        for table in tables:
            rows = reader.execution_options(yield_per=5000).execute(select(table))
            for batch in rows.partitions(5000):
                writer.execute(insert(table), [dict(row._mapping) for row in batch])
            if "id" in table.c:
                writer.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                        f"(SELECT coalesce(max(id), 1) FROM {table.name}))"
                    )
                )
            print(f"copied {table.name}", flush=True)
        writer.execute(text("ANALYZE"))
    target.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--corpus", action="append", type=Path, required=True)
    parser.add_argument("--sqlite", type=Path, default=ROOT / "bench" / "data" / "bench.db")
    parser.add_argument("--postgres", default=None)
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--processes", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()

    args.sqlite.parent.mkdir(parents=True, exist_ok=True)
    engine = make_engine(Settings(database_url=f"sqlite:///{args.sqlite}"))
    upgrade(engine)
    with engine.connect() as connection:
        existing = connection.execute(select(func.count()).select_from(models.Article)).scalar_one()
    if existing == 0:
        seed(engine, args.corpus, Settings().spacy_model, args.processes)
        replicate(engine, args.articles)
        # Outside any transaction: a checkpoint inside one finds the table locked.
        raw = engine.raw_connection()
        raw.cursor().execute("ANALYZE")
        raw.cursor().execute("PRAGMA wal_checkpoint(TRUNCATE)")
        raw.close()
    else:
        print(f"{args.sqlite} already holds {existing} articles: kept as it is", flush=True)
    if args.postgres:
        copy_to_postgres(engine, args.postgres)
    engine.dispose()


if __name__ == "__main__":
    main()
