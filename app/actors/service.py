from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, and_, bindparam, distinct, func, select, union
from sqlalchemy.orm import Session, aliased

from app import models
from app.actors.schemas import ActorDetail, ActorSort, ActorSummary, RelatedActor, RoleOut
from app.db import given_values, placeholders, prepared, run_prepared
from app.errors import NotFound
from app.lookup import id_or_slug
from app.naming import normalize_name
from app.schemas import ActorRef

Country = aliased(models.Actor, name="country")


@dataclass(frozen=True, slots=True)
class ActorFilters:
    q: str | None = None
    kind: str | None = None
    country_id: int | None = None
    article_id: int | None = None
    ids: Select[Any] | None = None  # a subquery of actor ids, e.g. the matches of a search


def _counts() -> dict[str, Any]:
    return {
        "articles": models.Actor.article_count,
        "quotes": models.Actor.quote_count,
        "positions": models.Actor.position_count,
        "mentions": models.Actor.mention_count,
    }


def _base() -> Select[Any]:
    counts = _counts()
    return select(
        models.Actor.id,
        models.Actor.slug,
        models.Actor.name,
        models.Actor.kind,
        Country.id.label("c_id"),
        Country.slug.label("c_slug"),
        Country.name.label("c_name"),
        Country.kind.label("c_kind"),
        *(value.label(f"n_{key}") for key, value in counts.items()),
    ).outerjoin(Country, models.Actor.country_id == Country.id)


def _ref(id_: int | None, slug: str | None, name: str | None, kind: str | None) -> dict[str, Any] | None:
    if id_ is None or slug is None or name is None or kind is None:
        return None
    return {"id": id_, "slug": slug, "name": name, "kind": kind}


def actor_json(row: Any) -> dict[str, Any]:
    """A row of ``_base()`` as the fields of ``ActorSummary``, in its order, as plain dicts: what the
    hot answers send as they are, without validating three models per actor."""
    id_, slug, name, kind, c_id, c_slug, c_name, c_kind, articles, quotes, positions, mentions = row
    return {
        "id": id_,
        "slug": slug,
        "name": name,
        "kind": kind,
        "country": _ref(c_id, c_slug, c_name, c_kind),
        "counts": {"articles": articles, "quotes": quotes, "positions": positions, "mentions": mentions},
    }


_PREFIX = ("prefix", "prefix_end", "prefix_like")


def _prefix_values(text: str) -> dict[str, str]:
    """The values ``_starts_with`` compares with: the normalised prefix, the end of its range, and its
    LIKE pattern (escaped as ``startswith(autoescape=True)`` would)."""
    prefix = normalize_name(text)
    escaped = prefix.replace("/", "//").replace("%", "/%").replace("_", "/_")
    return {"prefix": prefix, "prefix_end": prefix + "\U0010ffff", "prefix_like": escaped + "%"}


def _starts_with(column: Any, values: Mapping[str, Any]) -> Any:
    """A range on the column, which its B-tree index answers (LIKE 'x%' is not indexable on SQLite),
    with the LIKE kept to stay exact whatever the collation."""
    return and_(
        column >= values["prefix"],
        column < values["prefix_end"],
        column.like(values["prefix_like"], escape="/"),
    )


def _ids_by_prefix(values: Mapping[str, Any]) -> Select[Any]:
    return union(
        select(models.Actor.id).where(_starts_with(models.Actor.normalized_name, values)),
        select(models.ActorAlias.actor_id).where(_starts_with(models.ActorAlias.normalized, values)),
    )


def ids_by_name_prefix(text: str) -> Select[Any]:
    """Actors whose normalised name or one of whose aliases begins with ``text`` ("pes" → Dmitry Peskov,
    through his alias "Peskov")."""
    return _ids_by_prefix(_prefix_values(text))


def _filtered(statement: Select[Any], filters: ActorFilters) -> Select[Any]:
    if filters.ids is not None:
        statement = statement.where(models.Actor.id.in_(filters.ids))
    if filters.kind is not None:
        statement = statement.where(models.Actor.kind == filters.kind)
    if filters.country_id is not None:
        statement = statement.where(models.Actor.country_id == filters.country_id)
    if filters.article_id is not None:
        statement = statement.where(
            models.Actor.id.in_(
                select(models.Mention.actor_id).where(models.Mention.article_id == filters.article_id)
            )
        )
    if filters.q:
        statement = statement.where(models.Actor.id.in_(ids_by_name_prefix(filters.q)))
    return statement


# The filters a prepared statement takes as bind parameters (``q`` as the values of ``_PREFIX``);
# ``ids``, a subquery, is not one.
_BOUND = ("kind", "country_id", "article_id")


def _order(sort: ActorSort) -> tuple[Any, ...]:
    counts = _counts()
    return {
        ActorSort.mentions: (counts["mentions"].desc(), models.Actor.name),
        ActorSort.quotes: (counts["quotes"].desc(), models.Actor.name),
        ActorSort.articles: (counts["articles"].desc(), models.Actor.name),
        ActorSort.positions: (counts["positions"].desc(), models.Actor.name),
        ActorSort.name: (models.Actor.name,),
    }[sort]


def _statement(
    statement: Select[Any], given: tuple[str, ...], by_prefix: bool, ids: Select[Any] | None
) -> Select[Any]:
    statement = _filtered(statement, ActorFilters(ids=ids, **placeholders(given)))
    if by_prefix:
        statement = statement.where(models.Actor.id.in_(_ids_by_prefix(placeholders(_PREFIX))))
    return statement


