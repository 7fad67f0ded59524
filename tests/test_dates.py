"""The shared date resolver: tables of exact dates, ranges, quarters, relative and unresolved forms."""
from __future__ import annotations

import os
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline import dates
from pipeline.dates import find_dates, find_time_frames, iso_value, resolve_date

ROOT = Path(__file__).resolve().parents[1]

PUB_2024 = date(2024, 7, 2)  # a Tuesday
PUB_2018 = date(2018, 7, 11)  # a Wednesday
PUB_2017 = date(2017, 6, 10)


# text, published, value (also the span), granularity; all exact
EXACT = [
    ("the first quarter of this year", PUB_2024, "2024-Q1", "quarter"),
    ("In the first quarter of 2023", None, "2023-Q1", "quarter"),
    ("the third quarter of last year", PUB_2024, "2023-Q3", "quarter"),
    ("Q4 2022", None, "2022-Q4", "quarter"),
    ("2021 Q2", None, "2021-Q2", "quarter"),
    ("last quarter", PUB_2024, "2024-Q2", "quarter"),
    ("Last year,", PUB_2024, "2023", "year"),
    ("last year", date(2024, 1, 5), "2023", "year"),
    ("next year", PUB_2024, "2025", "year"),
    ("this year", PUB_2017, "2017", "year"),
    ("later this year", date(2024, 4, 15), "2024", "year"),
    ("late last year", PUB_2018, "2017", "year"),
    ("in 2023", None, "2023", "year"),
    ("by 2030", None, "2030", "year"),
    ("by the end of 2024", None, "2024", "year"),
    ("By the end of 2016", PUB_2018, "2016", "year"),
    ("mid-2025", None, "2025", "year"),
    ("in June 2018", None, "2018-06", "month"),
    ("December 2018", None, "2018-12", "month"),
    ("In late August", date(2018, 10, 15), "2018-08", "month"),
    ("in March", PUB_2018, "2018-03", "month"),
    ("last June", date(2018, 10, 15), "2018-06", "month"),
    ("next March", date(2018, 10, 15), "2019-03", "month"),
    ("last month", date(2018, 10, 15), "2018-09", "month"),
    ("last month", date(2019, 1, 15), "2018-12", "month"),
    ("June 7, 2017", None, "2017-06-07", "day"),
    ("24 April 2019", None, "2019-04-24", "day"),
    ("Oct. 8, 2018", None, "2018-10-08", "day"),
    ("the 5th of May 2020", None, "2020-05-05", "day"),
    ("2024-04-15", None, "2024-04-15", "day"),
    ("on Monday, April 15", date(2024, 4, 16), "2024-04-15", "day"),
    ("today", date(2024, 4, 15), "2024-04-15", "day"),
    ("yesterday", date(2019, 4, 24), "2019-04-23", "day"),
    ("tomorrow", date(2019, 4, 24), "2019-04-25", "day"),
    ("last week", PUB_2018, "2018-07-02", "week"),
    ("next week", PUB_2018, "2018-07-16", "week"),
    ("eleven years ago", PUB_2024, "2013", "year"),
    ("Thirty-two years ago", PUB_2024, "1992", "year"),
    ("25 years ago", PUB_2017, "1992", "year"),
    ("two weeks ago", PUB_2018, "2018-06-25", "week"),
    ("In recent weeks", date(2018, 10, 15), "2018", "year"),
    ("15.04.2024", None, "2024-04-15", "day"),
    ("2024/07/02", None, "2024-07-02", "day"),
    ("end-2024", None, "2024", "year"),
    ("by year-end", PUB_2024, "2024", "year"),
    ("FY2023", None, "2023", "year"),
    ("2024's growth", None, "2024", "year"),
    ("last summer", PUB_2024, "2023", "year"),
    ("last summer", date(2024, 10, 1), "2024", "year"),
    ("this autumn", PUB_2024, "2024", "year"),
    ("in the spring of 2023", None, "2023", "year"),
    ("as of end-June", PUB_2024, "2024-06", "month"),
    ("later this month", PUB_2024, "2024-07", "month"),
    ("in mid-June 2023", None, "2023-06", "month"),
    ("a year ago", PUB_2024, "2023", "year"),
]

RANGES = [
    ("From June 7 to 10, 2017", None, "2017-06-07", "2017-06-07/2017-06-10", "day", "range"),
    ("June 7-10, 2017", None, "2017-06-07", "2017-06-07/2017-06-10", "day", "range"),
    ("7-10 June 2017", None, "2017-06-07", "2017-06-07/2017-06-10", "day", "range"),
    ("from June 28 to July 2, 2019", None, "2019-06-28", "2019-06-28/2019-07-02", "day", "range"),
    ("January-May", PUB_2024, "2024-01", "2024-01/2024-05", "month", "range"),
    ("between January and May 2023", None, "2023-01", "2023-01/2023-05", "month", "range"),
    ("from 2013 to 2016", None, "2013", "2013/2016", "year", "range"),
    ("2021-2025", None, "2021", "2021/2025", "year", "range"),
    ("the first half of 2023", None, "2023-Q1", "2023-Q1/2023-Q2", "quarter", "range"),
    ("H2 2024", None, "2024-Q3", "2024-Q3/2024-Q4", "quarter", "range"),
    ("June 2024 to March 2025", None, "2024-06", "2024-06/2025-03", "month", "range"),
    ("the 1990s", None, "1990", "1990/1999", "year", "range"),
    ("on 2 and 3 July 2024", None, "2024-07-02", "2024-07-02/2024-07-03", "day", "range"),
    ("in the first five months of this year", PUB_2024, "2024-01", "2024-01/2024-05", "month", "range"),
    ("the first two months of 2023", None, "2023-01", "2023-01/2023-02", "month", "range"),
]

