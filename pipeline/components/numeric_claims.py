"""Numeric claims extractor: money, counts, percentages and measures claimed about the world.

Reads the parse (when there is one), `doc._.published`; writes `doc._.numeric_claims`, one
`NumericClaim` per figure ("US$41 billion", "over 60", "more than 86 percent", "thousands").

Candidates come from one regular expression built from `models/rules/numeric_claims.yaml`
(qualifier words before and marks after the number ("-plus"), currency symbols, codes, words and
adjectives ("-dollar"), number words, scale words, percent words, vague magnitudes
("multibillion"), fractions before "of", one-word figures ("twice a year", "fivefold"), ranges),
so a currency or qualifier added to the file is found with no code change. Code then vetoes
what is not a claim through the file's exclusion rules (dates and time frames from
`pipeline.dates`, years, numbers inside names, list markers, anaphoric "our two countries" /
"the three countries" unless the noun is defined in place, plan terms, idioms), and normalises
what is left:

- value: `pipeline.numbers.NumberParser` (text2num for words); a range ("five to eight years") is
  one claim, its lower bound with the range rule's qualifier (`at_least`), unless a word of change
  precedes "from" ("rose from 3 to 5 percent": two figures, the first in the second's unit);
- unit: ISO 4217 code, 'percent', a unit of the file ("MW" gives 'megawatt'), a unit pattern
  (an age: "Mnangagwa, 75," gives 'year'), else the counted noun from the dependency parse (the
  noun the number modifies, the object of "23 of the 68 countries", "the number of X"), singular;
  a proper name used as a modifier is skipped ("five ASEAN member countries" counts countries),
  and a partitive without a noun ("nine of the 22 completed") counts the last plural noun before
  it, its bare whole being anaphoric. An "N-year" adjective is a term in years ("a 20-year loan"),
  unless the exclusions see a plan's or one agreement's designation ("five-year outline"). A year-like number counting a plural noun ("2000 troops") is a count, not a date;
- period: the date of the sentence (`pipeline.dates.find_dates`) whose phrase governs the
  figure, except for lasting properties (a project's cost, an area);
- subject: a short noun phrase for what is measured, from the parse.

Without a parser (`--model blank`) the unit is the next lower-case word and the period the
nearest date in the sentence.
"""
from __future__ import annotations

import re
from re import _casefix  # type: ignore[attr-defined]
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal, TypeVar

from pydantic import Field, field_validator, model_validator
from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from pipeline.dates import SMALL_NUMBERS, TENS, DateMention, find_dates, find_time_frames
from pipeline.numbers import DIGITS, NumberParser
from pipeline.prefilter import ASCII_FOLDS, Gate, GateSet, Scanner, gate, lowered, scanner, trie_regex
from pipeline.records import NumericClaim, Qualifier
from pipeline.rules.loader import MODELS_DIR, Rule, RuleFile, RuleFileError, load_rules
from pipeline.extensions import sentence_at, sentences_of, span_text, text_of
from pipeline.components.spans import YEAR

RULES_NAME = "numeric_claims"
_T = TypeVar("_T")


class CurrencyRule(Rule):
    code: str = Field(pattern=r"^[A-Z]{3}$", description="ISO 4217 code written in the `unit` column.")
    before: list[str] = Field(default_factory=list, description="Symbols and codes written before the number.")
    after: list[str] = Field(default_factory=list, description="Words and codes written after the number.")
    adjective: list[str] = Field(
        default_factory=list, description="Singular forms modifying a noun ('a 5-billion-dollar deal').")


class ScaleRule(Rule):
    factor: float = Field(gt=0, description="Multiplier of the number ('billion' gives 1e9).")
    words: list[str] = Field(min_length=1, description="Scale words and abbreviations.")


class NumberWordRule(Rule):
    value: float = Field(description="Value of the phrase.")
    words: list[str] = Field(min_length=1, description="Phrases text2num does not read ('a dozen').")


class VagueRule(Rule):
    value: float = Field(description="Lower bound of the magnitude ('thousands' gives 1000).")
    qualifier: Qualifier = Field("over", description="Qualifier the magnitude gives.")
    words: list[str] = Field(min_length=1, description="Plural magnitudes ('thousands').")
    currency_only: bool = Field(False, description="A figure only before a currency adjective ('billion-dollar').")


def _valid_regex(pattern: str | None) -> str | None:
    """A broken regex fails when the file is loaded, with the file and the entry named."""
    if pattern is not None:
        try:
            re.compile(pattern.replace("{NUM}", "1").replace("{UNIT}", "years"))
        except re.error as exc:
            raise ValueError(f"not a valid regular expression: {exc}") from None
    return pattern


class WordFigureRule(Rule):
    value: float = Field(gt=0, description="The figure a word stands for ('twice' gives 2, 'fivefold' 5).")
    unit: str = Field("time", description="Unit written in the `unit` column.")
    words: list[str] = Field(min_length=1, description="Words that are figures by themselves ('twice').")
    followed_by: str | None = Field(None, description="Regex the text right after the word must match.")

    _compiles = field_validator("followed_by")(_valid_regex)


class FractionRule(Rule):
    value: float = Field(gt=0, le=100, description="The share in percent ('a third' gives 33.33).")
    words: list[str] = Field(min_length=1, description="Fractions, a figure only before 'of' ('two-thirds').")
    before_determiner: bool = Field(
        False, description="Also a figure right before a determiner, without 'of' ('half the population').")


class RatioShareRule(Rule):
    connectors: list[str] = Field(min_length=1, description="Words between the two numbers ('in', 'out of every').")


class PercentRule(Rule):
    words: list[str] = Field(min_length=1, description="Words and signs after the number ('percent', '%').")


class RangeRule(Rule):
    qualifier: Qualifier = Field("at_least", description="Qualifier of a range written without a qualifier word.")
    change_words: list[str] = Field(
        default_factory=list, description="Words before 'from X to Y' that make it a change, two figures ('rose').")


class QualifierRule(Rule):
    qualifier: Qualifier = Field(description="Qualifier written in the `qualifier` column.")
    words: list[str] = Field(min_length=1, description="Words before the figure ('more than').")
    suffixes: list[str] = Field(default_factory=list, description="Marks right after the number ('-plus', '+').")


class UnitRule(Rule):
    unit: str = Field(description="Unit written in the `unit` column ('square kilometer').")
    words: list[str] = Field(min_length=1, description="Forms right after the number.")
    timeless: bool = Field(False, description="A lasting property (an area): never given a period.")


class UnitPatternRule(Rule):
    unit: str = Field(description="Unit given to a count whose number lies in a match ('year').")
    pattern: str = Field(description="Case-insensitive regex; {NUM} stands for a number.")
    after_person: bool = Field(False, description="The word before the match must be a person's name.")
    timeless: bool = Field(False, description="A lasting property (an age): never given a period.")

    _compiles = field_validator("pattern")(_valid_regex)


Check = Literal["in_date", "time_frame", "year_like", "in_name", "ratio", "bare_whole"]


