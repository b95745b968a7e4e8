"""The only writer: ``SourceDocument`` → extraction → rows.

An article and every fact taken from it are committed together, keyed by the article's content hash,
so a reader never sees an article without its quotes, a re-run changes nothing, and a process killed
mid-way leaves no partial article. A seed commits a group of articles at a time, each in a savepoint
(``store_group``); the API stores one (``ingest_one``). Actors and topics are resolved against what is
already stored.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import random
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, Table, bindparam, delete, func, insert, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.orm import Session, aliased

from app import counts, models
from app.db import prepared, write_session
from app.extraction import types as ex
from app.extraction.topics import best_match, head_term
from app.naming import actor_key, normalize_name, slugify
from app.observability import record_ingest
from app.sources import SourceDocument, SourceError, content_hash

if TYPE_CHECKING:
    from app.extraction import Extractor

logger = logging.getLogger("newsfacts.ingest")

ATTEMPTS = 3


@dataclass
class IngestSummary:
    new: int = 0
    unchanged: int = 0
    failed: int = 0
    quotes: int = 0
    actors: int = 0
    positions: int = 0
    errors: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "articles_new": self.new,
            "articles_unchanged": self.unchanged,
            "articles_failed": self.failed,
            "quotes": self.quotes,
            "actors": self.actors,
            "positions": self.positions,
        }


@dataclass(frozen=True, slots=True)
class StoredArticle:
    id: int
    created: bool
    moved: frozenset[int] = frozenset()
    """Actors whose facts changed hands while storing it (see ``ActorResolver.moved``)."""


def _insert_ignore(db: Connection, table: Table, values: dict[str, Any], conflict: list[str]) -> int | None:
    """INSERT … ON CONFLICT DO NOTHING; the new row's id, None when there was one already."""
    statement = _insert(table.name, db.dialect.name, tuple(conflict))
    # RETURNING, not rowcount: on PostgreSQL an insert that waited for a concurrent transaction holding
    # the same key, then did nothing, still reports a row count of 1 through SQLAlchemy.
    return db.execute(statement, values).scalar()


_FAMILY: dict[str, tuple[str, ...]] = {
    "person": ("person",),
    "country": ("country",),
    "organization": ("organization", "group"),
    "group": ("organization", "group"),
}
_SLUG_RANK = {"country": 0, "organization": 1, "person": 2, "group": 3}
"""Which kind keeps the bare slug when two kinds share a name ("georgia"): the same whatever the order."""


def _short_names(name: str, kind: str) -> list[str]:
    """Names a record answers to beyond its own: a person's surname, a party's name without "Party"."""
    words = name.split()
    if kind == "person" and len(words) >= 2 and words[-1][:1].isupper():
        return [words[-1]]
    if kind in {"organization", "group"} and len(words) >= 2 and words[-1].lower() == "party":
        return [" ".join(words[:-1])]
    return []


def _better_name(a: str, b: str) -> str:
    """The display name two spellings of one key settle on, whichever came first: the fuller one, not
    in capitals ("Reagan" over a headline's "REAGAN")."""
    return min(a, b, key=lambda n: (-len(n.split()), n.isupper(), -sum(c.isupper() for c in n), n))


def _title_head(title: str) -> str:
    """The word a title is about: "US President" and "President" both say "president"."""
    words = title.lower().split()
    return words[-1] if words else ""


@dataclass(frozen=True, slots=True)
class Link:
    actor_id: int
    strong: bool
    """False when the article named the actor only by a short name ("Blair") that one stored actor
    answers to ("Tony Blair"); such links are shared out again if that short name becomes ambiguous."""


_ACTOR = models.Actor.__table__
_ALIAS = models.ActorAlias.__table__
_TOPIC = models.Topic.__table__
_MENTION = models.Mention.__table__
_ROLE = models.ActorRole.__table__


# The resolver's frequent statements, built once: building and caching a statement costs SQLAlchemy
# several times what SQLite takes to run it (see ``app.db.prepared``).
@prepared
def _actors_by_keys() -> Any:
    c = _ACTOR.c
    return select(c.id, c.kind, c.normalized_name, c.name).where(
        c.normalized_name.in_(bindparam("keys", expanding=True))
    )


@prepared
def _aliases_by_normals() -> Any:
    return (
        select(_ALIAS.c.normalized, _ALIAS.c.actor_id, _ACTOR.c.kind, _ACTOR.c.normalized_name)
        .join(_ACTOR, _ACTOR.c.id == _ALIAS.c.actor_id)
        .where(_ALIAS.c.normalized.in_(bindparam("normals", expanding=True)))
    )


@prepared
def _actor_by_key(columns: tuple[str, ...]) -> Any:
    c = _ACTOR.c
    return select(*(c[name] for name in columns)).where(
        c.kind.in_(bindparam("kinds", expanding=True)), c.normalized_name == bindparam("key")
    )


@prepared
def _answering() -> Any:
    # Only the alias is constrained, so every database drives the lookup from the alias index. With
    # the kind in the statement too, SQLite (without statistics) walked every actor of the kind and
    # probed its aliases: a cost that grows with the database (8 ms a call at 30,000 actors).
    return (
        select(_ALIAS.c.actor_id, _ACTOR.c.kind, _ACTOR.c.normalized_name)
        .join(_ACTOR, _ACTOR.c.id == _ALIAS.c.actor_id)
        .where(_ALIAS.c.normalized == bindparam("normal"))
    )


@prepared
def _actor_by_id() -> Any:
    c = _ACTOR.c
    return select(c.kind, c.normalized_name, c.name, c.country_id, c.affiliation_id).where(
        c.id == bindparam("actor")
    )


