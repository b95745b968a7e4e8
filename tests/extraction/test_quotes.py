from __future__ import annotations

import pytest

from app.extraction import Extractor
from tests.extraction.conftest import assert_offsets, speaker_name

pytestmark = pytest.mark.slow

# body, then per quote: (kind, content, content start, cue, speaker mention, resolved speaker)
QUOTES = [
    (
        '"We will not send our soldiers into a war we did not start," Chancellor Olaf Scholz told MPs.',
        [
            (
                "direct",
                "We will not send our soldiers into a war we did not start,",
                1,
                "told",
                "Olaf Scholz",
                "Olaf Scholz",
            )
        ],
    ),
    (
        '"The talks were constructive," Yermak said. "We expect a second round next week."',
        [
            ("direct", "The talks were constructive,", 1, "said", "Yermak", "Yermak"),
            ("direct", "We expect a second round next week.", 45, None, "Yermak", "Yermak"),
        ],
    ),
    (
        "Finance Minister Rachel Reeves said on Monday that the budget would protect working people.",
        [
            (
                "indirect",
                "the budget would protect working people",
                51,
                "said",
                "Rachel Reeves",
                "Rachel Reeves",
            )
        ],
    ),
    (
        "Peskov, the Kremlin spokesman, told reporters that Moscow had received no proposal.",
        [("indirect", "Moscow had received no proposal", 51, "told", "Peskov", "Peskov")],
    ),
    (
        "Kremlin spokesman Dmitry Peskov spoke to reporters on Monday. "
        "The Kremlin spokesman said the talks had stalled.",
        [("indirect", "the talks had stalled", 89, "said", "The Kremlin spokesman", "Dmitry Peskov")],
    ),
    (
        'Union leaders said they were "deeply disappointed" by the offer.',
        [("mixed", 'they were "deeply disappointed" by the offer', 19, "said", "Union leaders", None)],
    ),
    (
        "The report was published on Monday, the Guardian reported.",
        [("indirect", "The report was published on Monday", 0, "reported", "Guardian", "The Guardian")],
    ),
    (
        "According to three officials familiar with the matter, the ministry has frozen the contract.",
        [
            (
                "indirect",
                "the ministry has frozen the contract",
                55,
                "According to",
                "three officials familiar with the matter",
                None,
            )
        ],
    ),
    (
        "Dmitry Peskov spoke first. “This is a very dangerous step,” he said.",
        [("direct", "This is a very dangerous step,", 28, "said", "he", "Dmitry Peskov")],
    ),
    (
        "Bill Clinton visited Kenya in 1998. Hillary Clinton travelled to Kenya in 2009. "
        "Clinton said the visit had strengthened ties with Nairobi.",
        [
            (
                "indirect",
                "the visit had strengthened ties with Nairobi",
                93,
                "said",
                "Clinton",
                "Hillary Clinton",
            )
        ],
    ),
    # A belief with a clause.
    (
        "Senator Maria Lopez believes the new tax will drive businesses out of the state.",
        [
            (
                "indirect",
                "the new tax will drive businesses out of the state",
                29,
                "believes",
                "Maria Lopez",
                "Maria Lopez",
            )
        ],
    ),
    # An intention: a to-infinitive.
    (
        "Mayor Tom Harris wants to close the bridge to lorries by the summer.",
        [
            (
                "indirect",
                "to close the bridge to lorries by the summer",
                23,
                "wants",
                "Tom Harris",
                "Tom Harris",
            )
        ],
    ),
    # A demand addressed to someone: object and infinitive.
    (
        "The union urged ministers to reopen talks on pay.",
        [("indirect", "ministers to reopen talks on pay", 16, "urged", "The union", None)],
    ),
    # A prepositional cue.
    (
        "Opposition leader Sarah Holt called for an inquiry into the contract.",
        [("indirect", "an inquiry into the contract", 40, "called", "Sarah Holt", "Sarah Holt")],
    ),
    # A parenthetical cue inside the clause it reports.
    (
        "The deal, officials said, would be signed next week.",
        [("indirect", "The deal, officials said, would be signed next week", 0, "said", "officials", None)],
    ),
    # A clause with no "that": the phrase before its subject belongs to the cue.
    (
        "Tom Harris said after the meeting he would not resign.",
        [("indirect", "he would not resign", 34, "said", "Tom Harris", "Tom Harris")],
    ),
    # The parser ends the sentence at '?"': the cue is in the next one.
    (
        '"Is this really the best we can do?" Sarah Holt asked.',
        [("direct", "Is this really the best we can do?", 1, "asked", "Sarah Holt", "Sarah Holt")],
    ),
    # The model makes "Thanks" a subject of "said" too.
    (
        '"Thanks, Leeds, for the warm welcome," said Mayor Tom Harris.',
        [("direct", "Thanks, Leeds, for the warm welcome,", 1, "said", "Tom Harris", "Tom Harris")],
    ),
    # A quoted complement is a direct quote.
    (
        'Sarah Holt says "the budget is a missed opportunity for the north."',
        [
            (
                "direct",
                "the budget is a missed opportunity for the north.",
                17,
                "says",
                "Sarah Holt",
                "Sarah Holt",
            )
        ],
    ),
    # A quoted object.
    (
        'Hundreds of nurses marched through the city, chanting "No more cuts."',
        [("direct", "No more cuts.", 55, "chanting", "Hundreds of nurses", None)],
    ),
    # An object verb with a quoted fragment.
    (
        'Tom Harris praised the volunteers for their "extraordinary courage."',
        [
            (
                "mixed",
                'the volunteers for their "extraordinary courage."',
                19,
                "praised",
                "Tom Harris",
                "Tom Harris",
            )
        ],
    ),
    # A colon before the quote.
    (
        'Sarah Holt said in a statement: "We will appeal the ruling."',
        [("direct", "We will appeal the ruling.", 33, "said", "Sarah Holt", "Sarah Holt")],
    ),
    # A relative clause: the mention is "who", the speaker the actor it stands for (PolNeAR's source).
    (
        "The deal was signed by Tom Harris, who said he was never paid.",
        [("indirect", "he was never paid", 44, "said", "who", "Tom Harris")],
    ),
    # A quote signed with a dash at the end of the paragraph.
    (
        '"The plan will make the streets safer for everyone." \u2015 Carla Sanchez',
        [
            (
                "direct",
                "The plan will make the streets safer for everyone.",
                1,
                None,
                "Carla Sanchez",
                "Carla Sanchez",
            )
        ],
    ),
    # A transcript turn: the name in capitals is the mention, the surname finds the actor.
    (
        'Sarah Holt spoke.\n\n"HOLT: We will not give up on this town."',
        [("direct", "We will not give up on this town.", 26, None, "HOLT", "Sarah Holt")],
    ),
    # A quote too short to be a quoted sentence is still the one the next quoted sentence goes on from.
    (
        'Sarah Holt left early. "It is over," she said of the vote. "In my head, anyway."',
        [
            ("indirect", "It is over", 24, "said", "she", "Sarah Holt"),
            ("direct", "In my head, anyway.", 60, None, "she", "Sarah Holt"),
        ],
    ),
    (
        'Tom Harris paused. "We will keep going until the bridge is open," he continued.',
        [("direct", "We will keep going until the bridge is open,", 20, "continued", "he", "Tom Harris")],
    ),
    # One paragraph of signed quotes, one a line.
    (
        'Readers wrote to us.\n"She has my vote in November." \u2015 Maria Lopez\n'
        '"He scares me and my family." \u2015 Tom Harris',
        [
            ("direct", "She has my vote in November.", 22, None, "Maria Lopez", "Maria Lopez"),
            ("direct", "He scares me and my family.", 67, None, "Tom Harris", "Tom Harris"),
        ],
    ),
    # A transcript whose turns are lines of one paragraph; a quoted turn that runs on ends with its line.
    (
        'Sarah Holt spoke.\n\n"HOLT: We will not give up on this town.\n'
        "HARRIS: I disagree with every word of that.",
        [
            ("direct", "We will not give up on this town.", 26, None, "HOLT", "Sarah Holt"),
            ("indirect", "I disagree with every word of that.", 68, None, "HARRIS", None),
        ],
    ),
    # A participle cue with no subject of its own: who asked is not said.
    (
        "Asked to describe the device, Tom Harris said it was a small bomb.",
        [
            ("indirect", "to describe the device", 6, "Asked", None, None),
            ("indirect", "it was a small bomb", 46, "said", "Tom Harris", "Tom Harris"),
        ],
    ),
    # A quote whose nearest cue reports the speaker again by pronoun is the outer speaker's.
    (
        'Sarah Holt said she recalled thinking, "This is what people have talked about for years."',
        [
            (
                "direct",
                "This is what people have talked about for years.",
                40,
                "said",
                "Sarah Holt",
                "Sarah Holt",
            )
        ],
    ),
    # "continue" is a cue for a quoted sentence only: the clause is not cut at it. A belief, wish or
    # act inside a clause someone reports is part of that quote, not one of its own.
    (
        'Sarah Holt said she expects the campaign "to continue calling out bias."',
        [
            (
                "mixed",
                'she expects the campaign "to continue calling out bias."',
                16,
                "said",
                "Sarah Holt",
                "Sarah Holt",
            ),
        ],
    ),
    (
        "Sarah Holt said Tom Harris doesn't show concern for the library.",
        [
            (
                "indirect",
                "Tom Harris doesn't show concern for the library",
                16,
                "said",
                "Sarah Holt",
                "Sarah Holt",
            )
        ],
    ),
    (
        "Tom Harris said he wanted to reopen the library.",
        [("indirect", "he wanted to reopen the library", 16, "said", "Tom Harris", "Tom Harris")],
    ),
    # Cues of quoted sentences only, with their particle.
    (
        "Tom Harris spoke first. "
        '"Voters reject the old guard every time they get the chance," he points out.',
        [
            (
                "direct",
                "Voters reject the old guard every time they get the chance,",
                25,
                "points out",
                "he",
                "Tom Harris",
            )
        ],
    ),
    ("The talks went on for hours and nobody pointed out the cost.", []),
    # A quoted title after a quote is not its continuation.
    (
        "\"We will win this fight,\" Tom Harris said. He wrote a column in May. 'Legend of the Coal Fields.'",
        [("direct", "We will win this fight,", 1, "said", "Tom Harris", "Tom Harris")],
    ),
    # A colon hands the words to the subject of the clause it ends, whatever its verb.
    (
        'Mayor Sadiq Khan then turned to the crowd: "We will rebuild this bridge by spring."',
        [("direct", "We will rebuild this bridge by spring.", 44, "then turned", "Sadiq Khan", "Sadiq Khan")],
    ),
    # A colon after a phrase with no subject hands nothing: the quote runs on from the one before.
    (
        '"We will rebuild this bridge by spring," Sadiq Khan said. '
        'In his words: "No one will be left behind."',
        [
            ("direct", "We will rebuild this bridge by spring,", 1, "said", "Sadiq Khan", "Sadiq Khan"),
            ("direct", "No one will be left behind.", 73, None, "Sadiq Khan", "Sadiq Khan"),
        ],
    ),
    ('In full: "We will rebuild this bridge by spring."', []),
    # The speaker is not a name in a clause hanging from the subject (the mention is the whole
    # subject, as PolNeAR's annotators mark a source).
    (
        'Protesters outside the hall where Barack Obama spoke chanted, "We want the truth now."',
        [
            (
                "direct",
                "We want the truth now.",
                63,
                "chanted",
                "Protesters outside the hall where Barack Obama spoke",
                None,
            )
        ],
    ),
    # Nothing to find: a note or a dateline before a colon is not a speaker.
    ("CLARIFICATION: The first line has been corrected.", []),
    ("WASHINGTON: The council met on Tuesday to discuss the budget.", []),
    # Nothing to find: a book title, a nickname, scare quotes, no speech at all.
    ('His memoir "A Promised Land" sold millions of copies in its first year.', []),
    ('Dwayne "The Rock" Johnson starred in the film alongside Emily Blunt.', []),
    ('The so-called "peace plan" drew crowds to the square on Saturday.', []),
    ("The council met on Tuesday to discuss the budget and approved a new library.", []),
    # Praise with no quotation marks is a position, not a quote.
    ("Tom Harris praised the volunteers for their work.", []),
    # An act of saying reported through its object or a phrase about what it was about: the
    # weakest kind of quote, the last rule tried.
    (
        "Senator Maria Lopez blasted the new toll as a tax on working families.",
        [
            (
                "indirect",
                "the new toll as a tax on working families",
                28,
                "blasted",
                "Maria Lopez",
                "Maria Lopez",
            )
        ],
    ),
    (
        "The mayor's office cited a 2019 study of traffic on the bridge.",
        [("indirect", "a 2019 study of traffic on the bridge", 25, "cited", "The mayor's office", None)],
    ),
    (
        "Tom Harris pointed out the cost of the bridge.",
        [("indirect", "the cost of the bridge", 23, "pointed out", "Tom Harris", "Tom Harris")],
    ),
    (
        "Sarah Holt talked about the flood at a meeting on Tuesday.",
        [("indirect", "about the flood", 18, "talked", "Sarah Holt", "Sarah Holt")],
    ),
    # Nothing to find: no act of saying, or none by the subject, or only when and where it was.
    ("Sarah Holt told reporters on Monday.", []),
    ("Tom Harris spoke in Leeds on Saturday.", []),
    ("Tom Harris showed up late to the meeting.", []),
    ("The figures were released on Friday.", []),
    ("Nobody cited the study.", []),
    ("Sarah Holt wrote a column in May.", []),
    ("Tom Harris found a job in Leeds.", []),
    ("The bridge is expected to cost more than 40 million pounds.", []),
    # A wish with no infinitive.
    ("Sarah Holt wants a new car.", []),
]