class ExclusionRule(Rule):
    check: Check | None = Field(None, description="A veto computed in code.")
    pattern: str | None = Field(None, description="Regex; {NUM} is a number, {UNIT} a time unit.")
    unless_defined: bool = Field(
        False, description="No veto when the counted noun is defined right there (relative clause, list).")

    _compiles = field_validator("pattern")(_valid_regex)

    @model_validator(mode="after")
    def _one_kind(self) -> "ExclusionRule":
        if (self.check is None) == (self.pattern is None):
            raise ValueError("give exactly one of `check` and `pattern`")
        return self


class NumericClaimRules(RuleFile):
    count: Rule | None = Field(None, description="The rule named by plain counts (required in the shipped file).")
    currencies: list[CurrencyRule] = Field(default_factory=list)
    scales: list[ScaleRule] = Field(default_factory=list)
    number_words: list[NumberWordRule] = Field(default_factory=list)
    frequencies: list[WordFigureRule] = Field(default_factory=list)
    multipliers: list[WordFigureRule] = Field(default_factory=list)
    vague: list[VagueRule] = Field(default_factory=list)
    percent: list[PercentRule] = Field(default_factory=list)
    fractions: list[FractionRule] = Field(default_factory=list)
    ratio_shares: list[RatioShareRule] = Field(default_factory=list)
    ranges: list[RangeRule] = Field(default_factory=list)
    qualifiers: list[QualifierRule] = Field(default_factory=list)
    units: list[UnitRule] = Field(default_factory=list)
    unit_patterns: list[UnitPatternRule] = Field(default_factory=list)
    exclusions: list[ExclusionRule] = Field(default_factory=list)


def load_numeric_rules(rules_dirs: list[str] | tuple[str, ...] = ()) -> NumericClaimRules:
    """Shipped rules merged with the user's folders; the shipped file must name the count rule."""
    rules = load_rules(RULES_NAME, NumericClaimRules, rules_dirs)
    if rules.count is None:
        raise RuleFileError(MODELS_DIR / "rules" / f"{RULES_NAME}.yaml", "count", "the count rule is missing")
    return rules


def number_parser(rules: NumericClaimRules) -> NumberParser:
    """The number normaliser configured with the file's scale words and fixed number words."""
    scales = {w: r.factor for r in rules.scales for w in r.words}
    words = {w: r.value for r in rules.number_words for w in r.words}
    return NumberParser(scales, words)


@lru_cache(maxsize=1)
def default_number_parser() -> NumberParser:
    """The normaliser of the shipped rule file (for library users: `default_number_parser().parse`)."""
    return number_parser(load_numeric_rules())


_BIG = ["hundred", "thousand", "million", "billion", "trillion"]
_WORD_NUMBERS = ["zero", *SMALL_NUMBERS, *TENS, *_BIG]
_TIME_UNIT = r"(?:years?|months?|weeks?|days?|decades?|centuries|century|hours?)"
#: What a figure never follows: a word character, a decimal point, a separator or a currency sign.
_NOT_AFTER = r"(?<![\w.,/:\-–$€£¥])"
_LETTERS = re.compile(r"[A-Za-z]+")
_SENTENCE_PUNCT = set(".!?:;\"'“”«»(")


def _alternation(words: list[str], word_boundary: bool = True, space: str = r"\s+") -> str:
    r"""Longest-first alternation of literal words; a word ending in a letter must end there, and
    a space stands for `space` (a run of spaces by default).

    Written as a trie ('more(?:\s+than|)') when that matches exactly as the flat list does (see
    `_trie_safe`, `prefilter.trie_regex`): a regex tries the alternatives in turn, so a flat list
    of a hundred currency words costs a hundred tries at every position and makes a huge program
    to compile.
    """
    unique = sorted(set(words), key=lambda w: (-len(w), w))
    if not unique:
        return "(?!)"

    def tail(w: str) -> str:
        return r"(?![A-Za-z])" if word_boundary and w[-1:].isalnum() else ""

    if _trie_safe(unique, space):
        return trie_regex(unique, tail, space)
    return "(?:" + "|".join(re.escape(w).replace(r"\ ", space) + tail(w) for w in unique) + ")"


def _trie_safe(words: list[str], space: str) -> bool:
    r"""A trie tries the words in the flat list's order when two alternatives of a node can never
    match the same character (`_plain_char`, and no space beside a character `space` matches too)."""
    chars = set("".join(words))
    if not all(map(_plain_char, chars)):
        return False
    if any(a == " " and re.fullmatch(space, b) for w in words for a, b in zip(w, w[1:])):
        return False  # "a  b": the first run of spaces could give way to the second
    return " " not in chars or "-" not in chars or re.fullmatch(space, "-") is None


def _plain_char(c: str) -> bool:
    """A character that case-insensitively matches exactly the characters whose lower case it is:
    lower-case ASCII, signs, lower-case letters without special folds ('ł'; not 'ſ', which is 's')."""
    if c.isspace():
        return c == " "
    if c.isascii():
        return not c.isupper()
    return c.lower() == c and c.upper().lower() == c and ord(c) not in _casefix._EXTRA_CASES


_WORD = _alternation(_WORD_NUMBERS, word_boundary=False) + r"\b"
WORD_NUMBER = rf"\b{_WORD}(?:(?:\s+and\s+|[\s-]+){_WORD})*"


@dataclass
class Figure:
    """One candidate figure before vetoes: its span, parts and the rules that shaped it."""

    start: int
    end: int
    text: str
    value: float
    value_max: float | None
    unit: str | None
    qualifier: Qualifier
    kind: Literal["money", "percent", "count", "vague", "word"]
    rule: str
    num_start: int
    num_end: int
    fired: set[str] = field(default_factory=set)
    veto: str | None = None
    timeless: bool = False
    body_end: int | None = None  # end of number, scale and currency, before a suffix ("-plus")

    @property
    def core_end(self) -> int:
        return self.end if self.body_end is None else self.body_end


