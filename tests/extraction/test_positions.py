from __future__ import annotations

import pytest
import spacy

from app.extraction import Extractor
from app.extraction.pipeline import verb_lemmas
from app.extraction.positions import stance_toward
from app.extraction.topics import TopicIndex, best_match, similarity
from tests.extraction.conftest import assert_offsets

# body, expected positions as (actor, stance, claim, topic label)
POSITIONS = [
    (
        "Hungary opposes Ukraine's accession to NATO.",
        [("Hungary", "oppose", "Ukraine's accession to NATO", "Ukraine's NATO membership")],
    ),
    (
        "Moscow does not support the deployment of peacekeepers in Ukraine.",
        [("Russia", "oppose", "the deployment of peacekeepers in Ukraine", "foreign troops in Ukraine")],
    ),
    (
        "Paris would not rule out sending troops to Ukraine, President Emmanuel Macron said.",
        [("France", "neutral", "sending troops to Ukraine", "foreign troops in Ukraine")],
    ),
    (
        "Germany rejected the idea that European servicemen could be deployed in Ukraine.",
        [
            (
                "Germany",
                "oppose",
                "European servicemen could be deployed in Ukraine",
                "foreign troops in Ukraine",
            )
        ],
    ),
    (
        "The European Commission warned against lifting sanctions on Russia.",
        [("European Commission", "warn", "lifting sanctions on Russia", "sanctions on Russia")],
    ),
    (
        "Finland said it was ready to put its troops on the ground in Ukraine.",
        [("Finland", "support", "put its troops on the ground in Ukraine", "foreign troops in Ukraine")],
    ),
    (
        "The Confederation of British Industry called for a cut in interest rates.",
        [("Confederation of British Industry", "demand", "a cut in interest rates", "interest rates")],
    ),
    (
        "The Bank of England warned against raising interest rates too quickly.",
        [("Bank of England", "warn", "raising interest rates too quickly", "interest rates")],
    ),
    (
        "Labour backed a ban on smoking in pubs and restaurants.",
        [("Labour Party", "support", "a ban on smoking in pubs and restaurants", "smoking ban")],
    ),
    (
        "The Conservatives opposed the government's plans for ID cards.",
        [("Conservative Party", "oppose", "the government's plans for ID cards", "ID cards")],
    ),
    (
        "Japan rejected US demands for tariffs on its electronics exports.",
        [
            (
                "Japan",
                "oppose",
                "US demands for tariffs on its electronics exports",
                "tariffs and trade barriers",
            )
        ],
    ),
    ("The council met on Tuesday to discuss the budget.", []),
    ("Sales rose 5% in the third quarter, the company said.", []),
    # A claim that names no issue ("the move") is about the article's issue, wherever that is named;
    # with no issue in the article there is nothing to file it under.
    (
        "British Airways rejected the move. The Treasury proposed a tax on jet fuel.",
        [
            ("British Airways", "oppose", "the move", "taxes"),
            ("Treasury", "propose", "a tax on jet fuel", "taxes"),
        ],
    ),
    ("British Airways rejected the move.", []),
    ("Ryanair welcomed the new contract.", []),
    # A head phrase outside the concepts names an issue with a noun modifier (compounds of compounds
    # included, an action noun's object taken in) or as an action noun used generically.
    (
        "The Liberal Democrats backed stem cell research.",
        [("Liberal Democrats", "support", "stem cell research", "stem cell research")],
    ),
    # The label keeps the words as written; the key meets "Heathrow expansion" all the same.
    (
        "Labour backed the expansion of Heathrow.",
        [("Labour Party", "support", "the expansion of Heathrow", "expansion of Heathrow")],
    ),
    (
        "The Liberal Democrats backed the wording of the draft bill.",
        [("Liberal Democrats", "support", "the wording of the draft bill", "wording of draft bill")],
    ),
    (
        "Labour backed a $100m rail subsidy.",
        [("Labour Party", "support", "a $100m rail subsidy", "rail subsidy")],
    ),
    # An amount says how much, not what of: no object of an action noun, no modifier; "yen" and
    # "dollar" there count money.
    (
        "NTT plans to make capital investments of 1,770 billion yen.",
        [("NTT", "support", "make capital investments of 1,770 billion yen", "capital investments")],
    ),
    (
        "Congress approved a 5 billion dollar aid package.",
        [("Congress", "support", "a 5 billion dollar aid package", "aid package")],
    ),
    # The lemmatizer makes "taxes" "taxis": the concept is found by the word itself.
    ("The Conservatives called for lower taxes.", [("Conservative Party", "demand", "lower taxes", "taxes")]),
    # A bare noun that points at something of the article, or names a thing, is no issue of its own.
    ("The Liberal Democrats opposed the sale.", []),
    ("The Liberal Democrats welcomed the ruling.", []),
    ("The Conservatives opposed the law.", []),
    ("Vodafone rejected the charges.", []),
    ("The Conservatives welcomed the savings.", []),
    ("SBC agreed to buy its former parent AT&T.", []),
    ("The Liberal Democrats called for more police on the streets.", []),
    # A bare action noun named an issue in few of the topics it made: left out like other bare nouns.
    ("The Liberal Democrats backed deregulation.", []),
    ("Mobil backed boosting production.", []),
    # "version" is no action noun, though "verse" is a verb: it takes no object in.
    ("The Liberal Democrats backed a new version of the bill.", []),
    # People (a title, an agent noun) hold positions rather than being an issue.
    ("The Conservatives opposed the health minister.", []),
    ("The Liberal Democrats criticised cable television operators.", []),
    ("The BBC proposed broadband users.", []),
    # An offer, a demand or a stance is what someone put forward: its content is the issue, not it.
    ("The Conservatives backed tender offers.", []),
    ("Fiat rejected the cash offer.", []),
    ("The Conservatives criticised the Liberal Democrat stance.", []),
    ("The Liberal Democrats rejected Tory demands for a curfew.", []),
    (
        "The Treasury proposed a tax on jet fuel. British Airways rejected the offer.",
        [
            ("Treasury", "propose", "a tax on jet fuel", "taxes"),
            ("British Airways", "oppose", "the offer", "taxes"),
        ],
    ),
    # A company's securities and payouts are its business, not an issue.
    ("Nestle backed a $100m share sale.", []),
    ("Vodafone proposed a minority stake in the operator.", []),
    # A concept's word modifying a security names the security; in a phrase of place it says where.
    ("The Federal Reserve backed interest rate swaps.", []),
    ("Japan offered dollar bonds.", []),
    ("Labour backed pension payouts.", []),
    (
        "Britain welcomed a bus link across the ceasefire line.",
        [("United Kingdom", "support", "a bus link across the ceasefire line", "bus link")],
    ),
    # Weapons governed by a treaty, talks or cuts are arms control, not arms supplies.
    (
        "The United States proposed a treaty on medium-range missiles.",
        [("United States", "propose", "a treaty on medium-range missiles", "arms control")],
    ),
    (
        "Moscow called for talks on the elimination of nuclear missiles.",
        [("Russia", "demand", "talks on the elimination of nuclear missiles", "arms control")],
    ),
    (
        "Gorbachev backed missile reductions in Europe.",
        [("Gorbachev", "support", "missile reductions in Europe", "arms control")],
    ),
    # A takeover is always of a company: with none named and no issue in the article, no position.
    ("Manchester United rejected the takeover.", []),
    # A concept's word in another sense: half of an adjective, a compound that makes another thing
    # of a narrow concept's word, a countable concept's word as a mass noun.
    ("Pittston agreed to acquire WTC International in a tax-free exchange of stock.", []),
    (
        "The EC warned against a costly trade war with Japan.",
        [("European Community", "warn", "a costly trade war with Japan", "trade war (Japan)")],
    ),
    (
        "Clayton Yeutter backed steps to cut the U.S. trade deficit.",
        [
            (
                "Clayton Yeutter",
                "support",
                "steps to cut the U.S. trade deficit",
                "U.S. trade deficit (United States)",
            )
        ],
    ),
    ("Goldsmith warned against the use of force against Iraq.", []),
    # Foreign troops go somewhere: a country's own ("its troops") or a work force is no deployment.
    ("Iran praised its troops.", []),
    ("Krupp welcomed the work force cuts.", []),
    # Who ships or bids is no target: "by", "from".
    (
        "Reagan backed arms shipments by Israel.",
        [("Reagan", "support", "arms shipments by Israel", "weapons supplies")],
    ),
    # Among names that may be the target, the first named, not the first in the alphabet.
    (
        "Trans World Airlines proposed a merger of USAir Group with Piedmont Aviation.",
        [
            (
                "Trans World Airlines",
                "propose",
                "a merger of USAir Group with Piedmont Aviation",
                "takeover of USAir Group",
            )
        ],
    ),
    # The ITA (a tin agreement) is no country's ISO code: not Italy.
    (
        "Malaysia backed an extension of the ITA.",
        [("Malaysia", "support", "an extension of the ITA", "extension of ITA")],
    ),
    # A label does not name its entity twice.
    (
        "USAir opposed the TWA control application.",
        [("USAir", "oppose", "the TWA control application", "TWA control application")],
    ),
    # Membership is of an organisation named in the claim or before it; a label names no other.
    ("Gorbachev proposed Soviet membership in the General Agreement on Tariffs and Trade.", []),
    ("France backed membership of NATO.", [("France", "support", "membership of NATO", "NATO membership")]),
    (
        "The Treasury proposed a tax on jet fuel. British Airways rejected the sale.",
        [
            ("Treasury", "propose", "a tax on jet fuel", "taxes"),
            ("British Airways", "oppose", "the sale", "taxes"),
        ],
    ),
    # A claim that neither names an issue nor points back at one says nothing of the article's.
    (
        "The Treasury proposed a tax on jet fuel. Heineken warned that earnings may slide.",
        [("Treasury", "propose", "a tax on jet fuel", "taxes")],
    ),
    (
        "The Treasury proposed a tax on jet fuel. Mr Brown backed science.",
        [("Treasury", "propose", "a tax on jet fuel", "taxes")],
    ),
    # The head word of the issue named last points back at it.
    (
        "India demanded the withdrawal of the film. Catholics backed its withdrawal.",
        [
            ("India", "demand", "the withdrawal of the film", "withdrawal of film"),
            ("Catholics", "support", "its withdrawal", "withdrawal of film"),
        ],
    ),
    # "budget" alone is a plan of spending, not a deficit: it names the deficit only in "budget
    # deficit"; with a name before it, the plan is an issue of its own.
    ("The Conservatives opposed Mr Darling's Budget.", []),
    ("Reagan opposed the Senate's new budget plan.", []),
    (
        "The Commission demanded that the EU budget be capped.",
        [("Commission", "demand", "the EU budget be capped", "EU budget (European Union)")],
    ),
    # Things counted are particular things (one deal), not an issue; a unit after a number is part
    # of the amount, not a modifier naming what the thing is about.
    ("Vodafone agreed to buy two Italian radio stations.", []),
    ("The World Bank approved a 45.2 mln dlr loan.", []),
    # A possessive pronoun makes the phrase its holder's own matter.
    ("Lloyds agreed to change its lending practices.", []),
    # A company's payouts written with a hyphen are payouts all the same.
    ("Ofcom said it would not rule out pay-outs.", []),
    # Who stations troops is the sender, not where they go: the target is the one named before.
    ("Saudi Arabia refused to acknowledge that the United States has stationed forces.", []),
    (
        "France backed sending troops to Chad. Libya warned that France would deploy more troops.",
        [
            ("France", "support", "sending troops to Chad", "foreign troops in Chad"),
            ("Libya", "warn", "France would deploy more troops", "foreign troops in Chad"),
        ],
    ),
    # A modifier can make a concept's word another thing: a military strike, a fuel tank.
    ("The Senate backed the President's retaliatory strike on the rebels.", []),
    ("Ford proposed larger fuel tanks.", [("Ford", "propose", "larger fuel tanks", "fuel tanks")]),
    # Read in another sense, the word names a topic of its own, and "the strike" after it is that
    # strike again.
    (
        "The Senate backed an air strike on Iranian targets. Senator John Smith backed the strike.",
        [
            ("Senate", "support", "an air strike on Iranian targets", "air strike (Iran)"),
            ("John Smith", "support", "the strike", "air strike (Iran)"),
        ],
    ),
    (
        "The President ordered an air strike on Iranian targets. Senator John Smith backed the strike.",
        [],
    ),
    # Who a bill requires to act is not what it is about.
    (
        "The House backed a bill that requires the Bush administration to send Congress a study.",
        [],
    ),
    # A light word after a frame noun says how many of what: the issue is what follows it.
    ("Ford proposed an increase in the number of shares.", []),
    (
        "The Liberal Democrats backed an increase in the number of police officers.",
        [
            (
                "Liberal Democrats",
                "support",
                "an increase in the number of police officers",
                "increase in police officers",
            )
        ],
    ),
    # What is offered, sold, launched or built is a product, unless it is a measure.
    ("Sony plans to offer positional 3D audio.", []),
    ("Nokia plans to launch a new music phone.", []),
    ("Boeing agreed to build a new assembly plant.", []),
    (
        "Sony offered 3D audio. The Treasury offered investment incentives.",
        [("Treasury", "propose", "investment incentives", "investment incentives")],
    ),
    # Whatever is bought or sold is a company's business, an action noun too.
    ("Ferruzzi agreed to buy the Dutch sugar operation.", []),
    # Rates, rebates, accords and the like are measures, offered or not.
    (
        "Sony offered 3D audio. The Agriculture Department offered a loan rate of 18 cents.",
        [("Agriculture Department", "propose", "a loan rate of 18 cents", "loan rate")],
    ),
    (
        "Sony offered 3D audio. The Commission offered export rebates.",
        [("Commission", "propose", "export rebates", "export rebates")],
    ),
    (
        "Sony offered 3D audio. Baker backed the Paris accord.",
        [("Baker", "support", "the Paris accord", "Paris accord")],
    ),
    # A light verb's form says when, not what about; opportunities, predictions and grounds are
    # light words too.
    ("Shell approved starting production.", []),
    ("Mexico backed the business opportunities.", []),
    ("Paul O'Connell dismissed predictions of an easy Irish victory.", []),
    ("Kevin Corner opposed safety grounds.", []),
    # Nations and countries are who takes sides, like people.
    ("The United States urged banks to step up lending to major debtor nations.", []),
    # A product's word names the concept that restricts it only under a restriction.
    (
        "Philip Morris warned that cigarette sales would fall. Labour backed a ban on tobacco advertising.",
        [
            ("Philip Morris", "warn", "cigarette sales would fall", "cigarette sales"),
            ("Labour Party", "support", "a ban on tobacco advertising", "smoking ban"),
        ],
    ),
    ("RJR Nabisco plans to sell its tobacco unit.", []),
    # A name before the head says whose thing it is; an action or frame noun may take it as object.
    ("Gerard Houllier praised the Benitez regime.", []),
    ("David O'Leary agreed a new Villa contract.", []),
    (
        "Gerard Houllier praised the Benitez regime. Clare Short demanded a Lords inquiry.",
        [("Clare Short", "demand", "a Lords inquiry", "Lords inquiry")],
    ),
    # What happens to one person is not an issue others take sides on.
    ("Michael Ancram opposed the appointment of Helen Liddell.", []),
    # A country's strike is its forces', not a walkout.
    ("The Senate backed the U.S. strike against Iranian targets.", []),
    (
        "The Senate backed the U.S. strike on Iran. Mark Serwotka warned of a national strike.",
        [("Mark Serwotka", "warn", "a national strike", "strikes")],
    ),
    # A concept's word met in passing: why a state is so, what it is compared with, a comment set
    # beside the clause. The model reads "rate rises" as a verb conjoined to the copula.
    (
        "Lloyds warned that growth may be slower next year on the back of weaker exports and the "
        "impact of interest rate rises on consumer spending.",
        [],
    ),
    ("Lloyds warned that profits would be lower because of higher interest rates.", []),
    (
        "Lloyds warned that higher interest rates may be damaging.",
        [("Lloyds", "warn", "higher interest rates may be damaging", "interest rates")],
    ),
    ("Greenpeace warned that the treaty was cheaper than using tanks.", []),
    (
        "Greenpeace warned that tanks were cheaper than diplomacy.",
        [("Greenpeace", "warn", "tanks were cheaper than diplomacy", "weapons supplies")],
    ),
    (
        "Countries that ignore the rules could be taken to court, a step that could lead to sanctions, "
        "the European Commission warned.",
        [],
    ),
    (
        "The European Commission warned that sanctions could follow.",
        [("European Commission", "warn", "sanctions could follow", "sanctions")],
    ),
    # The adjective's own clause is what is said, and so is a second clause with its own "that".
    (
        "The Treasury warned that the government was likely to raise taxes.",
        [("Treasury", "warn", "the government was likely to raise taxes", "taxes")],
    ),
    (
        "Amnesty International warned that the plan could be illegal and that it would be safer to seek "
        "a resolution sanctioning military action.",
        [
            (
                "Amnesty International",
                "warn",
                "the plan could be illegal and that it would be safer to seek a resolution sanctioning "
                "military action",
                "war",
            ),
            ("Amnesty International", "oppose", "the plan", "war"),
        ],
    ),
]


