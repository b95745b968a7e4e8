from __future__ import annotations

import pytest

from app.extraction import Extractor
from tests.extraction.conftest import assert_offsets

pytestmark = pytest.mark.slow

# body, expected actors as (name, kind, sorted aliases, roles, country, affiliation)
ACTORS = [
    (
        "Kremlin spokesman Dmitry Peskov spoke on Monday. Peskov said talks had stalled.",
        {
            ("Kremlin", "organization", ("Kremlin",), (), "Russia", None),
            (
                "Dmitry Peskov",
                "person",
                ("Dmitry Peskov", "Peskov"),
                ("Kremlin spokesman",),
                "Russia",
                "Kremlin",
            ),
        },
    ),
    (
        "Bill Clinton visited Kenya in 1998. Hillary Clinton travelled to Kenya in 2009. "
        "Clinton said the visit had strengthened ties.",
        {
            ("Bill Clinton", "person", ("Bill Clinton",), (), None, None),
            ("Hillary Clinton", "person", ("Clinton", "Hillary Clinton"), (), None, None),
            ("Kenya", "country", ("Kenya",), (), None, None),
        },
    ),
    (
        # A capital that acts is its state; the same capital as a destination is a place.
        "Officials met on Friday. Moscow rejected the proposal. The delegation later flew to Moscow.",
        {("Russia", "country", ("Moscow", "Russian"), (), None, None)},
    ),
    (
        "Talks with the United States were held in Riyadh on Tuesday.",
        {("United States", "country", ("American", "United States"), (), None, None)},
    ),
    (
        # Demonyms are their country; "European" names no state and is no actor.
        "The French government backed the plan to send European troops, "
        "while Italian officials stayed silent.",
        {
            ("France", "country", ("French",), (), None, None),
            ("Italy", "country", ("Italian",), (), None, None),
        },
    ),
    (
        "British Prime Minister Keir Starmer met US President Donald Trump. The British leader said little.",
        {
            ("United Kingdom", "country", ("British", "English"), (), None, None),
            (
                "Keir Starmer",
                "person",
                ("Keir Starmer", "The British leader"),
                ("British Prime Minister",),
                "United Kingdom",
                "United Kingdom",
            ),
            ("United States", "country", ("American", "US"), (), None, None),
            (
                "Donald Trump",
                "person",
                ("Donald Trump",),
                ("US President",),
                "United States",
                "United States",
            ),
        },
    ),
    (
        "Russia's Foreign Minister Sergey Lavrov spoke in Geneva on Thursday.",
        {
            ("Russia", "country", ("Russia", "Russian"), (), None, None),
            ("Sergey Lavrov", "person", ("Sergey Lavrov",), ("Foreign Minister",), "Russia", "Russia"),
        },
    ),
    (
        "A spokesperson for Starmer's Downing Street office declined to comment, Reuters reported.",
        {
            ("Starmer", "person", ("Starmer",), (), None, None),
            ("Downing Street", "organization", ("Downing Street",), (), "United Kingdom", None),
            ("Reuters", "organization", ("Reuters",), (), None, None),
        },
    ),
    (
        "NATO met in Brussels. Officials said the US-led alliance would not be intimidated.",
        {
            ("NATO", "organization", ("NATO", "the US-led alliance"), (), None, None),
            ("United States", "country", ("American", "US"), (), None, None),
        },
    ),
    ("The daily briefing was moved to Thursday afternoon.", set()),
    # Three capitals are an acronym, not a country's ISO code (GMB is not Gambia).
    (
        "The GMB union opposed the pay freeze.",
        {("GMB", "organization", ("GMB",), (), None, None)},
    ),
]


@pytest.mark.parametrize(("body", "expected"), ACTORS, ids=[a[0][:40] for a in ACTORS])
def test_actors(extractor: Extractor, body: str, expected: set[tuple[object, ...]]) -> None:
    fields = {"body": body}
    facts = extractor.extract(fields)
    found = {
        (a.name, a.kind, tuple(sorted(a.aliases)), tuple(r.title for r in a.roles), a.country, a.affiliation)
        for a in facts.actors
    }
    assert found == expected
    assert_offsets(fields, facts)


def test_media_outlet_as_source(extractor: Extractor) -> None:
    facts = extractor.extract({"body": "Starmer is planning a visit, the Telegraph newspaper reported."})
    assert ("The Telegraph", "organization") in {(a.name, a.kind) for a in facts.actors}


