from __future__ import annotations

import datetime as dt
from typing import get_args

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from app.extraction.types import Position, Stance
from app.topics import service as topics_service
from tests.builders import actor, find, make_article, peskov_article, troops_position


def test_positions_filters(client: TestClient, engine: Engine) -> None:
    peskov_article(engine, published_on=dt.date(2025, 1, 1), stance="oppose")
    peskov_article(engine, published_on=dt.date(2025, 2, 1), stance="support")
    assert client.get("/positions").json()["total"] == 2
    opposed = client.get("/positions", params={"stance": "oppose"}).json()
    assert [p["date"] for p in opposed["items"]] == ["2025-01-01"]
    assert client.get("/positions", params={"actor": "russia", "to": "2025-01-15"}).json()["total"] == 1


def test_stance_history_marks_flips(client: TestClient, engine: Engine) -> None:
    peskov_article(engine, published_on=dt.date(2025, 1, 1), stance="oppose")
    peskov_article(engine, published_on=dt.date(2025, 2, 1), stance="oppose")
    peskov_article(engine, published_on=dt.date(2025, 3, 1), stance="support")
    history = client.get(
        "/actors/russia/positions", params={"topic": "foreign-troops-in-ukraine", "sort": "date"}
    ).json()
    assert [(p["date"], p["stance"], p["stance_changed"]) for p in history["items"]] == [
        ("2025-01-01", "oppose", False),
        ("2025-02-01", "oppose", False),
        ("2025-03-01", "support", True),
    ]


def test_topics_who_stands_where(client: TestClient, engine: Engine) -> None:
    peskov_article(engine, published_on=dt.date(2025, 1, 1), stance="oppose")
    peskov_article(engine, published_on=dt.date(2025, 1, 20), stance="oppose")
    peskov_article(engine, published_on=dt.date(2025, 2, 1), stance="support")
    topics = client.get("/topics").json()
    assert [
        (t["label"], t["articles"], t["positions"], t["actors"], t["latest"]) for t in topics["items"]
    ] == [("foreign troops in Ukraine", 3, 3, 1, "2025-02-01")]
    detail = client.get("/topics/foreign-troops-in-ukraine").json()
    assert [
        (g["stance"], g["count"], [a["actor"]["name"] for a in g["actors"]]) for g in detail["stances"]
    ] == [
        ("support", 1, ["Russia"]),
        ("oppose", 2, ["Russia"]),
    ]
    assert detail["stances"][1]["actors"][0]["latest"]["date"] == "2025-01-20"
    assert [(p["month"], p["stance"], p["count"]) for p in detail["timeline"]] == [
        ("2025-01", "oppose", 2),
        ("2025-02", "support", 1),
    ]
    assert client.get("/topics", params={"q": "TROOPS"}).json()["total"] == 1
    assert client.get("/topics", params={"q": "tariffs"}).json()["total"] == 0


def test_topic_timeline_is_by_month_then_stance_with_undated_positions_last(
    client: TestClient, engine: Engine
) -> None:
    # Stored in another order than the answer's, so that neither the rows' nor the keys' order gives it.
    peskov_article(engine, published_on=dt.date(2025, 1, 1), stance="oppose")
    peskov_article(engine, published_on=None, stance="oppose")
    peskov_article(engine, published_on=dt.date(2025, 1, 9), stance="support")
    peskov_article(engine, published_on=dt.date(2024, 12, 31), stance="oppose")
    response = client.get("/topics/foreign-troops-in-ukraine")
    detail = response.json()
    assert [(p["month"], p["actor"], p["stance"], p["count"]) for p in detail["timeline"]] == [
        ("2024-12", None, "oppose", 1),
        ("2025-01", None, "support", 1),
        ("2025-01", None, "oppose", 1),
        ("unknown", None, "oppose", 1),
    ]
    assert client.get(f"/topics/{detail['id']}").content == response.content


def _rates_article(
    engine: Engine,
    body: str,
    claim: str,
    key: str,
    label: str,
    speaker: str = "Bank of England",
    concept: bool = False,
) -> int:
    bank = actor(speaker, "organization", mentions=(find(body, speaker),))
    position = Position(
        actor=0,
        stance="warn",
        claim=find(body, claim),
        topic_key=key,
        topic_label=label,
        evidence=find(body, body),
        quote=None,
        confidence=0.8,
        topic_concept=concept,
    )
    return make_article(engine, body=body, actors=(bank,), positions=(position,))


def test_topics_meet_across_articles_and_keep_their_numbers(client: TestClient, engine: Engine) -> None:
    peskov_article(engine)
    _rates_article(
        engine,
        "The Bank of England warned against raising interest rates.",
        "raising interest rates",
        "interest rates",
        "interest rates",
    )
    before = {t["slug"]: t["id"] for t in client.get("/topics").json()["items"]}
    _rates_article(
        engine,
        "The Bank of England warned against higher UK interest rates.",
        "higher UK interest rates",
        "interest rates|united kingdom",
        "interest rates (United Kingdom)",
    )
    _rates_article(
        engine,
        "The Bank of England warned against a smoking ban.",
        "a smoking ban",
        "smoking ban",
        "smoking ban",
    )
    topics = {t["slug"]: (t["id"], t["positions"]) for t in client.get("/topics").json()["items"]}
    assert set(topics) == {"foreign-troops-in-ukraine", "interest-rates", "smoking-ban"}
    assert topics["interest-rates"][1] == 2
    assert {slug: topics[slug][0] for slug in before} == before
    assert topics["smoking-ban"][0] > max(before.values())


