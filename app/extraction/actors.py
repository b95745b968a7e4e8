"""Actors: who is named in an article, merged into one entry per real-world actor.

Built on spaCy's entities (PERSON, ORG, GPE, NORP) and cleaned with the curated tables of
``lexicon``. Aliases are merged within one article only: a surname goes to the full name, a
description ("the British leader") to the person whose title fits, a capital or seat to its state
when it acts. Pronouns are resolved on demand for speakers and stance holders.
"""

from __future__ import annotations

import bisect
import calendar
from collections.abc import Mapping
from dataclasses import dataclass, field

from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from app.extraction.lexicon import Lexicon, normalise
from app.extraction.text import Block, make_span
from app.extraction.types import Actor, ActorKind, Role, Span

TokenKey = tuple[int, int]
"""(block index, token index): a token's identity across the blocks of one article."""

_LABELS = {"PERSON", "ORG", "GPE", "NORP"}
_TABLE_ONLY_LABELS = {"PRODUCT", "WORK_OF_ART", "FAC", "LOC"}
_CALENDAR_WORDS = frozenset(
    w.lower() for w in [*calendar.day_name, *calendar.month_name, "today", "tomorrow", "yesterday"] if w
)
_POSSESSIVE = {"'s", "\u2019s", "'", "\u2019"}
_SUBJECT_DEPS = {"nsubj", "nsubjpass", "agent"}
_MALE_FEMALE = {"he", "him", "his", "she", "her", "hers", "himself", "herself"}
_NON_PERSON = {"it", "its", "itself"}
_PLURAL = {"they", "them", "their", "theirs"}
_SPEAKER_WINDOW_BLOCKS = 2
_INITIALS_SKIP = {"of", "and", "the", "for", "&"}
_VERSUS = {"v", "v.", "vs", "vs.", "versus"}


@dataclass(slots=True)
class _Mention:
    block: int
    first: int
    last: int
    span: Span
    kind: ActorKind
    key: str
    name: str
    subject: bool
    country: str | None = None
    affiliation: str | None = None
    role: Role | None = None
    from_table: bool = False
    """Named by a curated table (a country, an institution, an outlet) rather than by the model alone."""
    honorific: bool = False
    """Preceded by "Mr", "Dr" ...: a person, whatever else the model says of the name."""


@dataclass(slots=True)
class _Draft:
    key: str
    name: str
    kind: ActorKind
    aliases: list[str] = field(default_factory=list)
    roles: list[Role] = field(default_factory=list)
    country: str | None = None
    affiliation: str | None = None
    mentions: list[Span] = field(default_factory=list)
    heads: set[str] = field(default_factory=set)


@dataclass
class ActorTable:
    """The article's actors plus the lookups quotes and positions need (token -> actor, pronouns)."""

    actors: list[Actor]
    token_actor: dict[TokenKey, int]
    token_mention: dict[TokenKey, Span]
    order: list[TokenKey]
    """Reading-order positions of the mentions below (sorted), for pronoun look-back."""
    mention_actor: list[int]
    mention_subject: list[bool]
    mention_sentence: list[int]

    def actor_at(self, block: int, token: Token) -> int | None:
        return self.token_actor.get((block, token.i))

    def resolve_pronoun(self, block: int, token: Token, want: str) -> int | None:
        """Nearest preceding actor of the wanted sort ("person" or "thing"), subjects first.

        Catches "Peskov told reporters ... / ..., he said" (the last person who was a subject wins,
        so the object "US President Donald Trump" in "Starmer is planning to present a plan to US
        President Donald Trump" does not take a following "he"). Misses gender and cataphora.
        """
        pos = bisect.bisect_left(self.order, (block, token.i))
        sentence = token.sent.start
        fallback: int | None = None
        for i in range(pos - 1, -1, -1):
            mblock = self.order[i][0]
            if mblock < block - _SPEAKER_WINDOW_BLOCKS:
                break
            actor = self.mention_actor[i]
            is_person = self.actors[actor].kind == "person"
            if (want == "person") != is_person:
                continue
            if self.mention_subject[i] or (mblock == block and self.mention_sentence[i] == sentence):
                return actor
            if fallback is None:
                fallback = actor
        return fallback