class NumericClaimExtractor:
    """The `diplo_numeric_claims` component (see module docstring)."""

    def __init__(self, rules_dirs: list[str] | tuple[str, ...] = ()) -> None:
        self.rules = load_numeric_rules(rules_dirs)
        self.parser = number_parser(self.rules)
        self.count_id = self.rules.count.id  # load_numeric_rules requires the count rule
        rules = self.rules
        self.before = {w.lower(): r for r in rules.currencies for w in r.before}
        self.after = {w.lower(): r for r in rules.currencies for w in r.after}
        self.adjective = {w.lower(): r for r in rules.currencies for w in r.adjective}
        self.word_figures = {_key(w): r
                             for r in [*rules.frequencies, *rules.multipliers] for w in r.words}
        self.suffixes = {w.lower(): r for r in rules.qualifiers for w in r.suffixes}
        self.range_rule = rules.ranges[-1] if rules.ranges else None
        change = [w for r in rules.ranges for w in r.change_words]
        self.change_from = re.compile(
            rf"\b{_alternation(change)}(?:\s+[\w$%.,-]+){{0,4}}?\s+from$", re.IGNORECASE) if change else None
        self.fractions = {_fold(w): r for r in rules.fractions for w in r.words}
        self.connectors = {_fold(w): r for r in rules.ratio_shares for w in r.connectors}
        self.scales = {w.lower(): r for r in rules.scales for w in r.words}
        self.number_words = {_key(w): r for r in rules.number_words for w in r.words}
        self.vague = {_key(w): r for r in rules.vague for w in r.words}
        self.percent = {_fold(w): r for r in rules.percent for w in r.words}
        self.qualifiers = {_key(w): r for r in rules.qualifiers for w in r.words}
        self.units = {_key(w): r for r in rules.units for w in r.words}
        self.pattern = self._figure_pattern()
        self.figure_gate = gate(self.pattern)  # most sentences hold no digit and no number word
        self.lead_starts = self._lead_starts()
        self.units_re = re.compile(r"[\s-]*(" + _alternation(list(self.units)) + r")", re.IGNORECASE)
        self.checks = [rule for rule in rules.exclusions if rule.check]
        self.patterns: list[tuple[ExclusionRule, re.Pattern[str], Scanner | None]] = []
        gates: list[Gate | None] = []
        number = rf"(?:{DIGITS}|{WORD_NUMBER}|{_alternation(list(self.number_words))})"
        for rule in rules.exclusions:
            if rule.pattern:
                source = rule.pattern.replace("{NUM}", number).replace("{UNIT}", _TIME_UNIT)
                pattern = re.compile(source, re.IGNORECASE | re.MULTILINE)
                # scanned only in sentences with a figure, which nearly all hold a digit
                self.patterns.append((rule, pattern, scanner(pattern)))
                gates.append(gate(pattern, digits_common=True))
        self.exclusion_gates = GateSet(gates)  # the words of every gate found in one pass per sentence
        self.unit_patterns: list[tuple[UnitPatternRule, re.Pattern[str], Gate | None]] = []
        for rule in rules.unit_patterns:
            pattern = re.compile(rule.pattern.replace("{NUM}", number), re.IGNORECASE)
            self.unit_patterns.append((rule, pattern, gate(pattern, digits_common=True)))

    # ------------------------------------------------------------------ candidates
    def _figure_pattern(self) -> re.Pattern[str]:
        number = rf"(?:{DIGITS}(?![\d])|{_alternation(list(self.number_words))}|{WORD_NUMBER})"
        before = _alternation(list(self.before), word_boundary=True)
        after = _alternation(list(self.after))
        adjective = _alternation(list(self.adjective))
        suffix = _alternation(list(self.suffixes))
        # One-letter scales ("$45m", "3k") only right after a digit: "500 m" is metres.
        letters = [w for w in self.scales if len(w) == 1]
        scale = _alternation([w for w in self.scales if len(w) > 1])
        if letters:
            scale = rf"(?:{scale}|(?<=\d){_alternation(letters)})"
        pct = _alternation(list(self.percent), space=r"[\s-]+")  # "percentage-point"

        def part(n: str) -> str:
            return (rf"(?:(?P<cur{n}>{before})\s?)?(?P<num{n}>{number})(?:[\s-]?(?P<scale{n}>{scale}))?"
                    rf"(?:[\s-]?(?P<pct{n}>{pct}))?(?:\s(?P<after{n}>{after})|[\s-](?P<adj{n}>{adjective}))?"
                    rf"(?P<suffix{n}>{suffix})?")

        qual = _alternation(list(self.qualifiers))
        free = _alternation([w for w, r in self.vague.items() if not r.currency_only])
        bound = _alternation([w for w, r in self.vague.items() if r.currency_only])
        word_figure = "(?:" + "|".join(
            _alternation([w]) + (f"(?={self.word_figures[w].followed_by})" if self.word_figures[w].followed_by else "")
            for w in sorted(self.word_figures, key=len, reverse=True)
        ) + ")" if self.word_figures else "(?!)"
        fraction = _alternation(list(self.fractions), space=r"[\s-]+")  # "two-thirds"
        bare = _alternation([w for w, r in self.fractions.items() if r.before_determiner], space=r"[\s-]+")
        determiner = r"\s+(?:the|its|their|our|his|her|this|these|those|all)\b"
        # A unit written right after the digits ("600MW", "1,300km") ends the figure like a space.
        glued = _alternation(list(self.units))
        source = (
            rf"{_NOT_AFTER}(?:(?P<qual>{qual})\s+)?"
            rf"(?:(?P<vague>{free}|{bound}(?=[\s-]{adjective}))"
            rf"(?:\s+of\s+(?P<vcur>{after})|[\s-](?P<vadj>{adjective}))?"
            rf"|(?P<frac>{fraction})(?=\s+of\b)|(?P<fracd>{bare})(?={determiner})"
            rf"|(?P<share>(?P<part>\d+|{_WORD})\s+(?P<conn>{_alternation(list(self.connectors))})\s+(?P<whole>\d+|{_WORD}))"
            rf"(?=\s+[A-Za-z])"
            rf"|(?P<word>{word_figure})|{part('')}"
            rf"(?:(?P<sep>\s*(?:-|–|—|\bto\b)\s*|\s+and\s+){part('2')})?)"
            rf"(?!(?!{glued})[\w/]|[.,:]\d)"
        )
        return re.compile(source, re.IGNORECASE)

    def _lead_starts(self) -> re.Pattern[str] | None:
        """Where a figure may start, not right after what a figure never follows: a run of ASCII
        letters that is one of the lead words (`_lead_words`), or one other character but a space;
        None when there are no lead words to tell."""
        lead = self._lead_words()
        if lead is None:
            return None
        return re.compile(rf"{_NOT_AFTER}(?:{trie_regex(lead)}(?![A-Za-z])|[^A-Za-z\s])")

    def _lead_words(self) -> frozenset[str] | None:
        """The lower-case leading letters of every literal a figure can start with ('more' of
        'more than', 'us' of 'US$'), or None when one starts with a space (no filter then).

        Each literal of the figure pattern ends where the pattern demands a non-letter (a space,
        a sign, a boundary), so a match starting with a letter starts a run of letters that is
        one of these words.
        """
        literals = [*self.qualifiers, *self.vague, *self.fractions, *self.word_figures, *self.before,
                    *self.number_words, *_WORD_NUMBERS]
        if any(not w or w[0].isspace() for w in literals):
            return None
        return frozenset(m[0] for w in literals if (m := _LETTERS.match(w)))

    def _starts(self, text: str) -> list[int] | None:
        """Offsets where a figure can start (see `_lead_starts`); None (every offset) when the text
        holds a letter IGNORECASE folds to an ASCII one ('ſ'), which a run of ASCII letters would not see."""
        if self.lead_starts is None or not text.isascii() and any(c in text for c in ASCII_FOLDS):
            return None
        # In lower case (the same offsets: no letter folding onto ASCII here), as the gate reads it.
        return [m.start() for m in self.lead_starts.finditer(lowered(text))]

    def _search(self, text: str, pos: int, starts: list[int] | None) -> re.Match[str] | None:
        """`self.pattern.search(text, pos)`, tried only at the offsets where a match can start."""
        if starts is None:
            return self.pattern.search(text, pos)
        for start in starts[bisect_left(starts, pos):]:
            if (m := self.pattern.match(text, start)) is not None:
                return m
        return None

    def figures(self, text: str, offset: int = 0) -> list[Figure]:
        """Every candidate figure in `text` (offsets shifted by `offset`), before vetoes."""
        found: list[Figure] = []
        if self.figure_gate is not None and not self.figure_gate.admits(text):
            return found
        pos = 0
        starts = self._starts(text)
        while (m := self._search(text, pos, starts)) is not None:
            if m.end() == m.start():
                pos = m.end() + 1
                continue
            figure, resume = self._figure(m, text)
            if figure is not None:
                figure.start += offset
                figure.end += offset
                figure.num_start += offset
                figure.num_end += offset
                if figure.body_end is not None:
                    figure.body_end += offset
                found.append(figure)
            pos = resume
        return found

    def _figure(self, m: re.Match, text: str) -> tuple[Figure | None, int]:
        """Normalise one match; an invalid range gives its first figure and resumes at the second."""
        qual_rule = self.qualifiers.get(_key(m["qual"])) if m["qual"] else None
        qualifier: Qualifier = qual_rule.qualifier if qual_rule else "exact"
        fired = {qual_rule.id} if qual_rule else set()
        if m["vague"]:
            rule = self.vague[_key(m["vague"])]
            start = m.start("vague") if qual_rule is None else m.start()
            currency = self.after[m["vcur"].lower()] if m["vcur"] else \
                self.adjective[m["vadj"].lower()] if m["vadj"] else None
            end = m.end("vadj") if m["vadj"] else m.end("vague")
            fig = Figure(start, end, text[start:end], rule.value, None,
                         currency.code if currency else None, qualifier if qual_rule else rule.qualifier,
                         "money" if currency else "vague", rule.id, m.start("vague"), m.end("vague"),
                         fired | {rule.id} | ({currency.id} if currency else set()))
            return fig, m.end()
        if m["frac"] or m["fracd"]:
            g = "frac" if m["frac"] else "fracd"
            frac = self.fractions[_fold(m[g])]
            fig = Figure(m.start(), m.end(g), text[m.start():m.end(g)], frac.value, None, "percent",
                         qualifier, "percent", frac.id, m.start(g), m.end(g), fired | {frac.id})
            return fig, m.end()
        if m["share"]:
            part, whole = self.parser.parse(m["part"]), self.parser.parse(m["whole"])
            if part is None or not whole or part >= whole or YEAR.match(m["whole"]):
                return None, m.start("whole")  # "ten in 2019" is no share; the second number may be a figure
            rule = self.connectors[_fold(m["conn"])]
            fig = Figure(m.start(), m.end("share"), text[m.start():m.end("share")], round(100 * part / whole, 4),
                         None, "percent", qualifier, "percent", rule.id, m.start("share"), m.end("share"),
                         fired | {rule.id})
            return fig, m.end()
        if m["word"]:
            word = self.word_figures[_key(m["word"])]
            fig = Figure(m.start(), m.end("word"), text[m.start():m.end("word")], word.value, None, word.unit,
                         qualifier, "word", word.id, m.start("word"), m.end("word"), fired | {word.id})
            return fig, m.end()
        value = self._value(m, "")
        if value is None:
            return None, m.end()
        value_max = None
        shares_unit = False
        end = max(e for e in (m.end("num"), m.end("scale"), m.end("pct"), m.end("after"), m.end("adj"),
                                  m.end("suffix")) if e >= 0)
        resume = end
        if m["num2"] is not None:
            second = self._value(m, "2")
            sep = m["sep"].strip().lower()
            preceded = text[: m.start()].rstrip().lower()
            first_kind = "money" if m["cur"] or m["after"] else "percent" if m["pct"] else None
            second_kind = "money" if m["cur2"] or m["after2"] else "percent" if m["pct2"] else None
            shared = value * self.scales[m["scale2"].lower()].factor if not m["scale"] and m["scale2"] else value
            valid = (
                second is not None
                and (first_kind in (None, second_kind) or second_kind is None)  # "$2-3 billion" shares the "$"
                and (sep != "and" or preceded.endswith("between"))
                and not self._change_from(preceded)  # "rose from 3 to 5 percent": a change, two figures
                and second > shared
            )
            if valid:
                value, value_max, end, resume = shared, second, m.end(), m.end()
                if qual_rule is None and self.range_rule is not None:
                    qualifier = self.range_rule.qualifier
                    fired.add(self.range_rule.id)
            else:
                resume = m.start("cur2") if m["cur2"] else m.start("num2")
                # "rose from 3 to 5 percent": the starting figure is in the unit of the end figure
                shares_unit = first_kind is None and second_kind is not None and self._change_from(preceded)
                if shares_unit:
                    value = shared  # "from 3 to 5 billion euros": 3 billion
        n = "2" if value_max is not None else ""
        body_end = end
        if m[f"suffix{n}"]:
            body_end = min(end, m.start(f"suffix{n}"))
            suffix_rule = self.suffixes[m[f"suffix{n}"].lower()]
            if qual_rule is None:
                qualifier = suffix_rule.qualifier
                fired.add(suffix_rule.id)
        n = "2" if value_max is not None or shares_unit else ""
        cur, after, adj, pct = (m["cur"] or m[f"cur{n}"], m["after"] or m[f"after{n}"], m["adj"] or m[f"adj{n}"],
                                m["pct"] or m[f"pct{n}"])
        currency = self.before.get(cur.lower()) if cur else self.after.get(after.lower()) if after else \
            self.adjective.get(adj.lower()) if adj else None
        if adj and currency is not None and qual_rule is None and not re.search(r"\d", m["num"]):
            qualifier = "over"  # "a billion-dollar deal": a magnitude class, not an amount
        if m["scale"]:
            fired.add(self.scales[m["scale"].lower()].id)
        num_text = _key(m["num"])
        if num_text in self.number_words:
            fired.add(self.number_words[num_text].id)
        if currency is not None:
            kind, unit, rule = "money", currency.code, currency.id
        elif pct:
            rule = self.percent[_fold(pct)].id
            kind, unit = "percent", "percent"
        else:
            kind, unit, rule = "count", None, self.count_id
        fired.add(rule)
        start = m.start()
        fig = Figure(start, end, text[start:end], value, value_max, unit, qualifier, kind, rule,
                     m.start("num"), m.end("num"), fired, body_end=body_end if body_end < end else None)
        return fig, resume

    def _change_from(self, preceded: str) -> bool:
        """'rose from', 'increased sharply from': the two numbers are the values before and after a change."""
        if not preceded.endswith("from"):
            return False
        return self.range_rule is None or (self.change_from is not None and bool(self.change_from.search(preceded)))

    def _value(self, m: re.Match, n: str) -> float | None:
        value = self.parser.parse(m[f"num{n}"])
        if value is None:
            return None
        if m[f"scale{n}"]:
            value *= self.scales[m[f"scale{n}"].lower()].factor
        return value

    # ------------------------------------------------------------------ vetoes
    def exclusion_spans(self, sent_text: str) -> Exclusions:
        """The pattern exclusions of a sentence, each scanned once and only when a figure gets that
        far (most are vetoed before); a pattern whose gate rejects the sentence (it lacks every
        word the pattern needs) is not scanned."""
        return Exclusions(self.patterns, self.exclusion_gates, sent_text)

    def veto(self, fig: Figure, sent_text: str, sent_start: int, dates: list[DateMention],
             frames: list[tuple[int, int]], excluded: Exclusions,
             doc: Doc | None) -> str | None:
        """Id of the first exclusion rule that vetoes the figure, or None."""
        n0, n1 = fig.num_start - sent_start, fig.num_end - sent_start
        for rule in self.checks:
            if rule.check == "in_date" and any(d.start < n1 and n0 < d.end for d in dates) and \
                    not self._counted(fig, doc):
                return rule.id
            if rule.check == "time_frame" and any(s < n1 and n0 < e for s, e in frames):
                return rule.id
            if rule.check == "year_like" and fig.kind == "count" and fig.value_max is None and \
                    _year_like(sent_text[n0:n1], fig.value) and not self._counted(fig, doc):
                return rule.id
            if rule.check == "in_name" and fig.kind == "count" and self._in_name(fig, sent_text, sent_start, doc):
                return rule.id
            if rule.check == "ratio" and fig.value_max is None and _in_ratio(sent_text, n0, n1):
                return rule.id
            if rule.check == "bare_whole" and fig.kind == "count" and _is_bare_whole(doc, fig):
                return rule.id
        for rule in excluded.overlapping(n0, n1):
            if rule.unless_defined and _defined_here(doc, fig):
                continue
            return rule.id
        return None

    @staticmethod
    def _counted(fig: Figure, doc: Doc | None) -> bool:
        """A year-like count of things ('2000 troops'): no date (asked only of a figure a date or
        the year test would veto)."""
        return fig.kind == "count" and _counts_things(doc, fig)

    @staticmethod
    def _in_name(fig: Figure, sent_text: str, sent_start: int, doc: Doc | None) -> bool:
        """A count right after a capitalised word ('Expo 2017') or counting a capitalised head."""
        before = sent_text[: fig.start - sent_start].rstrip()
        mid_sentence = bool(before) and before[-1] not in _SENTENCE_PUNCT
        number = sent_text[fig.num_start - sent_start: fig.num_end - sent_start]
        if number[:1].isupper() and number[:1].isalpha() and mid_sentence and fig.num_start == fig.start:
            return True  # "the Group of Seven", "the Big Four"
        if _headline(sent_text):
            return False  # in "China And Kazakhstan Sign 20 Deals" every word is capitalised
        prev = _PREV_WORD.search(before, len(before) - _WORDISH.match(before[::-1]).end())
        if prev and prev.group(1)[0].isupper() and before[: prev.start()].strip() and \
                not re.search(r"['’]s?$", prev.group(1)) and prev.group(1).lower() not in _NAME_FREE:
            return True  # "Boeing 737", "Resolution 2231"; not a possessor ("China's 1.4 billion people")
        if not number[:1].isalpha():  # digits before a capitalised noun are counts ("193 Member States")
            return False
        after = sent_text[fig.end - sent_start:]
        nxt = re.match(r"[\s-]+([A-Za-z][\w'’.]*)", after)
        if not nxt or not nxt.group(1)[0].isupper() or nxt.group(1).isupper():
            return False
        if doc is not None and doc.has_annotation("DEP"):
            token = _token_at(doc, fig.end + nxt.start(1))
            if token is None:
                return False
            head = token.head if token.dep_ in ("compound", "amod", "nmod") and token.head.i > token.i else token
            return head.is_title and head.ent_type_ != "NORP"  # "three Americans" counts people
        return True

    # ------------------------------------------------------------------ unit, subject, period
    def unit_of(self, fig: Figure, doc: Doc, sent: Span) -> tuple[str | None, str | None, Token | None]:
        """(unit, subject, counted noun token) of a count."""
        after = text_of(doc)[fig.end:]
        unit_match = self.units_re.match(after)
        if unit_match:
            rule = self.units[_key(unit_match.group(1))]
            fig.fired.add(rule.id)
            fig.timeless = rule.timeless
            return rule.unit, unit_match.group(1), None
        unit = self._pattern_unit(fig, doc, sent)
        if unit is not None:
            return unit, None, None
        hyphen = re.match(r"-([a-z]+)\b", after)
        if hyphen:
            word = _token_at(doc, fig.end + 1)
            if not doc.has_annotation("TAG") or word is None or word.pos_ not in ("ADJ", "ADV", "VERB"):
                unit = _singular(hyphen.group(1))
                fig.timeless = unit in _TIME_NOUNS  # "a 15-year concession": a term, not dated by the clause
                return unit, None, None
            # "a 5,000-strong force": the hyphenated word describes; the noun it modifies is counted,
            # or its members ("a 2,000-strong team of experts")
            noun = word.head if word.head.i > word.i and word.head.pos_ in ("NOUN", "PROPN") else None
            if noun is None:
                return None, None, None
            members = _of_object(noun)
            if members is not None and members.tag_ in ("NNS", "NNPS"):
                noun = members
            return _token_unit(noun), _noun_phrase(noun, exclude=word), noun
        root = _figure_root(doc, fig)
        if root is None:
            return None, None, None
        headline = _headline(span_text(sent))
        if not doc.has_annotation("DEP") or headline:  # the parse of a title-case line is unreliable
            words: list[Token] = []
            named = False  # inside a proper name that modifies the noun
            for token in doc[root.i + 1: sent.end]:
                if token.idx < fig.end:
                    continue  # the figure's own suffix ("1,200+")
                if token.text == "-" or token.is_alpha and (token.is_lower or headline) and not token.is_stop:
                    words.append(token)
                    if not headline and _plural_like(token) and not (
                            token.i + 1 < sent.end and token.nbor(1).is_lower and _plural_like(token.nbor(1))):
                        break  # a plural noun ends the phrase ("countries attended"), unless one follows ("gas pipelines")
                elif not words and not headline and (token.lower_ == "other" or token.is_title or token.is_upper
                                                     or named and token.lower_ in _NAME_GLUE):
                    named = named or token.is_title or token.is_upper
                    continue  # "four other ECOWAS countries", "20 Chinese firms": the noun after the name
                else:
                    break
            nouns = [t for t in words if t.is_alpha]
            if not nouns:
                return None, None, None
            return _singular(nouns[-1].text), doc[words[0].i: nouns[-1].i + 1].text, nouns[-1]
        noun = _counted_noun(root, fig)
        if noun is None:
            noun = _number_of(sent)
        if noun is None and _bare_whole(root) is not None:
            noun = _antecedent(root, sent)  # "all CPEC projects ..., with nine of the 22 completed"
        if noun is None:
            return None, None, None
        return _token_unit(noun), _noun_phrase(noun, exclude=root), noun

    def _pattern_unit(self, fig: Figure, doc: Doc, sent: Span) -> str | None:
        """Unit of the first unit pattern ('Mnangagwa, 75,' gives 'year') whose match holds the number."""
        text = span_text(sent)
        n0, n1 = fig.num_start - sent.start_char, fig.num_end - sent.start_char
        for rule, pattern, test in self.unit_patterns:
            if test is not None and not test.admits(text):
                continue
            for m in pattern.finditer(text):
                if not (m.start() <= n0 and n1 <= m.end()):
                    continue
                if rule.after_person and not _person_before(doc, sent.start_char + m.start()):
                    continue
                fig.fired.add(rule.id)
                fig.timeless = rule.timeless
                return rule.unit
        return None

    def period_of(self, fig: Figure, doc: Doc, sent: Span, dates: list[DateMention]) -> str | None:
        """ISO period of the date that governs the figure; None for lasting properties."""
        text = span_text(sent)
        usable = [
            d for d in dates
            if d.date.value is not None and d.date.modifier not in _OPEN_BOUNDS
            and (d.date.granularity not in ("day", "week") or d.date.modifier in ("as of", "by"))
            and not (d.date.kind == "exact" and (d.date.modifier == "from" or _BASE.search(text[: d.start])))
        ]
        if not usable or fig.timeless:
            return None
        root = _figure_root(doc, fig)
        has_parse = doc.has_annotation("DEP")
        if has_parse and root is not None and fig.kind == "money" and _attributive(root):
            return None  # a project's cost: a lasting property, not dated by the clause
        if not has_parse or root is None:
            nearest = min(usable, key=lambda d: abs(d.start + sent.start_char - fig.start))
            return nearest.date.span
        tied = []
        for d in usable:
            attach = _date_attachment(doc, sent.start_char + d.start, sent.start_char + d.end)
            if attach is None:
                continue
            if attach == root or attach in root.ancestors:
                tied.append((abs(sent.start_char + d.start - fig.start), d))
        if not tied:
            return None
        return min(tied, key=lambda x: x[0])[1].date.span

    def subject_of(self, fig: Figure, doc: Doc, noun_subject: str | None) -> str | None:
        if fig.kind == "count" or fig.kind == "vague" and noun_subject:
            return noun_subject
        root = _figure_root(doc, fig)
        if root is None or not doc.has_annotation("DEP"):
            return None
        for child in root.children:  # "$20 billion in AI data centers"
            if child.dep_ == "prep" and child.lower_ in ("in", "of", "for", "on"):
                pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
                if pobj is not None:
                    return _noun_phrase(pobj)
        if _attributive(root):
            return _noun_phrase(root.head, exclude=root)
        verb = next((a for a in [root, *root.ancestors] if a.pos_ in ("VERB", "AUX")), None)
        if verb is not None:
            subj = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            if subj is not None and not subj.is_stop:
                return _noun_phrase(subj)
        return None

    # ------------------------------------------------------------------ the component
    def analyse(self, doc: Doc) -> list[tuple[Figure, NumericClaim | None]]:
        """Every candidate with its veto or its record: the component's output and its trace."""
        published = getattr(doc._, "published", None)
        results: list[tuple[Figure, NumericClaim | None]] = []
        money_codes: Counter[str] = Counter()
        pending: list[tuple[Figure, Span, list[DateMention]]] = []
        doc_text = text_of(doc)
        for sent in sentences_of(doc):
            text = doc_text[sent.start_char:sent.end_char]
            figures = self.figures(text, sent.start_char)
            if not figures:
                continue
            dates = find_dates(text, published)
            frames = find_time_frames(text)
            excluded = self.exclusion_spans(text)
            kept = []
            for fig in figures:
                fig.veto = self.veto(fig, text, sent.start_char, dates, frames, excluded, doc)
                if fig.veto:
                    results.append((fig, None))
                    continue
                if fig.kind == "money" and fig.unit:
                    money_codes[fig.unit] += 1
                kept.append(fig)
            # A year-like count ("2000 troops") is no date for the figures of its sentence.
            spans = [(f.num_start - sent.start_char, f.num_end - sent.start_char) for f in kept]
            dates = [d for d in dates if not any(d.start < e and s < d.end for s, e in spans)]
            pending.extend((fig, sent, dates) for fig in kept)
        last: tuple[str, int] | None = None  # unit and sentence of the previous count
        for fig, sent, dates in pending:
            claim = self._record(fig, doc, sent, dates, money_codes, last)
            if fig.kind == "count" and claim.unit:
                last = (claim.unit, sent.start)
            results.append((fig, claim))
        results.sort(key=lambda r: r[0].start)
        return results

    def _record(self, fig: Figure, doc: Doc, sent: Span, dates: list[DateMention], codes: Counter[str],
                last: tuple[str, int] | None) -> NumericClaim:
        unit, noun_subject = fig.unit, None
        if fig.kind in ("count", "vague"):
            unit, noun_subject, _ = self.unit_of(fig, doc, sent)
            if unit is None and fig.kind == "count" and last is not None and (
                last[1] == sent.start or _ELLIPSIS.search(text_of(doc)[max(0, fig.start - 80): fig.start])
            ):
                # The noun is understood: "7.6 million people ... and 32 million", "... Another eight"
                unit = last[0]
            if fig.kind == "vague" and fig.value >= 1e6 and re.match(r"\s+(?:in|worth)\b", text_of(doc)[fig.end:]):
                unit = codes.most_common(1)[0][0] if codes else None  # "billions in deals": money
                fig.kind = "money"
        sentence = span_text(sent).strip()
        return NumericClaim(
            sentence=sentence,
            start=fig.start,
            end=fig.end,
            rule=fig.rule,
            text=fig.text,
            value=fig.value,
            value_max=fig.value_max,
            unit=unit,
            qualifier=fig.qualifier,
            subject=self.subject_of(fig, doc, noun_subject),
            period=self.period_of(fig, doc, sent, dates),
        )

    def __call__(self, doc: Doc) -> Doc:
        doc._.numeric_claims = [claim for _, claim in self.analyse(doc) if claim is not None]
        return doc


