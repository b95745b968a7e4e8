from __future__ import annotations

import pytest

from app.evaluation.actors import Record, duplicate_reason, suspected_duplicates


@pytest.mark.parametrize(
    ("first", "second", "why"),
    [
        ("Blair", "Tony Blair", "contained"),
        ("Labour Party", "Labour", "contained"),
        ("US", "United States", "initials"),
        ("EU", "European Union", "initials"),
        ("TimeWarner", "Time Warner", "spacing"),
        ("Conservative", "Conservatives", "spelling"),
        ("The Kremlin", "Kremlin", "same name"),
        ("Bill Clinton", "Hillary Clinton", None),
        ("Iran", "Iraq", None),
        ("UK", "United States", None),
    ],
)
def test_duplicate_reason(first: str, second: str, why: str | None) -> None:
    assert duplicate_reason(first, second) == why
    assert duplicate_reason(second, first) == why


def test_suspected_duplicates_pairs_each_once() -> None:
    records = [
        Record("Tony Blair", "person", 9, 3),
        Record("Blair", "person", 4, 2),
        Record("Iraq", "country", 2, 1),
    ]
    found = suspected_duplicates(records)
    assert [(d.first.name, d.second.name, d.why) for d in found] == [("Tony Blair", "Blair", "contained")]