@pytest.mark.slow
@pytest.mark.parametrize(("body", "expected"), POSITIONS, ids=[p[0][:40] for p in POSITIONS])
def test_positions(extractor: Extractor, body: str, expected: list[tuple[str, str, str, str]]) -> None:
    fields = {"body": body}
    facts = extractor.extract(fields)
    found = [(facts.actors[p.actor].name, p.stance, p.claim.text, p.topic_label) for p in facts.positions]
    assert found == expected
    assert_offsets(fields, facts)


@pytest.mark.slow
def test_same_topic_in_different_words(extractor: Extractor) -> None:
    body = (
        "Russia opposes NATO troops in Ukraine.\n\n"
        "Britain is ready and willing to put UK troops on the ground in Ukraine.\n\n"
        "France backed sending European peacekeepers to Ukraine."
    )
    facts = extractor.extract({"body": body})
    assert {(facts.actors[p.actor].name, p.stance, p.topic_key, p.topic_label) for p in facts.positions} == {
        ("Russia", "oppose", "troops|ukraine", "foreign troops in Ukraine"),
        ("United Kingdom", "support", "troops|ukraine", "foreign troops in Ukraine"),
        ("France", "support", "troops|ukraine", "foreign troops in Ukraine"),
    }


@pytest.mark.slow
def test_claim_with_no_issue_is_less_sure_of_its_topic(extractor: Extractor) -> None:
    facts = extractor.extract(
        {"body": "The Treasury proposed a tax on jet fuel. British Airways rejected the move."}
    )
    assert [(p.claim.text, p.topic_key, p.confidence) for p in facts.positions] == [
        ("a tax on jet fuel", "taxes", 0.8),
        ("the move", "taxes", 0.64),
    ]