@prepared
def _actor_by_slug() -> Any:
    c = _ACTOR.c
    return select(c.id, c.kind, c.normalized_name).where(c.slug == bindparam("slug"))


@prepared
def _rename_actor(columns: tuple[str, ...]) -> Any:
    return update(_ACTOR).where(_ACTOR.c.id == bindparam("actor")).values({c: bindparam(c) for c in columns})


@prepared
def _insert_actor(dialect: str) -> Any:
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    return (
        insert(_ACTOR)
        .values({c: bindparam(c) for c in ("slug", "name", "normalized_name", "kind")})
        .on_conflict_do_nothing(index_elements=["kind", "normalized_name"])
        .returning(_ACTOR.c.id)
    )


@prepared
def _insert_aliases(dialect: str) -> Any:
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    return insert(_ALIAS).on_conflict_do_nothing(index_elements=["actor_id", "normalized"])


@prepared
def _stored_aliases() -> Any:
    return select(_ALIAS.c.normalized).where(
        _ALIAS.c.actor_id == bindparam("actor"), _ALIAS.c.normalized.in_(bindparam("normals", expanding=True))
    )


@prepared
def _insert(table: str, dialect: str, conflict: tuple[str, ...] = ()) -> Any:
    """INSERT into a table; with ``conflict``, ON CONFLICT DO NOTHING returning the new row's id."""
    target = models.Base.metadata.tables[table]
    if not conflict:
        return insert(target)
    insert_ignore = postgresql.insert if dialect == "postgresql" else sqlite.insert
    return insert_ignore(target).on_conflict_do_nothing(index_elements=list(conflict)).returning(target.c.id)


@prepared
def _id_by(table: str, column: str) -> Any:
    target = models.Base.metadata.tables[table]
    return select(target.c.id).where(target.c[column] == bindparam("value"))


@prepared
def _quote_ids() -> Any:
    quote = models.Quote.__table__.c
    return select(quote.seq, quote.id).where(quote.article_id == bindparam("article"))


@prepared
def _candidate_attributes() -> Any:
    c = _ACTOR.c
    return select(c.id, c.normalized_name, c.country_id).where(c.id.in_(bindparam("ids", expanding=True)))


@prepared
def _owner_mentions(in_article: bool) -> Any:
    m = _MENTION.c
    statement = select(m.actor_id, m.article_id, m.text).where(
        m.actor_id.in_(bindparam("owners", expanding=True))
    )
    return statement.where(m.article_id == bindparam("article")) if in_article else statement


@prepared
def _articles_organisations() -> Any:
    m = _MENTION.c
    return (
        select(m.article_id, m.actor_id)
        .join(_ACTOR, _ACTOR.c.id == m.actor_id)
        .where(m.article_id.in_(bindparam("articles", expanding=True)), _ACTOR.c.kind != "person")
    )


@prepared
def _owners_roles_in() -> Any:
    r = _ROLE.c
    return select(r.article_id, r.country_id, r.affiliation_id, r.title).where(
        r.article_id.in_(bindparam("articles", expanding=True)),
        r.actor_id.in_(bindparam("owners", expanding=True)),
    )


@prepared
def _candidates_roles() -> Any:
    r = _ROLE.c
    return select(r.actor_id, r.article_id, r.country_id, r.affiliation_id, r.title).where(
        r.actor_id.in_(bindparam("candidates", expanding=True))
    )


@prepared
def _any_mention() -> Any:
    return select(_MENTION.c.id).where(_MENTION.c.actor_id == bindparam("actor")).limit(1)


@prepared
def _most_given(column: str) -> Any:
    """The country (or affiliation) an actor's titles give most often, then most lately, then by name."""
    r = _ROLE.c
    given = r[column]
    return (
        select(given)
        .join(_ACTOR, _ACTOR.c.id == given)
        .where(r.actor_id == bindparam("actor"), given.is_not(None), given != bindparam("actor"))
        .group_by(given, _ACTOR.c.name)
        .order_by(func.count().desc(), func.max(r.seen_on).desc().nulls_last(), _ACTOR.c.name)
        .limit(1)
    )


