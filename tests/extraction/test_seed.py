"""The seed article against its hand-made gold facts (targets restated here; the test reads only seeds/)."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.extraction import ArticleFacts, Extractor
from tests.extraction.conftest import assert_offsets, speaker_name

pytestmark = pytest.mark.slow

SEED = Path(__file__).resolve().parents[2] / "seeds" / "000_48d938ff19edc6c5.txt"


def read_seed(path: Path) -> dict[str, str]:
    """Header, title, standfirst, caption (photo credit cut off), then the body."""
    lines = path.read_text(encoding="utf-8").split("\n")
    caption = lines[3]
    credit = caption.rfind(" / Photo:")
    if credit >= 0:
        caption = caption[:credit].rstrip(" \u00a0")
    return {
        "title": lines[1],
        "standfirst": lines[2],
        "caption": caption,
        "body": "\n".join(lines[4:]).strip(),
    }


@pytest.fixture(scope="module")
def seed(extractor: Extractor) -> tuple[dict[str, str], ArticleFacts]:
    fields = read_seed(SEED)
    return fields, extractor.extract(fields)


GOLD_QUOTES = [
    ("title", "mixed", "Russia", None, "'unacceptable'"),
    (
        "standfirst",
        "mixed",
        "Russia",
        "calling",
        'calling it a "direct threat" to its sovereignty, even under another flag',
    ),
    (
        "caption",
        "mixed",
        "Dmitry Peskov",
        "said",
        'a reported UK proposal to send troops to Ukraine is "unacceptable"',
    ),
    (
        "body",
        "indirect",
        "Kremlin",
        "has said",
        "any plan to send European troops to Ukraine as part of a potential peacekeeping mission would be "
        "unacceptable for Russia and that it was monitoring such proposals with concern",
    ),
    (
        "body",
        "indirect",
        "Dmitry Peskov",
        "said",
        "the reported proposal from the UK, that it is willing to send troops to Ukraine, was unacceptable "
        "because it would involve forces from a NATO member state and therefore have ramifications for "
        "Russia's own security",
    ),
    (
        "body",
        "direct",
        "Dmitry Peskov",
        "told",
        "This causes concern for us, because we're talking about sending military contingents - about the "
        "possible, eventual sending of military contingents from NATO countries to Ukraine,",
    ),
    (
        "body",
        "direct",
        "Dmitry Peskov",
        "said",
        "This takes on a completely different meaning from the point of view of our security",
    ),
    ("body", "direct", "Dmitry Peskov", None, "We're monitoring this very closely."),
    (
        "body",
        "mixed",
        "Keir Starmer",
        "has said",
        'he is "ready and willing" to put UK troops on the ground in Ukraine, with US backing, as a security '
        "guarantee in the event of some sort of a ceasefire deal between Moscow and Kiev",
    ),
    (
        "body",
        "indirect",
        "The Telegraph",
        "reported",
        "Starmer is planning to present a plan to US President Donald Trump to send fewer than 30,000 "
        "European servicemen to Ukraine in exchange for American protection of the troops",
    ),
    (
        "body",
        "indirect",
        "Russia",
        "has repeatedly said",
        "it opposes having NATO troops on the ground in Ukraine",
    ),
    (
        "body",
        "mixed",
        "Sergey Lavrov",
        "saying",
        'Moscow would view that as a "direct threat" to Russia\'s sovereignty, even if the troops operated '
        "there under a different flag",
    ),
    (
        "body",
        "indirect",
        "Russia",
        "demanded",
        "NATO scrap its 2008 promise to one day give Ukraine membership of the US-led alliance",
    ),
]


def test_seed_quotes(seed: tuple[dict[str, str], ArticleFacts]) -> None:
    fields, facts = seed
    assert len(facts.quotes) == len(GOLD_QUOTES)
    for quote, (field, kind, speaker, cue, content) in zip(facts.quotes, GOLD_QUOTES, strict=True):
        assert quote.content.field == field
        assert quote.kind == kind, content
        assert speaker_name(facts, quote.speaker) == speaker, content
        assert (quote.cue.text if quote.cue else None) == cue
        # The caption's content runs on past the gold end ("..., raising security concerns ..."): a prefix.
        assert quote.content.text.startswith(content)
    assert facts.quotes[6].speaker_mention is not None and facts.quotes[6].speaker_mention.text == "he"
    assert_offsets(fields, facts)


def test_seed_actors(seed: tuple[dict[str, str], ArticleFacts]) -> None:
    _, facts = seed
    by_name = {actor.name: actor for actor in facts.actors}
    assert {name: actor.kind for name, actor in by_name.items()} == {
        "Dmitry Peskov": "person",
        "Keir Starmer": "person",
        "Donald Trump": "person",
        "Sergey Lavrov": "person",
        "Russia": "country",
        "Ukraine": "country",
        "United Kingdom": "country",
        "United States": "country",
        "Kremlin": "organization",
        "NATO": "organization",
        "Downing Street": "organization",
        "Reuters": "organization",
        "The Telegraph": "organization",
    }
    assert set(by_name["Dmitry Peskov"].aliases) == {"Dmitry Peskov", "Peskov"}
    assert set(by_name["Keir Starmer"].aliases) == {"Keir Starmer", "Starmer", "the British leader"}
    assert {"Moscow", "Russia"} <= set(by_name["Russia"].aliases)
    assert {"Kiev", "Ukraine"} <= set(by_name["Ukraine"].aliases)
    assert {"UK", "British"} <= set(by_name["United Kingdom"].aliases)
    assert {"US", "American", "United States"} <= set(by_name["United States"].aliases)
    assert set(by_name["NATO"].aliases) == {"NATO", "the US-led alliance"}
    roles = {
        name: [r.title for r in by_name[name].roles]
        for name in ("Dmitry Peskov", "Keir Starmer", "Donald Trump", "Sergey Lavrov")
    }
    assert roles == {
        "Dmitry Peskov": ["Kremlin spokesman", "Kremlin spokesperson"],
        "Keir Starmer": ["British Prime Minister"],
        "Donald Trump": ["US President"],
        "Sergey Lavrov": ["Foreign Minister"],
    }
    assert (by_name["Dmitry Peskov"].affiliation, by_name["Dmitry Peskov"].country) == ("Kremlin", "Russia")
    assert (by_name["Keir Starmer"].affiliation, by_name["Keir Starmer"].country) == ("United Kingdom",) * 2
    assert (by_name["Donald Trump"].affiliation, by_name["Donald Trump"].country) == ("United States",) * 2
    assert (by_name["Sergey Lavrov"].affiliation, by_name["Sergey Lavrov"].country) == ("Russia", "Russia")
    assert by_name["Kremlin"].country == "Russia"
    assert by_name["Downing Street"].country == "United Kingdom"


GOLD_POSITIONS = {
    ("Russia", "oppose", "troops|ukraine"),
    ("Kremlin", "oppose", "troops|ukraine"),
    ("Dmitry Peskov", "oppose", "troops|ukraine"),
    ("Sergey Lavrov", "oppose", "troops|ukraine"),
    ("Keir Starmer", "support", "troops|ukraine"),
    ("Russia", "demand", "membership|nato|ukraine"),
}


def test_seed_positions(seed: tuple[dict[str, str], ArticleFacts]) -> None:
    _, facts = seed
    found = {(facts.actors[p.actor].name, p.stance, p.topic_key) for p in facts.positions}
    assert found >= GOLD_POSITIONS
    stances = {(name, key): stance for name, stance, key in found}
    for (name, key), stance in stances.items():
        assert (name, "support" if stance == "oppose" else "oppose", key) not in found, (name, key)
    labels = {p.topic_key: p.topic_label for p in facts.positions}
    assert labels["troops|ukraine"] == "foreign troops in Ukraine"
    assert labels["membership|nato|ukraine"] == "Ukraine's NATO membership"
    claims = {(facts.actors[p.actor].name, p.claim.text) for p in facts.positions}
    # Both of Starmer's (gold 5 and 6), and Russia's "dismissed the idea that ..." (gold 8).
    assert (
        "Keir Starmer",
        "put UK troops on the ground in Ukraine, with US backing, as a security guarantee in "
        "the event of some sort of a ceasefire deal between Moscow and Kiev",
    ) in claims
    assert any(name == "Keir Starmer" and "30,000 European servicemen" in claim for name, claim in claims)
    assert ("Russia", "NATO member forces could be keepers of the peace under a ceasefire deal") in claims
    # One position per (actor, stance, topic) per sentence.
    keys = [(p.actor, p.stance, p.topic_key, p.evidence.field, p.evidence.start) for p in facts.positions]
    assert len(keys) == len(set(keys))
