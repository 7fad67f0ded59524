"""The shape of a personal name in English text, for names no model or gazetteer knows.

A title tells where a name begins ("President Kassym-Jomart Tokayev") or ends ("Oh Ei Sun, a
senior fellow"); this module finds the other end: a run of capitalised words, with hyphenated
parts glued ("Kim Jong-un", "Al-Sudani", "el-Sisi"), lowercase particles inside ("Mohammed bin
Salman", "Lula da Silva") and initials ("Joseph R. Biden"). Works on token attributes only, so
it runs without a tagger; with one, verbs and function words end a name ("Trump Secures ...").
"""
from __future__ import annotations

from collections.abc import Callable, Collection

import numpy as np
from spacy.tokens import Doc, Span, Token

from pipeline.extensions import sentence_at, word_table

ARTICLES = {"a", "an", "the"}
#: Capitalised words that begin sentences or clauses but never names (looking back from a title).
FUNCTION_WORDS = {
    "the", "a", "an", "in", "on", "at", "of", "for", "from", "by", "to", "with", "as", "and", "or", "but",
    "according", "during", "after", "before", "today", "yesterday", "tomorrow", "this", "that", "these",
    "those", "both", "all", "his", "her", "their", "our", "its", "we", "i", "he", "she", "they", "it",
    "when", "while", "if", "since", "under", "meanwhile", "however", "also", "not", "said", "says",
    "q", "file", "photo", "readout", "fact", "sheet", "statement", "statements", "joint",
}
#: Lowercase words inside Arabic, Iberian, Dutch and German names.
PARTICLES = {"bin", "ibn", "bint", "al", "el", "de", "da", "do", "dos", "das", "van", "von", "der", "den",
             "la", "le", "del", "di", "y", "abu", "ben", "mac"}
GLUE = {"-", "‐", "–"}
NOT_NAME_POS = {"VERB", "AUX", "ADP", "DET", "PRON", "CCONJ", "SCONJ", "PUNCT", "NUM", "SYM", "PART"}
NUMERIC_ENT = {"DATE", "TIME", "MONEY", "PERCENT", "CARDINAL", "ORDINAL", "QUANTITY"}
NOT_NAME_ENT = {"GPE", "LOC", "NORP", "DATE", "TIME", "MONEY", "PERCENT", "CARDINAL", "ORDINAL", "QUANTITY", "FAC"}
#: Longest name read from its shape alone; longer runs are headlines ("Trump Secures Historic ...").
MAX_NAME_WORDS = 4
SUFFIXES = {"Jr.", "Sr."}
#: Short words a title-case headline may leave in lower case ("Ghana Pledges Support for Nigeria").
HEADLINE_LOWER = {"the", "and", "for", "with", "from", "into", "over", "amid", "onto", "upon", "via", "but", "nor",
                  "per", "off", "out", "its", "his", "her", "than", "about", "after", "before"}
#: Fewest words of three letters or more that make a title-case line a headline.
HEADLINE_WORDS = 3


def sent_start(doc: Doc, i: int) -> int:
    """First token of the sentence holding token i; 0 when the doc has no sentence boundaries."""
    return sentence_at(doc, i).start if doc.has_annotation("SENT_START") else 0


def sent_end(doc: Doc, i: int) -> int:
    """End of the sentence holding token i; the doc's end when it has no sentence boundaries."""
    return sentence_at(doc, i).end if doc.has_annotation("SENT_START") else len(doc)


def is_headline(sent: Span) -> bool:
    """A title-case line ("Zimbabwe's Leader Thanks China's Xi"): every word of three letters or more
    capitalised bar a few short function words, so capitals there do not mark names."""
    words = [t for t in sent if t.is_alpha and len(t) >= 3 and t.lower_ not in HEADLINE_LOWER]
    return len(words) >= HEADLINE_WORDS and all(t.text[:1].isupper() for t in words)


def _word_flags(text: str) -> tuple[bool, bool]:
    return text[:1].isupper(), text.isalpha() and len(text) >= 3 and text.lower() not in HEADLINE_LOWER


def word_flags(doc: Doc) -> tuple[np.ndarray, np.ndarray]:
    """Per token: whether its text begins with a capital, and whether `is_headline` counts it (a word
    of three letters or more, not a short function word)."""
    flags = word_table(doc, _word_flags)
    return flags[:, 0], flags[:, 1]