class ActorResolver:
    """Maps the actors of one article onto stored actors, so that each real-world actor is one row.

    A mention resolves by its kind and key (``actor_key``): "Dmitry Peskov" in two articles is one row;
    organisations and groups share keys ("Labour" tagged either way is one record, an organisation if
    any article says so). A short name resolves to the one stored actor that answers to it (a person's
    surname, a stored alias: "Blair" → "Tony Blair", "WTO" → "World Trade Organization"); when two
    actors answer to it ("Bush": George W and Kate), to the one whose country or affiliation the
    article names, else to a record of the short name itself.

    The outcome does not depend on the order articles arrive in: after each article the records are
    brought back to that rule (``reconcile``). A short-name record is merged into a full one as soon as
    exactly one actor answers to the name; the articles that named only "Bush" are shared out again
    when a second Bush appears or a Bush's country changes. A person's country and affiliation are
    voted from the evidence of all their titles (most often seen, then latest, then by name).
    """

    def __init__(self, session: Session) -> None:
        self.session = session
        self.db = session.connection()
        """The session's connection: the prepared Core statements skip the ORM session's execute."""
        self.dialect = self.db.dialect.name
        self.new_names: set[tuple[int, str]] = set()
        """(actor, normalised alias) pairs added by this article, which reconcile must re-examine."""
        self.touched: set[int] = set()
        self.moved: set[int] = set()  # records whose facts changed hands (merged or redistributed)
        self.article_id: int | None = None
        self.ambiguous: set[tuple[str, str]] = set()
        """Short names of this article that more than one stored actor answers to."""
        self.evidence: set[int] = set()
        """People given a country or affiliation by this article: their vote is recounted."""
        self._records: dict[tuple[str, str], tuple[int, str, str]] = {}
        """(family, key) → (id, kind, name) of the stored records this article's names may be."""
        self._answers: dict[tuple[str, str], set[tuple[int, str]]] = {}
        """(family, normalised name) → (id, key) of the stored records with that alias."""
        self._fetched: set[str] = set()
        self._keys: set[str] = set()
        """Keys whose stored records are all in ``_records`` (a key loaded and not there has none)."""
        self._created: set[int] = set()
        """Records this resolver inserted: they have no alias it did not add."""
        self._alias_rows: list[dict[str, Any]] = []
        self.deferring = True
        """Aliases wait in ``_alias_rows`` until ``write_aliases``."""
        self._aliases: set[tuple[int, str]] = set()
        """(actor, normalised alias) pairs known to be stored."""

    def prefetch(self, names: Iterable[tuple[str, str]], aliases: Iterable[str] = ()) -> None:
        """Load in two queries every stored record and alias the given (name, kind) pairs could hit."""
        wanted = {(name, kind) for name, kind in names}
        keys = {actor_key(name, kind) for name, kind in wanted}
        normals = {normalize_name(name) for name, _ in wanted} | {normalize_name(a) for a in aliases}
        self._fetched |= normals
        self._keys |= keys
        for actor_id, kind, key, name in self.db.execute(_actors_by_keys(), {"keys": sorted(keys)}):
            slot = (_FAMILY[kind][0], key)
            if slot not in self._records or kind == "organization":
                self._records[slot] = (int(actor_id), kind, name)
        for normal, actor_id, kind, key in self.db.execute(
            _aliases_by_normals(), {"normals": sorted(normals)}
        ):
            self._answers.setdefault((_FAMILY[kind][0], normal), set()).add((int(actor_id), key))
            self._aliases.add((int(actor_id), normal))

    # -- lookups -------------------------------------------------------------------------------------

    def _by_key(self, kinds: tuple[str, ...], key: str) -> tuple[int, str] | None:
        row = self.db.execute(_actor_by_key(("id", "kind")), {"kinds": kinds, "key": key}).first()
        return None if row is None else (int(row[0]), str(row[1]))

    def answering(self, kinds: tuple[str, ...], name: str, limit: int | None = 3) -> list[int]:
        """Stored actors that answer to a short name without it being their own name."""
        key = actor_key(name, kinds[0])
        found = sorted(
            {
                int(actor_id)
                for actor_id, kind, own in self.db.execute(_answering(), {"normal": normalize_name(name)})
                if kind in kinds and own != key
            }
        )
        return found if limit is None else found[:limit]

    # -- resolving -----------------------------------------------------------------------------------

    def resolve_all(self, actors: Sequence[ex.Actor]) -> list[Link]:
        self.prefetch(
            [(a.name, a.kind) for a in actors]
            + [(a.country, "country") for a in actors if a.country]
            + [(a.affiliation, "organization") for a in actors if a.affiliation],
            [alias for a in actors for alias in a.aliases],
        )
        return [self.resolve(actor) for actor in actors]

    def resolve(self, actor: ex.Actor) -> Link:
        kind = actor.kind
        key = actor_key(actor.name, kind)
        if len(key.split()) == 1 or kind != "person":
            candidates = self._answering_cached(kind, actor.name, key)
            if len(candidates) == 1:
                self.touched.add(candidates[0])
                return Link(candidates[0], strong=False)
            if len(candidates) > 1:
                self.ambiguous.add((actor.name, kind))
        actor_id = self._get_or_create(actor.name, kind, key)
        self.touched.add(actor_id)
        return Link(actor_id, strong=True)

    def _answering_cached(self, kind: str, name: str, key: str) -> list[int]:
        normal = normalize_name(name)
        if normal not in self._fetched:
            return self.answering(_FAMILY[kind], name)
        found = self._answers.get((_FAMILY[kind][0], normal), set())
        return sorted({actor_id for actor_id, other in found if other != key})

    def resolve_name(self, name: str, kind: str) -> int:
        """An actor named only as another's country or affiliation ("Russia" behind "Kremlin spokesman")."""
        key = actor_key(name, kind)
        candidates = self._answering_cached(kind, name, key)
        if len(candidates) == 1:
            return candidates[0]
        return self._get_or_create(name, kind, key)

    def _get_or_create(self, name: str, kind: str, key: str) -> int:
        slot = (_FAMILY[kind][0], key)
        found = self._records.get(slot)
        if found is None and key not in self._keys:
            row = self.db.execute(
                _actor_by_key(("id", "kind", "name")), {"kinds": _FAMILY[kind], "key": key}
            ).first()
            found = None if row is None else (int(row[0]), str(row[1]), str(row[2]))
        if found is not None:
            actor_id, stored_kind, stored_name = found
            changes: dict[str, str] = {}
            if stored_kind == "group" and kind == "organization":
                changes["kind"] = kind
            better = _better_name(stored_name, name)
            if better != stored_name:
                changes["name"] = better
            if changes:
                self.db.execute(_rename_actor(tuple(sorted(changes))), {"actor": actor_id, **changes})
            self._records[slot] = (
                actor_id,
                changes.get("kind", stored_kind),
                changes.get("name", stored_name),
            )
            return actor_id
        created = self.db.execute(
            _insert_actor(self.dialect),
            {"slug": self._slug(key, kind), "name": name, "normalized_name": key, "kind": kind},
        ).scalar()
        if created is None:  # a concurrent writer inserted it first
            created = self.session.execute(
                select(models.Actor.id).where(models.Actor.kind == kind, models.Actor.normalized_name == key)
            ).scalar_one()
        else:
            self._created.add(int(created))
        actor_id = int(created)
        self._records[slot] = (actor_id, kind, name)
        self.add_aliases(actor_id, [name, *_short_names(name, kind)])
        return actor_id

    def _slug(self, key: str, kind: str) -> str:
        base = slugify(key)
        holder = self.db.execute(_actor_by_slug(), {"slug": base}).first()
        if holder is None:
            return base
        if _SLUG_RANK.get(kind, 9) < _SLUG_RANK.get(holder.kind, 9):
            moved = self._free_slug(f"{base}-{holder.kind}", holder.normalized_name)
            self.session.execute(update(models.Actor).where(models.Actor.id == holder.id).values(slug=moved))
            return base
        return self._free_slug(f"{base}-{kind}", key)

    def _free_slug(self, slug: str, key: str) -> str:
        """``slug``, or, when another record holds it (two names that slugify alike, "Müller" and
        "Muller", of one kind), ``slug`` with a hash of the record's own name."""
        if self.db.execute(_actor_by_slug(), {"slug": slug}).first() is None:
            return slug
        return f"{slug}-{hashlib.sha256(key.encode()).hexdigest()[:8]}"

    def add_aliases(self, actor_id: int, aliases: Iterable[str]) -> None:
        by_normal = {normalize_name(a): a for a in sorted(set(aliases), reverse=True)}
        by_normal.pop("", None)
        if not by_normal:
            return
        unknown = sorted(
            n for n in by_normal if n not in self._fetched and (actor_id, n) not in self._aliases
        )
        if unknown and actor_id not in self._created:
            self._aliases.update(
                (actor_id, n)
                for n in self.db.execute(_stored_aliases(), {"actor": actor_id, "normals": unknown}).scalars()
            )
        missing = [(n, a) for n, a in sorted(by_normal.items()) if (actor_id, n) not in self._aliases]
        if not missing:
            return
        self._alias_rows.extend({"actor_id": actor_id, "alias": a, "normalized": n} for n, a in missing)
        if not self.deferring:
            self.write_aliases()
        self.new_names.update((actor_id, a) for _, a in missing)
        self._aliases.update((actor_id, n) for n, _ in missing)

    def write_aliases(self) -> None:
        """Insert the aliases added so far, in one statement, and from now on each as it is added.

        While an article's actors are resolved, nothing reads aliases back from the database (the
        article's names were all prefetched), so their rows wait and go in together."""
        self.deferring = False
        if self._alias_rows:
            self.db.execute(_insert_aliases(self.dialect), self._alias_rows)
            self._alias_rows = []

    # -- keeping the rule true whatever the order ----------------------------------------------------

    def reconcile(self) -> None:
        """Re-apply the short-name rule to every name this article taught a record to answer to."""
        self.write_aliases()
        known = {found[0]: (found[1], key) for (_, key), found in self._records.items()}
        for actor_id, alias in sorted(self.new_names):
            if actor_id in known:
                kind, key = known[actor_id]
            else:
                row = self.db.execute(_actor_by_id(), {"actor": actor_id}).first()
                if row is None:
                    continue
                kind, key = row.kind, row.normalized_name
            kinds = _FAMILY[kind]
            if actor_key(alias, kind) == key:
                continue
            candidates = self.answering(kinds, alias)
            if len(candidates) == 1:
                own = self._by_key(kinds, actor_key(alias, kinds[0]))
                if own is not None:
                    self._merge(own[0], candidates[0])
                    known = {}
            elif len(candidates) >= 2:
                self._redistribute(alias, kind)
        self.new_names.clear()
        for name, kind in sorted(self.ambiguous):
            self._redistribute(name, kind, self.article_id)
        self.ambiguous.clear()
        done: set[int] = set()
        while pending := sorted(self.evidence - done):
            for actor_id in pending:
                done.add(actor_id)
                if self.db.execute(_actor_by_id(), {"actor": actor_id}).first() is not None:
                    self._choose_country_and_affiliation(actor_id)

    def _merge(self, loser: int, winner: int) -> None:
        """Move every fact of ``loser`` to ``winner`` and delete ``loser``."""
        session = self.session
        clash = select(models.ActorRole.article_id).where(models.ActorRole.actor_id == winner)
        session.execute(
            delete(models.ActorRole).where(
                models.ActorRole.actor_id == loser, models.ActorRole.article_id.in_(clash)
            )
        )
        for column in (
            models.Mention.actor_id,
            models.Quote.speaker_id,
            models.Position.actor_id,
            models.ActorRole.actor_id,
            models.ActorRole.country_id,
            models.ActorRole.affiliation_id,
            models.Actor.country_id,
            models.Actor.affiliation_id,
        ):
            session.execute(update(column.class_).where(column == loser).values({column.key: winner}))
        session.execute(delete(models.Actor).where(models.Actor.id == loser))
        self._records = {slot: found for slot, found in self._records.items() if found[0] != loser}
        session.expire_all()
        self.touched.add(winner)
        self.moved.add(winner)
        self.evidence.add(winner)

    def _redistribute(self, alias: str, kind: str, article_id: int | None = None) -> None:
        """Give each article that named an actor only by an ambiguous short name to the one the
        evidence points to, or to the record of that short name.

        The evidence is the article's countries and organisations, and the title it gives the name:
        "Mr Bush" in an article naming the United States, or "President Bush", goes to George W Bush
        (country United States, titled President), not to Kate Bush; with no such evidence, or two
        candidates fitting it, the article stays with the "Bush" record. Re-run for
        all such articles whenever a candidate appears or a candidate's country or affiliation changes,
        so the outcome is the same whatever the order of ingest.
        """
        session = self.session
        kinds = _FAMILY[kind]
        candidates = self.answering(kinds, alias, limit=None)
        if len(candidates) < 2:
            return
        short = normalize_name(alias)
        bare = self._by_key(kinds, actor_key(alias, kinds[0]))
        owners = [*candidates, *([bare[0]] if bare else [])]
        attributes = {int(r.id): r for r in self.db.execute(_candidate_attributes(), {"ids": candidates})}
        texts: dict[tuple[int, int], set[str]] = {}
        for owner, article, text in self.db.execute(
            _owner_mentions(article_id is not None), {"owners": owners, "article": article_id}
        ):
            texts.setdefault((int(owner), int(article)), set()).add(text)
        weak = sorted(
            (owner, article)
            for (owner, article), seen in texts.items()
            if (bare is not None and owner == bare[0])
            or (
                short in {normalize_name(t) for t in seen}
                and attributes[owner].normalized_name not in {actor_key(t, kind) for t in seen}
            )
        )
        if not weak:
            return
        articles = sorted({article for _, article in weak})
        evidence: dict[int, set[int]] = {}
        for article, actor_id in self.db.execute(_articles_organisations(), {"articles": articles}):
            evidence.setdefault(int(article), set()).add(int(actor_id))
        titles: dict[int, set[str]] = {}
        for article, country_id, affiliation_id, title in self.db.execute(
            _owners_roles_in(), {"articles": articles, "owners": owners}
        ):
            evidence.setdefault(int(article), set()).update(i for i in (country_id, affiliation_id) if i)
            titles.setdefault(int(article), set()).add(_title_head(title))
        # What each candidate is known by where its full name is given: countries, affiliations, titles.
        held: dict[int, set[object]] = {c: {attributes[c].country_id} - {None} for c in candidates}
        shared = set(weak)
        for actor_id, article, country_id, affiliation_id, title in self.db.execute(
            _candidates_roles(), {"candidates": candidates}
        ):
            if (int(actor_id), int(article)) not in shared:
                held[int(actor_id)].update(i for i in (country_id, affiliation_id, _title_head(title)) if i)
        for owner, article in weak:
            seen: set[object] = {*evidence.get(article, set()), *titles.get(article, set())}
            fitting = [c for c in candidates if held[c] & seen]
            target = fitting[0] if len(fitting) == 1 else None
            if target is None:
                if bare is None:
                    bare = (self._get_or_create(alias, kind, actor_key(alias, kind)), kind)
                target = bare[0]
            if target != owner:
                self._move(owner, target, article)
        if bare is not None and self.db.execute(_any_mention(), {"actor": bare[0]}).first() is None:
            session.execute(delete(models.Actor).where(models.Actor.id == bare[0]))
            self._records = {slot: found for slot, found in self._records.items() if found[0] != bare[0]}
        session.expire_all()

    def _move(self, owner: int, target: int, article_id: int) -> None:
        clash = select(models.ActorRole.title).where(
            models.ActorRole.actor_id == target, models.ActorRole.article_id == article_id
        )
        self.session.execute(
            delete(models.ActorRole).where(
                models.ActorRole.actor_id == owner,
                models.ActorRole.article_id == article_id,
                models.ActorRole.title.in_(clash),
            )
        )
        for column, article in (
            (models.Mention.actor_id, models.Mention.article_id),
            (models.Quote.speaker_id, models.Quote.article_id),
            (models.Position.actor_id, models.Position.article_id),
            (models.ActorRole.actor_id, models.ActorRole.article_id),
        ):
            self.session.execute(
                update(column.class_)
                .where(column == owner, article == article_id)
                .values({column.key: target})
            )
        self.touched.update({owner, target})
        self.moved.update({owner, target})
        self.evidence.update({owner, target})

    def _choose_country_and_affiliation(self, actor_id: int) -> None:
        row = self.db.execute(_actor_by_id(), {"actor": actor_id}).one()
        changes: dict[str, int | None] = {}
        for target in ("country_id", "affiliation_id"):
            best = self.db.execute(_most_given(target), {"actor": actor_id}).scalar()
            value = None if best is None else int(best)
            if value is None and row.kind != "person":
                continue
            if getattr(row, target) != value:
                changes[target] = value
        if changes:
            self.db.execute(_rename_actor(tuple(sorted(changes))), {"actor": actor_id, **changes})
        if row.kind == "person":
            # A new title or country can settle which "Bush" an article meant.
            for short in _short_names(row.name, row.kind):
                self._redistribute(short, row.kind)

    def link_evidence(self, actor: ex.Actor, actor_id: int) -> tuple[int | None, int | None]:
        """Country and affiliation ids of one article's actor; a non-person keeps the first it is given
        (an institution's country comes from the lexicon, the same in every article)."""
        country_id = affiliation_id = None
        if actor.country and actor_key(actor.country, "country") != actor_key(actor.name, actor.kind):
            country_id = self.resolve_name(actor.country, "country")
        if actor.affiliation:
            kind = "country" if actor.affiliation == actor.country else "organization"
            affiliation_id = self.resolve_name(actor.affiliation, kind)
        if actor.kind != "person":
            for column, value in (("country_id", country_id), ("affiliation_id", affiliation_id)):
                if value is not None and value != actor_id:
                    self.session.execute(
                        update(models.Actor)
                        .where(models.Actor.id == actor_id, getattr(models.Actor, column).is_(None))
                        .values({column: value})
                    )
        elif actor.roles and (country_id is not None or affiliation_id is not None):
            self.evidence.add(actor_id)
        return (
            None if country_id == actor_id else country_id,
            None if affiliation_id == actor_id else affiliation_id,
        )


