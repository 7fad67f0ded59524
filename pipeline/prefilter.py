"""Cheap gates for costly regular expressions: words a pattern cannot match without.

Rule files hold regular expressions that are scanned over every sentence; most of them need a
word that most sentences lack ("a.m.", "thirds", "section"). `required_words(pattern)` reads
the pattern's syntax tree and returns such a set of literals (any match of the pattern holds
at least one of them), and `gate(pattern)` turns it into a fast test. A text the gate
rejects cannot match the pattern, so skipping the pattern's scan changes no result.

The gate is always implied, never guessed: literals are matched case-insensitively unless
the pattern is case-sensitive there, a digit class requires a digit (`DIGIT`), and whatever the
analysis cannot read (another character class, an optional part, a back-reference) makes no
requirement. A pattern with no requirement gets no gate.

A text the gate admits is scanned; `leading_words(pattern)` reads, the same way, what every
match starts with ('section', a digit, a line start), and `scanner(pattern)` tries the pattern
at those offsets only, finding exactly the spans `finditer` finds: the regex engine itself tries
a long alternation of words at every offset. `trie_regex` writes a list of words as one regex
that tries one branch per letter.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import cached_property, lru_cache
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser  # type: ignore[attr-defined]

__all__ = ["DIGIT", "Gate", "GateSet", "Scanner", "required_words", "gate", "leading_words", "lowered", "scanner", "trie_regex"]

#: The non-ASCII letters IGNORECASE matches to ASCII letters ('İ', 'ı', 'ſ', the Kelvin sign).
ASCII_FOLDS = "\u0130\u0131\u017f\u212a"

#: A literal and whether it may match in any case; or `DIGIT`.
Word = tuple[str, bool | None]
#: The requirement of a `\d`: any decimal digit (a regex, marked by None for its case).
DIGIT: Word = (r"\d", None)
#: What a match starting at the start of the text (`\A`, or `^` without MULTILINE) leads with.
TEXT_START: Word = (r"\A", None)
#: What a match starting at the start of a line (`^` with MULTILINE) leads with.
LINE_START: Word = ("^", None)


def required_words(pattern: re.Pattern[str], digits_common: bool = False) -> frozenset[Word] | None:
    """Literals one of which every match of `pattern` contains, or None when none is known.

    `digits_common`: the texts to gate mostly hold digits (sentences with a figure), so any word
    the pattern needs is preferred to a digit.
    """
    if not isinstance(pattern.pattern, str):
        return None
    tree = _tree(pattern.pattern, pattern.flags)
    return _sequence(tree, bool(pattern.flags & re.IGNORECASE), 0 if digits_common else 3)


class Gate:
    """A test that fails on every text a pattern cannot match (see the module docstring).

    ASCII words are looked up as substrings of the text's lower case, which is what IGNORECASE
    means for them and is many times faster than a regex of many alternatives. Only four
    non-ASCII letters match an ASCII one under IGNORECASE ('ſ' is 's'); a text holding one of
    them is searched with the equivalent regex, so the test stays exact.
    """

    def __init__(self, words: frozenset[Word]) -> None:
        self.folded = tuple(sorted(text.lower() for text, fold in words if fold))
        self.exact = tuple(sorted(text for text, fold in words if fold is False))
        self.digit = re.compile(DIGIT[0]) if DIGIT in words else None
        self.ascii = all(text.isascii() for text, _ in words)
        self.search = re.compile("|".join([*([DIGIT[0]] if self.digit else []), trie_regex(self.folded)])).search \
            if len(self.folded) >= _TRIE_FROM else None

    @cached_property
    def regex(self) -> re.Pattern[str]:
        """The words as one regex, compiled when a text first needs it (few texts do)."""
        groups = [f"(?{flag}:{'|'.join(map(re.escape, texts))})"
                  for flag, texts in (("i", self.folded), ("-i", self.exact)) if texts]
        return re.compile("|".join([*groups, *([DIGIT[0]] if self.digit else [])]))

    def admits(self, text: str) -> bool:
        """False only when the pattern cannot match `text`."""
        if not self.ascii or (not text.isascii() and any(c in text for c in ASCII_FOLDS)):
            return self.regex.search(text) is not None
        if any(map(text.__contains__, self.exact)):
            return True
        if self.search is not None:
            return self.search(lowered(text)) is not None  # a digit is a digit in lower case too
        if self.digit is not None and self.digit.search(text):
            return True
        return any(map(lowered(text).__contains__, self.folded))  # map: no generator frame per word


class GateSet:
    """Many gates asked of the same text: the words of all of them are found in one pass over
    it, rather than a search per gate.

    A pass finds, at each offset, the longest of the words starting there; every shorter word
    starting there is a prefix of it, so the words present are those and their prefixes among the
    words. Each answer is the one its gate's `admits` gives (True for no gate).
    """

    def __init__(self, gates: Iterable[Gate | None]) -> None:
        self.gates = list(gates)
        words = sorted({word for g in self.gates if g is not None for word in g.folded})
        self.ascii = all(g is None or g.ascii for g in self.gates)
        self.find = re.compile("(?=(" + trie_regex(words) + "))").finditer if words else None
        self.prefixes = {w: frozenset(p for p in words if w.startswith(p)) for w in words}

    def admitted(self, text: str) -> list[bool]:
        """What each gate's `admits(text)` says, in order."""
        if not self.ascii or not text.isascii() and any(c in text for c in ASCII_FOLDS):
            return [g is None or g.admits(text) for g in self.gates]
        present = self._present(text)
        digit = _DIGITS.search(text) is not None
        return [g is None or any(map(text.__contains__, g.exact)) or g.digit is not None and digit
                or not present.isdisjoint(g.folded) for g in self.gates]

    def _present(self, text: str) -> frozenset[str]:
        """The words found in the lower case of `text`."""
        if self.find is None:
            return frozenset()
        prefixes = self.prefixes
        return frozenset().union(*(prefixes[m[1]] for m in self.find(lowered(text))))