def headline_starts(starts: list[int], caps: np.ndarray, words: np.ndarray) -> set[int]:
    """The sentence starts (of `starts`, every sentence's, in order) whose sentence `is_headline`
    accepts, all at once; `caps` and `words` are `word_flags(doc)`."""
    if not starts:
        return set()
    counts = np.add.reduceat(words.astype(np.int64), starts)
    lower_case = np.add.reduceat((words & ~caps).astype(np.int64), starts)
    return {start for start, n, low in zip(starts, counts.tolist(), lower_case.tolist())
            if n >= HEADLINE_WORDS and low == 0}


class NameShape:
    """Find the extent of a name next to a known boundary; `is_country` keeps places out of names."""

    def __init__(self, is_country: Callable[[str], bool]) -> None:
        self.is_country = is_country

    def is_name_token(self, tok: Token, tagged: bool, backward: bool = False) -> bool:
        """A capitalised word that can be part of a name. Looking backwards from a title, capitalised
        function words ("According", "Today") and places end the name; after a title function words
        rarely occur and some are surnames ("He Lifeng"), and the model's GPE spans often swallow the
        name ("the Kyrgyz Republic Adylbek Kasymaliev"), so only country words end it."""
        text = tok.text
        if not text[:1].isupper() or tok.lower_ in (FUNCTION_WORDS if backward else ARTICLES):
            return False
        if not (any(c.isalpha() for c in text) and all(c.isalpha() or c in ".'’" for c in text)):
            return False
        if text.endswith(".") and not (len(text) == 2 or text in SUFFIXES):
            return False
        if tagged and tok.pos_ in NOT_NAME_POS:
            return False
        if tok.ent_type_ in (NOT_NAME_ENT if backward else NUMERIC_ENT):
            return False  # forward: "the Chinese president, April 20, 2015" has no name
        return not self.is_country(text)

    @staticmethod
    def glued(doc: Doc, j: int) -> bool:
        """Is token j a hyphen joining two words with no space ("Kassym-Jomart", "Jong-un")?"""
        return (0 < j < len(doc) - 1 and doc[j].text in GLUE and doc[j - 1].whitespace_ == ""
                and doc[j].whitespace_ == "" and doc[j + 1].is_alpha and doc[j - 1].is_alpha)

    def unit_end(self, doc: Doc, i: int, limit: int) -> int:
        """End of the hyphen-glued unit starting at token i."""
        j = i + 1
        while j + 1 < limit and self.glued(doc, j):
            j += 2
        return j

    def unit_start(self, doc: Doc, k: int, floor: int) -> int:
        """Start of the hyphen-glued unit ending at token k - 1."""
        while k - 2 > floor and self.glued(doc, k - 2):
            k -= 2
        return k - 1

    def is_unit_name(self, doc: Doc, start: int, end: int, tagged: bool, backward: bool = False) -> bool:
        """A name word: capitalised ("Al-Sudani"), or a lowercase particle glued to one ("el-Sisi")."""
        first = doc[start]
        if end - start > 1 and first.lower_ in PARTICLES:
            return doc[start + 2].text[:1].isupper()
        return self.is_name_token(first, tagged, backward)

    def forward(self, doc: Doc, i: int, stops: Collection[int] = ()) -> int:
        """End token of a name starting at i (i itself when there is none); `stops` are token
        indices where a name cannot continue (the next title)."""
        tagged = doc.has_annotation("TAG")
        limit = sent_end(doc, i)
        j, words = i, 0
        while j < limit and words < MAX_NAME_WORDS and not (words and j in stops):
            unit = self.unit_end(doc, j, limit)
            if self.is_unit_name(doc, j, unit, tagged):
                words += 1
            elif not (words and unit == j + 1 and doc[j].lower_ in PARTICLES):
                break
            j = unit
            if "\n" in doc[j - 1].whitespace_:
                break
        while j > i and doc[j - 1].lower_ in PARTICLES:
            j -= 1
        return j if any(len(t.text) > 1 for t in doc[i:j] if t.is_alpha) else i

    def backward(self, doc: Doc, end: int) -> int:
        """Start token of a name ending just before `end` (end itself when there is none)."""
        tagged = doc.has_annotation("TAG")
        floor = sent_start(doc, end - 1) if end else 0
        k, words = end, 0
        while k > floor and words < MAX_NAME_WORDS:
            start = self.unit_start(doc, k, floor)
            if self.is_unit_name(doc, start, k, tagged, backward=True):
                words += 1
            elif not (words and k - start == 1 and doc[start].lower_ in PARTICLES):
                break
            k = start
            if k > 0 and "\n" in doc[k - 1].whitespace_:
                break
        while k < end and doc[k].lower_ in PARTICLES:
            k += 1
        return k if any(len(t.text) > 1 for t in doc[k:end] if t.is_alpha) else end