#: A day or week dates an event ("announced on Monday"), not the amount; only "as of"/"by" date a stock.
#: "since 2013", "before 2020": one open end of a span, not the time a figure refers to.
_OPEN_BOUNDS = {"since", "after", "before", "until", "till"}

#: "up 20 percent from 2022", "compared with 2023": the base of a comparison, not the figure's time.
_BASE = re.compile(r"\b(?:from|than|over|compared\s+(?:with|to)|versus|vs\.?)\s*$", re.IGNORECASE)

#: A count right after these words leaves its noun understood from the previous count.
_ELLIPSIS = re.compile(r"\b(?:another|other|the\s+other|the\s+remaining|remaining|of\s+which|of\s+them)\s*$", re.IGNORECASE)

_NAME_FREE = {
    "the", "a", "an", "of", "in", "on", "at", "by", "for", "to", "and", "or", "but", "with", "from", "over",
    "about", "around", "nearly", "than", "some", "almost", "up", "at least", "last", "this", "next", "all",
    "another", "only", "just", "its", "their", "our", "his", "her", "total", "since", "until", "before",
    "after", "during", "between", "among", "i", "we", "they", "he", "she", "it", "there", "here", "these",
}


class Exclusions:
    """The pattern exclusions of one sentence: which of them its gates admit, asked once when a
    figure first gets that far (most are vetoed before), and the spans of each admitted one,
    scanned when first needed."""

    def __init__(self, patterns: list[tuple[ExclusionRule, re.Pattern[str], Scanner | None]], gates: GateSet,
                 text: str) -> None:
        self.patterns, self.gates, self.text = patterns, gates, text
        self._spans: list[tuple[ExclusionRule, PatternSpans]] | None = None

    def overlapping(self, start: int, end: int) -> Iterator[ExclusionRule]:
        """The rules, in file order, with a match overlapping start:end (each scanned only when reached)."""
        if self._spans is None:
            self._spans = [(rule, PatternSpans(pattern, self.text, scan))
                           for (rule, pattern, scan), admitted in zip(self.patterns, self.gates.admitted(self.text))
                           if admitted]
        return (rule for rule, spans in self._spans if spans.overlaps(start, end))


