"""Cross-article actor resolution: one record per actor, whatever the order articles arrive in."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from itertools import permutations
from typing import Any

import pytest
from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session, aliased

from app import models
from app.extraction.types import Actor, Role
from app.ingest import actor_key
from app.models import Base
from tests.builders import actor, find, make_article


def snapshot(engine: Engine) -> set[tuple[Any, ...]]:
    """Every actor as (slug, name, kind, aliases, country, affiliation, titles of its articles)."""
    country, affiliation = aliased(models.Actor), aliased(models.Actor)
    with Session(engine) as session:
        rows = session.execute(
            select(
                models.Actor.id,
                models.Actor.slug,
                models.Actor.name,
                models.Actor.kind,
                country.name,
                affiliation.name,
            )
            .outerjoin(country, country.id == models.Actor.country_id)
            .outerjoin(affiliation, affiliation.id == models.Actor.affiliation_id)
        ).all()
        found = set()
        for actor_id, slug, name, kind, country_name, affiliation_name in rows:
            aliases = session.execute(
                select(models.ActorAlias.alias).where(models.ActorAlias.actor_id == actor_id)
            ).scalars()
            titles = session.execute(
                select(models.Article.title)
                .join(models.Mention, models.Mention.article_id == models.Article.id)
                .where(models.Mention.actor_id == actor_id)
                .distinct()
            ).scalars()
            found.add(
                (
                    slug,
                    name,
                    kind,
                    tuple(sorted(aliases)),
                    country_name,
                    affiliation_name,
                    tuple(sorted(titles)),
                )
            )
        return found


def clear(engine: Engine) -> None:
    # The tally rows belong to the schema (the migrations make them): zeroed, never deleted, or on
    # PostgreSQL, where the database outlives the test, every later test would find them gone.
    with engine.begin() as connection:
        for table in reversed(Base.metadata.sorted_tables):
            if table.name != "tally":
                connection.execute(text(f'DELETE FROM "{table.name}"'))
        connection.execute(text("UPDATE tally SET value = 0"))


Writer = Callable[[Engine], int]


def person(body: str, name: str, *texts: str, role: str | None = None, **links: str) -> Actor:
    return actor(
        name,
        mentions=tuple(find(body, t) for t in texts),
        aliases=tuple(sorted(set(texts))),
        roles=(Role(role, find(body, role)),) if role else (),
        **links,
    )


def article(title: str, body: str, *actors: Callable[[str], Actor], day: int = 1) -> Writer:
    return lambda engine: make_article(
        engine,
        title=title,
        body=body,
        published_on=dt.date(2005, 1, day),
        actors=tuple(a(body) for a in actors),
    )


BLAIR_FULL = article(
    "full",
    "Prime Minister Tony Blair spoke. Blair said more.",
    lambda b: person(b, "Tony Blair", "Tony Blair", "Blair", role="Prime Minister"),
)
BLAIR_BARE = article("bare", "Blair said nothing.", lambda b: person(b, "Blair", "Blair"))
BILL = article(
    "bill",
    "Bill Clinton spoke. Clinton left.",
    lambda b: person(b, "Bill Clinton", "Bill Clinton", "Clinton"),
)
HILLARY = article(
    "hillary", "Hillary Clinton spoke.", lambda b: person(b, "Hillary Clinton", "Hillary Clinton")
)
CLINTON = article("clinton", "Clinton said so.", lambda b: person(b, "Clinton", "Clinton"))


def stored_in_every_order(engine: Engine, writers: list[Writer]) -> list[set[tuple[Any, ...]]]:
    results = []
    for order in permutations(writers):
        clear(engine)
        for write in order:
            write(engine)
        results.append(snapshot(engine))
    return results


def test_a_surname_goes_to_the_one_full_name_in_any_order(engine: Engine) -> None:
    first, *others = stored_in_every_order(engine, [BLAIR_FULL, BLAIR_BARE])
    assert all(other == first for other in others)
    assert first == {
        ("tony-blair", "Tony Blair", "person", ("Blair", "Tony Blair"), None, None, ("bare", "full")),
    }


def test_a_surname_two_people_share_stays_apart_in_any_order(engine: Engine) -> None:
    first, *others = stored_in_every_order(engine, [BILL, HILLARY, CLINTON])
    assert all(other == first for other in others)
    assert {(name, titles) for _, name, _, _, _, _, titles in first} == {
        ("Bill Clinton", ("bill",)),
        ("Hillary Clinton", ("hillary",)),
        ("Clinton", ("clinton",)),
    }


def test_country_and_affiliation_from_the_most_seen_title(engine: Engine) -> None:
    kremlin = article(
        "kremlin",
        "Kremlin spokesman Dmitry Peskov spoke.",
        lambda b: person(
            b,
            "Dmitry Peskov",
            "Dmitry Peskov",
            role="Kremlin spokesman",
            country="Russia",
            affiliation="Kremlin",
        ),
        day=2,
    )
    again = article(
        "again",
        "Kremlin spokesman Dmitry Peskov spoke again.",
        lambda b: person(
            b,
            "Dmitry Peskov",
            "Dmitry Peskov",
            role="Kremlin spokesman",
            country="Russia",
            affiliation="Kremlin",
        ),
        day=3,
    )
    wrong = article(
        "wrong",
        "Ukrainian official Dmitry Peskov spoke.",
        lambda b: person(
            b,
            "Dmitry Peskov",
            "Dmitry Peskov",
            role="Ukrainian official",
            country="Ukraine",
            affiliation="Ukraine",
        ),
        day=4,
    )
    first, *others = stored_in_every_order(engine, [kremlin, again, wrong])
    assert all(other == first for other in others)
    peskov = next(a for a in first if a[1] == "Dmitry Peskov")
    assert peskov[4:6] == ("Russia", "Kremlin")


def test_organisation_and_group_of_one_name_are_one_record(engine: Engine) -> None:
    as_org = article(
        "org", "Labour won.", lambda b: actor("Labour", "organization", mentions=(find(b, "Labour"),))
    )
    as_group = article(
        "group", "Labour lost.", lambda b: actor("Labour", "group", mentions=(find(b, "Labour"),))
    )
    first, *others = stored_in_every_order(engine, [as_org, as_group])
    assert all(other == first for other in others)
    assert first == {("labour", "Labour", "organization", ("Labour",), None, None, ("group", "org"))}


@pytest.mark.parametrize(
    ("name", "kind", "key"),
    [
        ("George W. Bush", "person", "george bush"),
        ("George Bush", "person", "george bush"),
        ("The Kremlin", "organization", "kremlin"),
        ("Yukos Inc", "organization", "yukos"),
        ("Mary-Kate Smith", "person", "mary-kate smith"),
    ],
)
def test_actor_key(name: str, kind: str, key: str) -> None:
    assert actor_key(name, kind) == key


def test_evidence_settles_a_shared_surname_in_any_order(engine: Engine) -> None:
    george = article(
        "george",
        "US President George W Bush spoke.",
        lambda b: person(
            b,
            "George W Bush",
            "George W Bush",
            role="US President",
            country="United States",
            affiliation="United States",
        ),
        lambda b: actor("United States", "country", mentions=(find(b, "US"),)),
    )
    kate = article("kate", "Kate Bush sang.", lambda b: person(b, "Kate Bush", "Kate Bush"))
    with_us = article(
        "with-us",
        "Bush flew to the United States.",
        lambda b: person(b, "Bush", "Bush"),
        lambda b: actor("United States", "country", mentions=(find(b, "United States"),)),
    )
    bare = article("bare", "Bush said nothing.", lambda b: person(b, "Bush", "Bush"))
    first, *others = stored_in_every_order(engine, [george, kate, with_us, bare])
    assert all(other == first for other in others)
    assert {(name, titles) for _, name, kind, _, _, _, titles in first if kind == "person"} == {
        ("George W Bush", ("george", "with-us")),
        ("Kate Bush", ("kate",)),
        ("Bush", ("bare",)),
    }


def test_a_title_settles_a_shared_surname_in_any_order(engine: Engine) -> None:
    ronald = article(
        "ronald",
        "President Ronald Reagan spoke.",
        lambda b: person(b, "Ronald Reagan", "Ronald Reagan", role="President", country="United States"),
    )
    nancy = article("nancy", "Nancy Reagan smiled.", lambda b: person(b, "Nancy Reagan", "Nancy Reagan"))
    titled = article(
        "titled",
        "President REAGAN said no.",
        lambda b: person(b, "REAGAN", "REAGAN", role="President", country="United States"),
    )
    first, *others = stored_in_every_order(engine, [ronald, nancy, titled])
    assert all(other == first for other in others)
    assert {(name, titles) for _, name, kind, _, _, _, titles in first if kind == "person"} == {
        ("Ronald Reagan", ("ronald", "titled")),
        ("Nancy Reagan", ("nancy",)),
    }


def test_slugs_stay_unique_when_a_record_gives_up_its_bare_slug(engine: Engine) -> None:
    # Two people whose names slugify alike, then an organisation of that name: the first person's
    # bare slug passes to the organisation, and the slug it moves to is already the second person's.
    for title, name, kind in (
        ("one", "Mary-Kate Smith", "person"),
        ("two", "Mary Kate Smith", "person"),
        ("three", "Mary Kate Smith", "organization"),
    ):
        article(title, f"{name} spoke.", lambda b, n=name, k=kind: actor(n, k, mentions=(find(b, n),)))(
            engine
        )
    with engine.connect() as connection:
        slugs = dict(connection.execute(select(models.Actor.slug, models.Actor.kind)).all())
    assert slugs == {
        "mary-kate-smith": "organization",
        "mary-kate-smith-person": "person",
        f"mary-kate-smith-person-{hashlib.sha256(b'mary-kate smith').hexdigest()[:8]}": "person",
    }
