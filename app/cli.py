"""The ``newsfacts`` command: seed, serve, extract, eval, db upgrade."""

from __future__ import annotations

import os
import sys
import time
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError

from app.settings import get_settings

cli = typer.Typer(help="newsfacts: the facts in news articles, served over HTTP.", no_args_is_help=True)
db_cli = typer.Typer(help="Database schema.", no_args_is_help=True)
cli.add_typer(db_cli, name="db")
eval_cli = typer.Typer(help="Score extraction against human annotation.", no_args_is_help=True)
cli.add_typer(eval_cli, name="eval")

DEFAULT_GOLD = Path("../shared/gold/000_48d938ff19edc6c5.json")
CPUS = os.cpu_count() or 1


# A path option that must name a readable file: Typer then answers a missing one with its name and
# reason, exit 2, before any work starts.
AN_INPUT_FILE: dict[str, bool] = {"exists": True, "dir_okay": False, "readable": True}


def _err(message: str) -> None:
    typer.echo(message, err=True)


@db_cli.command("upgrade")
def db_upgrade() -> None:
    """Apply the migrations up to the newest one."""
    from app.db import make_engine, schema_revisions, upgrade

    engine = make_engine(get_settings())
    upgrade(engine)
    current, _ = schema_revisions(engine)
    typer.echo(f"database at revision {current}")


@cli.command()
def seed(
    paths: Annotated[
        list[Path] | None, typer.Argument(help="Files (.txt seed format, .jsonl) or folders; default: seeds/")
    ] = None,
    batch_size: Annotated[int, typer.Option(min=1, max=1000, help="Articles parsed per batch.")] = 32,
    processes: Annotated[
        int, typer.Option(min=1, max=64, help="Extraction processes (default: one per core).")
    ] = CPUS,
) -> None:
    """Read articles, extract their facts and store them. Re-running changes nothing."""
    from app.db import make_engine, upgrade
    from app.ingest import IngestSummary, ingest
    from app.sources import SourceError, iter_paths, read_path

    settings = get_settings()
    engine = make_engine(settings)
    upgrade(engine)

    def documents():  # type: ignore[no-untyped-def]
        for item in iter_paths(paths or [settings.seeds_dir]):
            if isinstance(item, SourceError):
                yield item
            else:
                yield from read_path(item)

    started = time.monotonic()
    last_report = [started]
    reported_errors = [0]

    def progress(summary: IngestSummary) -> None:
        for error in summary.errors[reported_errors[0] :]:
            _err(f"error: {error}")
        reported_errors[0] = len(summary.errors)
        now = time.monotonic()
        if now - last_report[0] >= 2:
            last_report[0] = now
            done = summary.new + summary.unchanged + summary.failed
            _err(
                f"… {done} articles ({summary.new} new, {summary.unchanged} unchanged, "
                f"{summary.failed} failed), "
                f"{done / (now - started):.1f} articles/s"
            )

    summary = ingest(
        engine,
        documents(),
        model=settings.spacy_model,
        processes=processes,
        batch_size=batch_size,
        on_progress=progress,
    )
    engine.dispose()
    elapsed = time.monotonic() - started
    typer.echo(
        f"articles: {summary.new} new, {summary.unchanged} unchanged, {summary.failed} failed; "
        f"quotes: {summary.quotes}, actors: {summary.actors}, positions: {summary.positions} "
        f"({elapsed:.1f} s)"
    )
    if summary.failed:
        raise typer.Exit(code=1)


@cli.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Interface to listen on.")] = None,
    port: Annotated[int | None, typer.Option(min=1, max=65535, help="Port to listen on.")] = None,
    workers: Annotated[int, typer.Option(min=1, max=64, help="Worker processes.")] = 1,
) -> None:
    """Serve the API with uvicorn (applies the migrations first)."""
    import uvicorn

    from app.db import make_engine, upgrade
    from app.nlp import model_installed
    from app.observability import logging_config

    settings = get_settings()
    if settings.load_model_on_startup and not model_installed(settings.spacy_model):
        _err(
            f"The language model {settings.spacy_model!r} is not installed: set NEWSFACTS_SPACY_MODEL to "
            "an installed spaCy package or a model folder (the README's install command installs the "
            "default one)."
        )
        raise typer.Exit(2)
    engine = make_engine(settings)
    upgrade(engine)
    engine.dispose()
    uvicorn.run(
        "app.main:create_app",
        factory=True,
        host=host or settings.host,
        port=port or settings.port,
        workers=workers,
        log_config=logging_config(settings),
        access_log=False,
        proxy_headers=True,
    )