class PatternSpans:
    """The (start, end) spans of a pattern's matches in a text, found on first iteration and kept
    (by the pattern's scanner when it has one)."""

    def __init__(self, pattern: re.Pattern[str], text: str, scan: Scanner | None = None) -> None:
        self.pattern, self.text, self.scan = pattern, text, scan
        self._spans: list[tuple[int, int]] | None = None
        self._ends: list[int] = []

    def __iter__(self) -> Iterator[tuple[int, int]]:
        return iter(self._found())

    def overlaps(self, start: int, end: int) -> bool:
        """A match overlaps start:end. The matches do not overlap and come in order, so their ends
        rise too: the first ending after `start` is the only one to look at."""
        spans = self._found()
        if not spans:
            return False
        i = bisect_right(self._ends, start)
        return i < len(spans) and spans[i][0] < end

    def _found(self) -> list[tuple[int, int]]:
        if self._spans is None:
            if self.scan is not None:
                self._spans = self.scan.spans(self.text)
            else:
                self._spans = [m.span() for m in self.pattern.finditer(self.text)]
            self._ends = [e for _, e in self._spans]
        return self._spans


def _key(words: str) -> str:
    """Lower case with single spaces: how the rule tables are keyed ('More  than' gives 'more than')."""
    return re.sub(r"\s+", " ", words.lower())


