"""Anchor-indexed token matching: spaCy `Matcher` results at the cost of a set look-up per token.

spaCy's `Matcher` starts every pattern at every token and evaluates each `{"IN": [...]}` set
as a Python predicate there, so a few hundred trigger phrases cost more than the parser.
`AnchoredMatcher` takes the same token patterns and returns the same matches, in the same
order: it runs spaCy's own state machine (`transition_states` in `spacy/matcher/matcher.pyx`),
but starts a pattern only at the tokens its first element matches, found by looking the
token's anchor attribute (its lower form, say; or the attribute the first element tests
instead, such as an exact `ORTH` spelling) up in an index built when the patterns are added,
and only if the tokens after it can continue it (see `_Pattern.gate`; `_Starts` finds the
candidate tokens for the whole Doc at once). A state spaCy would start
elsewhere dies without emitting anything, so leaving it out changes neither the matches nor
their order, which callers rely on (the first of equal-ranked candidates wins). When every
pattern is a fixed word sequence (the trigger terms of agreements and projects), the state
machine's order is known in advance and the matches are checked directly (`_sequences`).

Supported: attributes `ANCHOR_ATTRS` with a string or `{"IN": [...]}` value, and the operators
none, "?", "*" and "+"; anything else is refused, so a pattern never silently matches
differently from spaCy's.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy
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
_RETRIES = ("retry", "retry_extend", "retry_advance")

State = tuple[int, int, int, int]  # pattern, element, start, length (spaCy's PatternStateC)
Match = tuple[int, int, int]  # key, start, end


@dataclass(frozen=True)
class _Element:
    """One compiled pattern element: a quantifier and (attribute column, accepted ids) tests."""

    quantifier: str
    tests: tuple[tuple[int, frozenset[int]], ...]

    def matches(self, row: list[int]) -> bool:
        for column, accepted in self.tests:
            if row[column] not in accepted:
                return False
        return True

    @property
    def anchor_only(self) -> bool:
        """Tests the anchor column alone (column 0)."""
        return len(self.tests) == 1 and self.tests[0][0] == 0


@dataclass(frozen=True)
class _Pattern:
    """One added pattern: its match id and elements (a "+" is two: one, then "*")."""

    key: int
    elements: tuple[_Element, ...]

    @property
    def first(self) -> _Element | None:
        """The element every match starts with (None: the first element may be skipped)."""
        return self.elements[0] if self.elements[0].quantifier == _ONE else None

    @property
    def gate(self) -> list[_Element] | None:
        """What the next token must match for a state started here to live or emit.

        A state whose first element matched moves to the second; at the next token it dies
        without emitting anything unless an element of the run up to the next required one
        matches there. No gate when only optional elements follow (the state may emit), nor
        when the first element may be skipped."""
        if self.first is None:
            return None
        run: list[_Element] = []
        for element in self.elements[1:]:
            run.append(element)
            if element.quantifier == _ONE:
                return run
        return None


@dataclass
class _StartGroup:
    """Patterns filed under one anchor value that share their first element and the elements of
    their gates that test more than the anchor: they start together, but for the anchor value
    the next token needs."""

    first: _Element | None
    others: tuple[_Element, ...]
    ungated: list[int] = field(default_factory=list)
    gated: list[int] = field(default_factory=list)
    #: Per gated pattern, the anchor values its gate accepts at the next token.
    next_values: list[frozenset[int]] = field(default_factory=list)
    #: Anchor value at the next token -> the gated patterns it lets live, in the order added;
    #: built at the group's first use, since most groups (anchor values) never start a state.
    _by_next: dict[int, list[int]] | None = None

    def add(self, n: int, gate: list[_Element] | None, next_values: frozenset[int]) -> None:
        if gate is None:
            self.ungated.append(n)
            return
        self.gated.append(n)
        self.next_values.append(next_values)
        self._by_next = None

    @property
    def by_next(self) -> dict[int, list[int]]:
        if self._by_next is None:
            self._by_next = {}
            for n, values in zip(self.gated, self.next_values):
                for value in values:
                    self._by_next.setdefault(value, []).append(n)
        return self._by_next

    def starts(self, rows: _Rows, i: int) -> list[int]:
        """The patterns whose states, started at token `i`, may reach the required element of
        their gate: the tokens after `i` are read while an optional element of the gates that
        tests more than the anchor (an adverb between the words) matches them, and a gated
        pattern lives if one of them has an anchor value its gate accepts."""
        if self.first is not None and not self.first.matches(rows[i]):
            return []
        if not self.gated:
            return self.ungated
        live: set[int] = set()
        for j in range(i + 1, len(rows)):
            row = rows[j]
            hits = [element for element in self.others if element.matches(row)]
            if any(element.quantifier == _ONE for element in hits):
                return self.ungated + self.gated
            live.update(self.by_next.get(row[0], ()))
            if not hits:
                break
        return self.ungated + sorted(live)


class _Starts:
    """The tokens where a state may start and live past the next token, found for the whole
    Doc with numpy before any token is read one by one: a token with an anchor value that
    starts an ungated pattern, or one that starts only gated patterns followed by a token some
    gate lets through (its anchor value is a gate's, or it matches an element of a gate that
    tests more than the anchor). A superset of the tokens `_StartGroup.starts` keeps: common
    first words of long triggers ('the need to') are mostly followed by other words."""

    def __init__(self, by_anchor: dict[int, dict[int, dict[tuple, _StartGroup]]]) -> None:
        #: Per anchor column: its anchor values sorted, and whether each starts an ungated pattern.
        self.values: dict[int, tuple[numpy.ndarray, numpy.ndarray]] = {}
        next_values: set[int] = set()
        others: set[_Element] = set()
        for column, index in by_anchor.items():
            values = sorted(index)
            ungated = [any(g.ungated for g in index[value].values()) for value in values]
            self.values[column] = (_sorted_ids(values), numpy.array(ungated, dtype=bool))
            for group in (g for groups in index.values() for g in groups.values()):
                next_values.update(*group.next_values)
                others.update(group.others)
        self.next_values = _sorted_ids(next_values)
        self.others = [[(column, _sorted_ids(accepted)) for column, accepted in e.tests] for e in others]

    def __call__(self, array: numpy.ndarray) -> list[int]:
        """The candidate start positions of a Doc's (tokens x columns) attribute array, in order."""
        start = numpy.zeros(len(array), dtype=bool)
        gated = numpy.zeros(len(array), dtype=bool)
        for column, (values, ungated) in self.values.items():
            if not len(values):
                continue
            found, where = _look_up(array[:, column], values)
            start |= found & ungated[where]
            gated |= found & ~ungated[where]
        gated_at = numpy.flatnonzero(gated[:-1])
        following = array[gated_at + 1]
        passes = _any_of([isin_sorted(following[:, 0], self.next_values)] + [
            _all_of([isin_sorted(following[:, c], values) for c, values in tests], len(following))
            for tests in self.others], len(following))
        start[gated_at[passes]] = True
        return numpy.flatnonzero(start).tolist()


