"""Bytes to text: byte-order marks, UTF-8, legacy code pages, and binary data."""
from __future__ import annotations

import codecs
import random

import pytest

from pipeline.decoding import DecodeError, decode_bytes

FRENCH = "Le président a visité l'école à Genève – déjà « très » réussi, dit le ministère.\n"
GERMAN = "Der Außenminister traf seinen Amtskollegen in Zürich; die Gespräche über Energie waren offen.\n"
RUSSIAN = "Министр иностранных дел России Сергей Лавров провёл переговоры с коллегой из Казахстана.\n"
CHINESE = "中华人民共和国外交部发言人耿爽主持例行记者会，回答了记者提问。\n"
QUOTES = "He said “yes” — and left… The talks ended.\n"


@pytest.mark.parametrize(("data", "text", "encoding"), [
    (FRENCH.encode("utf-8"), FRENCH, "utf-8"),
    (codecs.BOM_UTF8 + FRENCH.encode("utf-8"), FRENCH, "utf-8"),
    (FRENCH.encode("utf-16"), FRENCH, "utf-16"),  # with BOM (platform order)
    (codecs.BOM_UTF16_BE + FRENCH.encode("utf-16-be"), FRENCH, "utf-16"),
    (FRENCH.encode("utf-32"), FRENCH, "utf-32"),
    (FRENCH.encode("cp1252"), FRENCH, "cp1252"),
    (GERMAN.encode("latin-1"), GERMAN, "cp1252"),
    (QUOTES.encode("cp1252"), QUOTES, "cp1252"),
    (RUSSIAN.encode("cp1251"), RUSSIAN, "cp1251"),
    (CHINESE.encode("gb18030"), CHINESE, "gb18030"),
    (b"caf\xe9 \x81 byte undefined in cp1252\n", "café \x81 byte undefined in cp1252\n", "cp1252"),
    ("Zürich talks ended — ".encode("utf-8") + "—".encode("utf-8")[:2], "Zürich talks ended — \ufffd", "utf-8"),
])
def test_decodes(data: bytes, text: str, encoding: str) -> None:
    assert decode_bytes(data) == (text, encoding)


def random_bytes_without_nul(n: int) -> bytes:
    rng = random.Random(7)
    return bytes(rng.randrange(1, 256) for _ in range(n))


@pytest.mark.parametrize(("data", "kind"), [
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary_file"),
    (b"%PDF-1.4\n" + bytes(range(256)), "binary_file"),
    (random_bytes_without_nul(4000), "binary_file"),
    (b"\x01\x02\x03\x04 text \x05\x06\x07\x08\x0e\x0f" * 50, "binary_file"),
    (codecs.BOM_UTF16_LE + b"\x00\xd8", "bad_encoding"),  # a lone surrogate after a UTF-16 BOM
    (codecs.BOM_UTF8 + b"caf\xe9", "bad_encoding"),
])
def test_rejects(data: bytes, kind: str) -> None:
    with pytest.raises(DecodeError) as info:
        decode_bytes(data)
    assert info.value.kind == kind
    assert str(info.value)  # a readable reason for the errors table


@pytest.mark.parametrize("text", ["Tabs\tand\fform feeds\r\nare text.\n", "A line with one stray \x07 bell in a long text. " * 3])
def test_white_space_controls_are_still_text(text: str) -> None:
    assert decode_bytes(text.encode("utf-8"))[0] == text
