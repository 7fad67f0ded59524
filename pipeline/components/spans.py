"""Span building shared by the agreement and project extractors.

Both record types are noun phrases headed by a trigger noun ("treaty", "wind farm") whose
name is the noun's pre-modifiers plus a complement ("Treaty on Good-neighborliness ... of
the SCO Member States", "terminal in Xi'an"), and whose status comes from the words that
govern it ("signed", "to discuss and sign", "the construction of"). The helpers here read
the dependency parse; `term_patterns` turns the trigger terms of the rule files into word
sequences that an `AnchoredMatcher` finds, so that the same data also works without a parser.

The context rules (`ContextRule`) are evaluated against a `MentionContext` computed once
per mention: the lemmas of the governing chain, the mood of the governing verb, the
preposition that governs the phrase, the phrase's own modifiers and whether it sits in the
title line. A rule fires when all its stated conditions hold; the highest priority wins.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

import numpy
from pydantic import Field
from spacy.attrs import LEMMA, ORTH, POS
from spacy.parts_of_speech import IDS as POS_IDS
from spacy.tokens import Doc, Span, Token

from pipeline.components.phrase_matching import AnchoredMatcher
from pipeline.countries import to_iso3
from pipeline.extensions import sentence_at, span_text, text_of
from pipeline.rules.loader import Rule

Mood = Literal["future", "infinitive", "modal", "progressive", "finite", "participle", "gerund", "none"]

QUOTES = frozenset({'"', "“", "”", "«", "»", "'", "‘", "’", "``", "''"})
LEADING_DROP_DEPS = frozenset({"det", "predet", "poss", "case", "punct", "quantmod", "advmod", "cc", "prep"})
FUTURE_AUX = frozenset({"will", "shall", "'ll", "wo"})
MODAL_AUX = frozenset({"would", "should", "could", "may", "might", "must", "can"})
BE_FORMS = frozenset({"is", "are", "was", "were", "am", "be", "been", "'s", "'re"})
#: Possessive marks after an owner ("Djibouti's", "the Leaders'").
POSSESSIVE_MARKS = frozenset({"'s", "’s", "'", "’"})
YEAR = re.compile(r"^(1[89]\d\d|20\d\d)$")
_ES_ENDINGS = ("s", "sh", "ch", "x", "z")


def _marks(words: Iterable[str]) -> re.Pattern:
    """A pattern finding any of the words in a text."""
    return re.compile("|".join(re.escape(w) for w in sorted(words)))


#: Marks `_trim` looks for in a name's text before it reads the name's tokens.
_QUOTE_MARK, _POSSESSIVE_MARK = _marks(QUOTES), _marks(POSSESSIVE_MARKS)


def plural_forms(word: str) -> set[str]:
    """The word and its regular English plurals, lower case: why the rule files list lemmas only."""
    w = word.lower()
    forms = {w}
    if w.endswith("y") and len(w) > 2 and w[-2] not in "aeiou":
        forms.add(w[:-1] + "ies")
    elif w.endswith("um"):
        forms |= {w[:-2] + "a", w + "s"}
    elif w.endswith(_ES_ENDINGS):
        forms.add(w + "es")
    else:
        forms.add(w + "s")
    return forms


def term_patterns(term: str) -> list[dict]:
    """Token pattern for a trigger term: words matched case-insensitively, the head word also plural.

    The head of an English noun compound is its last word ("wind farm"), except for an "X of Y"
    term ("memorandum of understanding") whose head is the word before "of".
    """
    words = term.replace("-", " - ").split()
    head = words.index("of") - 1 if "of" in words[1:] else len(words) - 1
    pattern: list[dict] = []
    for i, word in enumerate(words):
        if i == head:
            pattern.append({"LOWER": {"IN": sorted(plural_forms(word))}})
        else:
            pattern.append({"LOWER": word.lower()})
    return pattern


def term_head(span: Span) -> Token:
    """Head of a matched term without a parser, by the rule of `term_patterns`."""
    link = next((t for t in span[1:] if t.lower_ == "of"), None)
    return span.doc[link.i - 1] if link is not None else span[-1]


def matched_heads(matcher: AnchoredMatcher, doc: Doc, rules: dict[str, Rule]) -> list[tuple[Token, Rule]]:
    """(head, rule) for each head word a trigger term of `matcher` found, in text order; the longest
    term wins on a shared head ("power plant" over "plant"), the first match in spaCy's Matcher
    order on a tie. `rules` maps the keys the patterns were added under to rules."""
    best: dict[int, tuple[int, Token, Rule]] = {}
    parsed = has_parse(doc)
    for key, start, end in matcher(doc):
        span = doc[start:end]
        head = span.root if parsed else term_head(span)
        if head.i not in best or end - start > best[head.i][0]:
            best[head.i] = (end - start, head, rules[doc.vocab.strings[key]])
    return [(head, rule) for _, head, rule in sorted(best.values(), key=lambda x: x[1].i)]


def tokens_with_pos(doc: Doc, pos: str, lemmas: frozenset[str] | None = None) -> list[Token]:
    """The tokens with a coarse tag ("NOUN"), in text order, and when `lemmas` is given only those
    whose lower-case lemma is among them; found from one array read and one test per distinct lemma:
    reading every token's `pos_` in Python cost more than what the extractors then did with the few found."""
    tags, lemma_ids = doc.to_array([POS, LEMMA]).T
    found = tags == POS_IDS[pos]
    if lemmas is not None:
        strings = doc.vocab.strings
        wanted = [w for w in numpy.unique(lemma_ids[found]).tolist() if strings[w].lower() in lemmas]
        found &= numpy.isin(lemma_ids, numpy.array(wanted, dtype=numpy.uint64))
    return [doc[i] for i in found.nonzero()[0].tolist()]


