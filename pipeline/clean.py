"""Cleaning: raw document text in, the text every offset of every table points into out.

Cleaning is an ordered list of pure `str -> str` steps (textacy-style), each a regex pass or
a linear scan, with every rule compiled once in `Cleaner.__init__`:

1. `fix_mojibake`: ftfy repairs text decoded with the wrong codec ("â€™" -> "’"), HTML
   entities and ligatures; the text is NFC-normalised.
2. `normalise_spaces`: one kind of line break, one kind of space, no invisible characters.
3. Block markup (`phase: block` rules of `models/cleaning/boilerplate.yaml`): scripts,
   HTML tags and image embeds, bold markers, kramdown attribute lines, thematic breaks.
4. Boilerplate lines (`lines` rules): breadcrumbs, "Suggest to a friend", share/print; run
   again after step 7 on whole paragraphs, for boilerplate written as links or markup.
5. The trailing byline (`bylines` rules: "by Xinhua", "(Xinhua)") is cut off and returned.
6. `rejoin_wrapped_lines`: hard-wrapped lines are joined back into paragraphs; this needs
   the line structure and markers that steps 7 removes, hence the two markup phases.
7. Inline markup (`phase: inline` rules): heading and list markers, links, end marks,
   emphasis, backslash escapes.
8. `drop_mojibake_fragments`: pieces ftfy cannot repair because a byte was lost (the "â–"
   left of a "■" whose third byte became a space); last, so no later step can expose one.
9. `tidy_whitespace`: single spaces, one blank line between paragraphs.

Rule order inside a phase is file order. Markup that only appears once other markup is gone
("**### **") is not chased: each phase runs once, so cleaning stays a fixed number of passes.

The output has one paragraph per line, paragraphs separated by a blank line, so the
`diplo_paragraphs` component makes every paragraph (title, heading, caption, list item) a
sentence boundary.
"""
from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import ftfy
import ftfy.badness
import ftfy.chardata
import ftfy.fixes

from pipeline.cleaning_rules import CompiledMarkup, CompiledRules, compile_rules, load_cleaning_rules

@dataclass(frozen=True)
class CleanText:
    """A cleaned text and what cleaning took out of it that is worth keeping."""

    text: str
    byline: str | None  # trailing agency byline removed from the text ("Xinhua")
    byline_rule: str | None = None  # id of the byline rule that matched
    fired: tuple[str, ...] = ()  # ids of the markup and boilerplate rules that changed the text


# --- 1. encoding repair -------------------------------------------------------------------

_FTFY_CONFIG = ftfy.TextFixerConfig(
    unescape_html=False,  # done once for the whole text below
    uncurl_quotes=False,  # typographic quotes are the publisher's, keep them
    fix_character_width=False,  # full-width CJK punctuation is correct in Chinese text
    normalization="NFC",
    explain=False,
)
# Mojibake needs non-ASCII characters, so only such lines can need ftfy's (slow) repair.
_NON_ASCII_LINE = re.compile(r"^[^\n]*?[^\x00-\x7f][^\n]*", re.MULTILINE)
_C1_OR_LOSS = re.compile(r"[\x80-\x9f\ufffd]")
_LIGATURE = re.compile("[" + "".join(sorted(map(chr, ftfy.chardata.LIGATURES))) + "]")


def _fix_line(match: re.Match[str]) -> str:
    line = match.group()
    if ftfy.badness.is_bad(line) or _C1_OR_LOSS.search(line):
        return ftfy.fix_text(line, _FTFY_CONFIG)
    return line


def fix_mojibake(text: str) -> str:
    """Repair UTF-8 read as cp1252/latin-1 and similar mix-ups, HTML entities, ligatures; NFC."""
    text = _NON_ASCII_LINE.sub(_fix_line, text)
    if "&" in text:
        text = ftfy.fixes.unescape_html(text)  # our inputs are text, so "&amp;" is always a leftover
    if _LIGATURE.search(text):
        text = ftfy.fixes.fix_latin_ligatures(text)
    return unicodedata.normalize("NFC", text)


def _cp1252_continuation_chars() -> str:
    """What UTF-8 continuation bytes (0x80-0xBF) look like when decoded as cp1252."""
    chars = []
    for byte in range(0x80, 0xC0):
        try:
            chars.append(bytes([byte]).decode("cp1252"))
        except UnicodeDecodeError:
            chars.append(chr(byte))  # undefined in cp1252: decoders fall back to latin-1
    return re.escape("".join(chars))


_CONT = _cp1252_continuation_chars()
# A lead byte of a 3-byte (à-ï) or 4-byte (ð-ô) UTF-8 sequence followed by too few continuation
# bytes, standing alone between spaces: no language writes that, it is a symbol whose last byte
# was lost on the way (ftfy leaves it because it cannot know the symbol).
_FRAGMENT = re.compile(rf"(?<!\S)(?:[\u00e0-\u00ef][{_CONT}]|[\u00f0-\u00f4][{_CONT}]{{1,2}})(?!\S)")