@pytest.mark.slow
def test_a_position_says_whether_its_topic_is_a_concept(extractor: Extractor) -> None:
    # A concept of topics.json is an issue by construction, a head phrase may not be: /topics ranks
    # the first before the second among topics argued in as many articles. A claim filed under the
    # article's issue ("the move") is of that issue's kind.
    facts = extractor.extract(
        {
            "body": "The Treasury proposed a tax on jet fuel. British Airways rejected the move. "
            "Labour backed the expansion of Heathrow."
        }
    )
    assert [(p.claim.text, p.topic_label, p.topic_concept) for p in facts.positions] == [
        ("a tax on jet fuel", "taxes", True),
        ("the move", "taxes", True),
        ("the expansion of Heathrow", "expansion of Heathrow", False),
    ]


def _found(extractor: Extractor, body: str) -> list[tuple[str, str, str, str]]:
    facts = extractor.extract({"body": body})
    return [(facts.actors[p.actor].name, p.stance, p.claim.text, p.topic_label) for p in facts.positions]


@pytest.mark.slow
def test_a_name_after_for_says_whom_a_measure_is_for(extractor: Extractor) -> None:
    # A poll's question put for a newspaper: the ban is not the Mail's topic; with a ban named before
    # in the article, "the ban" is that one, and with none there is nothing to file it under.
    ban = "The Countryside Alliance opposed the ban for the Mail on Sunday."
    assert _found(extractor, ban) == []
    assert _found(extractor, f"Labour backed a ban on hunting. {ban}") == [
        ("Labour Party", "support", "a ban on hunting", "hunting ban"),
        ("Countryside Alliance", "oppose", "the ban for the Mail", "hunting ban"),
    ]
    # A place, a payment's recipient and a common noun are still what the measure is about.
    assert _found(extractor, "The Treasury demanded a rebate for Britain.") == [
        ("Treasury", "demand", "a rebate for Britain", "rebate for Britain (United Kingdom)")
    ]
    assert _found(extractor, "Boeing opposed the subsidies for Airbus.") == [
        ("Boeing", "oppose", "the subsidies for Airbus", "subsidies for Airbus")
    ]
    assert _found(extractor, "Unison demanded a ban for nurses.") == [
        ("Unison", "demand", "a ban for nurses", "ban for nurses")
    ]