def _sorted_ids(values: Iterable[int]) -> numpy.ndarray:
    return numpy.array(sorted(values), dtype=numpy.uint64)


def _any_of(masks: list[numpy.ndarray], n: int) -> numpy.ndarray:
    return numpy.logical_or.reduce(masks) if masks else numpy.zeros(n, dtype=bool)


def _all_of(masks: list[numpy.ndarray], n: int) -> numpy.ndarray:
    """The tokens an element's tests all accept (every token for an element with none: `{}`)."""
    return numpy.logical_and.reduce(masks) if masks else numpy.ones(n, dtype=bool)


class _Rows:
    """The tested attributes of each token, converted to Python ints only for the tokens read."""

    def __init__(self, array: numpy.ndarray) -> None:
        self.array = array
        self.cache: dict[int, list[int]] = {}

    def __len__(self) -> int:
        return len(self.array)

    def __getitem__(self, i: int) -> list[int]:
        row = self.cache.get(i)
        if row is None:
            row = self.cache[i] = self.array[i].tolist()
        return row


class AnchoredMatcher:
    """A drop-in for `spacy.matcher.Matcher` (`add`, `__call__` with `(match_id, start, end)`
    results) over the pattern subset in the module docstring."""

    def __init__(self, vocab: Vocab, anchor: str = "LOWER") -> None:
        self.vocab = vocab
        self._columns: list[str] = [anchor.upper()]
        self._patterns: list[_Pattern] = []
        #: Per column an anchor is read from: value -> the groups of patterns a token with it starts.
        self._by_anchor: dict[int, dict[int, dict[tuple, _StartGroup]]] = {}
        self._unanchored: dict[tuple, _StartGroup] = {}
        self._start_filter = _Starts({})
        #: Every pattern a fixed sequence (no operator): matched without the state machine.
        self._fixed = True

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
            self._index(len(self._patterns), compiled)
            self._patterns.append(compiled)
            self._fixed = self._fixed and all(e.quantifier == _ONE for e in compiled.elements)
        self._start_filter = _Starts(self._by_anchor)

    def __call__(self, doclike: Doc | Span) -> list[Match]:
        """Every match, as spaCy's `Matcher` returns them: deduplicated, non-empty, in the
        order its state machine emits them."""
        doc = doclike.doc if isinstance(doclike, Span) else doclike
        for attr in self._columns:
            if attr in _ANNOTATED and not doc.has_annotation(attr):
                raise ValueError(f"the patterns test {attr}, which the Doc has no annotation for")
        if not len(doclike):
            return []
        array = doclike.to_array([IDS[a] for a in self._columns]).reshape(len(doclike), -1)
        rows = _Rows(array)
        anchored: Iterable[int] = range(len(rows))  # an unanchored pattern may start anywhere
        if not self._unanchored:
            anchored = self._start_filter(array)
        emitted: list[Match] = []
        if self._fixed:
            emitted = self._sequences(rows, list(anchored))
        else:
            self._finish(self._run(rows, list(anchored), emitted), emitted)
        seen: set[Match] = set()
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

    def _index(self, n: int, pattern: _Pattern) -> None:
        """File pattern `n` under the values its first element needs of one attribute (the anchor
        attribute if it tests it, else its first: `{"ORTH": "New"}` in a LOWER-anchored matcher); a
        pattern whose first element may be skipped is tried at every token."""
        first, gate = pattern.first, pattern.gate
        others = tuple(e for e in gate or [] if not e.anchor_only)
        next_values = frozenset(v for e in gate or [] if e.anchor_only for v in e.tests[0][1])
        groups = [self._unanchored]
        if first is not None and first.tests:
            column, accepted = min(first.tests, key=lambda test: test[0])
            index = self._by_anchor.setdefault(column, {})
            groups = [index.setdefault(value, {}) for value in accepted]
        for group in groups:
            group.setdefault((first, others), _StartGroup(first, others)).add(n, gate, next_values)

    # ------------------------------------------------------------------ spaCy's state machine

    def _starts(self, rows: _Rows, i: int) -> list[int]:
        """The patterns a state is started for at token `i`, in the order added."""
        row = rows[i]
        groups = [g for column, index in self._by_anchor.items() for g in index.get(row[column], {}).values()]
        groups += self._unanchored.values()
        return sorted(p for g in groups for p in g.starts(rows, i))

    def _sequences(self, rows: _Rows, anchored: list[int]) -> list[Match]:
        """The matches when every pattern is a fixed sequence: a state then lives one token per
        element and emits at its last, states in the order started, so spaCy emits by end, then
        start, then the order added; each started pattern's other elements are simply checked."""
        found: list[tuple[int, int, int]] = []
        for i in anchored:
            for p in self._starts(rows, i):
                elements = self._patterns[p].elements
                end = i + len(elements)
                if end <= len(rows) and all(elements[k].matches(rows[i + k]) for k in range(1, len(elements))):
                    found.append((end, i, p))
        return [(self._patterns[p].key, start, end) for end, start, p in sorted(found)]

    def _run(self, rows: _Rows, anchored: list[int], emitted: list[Match]) -> list[State]:
        """`find_matches`' main loop over the tokens where a state is alive or may start; returns
        the states still alive after the last token."""
        states: list[State] = []
        next_anchor = 0
        i = -1
        while True:
            i += 1
            if not states:
                if next_anchor == len(anchored):
                    return states
                i = anchored[next_anchor]
            if i == len(rows):
                return states
            starts: list[State] = []
            if next_anchor < len(anchored) and anchored[next_anchor] == i:
                next_anchor += 1
                starts = [(p, 0, i, 0) for p in self._starts(rows, i)]
            if states or starts:
                states = self._transition(states + starts, rows[i], emitted)

    def _transition(self, states: list[State], row: list[int], emitted: list[Match]) -> list[State]:
        """One token of `transition_states`: surviving states keep their order, states forked
        by '*' and '?' follow them, matches are emitted in state order."""
        kept: list[State] = []
        forked: list[State] = []
        for p, e, start, length in states:
            elements = self._patterns[p].elements
            key = self._patterns[p].key
            action = _action(elements, e, row)
            while action in _RETRIES:
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

    def _finish(self, states: list[State], emitted: list[Match]) -> None:
        """`finish_states`: at the end, a state whose remaining elements may all be empty matches."""
        for p, e, start, length in states:
            elements = self._patterns[p].elements
            while elements[e].quantifier in (_ZERO_PLUS, _ZERO_ONE):
                if e + 1 == len(elements):
                    emitted.append((self._patterns[p].key, start, start + length))
                    break
                e += 1


def isin_sorted(column: numpy.ndarray, values: numpy.ndarray) -> numpy.ndarray:
    """`numpy.isin` for sorted `values`: a binary search per token, where `numpy.isin` sorts the
    token's values with them on every call (it cost more than the matching)."""
    return _look_up(column, values)[0]


def _look_up(column: numpy.ndarray, values: numpy.ndarray) -> tuple[numpy.ndarray, numpy.ndarray]:
    """Per token, whether its value is one of the sorted `values`, and where in them (a valid
    index into them, meaningful only where found)."""
    if not len(values):
        return numpy.zeros(len(column), dtype=bool), numpy.zeros(len(column), dtype=numpy.intp)
    where = numpy.minimum(numpy.searchsorted(values, column), len(values) - 1)
    return values[where] == column, where


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