#: From this many words a gate searches the lower case once with a trie of them ('t(?:en|wo)'),
#: rather than each word in turn.
_TRIE_FROM = 6


def trie_regex(words: Iterable[str], tail: Callable[[str], str] = lambda word: "", space: str = r"\ ") -> str:
    r"""Literal words as one regex written as a trie, each with its `tail` (a regex), a space
    written as `space` ('\s+' for any run of spaces).

    At each node the longer continuations come first, then the word ending there: where siblings
    start with characters no text character matches both of, the words that match at a position
    form a chain of prefixes, tried longest first as in a flat longest-first alternation. A tail
    shared by every word below a node is written once after it: '(?:a|b)t' tries what
    '(?:at|bt)' tries, in the same order.
    """
    root: dict = {}
    for w in sorted(set(words), key=lambda w: (-len(w), w)):
        node = root
        for c in w:
            node = node.setdefault(c, {})
        node[None] = tail(w)

    def emit(node: dict) -> tuple[str, str]:
        """(regex without the tail, tail shared by every word below the node)."""
        pieces = [((space if c == " " else re.escape(c)) + body, end)
                  for c, child in node.items() if c is not None for body, end in [emit(child)]]
        if None in node:
            pieces.append(("", node[None]))
        if len({end for _, end in pieces}) > 1:
            pieces = [(body + end, "") for body, end in pieces]
        bodies = [body for body, _ in pieces]
        return (bodies[0] if len(bodies) == 1 else "(?:" + "|".join(bodies) + ")"), pieces[0][1]

    body, end = emit(root)
    return "(?:" + body + end + ")"


#: The last text lowered and its lower case: the gates of several patterns test the same text.
_last_lowered: tuple[str, str] = ("", "")


def lowered(text: str) -> str:
    """`text.lower()`, computed once for the gates and scanners that read the same text."""
    global _last_lowered
    if _last_lowered[0] is not text:
        _last_lowered = (text, text.lower())
    return _last_lowered[1]


def leading_words(pattern: re.Pattern[str]) -> frozenset[Word] | None:
    """Literals (or `DIGIT`) one of which every match of `pattern` starts with, or None when none
    is known (a match may start with anything, or be empty)."""
    if not isinstance(pattern.pattern, str):
        return None
    tree = _tree(pattern.pattern, pattern.flags)
    start = LINE_START if pattern.flags & re.MULTILINE else TEXT_START
    return _leading(tree, bool(pattern.flags & re.IGNORECASE), start)


