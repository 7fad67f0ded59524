"""One date resolver for every extractor: dates, ranges, quarters and relative times.

Public API (documented in the README):

    from pipeline.dates import resolve_date, find_dates
    resolve_date("the first quarter of this year", published=date(2024, 7, 2)).value  # '2024-Q1'

`find_dates(sentence, published)` finds the time expressions of a sentence (with character
offsets) and resolves each; `resolve_date(text, published)` resolves one expression. Both
return the same `ResolvedDate`:

- `start`, `end`: first and last calendar day covered (`date`), None when unresolved;
- `granularity`: 'day', 'week', 'month', 'quarter' or 'year': the precision the text supports;
- `kind`: 'exact' (one day, week, month, quarter or year), 'range' (a span of several:
  "From June 7 to 10, 2017", "January-May", "2013-2016"), or 'unresolved' (a time expression
  whose date cannot be known: a relative one without a publication date, "over 80 years ago");
- `value`: the ISO form of the start at its granularity ('2017-06-07', '2018-07-02' for a week
  (its Monday), '2017-06', '2024-Q1', '2023'); `start_value` / `end_value` give each end of a
  range, `span` gives 'start/end' for a range (ANNOTATION.md's `2020-Q1/2020-Q3`) and `value`
  otherwise;
- `modifier`: the preposition that bounds the date ('by', 'since', 'from', 'before', ...), and
  `part`: the part of the period named ('early', 'mid', 'late', 'end', 'beginning'). "by the end
  of 2024" is year 2024 with modifier 'by' and part 'end': the ISO form stays the year, the most
  precise form the text supports.

Why a grammar of our own on top of dateparser: dateparser alone misses "Last year," before a
comma, splits "June 7 to 10, 2017" into two wrong dates, reads durations ("the past 32 years")
and "the 20th" as dates, has no ranges or quarters, and copies the reference day into coarse
dates. The grammar below handles the forms news and diplomatic texts use; dateparser is the
fallback of `resolve_date` for other absolute forms ("15.04.2024"), its `period` giving the
granularity. Relative expressions resolve against `published` only: with no publication date
they stay unresolved, never guessed from today's date.
"""
from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from text_to_num import text2num

Granularity = Literal["day", "week", "month", "quarter", "year"]
Kind = Literal["exact", "range", "unresolved"]
Tense = Literal["past", "future"]

__all__ = ["ResolvedDate", "DateMention", "resolve_date", "find_dates", "find_time_frames", "iso_value"]


def iso_value(day: dt.date, granularity: Granularity) -> str:
    """ISO form of the period holding `day` at a granularity; a week is its Monday's date."""
    if granularity == "day":
        return day.isoformat()
    if granularity == "week":
        return (day - dt.timedelta(days=day.weekday())).isoformat()
    if granularity == "month":
        return f"{day.year:04d}-{day.month:02d}"
    if granularity == "quarter":
        return f"{day.year:04d}-Q{(day.month - 1) // 3 + 1}"
    return f"{day.year:04d}"


@dataclass(frozen=True)
class ResolvedDate:
    """A resolved time expression; see the module docstring for the meaning of each field."""

    start: dt.date | None = None
    end: dt.date | None = None
    granularity: Granularity | None = None
    kind: Kind = "unresolved"
    modifier: str | None = None
    part: str | None = None

    @property
    def start_value(self) -> str | None:
        """ISO form of the start ('2017-06-07', '2024-Q1', '2023'), None when unresolved."""
        if self.start is None or self.granularity is None:
            return None
        return iso_value(self.start, self.granularity)

    @property
    def end_value(self) -> str | None:
        """ISO form of the end; equals `start_value` for an exact date."""
        if self.end is None or self.granularity is None:
            return None
        return iso_value(self.end, self.granularity)

    @property
    def value(self) -> str | None:
        """ISO form of the date (the start's, for a range): what `period`, `due`, `date_start` hold."""
        return self.start_value

    @property
    def span(self) -> str | None:
        """'start/end' for a range ('2017-06-07/2017-06-10'), else `value`."""
        if self.kind == "range" and self.start_value != self.end_value:
            return f"{self.start_value}/{self.end_value}"
        return self.value


@dataclass(frozen=True)
class DateMention:
    """A time expression found in a text: its span, the grammar rule and the resolution."""

    text: str
    start: int
    end: int
    rule: str
    date: ResolvedDate

    @property
    def value(self) -> str | None:
        return self.date.value


UNRESOLVED = ResolvedDate()

# ---------------------------------------------------------------- vocabulary
MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
    "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}
WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6}
ORDINALS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4,
            "final": 4, "last": 4}
#: Cardinals in words below twenty, and the tens (also read by the numeric claims extractor).
SMALL_NUMBERS = ("one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
                 "sixteen seventeen eighteen nineteen").split()
TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()

# Months are matched case-sensitively: "may" the modal and "march" the verb are not months.
_MONTH = (r"(?-i:(?P<{g}>January|February|March|April|May|June|July|August|September|October|November"
          r"|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?)")
