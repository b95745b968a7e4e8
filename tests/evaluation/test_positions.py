from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.evaluation.positions import TopicSize, topic_report
from app.settings import get_settings


@pytest.mark.slow
def test_topic_report_skips_the_first_articles(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus.jsonl"
    articles = [
        {"title": "Smoking", "body": "Labour backed a ban on smoking in pubs and restaurants."},
        {"title": "Cards", "body": "The Conservatives opposed the government's plans for ID cards."},
    ]
    corpus.write_text("".join(json.dumps(a) + "\n" for a in articles), encoding="utf-8")
    report = topic_report(corpus, get_settings().spacy_model, limit=None, top=5, processes=1, offset=1)
    lines = report.splitlines()
    assert lines[0] == (
        "Topics in corpus.jsonl: 1 articles after the first 1, 1 positions, 1 topics "
        "(0 in more than one article, 1 with one position)"
    )
    assert lines[2].split() == ["1", "1", "ID", "cards", "[id", "cards]"]


@pytest.mark.slow
def test_topic_report_reads_a_repeated_text_once(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus.jsonl"
    pubs = {"title": "Pubs", "body": "Labour backed a ban on smoking in pubs."}
    restaurants = {
        "title": "Restaurants",
        "body": "The Liberal Democrats backed a ban on smoking in restaurants.",
    }
    articles = [pubs, restaurants, pubs]
    corpus.write_text("".join(json.dumps(a) + "\n" for a in articles), encoding="utf-8")
    report = topic_report(corpus, get_settings().spacy_model, limit=None, top=5, processes=1)
    lines = report.splitlines()
    assert lines[0] == (
        "Topics in corpus.jsonl: 2 articles (1 repeated texts skipped), 2 positions, 1 topics "
        "(1 in more than one article, 0 with one position)"
    )
    assert lines[2].split()[:4] == ["2", "2", "smoking", "ban"]


@pytest.mark.slow
def test_topic_report_ranks_by_articles_unless_asked_by_positions(tmp_path: Path) -> None:
    # Three claims on ID cards in one article, two on a smoking ban in two: as /topics lists them.
    corpus = tmp_path / "corpus.jsonl"
    articles = [
        {"title": "Pubs", "body": "Labour backed a ban on smoking in pubs."},
        {
            "title": "Cards",
            "body": "The Conservatives opposed ID cards. The Liberal Democrats opposed ID cards. "
            "Tony Blair backed ID cards.",
        },
        {"title": "Restaurants", "body": "The Liberal Democrats backed a ban on smoking in restaurants."},
    ]
    corpus.write_text("".join(json.dumps(a) + "\n" for a in articles), encoding="utf-8")

    def largest(size: TopicSize) -> list[list[str]]:
        report = topic_report(corpus, get_settings().spacy_model, None, 5, 1, size=size).splitlines()
        assert (
            report[1]
            == f"  the 5 largest by {size} (positions, articles, label [keys merged]: member claims):"
        )
        return [line.split()[:4] for line in report[2:] if not line.startswith(" " * 13)]

    assert largest("articles") == [["2", "2", "smoking", "ban"], ["3", "1", "ID", "cards"]]
    assert largest("positions") == [["3", "1", "ID", "cards"], ["2", "2", "smoking", "ban"]]


@pytest.mark.slow
def test_topic_report_counts_one_actors_articles_as_one_story(tmp_path: Path) -> None:
    # Labour's ban in two articles, two parties on ID cards in one: the cards are argued, the ban is
    # one actor's story told twice.
    corpus = tmp_path / "corpus.jsonl"
    articles = [
        {"title": "Pubs", "body": "Labour backed a ban on smoking in pubs."},
        {"title": "Cards", "body": "The Conservatives opposed ID cards. Tony Blair backed ID cards."},
        {"title": "Restaurants", "body": "Labour backed a ban on smoking in restaurants."},
    ]
    corpus.write_text("".join(json.dumps(a) + "\n" for a in articles), encoding="utf-8")
    report = topic_report(corpus, get_settings().spacy_model, None, 5, 1).splitlines()
    assert [line.split()[:4] for line in report[2:] if not line.startswith(" " * 13)] == [
        ["2", "1", "ID", "cards"],
        ["2", "2", "smoking", "ban"],
    ]


@pytest.mark.slow
def test_topic_report_ranks_concepts_first_among_topics_argued_in_as_many_articles(tmp_path: Path) -> None:
    # Two parties on Heathrow in one article, one on a smoking ban in another: one article each, and
    # the ban, a concept, comes first although fewer argue it.
    corpus = tmp_path / "corpus.jsonl"
    articles = [
        {
            "title": "Heathrow",
            "body": "The Conservatives opposed the expansion of Heathrow. "
            "The Liberal Democrats opposed the expansion of Heathrow.",
        },
        {"title": "Pubs", "body": "Labour backed a ban on smoking in pubs."},
    ]
    corpus.write_text("".join(json.dumps(a) + "\n" for a in articles), encoding="utf-8")
    report = topic_report(corpus, get_settings().spacy_model, None, 5, 1).splitlines()
    assert [line.split()[:5] for line in report[2:] if not line.startswith(" " * 13)] == [
        ["1", "1", "smoking", "ban", "[smoking"],
        ["2", "1", "expansion", "of", "Heathrow"],
    ]


@pytest.mark.slow
def test_topic_report_lists_up_to_eight_claims_of_a_topic(tmp_path: Path) -> None:
    # A topic is read by its first eight claims, so the report shows them, not three.
    corpus = tmp_path / "corpus.jsonl"
    body = (
        "The Conservatives opposed ID cards. The Liberal Democrats opposed ID cards. "
        "Tony Blair backed ID cards. The Green Party opposed ID cards. Charles Clarke backed ID cards."
    )
    corpus.write_text(json.dumps({"title": "Cards", "body": body}) + "\n", encoding="utf-8")
    report = topic_report(corpus, get_settings().spacy_model, None, 5, 1).splitlines()
    assert [line.strip() for line in report[3:]] == [
        "Conservative Party oppose: 'ID cards'",
        "Liberal Democrats oppose: 'ID cards'",
        "Tony Blair support: 'ID cards'",
        "Green Party oppose: 'ID cards'",
        "Charles Clarke support: 'ID cards'",
    ]
