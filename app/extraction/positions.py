"""Positions: actor -> stance -> claim, with a topic signature that meets across wordings.

Three sources, all read off the parse of one sentence: stance verbs ("opposes", "dismissed the
idea that", "demanded", "would not rule out"), readiness adjectives ("is ready and willing to"),
and evaluations of a proposal ("is unacceptable", "a direct threat", "a good deal"), whose holder is
the speaker of the quote they sit in.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

from spacy.language import Language
from spacy.tokens import Doc, Token
from spacy.tokens import Span as DocSpan

from app.extraction.actors import ActorTable, pronoun_kind
from app.extraction.lexicon import Lexicon, load_lexicon, normalise
from app.extraction.quotes import QuoteRecord, reported_clause, subject_of, trim_range
from app.extraction.text import Block, make_span
from app.extraction.types import Position, Span, Stance

_CLAIM_PRONOUNS = {"it", "that", "this", "which", "them", "these", "those"}
_SPEAKER_PRONOUNS = {"i", "we", "me", "us", "my", "our"}
_PROPOSAL_NOUNS = {
    "idea",
    "notion",
    "suggestion",
    "proposal",
    "plan",
    "prospect",
    "possibility",
    "proposition",
}
_CLAIM_PREPOSITIONS = {"against", "for", "to", "on", "of", "about"}
_EVALUATED_DEPS = {"acomp", "amod", "oprd", "attr", "conj", "ROOT"}
_CONFIDENCE = {"verb": 0.8, "readiness": 0.75, "evaluation": 0.7}
_PRONOUN_HOLDER_FACTOR = 0.9
_ARTICLE_TOPIC_FACTOR = 0.8
_LAST_KEY, _LAST_LABEL, _ORG, _SENSE = "\0key", "\0label", "\0org", "\0sense "
# A claim that neither names an issue nor points back at one: no position.
_TopicFound = tuple[str, str, bool]
"""A claim's topic key, label and whether the key is a concept's."""
_UNNAMED: _TopicFound = ("", "", False)
_NOT_NOUNS = {"ADJ", "ADV", "NUM"}
_FRAME_PREPOSITIONS = {"on", "of", "for", "in"}
_NAMED_ISSUES = {"LAW", "EVENT"}
_PLACES = {"GPE", "LOC", "FAC"}
_AMOUNT_ENTITIES = {"MONEY", "QUANTITY", "PERCENT", "CARDINAL"}
_DOER_PREPOSITIONS = {"by", "from"}
_PHRASE_DEPS = {"compound", "flat", "appos", "conj", "pobj", "prep"}
_SUBJECT_DEPS = {"nsubj", "nsubjpass", "csubj", "csubjpass", "expl"}
_COMPARATIVES = {"JJR", "RBR"}


@dataclass(slots=True)
class _Claim:
    block: int
    a: int
    z: int


class PositionFinder:
    def __init__(self, lexicon: Lexicon, verbs: frozenset[str] = frozenset()) -> None:
        self.lex = lexicon
        self.verbs = verbs
        """Verb lemmas the pipeline knows, to tell action nouns ("immigration") from things."""
        self.cut = lexicon.cue_verbs | set(lexicon.stance_verbs)
        self.concept_rank = {c["key"]: i for i, c in enumerate(lexicon.concepts)}
        self.concepts = {c["key"]: c for c in lexicon.concepts}
        self.reframes: dict[str, list[tuple[str, frozenset[str]]]] = {}
        for c in lexicon.concepts:
            for other, heads in c.get("reframes", {}).items():
                self.reframes.setdefault(other, []).append((c["key"], frozenset(heads)))
        self.other_senses: dict[str, tuple[str, frozenset[str]]] = {
            word: (c["key"], frozenset(modifiers))
            for c in lexicon.concepts
            for word, modifiers in c.get("other_senses", {}).items()
        }

    def find(
        self, fields: Mapping[str, str], blocks: list[Block], table: ActorTable, quotes: list[QuoteRecord]
    ) -> list[Position]:
        by_block: dict[int, list[tuple[int, int, int]]] = {}
        for index, quoted in enumerate(quotes):
            by_block.setdefault(quoted.block, []).append((quoted.start, quoted.end, index))
        found_positions: list[tuple[_TopicFound | None, int, Stance, Span, Span, int | None, float]] = []
        last_target: dict[str, str] = {}
        previous: _Claim | None = None
        for b, block in enumerate(blocks):
            doc = block.doc
            assert doc is not None
            ranges = by_block.get(b, [])
            for sent in doc.sents:
                sentence_claim: _Claim | None = None
                self._note_other_senses(sent, last_target)
                for token in sent:
                    found = self._stance(doc, token)
                    if found is None:
                        continue
                    stance, source, claim_range, holder_token = found
                    quote = _innermost(ranges, token.idx)
                    record = quotes[quote] if quote is not None else None
                    actor, factor = self._holder(b, token, holder_token, source, record, table)
                    if actor is None:
                        continue
                    if claim_range is None:
                        continue
                    a, z = claim_range
                    if z == a and doc[a].lower_ in _CLAIM_PRONOUNS:
                        antecedent = sentence_claim or (
                            previous if previous and previous.block >= b - 1 else None
                        )
                        if antecedent is None:
                            continue
                        claim = antecedent
                    else:
                        a, z = trim_range(doc, a, z)
                        while a < z and doc[a].dep_ == "aux" and doc[a].lower_ == "to":
                            a += 1
                        if a > z:
                            continue
                        claim = _Claim(b, a, z)
                    sentence_claim = claim
                    claim_doc = blocks[claim.block].doc
                    assert claim_doc is not None
                    topic = self._topic(claim.block, claim_doc, claim.a, claim.z, table, last_target)
                    if topic == _UNNAMED:
                        continue
                    evidence = self._sentence_span(fields, block, sent.start, sent.end - 1)
                    claim_block = blocks[claim.block]
                    claim_span = make_span(
                        fields,
                        claim_block.field,
                        claim_block.char(claim_doc[claim.a]),
                        claim_block.char_end(claim_doc[claim.z]),
                    )
                    confidence = round(_CONFIDENCE[source] * factor, 3)
                    found_positions.append((topic, actor, stance, claim_span, evidence, quote, confidence))
                if sentence_claim is not None:
                    previous = sentence_claim
        # A claim that names no issue of its own ("opposed the move", "welcomed the deal") is about
        # the issue the article is about: the topic most of its other positions have. With none,
        # there is nothing to file it under, and it is left out rather than made a topic of "move".
        main = Counter(topic for topic, *_ in found_positions if topic is not None).most_common(1)
        positions: list[Position] = []
        seen: set[tuple[int, str, str, str, int]] = set()
        for topic, actor, stance, claim_span, evidence, quote, confidence in found_positions:
            if topic is None:
                if not main:
                    continue
                topic = main[0][0]
                confidence = round(confidence * _ARTICLE_TOPIC_FACTOR, 3)
            key, label, concept = topic
            dedupe = (actor, stance, key, evidence.field, evidence.start)
            if dedupe in seen:
                continue
            seen.add(dedupe)
            positions.append(
                Position(actor, stance, claim_span, key, label, evidence, quote, confidence, concept)
            )
        return positions

    def _note_other_senses(self, sent: DocSpan, article: dict[str, str]) -> None:
        """Notes a concept's word the article uses in another sense ("a retaliatory strike"), claim
        or not, so that "the strike" after it is read as that one (``_in_concept_sense``)."""
        for token in sent:
            found = self.other_senses.get(token.lemma_.lower()) if token.pos_ == "NOUN" else None
            if found is not None and _other_sense(token, found[1]):
                article[_SENSE + token.lemma_.lower()] = found[0]

    def _stance(
        self, doc: Doc, token: Token
    ) -> tuple[Stance, str, tuple[int, int] | None, Token | None] | None:
        """The stance a token expresses, its source, the claim's token range and the holder's token."""
        lex = self.lex
        lemma = token.lemma_.lower()
        if token.pos_ == "VERB":
            return self._verb_stance(doc, token, lemma)
        if token.pos_ == "ADJ" and lemma in lex.readiness:
            # "ready and willing to put UK troops ...": the second adjective repeats the first.
            if token.dep_ == "conj" and token.head.lemma_.lower() in lex.readiness:
                return None
            verb = token.head if token.dep_ in {"acomp", "conj"} else token
            if token.dep_ == "conj":
                verb = token.head.head
            # The infinitive hangs off either adjective or the copula, as the parse has it.
            conjuncts = [c for c in token.children if c.dep_ == "conj"]
            owners = [token, verb, *conjuncts]
            xcomp = next((c for o in owners for c in o.children if c.dep_ == "xcomp"), None)
            if xcomp is None:
                return None
            stance = self._negate(lex.readiness[lemma], token, verb)
            return stance, "readiness", (xcomp.left_edge.i, xcomp.right_edge.i), _child(verb, "nsubj")
        if token.pos_ == "ADJ" and lemma in lex.stance_adjectives and token.dep_ in _EVALUATED_DEPS:
            stance = self._negate(lex.stance_adjectives[lemma], token, token.head)
            return stance, "evaluation", self._evaluated(doc, token), None
        if token.pos_ in {"NOUN", "PROPN"}:
            stance_word = lex.stance_nouns.get(lemma)
            for child in token.children:
                if child.dep_ in {"amod", "compound"}:
                    stance_word = lex.stance_noun_phrases.get(f"{child.lemma_.lower()} {lemma}", stance_word)
            if stance_word is None or token.dep_ not in {"attr", "oprd", "pobj", "ROOT", "appos"}:
                return None
            if token.dep_ == "pobj" and token.head.lower_ != "as":
                return None
            stance = self._negate(stance_word, token, token.head)
            return stance, "evaluation", self._evaluated(doc, token), None
        return None

    def _verb_stance(
        self, doc: Doc, verb: Token, lemma: str
    ) -> tuple[Stance, str, tuple[int, int] | None, Token | None] | None:
        """Stance verbs and their claim: infinitive, reported clause, object or prepositional object.

        Catches "opposes NATO troops in Ukraine", "opposes having NATO troops ...", "demanded NATO scrap
        ...", "dismissed the idea that NATO member forces could be ...", "called for a ceasefire",
        "would not rule out sending troops" (negated: neutral). Misses stances carried by nouns ("his
        opposition to ...") and claims split over two sentences.
        """
        lex = self.lex
        stance: Stance | None = None
        claim: tuple[int, int] | None = None
        for child in verb.children:
            if child.dep_ in {"prt", "prep"}:
                phrasal = lex.stance_phrasal.get(f"{lemma} {child.lower_}")
                if phrasal is not None:
                    stance = phrasal
                    if child.dep_ == "prep":
                        obj = next((c for c in child.children if c.dep_ in {"pobj", "pcomp"}), None)
                        claim = (obj.left_edge.i, obj.right_edge.i) if obj is not None else None
                    break
        if stance is None:
            if lemma not in lex.stance_verbs:
                return None
            stance = lex.stance_verbs[lemma]
        if claim is None:
            claim = self._verb_claim(doc, verb)
        return self._negate(stance, verb, verb), "verb", claim, subject_of(verb)

    def _verb_claim(self, doc: Doc, verb: Token) -> tuple[int, int] | None:
        children = list(verb.children)
        for dep in ("xcomp", "ccomp", "dobj"):
            child = next((c for c in children if c.dep_ == dep), None)
            if child is None:
                continue
            if dep == "ccomp":
                return reported_clause(doc, verb, child, self.cut, self.lex.cue_verbs)
            if dep == "dobj" and child.lemma_.lower() in _PROPOSAL_NOUNS:
                clause = next((c for c in child.children if c.dep_ in {"acl", "ccomp", "relcl"}), None)
                if clause is not None:
                    return clause.left_edge.i, clause.right_edge.i
            return child.left_edge.i, child.right_edge.i
        for child in children:
            if child.dep_ == "prep" and child.lower_ in _CLAIM_PREPOSITIONS:
                obj = next((c for c in child.children if c.dep_ in {"pobj", "pcomp"}), None)
                if obj is not None:
                    return obj.left_edge.i, obj.right_edge.i
        return None

    def _evaluated(self, doc: Doc, word: Token) -> tuple[int, int] | None:
        """What an evaluation is about.

        "X is unacceptable" -> X (subject of the copula); "Any plan ... 'unacceptable'" (headline,
        adjective after its noun) -> the noun phrase before the adjective; "calling it a threat" and
        "view that as a threat" -> the object ("it", "that", resolved to the sentence's earlier claim).
        Misses evaluations of a whole previous paragraph.
        """
        head = word.head
        if word.dep_ == "conj":
            word, head = head, head.head
        if word.dep_ == "amod":
            if word.i > head.i:
                return head.left_edge.i, word.i - 1
            return head.left_edge.i, head.right_edge.i
        if word.dep_ == "pobj" and head.lower_ == "as":
            head = head.head
        if word.dep_ in {"oprd", "pobj"}:
            obj = _child(head, "dobj")
            return (obj.left_edge.i, obj.right_edge.i) if obj is not None else None
        subject = _child(head, "nsubj") or _child(head, "nsubjpass")
        if subject is None or word.dep_ == "ROOT":
            return None
        return subject.left_edge.i, subject.right_edge.i

    def _negate(self, stance: Stance, *tokens: Token) -> Stance:
        """'does not support' -> oppose; 'would not rule out' -> neutral (table 'negated')."""
        negated = any(c.dep_ == "neg" for t in tokens for c in t.children)
        return self.lex.negated.get(stance, stance) if negated else stance

    def _holder(
        self,
        b: int,
        token: Token,
        holder: Token | None,
        source: str,
        record: QuoteRecord | None,
        table: ActorTable,
    ) -> tuple[int | None, float]:
        """Who holds the stance.

        Evaluations inside a quote belong to its speaker (Peskov's '"unacceptable"'); a pronoun
        subject inside a quote is the speaker when it can be ("it opposes" in Russia's statement, "he
        is ready" in Starmer's, "we" anywhere); otherwise the subject's actor, or the nearest fitting
        actor for a pronoun. Misses holders named only in an earlier paragraph's description.
        """
        if source == "evaluation" or holder is None:
            if record is not None and record.quote.speaker is not None:
                return record.quote.speaker, 1.0
            if holder is None:
                verb = token.head.head if token.head.lower_ == "as" else token.head
                if verb.lemma_ in self.lex.evaluating_verbs:
                    holder = subject_of(verb)
            if holder is None:
                return None, 1.0
        kind = pronoun_kind(holder)
        lower = holder.lower_
        if record is not None and record.quote.speaker is not None:
            speaker_kind = record.speaker_kind
            if (
                lower in _SPEAKER_PRONOUNS
                or (kind == "person" and speaker_kind == "person")
                or (kind == "thing" and speaker_kind not in {None, "person"})
            ):
                return record.quote.speaker, _PRONOUN_HOLDER_FACTOR
        if kind is not None:
            return table.resolve_pronoun(b, holder, kind), _PRONOUN_HOLDER_FACTOR
        actor = table.actor_at(b, holder)
        if actor is None:
            actor = next((a for t in holder.subtree if (a := table.actor_at(b, t)) is not None), None)
        return actor, 1.0

    def _topic(
        self, b: int, doc: Doc, a: int, z: int, table: ActorTable, last_target: dict[str, str]
    ) -> _TopicFound | None:
        """Topic key and label of a claim and whether the key is a concept's, or None when it names
        no issue.

        The key is the claim's concept (troops/forces/servicemen/peacekeepers/contingents -> troops),
        the organisation when the concept needs one (membership) and the target: the object of
        "to/in/on" ("send troops to Ukraine"), not a modifier of the concept word ("UK troops" is
        the sender). A claim naming no target takes the last target of the same concept in the article
        ("NATO member forces could be keepers of the peace" -> Ukraine). A claim hitting no concept is
        keyed by its head noun phrase (see ``_head_phrase``) and the country or organisation it names.
        Built on the seed article's eight positions and BBC/Reuters business claims; misses targets
        given as cities or regions.
        """
        lex = self.lex
        concept, concept_tokens = self._concept(doc, a, z, last_target)
        spec = self.concepts.get(concept) if concept is not None else None
        kinds = set(spec.get("target_kinds", ["country"])) if spec else {"country", "organization"}
        org = ""
        # (rank, position, name): the first entity named wins among equals, not the first in the alphabet.
        ranked: list[tuple[int, int, str]] = []
        for token in doc[a : z + 1]:
            actor = table.actor_at(b, token)
            if actor is None:
                continue
            found_actor = table.actors[actor]
            if found_actor.kind == "organization" and not org:
                org = found_actor.name
            if found_actor.kind not in kinds or _doer(token):
                continue
            # Foreign troops and takeovers go to someone: who stations the troops or makes the
            # takeover is the sender or the bidder ("where the United States has stationed forces").
            if spec is not None and spec.get("needs_target", False) and _acts_on(token, concept_tokens, doc):
                continue
            if token.dep_ == "pobj" and token.head.lower_ in lex.target_prepositions:
                ranked.append((0, token.i, found_actor.name))
            elif token.head.i in concept_tokens and token.dep_ in {"compound", "poss", "amod"}:
                if spec is not None and spec.get("needs_org", False):
                    ranked.append((1, token.i, found_actor.name))
            elif token.dep_ not in {"npadvmod", "compound", "amod"} or spec is None:
                ranked.append((2, token.i, found_actor.name))
        target = min(ranked)[2] if ranked else ""
        if concept is None or spec is None:
            found = self._generic_topic(doc, a, z, target)
            if found is None:
                refers = self._refers_back(doc, a, z, last_target.get(_LAST_KEY, ""))
                return self._previous_issue(last_target) if refers else _UNNAMED
            last_target[_LAST_KEY], last_target[_LAST_LABEL] = found
            return (*found, False)
        if not target:
            target = last_target.get(concept, "")
            if not target and spec.get("needs_target", False):
                # "rejected the takeover": a deal is always someone's, here the article's.
                return self._previous_issue(last_target)
        elif concept not in last_target or min(ranked)[0] == 0:
            last_target[concept] = target
        if spec.get("needs_org", False):
            # Membership is always of something: the organisation named here or before in the
            # article; "future Soviet membership" alone names none, and no label should guess one.
            org = org or last_target.get(concept + _ORG, "")
            if not org:
                return self._previous_issue(last_target)
            last_target[concept + _ORG] = org
        # A concept whose label names no target ("immigration and asylum", "interest rates") is one
        # issue wherever it is argued: a target in its key would only split it under the same label.
        keyed = target if "{target}" in spec["label"] else ""
        parts = [concept, *([normalise(org)] if spec.get("needs_org") else []), normalise(keyed)]
        if target and "{target}" in spec["label"]:
            label = spec["label"].format(target=target, org=org).strip()
        else:
            label = spec.get("label_alone", concept).format(org=org)
        return "|".join(p for p in parts if p), label, True

    @staticmethod
    def _previous_issue(last_target: dict[str, str]) -> _TopicFound | None:
        """For "the idea", "the plans": the issue named last in the article, else none (``find`` then
        files the claim under the article's issue). Only head phrases are noted as named last."""
        previous = last_target.get(_LAST_KEY)
        return None if previous is None else (previous, last_target[_LAST_LABEL], False)

    def _concept(
        self, doc: Doc, a: int, z: int, article: dict[str, str] | None = None
    ) -> tuple[str | None, set[int]]:
        """The highest-ranked concept whose lemma (or lemma sequence: "interest rate") the claim holds,
        ending in a noun."""
        concept: str | None = None
        tokens: set[int] = set()
        for i in range(a, z + 1):
            for n in (3, 2, 1):
                if i + n - 1 > z:
                    continue
                window = doc[i : i + n]
                # A concept is a thing: "force" the verb ("force brokers to disclose") is no troops.
                if window[-1].pos_ not in {"NOUN", "PROPN"}:
                    continue
                found = self.lex.concept_of_lemma.get(" ".join(t.lemma_.lower() for t in window))
                found = found or self.lex.concept_of_lemma.get(" ".join(t.lower_ for t in window))
                if found is None:
                    continue
                if not self._in_concept_sense(window, found, article) or _in_passing(window[-1], a, z):
                    break
                found = self._reframed(window[-1], found)
                tokens.update(range(i, i + n))
                if concept is None or self.concept_rank[found] < self.concept_rank[concept]:
                    concept = found
                break
        return concept, tokens

    def _reframed(self, word: Token, concept: str) -> str:
        """The concept a concept's word belongs to in the noun that governs it: missiles in "a treaty
        on medium-range missiles", "missile reductions" or "the elimination of missiles" are arms
        control, not the supply of weapons that "arms sales to Iran" are. The governing noun is the
        head of the word's compounds, or the noun whose prepositional object the phrase is."""
        frames = self.reframes.get(concept)
        if not frames:
            return concept
        governors = _governors(word)
        for other, heads in frames:
            if any(g.lemma_.lower() in heads or g.lower_ in heads for g in governors):
                return other
        return concept

    def _in_concept_sense(self, window: DocSpan, concept: str, article: dict[str, str] | None = None) -> bool:
        """Whether a concept's word is used in the concept's sense where it stands.

        Not when it counts money ("investments of 1,770 billion yen": an amount, not the yen's
        rate), nor as half of an adjective ("a tax-free exchange of stock" is about the exchange).
        A concept marked ``countable`` is of things counted: its word bare in the singular, with no
        determiner or modifier, is a mass noun of another sense ("the use of force", "coming into
        force"), unless it is an action noun ("deployment"). A concept marked ``narrow`` is named by
        a word whose compounds make other things of it: a common noun before it that is none of the
        concept's own words names another thing ("trade war", "trade deficit", "club membership"),
        while a name ("Iraq war", "EU membership"), an adjective ("civil war", "federal deficit") or
        the concept's own word ("budget deficit") keeps the sense. Misses other senses that the
        parse does not mark ("Arsene Wenger opposed a new keeper"). A concept's word that modifies
        a security ("interest rate swaps", "dollar bonds") names the security, and one in a phrase of
        place ("a bus link across the ceasefire line") says where, not what about. A word that
        names other things too is another thing with a modifier its ``other_senses`` lists: a
        labour strike is no "retaliatory strike" nor "air strike", weapons no "fuel tank"; and
        "the strike" later in the same article is that strike again.
        """
        word = window[-1]
        if word.ent_type_ == "MONEY" or word.head.pos_ == "ADJ":
            return False
        phrase = word
        while phrase.dep_ == "compound" and phrase.head.i != phrase.i:
            phrase = phrase.head
        if phrase.i != word.i and phrase.lemma_.lower() in self.lex.topic_words["business_nouns"]:
            return False
        if phrase.dep_ == "pobj" and phrase.head.lower_ in self.lex.topic_words["place_prepositions"]:
            return False
        spec = self.concepts[concept]
        if (
            spec.get("countable", False)
            and _bare_singular(word)
            and not self._action_noun(word.lemma_.lower())
        ):
            return False
        # "a retaliatory strike", "an air strike", "a think tank": a modifier that makes the word
        # another thing than the concept's ("other_senses" in topics.json).
        lemma = word.lemma_.lower()
        if _other_sense(word, frozenset(spec.get("other_senses", {}).get(lemma, ()))):
            return False
        # "the strike" after "a retaliatory strike" in the same article is that strike again.
        if (
            article is not None
            and article.get(_SENSE + lemma) == concept
            and any(c.dep_ == "det" and c.lower_ in {"the", "this", "that"} for c in word.children)
            and not any(c.dep_ in {"amod", "compound", "nmod"} for c in word.children)
        ):
            return False
        # "cigarette sales", "its tobacco unit": a concept that restricts a product ("products") is
        # named by the product's word only under a restriction ("a ban on tobacco advertising").
        products = spec.get("products")
        if products is not None and lemma in products["words"]:
            under = set(products["under"])
            if not any(g.lemma_.lower() in under or g.lower_ in under for g in _governors(word)):
                return False
        if not spec.get("narrow", False):
            return True
        return not any(
            c.dep_ == "compound"
            and c.pos_ == "NOUN"
            and c.i < window.start
            and self.lex.concept_of_lemma.get(c.lemma_.lower()) != concept
            for c in word.children
        )

    def _generic_topic(self, doc: Doc, a: int, z: int, target: str) -> tuple[str, str] | None:
        """Key "<head phrase lemmas>|<entity>" and label "<head phrase> (<entity>)" of an unlisted issue."""
        head = self._head_phrase(doc, a, z)
        if head is None:
            return None
        words, label = head
        key = " ".join(words) + (f"|{normalise(target)}" if target else "")
        # "Senate floor", not "Senate floor (Senate)": the phrase already names it.
        named = not target or normalise(target) in normalise(label)
        return key, label if named else f"{label} ({target})"

    def _head_phrase(self, doc: Doc, a: int, z: int) -> tuple[list[str], str] | None:
        """The noun phrase a claim is about, if it names an issue (see ``_head_noun``)."""
        noun, _ = self._head_noun(doc, a, z)
        if noun is None:
            return None
        words_found, label = self._noun_phrase(noun, a, z)
        if _names_person(noun, a, z):
            return None
        return (words_found, label) if self._names_issue(noun, words_found) else None

    def _refers_back(self, doc: Doc, a: int, z: int, previous_key: str) -> bool:
        """Whether a claim that names no issue points back at one named before: its head is a word
        for a proposal or measure with nothing of its own to say what about ("the move", "the
        plans", "the bill", "reject the new deal", "the sale"), or the head word of the issue named
        last ("the amnesty" after "a one-off tax amnesty"). Other claims ("earnings may slide",
        "hope", "his Academy Award", "come back") say nothing of the article's issue: filed under
        it, they made its member claims read as unrelated."""
        noun, light = self._head_noun(doc, a, z)
        word = noun if noun is not None else light
        if word is None:
            return False
        lemma = word.lemma_.lower()
        canonical = self.lex.topic_synonyms.get(lemma, lemma)
        words = self.lex.topic_words
        return (
            lemma in _PROPOSAL_NOUNS
            or lemma in words["light_nouns"]
            or canonical in words["frame_nouns"]
            or canonical in previous_key.partition("|")[0].split()
        )

    def _head_noun(self, doc: Doc, a: int, z: int) -> tuple[Token | None, Token | None]:
        """The noun a claim is about, looking through light words, and the last light word passed.

        "launch a cash bid" -> bid; "Gordon Brown's plans to raise taxes" -> taxes; "a ban on
        smoking in public places" -> ban; "the slowdown could be more than a blip" -> slowdown.
        Verbs give their object, else their subject, else their complement, but an object followed
        by an infinitive gives the infinitive: in "requires the Reagan administration to provide a
        report" the administration is who is made to act, not what the claim is about. Light nouns
        ("idea", "plan") give their complement, and with none ("the plans") there is no head noun.
        """
        words = self.lex.topic_words
        token = doc[a : z + 1].root
        light: Token | None = None
        for _ in range(6):
            inside = [c for c in token.children if a <= c.i <= z]
            if token.pos_ in {"VERB", "AUX"}:
                # "requires the Reagan administration to provide a report": an object followed by
                # an infinitive is who is made to act (object control); the infinitive says what.
                deps = ("dobj", "attr", "nsubjpass", "nsubj", "xcomp", "ccomp", "acomp")
                if any(c.dep_ == "dobj" for c in inside) and any(
                    c.dep_ == "xcomp" and c.pos_ in {"VERB", "AUX"} and _child(c, "aux") is not None
                    for c in inside
                ):
                    deps = ("xcomp", *deps)
                nxt = next(
                    (c for dep in deps for c in inside if c.dep_ == dep and c.pos_ != "PRON"),
                    None,
                )
                if nxt is None:
                    nxt = next(
                        (g for c in inside if c.dep_ == "prep" for g in c.children if g.dep_ == "pobj"), None
                    )
                if nxt is None:
                    return None, light
                token = nxt
                continue
            if token.pos_ in {"NOUN", "PROPN"}:
                lemma = token.lemma_.lower()
                if lemma in words["light_nouns"] or lemma in words["ignore"] or len(lemma) < 3:
                    # "100 mln dlrs of mortgage obligations", "16 pct of Nippon Lace": an amount of
                    # something is a transaction, not an issue.
                    if token.like_num or any(c.dep_ == "nummod" for c in token.children):
                        return None, None
                    light = token
                    nxt = next((c for c in inside if c.dep_ in {"acl", "relcl", "ccomp"}), None)
                    if nxt is None:
                        nxt = next(
                            (g for c in inside if c.dep_ == "prep" for g in c.children if g.dep_ == "pobj"),
                            None,
                        )
                    if nxt is None:
                        return None, light
                    token = nxt
                    continue
                return token, light
            return None, light
        return None, light

    def _names_issue(self, noun: Token, words: list[str]) -> bool:
        """Whether a head phrase names an issue that claims in other articles can share.

        A phrase with a noun modifier does ("ID cards", "tuition fees", "a Glazer bid", "the sale of
        planes" -> plane sale). A bare noun does not: with "the" or a possessive it points at
        something of this article ("the sale", "its former parent", "the bank"); a concrete noun
        names a thing ("saving lives", "debentures", "software"), not something to be for or
        against; and an action noun used generically ("production", "trading", "protection",
        "approval", "pressure") named an issue in 2 or 3 of the 34 topics it made on the tuning parts
        ("discrimination" did), the others gathering claims from several articles that had nothing
        to do with each other. A phrase holding a company's securities or payouts ("business_nouns":
        "an increase in its dividend", "a minority stake", "tender offers for its shares") is one
        company's deal: on the Reuters tuning part such topics gathered unrelated deals (so do
        "pay-outs", a payout written with a hyphen). Things counted ("two Denver radio stations",
        "eight new models") are particular things, one deal, not a kind of thing to be for or
        against; and a possessive pronoun makes the phrase its holder's own matter, compound or not
        ("change its business practices", "adjourn its annual shareholders meeting"). A proper noun
        alone is an actor or a product ("take Fightstar on tour"), unless it is a named law or
        event. Misses issues named by a bare noun ("guns", "deregulation") unless a concept of
        ``topics.json`` lists it ("immigration").
        """
        if noun.pos_ == "PROPN":
            return noun.ent_type_ in _NAMED_ISSUES
        business = self.lex.topic_words["business_nouns"]
        if any(w in business for w in words) or _hyphenated(noun) in business:
            return False
        if noun.tag_ == "NNS" and any(c.dep_ == "nummod" and c.like_num for c in noun.children):
            return False
        if any(c.dep_ == "poss" and c.pos_ == "PRON" for c in noun.children):
            return False
        if self._thing_traded(noun) or self._names_own_thing(noun):
            return False
        return len(words) > 1 and not self._names_people(noun, words)

    def _frame_or_action(self, noun: Token) -> bool:
        """A frame noun ("ban", "talks") or an action noun ("expansion"): a measure or an action."""
        frames = self.lex.topic_words["frame_nouns"]
        lemma = noun.lemma_.lower()
        return lemma in frames or noun.lower_ in frames or self._action_noun(lemma)

    def _names_own_thing(self, noun: Token) -> bool:
        """Whether the head's only modifiers are names: "Benitez regime", "a new Villa contract",
        "Tory terror" say whose the thing is, as "Benitez's regime" would, not what it is about. An
        action or frame noun may take a name as its object ("Heathrow expansion", "a Lords
        inquiry") and is left alone."""
        if self._frame_or_action(noun):
            return False
        modifiers = [c for c in noun.children if c.dep_ in {"compound", "nmod"}]
        return bool(modifiers) and all(c.pos_ == "PROPN" for c in modifiers)

    def _thing_traded(self, noun: Token) -> bool:
        """Whether the head is what is bought or sold ("trade_verbs": "buy the CPC operation"), or a
        product offered, launched or built ("product_verbs": "offers positional 3D audio", "plans to
        launch a set-top box", "build a resource recovery plant"): a company's business, not a
        matter to be for or against. What is offered or provided may be a measure or an action
        ("offered a pay rise", "provide state funding"): frame and action nouns stay issues there."""
        while noun.dep_ == "conj" and noun.head.i != noun.i:
            noun = noun.head
        if noun.dep_ not in {"dobj", "nsubjpass"}:
            return False
        verb = noun.head.lemma_.lower()
        words = self.lex.topic_words
        if verb in words["trade_verbs"]:
            return True
        return verb in words["product_verbs"] and not self._frame_or_action(noun)

    def _names_people(self, noun: Token, words: list[str]) -> bool:
        """A title ("the prime minister") or an agent noun ("broadband users", "BNP voters", "bank
        creditors"): people, who hold positions rather than being one. An agent noun is not a verb
        itself ("offer", "order" are) but drops a suffix to one: user (use), voter, creditor."""
        lemma = noun.lemma_.lower()
        if lemma in self.lex.title_heads or " ".join(words[-2:]) in self.lex.title_heads:
            return True
        if lemma in self.verbs:
            return False
        # "user": a two-letter stem is enough when the word is no verb itself.
        return self._drops_to_verb(lemma, self.lex.agent_suffixes, shortest_stem=2)

    def _action_noun(self, lemma: str) -> bool:
        """A nominalisation of a verb the model knows: immigration (immigrate), privatisation, closure,
        spending. Zero-derived nouns ("ban", "offer", "release") are left out: most name one event.
        The stem keeps four letters at least: shorter ones met a verb by chance ("total": tote,
        "version": verse, "metal": mete) and made a thing an action with an object to take in."""
        return self._drops_to_verb(lemma, self.lex.action_suffixes, shortest_stem=4)

    def _drops_to_verb(
        self, lemma: str, suffixes: tuple[tuple[str, tuple[str, ...]], ...], shortest_stem: int
    ) -> bool:
        """Whether the word, less one of ``suffixes`` and plus one of its endings, is a verb the model
        knows (a stem of at least ``shortest_stem`` letters)."""
        for suffix, endings in suffixes:
            if lemma.endswith(suffix) and len(lemma) - len(suffix) >= shortest_stem:
                stem = lemma[: -len(suffix)]
                if any(stem + ending in self.verbs for ending in endings):
                    return True
        return False

    def _noun_phrase(self, noun: Token, a: int, z: int) -> tuple[list[str], str]:
        synonyms = self.lex.topic_synonyms
        # Compounds of compounds too ("stem cell research", not "cell research"), but no amounts or
        # halves of hyphenated adjectives: the "m" of "$100m share sale" and the "dollar" of "a 5
        # billion dollar aid package" say how much, the "term" of "long-term effects" how long, not
        # what about.
        mods = sorted(
            (
                c
                for c in noun.subtree
                if c.dep_ == "compound"
                and a <= c.i <= z
                and c.pos_ != "NUM"
                and not c.like_num
                and not (c.i > 0 and c.nbor(-1).like_num)
                and not _amount(c)
                and not _unit_of_amount(c, self.lex.topic_words["ignore"])
                # "starting production": a light verb's form says when, not what about.
                and c.lemma_.lower() not in self.lex.topic_words["light_verbs"]
                and not (c.i > 1 and c.nbor(-1).text == "-" and c.nbor(-2).pos_ in _NOT_NOUNS)
                and _compound_chain(c, noun)
            ),
            key=lambda c: c.i,
        )
        words = [synonyms.get(w, w) for w in (normalise(c.lemma_) for c in [*mods, noun])]
        shown = [c.text if c.pos_ == "PROPN" else c.lower_ for c in [*mods, noun]]
        lemma = noun.lemma_.lower()
        # An action noun takes its object in as a frame noun does: "the expansion of Heathrow"; but
        # not its circumstances ("discrimination on religious grounds"), nor an amount ("investments
        # of 1,770 billion yen" says how much, not what of). The key puts the object first, so that
        # "the expansion of Heathrow" and "Heathrow expansion" meet; the label keeps the words in
        # the order they were written: "draft wording of bill", not "bill draft wording".
        frame = lemma in self.lex.topic_words["frame_nouns"]
        if frame or self._action_noun(lemma):
            prepositions = _FRAME_PREPOSITIONS if frame else {"of"}
            taken = next(
                (
                    (c, g)
                    for c in noun.children
                    if c.dep_ == "prep" and c.lower_ in prepositions
                    for g in c.children
                    if g.dep_ == "pobj"
                    and g.pos_ in {"NOUN", "PROPN"}
                    and a <= g.i <= z
                    and not _amount(g)
                    and not (
                        c.lower_ == "for"
                        and lemma not in self.lex.topic_words["payment_nouns"]
                        and _for_whom(g)
                    )
                ),
                None,
            )
            # "an increase in the number of shares": a light word says how much or what kind of the
            # thing after it and names nothing itself.
            if taken is not None:
                preposition, obj = taken[0], self._through_light(taken[1], a, z)
                inner, inner_shown = self._noun_phrase(obj, a, z)
                return [*inner, *words], f"{' '.join(shown)} {preposition.lower_} {inner_shown}"
        return words, " ".join(shown)

    def _through_light(self, noun: Token, a: int, z: int) -> Token:
        """The noun a light noun ("the number of", "a range of") is of, looking through each one in
        turn; a light noun with no "of" after it ("the liberalization of services") is kept."""
        for _ in range(4):
            if noun.lemma_.lower() not in self.lex.topic_words["light_nouns"]:
                return noun
            found = next(
                (
                    g
                    for c in noun.children
                    if c.dep_ == "prep" and c.lower_ == "of"
                    for g in c.children
                    if g.dep_ == "pobj" and g.pos_ in {"NOUN", "PROPN"} and a <= g.i <= z
                ),
                None,
            )
            if found is None:
                return noun
            noun = found
        return noun

    def target_stance(self, doc: Doc, terms: list[tuple[str, ...]]) -> TargetStance:
        mentions = _matches(doc, terms)
        score = 0.0
        cues: list[str] = []
        cued: set[int] = set()
        longest = max((len(c) for c in self.lex.issue_cues), default=1)
        i = 0
        while i < len(doc):
            if i in mentions:
                i += 1
                continue
            for n in range(min(longest, len(doc) - i), 0, -1):
                weight = self.lex.issue_cues.get(tuple(t.lower_ for t in doc[i : i + n]))
                if weight is None:
                    weight = self.lex.issue_cues.get(tuple(t.lemma_.lower() for t in doc[i : i + n]))
                if weight is None:
                    continue
                # "no evidence" carries its own negation.
                if doc[i].lower_ not in _NEGATORS and _negated(doc[i + n - 1]):
                    weight = -weight
                score += weight
                cues.append(f"{doc[i : i + n].text}:{weight:+g}")
                cued.update(range(i, i + n))
                i += n - 1
                break
            i += 1
        for token in doc:
            found = self._stance(doc, token)
            # Evaluations ("a threat", "dangerous") of the issue itself say it is serious: the cues did that.
            if found is None or found[2] is None or found[1] == "evaluation":
                continue
            a, z = found[2]
            if any(a <= m <= z for m in mentions):
                weight = _TARGET_STANCE[found[0]]
                score += weight
                cues.append(f"{token.text}:{weight:+g}")
        for head in sorted({m for m in mentions if doc[m].head.i not in mentions or doc[m].head.i == m}):
            found_role = self._issue_role(doc[head])
            if found_role is not None and found_role[0].i not in cued:
                word, weight = found_role
                score += weight
                cues.append(f"{word.text}:{weight:+g}")
        if not mentions:
            score = sum(w for c in cues if abs(w := float(c.rsplit(":", 1)[1])) >= 2)
        label: TargetLabel = "agree" if score > 0 else "disagree" if score < 0 else "neutral"
        return TargetStance(label, score, tuple(cues))

    def _issue_role(self, phrase: Token) -> tuple[Token, float] | None:
        """What the sentence does with the issue's noun phrase.

        Subject of an effect verb ("global warming is endangering ...", "sea levels are rising") or
        object of a remedy ("limit global warming"): serious. Subject of a halt ("warming has ceased"):
        dismissed. Object of a causal preposition ("due to warming", "the threat of climate change"):
        serious. Negation flips each ("has not increased", "no rise in temperatures").
        """
        verbs = self.lex.issue_verbs
        if any(c.dep_ == "det" and c.lower_ == "no" for c in phrase.children):
            return phrase, -2.0
        if phrase.dep_ == "pobj" and phrase.head.dep_ == "prep" and phrase.head.head.pos_ == "NOUN":
            noun = phrase.head.head
            if self.lex.issue_causes.get(noun.lemma_.lower()) == phrase.head.lower_:
                return noun, -1.0 if _negated(noun) else 1.0
            if noun.lemma_.lower() in verbs["effects"]:
                return noun, -1.0 if _negated(noun) else 1.0
            phrase = noun
        head = phrase.head
        lemma = head.lemma_.lower()
        weight: float | None = None
        if phrase.dep_ in {"nsubj", "nsubjpass"} and head.pos_ == "VERB" and phrase.dep_ == "nsubj":
            if lemma in verbs["halts"]:
                weight = -2.0
            elif lemma in verbs["effects"]:
                weight = 1.0
        elif phrase.dep_ in {"dobj", "nsubjpass"} and lemma in verbs["mitigation"] | verbs["effects"]:
            weight = 1.0
        elif phrase.dep_ == "pobj":
            owner, prep_word = head.head, head.lower_
            owner_lemma = owner.lemma_.lower()
            causal = self.lex.issue_causes.get(owner_lemma) == prep_word
            if causal or (owner_lemma in verbs["mitigation"] and prep_word in {"with", "against"}):
                weight = 1.0
            head = owner
        elif phrase.dep_ == "compound" and phrase.head.lemma_.lower() in verbs["effects"]:
            weight = 1.0
        if weight is None:
            return None
        return head, -weight if _negated(head) else weight

    @staticmethod
    def _sentence_span(fields: Mapping[str, str], block: Block, a: int, z: int) -> Span:
        doc = block.doc
        assert doc is not None
        while z > a and doc[z].is_space:
            z -= 1
        return make_span(fields, block.field, block.char(doc[a]), block.char_end(doc[z]))


def _doer(token: Token) -> bool:
    """Whether a name is who does or gives what the claim is about, not its target: "arms
    shipments by Israel", "a takeover proposal from German rival Deutsche Boerse"."""
    while token.dep_ in {"compound", "appos", "amod", "poss", "conj"} and token.head.i != token.i:
        token = token.head
    return token.dep_ == "pobj" and token.head.lower_ in _DOER_PREPOSITIONS


def _for_whom(obj: Token) -> bool:
    """Whether the object of "for" after a frame noun says whom the measure is for, not what it is
    of: a name ("the ban for the Mail on Sunday", a poll's question put for a newspaper). A place is
    kept: "a rebate for Britain" is what the rebate is about as much as whose. Payments
    (``payment_nouns``) are about whom they are paid to and are not asked ("subsidies for Airbus")."""
    return obj.pos_ == "PROPN" and obj.ent_type_ not in _PLACES


def _acts_on(token: Token, concept_tokens: set[int], doc: Doc) -> bool:
    """Whether a name is the subject of a verb that governs one of the concept's words: the
    United States in "the United States has stationed forces", Pennzoil in "Pennzoil made a
    takeover bid for Texaco"."""
    while token.dep_ in {"compound", "appos", "amod", "poss", "conj"} and token.head.i != token.i:
        token = token.head
    if token.dep_ not in {"nsubj", "csubj"}:
        return False
    verb = token.head
    return any(verb in doc[i].ancestors for i in concept_tokens)


def _in_passing(word: Token, a: int, z: int) -> bool:
    """Whether a concept's word is met in passing: in what a claim says around its matter, not in it.

    Walking up from the word to the claim's root: a clause that says what its subject is like (a
    copula with an adjective, "growth may be slower") is about that subject, and what else hangs off
    the copula says why or when ("on the back of ... interest rate rises", and the "interest rate
    rises" the model reads as a verb conjoined to the copula); the object of "than" after a
    comparative is the standard compared with ("was cheaper than using tanks"); a noun phrase with a
    relative clause of its own, set beside a clause, comments on it ("could be dragged to the WTO, a
    step that could trigger sanctions"). The adjective's own complement clause is its matter ("is
    likely to raise taxes"), and a conjoined clause with a "that" of its own is a second claim
    ("could be illegal and that it would be safer to seek a resolution sanctioning military
    action"). Misses circumstances of a verb other than the copula, which the parse does not tell
    from its arguments. Built on Barclays' outlook for growth, which made "interest rates" one of
    the 20 largest BBC topics.
    """
    token = word
    while token.head.i != token.i and a <= token.head.i <= z:
        head = token.head
        if token.dep_ in {"pobj", "pcomp"} and head.lower_ == "than" and head.head.tag_ in _COMPARATIVES:
            return True
        if token.dep_ == "npadvmod" and token.pos_ == "NOUN" and _child(token, "relcl") is not None:
            return True
        if (
            head.lemma_ == "be"
            and head.pos_ == "AUX"
            and token.dep_ not in _SUBJECT_DEPS | {"acomp"}
            and not (token.dep_ == "conj" and _child(token, "mark") is not None)
            and _child(head, "acomp") is not None
            and any(c.dep_ in _SUBJECT_DEPS for c in head.children)
        ):
            return True
        token = head
    return False


def _bare_singular(noun: Token) -> bool:
    """A singular noun heading its phrase with no determiner or modifier: "force" in "the use of
    force", not in "a force", "forces" or "a peacekeeping force"."""
    return (
        noun.tag_ == "NN"
        and noun.dep_ not in {"compound", "npadvmod", "amod", "nmod"}
        and not any(c.dep_ in {"det", "poss", "nummod", "amod", "compound"} for c in noun.children)
    )


def _governors(word: Token) -> list[Token]:
    """The nouns that say what a word is part of: the head of its compounds (and conjuncts), and
    the noun whose prepositional object that phrase is ("a ban on tobacco advertising"; "talks
    on medium range missiles", where the parse can make "talks" a verb, its word the same)."""
    while word.dep_ == "compound" and word.head.i != word.i:
        word = word.head
    while word.dep_ == "conj" and word.head.i != word.i:
        word = word.head
    governors = [word]
    if word.dep_ == "pobj" and word.head.dep_ == "prep":
        governors.append(word.head.head)
    return governors


def _other_sense(word: Token, modifiers: frozenset[str]) -> bool:
    """Whether a modifier of ``word`` makes it another thing than the concept's: a word ("an air
    strike", "a fuel tank") or, written in capitals, the kind of name before it ("GPE": "the U.S.
    strike against Iranian targets", "Iran's strike" are a country's, its forces', not a walkout)."""
    return any(
        (c.dep_ in {"amod", "compound"} and c.lemma_.lower() in modifiers)
        or (c.dep_ in {"compound", "poss"} and c.ent_type_ in modifiers)
        for c in word.children
    )


def _names_person(noun: Token, a: int, z: int) -> bool:
    """Whether a person is named in the head phrase, as a modifier or the object taken in: "the
    appointment of ex-Cabinet minister Helen Liddell", "Henry punishment", "the contribution of
    Stephen Carr" are about what happens to one person, not an issue others take sides on."""
    for token in noun.subtree:
        if token.ent_type_ != "PERSON" or not a <= token.i <= z:
            continue
        while token.i != noun.i and token.dep_ in _PHRASE_DEPS:
            token = token.head
        if token.i == noun.i:
            return True
    return False


def _amount(noun: Token) -> bool:
    """An amount of money or of anything counted: "1,770 billion yen", "five mln shares"."""
    return noun.ent_type_ in _AMOUNT_ENTITIES or any(c.dep_ in {"nummod", "quantmod"} for c in noun.children)


def _hyphenated(noun: Token) -> str:
    """The word a noun ends when written with a hyphen after another ("pay-outs": "pay-out"), which
    the tokenizer splits in three; else the empty string."""
    if noun.i < 2 or noun.nbor(-1).text != "-" or noun.nbor(-1).whitespace_:
        return ""
    first = noun.nbor(-2)
    if first.whitespace_:
        return ""
    return f"{first.lemma_.lower()}-{noun.lemma_.lower()}"


def _unit_of_amount(token: Token, units: frozenset[str]) -> bool:
    """A unit word ("ignore": dlr, mln, pct) right after a number or the number's other units:
    "dlr" in "a 97.4 mln dlr loan", where the model reads "mln" as an adjective, not a number."""
    if token.lower_ not in units:
        return False
    i = token.i - 1
    while i >= 0 and token.doc[i].lower_ in units and not token.doc[i].like_num:
        i -= 1
    return i >= 0 and token.doc[i].like_num


def _compound_chain(token: Token, noun: Token) -> bool:
    """Whether ``token`` reaches ``noun`` through compounds only."""
    while token.dep_ == "compound" and token.head.i != token.i:
        token = token.head
        if token.i == noun.i:
            return True
    return False


def _child(token: Token, dep: str) -> Token | None:
    return next((c for c in token.children if c.dep_ == dep), None)


def _matches(doc: Doc, terms: list[tuple[str, ...]]) -> set[int]:
    """Token indices of every occurrence of a target term (by lower-case form or lemma)."""
    found: set[int] = set()
    for term in terms:
        n = len(term)
        for i in range(len(doc) - n + 1):
            window = doc[i : i + n]
            if tuple(t.lower_ for t in window) == term or tuple(t.lemma_.lower() for t in window) == term:
                found.update(range(i, i + n))
    return found


def _negated(token: Token) -> bool:
    """A negation on the word or on its clause: "not real", "no evidence", "is not a threat"."""
    if any(
        c.dep_ == "neg" or (c.lower_ in _NEGATORS and c.dep_ in {"det", "advmod"}) for c in token.children
    ):
        return True
    head = token
    while head.dep_ in _CLAUSE_DEPS and head.head is not head:
        head = head.head
        if any(c.dep_ == "neg" for c in head.children):
            return True
    return False


def _innermost(ranges: list[tuple[int, int, int]], char: int) -> int | None:
    best: tuple[int, int] | None = None
    for start, end, index in ranges:
        if start <= char < end and (best is None or end - start < best[0]):
            best = (end - start, index)
    return None if best is None else best[1]


TargetLabel = Literal["agree", "neutral", "disagree"]
_CLAUSE_DEPS = {"amod", "acomp", "attr", "oprd", "compound", "advmod"}
_NEGATORS = {"not", "n't", "no", "never", "nobody", "nothing", "neither", "nor", "without", "hardly"}
_TARGET_STANCE = {"support": 1.0, "propose": 1.0, "demand": 1.0, "warn": 1.0, "oppose": -1.0, "neutral": 0.0}


@dataclass(frozen=True, slots=True)
class TargetStance:
    """How one sentence stands toward a target issue, with the cues that decided it."""

    label: TargetLabel
    score: float
    cues: tuple[str, ...]


def stance_toward(
    nlp: Language, texts: Iterable[str], target_terms: Iterable[str], lexicon: Lexicon | None = None
) -> list[TargetStance]:
    """Agree / neutral / disagree toward "<target> is a serious concern" for each text.

    Sums the issue cues of the stance lexicon ("a hoax", "exaggerated" against; "a crisis", "is real",
    "tackle" for), flipping negated ones ("is not real", "do not drive"), and the stance verbs whose
    claim names the target ("opposes the carbon tax" against, "called for cuts in emissions" for).
    Built on GWSD's climate sentences; blind to irony and to stances carried by facts alone ("the ice
    cap has shrunk by 12 percent").
    """
    finder = PositionFinder(lexicon or load_lexicon())
    terms = [tuple(t.lower().split()) for t in target_terms]
    return [finder.target_stance(doc, terms) for doc in nlp.pipe(texts)]