class Scanner:
    """`pattern.finditer(text)` as spans, the pattern tried only where a match can start: at a
    leading word (`leading_words`) rather than at every offset by the regex engine, which tries
    a long alternation of words at each one.

    A text holding one of the four letters IGNORECASE folds onto ASCII ones (where lower case
    also changes a length: 'İ') is scanned in full; so is every text when a leading word is beyond
    ASCII. The offsets of a set of leading words are found once per text, for every scanner with
    that set (many patterns start with a number).
    """

    def __init__(self, pattern: re.Pattern[str], words: frozenset[Word]) -> None:
        self.pattern = pattern
        self.folded = tuple(sorted({text.lower() for text, fold in words if fold}))
        self.exact = tuple(sorted({text for text, fold in words if fold is False}))
        self.digit = DIGIT in words
        self.text_start = TEXT_START in words
        self.line_start = LINE_START in words
        self.ascii = all(text.isascii() for text, _ in words)
        self.key = (self.folded, self.exact, self.digit, self.text_start, self.line_start)

    def spans(self, text: str) -> list[tuple[int, int]]:
        """The spans of `pattern.finditer(text)`: each search from the end of the last match takes
        the first start where the pattern matches, so trying every start in order is the same."""
        if not self.ascii or not text.isascii() and any(c in text for c in ASCII_FOLDS):
            return [m.span() for m in self.pattern.finditer(text)]
        found: list[tuple[int, int]] = []
        end = 0
        for start in self._starts(text):
            if start >= end and (m := self.pattern.match(text, start)) is not None:
                if m.end() == start:  # an empty match: cannot start with a word; scan in full to be sure
                    return [m.span() for m in self.pattern.finditer(text)]
                found.append(m.span())
                end = m.end()
        return found

    def _starts(self, text: str) -> list[int]:
        """Every offset of a leading word (of a digit), in order; kept for the other scanners of the text."""
        global _last_starts
        if _last_starts[0] is not text:
            _last_starts = (text, {})
        known = _last_starts[1].get(self.key)
        if known is None:
            known = _last_starts[1][self.key] = self._find_starts(text)
        return known

    def _find_starts(self, text: str) -> list[int]:
        starts: set[int] = set()
        for haystack, words in ((lowered(text), self.folded), (text, self.exact)):
            for word in words:
                i = haystack.find(word)
                while i >= 0:
                    starts.add(i)
                    i = haystack.find(word, i + 1)
        if self.digit:
            starts.update(m.start() for m in _DIGITS.finditer(text))
        if self.text_start or self.line_start:
            starts.add(0)
        if self.line_start:
            starts.update(m.end() for m in _NEWLINES.finditer(text))
        return sorted(starts)


_DIGITS = re.compile(DIGIT[0])
_NEWLINES = re.compile("\n")

#: The last text scanned and the start offsets found in it, per set of leading words.
_last_starts: tuple[str, dict[tuple, list[int]]] = ("", {})


def scanner(pattern: re.Pattern[str]) -> Scanner | None:
    """The scanner of `pattern`; None when its matches may start anywhere."""
    words = leading_words(pattern)
    return Scanner(pattern, words) if words else None


@lru_cache(maxsize=64)
def _tree(source: str, flags: int):
    """The syntax tree of a pattern, parsed once for its gate and its scanner (parsing is most of
    the cost of building them)."""
    return _parser.parse(source, flags)


def gate(pattern: re.Pattern[str], digits_common: bool = False) -> Gate | None:
    """The gate of `pattern`; None when no word is known to be required (`digits_common`: see
    `required_words`)."""
    words = required_words(pattern, digits_common)
    return Gate(words) if words else None


#: The most strings a run of literal parts is expanded to (a trie of a few hundred words).
_MAX_STRINGS = 1000


def _sequence(items, fold: bool, digit_rank: int) -> frozenset[Word] | None:
    """The most selective requirement of any item of a sequence (each item's holds for the whole).

    Consecutive parts that match a few fixed strings ('t', '(?:en|wo)') require their
    concatenations ('ten', 'two'): what a word list written as a trie requires, like the flat list.
    """
    options: list[frozenset[Word]] = []
    run: set[str] | None = {""}
    for op, av in [*items, (None, None)]:
        strings = _strings(op, av) if op is not None else None
        if strings is not None and run is not None and len(run) * len(strings) <= _MAX_STRINGS:
            run = {a + b for a in run for b in strings}
            continue
        if run and "" not in run:
            options.append(frozenset((text, fold) for text in run))
        run = strings if strings is not None and len(strings) <= _MAX_STRINGS else {""}
        if op is not None:
            found = _item(op, av, fold, digit_rank)
            if found:
                options.append(found)
    return max(options, key=lambda words: _selectivity(words, digit_rank)) if options else None