CLIMATE = ["climate change", "global warming", "warming", "greenhouse gas", "emissions", "seas"]
# sentence, stance toward "climate change is a serious concern"
TARGET_STANCES = [
    ("Climate change is a hoax invented by scientists.", "disagree"),
    ("Global warming is not real.", "disagree"),
    ("There has been no warming for a decade.", "disagree"),
    ("Humans are not to blame for climate change.", "disagree"),
    ("Rising seas are a direct threat to coastal cities, the report warned.", "agree"),
    ("Greenhouse gas emissions are driving dangerous warming.", "agree"),
    ("Global warming is real and it is happening now.", "agree"),
    ("The minister said the committee would meet on Monday to discuss climate policy.", "neutral"),
    ("The conference on global warming opens in Madrid next week.", "neutral"),
]


@pytest.mark.slow
def test_concept_without_target_in_label_is_one_topic(extractor: Extractor) -> None:
    # The UK is the target, but the label ("immigration and asylum") does not say so: keyed by it, the
    # claim would make a second topic of the same name.
    facts = extractor.extract({"body": "The Conservatives demanded limits on immigration into the UK."})
    assert [(p.claim.text, p.topic_key, p.topic_label) for p in facts.positions] == [
        ("limits on immigration into the UK", "immigration", "immigration and asylum")
    ]


