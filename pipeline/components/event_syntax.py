"""Parse-tree helpers of the events extractor: arguments, names, places and date attachment.

Small pure functions over spaCy tokens, kept apart from the component so that each can be
read (and tested) on its own. They assume a dependency parse; the component checks for one.
While the component reads a Doc (`memoised`), the tree reads they repeat (children, ancestors,
sentence, name words) are made once per token: spaCy makes new Token objects on every access.
"""
from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

import numpy
from spacy.attrs import ENT_IOB, HEAD
from spacy.tokens import Doc, Span, Token

from pipeline.components.phrase_matching import isin_sorted
from pipeline.countries import countries
from pipeline.extensions import entity_of, sentence_at, sentences_of

T = TypeVar("T")
OBJECT_DEPS = ("dobj", "nsubjpass", "attr", "oprd")
SUBJECT_DEPS = ("nsubj", "csubj")
PLACE_LABELS = ("GPE", "LOC", "FAC")
#: `ENT_IOB` of a token inside (not starting) an entity.
IOB_INSIDE = 1
#: Relations to climb when a verb has no subject of its own ("met and signed", "look forward to meeting").
UPWARD_DEPS = ("conj", "xcomp", "pcomp", "advcl", "acomp")


class ParseMemo:
    """The tree reads of one Doc, kept while the component works on it. spaCy makes a new
    Token object for every child, head and ancestor on every access, and confirming a
    match reads the same few tokens' children, names and places again and again (each
    status cue, veto and argument): kept per token, each is made once."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        #: What each kind of read ('children', 'ancestors', ...) gave, by token index.
        self.tables: defaultdict[str, dict[int, Any]] = defaultdict(dict)


#: What `kept` finds for a read not made yet (None is a value it keeps).
_UNKNOWN = object()
#: The memo of the Doc being read (see `memoised`); None outside the component.
_MEMO: ContextVar[ParseMemo | None] = ContextVar("event_parse_memo", default=None)


@contextmanager
def memoised(doc: Doc) -> Iterator[None]:
    """Keep the tree reads of `doc` (see `ParseMemo`) while the block runs; dropped after it,
    so the memo never outlives its Doc nor grows across documents."""
    reset = _MEMO.set(ParseMemo(doc))
    try:
        yield
    finally:
        _MEMO.reset(reset)


def kept(table: str, token: Token, make: Callable[[Token], T]) -> T:
    """`make(token)`, made once per token and `table` (the kind of read) while the token's Doc
    is memoised; `make` must depend on the parse only."""
    memo = _MEMO.get()
    if memo is None or memo.doc is not token.doc:
        return make(token)
    known = memo.tables[table]
    i = token.i
    value = known.get(i, _UNKNOWN)
    if value is _UNKNOWN:
        value = known[i] = make(token)
    return value


def children(token: Token) -> tuple[Token, ...]:
    """`token.children`, made once per token while its Doc is memoised."""
    return kept("children", token, _children)


def ancestors(token: Token) -> tuple[Token, ...]:
    """`token.ancestors` (nearest first), made once per token while its Doc is memoised."""
    return kept("ancestors", token, _ancestors)


def sentence_of(token: Token) -> Span:
    """`token.sent` from the Doc's cached sentence boundaries (`token.sent` walks the tokens);
    made once per token while its Doc is memoised."""
    return kept("sentences", token, _sentence)


def _children(token: Token) -> tuple[Token, ...]:
    return tuple(token.children)


def _ancestors(token: Token) -> tuple[Token, ...]:
    return tuple(token.ancestors)


def _sentence(token: Token) -> Span:
    return sentence_at(token.doc, token.i)


def word_positions(doc: Doc, wanted: Collection[tuple[int, int]]) -> dict[tuple[int, int], list[int]]:
    """Token positions per (attribute id, string hash) key asked for, read from one
    `Doc.to_array`: a look-up per token instead of a spaCy Matcher's predicate per pattern.
    One binary search over every attribute's values at once: a value that another
    attribute asked for is dropped after it."""
    attrs = sorted({attr for attr, _ in wanted})
    found: dict[tuple[int, int], list[int]] = {}
    if not attrs or not len(doc):
        return found
    values = doc.to_array(attrs).ravel()  # token by token, each token's attributes in `attrs` order
    asked = numpy.array(sorted({value for _, value in wanted}), dtype=values.dtype)
    hits = numpy.flatnonzero(isin_sorted(values, asked))
    width = len(attrs)
    for k, value in zip(hits.tolist(), values[hits].tolist()):
        key = (attrs[k % width], value)
        if key in wanted:
            found.setdefault(key, []).append(k // width)
    return found


def sentences_self_contained(doc: Doc) -> bool:
    """Does every token hang from a head in its own sentence, and no entity run over a
    sentence's start? Then each sentence holds whole parse trees and entities, and a
    sentence's `as_doc()` matches as the sentence does in its document."""
    if not len(doc):
        return True
    starts = numpy.array([sent.start for sent in sentences_of(doc)])
    heads, iob = doc.to_array([HEAD, ENT_IOB]).view(numpy.int64).T  # HEAD: signed offset to the head
    positions = numpy.arange(len(doc))
    sentence = numpy.searchsorted(starts, positions, side="right")
    return bool((sentence[positions + heads] == sentence).all() and (iob[starts] != IOB_INSIDE).all())