def _clip(text: str, length: int) -> str:
    """A derived name cut to its column (PostgreSQL refuses longer; SQLite would keep it), at a word."""
    if len(text) <= length:
        return text
    cut = text[: length - 1]
    return (cut.rsplit(" ", 1)[0] if " " in cut else cut) + "…"


def _topic_id(db: Connection, key: str, label: str, concept: bool = False) -> int:
    """The stored topic a key belongs to: the same key, or a similar one (see ``extraction.topics``);
    else a new topic, a concept's when the key is. Stored topics never change key, label, kind or
    id, so topics grow as articles arrive."""
    key, label = _clip(key, 300), _clip(label, 300)
    existing = db.execute(_id_by("topic", "key"), {"value": key}).scalar()
    if existing is not None:
        return int(existing)
    head = head_term(key)
    candidates = db.execute(
        select(_TOPIC.c.id, _TOPIC.c.key).where(
            or_(
                _TOPIC.c.key == head,
                _TOPIC.c.key.startswith(f"{head}|", autoescape=True),
                _TOPIC.c.key.endswith(f" {head}", autoescape=True),
                _TOPIC.c.key.contains(f" {head}|", autoescape=True),
            )
        )
    ).all()
    similar = best_match(key, sorted((int(row.id), row.key) for row in candidates))
    if similar is not None:
        return similar
    slug = slugify(label)
    if db.execute(_id_by("topic", "slug"), {"value": slug}).scalar() is not None:
        slug = f"{slug}-{slugify(key)[:30]}"
    created = _insert_ignore(
        db, _TOPIC, {"key": key, "label": label, "slug": slug, "concept": concept}, ["key"]
    )
    if created is not None:
        return created
    return int(db.execute(_id_by("topic", "key"), {"value": key}).scalar_one())