def test_topics_are_listed_by_the_articles_arguing_them(client: TestClient, engine: Engine) -> None:
    # One story with three claims on rates, and two articles with one claim each on a smoking ban:
    # the ban is argued more widely, however many claims the story files under rates.
    body = "The Bank of England warned against raising interest rates, higher rates and a rate rise."
    bank = actor("Bank of England", "organization", mentions=(find(body, "Bank of England"),))
    rates = [
        Position(
            0, "warn", find(body, claim), "interest rates", "interest rates", find(body, body), None, 0.8
        )
        for claim in ("raising interest rates", "higher rates", "a rate rise")
    ]
    make_article(engine, body=body, actors=(bank,), positions=tuple(rates))
    for speaker in ("Bank of England", "Treasury"):
        _rates_article(
            engine,
            f"The {speaker} warned against a smoking ban.",
            "a smoking ban",
            "smoking ban",
            "smoking ban",
            speaker,
        )

    def listed(**params: str) -> list[tuple[str, int, int]]:
        items = client.get("/topics", params=params).json()["items"]
        return [(t["label"], t["articles"], t["positions"]) for t in items]

    assert listed() == [("smoking ban", 2, 2), ("interest rates", 1, 3)]
    assert listed(sort="-articles") == listed()
    assert listed(sort="-positions") == [("interest rates", 1, 3), ("smoking ban", 2, 2)]
    detail = client.get("/topics/smoking-ban").json()
    assert (detail["articles"], detail["positions"]) == (2, 2)


def test_topics_argued_in_as_many_articles_are_listed_by_their_actors(
    client: TestClient, engine: Engine
) -> None:
    # One actor's two claims on rates against two actors' claims on a ban, one article each.
    rates = "The Bank of England warned against raising interest rates and higher rates."
    bank = actor("Bank of England", "organization", mentions=(find(rates, "Bank of England"),))
    claims = [
        Position(
            0, "warn", find(rates, claim), "interest rates", "interest rates", find(rates, rates), None, 0.8
        )
        for claim in ("raising interest rates", "higher rates")
    ]
    make_article(engine, body=rates, actors=(bank,), positions=tuple(claims))
    ban = "The Bank of England and the Treasury warned against a smoking ban."
    speakers = (
        actor("Bank of England", "organization", mentions=(find(ban, "Bank of England"),)),
        actor("Treasury", "organization", mentions=(find(ban, "Treasury"),)),
    )
    bans = [
        Position(
            n, "warn", find(ban, "a smoking ban"), "smoking ban", "smoking ban", find(ban, ban), None, 0.8
        )
        for n in (0, 1)
    ]
    make_article(engine, body=ban, actors=speakers, positions=tuple(bans))
    items = client.get("/topics").json()["items"]
    assert [(t["label"], t["articles"], t["actors"], t["positions"]) for t in items] == [
        ("smoking ban", 1, 2, 2),
        ("interest rates", 1, 1, 2),
    ]


def _both_warn(engine: Engine, body: str, names: tuple[str, str], claim: str, key: str, label: str) -> int:
    """An article in which two organisations each warn against the same claim."""
    speakers = tuple(actor(name, "organization", mentions=(find(body, name),)) for name in names)
    positions = tuple(
        Position(n, "warn", find(body, claim), key, label, find(body, body), None, 0.8) for n in (0, 1)
    )
    return make_article(engine, body=body, actors=speakers, positions=positions)


def test_a_topic_one_actor_argues_counts_as_one_story(client: TestClient, engine: Engine) -> None:
    # The Bank of England's ban story told in two articles, against two actors on rates in one.
    for number in range(2):
        _rates_article(
            engine,
            f"The Bank of England warned against a smoking ban ({number}).",
            "a smoking ban",
            "smoking ban",
            "smoking ban",
        )
    _both_warn(
        engine,
        "The Bank of England and the Treasury warned against raising interest rates.",
        ("Bank of England", "Treasury"),
        "raising interest rates",
        "interest rates",
        "interest rates",
    )
    items = client.get("/topics").json()["items"]
    assert [(t["label"], t["articles"], t["actors"], t["positions"]) for t in items] == [
        ("interest rates", 1, 2, 2),
        ("smoking ban", 2, 1, 2),
    ]