def lemma(token: Token) -> str:
    """Lower-case lemma (the text in a blank pipeline, which has none)."""
    return (token.lemma_ or token.text).casefold()


def phrasal_lemmas(verb: Token) -> set[str]:
    """The verb's lemma and, with a particle, its phrasal lemma ('call off' of 'called off')."""
    base = lemma(verb)
    return {base, *(f"{base} {c.lower_}" for c in children(verb) if c.dep_ == "prt")}


NAME_LABELS = ("PERSON", "ORG", "GPE", "NORP")


def pobjs(prep: Token) -> list[Token]:
    """Objects of a preposition, with their conjuncts ('with X and Y'). A preposition the parser
    left without object before a name ('spoke today with Prime Minister Modi of India to
    inaugurate', Modi made the subject of 'inaugurate') has that name."""
    out = []
    for child in children(prep):
        if child.dep_ in ("pobj", "pcomp"):
            out += [child, *child.conjuncts]
    if not out and prep.pos_ == "ADP":
        name = None
        for tok in prep.doc[prep.i + 1: min(prep.i + 6, sentence_of(prep).end)]:
            if tok.pos_ != "PROPN":
                break
            if tok.ent_type_ in NAME_LABELS:
                name = tok
        if name is not None and name.head.i != prep.i:
            out.append(name)
    return out


def of_chain(token: Token, preps: tuple[str, ...] = ("of",)) -> list[Token]:
    """The token and the nouns of its 'of' complements ('Meeting of the Council of Heads')."""
    chain = [token]
    node = token
    for _ in range(4):
        nxt = [p for c in children(node) if c.dep_ == "prep" and c.lower_ in preps for p in pobjs(c)]
        if not nxt:
            break
        chain += nxt
        node = nxt[0]
    return chain


def objects_of(verb: Token) -> list[Token]:
    """Direct objects (with their conjuncts); a participle modifying a noun has that noun."""
    out: list[Token] = []
    for child in children(verb):
        if child.dep_ in OBJECT_DEPS or child.dep_ == "npadvmod" and child.ent_type_ not in ("DATE", "TIME"):
            out += [child, *child.conjuncts]
    if not out and verb.dep_ in ("acl", "relcl", "amod") and verb.head.pos_ in ("NOUN", "PROPN"):
        out.append(verb.head)
    return out


def subjects_of(verb: Token) -> list[Token]:
    """Subject of a verb, looking up through coordination and control ('met and signed',
    'look forward to meeting'); the agent of a passive."""
    node = verb
    for _ in range(4):
        subjects = [c for c in children(node) if c.dep_ in SUBJECT_DEPS]
        agents = [p for c in children(node) if c.dep_ == "agent" for p in children(c) if p.dep_ == "pobj"]
        if subjects or agents:
            return subjects or agents
        if node.dep_ not in (*UPWARD_DEPS, "prep", "pobj") or node.head == node:
            break
        node = node.head
    return []