def _quote_row(
    article_id: int, seq: int, q: ex.Quote, actor_ids: list[int], sort_date: dt.date
) -> dict[str, Any]:
    speaker, cue = q.speaker_mention, q.cue
    return {
        "article_id": article_id,
        "seq": seq,
        "speaker_id": None if q.speaker is None else actor_ids[q.speaker],
        "speaker_text": speaker.text if speaker else None,
        "speaker_field": speaker.field if speaker else None,
        "speaker_start": speaker.start if speaker else None,
        "speaker_end": speaker.end if speaker else None,
        "kind": q.kind,
        "cue": cue.text if cue else None,
        "cue_field": cue.field if cue else None,
        "cue_start": cue.start if cue else None,
        "cue_end": cue.end if cue else None,
        "content": q.content.text,
        "field": q.content.field,
        "start": q.content.start,
        "end": q.content.end,
        "confidence": q.confidence,
        "sort_date": sort_date,
    }


def _article_slug(document: SourceDocument, digest: str) -> str:
    return f"{slugify(document.title, 70)}-{digest[:8]}"


class Topics:
    """Stored topics by key, for the articles of one transaction: a key seen once is not looked up
    again (stored topics never change key or id)."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.db = session.connection()
        """The session's connection: the prepared Core statements skip the ORM session's execute."""
        self.dialect = self.db.dialect.name
        self._ids: dict[str, int] = {}

    def id_of(self, key: str, label: str, concept: bool = False) -> int:
        found = self._ids.get(key)
        if found is None:
            found = self._ids[key] = _topic_id(self.session.connection(), key, label, concept)
        return found


def store_article(
    session: Session,
    document: SourceDocument,
    facts: ex.ArticleFacts,
    digest: str,
    resolver_class: type[ActorResolver] = ActorResolver,
) -> StoredArticle:
    """Write one article with all its facts, and keep the counts, in the session's open transaction."""
    stored = store_rows(session, document, facts, digest, Topics(session), resolver_class)
    if stored.created:
        counts.add_articles(session, [stored.id], stored.moved)
    return stored