def drop_mojibake_fragments(text: str) -> str:
    """Remove unrepairable mojibake fragments such as a lone "â–"."""
    return _FRAGMENT.sub("", text)


# --- 2. white space and invisible characters ------------------------------------------------

_LINE_BREAKS = re.compile(r"\r\n?|[\v\f\x1c-\x1e\x85\u2028\u2029]")
_SPACES = re.compile(r"[\t\xa0\u1680\u2000-\u200a\u202f\u205f\u3000]")
# C0/C1 controls (except tab and newline), soft hyphen, zero-width space and word joiner, BOM,
# non-characters and lone surrogates (which could not even be written as UTF-8).
_INVISIBLE = re.compile(r"[\x00-\x08\x0e-\x1b\x1f\x7f-\x9f\u00ad\u200b\u2060\ufeff\ufffe\uffff\ud800-\udfff]")


def normalise_spaces(text: str) -> str:
    """One line break ("\\n"), one space (" "), no invisible characters."""
    text = _LINE_BREAKS.sub("\n", text)
    text = _INVISIBLE.sub("", text)
    return _SPACES.sub(" ", text)


# --- 5. hard-wrapped lines ----------------------------------------------------------------

#: Lines longer than this are never taken as hard-wrapped: fixed-width wrapping (pandoc's 72,
#: e-mail's 76-78, fmt's 75) happens well below it.
MAX_WRAP_WIDTH = 100
#: Narrower "wraps" are more likely short lines of a list or an address than wrapped prose.
MIN_WRAP_WIDTH = 40
#: A text needs at least this many continued lines to show a wrap width.
MIN_WRAPPED_LINES = 4

_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*(?:\n[ \t]*)+")
# Lines that open a new block whatever the width: list items, headings, quotes, table rows.
_BLOCK_START = re.compile(r"[ \t]*(?:[-*+•▪◦‣][ \t]|\d{1,3}[.)][ \t]|#{1,6}[ \t]|>|\|)")
_LIST_ITEM = re.compile(r"[ \t]*(?:[-*+•▪◦‣][ \t]|\d{1,3}[.)][ \t])")
_SENTENCE_END = frozenset('.!?:;…"”’»)]')
#: Words a sentence or a heading never ends on: a line stopping on one was broken by wrapping.
_CANNOT_END = frozenset(
    "a an the of in on at to for from with by and or but as into onto upon between among "
    "about against through during under over via than that which who whose".split()
)


def _wrap_width(blocks: list[list[str]]) -> int | None:
    """The fixed width a text was hard-wrapped at, or None if it was not.

    Only lines followed by another line of the same paragraph can show wrapping. In a
    wrapped text nearly all of them are short (<= MAX_WRAP_WIDTH) and most lie within 20
    characters of the width; the 90th percentile tolerates a few over-long words or URLs.
    """
    continued = [len(line.rstrip()) for lines in blocks for line in lines[:-1] if line.strip()]
    short = sorted(n for n in continued if n <= MAX_WRAP_WIDTH)
    if len(short) < MIN_WRAPPED_LINES or len(short) < 0.8 * len(continued):
        return None
    width = short[int(0.9 * (len(short) - 1))]
    near_full = sum(1 for n in short if width - 20 <= n)
    if width < MIN_WRAP_WIDTH or near_full < 0.5 * len(short):
        return None
    return width


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _continues(line: str, following: str, width: int | None, in_list: bool) -> bool:
    """Is `following` the same paragraph as `line`, broken only by wrapping?

    `in_list`: the block holds a list item, whose wrapped lines are indented under it.
    """
    if _BLOCK_START.match(following) or _BLOCK_START.match(line) and line.lstrip().startswith("#"):
        return False
    if line.endswith(("  ", "\\")):  # markdown's explicit line break
        return False
    body = line.rstrip()
    # A break inside a sentence is never a paragraph: no end punctuation, and the next line
    # goes on in lower case or the line stops on a word that cannot end one ("Summit in").
    last_word = body.rsplit(maxsplit=1)[-1].casefold() if body else ""
    mid_sentence = body[-1:] not in _SENTENCE_END and (
        following.lstrip()[:1].islower() or last_word in _CANNOT_END
    )
    if width is not None:
        if not in_list and _indent(following) > _indent(line):
            return False  # an indented first line opens a paragraph (outside lists)
        # Wrapped at `width`: the line was full if the next word would not have fitted on it;
        # sources wrap unevenly (an edited line, a link), so a mid-sentence break joins too.
        next_word = following.split(maxsplit=1)[0]
        return len(body) + 1 + len(next_word) > width or mid_sentence
    return mid_sentence