def verb_chain(verb: Token) -> list[Token]:
    """Verbs that a verb continues: 'will continue to meet', 'will converse and meet'."""
    out, node = [], verb
    for _ in range(3):
        if node.dep_ not in ("xcomp", "conj") or node.head == node or node.head.pos_ not in ("VERB", "AUX"):
            break
        node = node.head
        out.append(node)
    return out


def named_appositive(token: Token) -> Token:
    """The person a title stands for: 'the Prime Minister of Iraq, Mohammed Al-Sudani' -> Al-Sudani."""
    for child in children(token):
        if child.dep_ == "appos" and child.ent_type_ == "PERSON":
            return child
    return token


def clause_verb(token: Token) -> Token | None:
    if token.pos_ in ("VERB", "AUX"):
        return token
    for anc in ancestors(token):
        if anc.pos_ in ("VERB", "AUX"):
            return anc
    return None


def is_named(noun: Token) -> bool:
    """A proper name or capitalised modifiers ('Woodside Summit', 'the Bali and Woodside meetings')."""
    if noun.pos_ == "PROPN":
        return True
    return any(c.dep_ in ("compound", "amod", "nmod") and c.pos_ in ("PROPN", "ADJ") and c.is_title
               and c.i != sentence_of(c).start for c in children(noun))


def name_tokens(noun: Token) -> tuple[Token, ...]:
    """Modifiers that make up an event's name: left compounds and adjectives (not possessors),
    and 'of'/'for'/'on' complements."""
    return kept("names", noun, _name_tokens)


def _name_tokens(noun: Token) -> tuple[Token, ...]:
    out = [t for left in noun.lefts if left.dep_ not in ("poss", "det", "punct") for t in left.subtree]
    for comp in of_chain(noun, ("of", "for", "on"))[1:]:
        out += [t for t in comp.subtree if t.dep_ != "poss"]
    return tuple(out)


def has_indefinite(noun: Token) -> bool:
    return any(c.dep_ == "det" and c.lower_ in ("a", "an") for c in children(noun))


_SPECIFYING_PREPS = ("with", "between", "to", "in", "at", "on", "of", "among")


def is_specific(noun: Token) -> bool:
    """Does a trigger noun name or pin down an event ('state visit', 'visit to X', 'talks between
    X and Y', "Biden's meeting"), unlike a generic 'bilateral meetings'? Read once per token
    while its Doc is memoised: a match, its folding and its merging ask again."""
    return kept("specific", noun, _is_specific)


def _is_specific(noun: Token) -> bool:
    if is_named(noun) or noun.ent_type_ in ("EVENT", "ORG"):
        return True
    for child in children(noun):
        if child.dep_ in ("compound", "nmod", "nummod", "appos", "acl", "relcl"):
            return True
        if child.dep_ == "poss" and child.pos_ == "NOUN":
            return True  # "the foreign ministers' meeting"; "Xi's visit" still refers back
        if child.dep_ == "prep" and child.lower_ in _SPECIFYING_PREPS and pobjs(child):
            return True
        if child.dep_ == "amod" and child.lower_ in ("upcoming", "forthcoming", "next", "first", "official", "state"):
            return True
    return False


def hyphen_countries(token: Token) -> list[str]:
    """Countries of a 'China-Kazakhstan' / 'U.S.-Iraq' modifier of a noun."""
    out: list[str] = []
    for left in token.lefts:
        for dash in left.subtree:
            if dash.text in ("-", "–") and 0 < dash.i < len(dash.doc) - 1:
                pair = [countries().to_iso3(dash.nbor(-1).text), countries().to_iso3(dash.nbor(1).text)]
                if all(pair):
                    out += pair  # type: ignore[arg-type]
    return list(dict.fromkeys(out))


