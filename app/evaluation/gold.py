"""The seed article scored against its hand-made gold file (quotes, actors, positions).

Gold offsets index the whole file; ours index a field, so gold quotes are matched by field and by
word-token overlap of their content text with ours, one-to-one by largest overlap. Names are compared
after normalisation ("The Kremlin" = "Kremlin"); a gold speaker matches a predicted one when their
names agree or the gold name is one of the predicted actor's aliases.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from app.evaluation.matching import Tokens, pair_by_overlap
from app.extraction.types import Actor, ArticleFacts
from app.naming import normalize_name

NEGATIVE = frozenset({"oppose", "warn"})
POSITIVE = frozenset({"support", "propose", "demand"})


@dataclass
class Section:
    title: str
    lines: list[str] = field(default_factory=list)
    figures: dict[str, int] = field(default_factory=dict)

    def render(self) -> str:
        head = f"{self.title}: " + ", ".join(f"{k} {v}" for k, v in self.figures.items())
        return "\n".join([head, *("  " + line for line in self.lines)])


def _names(actor: Actor) -> set[str]:
    return {normalize_name(actor.name), *(normalize_name(alias) for alias in actor.aliases)}


def _same_actor(gold_name: str | None, actor: Actor | None) -> bool:
    if gold_name is None or actor is None:
        return gold_name is None and actor is None
    return normalize_name(gold_name) in _names(actor)


def _find_actor(facts: ArticleFacts, gold_name: str) -> Actor | None:
    key = normalize_name(gold_name)
    exact = [a for a in facts.actors if normalize_name(a.name) == key]
    if exact:
        return exact[0]
    by_alias = [a for a in facts.actors if key in _names(a)]
    return by_alias[0] if by_alias else None


def score_quotes(
    fields: Mapping[str, str], facts: ArticleFacts, gold: Sequence[Mapping[str, Any]]
) -> Section:
    section = Section("quotes")
    found = right_speaker = right_kind = 0
    matched_predictions: set[int] = set()
    for field_name, text in fields.items():
        tokens = Tokens(text)
        gold_here = [g for g in gold if g["where"] == field_name]
        predicted_here = [(i, q) for i, q in enumerate(facts.quotes) if q.content.field == field_name]
        gold_sets = []
        for g in gold_here:
            start = text.find(g["content"]["text"])
            gold_sets.append(
                tokens.of([(start, start + len(g["content"]["text"]))]) if start >= 0 else frozenset()
            )
        pairs = pair_by_overlap(
            [tokens.of([(q.content.start, q.content.end)]) for _, q in predicted_here], gold_sets
        )
        paired_gold = {j for _, j in pairs}
        for i, j in pairs:
            index, quote = predicted_here[i]
            matched_predictions.add(index)
            g = gold_here[j]
            speaker = facts.actors[quote.speaker] if quote.speaker is not None else None
            speaker_ok = _same_actor(g["speaker"], speaker)
            kind_ok = quote.kind == g["kind"]
            found += 1
            right_speaker += speaker_ok
            right_kind += kind_ok
            if not (speaker_ok and kind_ok):
                name = speaker.name if speaker else None
                section.lines.append(
                    f"{field_name}: {g['content']['text'][:50]!r}: speaker {name} (gold {g['speaker']}), "
                    f"kind {quote.kind} (gold {g['kind']})"
                )
        for j, g in enumerate(gold_here):
            if j not in paired_gold:
                section.lines.append(f"missed ({field_name}): {g['content']['text'][:70]!r}")
    for index, quote in enumerate(facts.quotes):
        if index not in matched_predictions:
            section.lines.append(f"false quote ({quote.content.field}): {quote.content.text[:70]!r}")
    section.figures = {
        "gold": len(gold),
        "found": found,
        "right speaker": right_speaker,
        "right kind": right_kind,
        "false": len(facts.quotes) - len(matched_predictions),
    }
    return section


def score_actors(facts: ArticleFacts, gold: Sequence[Mapping[str, Any]]) -> Section:
    section = Section("actors")
    found = kind_ok = aliases_ok = roles_ok = affiliation_ok = 0
    with_roles = with_affiliation = 0
    matched: set[int] = set()
    for g in gold:
        actor = _find_actor(facts, g["name"])
        if actor is None:
            section.lines.append(f"missed: {g['name']}")
            continue
        matched.add(facts.actors.index(actor))
        found += 1
        kind_ok += actor.kind == g["type"]
        if actor.kind != g["type"]:
            section.lines.append(f"{g['name']}: kind {actor.kind} (gold {g['type']})")
        mentioned = _names(actor) | {normalize_name(m.text) for m in actor.mentions}
        missing = [a for a in g["aliases"] if normalize_name(a) not in mentioned]
        aliases_ok += not missing
        if missing:
            section.lines.append(f"{g['name']}: aliases not merged: {missing}")
        if g.get("roles"):
            with_roles += 1
            titles = {normalize_name(r.title) for r in actor.roles}
            wanted = {normalize_name(r) for r in g["roles"]}
            roles_ok += wanted <= titles
            if not wanted <= titles:
                section.lines.append(f"{g['name']}: roles {sorted(titles)} (gold {sorted(wanted)})")
        if g.get("affiliation"):
            with_affiliation += 1
            ok = actor.affiliation is not None and normalize_name(actor.affiliation) == normalize_name(
                g["affiliation"]
            )
            affiliation_ok += ok
            if not ok:
                section.lines.append(
                    f"{g['name']}: affiliation {actor.affiliation} (gold {g['affiliation']})"
                )
    spurious = [a.name for i, a in enumerate(facts.actors) if i not in matched]
    for name in spurious:
        section.lines.append(f"spurious: {name}")
    section.figures = {
        "gold": len(gold),
        "found": found,
        "kind right": kind_ok,
        "aliases merged": aliases_ok,
        f"roles right (of {with_roles})": roles_ok,
        f"affiliation right (of {with_affiliation})": affiliation_ok,
        "spurious": len(spurious),
    }
    return section


def score_positions(facts: ArticleFacts, gold: Sequence[Mapping[str, Any]]) -> Section:
    """Gold topics are names ("foreign troops in Ukraine"); ours are keys. Each gold topic is mapped to
    the predicted key most of its matched positions carry, and a position is on the right topic when
    its key is the one its gold topic maps to (and two gold topics may not share a key)."""
    section = Section("positions")
    predicted = [(facts.actors[p.actor], p) for p in facts.positions]
    candidates: list[list[int]] = []
    for g in gold:
        candidates.append(
            [
                i
                for i, (actor, p) in enumerate(predicted)
                if _same_actor(g["actor"], actor) and p.stance == g["stance"]
            ]
        )
    votes: dict[str, Counter[str]] = {}
    for g, found in zip(gold, candidates, strict=True):
        for i in found:
            votes.setdefault(g["topic"], Counter())[predicted[i][1].topic_key] += 1
    topic_key = {topic: counter.most_common(1)[0][0] for topic, counter in votes.items()}
    distinct_topics = len(set(topic_key.values())) == len(topic_key)
    right = on_topic = 0
    for g, found in zip(gold, candidates, strict=True):
        if not found:
            section.lines.append(f"missed: {g['actor']} {g['stance']} {g['claim'][:60]!r}")
            continue
        right += 1
        if distinct_topics and any(predicted[i][1].topic_key == topic_key.get(g["topic"]) for i in found):
            on_topic += 1
        else:
            section.lines.append(f"{g['actor']} {g['stance']}: topic not the one of '{g['topic']}'")
    gold_polarity: dict[str, set[str]] = {}
    for g in gold:
        gold_polarity.setdefault(normalize_name(g["actor"]), set()).add(g["stance"])
    wrong_polarity = 0
    for actor, p in predicted:
        stances = set().union(*(gold_polarity.get(n, set()) for n in _names(actor)))
        if (p.stance in POSITIVE and stances & NEGATIVE and not stances & POSITIVE) or (
            p.stance in NEGATIVE and stances & POSITIVE and not stances & NEGATIVE
        ):
            wrong_polarity += 1
            section.lines.append(f"wrong polarity: {actor.name} {p.stance} {p.claim.text[:60]!r}")
    for actor, p in predicted:
        section.lines.append(f"predicted: {actor.name} {p.stance} [{p.topic_label}] {p.claim.text[:60]!r}")
    section.figures = {
        "gold": len(gold),
        "right actor and stance": right,
        "on the right topic": on_topic,
        "wrong polarity": wrong_polarity,
        "predicted": len(predicted),
    }
    return section
