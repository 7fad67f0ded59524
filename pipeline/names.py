"""The shape of a personal name in English text, for names no model or gazetteer knows.

A title tells where a name begins ("President Kassym-Jomart Tokayev") or ends ("Oh Ei Sun, a
senior fellow"); this module finds the other end: a run of capitalised words, with hyphenated
parts glued ("Kim Jong-un", "Al-Sudani", "el-Sisi"), lowercase particles inside ("Mohammed bin
Salman", "Lula da Silva") and initials ("Joseph R. Biden"). Works on token attributes only, so
it runs without a tagger; with one, verbs and function words end a name ("Trump Secures ...").
"""
from __future__ import annotations

from collections.abc import Callable, Collection

from spacy.tokens import Span

from pipeline.token_columns import Tokens

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


def is_headline(sent: Span) -> bool:
    """A title-case line ("Zimbabwe's Leader Thanks China's Xi"): every word of three letters or more
    capitalised bar a few short function words, so capitals there do not mark names."""
    words = [t for t in sent if t.is_alpha and len(t) >= 3 and t.lower_ not in HEADLINE_LOWER]
    return len(words) >= HEADLINE_WORDS and all(t.text[:1].isupper() for t in words)


def _headline_word(text: str) -> bool:
    """A word `is_headline` counts: three letters or more, not a short function word."""
    return text.isalpha() and len(text) >= 3 and text.lower() not in HEADLINE_LOWER


def headline_starts(doc: Tokens) -> set[int]:
    """The sentence starts whose sentence `is_headline` accepts. Each sentence is read up to its first
    lower-case word that counts, which ends most sentences after a few words."""
    found = set()
    text = doc.text
    for start, end in doc.sentences():
        words = 0
        for k in range(start, end):
            if _headline_word(text[k]):
                if not text[k][:1].isupper():
                    break
                words += 1
        else:
            if words >= HEADLINE_WORDS:
                found.add(start)
    return found


class NameShape:
    """Find the extent of a name next to a known boundary; `is_country` keeps places out of names."""

    def __init__(self, is_country: Callable[[str], bool]) -> None:
        self.is_country = is_country

    def is_name_token(self, doc: Tokens, i: int, backward: bool = False) -> bool:
        """A capitalised word that can be part of a name. Looking backwards from a title, capitalised
        function words ("According", "Today") and places end the name; after a title function words
        rarely occur and some are surnames ("He Lifeng"), and the model's GPE spans often swallow the
        name ("the Kyrgyz Republic Adylbek Kasymaliev"), so only country words end it."""
        text = doc.text[i]
        if not text[:1].isupper() or doc.lower[i] in (FUNCTION_WORDS if backward else ARTICLES):
            return False
        if not (any(c.isalpha() for c in text) and all(c.isalpha() or c in ".'’" for c in text)):
            return False
        if text.endswith(".") and not (len(text) == 2 or text in SUFFIXES):
            return False
        if doc.tagged and doc.pos[i] in NOT_NAME_POS:
            return False
        if doc.ent_type[i] in (NOT_NAME_ENT if backward else NUMERIC_ENT):
            return False  # forward: "the Chinese president, April 20, 2015" has no name
        return not self.is_country(text)

    @staticmethod
    def glued(doc: Tokens, j: int) -> bool:
        """Is token j a hyphen joining two words with no space ("Kassym-Jomart", "Jong-un")?"""
        return (0 < j < len(doc) - 1 and doc.text[j] in GLUE and not doc.spaces[j - 1]
                and not doc.spaces[j] and doc.is_alpha[j + 1] and doc.is_alpha[j - 1])

    def unit_end(self, doc: Tokens, i: int, limit: int) -> int:
        """End of the hyphen-glued unit starting at token i."""
        j = i + 1
        while j + 1 < limit and self.glued(doc, j):
            j += 2
        return j

    def unit_start(self, doc: Tokens, k: int, floor: int) -> int:
        """Start of the hyphen-glued unit ending at token k - 1."""
        while k - 2 > floor and self.glued(doc, k - 2):
            k -= 2
        return k - 1

    def is_unit_name(self, doc: Tokens, start: int, end: int, backward: bool = False) -> bool:
        """A name word: capitalised ("Al-Sudani"), or a lowercase particle glued to one ("el-Sisi")."""
        if end - start > 1 and doc.lower[start] in PARTICLES:
            return doc.text[start + 2][:1].isupper()
        return self.is_name_token(doc, start, backward)

    @staticmethod
    def _has_long_word(doc: Tokens, start: int, end: int) -> bool:
        """Does a word of two letters or more stand in tokens start..end?"""
        return any(len(doc.text[k]) > 1 for k in range(start, end) if doc.is_alpha[k])

    def forward(self, doc: Tokens, i: int, stops: Collection[int] = ()) -> int:
        """End token of a name starting at i (i itself when there is none); `stops` are token
        indices where a name cannot continue (the next title)."""
        limit = doc.sent_end(i)
        j, words = i, 0
        while j < limit and words < MAX_NAME_WORDS and not (words and j in stops):
            unit = self.unit_end(doc, j, limit)
            if self.is_unit_name(doc, j, unit):
                words += 1
            elif not (words and unit == j + 1 and doc.lower[j] in PARTICLES):
                break
            j = unit
        while j > i and doc.lower[j - 1] in PARTICLES:
            j -= 1
        return j if self._has_long_word(doc, i, j) else i

    def backward(self, doc: Tokens, end: int) -> int:
        """Start token of a name ending just before `end` (end itself when there is none)."""
        floor = doc.sent_start(end - 1) if end else 0
        k, words = end, 0
        while k > floor and words < MAX_NAME_WORDS:
            start = self.unit_start(doc, k, floor)
            if self.is_unit_name(doc, start, k, backward=True):
                words += 1
            elif not (words and k - start == 1 and doc.lower[start] in PARTICLES):
                break
            k = start
        while k < end and doc.lower[k] in PARTICLES:
            k += 1
        return k if self._has_long_word(doc, k, end) else end