def test_concept_topics_come_first_among_topics_argued_in_as_many_articles(
    client: TestClient, engine: Engine
) -> None:
    # One article each: two actors on the London Stock Exchange's cash bid, a head phrase, and the
    # Bank of England alone on interest rates, a concept. The concept is an issue by construction and
    # comes first, though fewer argue it and its label comes later.
    _rates_article(
        engine,
        "The Bank of England warned against raising interest rates.",
        "raising interest rates",
        "interest rates",
        "interest rates",
        concept=True,
    )
    bid = "The Treasury and the Bank of England warned against a cash bid for the LSE."
    speakers = ("Treasury", "Bank of England")
    _both_warn(engine, bid, speakers, "a cash bid for the LSE", "cash bid|lse", "cash bid (LSE)")

    def listed(**params: str) -> list[tuple[str, int, int, int]]:
        items = client.get("/topics", params=params).json()["items"]
        return [(t["label"], t["articles"], t["actors"], t["positions"]) for t in items]

    assert listed() == [("interest rates", 1, 1, 1), ("cash bid (LSE)", 1, 2, 2)]
    assert listed(sort="-articles") == listed()
    assert listed(sort="-positions") == [("cash bid (LSE)", 1, 2, 2), ("interest rates", 1, 1, 1)]
    # More articles still come first, whatever the kind.
    _both_warn(engine, bid + " Again.", speakers, "a cash bid for the LSE", "cash bid|lse", "cash bid (LSE)")
    assert listed() == [("cash bid (LSE)", 2, 2, 4), ("interest rates", 1, 1, 1)]


def _stance_article(engine: Engine, name: str, stance: str, number: int = 0) -> int:
    body = f"{name} opposes sending troops to Ukraine."
    speaker = actor(name, "organization", mentions=(find(body, name),))
    position = troops_position(body, stance, body)
    title = f"{name} {stance} {number}"
    return make_article(engine, body=body, title=title, actors=(speaker,), positions=(position,))


def test_a_topic_lists_the_most_active_actors_per_stance(client: TestClient, engine: Engine) -> None:
    for name, times in (("Alpha Party", 3), ("Beta Union", 2), ("Gamma Group", 1)):
        for number in range(times):
            _stance_article(engine, name, "oppose", number)
    _stance_article(engine, "Delta League", "support")
    detail = client.get("/topics/foreign-troops-in-ukraine", params={"actors": 2, "timeline": "actor"}).json()
    assert [(g["stance"], g["count"], g["actor_total"]) for g in detail["stances"]] == [
        ("support", 1, 1),
        ("oppose", 6, 3),
    ]
    assert [(a["actor"]["name"], a["count"]) for a in detail["stances"][1]["actors"]] == [
        ("Alpha Party", 3),
        ("Beta Union", 2),
    ]
    assert {p["actor"]["name"] for p in detail["timeline"]} == {"Alpha Party", "Beta Union", "Delta League"}
    assert client.get("/topics/foreign-troops-in-ukraine", params={"actors": 0}).status_code == 422


def test_an_unknown_topic_is_a_problem(client: TestClient, engine: Engine) -> None:
    peskov_article(engine)
    topic_id = client.get("/topics").json()["items"][0]["id"]
    assert client.get(f"/topics/{topic_id}").json()["slug"] == "foreign-troops-in-ukraine"
    for ident in ("999999", str(2**63), "no-such-topic"):
        response = client.get(f"/topics/{ident}")
        assert response.status_code == 404
        assert response.json()["detail"] == f"No topic with id or slug '{ident}'."


def test_a_topic_lists_five_actors_per_stance_unless_asked_and_its_timeline_per_stance(
    client: TestClient, engine: Engine
) -> None:
    names = [f"Party {letter}" for letter in "ABCDEFG"]
    for times, name in enumerate(names, start=1):
        for number in range(times):
            _stance_article(engine, name, "oppose", number)
    _stance_article(engine, "Delta League", "support")
    detail = client.get("/topics/foreign-troops-in-ukraine").json()
    oppose = detail["stances"][1]
    assert (oppose["stance"], oppose["count"], oppose["actor_total"]) == ("oppose", 28, 7)
    assert [a["actor"]["name"] for a in oppose["actors"]] == [
        "Party G",
        "Party F",
        "Party E",
        "Party D",
        "Party C",
    ]
    # Every actor's positions are counted, the two left out of `stances` too.
    assert [(p["month"], p["actor"], p["stance"], p["count"]) for p in detail["timeline"]] == [
        ("2025-02", None, "support", 1),
        ("2025-02", None, "oppose", 28),
    ]
    every = client.get("/topics/foreign-troops-in-ukraine", params={"actors": 7}).json()
    assert len(every["stances"][1]["actors"]) == 7
    by_actor = client.get("/topics/foreign-troops-in-ukraine", params={"timeline": "actor"}).json()
    assert by_actor["stances"] == detail["stances"]
    assert [(p["actor"]["name"], p["count"]) for p in by_actor["timeline"]] == [
        ("Delta League", 1),
        *((name, times) for times, name in enumerate(names, start=1) if times >= 3),
    ]
    assert client.get("/topics/foreign-troops-in-ukraine", params={"timeline": "month"}).status_code == 422


def test_a_topic_detail_reads_every_stance_there_is() -> None:
    # Each stance is read from the ranking index on its own: one missing here would vanish from answers.
    assert sorted(topics_service.STANCE_ORDER) == sorted(get_args(Stance))