def store_rows(
    session: Session,
    document: SourceDocument,
    facts: ex.ArticleFacts,
    digest: str,
    topics: Topics,
    resolver_class: type[ActorResolver] = ActorResolver,
) -> StoredArticle:
    """Write one article with all its facts into the session's open transaction, leaving the stored
    counts to the caller (``counts.add_articles``, once for every article of the transaction)."""
    db = session.connection()
    inserted = _insert_ignore(
        db,
        models.Article.__table__,
        {
            "slug": _article_slug(document, digest),
            "content_hash": digest,
            "source": document.source,
            "url": document.url,
            "published_on": document.published_on,
            "section": document.section,
            "title": document.title,
            "standfirst": document.standfirst,
            "caption": document.caption,
            "photo_credit": document.photo_credit,
            "body": document.body,
            "word_count": sum(len(text.split()) for text in document.fields().values()),
            "language": "en",
            "extractor_version": facts.extractor_version,
            "ingested_at": dt.datetime.now(dt.UTC),
            "sort_date": document.published_on or models.SORT_DATE_UNKNOWN,
        },
        ["content_hash"],
    )
    if inserted is None:
        existing = db.execute(_id_by("article", "content_hash"), {"value": digest}).scalar_one()
        return StoredArticle(int(existing), created=False)
    article_id = int(inserted)

    resolver = resolver_class(session)
    resolver.article_id = article_id
    links = resolver.resolve_all(facts.actors)
    actor_ids = [link.actor_id for link in links]

    dialect = db.dialect.name
    mention_rows: list[dict[str, Any]] = []
    for actor, link in zip(facts.actors, links, strict=True):
        actor_id = link.actor_id
        country_id, affiliation_id = resolver.link_evidence(actor, actor_id)
        if link.strong:
            resolver.add_aliases(actor_id, [actor.name, *actor.aliases])
        titles = sorted({role.title for role in actor.roles})
        for title in titles:
            _insert_ignore(
                db,
                models.ActorRole.__table__,
                {
                    "actor_id": actor_id,
                    "article_id": article_id,
                    "title": title,
                    "seen_on": document.published_on,
                    "country_id": country_id,
                    "affiliation_id": affiliation_id,
                },
                ["actor_id", "article_id", "title"],
            )
        mention_rows.extend(
            {
                "article_id": article_id,
                "actor_id": actor_id,
                "field": m.field,
                "start": m.start,
                "end": m.end,
                "text": m.text,
            }
            for m in actor.mentions
        )
    resolver.write_aliases()
    sort_date = document.published_on or models.SORT_DATE_UNKNOWN
    # Core executemany, not ORM objects: the unit of work's bookkeeping cost more than the inserts.
    if mention_rows:
        db.execute(_insert("mention", dialect), mention_rows)
    if facts.quotes:
        db.execute(
            _insert("quote", dialect),
            [_quote_row(article_id, seq, q, actor_ids, sort_date) for seq, q in enumerate(facts.quotes)],
        )
    if facts.positions:
        quote_ids = dict(
            db.execute(_quote_ids(), {"article": article_id}).all()
            if any(p.quote is not None for p in facts.positions)
            else []
        )
        db.execute(
            _insert("position", dialect),
            [
                {
                    "article_id": article_id,
                    "seq": seq,
                    "actor_id": actor_ids[p.actor],
                    "topic_id": topics.id_of(p.topic_key, p.topic_label, p.topic_concept),
                    "quote_id": None if p.quote is None else quote_ids[p.quote],
                    "stance": p.stance,
                    "claim": p.claim.text,
                    "field": p.claim.field,
                    "start": p.claim.start,
                    "end": p.claim.end,
                    "evidence": p.evidence.text,
                    "evidence_field": p.evidence.field,
                    "evidence_start": p.evidence.start,
                    "evidence_end": p.evidence.end,
                    "confidence": p.confidence,
                    "sort_date": sort_date,
                }
                for seq, p in enumerate(facts.positions)
            ],
        )
    resolver.reconcile()
    return StoredArticle(article_id, created=True, moved=frozenset(resolver.moved))