def place_of(token: Token, cities: Collection[str] = ()) -> str | None:
    """A place entity as ISO3 (countries) or as its name (cities, venues); 'Russian territory' is RUS.
    `cities` (casefolded) are names the country gazetteer maps to a country but that name a city."""
    if token.lower_ in ("territory", "airspace", "soil"):
        codes = [countries().to_iso3(c.text) for c in children(token) if c.dep_ in ("amod", "poss", "compound")]
        return next((c for c in codes if c), None)
    ent = entity_of(token)
    text = ent.text if ent is not None and token.ent_type_ in PLACE_LABELS else token.text
    text = re.sub(r"^(?:the|The)\s+", "", text)
    if text.casefold() in cities:
        return text
    if token.ent_type_ not in PLACE_LABELS:
        return countries().to_iso3(token.text)
    return countries().to_iso3(text) or text


def closing_date(span: Span) -> bool:
    """', Dec. 3, 2017.' closing a sentence: a caption's date, which dates the whole scene."""
    sent = sentence_at(span.doc, span.start)
    before = span.doc[span.start - 1] if span.start > sent.start else None
    after = span.doc[span.end: sent.end]
    return before is not None and before.text == "," and all(t.is_punct or t.is_space for t in after)


def place_phrase_between(anchor: Token, date: Span) -> bool:
    """Only a place phrase separates an event word from a date after it ('Summit held in
    Washington, D.C., on 12 May 2022'): the date is the event's even when the parser hung it
    elsewhere."""
    between = anchor.doc[anchor.i + 1: date.start]
    if anchor.i >= date.start or not between or between[-1].lower_ not in ("on", "in"):
        return False
    places = [t for t in between if t.ent_type_ in PLACE_LABELS]
    return bool(places) and all(
        t.ent_type_ in PLACE_LABELS or t.is_punct or t.lower_ in ("in", "at", "on", "the") or t.dep_ == "acl"
        for t in between)


def date_distance(date: Token, anchor: Token) -> int | None:
    """Arcs from a date to an event anchor when the date can qualify it: the anchor governs the
    date, the date governs the anchor closely ('April 2, 2024, telephone call'), or the event is
    where the act of the verb the date modifies took place or what it was for ('proposed at the
    Dushanbe Summit in 2014', 'gathered for the Summit on 6 September'); else None."""
    up = [date, *ancestors(date)]
    if anchor in up:
        between = up[1:up.index(anchor)]
        if any(t.lower_ in ("since", "until", "till", "before", "after") for t in between):
            return None  # "his first visit since his rise to power last year": the date bounds, not dates
        if any(t.pos_ in ("VERB", "AUX") and not (t.dep_ in ("relcl", "acl") and t.head == anchor) for t in between):
            return None  # the date sits in a clause of its own ("... which was celebrated this year")
        return up.index(anchor)
    down = [anchor, *ancestors(anchor)]
    if date in down[:3]:
        return down.index(date)
    verb = date.head.head if date.head.pos_ == "ADP" else date.head
    venue = anchor.dep_ == "pobj" and anchor.head.lower_ in ("at", "during", "in", "for")  # where the act happened
    if venue and verb.pos_ in ("VERB", "AUX") and verb in down[:5]:
        if not any(t.pos_ in ("VERB", "AUX") for t in down[1:down.index(verb)]):
            return 1 + down.index(verb)
    return None


def extent(tokens: list[Token]) -> tuple[int, int]:
    start = min(t.idx for t in tokens)
    end = max(t.idx + len(t.text) for t in tokens)
    return start, end


def iso_to_date(value: str) -> dt.date | None:
    """First day of an ISO day, month or year value; None for other forms (quarters, weeks)."""
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            return dt.date.fromisoformat(value)
        if re.fullmatch(r"\d{4}-\d{2}", value):
            return dt.date(int(value[:4]), int(value[5:]), 1)
        if re.fullmatch(r"\d{4}", value):
            return dt.date(int(value), 1, 1)
    except ValueError:
        return None
    return None


def as_date(value: object) -> dt.date | None:
    """`doc._.published` as a date, whether it was set as a date, a datetime or an ISO string."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None