def test_country_aliases_are_canonical(extractor: Extractor) -> None:
    facts = extractor.extract({"body": "Britain and the UK are one; Russia and the US talked."})
    assert sorted(a.name for a in facts.actors) == ["Russia", "United Kingdom", "United States"]


# The patterns that made duplicate records over a news corpus, in sentences written for these tests.
MERGED = [
    (
        "Home Secretary Charles Clarke defended the bill. Clarke told MPs he would not back down.",
        "Charles Clarke",
        "person",
        ("Charles Clarke", "Clarke"),
    ),
    (
        "The Bank of England held rates. The Bank said inflation was under control.",
        "Bank of England",
        "organization",
        ("Bank", "Bank of England"),
    ),
    (
        "Chelsea won at home. Chelsea manager Jose Mourinho was pleased.",
        "Chelsea",
        "organization",
        ("Chelsea",),
    ),
    (
        "Manchester United lost again on Saturday.",
        "Manchester United",
        "organization",
        ("Manchester United",),
    ),
    (
        "The Tories and the Lib Dems attacked the plan. Lib Dem leader Charles Kennedy agreed.",
        "Liberal Democrats",
        "organization",
        ("Lib Dem", "Lib Dems"),
    ),
    ("Labour would win, Mr Blair told the Labour conference.", "Labour Party", "organization", ("Labour",)),
    ("Dr Fox said the plan had failed.", "Fox", "person", ("Fox",)),
    (
        "The Liberal Democrats said the tax was unfair. The Democrats want a local income tax.",
        "Liberal Democrats",
        "organization",
        ("Democrats", "Liberal Democrats"),
    ),
    # A one-word organisation merges into a longer one by its head word only.
    ("Nintendo said sales rose. Nintendo Europe agreed.", "Nintendo", "organization", ("Nintendo",)),
    ("Wales won. On BBC Radio Wales, the coach said Wales played well.", "Wales", "organization", ("Wales",)),
    (
        "The British and Irish Lions tour next summer. The Lions squad is named in April.",
        "British and Irish Lions",
        "organization",
        ("British and Irish Lions", "Lions"),
    ),
    (
        "Speaking to BBC Radio Scotland, the minister said the plan was fair.",
        "BBC",
        "organization",
        ("BBC Radio Scotland",),
    ),
    (
        "The Securities and Exchange Commission said it would act. The SEC gave no details.",
        "Securities and Exchange Commission",
        "organization",
        ("SEC", "Securities and Exchange Commission"),
    ),
    (
        "Starmer is planning a visit, the Telegraph newspaper reported.",
        "The Telegraph",
        "organization",
        ("the Telegraph newspaper",),
    ),
]


@pytest.mark.parametrize(("body", "name", "kind", "aliases"), MERGED, ids=[m[1] for m in MERGED])
def test_short_names_and_kinds_merge(
    extractor: Extractor, body: str, name: str, kind: str, aliases: tuple[str, ...]
) -> None:
    facts = extractor.extract({"body": body})
    found = [a for a in facts.actors if a.name == name]
    assert [(a.kind, tuple(sorted(a.aliases))) for a in found] == [(kind, aliases)]
    assert_offsets({"body": body}, facts)


def test_company_before_a_business_title(extractor: Extractor) -> None:
    body = "Yukos would appeal, said Yukos chief executive Steven Theede."
    facts = extractor.extract({"body": body})
    found = {(a.name, a.kind, tuple(r.title for r in a.roles), a.affiliation) for a in facts.actors}
    assert found == {
        ("Yukos", "organization", (), None),
        ("Steven Theede", "person", ("Yukos chief executive",), "Yukos"),
    }


@pytest.mark.parametrize(
    ("body", "name", "title"),
    [
        (
            "Conservative leader Michael Howard said the plan had failed.",
            "Michael Howard",
            "Conservative leader",
        ),
        ("Tory co-chairman Liam Fox said the party would win.", "Liam Fox", "Tory co-chairman"),
    ],
)
def test_party_title_gives_affiliation(extractor: Extractor, body: str, name: str, title: str) -> None:
    facts = extractor.extract({"body": body})
    person = next(a for a in facts.actors if a.name == name)
    assert ([r.title for r in person.roles], person.country, person.affiliation) == (
        [title],
        "United Kingdom",
        "Conservative Party",
    )


def test_awards_are_not_actors(extractor: Extractor) -> None:
    facts = extractor.extract({"body": "Jamie Foxx won an Oscar. The Oscars take place on Sunday."})
    assert [a.name for a in facts.actors] == ["Jamie Foxx"]
