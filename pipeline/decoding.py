"""Bytes to text: find the encoding of an input file, or say why it is not text.

Order, from the most to the least certain evidence:
1. a byte-order mark (UTF-8, UTF-32, UTF-16) names the encoding;
2. NUL bytes without a UTF-16/32 BOM mean a binary file (no text encoding we read has them);
3. strict UTF-8 (today's default, and almost never valid by accident for other encodings);
4. charset-normalizer's guess for legacy encodings of non-Latin scripts (cp1251 Cyrillic,
   GB18030, Shift-JIS ...); a guess that reads as Latin script is replaced by windows-1252:
   short Western texts cannot be told apart among the Latin code pages (the detector says
   cp775 or cp1257 for plain French), and windows-1252 is the one web browsers use for such
   input (WHATWG maps the "latin-1" label to it);
5. the decoded text must look like text (few control characters), else it is binary.
"""
from __future__ import annotations

import codecs
import unicodedata

from charset_normalizer import from_bytes

#: Share of control characters (other than white space) above which decoded "text" is binary:
#: random bytes give about 25 %, a text with a few stray control characters well under 1 %.
MAX_CONTROL_SHARE = 0.05
#: charset-normalizer only looks at this many bytes (it is slow on big inputs).
DETECT_SAMPLE_BYTES = 256 * 1024

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16: its BOM starts with UTF-16-LE's
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_WHITESPACE_CONTROLS = frozenset("\t\n\r\f\v")


class DecodeError(ValueError):
    """The bytes are not a text we can read; `kind` is the short error name for the errors table."""

    def __init__(self, kind: str, message: str) -> None:
        self.kind = kind
        super().__init__(message)


def _control_share(text: str) -> float:
    sample = text[:100_000]
    controls = sum(1 for ch in sample if (ch < " " or "\x7f" <= ch <= "\x9f") and ch not in _WHITESPACE_CONTROLS)
    return controls / max(len(sample), 1)


def _mostly_latin(text: str) -> bool:
    """Are the non-ASCII letters of `text` mostly Latin-script ("é", "ō") rather than Cyrillic, CJK ...?"""
    letters = [ch for ch in text if ord(ch) > 127 and ch.isalpha()]
    latin = sum(1 for ch in letters if unicodedata.name(ch, "").startswith("LATIN"))
    return latin * 2 >= len(letters)


def _legacy_decode(data: bytes) -> tuple[str, str]:
    """Decode bytes that are not UTF-8: (text, encoding name)."""
    best = from_bytes(data[:DETECT_SAMPLE_BYTES]).best()
    if best is not None and not _mostly_latin(str(best)):
        # A non-Latin script (cp1251 Russian, GB18030 Chinese ...): trust the detector.
        encoding = codecs.lookup(best.encoding).name
        try:
            return data.decode(encoding), encoding
        except (UnicodeDecodeError, LookupError):
            pass  # the guess came from a sample; the whole file disagrees
    return data.decode("latin-1").translate(_CP1252_FROM_LATIN1), "cp1252"


def _cp1252_table() -> dict[int, str]:
    """latin-1 C1 controls -> the cp1252 characters at those bytes (undefined bytes stay latin-1)."""
    table = {}
    for byte in range(0x80, 0xA0):
        try:
            table[byte] = bytes([byte]).decode("cp1252")
        except UnicodeDecodeError:
            continue
    return table


#: Decoding as latin-1 then translating gives cp1252 without ever failing on its 5 holes.
_CP1252_FROM_LATIN1 = _cp1252_table()


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode a file's bytes: (text, encoding). Raises DecodeError for binary or undecodable data."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding.replace("-sig", "")
            except UnicodeDecodeError as exc:
                raise DecodeError("bad_encoding", f"starts with a {encoding} byte-order mark but is not valid {encoding}: {exc.reason} at byte {exc.start}") from exc
    if b"\x00" in data:
        raise DecodeError("binary_file", "contains NUL bytes: a binary file, not text")
    try:
        text, encoding = data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        if exc.reason == "unexpected end of data":
            # Valid UTF-8 cut inside its last character (a truncated download): keep it as UTF-8.
            text, encoding = data.decode("utf-8", errors="replace"), "utf-8"
        else:
            text, encoding = _legacy_decode(data)
    if _control_share(text) > MAX_CONTROL_SHARE:
        raise DecodeError("binary_file", f"mostly non-text bytes (read as {encoding}): a binary file, not text")
    return text, encoding