#: A space after a month, or none after an abbreviation's period ("Nov.13, 2016", as wire captions write it).
_MSEP = r"(?:\s+|(?<=\.))"
_WEEKDAY = r"(?-i:(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday))"
_DAY = r"(?P<{g}>3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?(?![\d:])"
_YEAR = r"(?<![\d$€£.,/])(?P<{g}>1[89]\d\d|20\d\d)(?![\d%]|[,./]\d|s\b)"
_REL_YEAR = r"(?P<{g}>this|last|next|the\s+current|the\s+previous|the\s+following)\s+year"
_TO = r"\s*(?:-|–|—|\bto\b|\bthrough\b|\buntil\b|\btill\b|\band\b)\s*"
_PREP = (r"(?:(?P<prep>from|between|by|since|until|till|through|before|after|as\s+of|"
         r"(?:no|not)\s+later\s+than)\s+)?")
_PART = (r"(?:(?:the\s+)?(?P<part>end|beginning|start|middle|close|turn)\s+of\s+(?:the\s+)?"
         r"|(?P<part2>early|mid|late|later|earlier|end)(?:\s+|-))?")
_NUMBER = (r"(?P<n>\d[\d,]*|an?|a\s+few|a\s+couple\s+of|(?:" + "|".join(TENS) + r")(?:[-\s](?:"
           + "|".join(SMALL_NUMBERS[:9]) + r"))?|" + "|".join(SMALL_NUMBERS) + r"|a\s+hundred|hundreds\s+of)")
_HEDGE = (r"(?:(?P<hedge>over|more\s+than|nearly|almost|about|around|some|roughly|approximately|"
          r"less\s+than|at\s+least|just\s+over|just\s+under|well\s+over)\s+)?")


def _m(name: str) -> str:
    return _MONTH.format(g=name)


def _d(name: str) -> str:
    return _DAY.format(g=name)


def _y(name: str) -> str:
    return _YEAR.format(g=name)


def _yref(year: str, rel: str) -> str:
    """A year, written ('2024') or relative ('this year')."""
    return rf"(?:{_y(year)}|{_REL_YEAR.format(g=rel)})"