UNRESOLVED = [
    ("last year", None),  # relative, no publication date: never guessed from today
    ("the first quarter of this year", None),
    ("on Tuesday", None),
    ("in June", None),
    ("Over 80 years ago", PUB_2024),  # hedged: locates no date
    ("Over 2,000 years ago", PUB_2024),
    ("over the past four years", PUB_2017),  # a duration
    ("the past 32 years", PUB_2024),
    ("over the last year", date(2024, 11, 16)),
    ("the 20th", PUB_2024),  # an ordinal, not a date
    ("in the years to come", PUB_2024),
    ("Astana Expo 2017", PUB_2017),  # a year inside a name
    ("the 2030 Agenda", PUB_2017),
    ("the fall of the Berlin Wall", PUB_2017),
    ("in the coming weeks", PUB_2017),
    ("in the last two weeks", PUB_2017),
]


# text, published, value, span, granularity, kind
RESOLVED = [(text, published, value, value, gran, "exact") for text, published, value, gran in EXACT] + RANGES


@pytest.mark.parametrize("text,published,value,span,granularity,kind", RESOLVED)
def test_resolve_date(text, published, value, span, granularity, kind):
    resolved = resolve_date(text, published=published)
    assert (resolved.value, resolved.span, resolved.granularity, resolved.kind) == (value, span, granularity, kind)


@pytest.mark.parametrize("text,published", UNRESOLVED)
def test_unresolved(text, published):
    resolved = resolve_date(text, published=published)
    assert resolved.value is None and resolved.start is None and resolved.kind == "unresolved"


def test_issue_example_bounds():
    resolved = resolve_date("the first quarter of this year", published=date(2024, 7, 2))
    assert (resolved.start, resolved.end, resolved.granularity) == (date(2024, 1, 1), date(2024, 3, 31), "quarter")


def test_coarse_dates_do_not_copy_reference_day():
    resolved = resolve_date("in June 2018", published=date(2017, 6, 10))
    assert (resolved.start, resolved.end) == (date(2018, 6, 1), date(2018, 6, 30))


def test_datetime_published_accepted():
    assert resolve_date("yesterday", published=datetime(2019, 4, 24, 15, 30)).value == "2019-04-23"


@pytest.mark.parametrize(
    "text,modifier,part",
    [("by the end of 2024", "by", "end"), ("since 2013", "since", None), ("early next year", None, "early"),
     ("no later than June 2025", "no later than", None), ("later this year", None, "later")],
)
def test_modifier_and_part(text, modifier, part):
    resolved = resolve_date(text, published=PUB_2024)
    assert (resolved.modifier, resolved.part) == (modifier, part)


@pytest.mark.parametrize(
    "published,tense,value",
    [
        (PUB_2018, None, "2018-07-10"),  # Wednesday: the nearest Tuesday is the day before
        (date(2018, 7, 8), None, "2018-07-10"),  # Sunday: the nearest Tuesday is two days ahead
        (date(2018, 7, 8), "past", "2018-07-03"),
        (PUB_2018, "future", "2018-07-17"),
    ],
)
def test_weekday_nearest_and_tense(published, tense, value):
    assert resolve_date("on Tuesday", published=published, tense=tense).value == value


def test_last_and_next_weekday():
    assert resolve_date("last Tuesday", published=date(2024, 7, 2)).value == "2024-06-25"
    assert resolve_date("next Friday", published=date(2024, 7, 2)).value == "2024-07-05"


def test_month_without_year_follows_tense():
    assert resolve_date("in November", published=PUB_2018, tense="past").value == "2017-11"
    assert resolve_date("in March", published=PUB_2018, tense="future").value == "2019-03"


SENTENCE = "From June 7 to 10, 2017 local time, President Xi paid a state visit and will host the summit in June 2018."


@pytest.mark.parametrize("text,span", [("Nov.13, 2016", "2016-11-13"), ("Jan.3, 2020", "2020-01-03"),
                                       ("Sept.5-7, 2023", "2023-09-05/2023-09-07")])
def test_month_abbreviation_glued_to_day(text, span):
    assert resolve_date(text).span == span


def test_find_dates_offsets_and_values():
    mentions = find_dates(SENTENCE, published=PUB_2017)
    assert [(m.text, m.date.span) for m in mentions] == [
        ("From June 7 to 10, 2017", "2017-06-07/2017-06-10"),
        ("June 2018", "2018-06"),
    ]
    for m in mentions:
        assert SENTENCE[m.start:m.end] == m.text


