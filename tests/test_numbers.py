"""The number normaliser: tables of written numbers, and properties over generated values."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.components.numeric_claims import default_number_parser
from pipeline.numbers import NumberParser

PARSER = default_number_parser()


@pytest.mark.parametrize(
    "text,value",
    [
        ("600,000", 600_000.0),
        ("1,234,567.5", 1_234_567.5),
        ("3.5", 3.5),
        ("41 billion", 41e9),
        ("1.2 million", 1.2e6),
        ("600-billion", 600e9),
        ("3.5bn", 3.5e9),
        ("45m", 45e6),
        ("25 thousand", 25_000.0),
        ("5,000 crore", 5e10),
        ("1.5 lakh crore", 1.5e12),
        ("ten", 10.0),
        ("Thirty-two", 32.0),
        ("twenty two", 22.0),
        ("one hundred and five", 105.0),
        ("two million", 2e6),
        ("a dozen", 12.0),
        ("A Dozen", 12.0),
        ("a hundred", 100.0),
        ("0", 0.0),
    ],
)
def test_parse(text, value):
    assert PARSER.parse(text) == pytest.approx(value)


@pytest.mark.parametrize("text", ["", "  ", "abc", "1,00", "one one", "24th", "fifth", "5G", "$", "billion", "-3"])
def test_not_numbers(text):
    assert PARSER.parse(text) is None


def test_scales_come_from_the_caller():
    parser = NumberParser({"lakh": 1e5}, {"a score": 20})
    assert parser.parse("5 lakh") == 5e5
    assert parser.parse("a score") == 20
    assert parser.parse("5 billion") is None


@pytest.mark.parametrize("value,text", [(41e9, "41 billion"), (600_000.0, "600,000"), (3.5, "3.5"), (1.5e12, "1.5 trillion")])
def test_format(value, text):
    assert PARSER.format(value) == text


@pytest.mark.parametrize("value", [float("nan"), float("inf"), -1.0])
def test_format_rejects_non_figures(value):
    with pytest.raises(ValueError):
        PARSER.format(value)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40))
def test_parse_never_crashes(text):
    result = PARSER.parse(text)
    assert result is None or isinstance(result, float)


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=0, max_value=10**15))
def test_integers_round_trip(value):
    assert PARSER.parse(PARSER.format(float(value))) == pytest.approx(float(value), rel=1e-12)


@settings(max_examples=300, deadline=None)
@given(st.floats(min_value=0, max_value=1e14, allow_nan=False, allow_infinity=False))
def test_floats_round_trip(value):
    assert PARSER.parse(PARSER.format(value)) == pytest.approx(value, rel=1e-12, abs=1e-300)


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=999_999))
def test_number_words_round_trip(value):
    """Digits and their words agree: text2num reads what a writer would spell out."""
    ones = "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen " \
           "sixteen seventeen eighteen nineteen".split()
    tens = "twenty thirty forty fifty sixty seventy eighty ninety".split()

    def spell(n: int) -> str:
        if n < 20:
            return ones[n]
        if n < 100:
            return tens[n // 10 - 2] + ("-" + ones[n % 10] if n % 10 else "")
        if n < 1000:
            return ones[n // 100] + " hundred" + (" " + spell(n % 100) if n % 100 else "")
        return spell(n // 1000) + " thousand" + (" " + spell(n % 1000) if n % 1000 else "")

    assert PARSER.parse(spell(value)) == float(value)