@cli.command()
def extract(
    path: Annotated[
        Path | None, typer.Argument(help="JSONL file of articles; default: standard input.")
    ] = None,
    processes: Annotated[int, typer.Option(min=1, max=64, help="Extraction processes.")] = CPUS,
    batch_size: Annotated[int, typer.Option(min=1, max=1000, help="Articles per batch.")] = 32,
) -> None:
    """Extract facts from JSONL articles to JSON lines on standard output; no database.

    Each input line is an object with `title` and `body` and optionally `id, date, section, url,
    source, standfirst, caption`. Each output line carries the input's `id`, the article's fields and
    its `quotes`, `actors` and `positions`. Bad lines are reported on standard error with their number.
    """
    from collections import deque

    import orjson

    from app.extraction.parallel import extract_parallel
    from app.facts_json import facts_to_json
    from app.sources import SourceDocument, SourceError, read_jsonl_lines

    settings = get_settings()
    origin = str(path) if path else "<stdin>"
    try:
        handle = path.open("rb") if path else sys.stdin.buffer
    except OSError as exc:
        _err(f"error: {origin}: cannot read: {exc.strerror or exc}")
        raise typer.Exit(code=2) from None
    pending: deque[SourceDocument] = deque()
    failed = [0]

    def fields():  # type: ignore[no-untyped-def]
        for item in read_jsonl_lines(handle, origin):
            if isinstance(item, SourceError):
                failed[0] += 1
                _err(f"error: {item}")
                continue
            pending.append(item)
            yield item.fields()

    out = sys.stdout.buffer
    written = 0
    for facts in extract_parallel(settings.spacy_model, fields(), processes=processes, batch_size=batch_size):
        document = pending.popleft()
        if facts.error is not None:
            failed[0] += 1
            _err(f"error: {document.origin}: extraction failed ({facts.error})")
            continue
        record = {
            "id": document.external_id,
            "title": document.title,
            "standfirst": document.standfirst,
            "caption": document.caption,
            "body": document.body,
            "date": document.published_on.isoformat() if document.published_on else None,
            "section": document.section,
            "url": document.url,
            "source": document.source,
            **facts_to_json(facts),
        }
        out.write(orjson.dumps(record) + b"\n")
        written += 1
    out.flush()
    _err(f"extracted {written} articles, {failed[0]} bad lines")
    if failed[0]:
        raise typer.Exit(code=1)


def _seed_fields(gold: dict, seeds_dir: Path) -> dict[str, str]:  # type: ignore[type-arg]
    from app.sources import SourceError, read_seed_text

    path = seeds_dir / gold["source"]
    document = read_seed_text(path.read_bytes(), str(path))
    if isinstance(document, SourceError):
        _err(f"error: {document}")
        raise typer.Exit(code=2)
    return document.fields()


def _load_gold(path: Path) -> dict:  # type: ignore[type-arg]
    import orjson

    try:
        return orjson.loads(path.read_bytes())  # type: ignore[no-any-return]
    except (OSError, orjson.JSONDecodeError) as exc:
        _err(f"error: {path}: cannot read the gold file ({exc})")
        raise typer.Exit(code=2) from None


def _seed_report(gold_path: Path, part: str) -> None:
    from app.evaluation import gold as scoring
    from app.nlp import get_extractor

    gold = _load_gold(gold_path)
    fields = _seed_fields(gold, get_settings().seeds_dir)
    facts = get_extractor(get_settings().spacy_model).extract(fields)
    section = {
        "quotes": lambda: scoring.score_quotes(fields, facts, gold["quotes"]),
        "actors": lambda: scoring.score_actors(facts, gold["actors"]),
        "positions": lambda: scoring.score_positions(facts, gold["positions"]),
    }[part]()
    typer.echo(f"Seed article {gold['source']} against {gold_path}")
    typer.echo(section.render())


GoldOption = Annotated[Path, typer.Option(help="The seed article's gold file.")]


@eval_cli.command("quotes")
def eval_quotes(
    gold: Annotated[
        Path | None,
        typer.Option(help="PolNeAR JSONL (e.g. ../shared/corpora/polnear-dev.jsonl).", **AN_INPUT_FILE),
    ] = None,
    seed_gold: GoldOption = DEFAULT_GOLD,
    limit: Annotated[int | None, typer.Option(min=1, help="Score only the first N articles.")] = None,
    processes: Annotated[int, typer.Option(min=1, max=64)] = CPUS,
) -> None:
    """Quotes: the seed article's gold quotes, and PolNeAR precision/recall/F1 when --gold is given."""
    if seed_gold.exists():
        _seed_report(seed_gold, "quotes")
    if gold is None:
        return
    from app.evaluation import polnear
    from app.extraction.parallel import extract_parallel

    records = polnear.read_records(gold, limit)
    model = get_settings().spacy_model
    report = polnear.evaluate(records, lambda items: extract_parallel(model, items, processes=processes))
    typer.echo("")
    typer.echo(polnear.format_report(report))