def _page_statement(
    given: tuple[str, ...], by_prefix: bool, ids: Select[Any] | None, sort: ActorSort
) -> Select[Any]:
    statement = _statement(_base(), given, by_prefix, ids)
    order = (*_order(sort), models.Actor.id)
    return statement.order_by(*order).offset(bindparam("offset")).limit(bindparam("limit"))


def _count_statement(given: tuple[str, ...], by_prefix: bool, ids: Select[Any] | None) -> Select[Any]:
    return _statement(select(func.count()).select_from(models.Actor), given, by_prefix, ids)


_prepared_page = prepared(_page_statement)
_prepared_count = prepared(_count_statement)


def _values(filters: ActorFilters) -> dict[str, Any]:
    values = given_values(filters, _BOUND)
    if filters.q:
        values.update(_prefix_values(filters.q))
    return values


def _given(values: dict[str, Any]) -> tuple[str, ...]:
    return tuple(name for name in _BOUND if name in values)


def count_actors(session: Session, filters: ActorFilters) -> int:
    """Prepared once per shape, unless ``ids`` makes the shape."""
    values = _values(filters)
    build = _prepared_count if filters.ids is None else _count_statement
    statement = build(_given(values), bool(filters.q), filters.ids)
    if filters.ids is not None:
        return int(session.connection().execute(statement, values).scalar_one())
    return int(run_prepared(session.connection(), statement, values).scalar_one())


def _page(session: Session, filters: ActorFilters, sort: ActorSort, offset: int, limit: int) -> list[Any]:
    values = _values(filters)
    build = _prepared_page if filters.ids is None else _page_statement
    statement = build(_given(values), bool(filters.q), filters.ids, sort)
    values.update(offset=offset, limit=limit)
    if filters.ids is not None:
        return session.connection().execute(statement, values).all()
    return run_prepared(session.connection(), statement, values).all()


def fetch_actor_rows(
    session: Session, filters: ActorFilters, sort: ActorSort, offset: int, limit: int
) -> list[dict[str, Any]]:
    return [actor_json(row) for row in _page(session, filters, sort, offset, limit)]


def fetch_actors(
    session: Session, filters: ActorFilters, sort: ActorSort, offset: int, limit: int
) -> list[ActorSummary]:
    rows = _page(session, filters, sort, offset, limit)
    return [ActorSummary.model_validate(actor_json(row)) for row in rows]


def list_actors(
    session: Session, filters: ActorFilters, sort: ActorSort, offset: int, limit: int
) -> tuple[list[ActorSummary], int]:
    return fetch_actors(session, filters, sort, offset, limit), count_actors(session, filters)


def get_actor_id_or_404(session: Session, ident: str) -> int:
    found = id_or_slug(models.Actor, session, ident)
    if found is None:
        raise NotFound(f"No actor with id or slug '{ident}'.")
    return found


def get_actor(session: Session, actor_id: int) -> ActorDetail:
    row = session.execute(_base().where(models.Actor.id == actor_id)).one()
    actor = session.get_one(models.Actor, actor_id)
    affiliation = session.get(models.Actor, actor.affiliation_id) if actor.affiliation_id else None
    aliases = session.execute(
        select(models.ActorAlias.alias)
        .where(models.ActorAlias.actor_id == actor_id)
        .order_by(models.ActorAlias.alias)
    ).scalars()
    roles = session.execute(
        select(
            models.ActorRole.title,
            func.min(models.ActorRole.seen_on),
            func.max(models.ActorRole.seen_on),
            func.count(distinct(models.ActorRole.article_id)),
        )
        .where(models.ActorRole.actor_id == actor_id)
        .group_by(models.ActorRole.title)
        .order_by(func.max(models.ActorRole.seen_on).desc().nulls_last(), models.ActorRole.title)
    ).all()
    return ActorDetail(
        **actor_json(row),
        aliases=sorted(set(aliases)),
        roles=[RoleOut(title=t, first_seen=first, last_seen=last, articles=n) for t, first, last, n in roles],
        affiliation=None
        if affiliation is None
        else _ref(affiliation.id, affiliation.slug, affiliation.name, affiliation.kind),
        description=actor.description,
        wikidata_id=actor.wikidata_id,
    )


def related_actors(
    session: Session, actor_id: int, offset: int, limit: int
) -> tuple[list[RelatedActor], int]:
    mine = select(models.Mention.article_id).where(models.Mention.actor_id == actor_id).distinct().subquery()
    shared = func.count(distinct(models.Mention.article_id))
    grouped = (
        select(models.Mention.actor_id, shared.label("shared"))
        .where(models.Mention.article_id.in_(select(mine.c.article_id)), models.Mention.actor_id != actor_id)
        .group_by(models.Mention.actor_id)
        .subquery()
    )
    total = session.execute(select(func.count()).select_from(grouped)).scalar_one()
    rows = session.execute(
        select(models.Actor.id, models.Actor.slug, models.Actor.name, models.Actor.kind, grouped.c.shared)
        .join(grouped, grouped.c.actor_id == models.Actor.id)
        .order_by(grouped.c.shared.desc(), models.Actor.name, models.Actor.id)
        .offset(offset)
        .limit(limit)
    ).all()
    items = [
        RelatedActor(actor=ActorRef(id=r.id, slug=r.slug, name=r.name, kind=r.kind), articles=r.shared)
        for r in rows
    ]
    return items, int(total)