def _fold(words: str) -> str:
    """Lower case with single spaces for hyphens and runs of spaces: 'Two-Thirds' gives 'two thirds'."""
    return re.sub(r"[\s-]+", " ", words.lower())


#: The word a number follows ('Boeing' of 'Boeing 737'), and the characters it is made of.
_PREV_WORD = re.compile(r"([A-Za-z][\w'’.-]*)$")
_WORDISH = re.compile(r"[\w'’.-]*")


def _last_text(func: Callable[[str], _T]) -> Callable[[str], _T]:
    """`func(text)` kept for the last text object it was given: the figures of a sentence ask the
    same question of the same text (one entry, so no text is remembered beyond its sentence)."""
    last: list = [None, None]

    def remembered(text: str) -> _T:
        if last[0] is not text:
            last[0], last[1] = text, func(text)
        return last[1]

    return remembered


@_last_text
def _headline(text: str) -> bool:
    """A title-case line: at least three quarters of its words of four letters or more capitalised."""
    words = re.findall(r"[A-Za-z][a-z’']{3,}", text)
    return len(words) >= 3 and sum(w[0].isupper() for w in words) >= 0.75 * len(words)


def _token_at(doc: Doc, char: int) -> Token | None:
    span = doc.char_span(char, char + 1, alignment_mode="expand")
    return span[0] if span is not None and len(span) else None