def _known_hashes(engine: Engine, digests: list[str]) -> set[str]:
    with Session(engine) as session:
        rows = session.execute(
            select(models.Article.content_hash).where(models.Article.content_hash.in_(digests))
        ).scalars()
        return set(rows)


def _batches(items: Iterable[SourceDocument | SourceError], size: int) -> Iterator[list[Any]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def _unseen(
    engine: Engine, documents: Iterable[SourceDocument | SourceError], summary: IngestSummary, batch_size: int
) -> Iterator[tuple[SourceDocument, str]]:
    """Readable documents whose text is not stored yet; errors and known texts are counted on the way."""
    for batch in _batches(documents, batch_size):
        readable: list[tuple[SourceDocument, str]] = []
        for item in batch:
            if isinstance(item, SourceError):
                summary.failed += 1
                summary.errors.append(str(item))
            else:
                readable.append((item, content_hash(item)))
        known = _known_hashes(engine, [digest for _, digest in readable]) if readable else set()
        summary.unchanged += sum(1 for _, digest in readable if digest in known)
        yield from ((doc, digest) for doc, digest in readable if digest not in known)


def ingest(
    engine: Engine,
    documents: Iterable[SourceDocument | SourceError],
    *,
    model: str,
    processes: int = 1,
    extractor: Extractor | None = None,
    batch_size: int = 32,
    on_progress: Callable[[IngestSummary], None] | None = None,
) -> IngestSummary:
    """Extract and store every document; unreadable ones are counted and named in ``errors``.

    Extraction runs in ``processes`` worker processes while this one writes, ``batch_size`` articles
    to a transaction (see ``store_group``).
    """
    from app.extraction.parallel import extract_parallel

    summary = IngestSummary()
    in_flight: deque[tuple[SourceDocument, str]] = deque()
    group: list[Pending] = []

    def fields() -> Iterator[dict[str, str]]:
        for document, digest in _unseen(engine, documents, summary, batch_size):
            in_flight.append((document, digest))
            yield document.fields()

    for facts in extract_parallel(
        model, fields(), processes=processes, batch_size=batch_size, extractor=extractor
    ):
        document, digest = in_flight.popleft()
        if facts.error is not None:
            summary.failed += 1
            summary.errors.append(f"{document.origin}: extraction failed ({facts.error})")
            record_ingest("failed")
            logger.warning("extraction failed on %s: %s", document.origin, facts.error)
        else:
            group.append((document, digest, facts))
        if len(group) >= batch_size:
            store_group(engine, group, summary)
            group.clear()
            if on_progress is not None:
                on_progress(summary)
    store_group(engine, group, summary)
    if on_progress is not None:
        on_progress(summary)
    return summary


Pending = tuple[SourceDocument, str, ex.ArticleFacts]
"""An article waiting to be stored: its document, content hash and extracted facts."""


def store_group(engine: Engine, group: Sequence[Pending], summary: IngestSummary) -> None:
    """Store articles in one transaction, each in a savepoint, and keep the counts once for them all.

    The counts, topic groups and tallies are most of an article's statements when it is stored alone;
    kept once per group they cost little more than for one article, and the rows are the same as if the
    articles were stored one by one, in order. An article the database refuses is rolled back to its
    savepoint and stored again on its own afterwards (``store_with_retry``: it is retried, or reported
    as failed, like any other). When the group's transaction itself fails after its retries (a
    concurrent writer kept getting in the way), every article is stored on its own, so nothing is lost.
    """
    if not group:
        return
    stored: list[tuple[Pending, StoredArticle]] = []
    alone: list[Pending] = []
    for attempt in range(1, ATTEMPTS + 1):
        stored, alone = [], []
        try:
            with write_session(engine) as session:
                topics = Topics(session)
                for item in group:
                    document, digest, facts = item
                    try:
                        with session.begin_nested():
                            stored.append((item, store_rows(session, document, facts, digest, topics)))
                    except (DBAPIError, ValueError):
                        alone.append(item)
                        topics = Topics(session)  # it may hold a topic the savepoint took back
                created = [article for _, article in stored if article.created]
                counts.add_articles(
                    session, [a.id for a in created], set().union(*(a.moved for a in created))
                )
            break
        except (IntegrityError, OperationalError):
            if attempt == ATTEMPTS:
                stored, alone = [], list(group)
                break
            time.sleep(random.uniform(0.01, 0.05) * attempt)
    for (_, _, facts), article in stored:
        _count_stored(summary, facts, article)
    for document, digest, facts in alone:
        _store_with_retry(engine, document, facts, digest, summary)


def store_with_retry(
    engine: Engine, document: SourceDocument, facts: ex.ArticleFacts, digest: str
) -> StoredArticle:
    """Store one article in its own transaction, retried when a concurrent writer got in the way.

    A concurrent ingester may create the same actor, topic or slug between our read and our insert
    (IntegrityError), or deadlock with us or hold SQLite's write lock too long (OperationalError); the
    whole article transaction is then retried, and sees the other's rows. Other errors (a value the
    database refuses) are not retried.
    """
    for attempt in range(1, ATTEMPTS + 1):
        try:
            with write_session(engine) as session:
                return store_article(session, document, facts, digest)
        except (IntegrityError, OperationalError):
            if attempt == ATTEMPTS:
                raise
            time.sleep(random.uniform(0.01, 0.05) * attempt)
    raise AssertionError("unreachable")


def _store_with_retry(
    engine: Engine, document: SourceDocument, facts: ex.ArticleFacts, digest: str, summary: IngestSummary
) -> None:
    try:
        stored = store_with_retry(engine, document, facts, digest)
    except (DBAPIError, ValueError) as exc:
        reason = exc.orig if isinstance(exc, DBAPIError) and exc.orig is not None else exc
        summary.failed += 1
        summary.errors.append(f"{document.origin}: could not be stored ({reason})")
        logger.warning("could not store %s: %s", document.origin, reason)
        record_ingest("failed")
        return
    _count_stored(summary, facts, stored)


def _count_stored(summary: IngestSummary, facts: ex.ArticleFacts, stored: StoredArticle) -> None:
    if stored.created:
        summary.new += 1
        summary.quotes += len(facts.quotes)
        summary.actors += len(facts.actors)
        summary.positions += len(facts.positions)
        record_ingest("new", len(facts.quotes))
    else:
        summary.unchanged += 1
        record_ingest("unchanged")


def ingest_one(engine: Engine, extractor: Extractor, document: SourceDocument) -> StoredArticle:
    """One article from the API: extracted and stored unless its text is stored already."""
    digest = content_hash(document)
    with Session(engine) as session:
        existing = session.execute(
            select(models.Article.id).where(models.Article.content_hash == digest)
        ).scalar()
    if existing is not None:
        record_ingest("unchanged")
        return StoredArticle(int(existing), created=False)
    facts = extractor.extract(document.fields())  # ExtractionError: the router answers 422
    try:
        stored = store_with_retry(engine, document, facts, digest)
    except Exception:
        record_ingest("failed")
        raise
    record_ingest("new" if stored.created else "unchanged", len(facts.quotes) if stored.created else 0)
    return stored


def delete_article(session: Session, article_id: int) -> None:
    """Remove an article with its quotes, mentions, roles and positions (foreign keys cascade), then the
    actors and topics nothing refers to any more.

    An actor is kept while anything still refers to it: a mention, a quote it speaks, a position, a role,
    or another actor naming it as country or affiliation. So after deleting every article the database
    holds no actor and no topic, and deleting an article then ingesting it again gives back what was
    there. Aliases and country/affiliation links that the deleted article taught a surviving actor stay.
    """
    counts.remove_article(session, article_id)
    session.execute(delete(models.Article).where(models.Article.id == article_id))
    actor = models.Actor
    referenced_by_actor = aliased(models.Actor)
    while True:
        removed = session.execute(
            delete(actor).where(
                ~select(models.Mention.id).where(models.Mention.actor_id == actor.id).exists(),
                ~select(models.Quote.id).where(models.Quote.speaker_id == actor.id).exists(),
                ~select(models.Position.id).where(models.Position.actor_id == actor.id).exists(),
                ~select(models.ActorRole.id).where(models.ActorRole.actor_id == actor.id).exists(),
                ~select(referenced_by_actor.id)
                .where(
                    (referenced_by_actor.country_id == actor.id)
                    | (referenced_by_actor.affiliation_id == actor.id)
                )
                .exists(),
            )
        ).rowcount
        if not removed:
            break
    session.execute(
        delete(models.Topic).where(
            ~select(models.Position.id).where(models.Position.topic_id == models.Topic.id).exists()
        )
    )