@pytest.mark.parametrize(
    "sentence,expected",
    [
        ("Last year, our two-way trade registered a record high of US$41 billion.", ["Last year"]),
        ("Over the past four years, the two sides held many meetings.", []),
        ("The ministers met on Tuesday in Astana, two days after the summit.", ["Tuesday"]),
        ("The ceremony was attended by the 20th delegation.", []),
        ("Trade may rise and the talks march on.", []),
        ("Chinese President Xi Jinping attended the opening of Astana Expo 2017.", []),
        ("He said in 2021 China will take over the port.", ["2021"]),
        ("Iraq aims to be energy self-sufficient by 2030, with U.S. help.", ["by 2030"]),
        ("The Advisory Council held its first meeting in Beijing in December 2018.", ["December 2018"]),
        ("Home > China Today", []),
        # wire captions glue the day to an abbreviated month
        ("President Ruto opens the port in Mombasa, Kenya, Nov.13, 2016.", ["Nov.13, 2016"]),
        ("The envoys met in Addis Ababa on Sept.5-7, 2023.", ["Sept.5-7, 2023"]),
        ("The ministers met on Nov. 13, 2016.", ["Nov. 13, 2016"]),
        ("The Nov13 meeting was cancelled.", []),
    ],
)
def test_find_dates_table(sentence, expected):
    assert [m.text for m in find_dates(sentence, published=PUB_2024)] == expected


def test_time_frames():
    text = "Over the past four years and over the last year, trade grew; in the years to come it will grow."
    frames = [text[s:e] for s, e in find_time_frames(text)]
    assert "Over the past four years" in frames and "over the last year" in frames
    assert "in the years to come" in frames


@pytest.mark.parametrize(
    "day,granularity,value",
    [(date(2024, 7, 2), "week", "2024-07-01"), (date(2024, 11, 30), "quarter", "2024-Q4"),
     (date(2024, 2, 29), "month", "2024-02"), (date(1999, 1, 1), "year", "1999")],
)
def test_iso_value(day, granularity, value):
    assert iso_value(day, granularity) == value


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(["June", "May", "7", "10", "2024", "1999", "last", "year", "Q3", "the first quarter of",
                         "to", "-", ",", "ago", "Tuesday", "week", "eleven", "years", "over", "the", "past", "30",
                         "by", "end", "of", "mid", "s", "/", "2"]) | st.text(max_size=5),
        max_size=12,
    ).map(" ".join),
    st.one_of(st.none(), st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31))),
)
def test_resolver_never_crashes(text, published):
    """Any text and publication date: no exception, and a resolved date is a well-formed span."""
    for mention in find_dates(text, published):
        assert text[mention.start:mention.end] == mention.text
        resolved = mention.date
        if resolved.kind != "unresolved":
            assert resolved.start <= resolved.end and resolved.value is not None
    resolved = resolve_date(text, published)
    assert resolved.kind == "unresolved" or resolved.start <= resolved.end


GATE_TEXTS = [text for text, *_ in RESOLVED] + [text for text, _ in UNRESOLVED] + [
    SENTENCE, "Q3-2024 and H1 2025", "the day after tomorrow", "this coming Friday", "the 1990's",
    "In the first quarter of next year, and in the years ahead to come", "during recent months",
]


def _gates_hold(text: str) -> bool:
    """Every match of every rule holds each of its rule's gates (else skipping it would lose dates)."""
    return all(
        gate.search(m.group())
        for rule_id, pattern, _ in dates._COMPILED
        for m in pattern.finditer(text)
        for gate in dates._GATES.get(rule_id, ())
    ) and all(dates._FRAME_GATE.search(m.group()) for p in dates._FRAME_PATTERNS for m in p.finditer(text))


@pytest.mark.parametrize("text", GATE_TEXTS)
def test_gates_are_implied_by_matches(text):
    assert _gates_hold(text)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["June", "7", "2024", "Q3", "H2", "last", "next", "year", "quarter", "half",
                                 "months", "week", "ago", "spring", "today", "Monday", "recent", "the", "of",
                                 "first", "past", "-", ","]) | st.text(max_size=4), max_size=10).map(" ".join))
def test_gates_hold_on_any_text(text):
    assert _gates_hold(text)


def test_repeated_calls_share_no_mutable_result():
    first = find_dates(SENTENCE, published=PUB_2017)
    first.clear()
    assert [m.text for m in find_dates(SENTENCE, published=PUB_2017)] == ["From June 7 to 10, 2017", "June 2018"]
    frames = find_time_frames("over the past four years")
    frames.append((0, 1))
    assert find_time_frames("over the past four years") == [(0, 24), (5, 24)]


def test_dateparser_is_imported_only_for_a_text_worth_it():
    """Importing dateparser costs a second; 'just one week' holds no absolute date to hand it."""
    script = ("import sys; from pipeline.dates import resolve_date; "
              "assert resolve_date('just one week').value is None; assert 'dateparser' not in sys.modules")
    subprocess.run([sys.executable, "-c", script], check=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