def _strings(op, av) -> set[str] | None:
    """The strings a part matches, when they are few and fixed (literals, a set of characters, a
    group or alternation of such, without a change of case-folding); None otherwise."""
    if op is sre.LITERAL:
        return {chr(av)}
    if op is sre.IN and av and all(kind is sre.LITERAL for kind, _ in av):
        return {chr(code) for _, code in av}
    if op is sre.SUBPATTERN:
        _, add_flags, del_flags, body = av
        return None if (add_flags | del_flags) & re.IGNORECASE else _sequence_strings(body)
    if op is sre.BRANCH:
        union: set[str] = set()
        for branch in av[1]:
            found = _sequence_strings(branch)
            if found is None or len(union | found) > _MAX_STRINGS:
                return None
            union |= found
        return union
    return None


def _leading(items, fold: bool, start: Word) -> frozenset[Word] | None:
    """What every match of a sequence starts with: a start anchor (`start` for '^'), else its
    first fixed strings past zero-width parts, else the leading words of its first part."""
    run = {""}
    for op, av in items:
        if op is sre.AT and run == {""} and av in (sre.AT_BEGINNING, sre.AT_BEGINNING_STRING):
            return frozenset({start if av is sre.AT_BEGINNING else TEXT_START})
        if op in (sre.AT, sre.ASSERT, sre.ASSERT_NOT):
            continue  # consumes nothing
        strings = _strings(op, av)
        if strings is not None and len(run) * len(strings) <= _MAX_STRINGS:
            run = {a + b for a in run for b in strings}
            continue
        if run != {""}:
            break
        return _leading_item(op, av, fold, start)
    return frozenset((text, fold) for text in run) if "" not in run else None


def _leading_item(op, av, fold: bool, start: Word) -> frozenset[Word] | None:
    """What every match of one part (not fixed strings) starts with; a group that changes the
    line-start flag is not read (its `^` means something else)."""
    if op is sre.SUBPATTERN and (av[1] | av[2]) & re.MULTILINE:
        return None
    return _part(op, av, fold, lambda body, inner_fold: _leading(body, inner_fold, start))


def _part(op, av, fold: bool, read: Callable[[list, bool], frozenset[Word] | None]) -> frozenset[Word] | None:
    """What one part of a pattern yields, `read` answering for the sequences nested in it: the
    shape shared by the gate's reading (words required anywhere) and the scanner's (words every
    match starts with). A digit class is `DIGIT`; a group reads its body under its case flags;
    a repeat its body if it must occur; alternatives the union, when every branch yields."""
    if op is sre.IN and av == [(sre.CATEGORY, sre.CATEGORY_DIGIT)]:
        return frozenset({DIGIT})
    if op is sre.SUBPATTERN:
        _, add_flags, del_flags, body = av
        return read(body, (fold or bool(add_flags & re.IGNORECASE)) and not del_flags & re.IGNORECASE)
    if op is sre.ATOMIC_GROUP:
        return read(av, fold)
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
        low, _, body = av
        return read(body, fold) if low >= 1 else None
    if op is sre.BRANCH:
        union: set[Word] = set()
        for branch in av[1]:
            found = read(branch, fold)
            if not found:
                return None
            union |= found
        return frozenset(union)
    return None


def _sequence_strings(items) -> set[str] | None:
    """The strings a sequence of parts matches (`_strings` of each, concatenated), or None."""
    result = {""}
    for op, av in items:
        strings = _strings(op, av)
        if strings is None or len(result) * len(strings) > _MAX_STRINGS:
            return None
        result = {a + b for a in result for b in strings}
    return result


def _selectivity(words: frozenset[Word], digit_rank: int) -> tuple[int, int]:
    """Prefer a long shortest word, then fewer alternatives; a digit counts as rare as a word of
    `digit_rank` letters (by default three: "one in five": the numbers, not "in")."""
    return min(digit_rank if word == DIGIT else len(word[0]) for word in words), -len(words)


def _item(op, av, fold: bool, digit_rank: int) -> frozenset[Word] | None:
    return _part(op, av, fold, lambda body, inner_fold: _sequence(body, inner_fold, digit_rank))