@pytest.mark.parametrize(("body", "expected"), QUOTES, ids=[q[0][:40] for q in QUOTES])
def test_quotes(
    extractor: Extractor, body: str, expected: list[tuple[str, str, int, str | None, str | None, str | None]]
) -> None:
    fields = {"body": body}
    facts = extractor.extract(fields)
    found = [
        (
            q.kind,
            q.content.text,
            q.content.start,
            q.cue.text if q.cue else None,
            q.speaker_mention.text if q.speaker_mention else None,
            speaker_name(facts, q.speaker),
        )
        for q in facts.quotes
    ]
    assert found == expected
    assert_offsets(fields, facts)


def test_headline_attribution(extractor: Extractor) -> None:
    fields = {"title": "Plan to close the border 'reckless': Germany", "body": "Germany criticised the plan."}
    facts = extractor.extract(fields)
    headline = [q for q in facts.quotes if q.content.field == "title"]
    assert [(q.kind, q.content.text, q.cue, speaker_name(facts, q.speaker)) for q in headline] == [
        ("mixed", "'reckless'", None, "Germany")
    ]
    assert_offsets(fields, facts)


def test_quote_running_over_paragraphs(extractor: Extractor) -> None:
    body = (
        '"We are ready to talk," Lavrov said.\n\n'
        '"The first paragraph of a long statement goes on here\n\n'
        '"and the second paragraph ends it."'
    )
    facts = extractor.extract({"body": body})
    assert [(q.kind, speaker_name(facts, q.speaker)) for q in facts.quotes] == [("direct", "Lavrov")] * 3
    assert facts.quotes[1].content.text == "The first paragraph of a long statement goes on here"


def test_act_quotes_rank_below_reported_speech(extractor: Extractor) -> None:
    facts = extractor.extract(
        {"body": "Senator Maria Lopez blasted the new toll. She said it would hurt working families."}
    )
    assert [(q.cue.text if q.cue else None, q.confidence) for q in facts.quotes] == [
        ("blasted", 0.5),
        ("said", 0.75),
    ]