@eval_cli.command("actors")
def eval_actors(
    seed_gold: GoldOption = DEFAULT_GOLD,
    corpus: Annotated[
        list[Path] | None,
        typer.Option(
            help="JSONL corpus (title, body) to ingest into a scratch database; repeatable.", **AN_INPUT_FILE
        ),
    ] = None,
    limit: Annotated[int | None, typer.Option(min=1, help="Ingest only the first N articles.")] = None,
    top: Annotated[int, typer.Option(min=1, help="Records listed by mentions.")] = 50,
    window: Annotated[int, typer.Option(min=2, help="Duplicates are looked for among this many.")] = 200,
    processes: Annotated[int, typer.Option(min=1, max=64)] = CPUS,
) -> None:
    """Actors: the seed article's gold actors (found, kind, merged aliases, roles, affiliation), and with
    --corpus the actor records the real ingest path stores for a corpus, with suspected duplicates."""
    if seed_gold.exists():
        _seed_report(seed_gold, "actors")
    import tempfile
    from itertools import islice

    from sqlalchemy.orm import Session

    from app.db import make_engine, upgrade
    from app.evaluation.actors import corpus_report
    from app.ingest import ingest
    from app.settings import Settings
    from app.sources import read_path

    for path in corpus or []:
        if not path.is_file():
            _err(f"error: {path}: no such file")
            raise typer.Exit(code=2)
        with tempfile.TemporaryDirectory(prefix="newsfacts-eval-") as scratch:
            engine = make_engine(Settings(database_url=f"sqlite:///{scratch}/actors.db"))
            upgrade(engine)
            started = time.monotonic()
            summary = ingest(
                engine, islice(read_path(path), limit), model=get_settings().spacy_model, processes=processes
            )
            elapsed = time.monotonic() - started
            with Session(engine) as session:
                report = corpus_report(session, str(path), top=top, window=window)
            engine.dispose()
        typer.echo("")
        typer.echo(report.render(top))
        typer.echo(f"  ingested in {elapsed:.1f} s, {summary.failed} failed")


class TopicSize(StrEnum):
    articles = "articles"
    positions = "positions"


@eval_cli.command("positions")
def eval_positions(
    seed_gold: GoldOption = DEFAULT_GOLD,
    gwsd: Annotated[
        Path | None,
        typer.Option(help="GWSD.tsv: stance toward 'climate change is a serious concern'.", **AN_INPUT_FILE),
    ] = None,
    corpus: Annotated[
        Path | None,
        typer.Option(help="JSONL articles whose positions are grouped into topics.", **AN_INPUT_FILE),
    ] = None,
    limit: Annotated[int | None, typer.Option(min=1, help="Only the first N sentences / articles.")] = None,
    offset: Annotated[
        int, typer.Option(min=0, help="Skip the first N articles of --corpus (a part not tuned on).")
    ] = 0,
    top: Annotated[int, typer.Option(min=1, help="Topics to list from --corpus.")] = 20,
    size: Annotated[
        TopicSize,
        typer.Option(
            help="What makes a topic large: the articles arguing it (the /topics default) or its positions."
        ),
    ] = TopicSize.articles,
    processes: Annotated[int, typer.Option(min=1, max=64)] = CPUS,
) -> None:
    """Positions: the seed article's gold positions; stance polarity on GWSD; topics found in a corpus."""
    if seed_gold.exists():
        _seed_report(seed_gold, "positions")
    if gwsd is not None:
        from app.evaluation import gwsd as gwsd_scoring
        from app.extraction.positions import stance_toward
        from app.nlp import get_extractor

        extractor = get_extractor(get_settings().spacy_model)
        sentences = gwsd_scoring.read_sentences(gwsd, limit)
        terms = gwsd_scoring.CLIMATE_TERMS
        report = gwsd_scoring.evaluate(
            sentences,
            lambda texts: [s.label for s in stance_toward(extractor.nlp, texts, terms, extractor.lexicon)],
        )
        typer.echo("")
        typer.echo(gwsd_scoring.format_report(report))
    if corpus is not None:
        from app.evaluation import positions as corpus_scoring

        typer.echo("")
        typer.echo(
            corpus_scoring.topic_report(
                corpus,
                get_settings().spacy_model,
                limit,
                top,
                processes,
                offset=offset,
                size="positions" if size is TopicSize.positions else "articles",
            )
        )


def _settings_error(exc: ValidationError) -> str:
    lines = ["error: invalid settings"]
    for error in exc.errors():
        name = "NEWSFACTS_" + "_".join(str(part) for part in error["loc"][:1]).upper()
        given = error.get("input")
        shown = "" if isinstance(given, dict | list) or given is None else f" (got {str(given)[:80]!r})"
        lines.append(f"  {name}: {error['msg']}{shown}")
    return "\n".join(lines)


def main() -> None:
    try:
        cli()
    except KeyboardInterrupt:
        sys.exit(130)
    except ValidationError as exc:
        if exc.title != "Settings":
            raise
        _err(_settings_error(exc))
        sys.exit(2)