def _figure_root(doc: Doc, fig: Figure) -> Token | None:
    """The token that stands for the figure in the parse: the span's root ('billion', '60')."""
    span = doc.char_span(fig.num_start, fig.core_end, alignment_mode="expand")
    if span is None or not len(span):
        return None
    return span.root if doc.has_annotation("DEP") else span[-1]


def _singular(word: str) -> str:
    w = word.lower()
    if w.endswith("ies") and len(w) > 4:
        return w[:-3] + "y"
    if w.endswith(("ches", "shes", "sses", "xes")):
        return w[:-2]
    if w.endswith("s") and not w.endswith(("ss", "us", "is")):
        return w[:-1]
    return w


def _token_unit(token: Token) -> str:
    """Lower-case singular of a counted noun ('MOUs' gives 'mou', 'pairs' gives 'pair')."""
    if token.text.isupper() and token.text.endswith("s"):
        return token.text[:-1].lower()
    lemma = token.lemma_.lower()
    if lemma == token.lower_ and (token.tag_ in ("NNS", "NNPS") or token.is_title and token.tag_ == "NNP"):
        return _singular(lemma)  # the lemmatizer leaves capitalised plurals: "193 Member States"
    if lemma.endswith("os") and lemma + "es" == token.lower_:
        return token.lower_[:-1]  # the rule lemmatizer's "doses" -> "dos"
    return lemma


def _counted_noun(root: Token, fig: Figure) -> Token | None:
    """The noun a number counts: its head, the object of 'N of the Xs', or a following noun."""
    pobj = _of_object(root)  # "23 of the 68 countries", "thousands of DPRK troops"
    if pobj is not None:
        return pobj
    head = root.head
    if root.dep_ in ("nummod", "quantmod", "amod", "compound", "nmod", "npadvmod") and head.i > root.i \
            and head.pos_ in ("NOUN", "PROPN"):
        if head.lemma_.lower() in _TIME_NOUNS and any(c.lower_ in _DEICTIC and root.i < c.i for c in head.children):
            return None  # "increased from 2,000 to 5,000 last year": a date after the number, not its noun
        return _head_after_name(_compound_head(head))
    nxt = next((t for t in root.doc[root.i + 1: root.i + 4] if t.idx >= fig.end), None)  # past "+", "-plus"
    if nxt is not None and nxt.pos_ == "NOUN" and nxt.is_lower:
        return nxt
    return None


_RATIO = re.compile(r"(?<![\d])(?<!\d[.,])(\d{1,3})[-–](\d{1,3})(?!\d|[.,\-–]\d)")


def _in_ratio(sent_text: str, n0: int, n1: int) -> bool:
    """The number at n0:n1 is one side of 'N-M' with M <= N: a ratio or score, never a range."""
    return any(start <= n0 and n1 <= end for start, end in _ratios(sent_text))


@_last_text
def _ratios(sent_text: str) -> list[tuple[int, int]]:
    """The spans of 'N-M' with M <= N in a sentence (none without a dash, unscanned)."""
    if "-" not in sent_text and "–" not in sent_text:
        return []
    return [m.span() for m in _RATIO.finditer(sent_text) if int(m[2]) <= int(m[1])]


def _year_like(number: str, value: float) -> bool:
    """A year in digits ('2017') or in words ('Two Thousand and Twenty-Three', 'nineteen ninety-nine').

    A round number in words ('two thousand', 'eighteen hundred') is far more often a count.
    """
    if YEAR.match(number):
        return True
    return number[:1].isalpha() and 1800 <= value < 2100 and value % 100 != 0


_DEICTIC = {"last", "this", "next", "every", "each", "per", "a", "that", "the"}

_TIME_NOUNS = {"year", "month", "week", "day", "decade", "century", "hour", "minute", "season", "quarter",
               "anniversary", "time"}
_QUANTITY_DETS = {"some", "all", "about", "around", "nearly", "over"}


