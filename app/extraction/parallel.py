"""Extraction over many processes, in input order, with a bounded number of articles in flight.

``concurrent.futures`` and ``multiprocessing.Pool.imap`` both read their whole input up front, which
breaks constant memory on a large file; here at most ``processes * 4`` batches are pending at once.
Each worker loads the spaCy pipeline once (by name: pipelines are never pickled).
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import chain, islice
from typing import TypeVar

from app.extraction.pipeline import Extractor, load_pipeline
from app.extraction.types import ArticleFacts

T = TypeVar("T")

_worker_extractor: Extractor | None = None


def _init_worker(model: str) -> None:
    global _worker_extractor
    _worker_extractor = Extractor(load_pipeline(model))


def _extract_batch(batch: list[Mapping[str, str]], batch_size: int) -> list[ArticleFacts]:
    assert _worker_extractor is not None
    return list(_worker_extractor.extract_many(batch, batch_size=batch_size))


def _chunks(items: Iterable[T], size: int) -> Iterator[list[T]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def extract_parallel(
    model: str,
    items: Iterable[Mapping[str, str]],
    *,
    processes: int,
    batch_size: int = 32,
    extractor: Extractor | None = None,
) -> Iterator[ArticleFacts]:
    """The facts of each item, in order.

    ``processes=1`` runs here, with ``extractor`` if one is given; the model loads only if there is work.
    """
    if processes <= 1:
        iterator = iter(items)
        first = next(iterator, None)
        if first is None:
            return
        local = extractor or Extractor(load_pipeline(model))
        yield from local.extract_many(chain((first,), iterator), batch_size=batch_size)
        return
    context = multiprocessing.get_context("spawn")
    pool = ProcessPoolExecutor(processes, mp_context=context, initializer=_init_worker, initargs=(model,))
    with pool:
        pending: deque[Future[list[ArticleFacts]]] = deque()
        for chunk in _chunks(items, batch_size):
            pending.append(pool.submit(_extract_batch, [dict(fields) for fields in chunk], batch_size))
            if len(pending) >= processes * 4:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()
