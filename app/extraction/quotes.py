"""Quotes: who said what, direct, mixed or indirect, with the speech cue and the words naming the speaker.

Quote marks are paired on the raw text of each block (straight or curly, double or single); the
dependency parse supplies the cue verb, its subject and the reported clause (ccomp).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Mapping
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from app.extraction.actors import ActorTable, pronoun_kind
from app.extraction.lexicon import Lexicon
from app.extraction.text import Block, make_span, token_span
from app.extraction.types import Quote, QuoteKind, Span

_OPEN_DOUBLE = "\u201c\u201e\u00ab"
_CLOSE_DOUBLE = "\u201d\u00bb"
_QUOTE_CHARS = "\"'\u201c\u201d\u201e\u00ab\u00bb\u2018\u2019"
_OPENING_CONTEXT = " \t\n\u00a0([{\u2014\u2013-/:"
_SUBJECT_DEPS = {"nsubj"}
_CLAUSE_SUBJECTS = {"nsubj", "nsubjpass"}
_CLIMB_DEPS = {"conj", "xcomp", "advcl", "pcomp", "dep", "acl"}
_CUE_PARTS = {"aux", "auxpass", "neg", "advmod"}
_LEADING_SKIP_DEPS = {"mark", "punct"}
_SENTENCE_LIKE_WORDS = 4
_HEADLINE = re.compile(r"^(?P<left>.*\S)\s*:\s+(?P<right>\S.*)$")
_SIGNATURE = re.compile(
    r"[^\S\n]*(?:[\u2015\u2014\u2013]|--?)[^\S\n]*"
    r"(?P<name>[A-Z][\w.'\u2019-]*(?:[^\S\n][A-Z][\w.'\u2019-]*){0,4}?)\.?[^\S\n]*(?:\n|$)"
)
_LABEL = re.compile(
    r"[\"\u201c]?(?P<label>[A-Z][\w.'\u2019-]*(?: [A-Z][\w.'\u2019-]*){0,3}):[^\S\n]+(?P<rest>\S)"
)
# Cues of a quoted sentence only: '"...," she continued.' With a clause they are no speech
# ("the campaign to continue calling out ...").
_DIRECT_CUES = frozenset({"continue", "interject"})
_DIRECT_PARTICLE_CUES = {"point": "out", "go": "on"}
"""'"...," he points out.' and '"...," Trump went on.': with their particle only."""
_RELATIVES = {"who", "that", "which"}
_NOT_LABELS = {
    "UPDATE",
    "NOTE",
    "WATCH",
    "RELATED",
    "VIDEO",
    "PHOTO",
    "PHOTOS",
    "CORRECTION",
    "CLARIFICATION",
    "READ",
    "EDITOR",
}
_NOT_SPEAKERS = {"GPE", "LOC", "DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT"}

_CONFIDENCE = {
    "direct": 0.9,
    "continued": 0.7,
    "indirect": 0.75,
    "belief": 0.6,
    "intention": 0.6,
    "parenthetical": 0.7,
    "prepositional": 0.6,
    "mixed": 0.8,
    "headline": 0.7,
    "according": 0.7,
    "act": 0.5,
}
# What an act verb reports: its object, the person it addresses, and complements to its right.
_ACT_DEPS = frozenset({"dobj", "dative", "oprd", "xcomp", "ccomp", "attr", "acomp"})
_ACT_HEADS = frozenset({"dobj", "xcomp", "ccomp", "prep"})
_NOBODY = frozenset({"nobody", "nothing", "none", "noone"})


@dataclass(slots=True)
class _Marks:
    open: int
    close: int | None
    """Offset of the closing mark in the block text; None when the quote runs to the end of the block."""
    inner_start: int
    inner_end: int
    sentence_like: bool = False
    used: bool = False


@dataclass(slots=True)
class QuoteRecord:
    """A Quote plus where its content sits in the parsed blocks, for positions."""

    quote: Quote
    block: int
    start: int
    end: int
    """Block-relative character range of the content."""
    speaker_kind: str | None


def find_marks(text: str) -> list[tuple[int, int | None]]:
    """Pairs of quote marks in one paragraph, ignoring apostrophes.

    A straight double quote opens after a space or bracket and closes after a non-space; a single
    quote opens only before a letter after a space ('unacceptable') and closes only when no letter
    follows, so "we're" and "Russia's" are not quotes. Single marks inside double quotes are nested
    quotations and are left alone. An opening mark never closed runs to the end of the paragraph (the
    convention for quotes that go on in the next paragraph). Misses a plural possessive ("allies'")
    inside a single-quoted span, which closes it early.
    """
    pairs: list[tuple[int, int | None]] = []
    double: int | None = None
    single: int | None = None
    n = len(text)
    for i, c in enumerate(text):
        if c not in _QUOTE_CHARS:
            continue
        prev = text[i - 1] if i else " "
        nxt = text[i + 1] if i + 1 < n else " "
        if c in _OPEN_DOUBLE:
            if double is None:
                double, single = i, None
        elif c in _CLOSE_DOUBLE:
            if double is not None:
                pairs.append((double, i))
                double = None
        elif c == '"':
            if double is not None:
                pairs.append((double, i))
                double = None
            elif not nxt.isspace():
                double, single = i, None
        elif double is None:
            if (
                single is None
                and (c == "\u2018" or (c == "'" and prev in _OPENING_CONTEXT))
                and nxt.isalnum()
            ):
                single = i
            elif single is not None and c in "'\u2019" and not prev.isspace() and not nxt.isalnum():
                pairs.append((single, i))
                single = None
    if double is not None:
        pairs.append((double, None))
    pairs.sort()
    return pairs


class QuoteFinder:
    def __init__(self, lexicon: Lexicon) -> None:
        self.lex = lexicon
        self.clause_cues = lexicon.cue_verbs | lexicon.belief_verbs
        self.cues = (
            self.clause_cues
            | lexicon.naming_verbs
            | lexicon.intention_verbs
            | lexicon.object_verbs
            | lexicon.act_verbs
            | frozenset(lexicon.prepositional_cues)
        )
        self.content_cut = lexicon.cue_verbs | set(lexicon.stance_verbs)

    def find(self, fields: Mapping[str, str], blocks: list[Block], table: ActorTable) -> list[QuoteRecord]:
        records: list[QuoteRecord] = []
        for b, block in enumerate(blocks):
            doc = block.doc
            assert doc is not None
            marks = self._marks(block)
            starts = [t.idx for t in doc]
            inside = self._inside_mask(doc, starts, marks)
            inside_direct = self._inside_mask(doc, starts, [m for m in marks if m.sentence_like])
            direct_cues: set[int] = set()
            uncued: list[_Marks] = []
            for line in _line_starts(block.text):
                label = self._label(fields, b, block, doc, marks, table, line)
                if label is not None:
                    records.append(label)
            for m in marks:
                if not m.sentence_like or m.used:
                    continue
                record = self._direct(fields, b, block, doc, starts, m, inside, table, direct_cues)
                if record is None:
                    record = self._dash_signed(fields, b, block, doc, m, table)
                if record is None:
                    uncued.append(m)
                else:
                    m.used = True
                    records.append(record)
            for token in doc:
                if token.i in direct_cues or inside[token.i]:
                    continue
                if token.lemma_ in self.cues and token.pos_ == "VERB":
                    record = self._reported(fields, b, block, doc, token, marks, inside_direct, inside, table)
                elif (
                    token.lower_ == "according" and token.i + 1 < len(doc) and doc[token.i + 1].lower_ == "to"
                ):
                    record = self._according(fields, b, block, doc, token, marks, table)
                else:
                    continue
                if record is not None:
                    records.append(record)
            for m in uncued:
                if m.used:
                    continue
                record = self._after_colon(fields, b, block, doc, starts, m, inside, table)
                if record is not None:
                    m.used = True
                    records.append(record)
                    continue
                previous = _previous_quote(records, blocks, b, m)
                if previous is not None:
                    m.used = True
                    records.append(self._continued(fields, block, b, m, previous))
            if block.field == "title":
                record = self._headline(fields, b, block, doc, marks, table)
                if record is not None:
                    records.append(record)
        order = {"title": 0, "standfirst": 1, "caption": 2, "body": 3}
        records.sort(key=lambda r: (order[r.quote.content.field], r.quote.content.start))
        return records

    def _marks(self, block: Block) -> list[_Marks]:
        text = block.text
        found = []
        for a, z in find_marks(text):
            end = len(text) if z is None else z
            inner = text[a + 1 : end]
            stripped = inner.strip()
            if not stripped:
                continue
            before = text[:a].rstrip()
            starts_sentence = not before or before[-1] in ".!?:" or stripped[0].isupper()
            words = len(stripped.split())
            sentence_like = words >= _SENTENCE_LIKE_WORDS and starts_sentence and not _title_case(stripped)
            found.append(_Marks(a, z, a + 1, end, sentence_like))
        return found

    @staticmethod
    def _inside_mask(doc: Doc, starts: list[int], marks: list[_Marks]) -> list[bool]:
        mask = [False] * len(doc)
        for m in marks:
            first = bisect.bisect_left(starts, m.inner_start)
            last = bisect.bisect_left(starts, m.inner_end)
            for i in range(first, last):
                mask[i] = True
        return mask

    def _direct(
        self,
        fields: Mapping[str, str],
        b: int,
        block: Block,
        doc: Doc,
        starts: list[int],
        m: _Marks,
        inside: list[bool],
        table: ActorTable,
        direct_cues: set[int],
    ) -> QuoteRecord | None:
        """A full quoted sentence and the cue verb of its own sentence(s), outside the marks.

        Catches '"...," Peskov told reporters' and '"...", he said.' Misses attributions in the next
        sentence ("So said Peskov.") and cues that are not verbs ("Peskov's words: ...").
        """
        first = bisect.bisect_left(starts, m.inner_start)
        last = max(first, bisect.bisect_left(starts, m.inner_end) - 1)
        if first >= len(doc):
            return None
        sent_start = doc[first].sent.start
        sent_end = doc[min(last, len(doc) - 1)].sent.end
        best = self._direct_cue(doc, starts, range(sent_start, sent_end), m, inside, alone=False)
        if best is None:
            best = self._direct_cue(doc, starts, _neighbour_sentence(doc, starts, m), m, inside, alone=True)
        if best is None:
            return None
        best = _outer_cue(best, inside, self.lex.cue_verbs)
        direct_cues.add(best.i)
        subject = subject_of(best, inside) or _named_before(doc, starts, m, best)
        assert subject is not None
        mention, speaker, kind = _speaker(fields, b, block, subject, table)
        content = make_span(fields, block.field, block.start + m.inner_start, block.start + m.inner_end)
        quote = Quote(
            "direct", content, _cue_span(fields, block, best), mention, speaker, _CONFIDENCE["direct"]
        )
        return QuoteRecord(quote, b, m.inner_start, m.inner_end, kind)

    def _direct_cue(
        self, doc: Doc, starts: list[int], indices: range, m: _Marks, inside: list[bool], alone: bool
    ) -> Token | None:
        """The cue verb nearest the marks among ``indices``; ``alone``: one that reports nothing else."""
        best: Token | None = None
        best_distance = 0
        for i in indices:
            token = doc[i]
            if inside[token.i] or token.pos_ != "VERB":
                continue
            if token.lemma_ not in self.lex.cue_verbs and not _direct_cue_word(token):
                continue
            if subject_of(token, inside) is None and _named_before(doc, starts, m, token) is None:
                continue
            reports = any(c.dep_ in {"ccomp", "xcomp", "dobj"} and not inside[c.i] for c in token.children)
            if alone and reports:
                continue
            distance = min(abs(token.idx - m.open), abs(token.idx - (m.close or m.inner_end)))
            if best is None or distance < best_distance:
                best, best_distance = token, distance
        return best

    def _dash_signed(
        self, fields: Mapping[str, str], b: int, block: Block, doc: Doc, m: _Marks, table: ActorTable
    ) -> QuoteRecord | None:
        """A quote signed with a dash and a name that ends the paragraph: '"...." ― Maria Lopez'.

        The name is the speaker mention; there is no cue word. Misses a signature followed by
        anything else ("― Maria Lopez, 34, of Leeds").
        """
        if m.close is None:
            return None
        match = _SIGNATURE.match(block.text, m.close + 1)
        if match is None:
            return None
        a, z = match.span("name")
        z -= block.text[z - 1] == "."
        tokens = [t for t in doc if a <= t.idx < z]
        if not tokens:
            return None
        actors = {table.actor_at(b, t) for t in tokens} - {None}
        speaker = actors.pop() if len(actors) == 1 else None
        mention = make_span(fields, block.field, block.start + a, block.start + z)
        content = make_span(fields, block.field, block.start + m.inner_start, block.start + m.inner_end)
        quote = Quote("direct", content, None, mention, speaker, _CONFIDENCE["direct"])
        return QuoteRecord(quote, b, m.inner_start, m.inner_end, _kind(table, speaker))

    def _label(
        self,
        fields: Mapping[str, str],
        b: int,
        block: Block,
        doc: Doc,
        marks: list[_Marks],
        table: ActorTable,
        line: int,
    ) -> QuoteRecord | None:
        """A line that opens with a speaker's name and a colon: a transcript turn or a headline.

        'PENCE: Well, look, ...' and 'Sarah Holt: Council will appeal ruling'. The name is one actor
        of the article or a word in capitals; the content is the rest of the line (inside the
        quotation marks when the turn is quoted). Titles go through ``_headline``. Misses a turn
        whose speaker is a description ("A VOTER: ...") and takes a one-actor list item
        ("Mr. Trump: 45 percent") for a quote.
        """
        if block.field == "title":
            return None
        match = _LABEL.match(block.text, line)
        if match is None:
            return None
        a, z = match.span("label")
        tokens = [t for t in doc if a <= t.idx < z]
        if not tokens or any(t.ent_type_ in _NOT_SPEAKERS or t.text.upper() in _NOT_LABELS for t in tokens):
            return None
        actors = {table.actor_at(b, t) for t in tokens}
        capitals = all((t.text.isupper() and len(t.text) > 1) or t.is_punct for t in tokens)
        if len(actors) != 1 or (None in actors and not capitals):
            return None
        speaker = actors.pop()
        if speaker is None:
            # 'PENCE:' in a transcript names an actor the article has introduced as "Mike Pence".
            name = block.text[a:z].lower()
            speaker = next(
                (i for i, actor in enumerate(table.actors) if actor.name.lower().split()[-1:] == [name]), None
            )
        line_end = block.text.find("\n", line)
        start = match.start("rest")
        end = len(block.text[:line_end].rstrip()) if line_end >= 0 else len(block.text.rstrip())
        kind: QuoteKind = "indirect"
        enclosing = next((m for m in marks if m.open == line and m.inner_end >= match.end("rest")), None)
        if enclosing is not None:
            enclosing.used = True
            end, kind = min(end, enclosing.inner_end), "direct"
        mention = make_span(fields, block.field, block.start + a, block.start + z)
        content = make_span(fields, block.field, block.start + start, block.start + end)
        quote = Quote(kind, content, None, mention, speaker, _CONFIDENCE["headline"])
        return QuoteRecord(quote, b, start, end, _kind(table, speaker))

    @staticmethod
    def _after_colon(
        fields: Mapping[str, str],
        b: int,
        block: Block,
        doc: Doc,
        starts: list[int],
        m: _Marks,
        inside: list[bool],
        table: ActorTable,
    ) -> QuoteRecord | None:
        """A quote opened right after a colon that ends a clause with a subject: that subject speaks.

        'She then addressed the supporters again: "Here is what I regret."' and 'Frank quotes former
        adviser Alfred Kahn: "..."': the verb need not be a speech verb, the colon hands the clause's
        subject the words. Tried only for quotes with no cue of their own, before they are taken as
        the run of the quote before. Takes a label of a list or a sign ("The sign read:") for a speaker.
        """
        k = m.open - 1
        while k >= 0 and block.text[k] in " \t":
            k -= 1
        if k < 0 or block.text[k] != ":":
            return None
        colon = bisect.bisect_left(starts, k)
        if colon == 0 or colon >= len(doc) or doc[colon].text != ":":
            return None
        verb = doc[colon - 1]
        for _ in range(8):
            if verb.pos_ in {"VERB", "AUX"} or verb.head.i == verb.i:
                break
            verb = verb.head
        if verb.pos_ not in {"VERB", "AUX"} or verb.i >= colon or inside[verb.i]:
            return None
        subject = subject_of(verb, inside)
        if subject is None or subject.i >= colon or subject.i < doc[colon - 1].sent.start:
            return None
        mention, speaker, kind = _speaker(fields, b, block, subject, table)
        content = make_span(fields, block.field, block.start + m.inner_start, block.start + m.inner_end)
        quote = Quote(
            "direct", content, _cue_span(fields, block, verb), mention, speaker, _CONFIDENCE["direct"]
        )
        return QuoteRecord(quote, b, m.inner_start, m.inner_end, kind)

    @staticmethod
    def _continued(
        fields: Mapping[str, str], block: Block, b: int, m: _Marks, previous: QuoteRecord
    ) -> QuoteRecord:
        """A quoted sentence with no cue right after another direct quote keeps that quote's speaker.

        Built on '"...," he said. "We're monitoring this very closely."' The quote has no cue of its
        own; its speaker mention is the one that named the speaker of the run ("he"). Misses a change
        of speaker that is only implied (an interview in question and answer form).
        """
        content = make_span(fields, block.field, block.start + m.inner_start, block.start + m.inner_end)
        quote = Quote(
            "direct",
            content,
            None,
            previous.quote.speaker_mention,
            previous.quote.speaker,
            _CONFIDENCE["continued"],
        )
        return QuoteRecord(quote, b, m.inner_start, m.inner_end, previous.speaker_kind)

    def _reported(
        self,
        fields: Mapping[str, str],
        b: int,
        block: Block,
        doc: Doc,
        verb: Token,
        marks: list[_Marks],
        inside: list[bool],
        quoted: list[bool],
        table: ActorTable,
    ) -> QuoteRecord | None:
        """Reported speech: a cue verb with a subject and a complement holding the content.

        Catches "Peskov said on Thursday that ...", "Russia demanded NATO scrap ...", "..., the Telegraph
        newspaper reported", and with a quoted fragment inside, mixed quotes ('he is "ready and
        willing" to ...'). Naming verbs need a quoted fragment ('calling it a "direct threat"'). The
        other complements are listed in ``_complement``. Misses reported speech without a complement
        ("Peskov's remarks on ...") and passive cues ("it was said").
        """
        found = self._complement(doc, verb, inside, quoted)
        if found is None:
            return None
        a, z, how = found
        if how in {"intention", "prepositional", "belief"} and _reported_by_another(verb, self.clause_cues):
            # "Sherry said she wanted to be realistic": the wish is part of what Sherry said, already
            # her quote; PolNeAR's annotators rarely mark it apart (on the dev set, dropping the 525
            # such quotes lost 47 matched contents, and the right speakers went up by 7).
            return None
        a, z = trim_range(doc, a, z)
        if a > z:
            return None
        subject = subject_of(verb)
        if subject is None or (how != "parenthetical" and a <= subject.i <= z):
            return None
        start, end = doc[a].idx, doc[z].idx + len(doc[z].text)
        kind: QuoteKind
        enclosing = next(
            (m for m in marks if not m.used and m.open < start and end <= m.inner_end and m.open > verb.idx),
            None,
        )
        if enclosing is not None:
            # 'He says "it's interesting that ..."': the whole complement is quoted, a direct quote.
            enclosing.used = True
            start, end, kind = enclosing.inner_start, enclosing.inner_end, "direct"
        else:
            fragments = _fragments(marks, start, end)
            if how in {"naming", "object"} and not fragments:
                act = self._act(doc, verb, inside)
                if act is None:
                    return None
                a, z, how = act
                a, z = trim_range(doc, a, z)
                if a > z or a <= subject.i <= z:
                    return None
                start, end = doc[a].idx, doc[z].idx + len(doc[z].text)
                fragments = _fragments(marks, start, end)
            if how == "quoted":
                return None
            for m in fragments:
                m.used = True
            kind = "mixed" if fragments else "indirect"
        confidence = _CONFIDENCE.get(how, _CONFIDENCE[kind])
        mention: Span | None
        if _passive_participle(verb):
            # "Asked to describe the device, Tom Harris said ...": Harris is asked; who asks is unsaid.
            mention, speaker, speaker_kind = None, None, None
        else:
            mention, speaker, speaker_kind = _speaker(fields, b, block, subject, table)
        content = make_span(fields, block.field, block.start + start, block.start + end)
        quote = Quote(kind, content, _cue_span(fields, block, verb), mention, speaker, confidence)
        return QuoteRecord(quote, b, start, end, speaker_kind)

    def _complement(
        self, doc: Doc, verb: Token, inside: list[bool], quoted: list[bool]
    ) -> tuple[int, int, str] | None:
        """The token range a cue verb reports, and which rule found it.

        - clause: "said (that) ...", "believes the election is rigged" (ccomp). The small model
          sometimes takes the clause for an adverbial one when a phrase comes between ("Trump said
          after the convention he would not accept ..."): an advcl with its own subject and no
          conjunction counts too.
        - quoted: 'chanting "Bernie or Jill, No Hill"', an object that is a quotation (direct quote).
        - naming: 'calling it a "direct threat"' (object and predicate, from the cue on).
        - intention: "wants to raise the minimum wage", "urged Congress to pass the bill" (a
          to-infinitive, with the object it is addressed to).
        - object: 'praised Cruz for showing "the courage of his convictions"' (the object and what
          follows it; only with a quoted fragment in it).
        - prepositional: "called for a ban on assault weapons" (the object of a listed preposition).
        - parenthetical: "Mrs. Clinton, analysts said, has other reasons ..." (the cue hangs off the
          clause it reports as parataxis; the content is that clause, cue included when it sits in
          the middle). Misses the same with the cue parsed as the sentence's root and no ccomp.
        """
        lex = self.lex
        lemma = verb.lemma_
        children = list(verb.children)
        if lemma in self.clause_cues:
            head = next((c for c in children if c.dep_ == "ccomp"), None)
            if head is None and lemma in lex.cue_verbs:
                head = next((c for c in children if _bare_clause(verb, c)), None)
            if head is not None:
                if inside[head.i]:
                    return None
                a, z = reported_clause(doc, verb, head, self.content_cut, lex.cue_verbs)
                a = _after_fronted_phrase(head, a)
                return a, z, "clause" if lemma in lex.cue_verbs else "belief"
        if lemma in lex.cue_verbs:
            obj = next((c for c in children if c.dep_ in {"dobj", "oprd", "npadvmod"} and c.i > verb.i), None)
            if obj is not None and quoted[obj.i] and not inside[obj.i]:
                return obj.left_edge.i, obj.right_edge.i, "quoted"
        if lemma in lex.naming_verbs:
            obj = next((c for c in children if c.dep_ == "dobj"), None)
            pred = next((c for c in children if c.dep_ == "oprd"), None)
            if obj is not None and pred is not None:
                # The gold standard's content for 'calling it a "direct threat"' starts at the cue itself.
                return min(verb.i, obj.left_edge.i), pred.right_edge.i, "naming"
        if lemma in lex.intention_verbs:
            xcomp = next((c for c in children if c.dep_ == "xcomp" and c.i > verb.i and _infinitive(c)), None)
            if xcomp is not None and not inside[xcomp.i]:
                obj = next((c for c in children if c.dep_ == "dobj" and c.right_edge.i < xcomp.i), None)
                a = obj.left_edge.i if obj is not None else xcomp.left_edge.i
                return a, xcomp.right_edge.i, "intention"
        prepositions = lex.prepositional_cues.get(lemma)
        if prepositions:
            for child in children:
                if child.dep_ == "prep" and child.lower_ in prepositions and child.i > verb.i:
                    obj = next((c for c in child.children if c.dep_ in {"pobj", "pcomp"}), None)
                    if obj is not None and not inside[obj.i]:
                        return obj.left_edge.i, obj.right_edge.i, "prepositional"
        if lemma in lex.object_verbs:
            obj = next((c for c in children if c.dep_ == "dobj" and c.i > verb.i), None)
            if obj is not None and not inside[obj.i]:
                z = max(
                    [obj.right_edge.i]
                    + [c.right_edge.i for c in children if c.dep_ == "prep" and c.i > obj.i]
                )
                return obj.left_edge.i, z, "object"
        if (
            lemma in lex.cue_verbs
            and verb.dep_ == "parataxis"
            and not any(c.dep_ in {"dobj", "ccomp", "xcomp"} for c in children)
            and not inside[verb.head.i]
        ):
            head = verb.head
            a, z = head.left_edge.i, head.right_edge.i
            if verb.right_edge.i >= z:
                z = verb.left_edge.i - 1
            elif verb.left_edge.i <= a:
                a = verb.right_edge.i + 1
            return a, z, "parenthetical"
        return self._act(doc, verb, inside)

    def _act(self, doc: Doc, verb: Token, inside: list[bool]) -> tuple[int, int, str] | None:
        """An act verb's object and complements: "Trump blasted the deal as a disaster", "Clinton
        cited a 2015 report", "the senator asked the court to block the rules". The last rule, tried
        when no other found a content: PolNeAR counts these as attributions, and they are reported
        speech in the sense a reader needs ("who criticised what"), but weaker evidence than a clause."""
        if (
            verb.lemma_ not in self.lex.act_verbs
            or _passive_participle(verb)
            or any(
                c.dep_ in {"auxpass", "nsubjpass"} or (c.dep_ == "prt" and c.lower_ == "up")
                for c in verb.children
            )
        ):
            # "when asked about the report", "was attacked in the media": the act is someone else's;
            # "showed up", "added up to" are no acts of saying.
            return None
        if _reported_by_another(verb, self.clause_cues):
            # Inside a clause someone reports ("McLenney said Clinton doesn't show consistency"): the
            # words are the reporter's, and the clause is already their quote.
            return None
        actor = verb
        subject = next((c for c in actor.children if c.dep_ == "nsubj"), None)
        while (
            subject is None
            and (actor.dep_ in {"conj", "xcomp"} or (actor.dep_ == "advcl" and actor.tag_ == "VBG"))
            and actor.head.i != actor.i
        ):
            actor = actor.head
            subject = next((c for c in actor.children if c.dep_ == "nsubj"), None)
        if subject is None or subject.lower_ in _NOBODY:
            # Its own subject, or its first conjunct's, or that of the verb it completes ("refused
            # to endorse") or follows as a participle (", citing a report"): the subject of a clause
            # further up is often not the one who acts ("Asked to describe the device, Harris said
            # ..."); and "nobody
            # pointed out the cost" reports that nothing was said.
            return None
        # Prepositional phrases count when they say what the act was about ("talked about the
        # flood", "blasted the toll as a tax"), not when or where it was ("said in April").
        right = [
            c
            for c in verb.children
            if c.i > verb.i
            and (
                c.dep_ in _ACT_DEPS
                or (
                    c.dep_ == "prep"
                    and c.lower_ in self.lex.act_prepositions
                    and any(
                        o.dep_ in {"pobj", "pcomp"} and o.ent_type_ not in {"DATE", "TIME"}
                        for o in c.children
                    )
                )
            )
        ]
        if not any(c.dep_ in _ACT_HEADS for c in right) or any(inside[c.i] for c in right):
            return None
        a, z = min(c.left_edge.i for c in right), max(c.right_edge.i for c in right)
        after = z + 1
        while after < len(doc) and doc[after].is_punct and not inside[after]:
            after += 1
        if after < len(doc) and inside[after]:
            # 'recalled thinking, "..."': the quoted sentence is the quote, found by the direct rules.
            return None
        return a, z, "act"

    def _according(
        self,
        fields: Mapping[str, str],
        b: int,
        block: Block,
        doc: Doc,
        according: Token,
        marks: list[_Marks],
        table: ActorTable,
    ) -> QuoteRecord | None:
        """'According to officials, ...' and '..., according to the Telegraph.'

        The content is the rest of the sentence on the longer side of the phrase. Misses an
        "according to" that qualifies only a noun phrase ("the plan, according to whom ...").
        """
        to = doc[according.i + 1]
        source = next((c for c in to.children if c.dep_ == "pobj"), None)
        if source is None:
            source = next((c for c in according.children if c.dep_ == "pobj"), None)
        if source is None:
            return None
        sent = according.sent
        phrase_end = max(source.right_edge.i, to.i)
        left = (sent.start, according.i - 1)
        right = (phrase_end + 1, sent.end - 1)
        a, z = max([left, right], key=lambda r: r[1] - r[0])
        a, z = trim_range(doc, a, z)
        if z - a < 2:
            return None
        start, end = doc[a].idx, doc[z].idx + len(doc[z].text)
        fragments = _fragments(marks, start, end)
        for m in fragments:
            m.used = True
        kind: QuoteKind = "mixed" if fragments else "indirect"
        mention, speaker, speaker_kind = _speaker(fields, b, block, source, table)
        content = make_span(fields, block.field, block.start + start, block.start + end)
        cue = token_span(fields, block, according, to)
        quote = Quote(kind, content, cue, mention, speaker, _CONFIDENCE["according"])
        return QuoteRecord(quote, b, start, end, speaker_kind)

    def _headline(
        self,
        fields: Mapping[str, str],
        b: int,
        block: Block,
        doc: Doc,
        marks: list[_Marks],
        table: ActorTable,
    ) -> QuoteRecord | None:
        """Headline attribution by colon: "Any plan ... 'unacceptable': Russia" or "Peskov: ...".

        The speaker side must be one actor's name; with a quoted fragment the content is the fragment
        (marks included), else the whole other side. Misses headlines that attribute with a verb
        ("Russia says ...": those go through the cue verbs).
        """
        match = _HEADLINE.match(block.text)
        if match is None:
            return None
        for speaker_side, content_side in (("right", "left"), ("left", "right")):
            s0, s1 = match.span(speaker_side)
            tokens = [t for t in doc if s0 <= t.idx < s1 and not t.is_punct and t.dep_ != "det"]
            actors = {table.actor_at(b, t) for t in tokens}
            if not tokens or len(actors) != 1 or None in actors:
                continue
            c0, c1 = match.span(content_side)
            fragment = next(
                (m for m in marks if c0 <= m.open and m.close is not None and m.close < c1 and not m.used),
                None,
            )
            kind: QuoteKind
            if fragment is not None and fragment.close is not None:
                fragment.used = True
                start, end = fragment.open, fragment.close + 1
                kind = "mixed"
                if fragment.open == c0 and fragment.close == c1 - 1:
                    start, end, kind = fragment.inner_start, fragment.inner_end, "direct"
            else:
                start, end, kind = c0, c1, "indirect"
            mention = make_span(
                fields,
                block.field,
                block.start + tokens[0].idx,
                block.start + tokens[-1].idx + len(tokens[-1].text),
            )
            speaker = actors.pop()
            content = make_span(fields, block.field, block.start + start, block.start + end)
            quote = Quote(kind, content, None, mention, speaker, _CONFIDENCE["headline"])
            return QuoteRecord(
                quote, b, start, end, table.actors[speaker].kind if speaker is not None else None
            )
        return None


def _direct_cue_word(token: Token) -> bool:
    if token.lemma_ in _DIRECT_CUES:
        return True
    particle = _DIRECT_PARTICLE_CUES.get(token.lemma_)
    return particle is not None and any(c.dep_ == "prt" and c.lower_ == particle for c in token.children)


def _outer_cue(verb: Token, inside: list[bool], cues: frozenset[str]) -> Token:
    """The cue that reports the quote's cue: "Lynch said she recalled thinking, '...'" is Lynch's.

    Climbs while the cue is the reported clause of another cue verb and its own subject is a
    pronoun (the same speaker, named in the outer clause, as PolNeAR marks it).
    """
    while (
        verb.dep_ == "ccomp"
        and verb.head.lemma_ in cues
        and verb.head.pos_ == "VERB"
        and not inside[verb.head.i]
    ):
        own = subject_of(verb, inside)
        outer = subject_of(verb.head, inside)
        if own is None or outer is None or pronoun_kind(own) is None:
            break
        verb = verb.head
    return verb


def _fragments(marks: list[_Marks], start: int, end: int) -> list[_Marks]:
    """The quoted fragments (not whole quoted sentences) inside a content range: they make it mixed."""
    return [m for m in marks if not m.sentence_like and start <= m.open and (m.close or m.inner_end) < end]


def _reported_by_another(verb: Token, clause_cues: frozenset[str]) -> bool:
    """Whether the verb stands in a clause that a speech or belief verb reports."""
    return any(t.dep_ == "ccomp" and t.head.lemma_ in clause_cues for t in [verb, *verb.ancestors])


def _title_case(text: str) -> bool:
    """A title, not a sentence: every word of four letters or more is capitalised ("Legend of the Coal")."""
    long = [w for w in text.split() if len(w) > 3 and w[0].isalpha()]
    return len(long) >= 2 and all(w[0].isupper() for w in long)


def _line_starts(text: str) -> list[int]:
    return [0] + [i + 1 for i, c in enumerate(text) if c == "\n" and i + 1 < len(text)]


def _passive_participle(verb: Token) -> bool:
    """A cue in a participle clause with no subject or auxiliary of its own: "Asked about the bridge, ..."."""
    return (
        verb.tag_ == "VBN"
        and verb.dep_ in {"advcl", "acl"}
        and not any(c.dep_ in {"nsubj", "nsubjpass", "aux", "auxpass"} for c in verb.children)
    )


def _named_before(doc: Doc, starts: list[int], m: _Marks, verb: Token) -> Token | None:
    """The name between a closing mark and its cue when the parse gives the cue no subject.

    '"..., " Tulsa police Chief Tom Harris said Monday.': the model can read "Tulsa" as a verb and
    "said" as a conjunct with no subject. The words between the mark and the cue (at most six, no
    punctuation) that end in a proper noun or a pronoun are taken for the subject; the last one
    stands for them.
    """
    if m.close is None:
        return None
    first = bisect.bisect_left(starts, m.close) + 1
    if first < len(doc) and doc[first].text == ",":
        first += 1
    between = doc[first : verb.i]
    if not 0 < len(between) <= 6 or any(t.is_punct or t.is_space for t in between):
        return None
    last = between[-1]
    if last.pos_ == "PROPN" or pronoun_kind(last) is not None:
        return last
    return None


def _previous_quote(records: list[QuoteRecord], blocks: list[Block], b: int, m: _Marks) -> QuoteRecord | None:
    """The quote a cue-less quoted sentence goes on from: the last one before it, this paragraph or the last.

    Any kind counts: in '"It's over," she said of the race. "In my head, anyway."' the first quote is
    too short to be a quoted sentence and comes from the reported clause.
    """
    field = blocks[b].field
    candidates = [
        r
        for r in records
        if (r.block == b and r.start < m.open)
        or (r.block == b - 1 and blocks[b - 1].field == field and r.quote.kind != "indirect")
    ]
    return max(candidates, key=lambda r: (r.block, r.start), default=None)


def reported_clause(
    doc: Doc, verb: Token, head: Token, cut: set[str] | frozenset[str], cues: frozenset[str]
) -> tuple[int, int]:
    """The reported clause: the ccomp subtree, with two repairs for the small model's parse.

    "Russia demanded NATO scrap its 2008 promise to one day give Ukraine membership ... and
    dismissed the idea ...": the model hangs "give ..." off the verb as "dep"; it is taken in,
    up to a coordinated cue or stance verb ("dismissed"), which is another predication of the
    subject. "it opposes having NATO troops ..., with Foreign Minister Sergey Lavrov saying ...":
    a trailing phrase holding another speaker's cue is cut off.
    """
    a, z = head.left_edge.i, head.right_edge.i
    for sibling in verb.children:
        if sibling.dep_ == "dep" and sibling.left_edge.i == z + 1:
            z = sibling.right_edge.i
            for child in sibling.children:
                if child.dep_ == "conj" and child.lemma_ in cut:
                    z = min(z, child.left_edge.i - 1)
                    while z > a and doc[z].dep_ == "cc":
                        z -= 1
    for child in head.rights:
        if child.right_edge.i != z or child.i == head.i:
            continue
        for token in child.subtree:
            if (
                token.lemma_ in cues
                and token.pos_ == "VERB"
                and token.i != verb.i
                and any(c.dep_ in _SUBJECT_DEPS for c in token.children)
            ):
                z = child.left_edge.i - 1
                break
    return a, z


def _neighbour_sentence(doc: Doc, starts: list[int], m: _Marks) -> range:
    """The sentence that attributes a quote from outside it, when the parser split the two.

    '"... it's all a show, no?" Freddy Ortega said.' (a new sentence after '?"') and 'Trump said in
    a statement: "I am greatly honored ..."' (a sentence ending in a colon before the quote).
    """
    if m.close is not None:
        after = bisect.bisect_left(starts, m.close) + 1
        if after < len(doc) and doc[after].is_sent_start:
            return range(after, doc[after].sent.end)
    before = bisect.bisect_left(starts, m.open) - 1
    if before >= 0 and doc[before].text == ":":
        sent = doc[before].sent
        return range(sent.start, sent.end)
    return range(0)


def _bare_clause(verb: Token, child: Token) -> bool:
    return (
        child.dep_ == "advcl"
        and child.i > verb.i
        and any(c.dep_ in _CLAUSE_SUBJECTS for c in child.children)
        and not any(c.dep_ == "mark" for c in child.children)
    )


def _after_fronted_phrase(head: Token, a: int) -> int:
    """Start a clause with no "that" at its subject when only phrases of time or place come before.

    "Tom Harris said after the meeting he would not resign": the model hangs "after the meeting" on
    the reported clause, but with no conjunction to mark where the clause starts it belongs to the
    cue. Misses a clause that really opens with such a phrase ("said in 2010 the economy grew").
    """
    if any(c.dep_ == "mark" for c in head.children):
        return a
    subject = next((c for c in head.children if c.dep_ in _CLAUSE_SUBJECTS), None)
    if subject is None or subject.left_edge.i <= a:
        return a
    fronted = [c for c in head.children if c.i < subject.i]
    if fronted and all(c.dep_ in {"prep", "npadvmod", "punct"} for c in fronted):
        return subject.left_edge.i
    return a


def _infinitive(token: Token) -> bool:
    return any(c.dep_ == "aux" and c.lower_ == "to" for c in token.children)


def subject_of(verb: Token, inside: list[bool] | None = None) -> Token | None:
    """The verb's nsubj, else the nsubj of the clause it hangs from ("calling" -> "Russia ... opposes").

    With ``inside`` (a mask of the tokens within quotation marks) a subject inside the quote is
    passed over: the model makes "Thanks" a second subject of "said" in '"Thanks, Clarkston, for
    welcoming these refugees," said master of ceremonies Asab Al-Tabchi.'
    """
    token = verb
    for _ in range(4):
        for child in token.children:
            if child.dep_ in _SUBJECT_DEPS and (inside is None or not inside[child.i]):
                return child
        if token.dep_ not in _CLIMB_DEPS or token.head.i == token.i:
            return None
        token = token.head
    return None


def _cue_span(fields: Mapping[str, str], block: Block, verb: Token) -> Span:
    """The cue with its auxiliaries and adverbs: "has repeatedly said", "told"."""
    doc = verb.doc
    a = verb.i
    while a > 0 and doc[a - 1].head.i == verb.i and doc[a - 1].dep_ in _CUE_PARTS:
        a -= 1
    z = verb.i
    if z + 1 < len(doc) and doc[z + 1].head.i == verb.i and doc[z + 1].dep_ == "prt":
        z += 1
    return token_span(fields, block, doc[a], doc[z])


def trim_range(doc: Doc, a: int, z: int) -> tuple[int, int]:
    while a <= z and (doc[a].dep_ in _LEADING_SKIP_DEPS or doc[a].is_space or doc[a].is_punct):
        a += 1
    # "he said earlier he is ...": an adverb before the reported clause's subject belongs to the cue.
    while a < z and doc[a].pos_ == "ADV" and doc[a].dep_ == "advmod" and doc[a + 1].dep_ in {"nsubj", "mark"}:
        a += 1
        while a <= z and doc[a].dep_ == "mark":
            a += 1
    while z >= a and (doc[z].is_space or doc[z].is_punct):
        if doc[z].text in _QUOTE_CHARS and sum(doc[i].text in _QUOTE_CHARS for i in range(a, z + 1)) % 2 == 0:
            break
        z -= 1
    # The parse hangs a closing '."' on the main verb: take it back when the content opened a quote.
    if a <= z and sum(doc[i].text in _QUOTE_CHARS for i in range(a, z + 1)) % 2 == 1:
        k = z + 1
        while k < len(doc) and k <= z + 2 and doc[k].is_punct:
            if doc[k].text in _QUOTE_CHARS:
                z = k
                break
            k += 1
    return a, z


def _speaker(
    fields: Mapping[str, str], b: int, block: Block, subject: Token, table: ActorTable
) -> tuple[Span, int | None, str | None]:
    """The words naming the speaker, preferring the name part, and the actor they resolve to.

    "Kremlin spokesperson Dmitry Peskov" -> "Dmitry Peskov"; "the Telegraph newspaper" -> "Telegraph";
    "he" -> the last person who was a subject; "a spokesperson for Downing Street" -> Downing Street.
    """
    if (
        subject.lower_ in _RELATIVES
        and subject.head.dep_ == "relcl"
        and subject.head.head.i != subject.head.i
    ):
        # "an architect who said he was never paid": the mention is "who" (the words of the clause
        # that name the speaker), the speaker is the actor the clause hangs from.
        antecedent = subject.head.head
        span = token_span(fields, block, subject, subject)
        actor = table.actor_at(b, antecedent)
        if actor is None and pronoun_kind(antecedent) is not None:
            actor = table.resolve_pronoun(b, antecedent, pronoun_kind(antecedent) or "person")
        if actor is None:
            found = next(
                (t for t in antecedent.subtree if t.i < subject.i and table.actor_at(b, t) is not None), None
            )
            actor = None if found is None else table.actor_at(b, found)
        return span, actor, _kind(table, actor)
    kind = pronoun_kind(subject)
    if kind is not None:
        actor = table.resolve_pronoun(b, subject, kind)
        span = token_span(fields, block, subject, subject)
        return span, actor, _kind(table, actor)
    found = table.token_mention.get((b, subject.i))
    if found is not None:
        actor = table.actor_at(b, subject)
        return found, actor, _kind(table, actor)
    candidates = [t for t in _subject_phrase(subject) if (b, t.i) in table.token_mention]
    preferred = [t for t in candidates if t.dep_ == "pobj" and t.head.lower_ in {"for", "of"}]
    for token in preferred or candidates:
        actor = table.actor_at(b, token)
        return table.token_mention[(b, token.i)], actor, _kind(table, actor)
    # No name in it: the whole phrase, clauses included, as human annotators mark a source
    # ("Sen. Bernie Sanders (Vt.), who lost the primaries to Clinton"; measured on PolNeAR).
    return token_span(fields, block, subject.left_edge, subject.right_edge), None, None


_CLAUSE_DEPS = frozenset({"relcl", "acl", "advcl", "ccomp", "parataxis"})


def _subject_phrase(subject: Token) -> list[Token]:
    """The subject's own words: its subtree without the clauses hanging from it and without words in
    parentheses, where a name is not the speaker ("protesters, near the stadium where the Charlotte
    Panthers played, chanting"; "Gov. John Kasich (R-OH) said")."""
    found: list[Token] = []
    stack = [subject]
    while stack:
        token = stack.pop()
        found.append(token)
        stack.extend(c for c in token.children if c.dep_ not in _CLAUSE_DEPS)
    depth, kept = 0, []
    for token in sorted(found, key=lambda t: t.i):
        if token.text == "(":
            depth += 1
        elif token.text == ")":
            depth = max(0, depth - 1)
        elif depth == 0:
            kept.append(token)
    return kept


def _kind(table: ActorTable, actor: int | None) -> str | None:
    return None if actor is None else table.actors[actor].kind