def test_action_nouns_need_the_models_verbs() -> None:
    assert verb_lemmas(spacy.blank("en")) == frozenset()


@pytest.mark.slow
def test_stance_toward(extractor: Extractor) -> None:
    texts = [text for text, _ in TARGET_STANCES]
    found = stance_toward(extractor.nlp, texts, CLIMATE, extractor.lexicon)
    assert [(text, s.label) for text, s in zip(texts, found, strict=True)] == TARGET_STANCES


def test_similar_keys_join_and_others_do_not() -> None:
    assert similarity("interest rates|united states", "interest rates") == pytest.approx(2 / 3)
    assert best_match("interest rates|united states", [(1, "troops|ukraine"), (2, "interest rates")]) == 2
    assert best_match("troops|russia", [(1, "troops|ukraine")]) is None
    # One concept word and an entity is a different deal from the concept alone, or another entity's.
    assert best_match("takeover|mci", [(1, "takeover"), (2, "takeover|at&t")]) is None
    assert best_match("budget deficit|greece", [(1, "budget deficit")]) == 1
    assert best_match("troops|ukraine", [(3, "troops|ukraine"), (1, "troops")]) == 3


def test_topic_index_grows_without_renumbering() -> None:
    index = TopicIndex()
    assert index.assign("troops|ukraine", "foreign troops in Ukraine") == 0
    assert index.assign("interest rates", "interest rates") == 1
    assert index.assign("interest rates|united kingdom", "interest rates (United Kingdom)") == 1
    assert index.assign("smoking ban", "smoking ban") == 2
    assert index.assign("troops|ukraine", "foreign troops in Ukraine") == 0
    assert index.labels == ["foreign troops in Ukraine", "interest rates", "smoking ban"]


def test_topic_index_keeps_the_kind_a_topic_was_made_with() -> None:
    index = TopicIndex()
    assert index.assign("interest rates", "interest rates", concept=True) == 0
    assert index.assign("cash bid|lse", "cash bid (LSE)") == 1
    assert index.assign("interest rates|united kingdom", "interest rates (United Kingdom)") == 0
    assert index.concepts == [True, False]
