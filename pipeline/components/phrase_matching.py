"""Anchor-indexed token matching: spaCy `Matcher` results at the cost of a set look-up per token.

spaCy's `Matcher` starts every pattern at every token and evaluates each `{"IN": [...]}` set
as a Python predicate there, so a few hundred trigger phrases cost more than the parser.
`AnchoredMatcher` takes the same token patterns and returns the same matches, in the same
order: it runs spaCy's own state machine (`transition_states` in `spacy/matcher/matcher.pyx`),
but starts a pattern only at the tokens its first element can match, found by one look-up of
the token's anchor attribute (its lower form, say) in an index built when the patterns are
added. A state spaCy would start elsewhere is rejected at once without emitting anything, so
leaving it out changes neither the matches nor their order, which callers rely on (the first
of equal-ranked candidates wins).

Supported: attributes `ANCHOR_ATTRS` with a string or `{"IN": [...]}` value, and the operators
none, "?", "*" and "+"; anything else is refused, so a pattern never silently matches
differently from spaCy's.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from spacy.attrs import IDS
from spacy.errors import MatchPatternError
from spacy.schemas import validate_token_pattern
from spacy.strings import get_string_id
from spacy.tokens import Doc, Span
from spacy.vocab import Vocab

#: Token attributes a pattern may test (read in bulk with `Doc.to_array`).
ANCHOR_ATTRS = ("ORTH", "LOWER", "NORM", "LEMMA", "POS", "TAG", "DEP")
#: Attributes that need a pipeline component: spaCy refuses to match them on a Doc without them.
_ANNOTATED = ("POS", "TAG", "LEMMA", "DEP")
_ONE, _ZERO_PLUS, _ZERO_ONE = "1", "*", "?"
_OPERATORS = {None: (_ONE,), "1": (_ONE,), "?": (_ZERO_ONE,), "*": (_ZERO_PLUS,), "+": (_ONE, _ZERO_PLUS)}


@dataclass(frozen=True)
class _Element:
    """One compiled pattern element: a quantifier and (attribute column, accepted ids) tests."""

    quantifier: str
    tests: tuple[tuple[int, frozenset[int]], ...]

    def matches(self, row: Sequence[int]) -> bool:
        return all(row[column] in accepted for column, accepted in self.tests)


@dataclass(frozen=True)
class _Pattern:
    key: int
    elements: tuple[_Element, ...]


class AnchoredMatcher:
    """A drop-in for `spacy.matcher.Matcher` (`add`, `__call__` with `(match_id, start, end)`
    results) over the pattern subset in the module docstring."""

    def __init__(self, vocab: Vocab, anchor: str = "LOWER") -> None:
        self.vocab = vocab
        self._anchor = anchor.upper()
        self._columns: list[str] = [self._anchor]
        self._patterns: list[_Pattern] = []
        self._by_anchor: dict[int, list[int]] = {}
        self._unanchored: list[int] = []

    def add(self, key: str, patterns: list[list[dict]]) -> None:
        """Add patterns under `key`; raises ValueError like spaCy for a pattern it would refuse,
        and for one outside the supported subset."""
        for pattern in patterns:
            if not isinstance(pattern, list) or not pattern:
                raise ValueError(f"pattern for key {key!r} must be a non-empty list of token specs")
        errors = {i: validate_token_pattern(p) for i, p in enumerate(patterns)}
        if any(errors.values()):
            raise MatchPatternError(key, errors)
        match_id = self.vocab.strings.add(key)
        for pattern in patterns:
            compiled = _Pattern(match_id, tuple(e for spec in pattern for e in self._compile(spec)))
            self._index(len(self._patterns), compiled.elements[0])
            self._patterns.append(compiled)

    def __call__(self, doclike: Doc | Span) -> list[tuple[int, int, int]]:
        """Every match, as spaCy's `Matcher` returns them: deduplicated, non-empty, in the
        order its state machine emits them."""
        doc = doclike.doc if isinstance(doclike, Span) else doclike
        for attr in self._columns:
            if attr in _ANNOTATED and not doc.has_annotation(attr):
                raise ValueError(f"the patterns test {attr}, which the Doc has no annotation for")
        rows = []
        if len(doclike):  # one column comes back flat
            rows = doclike.to_array([IDS[a] for a in self._columns]).reshape(len(doclike), -1).tolist()
        states: list[tuple[int, int, int, int]] = []  # (pattern, element, start, length)
        emitted: list[tuple[int, int, int]] = []
        for i, row in enumerate(rows):
            starts = self._by_anchor.get(row[0], self._unanchored)
            if starts or states:
                states = self._transition(states + [(p, 0, i, 0) for p in starts], row, emitted)
        self._finish(states, emitted)
        seen: set[tuple[int, int, int]] = set()
        out = []
        for match in emitted:
            if match not in seen and match[2] > match[1]:
                seen.add(match)
                out.append(match)
        return out

    # ------------------------------------------------------------------ compiling

    def _compile(self, spec: dict) -> list[_Element]:
        tests = []
        op = None
        for name, value in spec.items():
            attr = "ORTH" if name.upper() == "TEXT" else name.upper()
            if attr == "OP":
                op = value
                continue
            if attr not in ANCHOR_ATTRS:
                raise ValueError(f"AnchoredMatcher does not support the attribute {name!r}")
            tests.append((self._column(attr), self._ids(attr, value)))
        if op not in _OPERATORS:
            raise ValueError(f"AnchoredMatcher does not support the operator {op!r}")
        return [_Element(q, tuple(tests)) for q in _OPERATORS[op]]

    def _column(self, attr: str) -> int:
        if attr not in self._columns:
            self._columns.append(attr)
        return self._columns.index(attr)

    def _ids(self, attr: str, value: object) -> frozenset[int]:
        """The ids spaCy compares the token's attribute with (symbols for POS values)."""
        if isinstance(value, str):
            return frozenset({self.vocab.strings.add(value)})
        if isinstance(value, dict) and list(value) == ["IN"] and all(isinstance(v, str) for v in value["IN"]):
            return frozenset(get_string_id(v) for v in value["IN"])
        raise ValueError(f"AnchoredMatcher supports a string or {{'IN': [strings]}} for {attr}, not {value!r}")

    def _index(self, n: int, first: _Element) -> None:
        """File pattern `n` under the anchor values its first element needs; a pattern that may
        start without one (optional first element, no anchor test) is tried at every token."""
        anchor = [accepted for column, accepted in first.tests if column == 0]
        if first.quantifier != _ONE or not anchor:
            self._unanchored.append(n)
            for starts in self._by_anchor.values():
                starts.append(n)
            return
        for value in anchor[0]:
            self._by_anchor.setdefault(value, list(self._unanchored)).append(n)

    # ------------------------------------------------------------------ spaCy's state machine

    def _transition(self, states: list[tuple[int, int, int, int]], row: list[int],
                    emitted: list[tuple[int, int, int]]) -> list[tuple[int, int, int, int]]:
        """One token of `transition_states`: surviving states keep their order, states forked
        by '*' and '?' follow them, matches are emitted in state order."""
        kept: list[tuple[int, int, int, int]] = []
        forked: list[tuple[int, int, int, int]] = []
        for p, e, start, length in states:
            elements = self._patterns[p].elements
            key = self._patterns[p].key
            action = _action(elements, e, row)
            while action in ("retry", "retry_extend", "retry_advance"):
                if action == "retry_extend":
                    forked.append((p, e, start, length + 1))
                elif action == "retry_advance":
                    forked.append((p, e + 1, start, length + 1))
                e += 1
                action = _action(elements, e, row)
            if action == "advance":
                kept.append((p, e + 1, start, length + 1))
            elif action == "match":
                emitted.append((key, start, start + length + 1))
            elif action == "match_double":
                if length > 0:
                    emitted.append((key, start, start + length))
                emitted.append((key, start, start + length + 1))
            elif action == "match_reject":
                emitted.append((key, start, start + length))
            elif action == "match_extend":
                emitted.append((key, start, start + length))
                kept.append((p, e, start, length + 1))
        return kept + forked

    def _finish(self, states: list[tuple[int, int, int, int]], emitted: list[tuple[int, int, int]]) -> None:
        """`finish_states`: at the end, a state whose remaining elements may all be empty matches."""
        for p, e, start, length in states:
            elements = self._patterns[p].elements
            while elements[e].quantifier in (_ZERO_PLUS, _ZERO_ONE):
                if e + 1 == len(elements):
                    emitted.append((self._patterns[p].key, start, start + length))
                    break
                e += 1


def _action(elements: tuple[_Element, ...], e: int, row: list[int]) -> str:
    """`get_action`: what element `e` does with the token."""
    element = elements[e]
    hit = element.matches(row)
    final = e + 1 == len(elements)
    if element.quantifier == _ONE:
        return ("match" if final else "advance") if hit else "reject"
    if element.quantifier == _ZERO_PLUS:
        if hit:
            return "match_extend" if final else "retry_extend"
        return "match_reject" if final else "retry"
    if hit:
        return "match_double" if final else "retry_advance"
    return "match_reject" if final else "retry"
