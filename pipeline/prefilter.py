"""Cheap gates for costly regular expressions: words a pattern cannot match without.

Rule files hold regular expressions that are scanned over every sentence; most of them need a
word that most sentences lack ("a.m.", "thirds", "section"). `required_words(pattern)` reads
the pattern's syntax tree and returns such a set of literals (any match of the pattern holds
at least one of them), and `gate(pattern)` turns it into a fast test. A text the gate
rejects cannot match the pattern, so skipping the pattern's scan changes no result.

The gate is always implied, never guessed: literals are matched case-insensitively unless
the pattern is case-sensitive there, and whatever the analysis cannot read (a character
class, an optional part, a back-reference) makes no requirement. A pattern with no
requirement gets no gate.
"""
from __future__ import annotations

import re
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser  # type: ignore[attr-defined]

__all__ = ["Gate", "required_words", "gate"]

#: The non-ASCII letters IGNORECASE matches to ASCII letters ('İ', 'ı', 'ſ', the Kelvin sign).
ASCII_FOLDS = "\u0130\u0131\u017f\u212a"

#: A literal and whether it may match in any case.
Word = tuple[str, bool]


def required_words(pattern: re.Pattern[str]) -> frozenset[Word] | None:
    """Literals one of which every match of `pattern` contains, or None when none is known."""
    if not isinstance(pattern.pattern, str):
        return None
    tree = _parser.parse(pattern.pattern, pattern.flags)
    return _sequence(tree, bool(pattern.flags & re.IGNORECASE))


class Gate:
    """A test that fails on every text a pattern cannot match (see the module docstring).

    ASCII words are looked up as substrings of the text's lower case, which is what IGNORECASE
    means for them and is many times faster than a regex of many alternatives. Only four
    non-ASCII letters match an ASCII one under IGNORECASE ('ſ' is 's'); a text holding one of
    them is searched with the equivalent regex, so the test stays exact.
    """

    def __init__(self, words: frozenset[Word]) -> None:
        self.folded = tuple(sorted(text.lower() for text, fold in words if fold))
        self.exact = tuple(sorted(text for text, fold in words if not fold))
        self.ascii = all(text.isascii() for text, _ in words)
        groups = [f"(?{flag}:{'|'.join(map(re.escape, texts))})"
                  for flag, texts in (("i", self.folded), ("-i", self.exact)) if texts]
        self.regex = re.compile("|".join(groups))

    def admits(self, text: str) -> bool:
        """False only when the pattern cannot match `text`."""
        if not self.ascii or (not text.isascii() and any(c in text for c in ASCII_FOLDS)):
            return self.regex.search(text) is not None
        if any(word in text for word in self.exact):
            return True
        lower = text.lower()
        return any(word in lower for word in self.folded)


def gate(pattern: re.Pattern[str]) -> Gate | None:
    """The gate of `pattern`; None when no word is known to be required."""
    words = required_words(pattern)
    return Gate(words) if words else None


def _sequence(items, fold: bool) -> frozenset[Word] | None:
    """The most selective requirement of any item of a sequence (each item's holds for the whole)."""
    options: list[frozenset[Word]] = []
    run: list[str] = []
    for op, av in [*items, (None, None)]:
        if op is sre.LITERAL:
            run.append(chr(av))
            continue
        if run:
            options.append(frozenset({("".join(run), fold)}))
            run = []
        if op is not None:
            found = _item(op, av, fold)
            if found:
                options.append(found)
    return max(options, key=_selectivity) if options else None


def _selectivity(words: frozenset[Word]) -> tuple[int, int]:
    """Prefer a long shortest word, then fewer alternatives."""
    return min(len(text) for text, _ in words), -len(words)


def _item(op, av, fold: bool) -> frozenset[Word] | None:
    if op is sre.SUBPATTERN:
        _, add_flags, del_flags, body = av
        if add_flags & re.IGNORECASE:
            fold = True
        if del_flags & re.IGNORECASE:
            fold = False
        return _sequence(body, fold)
    if op is sre.ATOMIC_GROUP:
        return _sequence(av, fold)
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
        low, _, body = av
        return _sequence(body, fold) if low >= 1 else None
    if op is sre.BRANCH:
        union: set[Word] = set()
        for branch in av[1]:
            found = _sequence(branch, fold)
            if not found:
                return None
            union |= found
        return frozenset(union)
    return None
