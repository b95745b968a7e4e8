"""Curated tables (``data/*.json``) compiled once into lookups an Extractor shares.

The tables are data so that a journalist can add a capital, a title word or a speech verb without
touching code; this module only normalises keys (lower case, no leading "the") and adds the ISO
country names pycountry knows.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

import pycountry

from app.extraction.types import Stance


def normalise(text: str) -> str:
    """Key for name lookups: lower case, straight apostrophes, single spaces, no leading article."""
    key = " ".join(text.replace("\u2019", "'").replace("\u00a0", " ").split()).lower()
    if key.startswith("the "):
        key = key[4:]
    return key


@dataclass(frozen=True, slots=True)
class Institution:
    name: str
    country: str | None
    descriptions: tuple[str, ...]
    seat: bool = True
    """A place as well as an organisation ("Downing Street"): an actor only where it acts."""


@dataclass(frozen=True)
class Lexicon:
    countries: dict[str, str] = field(default_factory=dict)
    """normalised name, alias or code -> canonical country name ("uk" -> "United Kingdom")."""
    demonyms: dict[str, str] = field(default_factory=dict)
    capitals: dict[str, str] = field(default_factory=dict)
    institutions: dict[str, Institution] = field(default_factory=dict)
    """normalised alias -> institution ("kremlin", "nato", "no 10")."""
    descriptions: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """head noun -> institutions it can stand for ("alliance" -> ("NATO",))."""
    place_prepositions: frozenset[str] = frozenset()
    place_verbs: frozenset[str] = frozenset()
    organization_words: frozenset[str] = frozenset()
    """Last words that make a name an organisation whatever the model says ("Manchester United")."""
    not_actors: frozenset[str] = frozenset()
    """Normalised names the model tags that are no actor ("Oscars", "Christmas")."""
    media: dict[str, str] = field(default_factory=dict)
    media_nouns: frozenset[str] = frozenset()
    title_heads: dict[str, str] = field(default_factory=dict)
    title_modifiers: frozenset[str] = frozenset()
    honorifics: frozenset[str] = frozenset()
    cue_verbs: frozenset[str] = frozenset()
    naming_verbs: frozenset[str] = frozenset()
    belief_verbs: frozenset[str] = frozenset()
    intention_verbs: frozenset[str] = frozenset()
    object_verbs: frozenset[str] = frozenset()
    act_verbs: frozenset[str] = frozenset()
    act_prepositions: frozenset[str] = frozenset()
    """Speech acts reported through an object or complement ("blasted the deal"); the last rule tried."""
    prepositional_cues: dict[str, frozenset[str]] = field(default_factory=dict)
    """cue lemma -> prepositions whose object is the content ("call" -> "for": "called for a ban")."""
    stance_verbs: dict[str, Stance] = field(default_factory=dict)
    stance_phrasal: dict[str, Stance] = field(default_factory=dict)
    stance_adjectives: dict[str, Stance] = field(default_factory=dict)
    readiness: dict[str, Stance] = field(default_factory=dict)
    stance_nouns: dict[str, Stance] = field(default_factory=dict)
    stance_noun_phrases: dict[str, Stance] = field(default_factory=dict)
    evaluating_verbs: frozenset[str] = frozenset()
    negated: dict[Stance, Stance] = field(default_factory=dict)
    issue_cues: dict[tuple[str, ...], float] = field(default_factory=dict)
    """lemma sequence -> weight: positive presents an issue as serious, negative dismisses it."""
    issue_verbs: dict[str, frozenset[str]] = field(default_factory=dict)
    """"effects", "halts", "mitigation" -> verb lemmas taking the issue as subject or object."""
    issue_causes: dict[str, str] = field(default_factory=dict)
    """word -> preposition that makes the issue a cause ("due to", "caused by", "threat of")."""
    concepts: tuple[dict[str, Any], ...] = ()
    concept_of_lemma: dict[str, str] = field(default_factory=dict)
    target_prepositions: frozenset[str] = frozenset()
    topic_synonyms: dict[str, str] = field(default_factory=dict)
    topic_words: dict[str, frozenset[str]] = field(default_factory=dict)
    """"light_nouns", "light_verbs", "frame_nouns", "payment_nouns", "ignore", "business_nouns": how a
    claim's head concept is found."""
    action_suffixes: tuple[tuple[str, tuple[str, ...]], ...] = ()
    """Nominalising suffix -> verb endings it replaces ("ation" -> "ate": immigration, immigrate)."""
    agent_suffixes: tuple[tuple[str, tuple[str, ...]], ...] = ()
    """Agent suffix -> verb endings it replaces ("er" -> "e": voter, vote)."""

    def country(self, text: str) -> str | None:
        return self.countries.get(normalise(text))

    def title_head(self, words: list[str]) -> str | None:
        """Head of a title given its lower-case words: "prime minister" counts as one head."""
        for i in range(len(words) - 1, -1, -1):
            if i > 0 and f"{words[i - 1]} {words[i]}" in self.title_heads:
                return f"{words[i - 1]} {words[i]}"
            if words[i] in self.title_heads:
                return words[i]
        return None