# ---------------------------------------------------------------- resolution helpers
@dataclass(frozen=True)
class _Context:
    text: str
    published: dt.date | None
    tense: Tense | None


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _day(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _number(text: str) -> int | None:
    """A cardinal written in digits or words ('32', 'thirty-two', 'a'); None if not a number."""
    text = re.sub(r"\s+", " ", text.strip().lower())
    if text in ("a", "an"):
        return 1
    if text.replace(",", "").isdigit():
        return int(text.replace(",", ""))
    try:
        return int(text2num(text.replace(" ", "-") if " " in text and text.split()[0] in TENS else text, "en"))
    except ValueError:
        return None


def _rel_year(word: str | None, ctx: _Context) -> int | None:
    """Year of 'this year' / 'last year' / 'next year' against the publication date."""
    if ctx.published is None or word is None:
        return None
    word = word.split()[-1].lower()
    return ctx.published.year + {"this": 0, "current": 0, "last": -1, "previous": -1, "next": 1, "following": 1}[word]


def _year_of(m: re.Match, year_group: str, rel_group: str, ctx: _Context) -> tuple[int | None, bool]:
    """(year, stated): the written or relative year; else the publication year, not stated."""
    if m.group(year_group):
        return int(m.group(year_group)), True
    if rel_group in m.groupdict() and m.group(rel_group):
        return _rel_year(m.group(rel_group), ctx), True
    return (ctx.published.year if ctx.published else None), False


def _year_for_month(month: int, m: re.Match, ctx: _Context, year_group: str = "y", rel_group: str = "ry") -> int | None:
    """Year of a month: stated, or the publication year shifted by the tense hint."""
    year, stated = _year_of(m, year_group, rel_group, ctx)
    if year is None or stated or ctx.published is None:
        return year
    if ctx.tense == "past" and month > ctx.published.month:
        return year - 1
    if ctx.tense == "future" and month < ctx.published.month:
        return year + 1
    return year


def _mods(m: re.Match) -> dict[str, str | None]:
    groups = m.groupdict()
    prep = groups.get("prep")
    part = groups.get("part") or groups.get("part2")
    return {
        "modifier": re.sub(r"\s+", " ", prep.lower()) if prep else None,
        "part": part.lower() if part else None,
    }


def _exact(start: dt.date, end: dt.date, gran: Granularity, m: re.Match) -> ResolvedDate:
    return ResolvedDate(start, end, gran, "exact", **_mods(m))


def _range(start: dt.date, end: dt.date, gran: Granularity, m: re.Match) -> ResolvedDate | None:
    if end < start:
        return None
    return ResolvedDate(start, end, gran, "range", **_mods(m))


def _unresolved(gran: Granularity | None, m: re.Match) -> ResolvedDate:
    return ResolvedDate(None, None, gran, "unresolved", **_mods(m))


def _year_bounds(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def _month_bounds(year: int, month: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, month, 1), _month_end(year, month)


def _quarter_bounds(year: int, quarter: int) -> tuple[dt.date, dt.date]:
    first = 3 * (quarter - 1) + 1
    return dt.date(year, first, 1), _month_end(year, first + 2)


#: "this/last/next quarter|month|week": steps from the publication date's period.
_REL_STEP = {"this": 0, "last": -1, "next": 1}


def _month_no(name: str) -> int:
    """'Nov.' gives 11."""
    return MONTHS[name.lower().rstrip(".")]


# ---------------------------------------------------------------- rule handlers
Handler = Callable[[re.Match, _Context], "ResolvedDate | None"]


def _h_iso(m: re.Match, ctx: _Context) -> ResolvedDate | None:
    day = _day(int(m["y"]), int(m["mo"]), int(m["d"]))
    return _exact(day, day, "day", m) if day else None


def _h_day_md(m: re.Match, ctx: _Context) -> ResolvedDate | None:
    month = _month_no(m["m1"])
    year = _year_for_month(month, m, ctx)
    if year is None:
        return _unresolved("day", m)
    day = _day(year, month, int(m["d1"]))
    return _exact(day, day, "day", m) if day else None


def _day_span(m: re.Match, ctx: _Context, month1: int, month2: int, anchor: int) -> ResolvedDate | None:
    """A range of days from month1/d1 to month2/d2; the year is found from the `anchor` month."""
    year = _year_for_month(anchor, m, ctx)
    if year is None:
        return _unresolved("day", m)
    first, last = _day(year, month1, int(m["d1"])), _day(year, month2, int(m["d2"]))
    if first is None or last is None:
        return None
    return _range(first, last, "day", m)


def _h_day_range(m: re.Match, ctx: _Context) -> ResolvedDate | None:
    """'June 7 to 10, 2017', 'June 28 to July 2': the written month precedes the first day."""
    month1 = _month_no(m["m1"])
    month2 = _month_no(m["m2"]) if m.groupdict().get("m2") else month1
    return _day_span(m, ctx, month1, month2, anchor=month1)


def _h_day_range_dm(m: re.Match, ctx: _Context) -> ResolvedDate | None:
    """'7-10 June 2017', '28 June to 2 July': the written month follows the second day."""
    month2 = _month_no(m["m1"])
    month1 = _month_no(m["m2"]) if m["m2"] else month2
    return _day_span(m, ctx, month1, month2, anchor=month2)


def _h_month_range(m: re.Match, ctx: _Context) -> ResolvedDate | None:
    month1, month2 = _month_no(m["m1"]), _month_no(m["m2"])
    year = _year_for_month(month2, m, ctx)
    if year is None:
        return _unresolved("month", m)
    start_year = year - 1 if month1 > month2 else year
    return _range(dt.date(start_year, month1, 1), _month_end(year, month2), "month", m)


def _h_month(m: re.Match, ctx: _Context) -> ResolvedDate | None:
    groups = m.groupdict()
    month = _month_no(m["m1"])
    cue = (groups.get("cue") or "").lower()
    if not (m["y"] or groups.get("ry") or cue or groups.get("prep") or groups.get("part") or groups.get("part2")):
        return None  # a bare month name ("May") is too often not a date
    if cue in ("last", "next", "this") and ctx.published is not None:
        year = ctx.published.year
        if cue == "last" and month >= ctx.published.month:
            year -= 1
        elif cue == "next" and month <= ctx.published.month:
            year += 1
    else:
        year = _year_for_month(month, m, ctx)
    if year is None:
        return _unresolved("month", m)
    return _exact(*_month_bounds(year, month), "month", m)


def _h_quarter(m: re.Match, ctx: _Context) -> ResolvedDate | None:
    quarter = int(m["qd"]) if m.groupdict().get("qd") else ORDINALS[m["qn"].lower()]
    year, _ = _year_of(m, "y", "ry", ctx)
    if year is None:
        return _unresolved("quarter", m)
    return _exact(*_quarter_bounds(year, quarter), "quarter", m)


def _h_rel_quarter(m: re.Match, ctx: _Context) -> ResolvedDate | None:
    if ctx.published is None:
        return _unresolved("quarter", m)
    index = ctx.published.year * 4 + (ctx.published.month - 1) // 3
    index += _REL_STEP[m["rel"].lower()]
    return _exact(*_quarter_bounds(index // 4, index % 4 + 1), "quarter", m)


def _h_half(m: re.Match, ctx: _Context) -> ResolvedDate | None:
    groups = m.groupdict()
    half = 1 if (groups.get("hd") or groups.get("hn") or "").lower() in ("1", "first", "1st") else 2
    year, _ = _year_of(m, "y", "ry", ctx)
    if year is None:
        return _unresolved("quarter", m)
    start, _ = _quarter_bounds(year, 2 * half - 1)
    _, end = _quarter_bounds(year, 2 * half)
    return _range(start, end, "quarter", m)


def _h_first_months(m: re.Match, ctx: _Context) -> ResolvedDate | None:
    """'the first five months of this year': January to May."""
    months = _number(m["n"])
    if months is None or not 1 <= months <= 12:
        return None
    year, _ = _year_of(m, "y", "ry", ctx)
    if year is None:
        return _unresolved("month", m)
    if months == 1:
        return _exact(*_month_bounds(year, 1), "month", m)
    return _range(dt.date(year, 1, 1), _month_end(year, months), "month", m)


def _h_year_range(m: re.Match, ctx: _Context) -> ResolvedDate | None:
    first = int(m["y"])
    last = int(m["y2"]) if m["y2"] else first // 100 * 100 + int(m["y2s"])
    if last <= first or last - first > 100:
        return None
    return _range(dt.date(first, 1, 1), dt.date(last, 12, 31), "year", m)


_FUNCTION_WORDS = {
    "in", "by", "since", "until", "till", "through", "before", "after", "from", "of", "during", "and",
    "to", "between", "as", "early", "mid", "late", "end", "around", "about", "than", "for", "year",
    "at", "on", "the", "fiscal", "calendar", "beginning", "start", "spring", "summer", "autumn", "fall",
    "winter", "year's", "with", "fy", "or", "but", "that", "when", "while", "where", "which",
}


def _year_in_name(m: re.Match, ctx: _Context) -> bool:
    """'Astana Expo 2017', 'the 2030 Agenda': a year that is part of a proper name."""
    before = ctx.text[: m.start("y")].rstrip()
    after = ctx.text[m.end("y"):]
    prev = re.search(r"([A-Za-z][\w'’.-]*)$", before)
    nxt = re.match(r"\s+([A-Z][\w'’.-]*)", after)
    prev_word = prev.group(1) if prev else ""
    if nxt and prev_word.lower() == "the" and before.endswith(prev_word):
        return True
    return bool(
        before.endswith(prev_word)
        and prev_word[:1].isupper()
        and prev_word.lower() not in _FUNCTION_WORDS
        and prev_word.lower().rstrip(".") not in MONTHS
        and prev_word.lower() not in WEEKDAYS
    )


def _h_decade(m: re.Match, ctx: _Context) -> ResolvedDate | None:
    """'the 1990s': the ten years, a range of years."""
    first = int(m["y"])
    return _range(dt.date(first, 1, 1), dt.date(first + 9, 12, 31), "year", m)


def _h_year_end(m: re.Match, ctx: _Context) -> ResolvedDate | None:
    """'by year-end', 'at the end of the year': the publication year, part 'end'."""
    if ctx.published is None:
        return ResolvedDate(None, None, "year", "unresolved", _mods(m)["modifier"], "end")
    year = ctx.published.year
    return ResolvedDate(*_year_bounds(year), "year", "exact", _mods(m)["modifier"], "end")


_SEASON_END = {"spring": 5, "summer": 8, "autumn": 11, "fall": 11, "winter": 2}


def _h_season(m: re.Match, ctx: _Context) -> ResolvedDate | None:
    """'this autumn', 'last summer', 'spring 2023': only the year is supported (seasons differ by hemisphere)."""
    if m["y"]:
        year: int | None = int(m["y"])
    elif ctx.published is None:
        return _unresolved("year", m)
    else:
        rel = m["rel"].split()[-1].lower()
        year = ctx.published.year
        season_over = ctx.published.month > _SEASON_END[m["season"].lower()] and m["season"].lower() != "winter"
        if rel == "last" and not season_over:
            year -= 1
        elif rel in ("next", "coming") and season_over:
            year += 1
    return _exact(*_year_bounds(year), "year", m)


def _h_month_year_range(m: re.Match, ctx: _Context) -> ResolvedDate | None:
    """'June 2024 to March 2025'."""
    start = dt.date(int(m["y1"]), _month_no(m["m1"]), 1)
    last_month = _month_no(m["m2"])
    return _range(start, _month_end(int(m["y"]), last_month), "month", m)


def _h_year(m: re.Match, ctx: _Context) -> ResolvedDate | None:
    if _year_in_name(m, ctx):
        return None
    year = int(m["y"])
    return _exact(*_year_bounds(year), "year", m)


def _h_rel_year(m: re.Match, ctx: _Context) -> ResolvedDate | None:
    year = _rel_year(m["ry"], ctx)
    if year is None:
        return _unresolved("year", m)
    return _exact(*_year_bounds(year), "year", m)


def _h_rel_month(m: re.Match, ctx: _Context) -> ResolvedDate | None:
    if ctx.published is None:
        return _unresolved("month", m)
    index = ctx.published.year * 12 + ctx.published.month - 1 + _REL_STEP[m["rel"].lower()]
    return _exact(*_month_bounds(index // 12, index % 12 + 1), "month", m)


def _h_rel_week(m: re.Match, ctx: _Context) -> ResolvedDate | None:
    if ctx.published is None:
        return _unresolved("week", m)
    monday = ctx.published - dt.timedelta(days=ctx.published.weekday())
    monday += dt.timedelta(weeks=_REL_STEP[m["rel"].lower()])
    return _exact(monday, monday + dt.timedelta(days=6), "week", m)


def _h_recent(m: re.Match, ctx: _Context) -> ResolvedDate | None:
    """'in recent weeks': vague, so only the publication year is supported."""
    if ctx.published is None:
        return _unresolved("year", m)
    year = ctx.published.year
    return _exact(*_year_bounds(year), "year", m)


def _h_ago(m: re.Match, ctx: _Context) -> ResolvedDate | None:
    amount = _number(m["n"])
    unit = m["unit"].lower().rstrip("s")
    gran: Granularity = {"year": "year", "decade": "year", "month": "month", "week": "week", "day": "day"}[unit]
    if amount is None or ctx.published is None or m["hedge"] or "few" in m["n"] or "couple" in m["n"]:
        return _unresolved(gran, m)  # "over 80 years ago" locates no date
    pub = ctx.published
    if unit in ("year", "decade"):
        year = pub.year - amount * (10 if unit == "decade" else 1)
        if year < 1:
            return _unresolved(gran, m)
        return _exact(*_year_bounds(year), "year", m)
    if unit == "month":
        index = pub.year * 12 + pub.month - 1 - amount
        return _exact(*_month_bounds(index // 12, index % 12 + 1), "month", m)
    day = pub - dt.timedelta(days=amount * (7 if unit == "week" else 1))
    if unit == "week":
        monday = day - dt.timedelta(days=day.weekday())
        return _exact(monday, monday + dt.timedelta(days=6), "week", m)
    return _exact(day, day, "day", m)


_DAY_WORDS = {"today": 0, "tonight": 0, "this morning": 0, "this afternoon": 0, "this evening": 0,
              "yesterday": -1, "tomorrow": 1, "the day before yesterday": -2, "the day after tomorrow": 2}


def _h_day_word(m: re.Match, ctx: _Context) -> ResolvedDate | None:
    before = ctx.text[: m.start()].rstrip()
    if m["w"][0].isupper() and before and before[-1].isalpha():
        return None  # capitalised mid-sentence: a name ("China Today")
    if ctx.published is None:
        return _unresolved("day", m)
    day = ctx.published + dt.timedelta(days=_DAY_WORDS[re.sub(r"\s+", " ", m["w"].lower())])
    return _exact(day, day, "day", m)


def _h_weekday(m: re.Match, ctx: _Context) -> ResolvedDate | None:
    """Nearest such weekday; 'last'/past tense looks back, 'next'/future tense looks ahead."""
    if ctx.published is None:
        return _unresolved("day", m)
    rel = (m["rel"] or "").lower()
    back = (ctx.published.weekday() - WEEKDAYS[m["wd"].lower()]) % 7
    forward = (WEEKDAYS[m["wd"].lower()] - ctx.published.weekday()) % 7
    if rel == "last":
        offset = -(back or 7)
    elif rel == "next":
        offset = forward or 7
    elif ctx.tense == "past":
        offset = -back
    elif ctx.tense == "future":
        offset = forward
    else:
        offset = -back if back <= forward else forward
    day = ctx.published + dt.timedelta(days=offset)
    return _exact(day, day, "day", m)


# ---------------------------------------------------------------- the grammar
_FRAME_UNITS = r"(?:years?|months?|weeks?|decades?|days?|centur(?:y|ies))"
#: Time frames ("over the past four years", "the last year"): durations, not dates.
_FRAMES = [
    rf"\b(?:over|during|in|within|for|throughout)\s+the\s+(?:past|last|previous|coming|next|following)\s+"
    rf"(?:(?:{_NUMBER}|few|several|many)\s+)?{_FRAME_UNITS}\b",
    rf"\bthe\s+(?:past|last|previous|coming|next|following)\s+(?:(?:{_NUMBER}|few|several|many)\s+){_FRAME_UNITS}\b",
    rf"\bthe\s+past\s+{_FRAME_UNITS}\b",
    r"\b(?:in\s+)?the\s+(?:years|months|decades)\s+(?:to|ahead)\s+come\b",
    r"\bin\s+recent\s+(?:years|decades)\b",
]

_RULES: list[tuple[str, str, Handler]] = [
    ("dates.iso.v1", rf"\b{_y('y')}-(?P<mo>0[1-9]|1[0-2])-(?P<d>[0-3]\d)\b", _h_iso),
    ("dates.day_range_md.v1",
     rf"\b{_PREP}{_m('m1')}{_MSEP}{_d('d1')}{_TO}(?:{_m('m2')}{_MSEP})?{_d('d2')}(?:,?\s+{_y('y')})?", _h_day_range),
    ("dates.day_range_dm.v1",
     rf"\b{_PREP}(?:the\s+)?{_d('d1')}(?:\s+{_m('m2')})?{_TO}(?:the\s+)?{_d('d2')}\s+(?:of\s+)?{_m('m1')}"
     rf"(?:,?\s+{_y('y')})?", _h_day_range_dm),
    ("dates.day_md.v1",
     rf"\b{_PREP}(?:{_WEEKDAY},?\s+)?{_m('m1')}{_MSEP}{_d('d1')}(?:,?\s+{_y('y')})?(?!\s*(?:-|–|to\b))", _h_day_md),
    ("dates.day_dm.v1",
     rf"\b{_PREP}(?:{_WEEKDAY},?\s+)?(?:the\s+)?{_d('d1')}\s+(?:of\s+)?{_m('m1')}(?:,?\s+{_y('y')})?", _h_day_md),
    ("dates.month_year_range.v1",
     rf"\b{_PREP}{_m('m1')},?\s+{_y('y1')}{_TO}{_m('m2')},?\s+{_y('y')}", _h_month_year_range),
    ("dates.month_range.v1",
     rf"\b{_PREP}{_m('m1')}{_TO}{_m('m2')}(?:,?\s+(?:of\s+)?{_yref('y', 'ry')})?", _h_month_range),
    ("dates.month.v1",
     rf"\b{_PREP}(?:(?P<cue>in|during|of|last|next|this)\s+)?{_PART}{_m('m1')}(?:,?\s+(?:of\s+)?{_yref('y', 'ry')})?"
     r"(?!\s*\d)", _h_month),
    ("dates.quarter.v1",
     rf"\b{_PREP}{_PART}(?:the\s+)?(?P<qn>first|second|third|fourth|final|1st|2nd|3rd|4th)\s+quarter"
     rf"(?:\s+of)?(?:\s+{_yref('y', 'ry')})?", _h_quarter),
    ("dates.quarter_code.v1", rf"\b{_PREP}(?-i:Q)(?P<qd>[1-4])(?:[\s-]*{_y('y')})?\b", _h_quarter),
    ("dates.quarter_code_after.v1", rf"\b{_PREP}{_y('y')}[\s-]*(?-i:Q)(?P<qd>[1-4])\b", _h_quarter),
    ("dates.rel_quarter.v1", rf"\b{_PREP}{_PART}(?P<rel>this|last|next)\s+quarter\b", _h_rel_quarter),
    ("dates.half.v1",
     rf"\b{_PREP}(?:the\s+)?(?P<hn>first|second|1st|2nd)\s+half\s+of\s+(?:the\s+year\s+)?{_yref('y', 'ry')}",
     _h_half),
    ("dates.half_code.v1", rf"\b{_PREP}(?-i:H)(?P<hd>[12])[\s-]*{_y('y')}", _h_half),
    ("dates.first_months.v1",
     rf"\b{_PREP}(?:the\s+)?first\s+{_NUMBER}\s+months\s+of\s+(?:the\s+year\s+)?{_yref('y', 'ry')}",
     _h_first_months),
    ("dates.year_range.v1", rf"\b{_PREP}{_y('y')}(?:{_TO}(?P<y2>1[89]\d\d|20\d\d)|[-–](?P<y2s>\d\d))(?![\d%])",
     _h_year_range),
    ("dates.year.v1", rf"{_PREP}{_PART}(?:the\s+year\s+(?:of\s+)?|(?-i:FY)\s?|fiscal\s+year\s+)?{_y('y')}",
     _h_year),
    ("dates.decade.v1", r"\b(?:the\s+)?(?P<y>1[89]\d0|20\d0)(?:'s|’s|s)\b", _h_decade),
    ("dates.year_end.v1", rf"\b{_PREP}(?:(?:the\s+)?year[-\s]end|the\s+end\s+of\s+the\s+year)\b", _h_year_end),
    ("dates.season.v1",
     rf"\b{_PREP}{_PART}(?:(?P<rel>this|last|next|the\s+coming)\s+(?P<season>spring|summer|autumn|fall|winter)\b"
     rf"|(?:the\s+)?(?:spring|summer|autumn|fall|winter)\s+(?:of\s+)?{_y('y')})", _h_season),
    ("dates.rel_year.v1", rf"\b{_PREP}{_PART}{_REL_YEAR.format(g='ry')}\b", _h_rel_year),
    ("dates.rel_month.v1", rf"\b{_PREP}{_PART}(?P<rel>this|last|next)\s+month\b", _h_rel_month),
    ("dates.rel_week.v1", rf"\b{_PREP}{_PART}(?P<rel>this|last|next)\s+week\b", _h_rel_week),
    ("dates.recent.v1", r"\b(?:in\s+|over\s+|during\s+)?recent\s+(?:days|weeks|months)\b", _h_recent),
    ("dates.ago.v1", rf"\b{_HEDGE}{_NUMBER}\s+(?P<unit>years?|months?|weeks?|days?|decades?)\s+ago\b", _h_ago),
    ("dates.day_word.v1",
     rf"\b{_PREP}(?P<w>today|tonight|this\s+(?:morning|afternoon|evening)|the\s+day\s+before\s+yesterday"
     r"|the\s+day\s+after\s+tomorrow|yesterday|tomorrow)\b", _h_day_word),
    ("dates.weekday.v1", rf"\b(?:(?P<rel>last|next|this|coming)\s+)?{_WEEKDAY}\b", _h_weekday),
]

_COMPILED: list[tuple[str, re.Pattern[str], Handler]] = [
    (rule_id, re.compile(pattern, re.IGNORECASE), handler) for rule_id, pattern, handler in _RULES
]
_FRAME_PATTERNS = [re.compile(p, re.IGNORECASE) for p in _FRAMES]


def _words(*words: str) -> re.Pattern[str]:
    """A gate on words the rule spells out, matched with the rule's own IGNORECASE flag."""
    return re.compile("|".join(words), re.IGNORECASE)


# Gates: words a rule cannot match without, each searched once per text. A rule whose gate
# fails is skipped (most sentences hold no month, no year, no "quarter"), which spares a
# full scan by a long pattern with optional prefixes at every position. A gate must be
# implied by every match of its rule (tests/test_dates.py checks it); a rule without one
# always runs. Month and weekday names are case-sensitive in the rules, so in the gates.
_MONTH_GATE = re.compile(r"Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec")
_YEAR_GATE = re.compile(r"1[89]\d\d|20\d\d")
_DIGIT_GATE = re.compile(r"\d")
_QUARTER_GATE = _words("quarter")
_YEAR_WORD_GATE = _words("year")
_GATES: dict[str, tuple[re.Pattern[str], ...]] = {
    "dates.iso.v1": (_YEAR_GATE,),
    "dates.day_range_md.v1": (_MONTH_GATE, _DIGIT_GATE),
    "dates.day_range_dm.v1": (_MONTH_GATE, _DIGIT_GATE),
    "dates.day_md.v1": (_MONTH_GATE, _DIGIT_GATE),
    "dates.day_dm.v1": (_MONTH_GATE, _DIGIT_GATE),
    "dates.month_year_range.v1": (_MONTH_GATE, _YEAR_GATE),
    "dates.month_range.v1": (_MONTH_GATE,),
    "dates.month.v1": (_MONTH_GATE,),
    "dates.quarter.v1": (_QUARTER_GATE,),
    "dates.quarter_code.v1": (re.compile(r"Q[1-4]"),),
    "dates.quarter_code_after.v1": (re.compile(r"Q[1-4]"), _YEAR_GATE),
    "dates.rel_quarter.v1": (_QUARTER_GATE,),
    "dates.half.v1": (_words("half"),),
    "dates.half_code.v1": (re.compile(r"H[12]"), _YEAR_GATE),
    "dates.first_months.v1": (_words("months"),),
    "dates.year_range.v1": (_YEAR_GATE,),
    "dates.year.v1": (_YEAR_GATE,),
    "dates.decade.v1": (_YEAR_GATE,),
    "dates.year_end.v1": (_YEAR_WORD_GATE,),
    "dates.season.v1": (_words("spring", "summer", "autumn", "fall", "winter"),),
    "dates.rel_year.v1": (_YEAR_WORD_GATE,),
    "dates.rel_month.v1": (_words("month"),),
    "dates.rel_week.v1": (_words("week"),),
    "dates.recent.v1": (_words("recent"),),
    "dates.ago.v1": (_words("ago"),),
    "dates.day_word.v1": (_words("today", "tonight", "morning", "afternoon", "evening", "yesterday", "tomorrow"),),
    "dates.weekday.v1": (re.compile(r"Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"),),
}
#: Every time frame names a unit of time.
_FRAME_GATE = _words("year", "month", "week", "decade", "day", "centur")
#: Distinct texts whose matches and dates are kept: the extractors of one document resolve the same
#: sentences; a bigger memo would only grow memory across a long run.
_MEMO_SIZE = 1024


def _as_date(published: dt.date | dt.datetime | None) -> dt.date | None:
    return published.date() if isinstance(published, dt.datetime) else published


def find_time_frames(text: str) -> list[tuple[int, int]]:
    """Spans of durations that locate no date ("over the past four years", "the last year")."""
    return list(_time_frames(text))


@functools.lru_cache(maxsize=_MEMO_SIZE)
def _time_frames(text: str) -> tuple[tuple[int, int], ...]:
    """`find_time_frames`, kept per text as a tuple so no caller can change the kept value."""
    if not _FRAME_GATE.search(text):
        return ()
    return tuple(sorted((m.start(), m.end()) for p in _FRAME_PATTERNS for m in p.finditer(text)))


@functools.lru_cache(maxsize=_MEMO_SIZE)
def _rule_matches(text: str) -> tuple[tuple[int, str, re.Match[str], Handler], ...]:
    """Non-empty matches of every rule whose gates pass, in rule order: (order, id, match, handler)."""
    passed: dict[re.Pattern[str], bool] = {}
    found = []
    for order, (rule_id, pattern, handler) in enumerate(_COMPILED):
        for gate in _GATES.get(rule_id, ()):
            if gate not in passed:
                passed[gate] = gate.search(text) is not None
        if not all(passed[gate] for gate in _GATES.get(rule_id, ())):
            continue
        found.extend((order, rule_id, m, handler) for m in pattern.finditer(text) if m.end() > m.start())
    return tuple(found)


_LEAD = re.compile(r"^(?:in|during|of|on|at|over)\s+", re.IGNORECASE)


def _lead_length(span: str) -> int:
    """Length of a plain leading preposition ("in June"), kept out of the mention's span."""
    lead = _LEAD.match(span)
    return lead.end() if lead else 0


def find_dates(
    text: str, published: dt.date | dt.datetime | None = None, tense: Tense | None = None
) -> list[DateMention]:
    """Every time expression of `text`, resolved against `published`, in text order.

    Candidates of all rules compete: the longest wins ("From June 7 to 10, 2017" is one range,
    not two dates), ties go to the rule listed first. Time frames ("over the last year") block
    the dates inside them. `tense` ('past'/'future') picks the direction of weekdays and of
    months without a year; by default a weekday is the nearest one to `published`.
    """
    return list(_find_dates(text, _as_date(published), tense))


@functools.lru_cache(maxsize=_MEMO_SIZE)
def _find_dates(text: str, published: dt.date | None, tense: Tense | None) -> tuple[DateMention, ...]:
    """`find_dates`, kept per (text, date, tense): mentions are frozen, the kept tuple is copied out."""
    ctx = _Context(text, published, tense)
    taken: list[tuple[int, int]] = find_time_frames(text)
    candidates: list[tuple[int, int, int, str, ResolvedDate]] = []
    for order, rule_id, m, handler in _rule_matches(text):
        resolved = handler(m, ctx)
        if resolved is not None:
            candidates.append((m.start(), m.end(), order, rule_id, resolved))
    candidates.sort(key=lambda c: (c[0] - c[1], c[2], c[0]))
    candidates = [(c[0] + _lead_length(text[c[0]:c[1]]), *c[1:]) for c in candidates]
    mentions: list[DateMention] = []
    for start, end, _, rule_id, resolved in candidates:
        if any(start < e and s < end for s, e in taken):
            continue
        taken.append((start, end))
        mentions.append(DateMention(text[start:end], start, end, rule_id, resolved))
    return tuple(sorted(mentions, key=lambda mention: mention.start))


#: Text with one of these is worth handing to dateparser; anything else ("the 20th") is not a date.
_ABSOLUTE_HINT = re.compile(
    rf"{_m('m1')}|\b(?:1[89]|20)\d\d\b|\b\d{{1,4}}[./]\d{{1,2}}[./]\d{{1,4}}\b", re.IGNORECASE
)


def _dateparser_fallback(text: str, published: dt.date | None) -> ResolvedDate:
    """Absolute forms the grammar lacks, via dateparser; a relative reading needs `published`."""
    if not _ABSOLUTE_HINT.search(text):
        return UNRESOLVED
    from dateparser.date import DateDataParser  # imported lazily, by the first text worth it: it costs a second

    readings = []
    for base in (dt.datetime(2001, 2, 3), dt.datetime(2011, 12, 13)):
        parser = DateDataParser(languages=["en"], settings={"RELATIVE_BASE": base, "PREFER_DAY_OF_MONTH": "first"})
        readings.append(parser.get_date_data(text))
    first, second = readings
    if first.date_obj is None:
        return UNRESOLVED
    if first.date_obj != second.date_obj:  # the reading depends on the reference date: relative
        if published is None:
            return UNRESOLVED
        parser = DateDataParser(languages=["en"], settings={"RELATIVE_BASE": dt.datetime.combine(published, dt.time())})
        first = parser.get_date_data(text)
        if first.date_obj is None:
            return UNRESOLVED
    day = first.date_obj.date()
    gran: Granularity = {"year": "year", "month": "month", "week": "week"}.get(first.period or "day", "day")
    if gran == "year":
        return ResolvedDate(dt.date(day.year, 1, 1), dt.date(day.year, 12, 31), "year", "exact")
    if gran == "month":
        return ResolvedDate(*_month_bounds(day.year, day.month), "month", "exact")
    if gran == "week":
        monday = day - dt.timedelta(days=day.weekday())
        return ResolvedDate(monday, monday + dt.timedelta(days=6), "week", "exact")
    return ResolvedDate(day, day, "day", "exact")


def resolve_date(
    text: str, published: dt.date | dt.datetime | None = None, tense: Tense | None = None
) -> ResolvedDate:
    """Resolve one time expression ("last year", "June 7 to 10, 2017", "Q1 2024").

    The longest expression the grammar finds in `text` wins; text the grammar does not know is
    handed to dateparser for absolute dates. A duration ("the past 32 years"), an ordinal ("the
    20th") or a relative date without `published` gives an unresolved date (all fields None).
    """
    published = _as_date(published)
    mentions = find_dates(text, published, tense)
    if mentions:
        return max(mentions, key=lambda mention: mention.end - mention.start).date
    if find_time_frames(text):
        return UNRESOLVED
    return _dateparser_fallback(text, published)