def _counts_things(doc: Doc | None, fig: Figure) -> bool:
    """A year-like number that counts a plural noun ('2000 troops'), which no date resolver can see.

    'the 2019 elections', 'its 2030 targets' keep their year: a determiner or possessive before the
    number marks a year naming the thing, a bare number before a plural noun counts it.
    """
    if doc is None or not doc.has_annotation("DEP") or fig.value_max is not None:
        return False
    if not YEAR.match(text_of(doc)[fig.num_start:fig.num_end]):
        return False
    root = _figure_root(doc, fig)
    if root is None or root.dep_ != "nummod":
        return False
    head = root.head
    if head.i < root.i or head.tag_ != "NNS" or head.lemma_.lower() in _TIME_NOUNS:
        return False
    return not any(c.dep_ in ("det", "poss") and c.i < root.i and c.lower_ not in _QUANTITY_DETS
                   for c in head.children)


_DEFINING = re.compile(r"^\s*(?::|,?\s*(?:namely|i\.e\.)\b)", re.IGNORECASE)


def _defined_here(doc: Doc | None, fig: Figure) -> bool:
    """The counted things are defined right where they are counted, so the count is news.

    'the three working groups that will assess ...', 'the four principles: respect, ...': a
    relative clause or a list after the noun phrase. Without a parse, a colon or 'that/which/who'
    within four words after the number.
    """
    if doc is None:
        return False
    if not doc.has_annotation("DEP"):
        rest = text_of(doc)[fig.end: fig.end + 80]
        return bool(re.match(r"^(?:[\s-]+[A-Za-z-]+){1,4}?(?:\s*:|\s+(?:that|which|who)\b|,?\s+namely\b)", rest))
    root = _figure_root(doc, fig)
    noun = _counted_noun(root, fig) if root is not None else None
    if noun is None:
        return False
    if any(c.dep_ == "relcl" for c in noun.children):
        return True
    ends = {noun.idx + len(noun.text), noun.right_edge.idx + len(noun.right_edge.text)}
    return any(_DEFINING.match(text_of(doc)[end: end + 20]) for end in ends)


def _person_before(doc: Doc, char: int) -> bool:
    """The word ending right before `char` is a person's name (a capitalised proper noun without NER)."""
    token = _token_at(doc, char - 1) if char > 0 else None
    if token is None or not token.text[:1].isupper():
        return False
    if token.ent_type_:
        return token.ent_type_ == "PERSON"
    return not doc.has_annotation("TAG") or token.pos_ == "PROPN"


def _of_pobjs(token: Token) -> list[Token]:
    """The objects of the 'of' phrases attached to `token`."""
    return [next(c for c in prep.children if c.dep_ == "pobj") for prep in token.children
            if prep.dep_ == "prep" and prep.lower_ == "of" and any(c.dep_ == "pobj" for c in prep.children)]


def _of_object(token: Token) -> Token | None:
    """The noun of an 'of' phrase attached to `token` ('thousands of troops' gives 'troops')."""
    return next((pobj for pobj in _of_pobjs(token) if pobj.pos_ in ("NOUN", "PROPN")), None)


def _compound_head(noun: Token) -> Token:
    """'400 million vaccine doses' counts doses: a singular noun compounding a plural one names its kind.

    A singular head stays ('a 1,000 bed hospital' counts beds).
    """
    while noun.dep_ == "compound" and noun.tag_ in ("NN", "NNP") and noun.head.i > noun.i \
            and noun.head.tag_ in ("NNS", "NNPS"):
        noun = noun.head
    return noun


_NAME_GLUE = {"of", "and", "the", "for", "on", "&", "(", ")", "-", "'s", "’s"}


def _head_after_name(noun: Token) -> Token:
    """'five other Association of Southeast Asian Nations (ASEAN) countries' counts countries.

    The parser often attaches the number to the first word of a proper name used as a modifier;
    the counted noun is the first lower-case plural noun right after the name.
    """
    if noun.pos_ != "PROPN" and not noun.is_title:
        return noun
    for token in noun.doc[noun.i + 1: sentence_at(noun.doc, noun.i).end]:
        if token.is_title or token.is_upper or token.pos_ == "PROPN" or token.lower_ in _NAME_GLUE:
            continue
        return token if token.pos_ == "NOUN" and token.tag_ == "NNS" else noun
    return noun


def _plural_like(token: Token) -> bool:
    """Without a tagger: a word whose singular differs from it ('countries', 'states')."""
    return token.is_alpha and _singular(token.text) != token.lower_


def _bare_whole(part: Token) -> Token | None:
    """The whole of a partitive without its noun: '22' in 'nine of the 22 completed'."""
    return next((pobj for pobj in _of_pobjs(part)
                 if pobj.like_num and any(c.dep_ == "det" for c in pobj.children)), None)


def _is_bare_whole(doc: Doc | None, fig: Figure) -> bool:
    """The figure is the bare whole of a partitive ('the 22' of 'nine of the 22'): already counted."""
    if doc is None or not doc.has_annotation("DEP"):
        return False
    root = _figure_root(doc, fig)
    if root is None or root.dep_ != "pobj" or root.head.lower_ != "of" or not root.head.head.like_num:
        return False
    return _bare_whole(root.head.head) == root


def _antecedent(number: Token, sent: Span) -> Token | None:
    """The last plural common noun before the number in its sentence: what an elliptical count counts."""
    before = [t for t in sent if t.i < number.i and t.tag_ == "NNS" and t.pos_ == "NOUN"]
    return before[-1] if before else None


def _number_of(sent: Span) -> Token | None:
    """'the number of visits ... amounted to 200,000': the counted noun is the object of 'number of'."""
    for token in sent:
        if token.lower_ == "number" and token.i + 2 < sent.end and token.nbor(1).lower_ == "of":
            pobj = next((c for c in token.nbor(1).children if c.dep_ == "pobj"), None)
            if pobj is not None:
                return pobj
    return None


def _noun_phrase(noun: Token, exclude: Token | None = None) -> str:
    """The noun with its left modifiers, without determiners, possessives and the figure itself."""
    skip = {t.i for t in exclude.subtree} if exclude is not None else set()
    left = [t for t in noun.lefts if t.dep_ in ("amod", "compound", "nmod", "nummod") and t.i not in skip]
    tokens = [t for l in left for t in l.subtree if t.i not in skip and t.dep_ not in ("det", "poss", "case")]
    first = min([t.i for t in tokens] + [noun.i])
    return noun.doc[first: noun.i + 1].text


def _attributive(root: Token) -> bool:
    """Money modifying a noun ('a $14 billion dam project'): the cost of a thing."""
    return root.dep_ in ("compound", "nmod", "amod", "nummod") and root.head.i > root.i and \
        root.head.pos_ in ("NOUN", "PROPN")


def _date_attachment(doc: Doc, start: int, end: int) -> Token | None:
    """The word a date phrase modifies: the head outside the date's own tokens."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or not len(span):
        return None
    root = span.root
    head = root.head
    while head.i != head.head.i and head.dep_ == "prep" and head.i in range(span.start, span.end):
        head = head.head
    if head.dep_ == "prep":  # "in 2023": the preposition's head
        head = head.head
    return head if head.i != root.i else root


@Language.factory(
    "diplo_numeric_claims",
    assigns=["doc._.numeric_claims"],
    default_config={"rules_dirs": []},
)
def make_numeric_claims(nlp: Language, name: str, rules_dirs: list[str]) -> NumericClaimExtractor:
    return NumericClaimExtractor(rules_dirs)