def pronoun_kind(token: Token) -> str | None:
    lower = token.lower_
    if lower in _MALE_FEMALE:
        return "person"
    if lower in _NON_PERSON or lower in _PLURAL:
        return "thing"
    return None


class ActorFinder:
    """Finds and merges the actors of one article; one instance per Extractor, stateless per call."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.lex = lexicon
        self._demonyms: dict[str, list[str]] = {}
        """Country → its demonyms as written ("Russia" → ["Russian"]): a country answers to them even
        where the article does not use them, so "Russian" finds Russia in every article's record."""
        for demonym, country in sorted(lexicon.demonyms.items()):
            self._demonyms.setdefault(country, []).append(" ".join(w.capitalize() for w in demonym.split()))

    def find(self, fields: Mapping[str, str], blocks: list[Block]) -> ActorTable:
        mentions: list[_Mention] = []
        for b, block in enumerate(blocks):
            doc = block.doc
            assert doc is not None
            for ent in doc.ents:
                mentions.extend(self._entity_mentions(fields, b, block, ent))
        mentions.extend(self._echoes(fields, blocks, mentions))
        mentions.sort(key=lambda m: (m.block, m.first))
        self._merge_people(mentions)
        self.attach_roles(fields, blocks, mentions)
        drafts = self._drafts(mentions)
        descriptions = self._descriptions(fields, blocks, mentions, drafts)
        if descriptions:
            mentions = sorted([*mentions, *descriptions], key=lambda m: (m.block, m.first))
            drafts = self._drafts(mentions)
        return self._table(blocks, mentions, drafts)

    def _entity_mentions(
        self, fields: Mapping[str, str], b: int, block: Block, ent: SpacySpan
    ) -> list[_Mention]:
        label = ent.label_
        if label not in _LABELS and label not in _TABLE_ONLY_LABELS:
            return []
        doc = ent.doc
        first, last = ent.start, ent.end - 1
        if label == "PERSON":
            # At the start of a text the model leaves "Dmitry" out of "Dmitry Peskov": take it back.
            while first > 0 and self._first_name(doc[first - 1], first, last):
                first -= 1
        honorific = first > 0 and doc[first - 1].lower_.rstrip(".") in self.lex.honorifics
        while first <= last and (
            doc[first].dep_ == "det" or doc[first].lower_ in self.lex.honorifics or doc[first].is_punct
        ):
            honorific = honorific or doc[first].lower_ in self.lex.honorifics
            first += 1
        # "The Liberal Democrats said": the model tags only "Democrats"; the table knows the whole name.
        for extra in (2, 1):
            if (
                first - extra >= 0
                and doc[first - extra].dep_ != "det"
                and doc[first - extra].lower_ != "the"
                and normalise(doc[first - extra : last + 1].text) in self.lex.institutions
            ):
                first -= extra
                break
        if honorific and label == "ORG":
            # "Dr Fox said": the model's ORG, a person by the honorific.
            label = "PERSON"
        while last >= first and (doc[last].text in _POSSESSIVE or doc[last].is_punct or doc[last].is_space):
            last -= 1
        # "Starmer's Downing Street" is one ORG to the model: the possessor is its own mention.
        found: list[_Mention] = []
        for i in range(first, last):
            if doc[i].text in _POSSESSIVE:
                found.extend(self._entity_parts(fields, b, block, doc, first, i - 1, "PERSON"))
                first = i + 1
            elif doc[i].lower_ in _VERSUS and i > first:
                # "Chelsea v Birmingham" is a fixture: two teams, each its own mention.
                found.extend(self._entity_parts(fields, b, block, doc, first, i - 1, "ORG"))
                first = i + 1
        if label in {"PERSON", "ORG"}:
            titled = first
            while titled < last and self._is_title_word(doc[titled]) and doc[titled].text[0].isupper():
                titled += 1
            # "Chancellor Olaf Scholz said" comes out as one ORG: a title before two bare names is a person.
            preceded = (
                first > 0
                and doc[first - 1].lower_ in self.lex.title_heads
                and doc[first - 1].text[0].isupper()
            )
            if (
                label == "ORG"
                and (titled > first or preceded)
                and last - titled >= 1
                and all(t.pos_ == "PROPN" and not self._is_title_word(t) for t in doc[titled : last + 1])
            ):
                label = "PERSON"
            if label == "PERSON":
                first = titled
        found.extend(self._entity_parts(fields, b, block, doc, first, last, label, honorific))
        return found

    def _echoes(
        self, fields: Mapping[str, str], blocks: list[Block], mentions: list[_Mention]
    ) -> list[_Mention]:
        """Single-word names the model found somewhere in the article, wherever it missed them.

        Parsed alone, the paragraph "Starmer is planning to present a plan ..." gets no entity for
        "Starmer" (a NOUN to the model at the start of a text); once "Keir Starmer" is known, the bare
        surname is a mention too. Misses multi-word names the model never tagged.
        """
        labels: dict[str, str] = {}
        for m in mentions:
            words = m.span.text.split()
            if m.kind == "person":
                labels.setdefault(words[-1], "PERSON")
            elif len(words) == 1 and m.kind in {"organization", "country"}:
                labels.setdefault(words[0], "ORG" if m.kind == "organization" else "GPE")
        if not labels:
            return []
        covered = {(m.block, i) for m in mentions for i in range(m.first, m.last + 1)}
        found: list[_Mention] = []
        for b, block in enumerate(blocks):
            doc = block.doc
            assert doc is not None
            for token in doc:
                label = labels.get(token.text)
                if label is None or (b, token.i) in covered or token.ent_type_:
                    continue
                found.extend(self._entity_parts(fields, b, block, doc, token.i, token.i, label))
        return found

    def _first_name(self, token: Token, first: int, last: int) -> bool:
        return (
            token.pos_ == "PROPN"
            and token.dep_ == "compound"
            and first <= token.head.i <= last
            and token.text[:1].isupper()
            and not token.ent_type_
            and not self._is_title_word(token)
            and token.lower_ not in self.lex.honorifics
        )

    def _is_title_word(self, token: Token) -> bool:
        lower = token.lower_
        return lower in self.lex.title_heads or lower in self.lex.title_modifiers

    def _entity_parts(
        self,
        fields: Mapping[str, str],
        b: int,
        block: Block,
        doc: Doc,
        first: int,
        last: int,
        label: str,
        honorific: bool = False,
    ) -> list[_Mention]:
        if first > last:
            return []
        text = doc[first : last + 1].text
        key = normalise(text)
        if not any(c.isupper() for c in text) or any(c.isdigit() for c in text) or key in _CALENDAR_WORDS:
            return []
        head = doc[first : last + 1].root
        span = make_span(fields, block.field, block.char(doc[first]), block.char_end(doc[last]))
        subject = head.dep_ in _SUBJECT_DEPS

        def mention(
            kind: ActorKind, name: str, country: str | None = None, table: bool = True
        ) -> list[_Mention]:
            return [
                _Mention(
                    b,
                    first,
                    last,
                    span,
                    kind,
                    f"{kind}:{normalise(name)}",
                    name,
                    subject,
                    country,
                    from_table=table,
                    honorific=honorific,
                )
            ]

        lex = self.lex
        if key in lex.not_actors:
            return []
        if label == "ORG" and key not in lex.media and key.split()[0] in lex.media:
            # "BBC Radio Scotland", "Reuters Television": a channel of the outlet is the outlet.
            key = key.split()[0]
        if key in lex.media:
            # "the Telegraph newspaper reported": the outlet is named by the whole phrase.
            if last + 1 < len(doc) and doc[last + 1].lower_ in lex.media_nouns:
                last += 1
                if first > 0 and doc[first - 1].lower_ == "the":
                    first -= 1
                span = make_span(fields, block.field, block.char(doc[first]), block.char_end(doc[last]))
            return mention("organization", lex.media[key])
        institution = lex.institutions.get(key)
        if institution is not None:
            if institution.country and institution.seat and not self._acts(head, seat=True):
                return []
            return mention("organization", institution.name, institution.country)
        if label in _TABLE_ONLY_LABELS:
            return []
        if label == "PERSON" and last > first and doc[last].lower_ in lex.organization_words:
            # "Manchester United lost again": the model's PERSON, a club by its last word.
            label = "ORG"
        if label == "PERSON" and (key in lex.countries or key in lex.capitals):
            # The small model tags "Kyiv" in "send more air defence systems to Kyiv" as a PERSON.
            label = "GPE"
        country = lex.countries.get(key)
        if country is not None:
            return mention("country", country)
        if label == "NORP":
            if key in lex.demonyms:
                return mention("country", lex.demonyms[key])
            # "European troops": an adjective naming no state is not an actor; "Republicans" is a group.
            if head.pos_ == "ADJ" or head.dep_ in {"amod", "compound"}:
                return []
            return mention("group", text, table=False)
        if label == "GPE":
            if key in lex.capitals:
                return mention("country", lex.capitals[key]) if self._acts(head, seat=False) else []
            return mention("organization", text, table=False) if subject else []
        if label == "PERSON":
            return mention("person", text, table=False)
        return mention("organization", text, table=False)

    def _acts(self, head: Token, seat: bool) -> bool:
        """Whether a capital or seat stands for its state or office rather than a place.

        Catches "Moscow would view" (subject), "between Moscow and Kiev" (parties), "Starmer's
        Downing Street office" (seat as modifier). Leaves "talks ... in Riyadh" and "visited Moscow"
        as places. Misses metonymy after a place preposition ("pressure in Washington grew").
        """
        while head.dep_ == "conj" and head.head.i != head.i:
            head = head.head
        if head.dep_ == "pobj":
            return head.head.lower_ not in self.lex.place_prepositions
        if head.dep_ == "dobj":
            return head.head.lemma_ not in self.lex.place_verbs
        if head.dep_ == "compound":
            return seat
        return True

    def _merge_people(self, mentions: list[_Mention]) -> None:
        """Point short names at the full name they stand for in this article.

        A bare surname goes to the most recently named person with that surname, else the first after:
        "Dmitry Peskov ... Peskov told reporters", and two Clintons in one article ("Bill Clinton ...
        Hillary Clinton ... Clinton said" goes to Hillary). The model's ORG for a surname counts too
        ("Home Secretary Charles Clarke ... Clarke told MPs", "Clarke" tagged ORG). A bare first name
        goes to the one person who has it ("Elvis Presley ... Elvis"), and a one-word organisation to
        the one longer organisation having it as generic head word or as initials ("the Bank of England ...
        the Bank said", "the Securities and Exchange Commission (SEC)"). Misses nicknames.
        """
        self._vote_kinds(mentions)
        full: dict[str, list[int]] = {}
        first_names: dict[str, set[str]] = {}
        org_words: dict[str, set[str]] = {}
        for i, m in enumerate(mentions):
            words = m.name.split()
            if m.kind == "person" and len(words) > 1:
                full.setdefault(words[-1].lower(), []).append(i)
                first_names.setdefault(words[0].lower(), set()).add(m.key)
            elif m.kind == "organization" and len(words) > 1:
                # Only a generic head word: "the Bank" is the Bank of England, "United" Manchester
                # United; "Liverpool" is not the Liverpool Echo, "Wales" not Radio Wales.
                lowered = [w.lower() for w in words]
                head = lowered[lowered.index("of") - 1] if "of" in lowered[1:] else lowered[-1]
                if head in self.lex.organization_words or m.from_table:
                    org_words.setdefault(head, set()).add(m.key)
                initials = "".join(w[0] for w in words if w.lower() not in _INITIALS_SKIP)
                org_words.setdefault(initials.lower(), set()).add(m.key)
        by_key = {m.key: m for m in mentions}
        last_named: dict[str, int] = {}
        for i, m in enumerate(mentions):
            words = m.name.split()
            if m.kind == "person" and len(words) > 1:
                last_named[words[-1].lower()] = i
                continue
            if len(words) != 1 or m.from_table:
                continue
            word = words[0].lower()
            target: _Mention | None = None
            if word in full and m.kind in {"person", "organization"}:
                target = mentions[last_named[word] if word in last_named else full[word][0]]
            elif m.kind == "person" and len(first_names.get(word, ())) == 1:
                target = by_key[next(iter(first_names[word]))]
            elif m.kind in {"organization", "group"} and len(org_words.get(word, ())) == 1:
                target = by_key[next(iter(org_words[word]))]
            if target is not None:
                m.key, m.name, m.kind = target.key, target.name, target.kind
                m.country = m.country or target.country

    @staticmethod
    def _vote_kinds(mentions: list[_Mention]) -> None:
        """One name the model tags both PERSON and ORG in one article takes its more frequent kind.

        "Chelsea beat Arsenal ... Chelsea manager Jose Mourinho": the model says PERSON, then ORG. A tie
        goes to the organisation: a person is rarely named by one word twice without a first name.
        """
        kinds: dict[str, dict[str, int]] = {}
        for m in mentions:
            if not m.from_table and m.kind in {"person", "organization"}:
                counts = kinds.setdefault(normalise(m.name), {})
                # "Dr Fox said" outweighs any number of ORG tags ("Fox speaks again" as a title).
                counts[m.kind] = counts.get(m.kind, 0) + (1000 if m.honorific else 1)
        for m in mentions:
            counts = kinds.get(normalise(m.name), {})
            if len(counts) == 2 and not m.from_table:
                kind: ActorKind = "person" if counts["person"] > counts["organization"] else "organization"
                m.kind, m.key = kind, f"{kind}:{normalise(m.name)}"

    def _drafts(self, mentions: list[_Mention]) -> dict[str, _Draft]:
        drafts: dict[str, _Draft] = {}
        for m in mentions:
            draft = drafts.get(m.key)
            if draft is None:
                draft = drafts[m.key] = _Draft(m.key, m.name, m.kind)
            if m.span.text not in draft.aliases:
                draft.aliases.append(m.span.text)
            draft.mentions.append(m.span)
            if m.role is not None and m.role.title not in {r.title for r in draft.roles}:
                draft.roles.append(m.role)
            draft.country = draft.country or m.country
            draft.affiliation = draft.affiliation or m.affiliation
        return drafts

    def attach_roles(self, fields: Mapping[str, str], blocks: list[Block], mentions: list[_Mention]) -> None:
        named: dict[int, dict[int, _Mention]] = {}
        for m in mentions:
            if m.kind != "person" or (m.first == m.last and not m.from_table):
                for i in range(m.first, m.last + 1):
                    named.setdefault(m.block, {})[i] = m
        for m in mentions:
            if m.kind != "person" or m.role is not None:
                continue
            doc = blocks[m.block].doc
            assert doc is not None
            here = named.get(m.block, {})
            found = self._title_before(doc, m.first, here) or self._title_after(doc, m.last, here)
            if found is None:
                continue
            a, z = found
            block = blocks[m.block]
            span = make_span(fields, block.field, block.char(doc[a]), block.char_end(doc[z]))
            m.role = Role(span.text, span)
            m.country, m.affiliation = self._title_country(doc, a, z, here)
        companies = {m.name for m in mentions if m.kind == "organization" and not m.from_table}
        for m in mentions:
            if m.kind == "person" and not m.from_table and m.name in companies:
                m.kind, m.key = "organization", f"organization:{normalise(m.name)}"

    def _title_token(self, token: Token, named: Mapping[int, _Mention]) -> bool:
        if token.is_space or token.dep_ == "det":
            return False
        if self._is_title_word(token):
            return True
        if token.text == "-" and token.i + 1 < len(token.doc) and self._is_title_word(token.doc[token.i + 1]):
            return True  # "co-chairman", "vice-president"
        if token.i in named and named[token.i].kind != "person":
            return True
        if normalise(token.text) in self.lex.institutions:
            return True
        return token.ent_type_ in {"ORG", "GPE", "NORP"} and token.pos_ in {"PROPN", "ADJ", "NOUN"}

    def _title_before(self, doc: Doc, first: int, named: Mapping[int, _Mention]) -> tuple[int, int] | None:
        """'Kremlin spokesman Dmitry Peskov', 'British Prime Minister Keir Starmer'.

        A one-word name the model took for a person just before a business title is the company:
        "Yukos chief executive Steven Theede" (the model tags "Yukos" PERSON).
        """
        a = first
        while (
            a > 0 and self._title_token(doc[a - 1], named) and doc[a - 1].sent.start == doc[first].sent.start
        ):
            a -= 1
        if a == first:
            return None
        words = [t.lower_ for t in doc[a:first]]
        if self.lex.title_head(words) is None or words[-1] not in self.lex.title_heads:
            return None
        company = named.get(a - 1)
        if company is not None and company.kind == "person" and self.lex.title_heads[words[-1]] == "chief":
            company.kind, company.key = "organization", f"organization:{normalise(company.name)}"
            a -= 1
        return a, first - 1

    def _title_after(self, doc: Doc, last: int, named: Mapping[int, _Mention]) -> tuple[int, int] | None:
        """'Peskov, the Kremlin spokesman, said' and 'Peskov, spokesman for the Kremlin, said'."""
        i = last + 1
        if i >= len(doc) or doc[i].text != ",":
            return None
        i += 1
        if i < len(doc) and doc[i].dep_ == "det":
            i += 1
        a = i
        while i < len(doc) and self._title_token(doc[i], named):
            i += 1
        if i == a or self.lex.title_head([t.lower_ for t in doc[a:i]]) is None:
            return None
        z = i - 1
        if i < len(doc) and doc[i].lower_ in {"for", "of", "at"}:
            j = i + 1
            if j < len(doc) and doc[j].dep_ == "det":
                j += 1
            k = j
            while k < len(doc) and doc[k].ent_type_ in {"ORG", "GPE"}:
                k += 1
            if k > j:
                z, i = k - 1, k
        if i < len(doc) and not doc[i].is_punct:
            return None
        return a, z

    def _title_country(
        self, doc: Doc, a: int, z: int, named: Mapping[int, _Mention]
    ) -> tuple[str | None, str | None]:
        """Affiliation and country from the title's own words, else from its sentence.

        "Kremlin spokesman" -> (Russia, Kremlin); "US President" -> (United States, United States);
        "Microsoft chairman" -> (None, Microsoft); "Lib Dem leader" -> (United Kingdom, Liberal
        Democrats); "Foreign Minister Sergey Lavrov" with "Russia has repeatedly said ..." as the
        sentence's subject -> Russia. Misses a country named only in an earlier sentence.
        """
        lex = self.lex
        country: str | None = None
        affiliation: str | None = None
        for token in doc[a : z + 1]:
            key = normalise(token.text)
            inst = lex.institutions.get(key)
            found = named.get(token.i)
            if found is not None and found.kind == "organization":
                affiliation = affiliation or found.name
                country = country or found.country
            elif found is not None and found.kind == "country":
                country = country or found.name
            elif inst is not None:
                affiliation = affiliation or inst.name
                country = country or inst.country
            elif token.ent_type_ in {"GPE", "NORP"}:
                country = country or lex.countries.get(key) or lex.demonyms.get(key)
        if country is None and a >= 2 and doc[a - 1].text in _POSSESSIVE:
            country = lex.countries.get(normalise(doc[a - 2].text)) or lex.capitals.get(
                normalise(doc[a - 2].text)
            )
        if country is None:
            root = doc[a].sent.root
            for child in root.children:
                if child.dep_ in _SUBJECT_DEPS and child.ent_type_ == "GPE":
                    key = normalise(child.text)
                    country = lex.countries.get(key) or lex.capitals.get(key)
        return country, affiliation or country

    def _descriptions(
        self,
        fields: Mapping[str, str],
        blocks: list[Block],
        mentions: list[_Mention],
        drafts: dict[str, _Draft],
    ) -> list[_Mention]:
        """Definite descriptions that stand for a named actor: "the British leader", "the US-led alliance".

        A person description needs a title head of the same family as one of the person's titles
        ("leader" ~ "Prime Minister") and modifiers that agree with the person's country or
        affiliation ("British" -> United Kingdom). An organisation description needs the head listed
        for that organisation ("alliance" -> NATO) and the organisation named in the article. Misses
        indefinite and plural descriptions ("a senior official", "the leaders").
        """
        lex = self.lex
        people = [d for d in drafts.values() if d.kind == "person" and d.roles]
        for d in people:
            d.heads = {
                lex.title_heads[h]
                for r in d.roles
                if (h := lex.title_head([w.lower() for w in r.title.split()])) is not None
            }
        named_orgs = {d.name: d for d in drafts.values() if d.kind == "organization"}
        taken = {(m.block, i) for m in mentions for i in range(m.first, m.last + 1) if m.kind == "person"}
        found: list[_Mention] = []
        for b, block in enumerate(blocks):
            doc = block.doc
            assert doc is not None
            for token in doc:
                if token.pos_ not in {"NOUN", "PROPN"} or (b, token.i) in taken:
                    continue
                lower = token.lower_
                if lower not in lex.title_heads and lower not in lex.descriptions:
                    continue
                if token.dep_ == "compound" or token.ent_type_ == "PERSON":
                    continue
                edge = token.left_edge
                if edge.lower_ != "the" or edge.i >= token.i:
                    continue
                modifiers = doc[edge.i + 1 : token.i]
                draft: _Draft | None = None
                if lower in lex.title_heads:
                    draft = self._person_for(people, lex.title_heads[lower], modifiers, mentions, b, token.i)
                else:
                    draft = next((named_orgs[n] for n in lex.descriptions[lower] if n in named_orgs), None)
                if draft is None:
                    continue
                span = make_span(fields, block.field, block.char(edge), block.char_end(token))
                found.append(
                    _Mention(
                        b,
                        token.i,
                        token.i,
                        span,
                        draft.kind,
                        draft.key,
                        draft.name,
                        token.dep_ in _SUBJECT_DEPS,
                    )
                )
        return found

    def _person_for(
        self,
        people: list[_Draft],
        family: str,
        modifiers: SpacySpan,
        mentions: list[_Mention],
        block: int,
        i: int,
    ) -> _Draft | None:
        lex = self.lex
        candidates = []
        for d in people:
            if family not in d.heads:
                continue
            ok = True
            for mod in modifiers:
                key = normalise(mod.text)
                country = lex.countries.get(key) or lex.demonyms.get(key)
                inst = lex.institutions.get(key)
                if (country and d.country and country != d.country) or (inst and inst.name != d.affiliation):
                    ok = False
            if ok:
                candidates.append(d)
        if not candidates:
            return None
        keys = {d.key for d in candidates}
        before = [m for m in mentions if m.key in keys and (m.block, m.first) < (block, i)]
        if before:
            key = before[-1].key
            return next(d for d in candidates if d.key == key)
        return candidates[0]

    def _table(self, blocks: list[Block], mentions: list[_Mention], drafts: dict[str, _Draft]) -> ActorTable:
        index = {key: i for i, key in enumerate(drafts)}
        actors = [
            Actor(
                name=d.name,
                kind=d.kind,
                aliases=tuple(d.aliases)
                + tuple(
                    a for a in self._demonyms.get(d.name, ()) if d.kind == "country" and a not in d.aliases
                ),
                roles=tuple(d.roles),
                country=d.country,
                affiliation=d.affiliation,
                mentions=tuple(sorted(d.mentions, key=lambda s: s.start)),
            )
            for d in drafts.values()
        ]
        token_actor: dict[TokenKey, int] = {}
        token_mention: dict[TokenKey, Span] = {}
        order: list[TokenKey] = []
        mention_actor: list[int] = []
        mention_subject: list[bool] = []
        mention_sentence: list[int] = []
        for m in mentions:
            actor = index[m.key]
            for i in range(m.first, m.last + 1):
                token_actor[(m.block, i)] = actor
                token_mention[(m.block, i)] = m.span
            order.append((m.block, m.first))
            mention_actor.append(actor)
            mention_subject.append(m.subject)
            doc = blocks[m.block].doc
            assert doc is not None
            mention_sentence.append(doc[m.first].sent.start)
        return ActorTable(
            actors, token_actor, token_mention, order, mention_actor, mention_subject, mention_sentence
        )
