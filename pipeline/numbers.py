"""Number normaliser: '600,000', '1.2 million', '$600-billion' minus the sign, 'thirty-two', 'a dozen'.

Numbers written in words go through text2num (a maintained parser) rather than a hand-written
one; this module only adds what text2num lacks: digit grouping, decimals, scale words written
after digits ('1.2 million', '41bn') and a few fixed words ('a dozen'). The scale and fixed-word
tables are data (`models/rules/numeric_claims.yaml`), passed in by the caller, so a scale added
to the rule file is understood here too.

`format_number` writes a value back with the largest scale word that keeps it at least 1
('41 billion'); parsing that text gives the value back (a property test checks it).
"""
from __future__ import annotations

import math
import re
from decimal import Decimal
from collections.abc import Mapping

from text_to_num import text2num

__all__ = ["NumberParser", "DIGITS"]

#: Digits, grouped by thousands or not, with an optional decimal part.
DIGITS = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
_DIGITS_RE = re.compile(rf"^{DIGITS}$")
_SPACES = re.compile(r"\s+")
_BARE_SCALES = {"hundred", "thousand", "million", "billion", "trillion"}


class NumberParser:
    """Parse and format numbers with a given table of scale words and fixed number words.

    `scales` maps a lower-case scale word to its factor ({'billion': 1e9, 'bn': 1e9});
    `words` maps fixed phrases text2num does not know to their value ({'a dozen': 12}).
    """

    def __init__(self, scales: Mapping[str, float], words: Mapping[str, float] | None = None) -> None:
        self.scales = {k.lower(): float(v) for k, v in scales.items()}
        self.words = {_SPACES.sub(" ", k.lower()): float(v) for k, v in (words or {}).items()}
        alternatives = sorted(self.scales, key=len, reverse=True)
        self._scale_re = re.compile(
            r"^(?P<num>.+?)[\s-]*(?P<scale>" + "|".join(map(re.escape, alternatives)) + r")$"
        ) if alternatives else None
        # For formatting: the longest one-word name of each scale from a million up ('billion', not
        # 'bn'; 'trillion', not 'lakh crore').
        longest: dict[float, str] = {}
        for word, factor in self.scales.items():
            best = longest.get(factor)
            if factor >= 1e6 and (best is None or _format_rank(word) > _format_rank(best)):
                longest[factor] = word
        self._format_scales = sorted(longest.items(), reverse=True)

    def parse(self, text: str) -> float | None:
        """The value of a number with an optional scale word; None when it is not a number."""
        text = _SPACES.sub(" ", text.strip().lower())
        if not text:
            return None
        value = self._plain(text)
        if value is not None:
            return value
        if self._scale_re is None:
            return None
        m = self._scale_re.match(text)
        if not m:
            return None
        base = self._plain(m["num"].strip())
        return None if base is None else base * self.scales[m["scale"]]

    def _plain(self, text: str) -> float | None:
        if text in self.words:
            return self.words[text]
        if _DIGITS_RE.match(text):
            return float(text.replace(",", ""))
        if not re.fullmatch(r"[a-z]+(?:[\s-](?:and[\s-])?[a-z]+)*", text) or text.split()[0] in _BARE_SCALES:
            return None  # "billion" alone is a scale, not a number
        try:
            return float(text2num(text, "en"))
        except (ValueError, TypeError):
            return None

    def format(self, value: float) -> str:
        """'41 billion', '600,000', '3.5': a text `parse` reads back to `value`."""
        if not math.isfinite(value) or value < 0:
            raise ValueError(f"cannot format {value!r}: only finite non-negative numbers are figures")
        for factor, word in self._format_scales:
            if value >= factor:
                return f"{_plain_digits(value / factor)} {word}"
        return _plain_digits(value)


def _format_rank(word: str) -> tuple[bool, int]:
    """One word before several, then the longer word."""
    return " " not in word, len(word)


def _plain_digits(value: float) -> str:
    """Digits grouped by thousands, with the decimals Python needs to round-trip the float."""
    if value == int(value) and abs(value) < 1e15:
        return f"{int(value):,}"
    text = format(Decimal(repr(value)), "f")  # repr is the shortest text that round-trips
    whole, _, decimals = text.partition(".")
    grouped = f"{int(whole):,}"
    return f"{grouped}.{decimals}" if decimals else grouped