def rejoin_wrapped_lines(text: str) -> str:
    """Join hard-wrapped lines; every real paragraph ends up on its own line.

    Paragraphs are separated by blank lines or, in texts not wrapped at a fixed width, by
    single line breaks; both kinds survive, written as a blank line.
    """
    blocks = [[line for line in block.split("\n") if line.strip()] for block in _PARAGRAPH_BREAK.split(text)]
    blocks = [lines for lines in blocks if lines]
    width = _wrap_width(blocks)
    paragraphs: list[str] = []
    for lines in blocks:
        parts = [lines[0].rstrip()]
        in_list = False
        for prev, line in zip(lines, lines[1:]):
            in_list = in_list or bool(_LIST_ITEM.match(prev))
            if _continues(prev, line, width, in_list):
                # A word broken after its hyphen ("military-" / "military") joins without a space.
                tail = parts[-1]
                parts.append(line.strip() if tail.endswith("-") and tail[-2:-1].isalnum() else " " + line.strip())
            else:
                paragraphs.append("".join(parts))
                parts = [line.rstrip()]
        paragraphs.append("".join(parts))
    return "\n\n".join(paragraphs)


# --- 7. final white space -----------------------------------------------------------------

_MULTI_SPACE = re.compile(r"  +")


def tidy_whitespace(text: str) -> str:
    """Single spaces, no spaces at line ends, paragraphs separated by exactly one blank line."""
    lines = (line.strip() for line in _MULTI_SPACE.sub(" ", text).split("\n"))
    return "\n\n".join(line for line in lines if line)


# --- the cleaner --------------------------------------------------------------------------


class Cleaner:
    """The cleaning steps with their rules compiled once; call it on each raw text."""

    def __init__(self, rules_dirs: Iterable[Path | str] = ()) -> None:
        self.rules: CompiledRules = compile_rules(load_cleaning_rules(rules_dirs))

    def __call__(self, raw: str) -> CleanText:
        fired: list[str] = []  # rule ids, in the order the steps below applied them
        text = normalise_spaces(fix_mojibake(raw))
        text = self._markup(text, self.rules.block, fired)
        text = self._drop_lines(text, fired)
        text, byline, byline_rule = self._split_byline(text)
        text = self._markup(rejoin_wrapped_lines(text), self.rules.inline, fired)
        # Again on whole paragraphs: boilerplate that was hidden in markup ("[Home](/) > [News](/n)").
        text = self._drop_lines(text, fired)
        # And bylines once more: one the inline markup hid ("### By NAME ###") would otherwise be
        # found only when the stored text is cleaned again, and cleaning must be a fixed point.
        text, revealed, revealed_rule = self._split_byline(text)
        byline = "; ".join(name for name in (revealed, byline) if name) or None
        text = tidy_whitespace(drop_mojibake_fragments(text))
        return CleanText(text, byline, revealed_rule or byline_rule, tuple(fired))

    @staticmethod
    def _markup(text: str, rules: tuple[CompiledMarkup, ...], fired: list[str]) -> str:
        for rule in rules:
            text, count = rule.regex.subn(rule.replace, text)
            if count:
                fired.append(rule.id)
        return text

    def _drop_lines(self, text: str, fired: list[str]) -> str:
        if self.rules.lines is None:
            return text

        def drop(match: re.Match[str]) -> str:
            rule_id = self.rules.line_ids[int(match.lastgroup[1:])]  # type: ignore[index]
            if rule_id not in fired:
                fired.append(rule_id)
            return "\n" if match.group().endswith("\n") else ""

        # Keep the newline so that a paragraph break around the dropped line survives.
        return self.rules.lines.sub(drop, text)

    def _split_byline(self, text: str) -> tuple[str, str | None, str | None]:
        """Cut bylines off the end: (text, names joined by "; ", id of the last rule that matched).

        Several byline lines in a row ("By Bill Ide" then "(Reuters)") are all taken, so the
        stored text never ends in a byline; a text that is nothing but a byline is left alone.
        """
        names: list[str] = []
        rule_id = None
        while (found := self._last_byline(text)) is not None:
            text, name, rule_id = found
            names.insert(0, name)
        return text, "; ".join(names) or None, rule_id

    def _last_byline(self, text: str) -> tuple[str, str, str] | None:
        body = text.rstrip()
        cut = body.rfind("\n") + 1
        last = body[cut:]
        for rule in self.rules.bylines:
            match = rule.regex.search(last)
            if match and match.group("name"):
                rest = body[:cut] + (last[: match.start()] if rule.trailing else "")
                if rest.strip():
                    return rest, match.group("name").strip().rstrip("."), rule.id
        return None


@functools.lru_cache(maxsize=8)
def get_cleaner(rules_dirs: tuple[str, ...] = ()) -> Cleaner:
    """A cached Cleaner per rule folder set, so rules are compiled once per process."""
    return Cleaner(rules_dirs)


def clean_text(raw: str, rules_dirs: Iterable[Path | str] = ()) -> CleanText:
    """Clean one raw document text with the shipped rules (plus any user rule folders)."""
    return get_cleaner(tuple(str(d) for d in rules_dirs))(raw)