def _read(name: str) -> Any:
    return json.loads(resources.files("app.extraction").joinpath("data", name).read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    """Build the lexicon from the data files; cached because the tables never change at run time."""
    countries_data = _read("countries.json")
    canonical: dict[str, str] = {}
    countries: dict[str, str] = {}
    for country in pycountry.countries:
        code = country.alpha_2
        name = countries_data["canonical"].get(code) or getattr(country, "common_name", None) or country.name
        canonical[code] = name
        # Not the alpha-3 code: in news an all-capital three letters is an acronym ("the ITA", the
        # International Tin Agreement; "GMB", a union; "AFG Industries") far more often than a country;
        # "USA", the one written for its country, is among the data file's aliases.
        for alias in (
            country.name,
            getattr(country, "common_name", None),
            getattr(country, "official_name", None),
            name,
        ):
            if alias:
                countries.setdefault(normalise(alias), name)
        countries[normalise(name)] = name
    for alias, code in countries_data["aliases"].items():
        countries[normalise(alias)] = canonical[code]

    inst_data = _read("institutions.json")
    institutions: dict[str, Institution] = {}
    descriptions: dict[str, list[str]] = {}
    for entry in inst_data["organizations"]:
        inst = Institution(
            entry["name"],
            canonical[entry["country"]] if entry["country"] else None,
            tuple(entry["descriptions"]),
            entry.get("seat", True),
        )
        for alias in [entry["name"], *entry["aliases"]]:
            institutions[normalise(alias)] = inst
        for description in entry["descriptions"]:
            descriptions.setdefault(description.split()[-1], []).append(inst.name)

    media_data = _read("media.json")
    media = {normalise(alias): name for name, aliases in media_data["outlets"].items() for alias in aliases}

    titles = _read("titles.json")
    cues = _read("cues.json")
    stances = _read("stances.json")
    topics = _read("topics.json")
    concept_of_lemma: dict[str, str] = {}
    for concept in topics["concepts"]:
        for lemma in concept["lemmas"]:
            concept_of_lemma.setdefault(lemma, concept["key"])

    return Lexicon(
        countries=countries,
        demonyms={normalise(k): canonical[v] for k, v in countries_data["demonyms"].items()},
        capitals={normalise(k): canonical[v] for k, v in countries_data["capitals"].items()},
        institutions=institutions,
        descriptions={k: tuple(v) for k, v in descriptions.items()},
        place_prepositions=frozenset(inst_data["place_prepositions"]),
        place_verbs=frozenset(inst_data["place_verbs"]),
        organization_words=frozenset(w.lower() for w in inst_data.get("organization_words", [])),
        not_actors=frozenset(normalise(n) for n in inst_data.get("not_actors", [])),
        media=media,
        media_nouns=frozenset(media_data["media_nouns"]),
        title_heads=dict(titles["heads"]),
        title_modifiers=frozenset(titles["modifiers"]),
        honorifics=frozenset(titles["honorifics"]),
        cue_verbs=frozenset(cues["verbs"]),
        naming_verbs=frozenset(cues["naming_verbs"]),
        belief_verbs=frozenset(cues["belief_verbs"]),
        intention_verbs=frozenset(cues["intention_verbs"]),
        object_verbs=frozenset(cues["object_verbs"]),
        act_verbs=frozenset(cues["acts"]),
        act_prepositions=frozenset(cues["act_prepositions"]),
        prepositional_cues={k: frozenset(v) for k, v in cues["prepositional"].items()},
        stance_verbs=dict(stances["verbs"]),
        stance_phrasal=dict(stances["phrasal"]),
        stance_adjectives=dict(stances["adjectives"]),
        readiness=dict(stances["readiness"]),
        stance_nouns=dict(stances["nouns"]),
        stance_noun_phrases=dict(stances["noun_phrases"]),
        evaluating_verbs=frozenset(stances["evaluating_verbs"]),
        negated=dict(stances["negated"]),
        issue_cues={
            tuple(cue.split()): sign * weight
            for part, sign in (("serious", 1), ("dismissive", -1))
            for cue, weight in stances["issue"][part].items()
        },
        issue_verbs={k: frozenset(stances["issue"][k]) for k in ("effects", "halts", "mitigation")},
        issue_causes=dict(stances["issue"]["causes"]),
        concepts=tuple(topics["concepts"]),
        concept_of_lemma=concept_of_lemma,
        target_prepositions=frozenset(topics["target_prepositions"]),
        topic_synonyms=dict(topics["synonyms"]),
        topic_words={
            k: frozenset(topics[k])
            for k in (
                "light_nouns",
                "light_verbs",
                "frame_nouns",
                "payment_nouns",
                "ignore",
                "business_nouns",
                "place_prepositions",
                "trade_verbs",
                "product_verbs",
            )
        },
        action_suffixes=tuple((k, tuple(v)) for k, v in topics["action_suffixes"].items()),
        agent_suffixes=tuple((k, tuple(v)) for k, v in topics["agent_suffixes"].items()),
    )
