from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, and_, distinct, func, select, union
from sqlalchemy.orm import Session, aliased

from app import models
from app.actors.schemas import ActorDetail, ActorSort, ActorSummary, RelatedActor, RoleOut
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


def _starts_with(column: Any, prefix: str) -> Any:
    """A range on the column, which its B-tree index answers (LIKE 'x%' is not indexable on SQLite),
    with the LIKE kept to stay exact whatever the collation."""
    return and_(
        column >= prefix,
        column < prefix + "\U0010ffff",
        column.startswith(prefix, autoescape=True),
    )


def ids_by_name_prefix(text: str) -> Select[Any]:
    """Actors whose normalised name or one of whose aliases begins with ``text`` ("pes" → Dmitry Peskov,
    through his alias "Peskov")."""
    prefix = normalize_name(text)
    return union(
        select(models.Actor.id).where(_starts_with(models.Actor.normalized_name, prefix)),
        select(models.ActorAlias.actor_id).where(_starts_with(models.ActorAlias.normalized, prefix)),
    )


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


def _page(filters: ActorFilters, sort: ActorSort, offset: int, limit: int) -> Select[Any]:
    counts = _counts()
    order = {
        ActorSort.mentions: (counts["mentions"].desc(), models.Actor.name),
        ActorSort.quotes: (counts["quotes"].desc(), models.Actor.name),
        ActorSort.articles: (counts["articles"].desc(), models.Actor.name),
        ActorSort.positions: (counts["positions"].desc(), models.Actor.name),
        ActorSort.name: (models.Actor.name,),
    }[sort]
    return _filtered(_base(), filters).order_by(*order, models.Actor.id).offset(offset).limit(limit)


def count_actors(session: Session, filters: ActorFilters) -> int:
    statement = _filtered(select(func.count()).select_from(models.Actor), filters)
    return int(session.execute(statement).scalar_one())


def fetch_actor_rows(
    session: Session, filters: ActorFilters, sort: ActorSort, offset: int, limit: int
) -> list[dict[str, Any]]:
    rows = session.connection().execute(_page(filters, sort, offset, limit)).all()
    return [actor_json(row) for row in rows]


def fetch_actors(
    session: Session, filters: ActorFilters, sort: ActorSort, offset: int, limit: int
) -> list[ActorSummary]:
    rows = session.execute(_page(filters, sort, offset, limit)).all()
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
