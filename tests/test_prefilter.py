"""Regex gates: the words a pattern needs, and a gate that never rejects a text the pattern matches."""
from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.prefilter import (ASCII_FOLDS, DIGIT, LINE_START, TEXT_START, GateSet, gate, leading_words,
                                required_words, scanner, trie_regex)

# pattern, flags, the words one of which every match holds (None: no requirement)
REQUIRED = [
    (r"\bsection\s+\d+", re.IGNORECASE, {("section", True)}),
    (r"\d+\s*(?:a\.m\.|pm\b)", re.IGNORECASE, {DIGIT}),  # a digit is rarer than "pm"
    (r"\d+\s*(?:a\.m\.|p\.m\.)", re.IGNORECASE, {("a.m.", True), ("p.m.", True)}),
    (r"(?-i:Q)[1-4]\s+report", re.IGNORECASE, {("report", True)}),
    (r"(?-i:Monday|Friday)", re.IGNORECASE, {("Monday", False), ("Friday", False)}),
    (r"Tel:\s*\d+", 0, {("Tel:", False)}),
    (r"(?:top)?\s*[0-9]+", re.IGNORECASE, None),  # the word is optional
    (r"[a-z]+[0-9]", re.IGNORECASE, None),  # classes other than \d make no requirement
    (r"one|\d+", re.IGNORECASE, {("one", True), DIGIT}),
    (r"one|[0-9]+", re.IGNORECASE, None),  # one branch needs no word
    (r"(?:and\s+)+more", re.IGNORECASE, {("more", True)}),
    (r"\bt(?:en|w(?:o|elve))\b", re.IGNORECASE, {("ten", True), ("two", True), ("twelve", True)}),  # a trie
    (r"u(?:s[d$]|k)", re.IGNORECASE, {("usd", True), ("us$", True), ("uk", True)}),
    (r"(?-i:Q)(?:1|2)\s+report", re.IGNORECASE, {("report", True)}),  # no word across a change of case
]


@pytest.mark.parametrize("source,flags,words", REQUIRED)
def test_required_words(source, flags, words):
    found = required_words(re.compile(source, flags))
    assert (set(found) if found is not None else None) == words


GATED = [re.compile(source, flags) for source, flags, _ in REQUIRED]


@pytest.mark.parametrize("text,admitted", [
    ("see Section 4", True), ("see sections", True), ("see chapter 4", False),
    ("ſection 4", True),  # IGNORECASE folds the long s onto 's', so must the gate
])
def test_gate_folds_case_like_the_pattern(text, admitted):
    assert gate(re.compile(r"\bsection\s+\d+", re.IGNORECASE)).admits(text) is admitted


def test_case_sensitive_words_stay_case_sensitive():
    test = gate(re.compile(r"(?-i:Monday|Friday)", re.IGNORECASE))
    assert test.admits("on Friday") and not test.admits("on friday")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["section", "SECTION", "4", "٣", "a.m.", "PM", "Q3", "report", "Monday", "monday",
                                 "Tel:", "tel:", "top", "and", "more", "ſ", "K"]) | st.text(max_size=3),
                max_size=8).map(" ".join))
def test_gate_never_rejects_a_match(text):
    for pattern in GATED:
        test = gate(pattern)
        if pattern.search(text) and test is not None:
            assert test.admits(text)


def test_ascii_folds_are_every_non_ascii_letter_ignorecase_reads_as_ascii():
    ascii_any_case = re.compile(r"[\x00-\x7f]", re.IGNORECASE)
    folds = {chr(i) for i in range(128, 0x110000) if ascii_any_case.fullmatch(chr(i))}
    assert folds == set(ASCII_FOLDS)


@pytest.mark.parametrize("text,admitted", [
    ("“Section 4” of the law", True), ("the “chapter” 4", False), ("İn sectİon 4", True),
])
def test_gate_on_text_beyond_ascii(text, admitted):
    assert gate(re.compile(r"\bsection\s+\d+", re.IGNORECASE)).admits(text) is admitted


@pytest.mark.parametrize("text,admitted", [("at 4 pm", True), ("at ٣ pm", True), ("at noon", False), ("at four", False)])
def test_digit_gate_takes_any_decimal_digit(text, admitted):
    assert gate(re.compile(r"\d+\s*(?:a\.m\.|pm\b)", re.IGNORECASE)).admits(text) is admitted