def country_pair(token: Token) -> bool:
    """"China" in "China-Japan fisheries agreement": one of a hyphenated pair of countries."""
    doc = token.doc
    for step in (2, -2):
        other = token.i + step
        if 0 <= other < len(doc) and doc[token.i + step // 2].text in "-–" and to_iso3(doc[other].text):
            return bool(to_iso3(token.text))
    return False


def is_plural(token: Token) -> bool:
    return token.tag_ in ("NNS", "NNPS") or (token.tag_ == "" and token.lower_.endswith("s"))


def is_possessor(token: Token) -> bool:
    """"Djibouti's" in "Djibouti's deals": an owner, not part of a name."""
    return token.dep_ == "poss" or any(c.dep_ == "case" and c.lower_ in POSSESSIVE_MARKS for c in token.children)


def has_parse(doc: Doc) -> bool:
    return doc.has_annotation("DEP")


def _trim(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """Drop leading owners ("President Trump's"), determiners and stray punctuation; balance quotes.

    The steps that look for marks read the tokens only when the text of `doc[start:end]` holds such
    a mark (each step works inside it, a closing ")" aside): most names hold none."""
    text = span_text(doc[start:end])
    if _POSSESSIVE_MARK.search(text):
        start = _after_owner(doc, start, end)
    start = _after_leading_words(doc, start, end)
    while end > start + 1 and _trailing_junk(doc[end - 1]):
        end -= 1
    if "(" in text:
        end = _close_parenthesis(doc, start, end)
    if _QUOTE_MARK.search(text):
        quotes = sum(t.text in QUOTES for t in doc[start:end])
        if quotes % 2 and end < len(doc) and doc[end].text in QUOTES:
            end += 1
        elif quotes % 2 and doc[end - 1].text in QUOTES:
            end -= 1
    return start, end


def _after_owner(doc: Doc, start: int, end: int) -> int:
    """Start after the last owner ("President Trump's") before the first preposition, verb or conjunction."""
    for tok in doc[start:end - 1]:
        if tok.pos_ in ("ADP", "VERB", "SCONJ"):
            break
        if tok.dep_ == "case" and tok.lower_ in POSSESSIVE_MARKS and tok.head.i < tok.i:
            start = tok.i + 1
    return start


def _after_leading_words(doc: Doc, start: int, end: int) -> int:
    """Start after leading determiners, owners, superlatives and stray punctuation."""
    while start < end - 1:
        tok = doc[start]
        if tok.is_currency:
            break  # "$14 billion dam project"
        if tok.dep_ == "advmod" and tok.head.pos_ == "ADJ" and start < tok.head.i < end:
            break  # "mutually beneficial"
        if tok.dep_ in LEADING_DROP_DEPS and tok.text not in QUOTES and not tok.is_title:
            start += 1
        elif tok.dep_ == "poss" or tok.tag_ == "PRP$" or tok.lower_ in ("the", "a", "an", "this", "that"):
            start += 1
        elif tok.tag_ == "JJS" or tok.is_punct and tok.text not in QUOTES:
            start += 1
        elif tok.text in QUOTES and not any(t.text in QUOTES for t in doc[start + 1:end]):
            start += 1
        else:
            break
    return start


def _trailing_junk(tok: Token) -> bool:
    """Punctuation other than a quote mark, or white space: never the last word of a name."""
    return tok.is_punct and tok.text not in QUOTES or tok.is_space


def _close_parenthesis(doc: Doc, start: int, end: int) -> int:
    """End after the ")" of a parenthesis the name opens, or before the parenthesis when it stays open."""
    opened = [t.i for t in doc[start:end] if t.text == "("]
    if opened and not any(t.text == ")" for t in doc[opened[-1]:end]):
        if end < len(doc) and doc[end].text == ")":
            end += 1
        else:
            end = opened[-1]
            while end > start + 1 and doc[end - 1].is_punct and doc[end - 1].text not in QUOTES:
                end -= 1
    return end


def complement_span(prep: Token) -> Span:
    """A prepositional phrase up to the first clause hanging off it ("between A and B")."""
    return prep.doc[prep.i:_complement_end(prep, COMPLEMENT_STOP)]


def _complement_end(prep: Token, stop_deps: frozenset[str]) -> int:
    """End (exclusive) of a complement's subtree, cut before the first clause that hangs off it."""
    end = prep.i + 1
    for tok in prep.doc[prep.i + 1:prep.right_edge.i + 1]:
        if tok.is_space or "\n" in tok.text or _is_date(tok) and tok.doc[tok.i - 1].text == ",":
            break
        path, node = [], tok
        while node != prep and node.head != node:
            path.append(node)
            node = node.head
        if node != prep or any(a.dep_ in stop_deps for a in path):
            break
        end = tok.i + 1
    return end


#: Inside a complement, clauses and appositions end the name; coordination does not
#: ("Good-neighborliness, Friendship and Cooperation").
COMPLEMENT_STOP = frozenset({"relcl", "acl", "appos", "advcl", "parataxis"})


def _clause_end(verb: Token) -> int:
    """End of an infinitive clause before any nested clause or comma-led addition."""
    end = verb.i + 1
    for tok in verb.doc[verb.i + 1:verb.right_edge.i + 1]:
        path, node = [], tok
        while node != verb and node.head != node:
            path.append(node)
            node = node.head
        if node != verb or tok.is_space or any(a.dep_ in COMPLEMENT_STOP | {"punct"} and a.text == "," for a in path):
            break
        if any(a.dep_ in COMPLEMENT_STOP for a in path):
            break
        end = tok.i + 1
    return end


def _is_date(token: Token) -> bool:
    return token.ent_type_ in ("DATE", "TIME")


def _is_party_prefix(token: Token) -> bool:
    """A detached "U.S.-China" or "China-Kazakhstan" just before a name belongs to it."""
    return token.pos_ == "PROPN" and token.dep_ in ("dep", "compound", "nmod", "amod") and (
        token.ent_type_ in ("GPE", "NORP") or bool(re.match(r"^[A-Z][\w.]*[-–][A-Z]", token.text))
    )


NAME_LINKS = frozenset({"of", "in", "and", "for", "on", "&"})


def _entity_ends_at(token: Token) -> bool:
    """Does a named entity end with this token ("Ho Chi Minh City" and ...)? Then a link after it
    joins two names, not the parts of one."""
    return token.ent_iob_ in ("B", "I") and (token.i + 1 >= len(token.doc) or token.doc[token.i + 1].ent_iob_ != "I")


def _capitalised_start(doc: Doc, start: int, floor: int) -> int:
    """Extend a capitalised name leftwards over the rest of its capitalised run.

    The parser often splits names with inner function words ("the ASEAN Trade in Goods
    Agreement" parses "Trade" as the object), so adjacent capitalised words and the links
    between them ("in", "of", "and") are taken back; determiners, verbs and owners stop it.
    """
    def capital(tok: Token) -> bool:
        return (tok.is_title or tok.is_upper and tok.is_alpha) and tok.pos_ in ("PROPN", "NOUN", "ADJ") and tok.i > floor

    while start > floor and doc[start].pos_ != "DET":
        prev = doc[start - 1]
        if capital(prev) and not is_possessor(prev):
            start -= 1
        elif (prev.lower_ in NAME_LINKS and start - 2 >= floor and capital(doc[start - 2]) and not is_possessor(doc[start - 2])
              and not (prev.lower_ == "and" and doc[start - 2] in doc[start:].root.conjuncts)
              and not _entity_ends_at(doc[start - 2])):
            start -= 2
        else:
            break
    return start


def phrase_bounds(
    head: Token,
    complement_preps: frozenset[str],
    infinitive: bool = True,
    party_preps: frozenset[str] = frozenset(),
    place_preps: frozenset[str] = frozenset(),
) -> tuple[int, int]:
    """Token bounds of the name a trigger noun heads: pre-modifiers, head, first complement.

    A compound head ("corridor" in "economic corridor construction") takes the pre-modifiers
    its parent holds left of it, because the parser attaches them to the last noun. The
    complement is the prepositional phrase right after the head when its preposition is in
    `complement_preps`, even where the parser attached it elsewhere ("the signing of the
    Treaty on ..." with "on" under "signing"); a to-infinitive ("arrangement to pay ...")
    also counts. Dates ("on 5 May") never do; a preposition in `place_preps` only with a
    named object ("terminal in Xi'an", not "initiative in bilateral cooperation"). Phrases
    with `party_preps` ("between A and B") may follow the first complement.
    """
    doc = head.doc
    sent = sentence_at(doc, head.i)
    start = head.left_edge.i
    if head.dep_ == "compound" and head.head.i > head.i:
        start = min(start, head.head.left_edge.i)
    start = max(start, sent.start)
    while start > sent.start and _is_party_prefix(doc[start - 1]):
        start -= 1
    if head.is_title and head.i != sent.start:
        start = _capitalised_start(doc, start, sent.start)
    end = head.i + 1
    nxt = doc[end] if end < len(doc) else None
    if nxt is not None and nxt.text in QUOTES and any(t.text in QUOTES for t in doc[start:head.i]):
        end += 1
        nxt = doc[end] if end < len(doc) else None
    if nxt is None or nxt.i >= sent.end:
        return start, end
    if nxt.lower_ in place_preps and not _named_object(nxt):
        return start, end
    end = _first_complement(doc, head, nxt, start, end, complement_preps, infinitive)
    while end < sent.end and doc[end].lower_ in party_preps:
        end = _complement_end(doc[end], COMPLEMENT_STOP)
    return start, end


def _named_object(prep: Token) -> bool:
    """Does the preposition govern a proper name or place ("in Xi'an", "of Chabahar")?"""
    objs = [c for c in prep.children if c.dep_ == "pobj"]
    if not objs:
        return False
    # "in the Golden Triangle area": a common noun named by its compound
    return any(t.pos_ == "PROPN" or t.ent_type_ in ("GPE", "LOC", "FAC", "ORG")
               for t in (objs[0], *(c for c in objs[0].children if c.dep_ == "compound")))


def _first_complement(doc: Doc, head: Token, nxt: Token, start: int, end: int, complement_preps: frozenset[str],
                      infinitive: bool) -> int:
    """End of the name after its first complement (see `phrase_bounds`)."""
    if nxt.dep_ in ("prep", "agent") and nxt.lower_ in complement_preps:
        pobj = [c for c in nxt.children if c.dep_ in ("pobj", "pcomp")]
        if pobj and not _is_date(pobj[0]):
            end = max(end, _complement_end(nxt, COMPLEMENT_STOP))
    elif nxt.dep_ == "mark" and nxt.lower_ in complement_preps and nxt.head.head == head:
        end = max(end, _clause_end(nxt.head))
    elif infinitive and nxt.lower_ == "to" and nxt.tag_ == "TO" and nxt.head.dep_ in ("acl", "relcl", "advcl", "xcomp"):
        verb = nxt.head
        governed = verb.head == head.head and verb.dep_ in ("advcl", "xcomp") and head.dep_ == "dobj" and not head.is_title
        if verb.i > nxt.i and (verb.head == head or governed or verb.head.pos_ in ("NOUN", "PROPN") and verb.head.i < head.i):
            end = max(end, _clause_end(verb))
    return end


def phrase_span(head: Token, complement_preps: frozenset[str], **options) -> Span:
    """The trimmed name span for a trigger head (see `phrase_bounds` for the options)."""
    start, end = phrase_bounds(head, complement_preps, **options)
    start, end = _trim(head.doc, start, end)
    return head.doc[start:end]


def bare_span(head: Token) -> Span:
    """The head with its pre-modifiers only: the short form kept as an alias."""
    start = head.left_edge.i
    if head.dep_ == "compound" and head.head.i > head.i:
        start = min(start, head.head.left_edge.i)
    start, end = _trim(head.doc, max(start, sentence_at(head.doc, head.i).start), head.i + 1)
    return head.doc[start:end]


def blank_name(head: Token) -> Span | None:
    """Without a parser: the capitalised run around the head, through inner links ("Memorandum
    of Understanding on Energy", "Belt and Road Initiative"); None when the head stands alone."""
    doc, sent = head.doc, head.sent
    start, end = head.i, head.i + 1
    while start > sent.start:
        prev = doc[start - 1]
        if (prev.is_title or prev.text in "-–") and prev.lower_ not in ("the", "a", "an", "this", "that"):
            start -= 1
        elif prev.lower_ in NAME_LINKS and start - 2 >= sent.start and doc[start - 2].is_title and start - 2 > sent.start:
            start -= 2
        else:
            break
    while end < sent.end:
        nxt = doc[end]
        if nxt.is_title or nxt.text in "-–" and end + 1 < sent.end and doc[end + 1].is_title:
            end += 1
        elif nxt.lower_ in NAME_LINKS and end + 1 < sent.end and doc[end + 1].is_title:
            end += 2
        else:
            break
    if end - start < 2:
        return None
    return doc[start:end]


def has_blank_line(doc: Doc, start: int, end: int) -> bool:
    """Does `doc[start:end].text` hold a blank line (a paragraph break)? Read from the per-Doc
    text by character offsets: joining a long span's tokens once per mention was quadratic."""
    if end <= start:
        return False
    last = doc[end - 1]
    return text_of(doc).find("\n\n", doc[start].idx, last.idx + len(last.text)) != -1


def clean_name(span: Span) -> str:
    """Surface text with line breaks and runs of spaces collapsed."""
    return re.sub(r"\s+", " ", span.text).strip()


def with_year_suffix(name: Span) -> Span:
    """"Action Plan 2021-2025", "Master Plan on ASEAN Connectivity 2025": a year or span of years
    right after a capitalised name belongs to it."""
    doc, end = name.doc, name.end
    if not (doc[end - 1].is_title or doc[end - 1].is_upper):
        return name
    opened = end < len(doc) and doc[end].text == "("
    i = end + opened
    if i >= len(doc) or not YEAR.match(doc[i].text) or doc[i].sent != name.sent:
        return name
    i += 1
    if i + 1 < len(doc) and doc[i].text in ("-", "–") and YEAR.match(doc[i + 1].text):
        i += 2
    if opened:
        if i >= len(doc) or doc[i].text != ")":
            return name
        i += 1
    return doc[name.start:i]


ABBREVIATION = re.compile(r"^[A-Z][A-Za-z&.-]{1,11}$")


def split_abbreviation(name: Span) -> tuple[Span, str | None]:
    """"Treaty of Amity and Cooperation (TAC)": the name without a parenthesised abbreviation the
    parser put inside it, and the abbreviation when it is the whole name's (its first letter is the
    name's), not a part's ("... Comprehensive Strategic Partnership (CSP)")."""
    doc = name.doc
    if len(name) > 3 and name[-1].text == ")" and name[-3].text == "(" and ABBREVIATION.match(name[-2].text):
        inner, name = name[-2], name[:-3]
    elif name.end + 2 < len(doc) and doc[name.end].text == "(" and doc[name.end + 2].text == ")":
        inner = doc[name.end + 1]
    else:
        return name, None
    text = inner.text
    own = ABBREVIATION.match(text) and sum(c.isupper() for c in text) >= 2 and text[0] == name[0].text[:1].upper()
    return name, text if own else None


#: Words an abbreviation may skip or take a letter from ("Plan of Action (POA)", "Outlook on the Indo-Pacific (AOIP)").
ABBREVIATION_LINKS = frozenset({"of", "on", "the", "and", "for", "in", "to", "&"})


def defined_abbreviations(doc: Doc) -> dict[str, str]:
    """Abbreviations the text defines in parentheses, lower case: "Comprehensive Strategic
    Partnership (CSP)" gives {"csp": "comprehensive strategic partnership"}, so that a later
    "... for the ASEAN-U.S. CSP" folds into the full form."""
    out: dict[str, str] = {}
    orths = doc.to_array(ORTH).tolist()
    opening, closing = doc.vocab.strings["("], doc.vocab.strings[")"]
    for i in range(1, len(doc) - 2):
        if orths[i] != opening or orths[i + 2] != closing:
            continue
        abbreviation = doc[i + 1].text
        letters = [c for c in abbreviation if c.isupper()]
        if not ABBREVIATION.match(abbreviation) or len(letters) < 2:
            continue
        words = doc[sentence_at(doc, i).start:i].text.split()[-3 * len(letters):]
        start = _initials_start(words, letters, len(words) - 1, len(letters) - 1)
        if start is not None:
            out.setdefault(abbreviation.casefold(), " ".join(words[start:]).casefold())
    return out


def _initials_start(words: list[str], letters: list[str], w: int, n: int) -> int | None:
    """Index of the first word when words[..w] end with the initials letters[..n] (hyphen parts
    give one letter each, link words may be skipped); None when they do not."""
    if n < 0:
        return w + 1
    if w < 0:
        return None
    word = words[w]
    link = word.lower() in ABBREVIATION_LINKS
    if word[:1].isupper() or link:
        parts = [p for p in re.split(r"[-–]", word) if p]
        for size in {len(parts), 1}:
            initials = [p[0].upper() for p in parts[-size:]] if size > 1 else [word[0].upper()]
            if size <= n + 1 and initials == letters[n - size + 1:n + 1]:
                found = _initials_start(words, letters, w - 1, n - size)
                if found is not None:
                    return found
    return _initials_start(words, letters, w - 1, n) if link else None


def verb_mood(verb: Token) -> Mood:
    """Future, infinitive, modal, participle or finite, looking through coordination.

    "to discuss and sign": "sign" is a conjunct of "discuss", which carries the "to".
    """
    node = verb
    for _ in range(4):
        auxes = {c.lower_ for c in node.children if c.dep_ in ("aux", "auxpass")}
        if auxes & FUTURE_AUX:
            return "future"
        if "to" in auxes or node.dep_ == "xcomp":
            return "infinitive"
        if auxes & MODAL_AUX:
            return "modal"
        if "being" in auxes or node.tag_ == "VBG" and auxes & BE_FORMS:
            return "progressive"  # "is being built", "are building"
        if node.dep_ == "conj" and node.head.pos_ in ("VERB", "AUX"):
            node = node.head
            continue
        break
    if verb.tag_ in ("VBN", "VBG") and verb.dep_ in ("acl", "amod"):
        return "participle"
    if verb.tag_ == "VBG" and not any(c.dep_ in ("aux", "auxpass") for c in verb.children):
        return "gerund"
    return "finite"


@dataclass
class MentionContext:
    """What the words around a mention say; computed once per mention."""

    chain: list[str] = field(default_factory=list)  # the cue words, nearest first
    verb: Token | None = None
    mood: Mood = "none"
    prep: str | None = None
    modifiers: set[str] = field(default_factory=set)
    in_title: bool = False
    negated: bool = False
    dep: str = ""
    kind: str | None = None
    verb_tag: str = ""
    nodes: list[Token] = field(default_factory=list)
    cues: dict[str, int] = field(default_factory=dict)
    agent: bool = False  # the subject of a verb that has an object

    @classmethod
    def of(cls, head: Token, in_title: bool, name: Span | None = None) -> MentionContext:
        """Governing chain: the noun the head modifies, then ancestors up to the first verb;
        a participle or relative clause on the head itself ("the Outline signed last year")
        comes first because it describes the mention directly; a present participle ("the corridor
        connecting A and B") says what the thing does, not what happened to it."""
        ctx = cls(in_title=in_title)
        inside = range(name.start, name.end) if name is not None else range(head.i, head.i + 1)
        own = [  # the three words after the mention
            t for t in head.doc[inside.stop:min(inside.stop + 3, len(head.doc))]
            if t.dep_ in ("acl", "relcl") and t.pos_ in ("VERB", "AUX") and t.head.i in inside
            and not (t.dep_ == "acl" and t.tag_ == "VBG")
        ]
        # "the Land Bridge and economic corridor construction": the parser makes "construction"
        # a conjunct of "Bridge", yet it is the event noun of both.
        children = list(head.children)
        shared = [c for c in children if c.dep_ == "conj" and c.pos_ == "NOUN"
                  and any(g.dep_ == "compound" for g in c.children)]
        nodes: list[Token] = own[:1] + shared[:1]
        node = head
        while node.dep_ == "conj" and node.head.pos_ in ("NOUN", "PROPN"):
            node = node.head
        if node.dep_ == "pobj":
            ctx.prep = node.head.lower_
        ctx.dep = node.dep_
        parent = node.head
        while parent != node:
            nodes.append(parent)
            if parent.pos_ in ("VERB", "AUX") and parent.dep_ not in ("amod", "prep"):
                break
            node, parent = parent, parent.head
        ctx.nodes = nodes
        cues = ctx.cues
        for pos, t in enumerate(nodes):
            below = nodes[pos - 1] if pos else None
            _add_cues(cues, t, pos, below.lower_ if below is not None and below.dep_ == "prep" else None)
        verbs = [t for t in nodes if t.pos_ in ("VERB", "AUX") and t.dep_ != "prep"]
        if verbs and verbs[0].dep_ == "conj" and verbs[0].head.pos_ == "VERB":
            cues.setdefault(verbs[0].head.lemma_.lower(), nodes.index(verbs[0]))  # "signed and issued"
        ctx.chain = list(cues)
        if verbs:
            ctx.verb = verbs[0]
            ctx.verb_tag = verbs[0].tag_
            ctx.mood = verb_mood(verbs[0])
            deps = {c.dep_ for c in verbs[0].children}
            ctx.negated = "neg" in deps
            ctx.agent = ctx.dep == "nsubj" and "dobj" in deps
        ctx.modifiers = {  # lower-case only: "New" in "New START Treaty" is part of the name
            m.lemma_.lower() for c in children
            if c.dep_ in ("amod", "compound", "nmod", "advmod") and not c.is_title and not c.is_upper
            for m in (c, *c.conjuncts)  # "Chinese-built and operated"
        }
        return ctx


def _add_cues(cues: dict[str, int], t: Token, pos: int, prep: str | None) -> None:
    """The cues node `t` of a governing chain gives at position `pos`, unless an earlier node gave
    them: its lemma and the pairs and triples it makes with its children. `prep` is the preposition
    the chain came up through, when the node below it is one ("work for", "strive for")."""
    lemma = t.lemma_.lower()
    tag = t.pos_
    verbal = tag in ("VERB", "AUX")
    if tag != "PROPN":
        cues.setdefault(lemma, pos)
    for p in t.children:
        dep = p.dep_
        if tag == "NOUN" and dep in ("amod", "compound") and p.i < t.i:
            cues.setdefault(f"{p.lemma_.lower()} {lemma}", pos)  # "groundbreaking ceremony"
        if verbal and dep == "nsubj" and p.pos_ == "NOUN":
            cues.setdefault(f"{p.lemma_.lower()} {lemma}", pos)  # "work began on X"
        if dep == "prt":
            cues.setdefault(f"{lemma} {p.lower_}", pos)  # "draw up", "take over"
        if dep == "prep" and verbal:
            for o in p.children:  # "put into operation", "entered into force"
                if o.dep_ == "pobj":
                    cues.setdefault(f"{lemma} {p.lower_} {o.lemma_.lower()}", pos)
    if prep is not None and verbal:
        cues.setdefault(f"{lemma} {prep}", pos)  # "work for", "strive for"
        for obj in (c for c in t.children if c.dep_ == "dobj" and c.pos_ == "NOUN"):
            # "launching studies for the construction of X": the parser hangs "for" on the verb
            cues.setdefault(obj.lemma_.lower(), pos)


class ContextRule(Rule):
    """Conditions on a mention's context; every stated condition must hold.

    Empty lists mean "any". `chain` matches a lemma anywhere in the governing chain (verbs
    and event nouns alike: "sign", "signing", "anniversary", "construction"; "draw up" for a
    verb with its particle); `mood` the governing verb's mood; `preps` the preposition that
    governs the phrase; `modifiers` a lemma among the head's own modifiers ("recent"). Besides
    lemmas, the chain holds "modifier noun" ("groundbreaking ceremony") and "subject verb"
    ("work begin") pairs.
    """

    priority: int = Field(0, description="Higher wins when several rules fire.")
    chain: list[str] = Field(default_factory=list, description="Lemmas of governing words, one must occur.")
    mood: list[Mood] = Field(default_factory=list, description="Moods of the governing verb, one must hold.")
    preps: list[str] = Field(default_factory=list, description="Governing prepositions, one must hold.")
    modifiers: list[str] = Field(default_factory=list, description="Lemmas of the head's modifiers.")
    in_title: bool | None = Field(None, description="True: only in the title line; False: never there.")
    deps: list[str] = Field(default_factory=list, description="Dependency of the phrase ('nsubj'), one must hold.")
    not_agent: bool = Field(False, description="Never when the phrase is the subject of a verb with an object ('the "
                                               "plant will launch a facility': the plant is not launched).")
    kinds: list[str] = Field(default_factory=list, description="Kinds of the record, one must hold.")
    verb_tags: list[str] = Field(default_factory=list, description="Penn tags of the governing verb ('VBN', 'VBD').")
    frame: bool = Field(
        False, description="Its chain word scopes the mention: non-frame cues above it no longer count "
        "('commissioned studies for the construction of X': the study and the construction frame X, not "
        "the commissioning)."
    )

    @property
    def unconditional(self) -> bool:
        """States no condition, so fires on every mention: a rule file's default."""
        return not (self.chain or self.mood or self.preps or self.modifiers or self.deps or self.kinds
                    or self.verb_tags or self.not_agent or self.in_title is not None)

    def fires(self, ctx: MentionContext) -> bool:
        if self.chain and set(ctx.chain).isdisjoint(self.chain):
            return False
        if self.mood and ctx.mood not in self.mood:
            return False
        if self.preps and ctx.prep not in self.preps:
            return False
        if self.modifiers and ctx.modifiers.isdisjoint(self.modifiers):
            return False
        if self.deps and ctx.dep not in self.deps or self.kinds and ctx.kind not in self.kinds:
            return False
        if self.not_agent and ctx.agent:
            return False
        if self.verb_tags and ctx.verb_tag not in self.verb_tags:
            return False
        return self.in_title is None or self.in_title == ctx.in_title


def take_status(record, status: str, rule_id: str) -> None:
    """A later explicit cue beats the default: a record still on its default status rule takes
    `status`, its rule id becoming "<trigger rule>+<rule_id>"."""
    if record.rule.endswith(".default.v1"):
        record.status = status
        record.rule = record.rule.split("+")[0] + "+" + rule_id


def best_rule(rules: list, ctx: MentionContext):
    """The firing rule with the highest priority (file order breaks ties), or None.

    A firing `frame` rule first drops the non-frame rules whose chain words all lie above its
    own in the governing chain; frames never drop each other, priority decides between them.
    """
    fired = [r for r in rules if r.fires(ctx)]
    frames = [min(ctx.cues[w] for w in r.chain if w in ctx.cues) for r in fired if r.frame and r.chain]
    if frames:
        limit = min(frames)
        fired = [r for r in fired if r.frame or not r.chain or min(ctx.cues[w] for w in r.chain if w in ctx.cues) <= limit]
    return max(fired, key=lambda r: r.priority) if fired else None


def in_title(span: Span) -> bool:
    """Is the span in the document's title line (its first sentence, or the sentence equal to `doc._.title`)?"""
    doc = span.doc
    if not (has_parse(doc) or doc.has_annotation("SENT_START")):
        return False
    sent = sentence_at(doc, span.start)
    if sent.start == 0:
        return True  # the first sentence
    title = getattr(doc._, "title", None) if Doc.has_extension("title") else None
    return bool(title) and re.sub(r"\s+", " ", span_text(sent)).strip() == re.sub(r"\s+", " ", title).strip()
