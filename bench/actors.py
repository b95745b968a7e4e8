"""What cross-article actor resolution costs at ingest, side by side on the same texts.

    python -m bench.actors ../shared/corpora/bbc-news/articles.jsonl --processes 2

The articles are extracted once (parse and extraction are the same either way); their facts are then
stored twice into two fresh SQLite databases through ``store_article``: once with the real
``ActorResolver``, once with a resolver that makes every actor of every article a new record (no
look-up, no merge, no vote). Ingest time is extraction plus storing; the ratio is with / without.
"""

from __future__ import annotations

import argparse
import itertools
import tempfile
import time
from pathlib import Path

from app.db import make_engine, upgrade, write_session
from app.extraction import types as ex
from app.extraction.parallel import extract_parallel
from app.ingest import ActorResolver, Link, store_article
from app.naming import slugify
from app.settings import Settings, get_settings
from app.sources import SourceDocument, content_hash, read_path

_serial = itertools.count(1)


class NoResolution(ActorResolver):
    """Each actor of each article is a record of its own: storing with no cross-article resolution."""

    def resolve(self, actor: ex.Actor) -> Link:
        return Link(self._new(actor.name, actor.kind), strong=True)

    def resolve_name(self, name: str, kind: str) -> int:
        return self._new(name, kind)

    def reconcile(self) -> None:
        self.new_names.clear()

    def _new(self, name: str, kind: str) -> int:
        from app import models

        n = next(_serial)
        row = models.Actor(
            slug=f"{slugify(name)}-{n}", name=name, normalized_name=f"{name.lower()}#{n}", kind=kind
        )
        self.session.add(row)
        self.session.flush()
        return row.id


def store_all(
    items: list[tuple[SourceDocument, ex.ArticleFacts]], folder: str, resolver: type[ActorResolver]
) -> float:
    engine = make_engine(Settings(database_url=f"sqlite:///{folder}/{resolver.__name__}.db"))
    upgrade(engine)
    started = time.perf_counter()
    for document, facts in items:
        with write_session(engine) as session:
            store_article(session, document, facts, content_hash(document), resolver_class=resolver)
    elapsed = time.perf_counter() - started
    engine.dispose()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--processes", type=int, default=1)
    args = parser.parse_args()

    documents = [
        d for d in itertools.islice(read_path(args.corpus), args.limit) if isinstance(d, SourceDocument)
    ]
    unique = list({content_hash(d): d for d in documents}.values())
    started = time.perf_counter()
    facts = list(
        extract_parallel(get_settings().spacy_model, (d.fields() for d in unique), processes=args.processes)
    )
    extract = time.perf_counter() - started
    items = list(zip(unique, facts, strict=True))
    with tempfile.TemporaryDirectory(prefix="newsfacts-bench-") as folder:
        without = store_all(items, folder, NoResolution)
        with_resolution = store_all(items, folder, ActorResolver)
    print(f"{len(unique)} articles, {sum(len(f.actors) for f in facts)} actors in them")
    print(f"extraction (parse + facts):       {extract:8.1f} s")
    print(f"storing without resolution:       {without:8.1f} s")
    print(f"storing with resolution:          {with_resolution:8.1f} s")
    print(f"ingest without resolution:        {extract + without:8.1f} s")
    print(f"ingest with resolution:           {extract + with_resolution:8.1f} s")
    print(f"ratio with / without:             {(extract + with_resolution) / (extract + without):8.3f}")


if __name__ == "__main__":
    main()