@pytest.mark.parametrize("source,default,common", [
    (r"\b(?:section|no\.)\s+\d+", {DIGIT}, {("section", True), ("no.", True)}),  # "no." ties a digit
    (r"\b\d+\s*\+\s*\d+\b", {DIGIT}, {("+", True)}),  # in sentences with figures a digit is everywhere
    (r"\d+\s*(?:a\.m\.|pm\b)", {DIGIT}, {("a.m.", True), ("pm", True)}),
    (r"^\s*\d{1,2}[.)]", {DIGIT}, {(".", True), (")", True)}),  # a set of signs is a word list too
    (r"^\s*\d{1,2}\b", {DIGIT}, {DIGIT}),  # no word to prefer
])
def test_digits_common_prefers_any_word_to_a_digit(source, default, common):
    pattern = re.compile(source, re.IGNORECASE)
    assert set(required_words(pattern)) == default
    assert set(required_words(pattern, digits_common=True)) == common


# pattern, flags, the words one of which every match starts with (None: a match may start anywhere)
LEADING = [
    (r"\bsection\s+\d+", re.IGNORECASE, {("section", True)}),
    (r"\d+\s*pm", re.IGNORECASE, {DIGIT}),
    (r"\b(?:top|bottom)[\s-]+\d", re.IGNORECASE, {("top", True), ("bottom", True)}),
    (r"\b(?:our|the\s+above)\s+two\b", re.IGNORECASE, {("our", True), ("the", True)}),  # up to a space
    (r"(?-i:Tel)\s*\d", re.IGNORECASE, {("Tel", False)}),
    (r"(?:a|)b", 0, {("ab", False), ("b", False)}),
    (r"^\s*\d", re.MULTILINE, {LINE_START}),
    (r"^\s*\d", 0, {TEXT_START}),
    (r"\(\d\)|^\d", re.MULTILINE, {("(", False), LINE_START}),
    (r"\s*\d", 0, None),  # may start with a space
    (r"x?y", 0, None),
    (r"one|[a-z]+", re.IGNORECASE, None),
]


@pytest.mark.parametrize("source,flags,words", LEADING)
def test_leading_words(source, flags, words):
    found = leading_words(re.compile(source, flags))
    assert (set(found) if found is not None else None) == words


SCANNED = [re.compile(source, flags) for source, flags, words in LEADING if words] + [
    re.compile(r"(?<![\w.])one\b(?![\s-]*percent)", re.IGNORECASE),
    re.compile(r"\bsection\s+\d+|\d+\s*(?:a\.m\.|pm\b)", re.IGNORECASE | re.MULTILINE),
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["section", "SECTION", "ſection", "4", "٣", "12", "pm", "PM", "top", "Top", "bottom",
                                 "our", "the above", "two", "Tel", "tel", "(1)", "ab", "b", "one", "One", "İ", "K",
                                 "percent", "a.m.", "\n", "-", "."]) | st.text(max_size=3),
                max_size=10).map(" ".join))
def test_scanner_finds_what_finditer_finds(text):
    """Trying a pattern only at its leading words finds the spans `finditer` finds, on any text."""
    for pattern in SCANNED:
        assert scanner(pattern).spans(text) == [m.span() for m in pattern.finditer(text)]


@pytest.mark.parametrize("text", ["a\n4. b\n 5)", "x (1) and\n2", "İn section 4", "ſection 4, Section 5",
                                  "at 4pm, ٣ pm"])
def test_scanner_on_lines_and_folded_letters(text):
    for pattern in SCANNED:
        assert scanner(pattern).spans(text) == [m.span() for m in pattern.finditer(text)]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet="ab .$", min_size=1, max_size=4), min_size=1, max_size=8),
       st.text(alphabet="ab .$", max_size=4))
def test_trie_regex_matches_the_words_and_nothing_else(words, other):
    trie = re.compile(trie_regex(words))
    assert all(trie.fullmatch(word) for word in words)
    assert bool(trie.fullmatch(other)) == (other in words)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["section", "sections", "SECTION", "4", "٣", "a.m.", "PM", "Q3", "report", "Monday",
                                 "monday", "Tel:", "tel:", "top", "and", "more", "ten", "twelve", "two", "ukusd",
                                 "us$", "ſ", "K"]) | st.text(max_size=3),
                max_size=8).map(" ".join))
def test_gate_set_answers_as_each_gate(text):
    gates = [gate(pattern) for pattern in GATED]
    together = GateSet(gates)
    assert together.admitted(text) == [test is None or test.admits(text) for test in gates]


def test_gate_set_finds_words_that_prefix_each_other():
    together = GateSet([gate(re.compile(r"\bin\s+x")), gate(re.compile(r"\binto\b")),
                        gate(re.compile(r"\bint(?:er|o)")), None])
    assert together.admitted("into 4") == [True, True, True, True]
    assert together.admitted("inter") == [True, False, True, True]
