"""Name shapes on a blank pipeline: where a name after (or before) a title ends."""
from __future__ import annotations

import pytest
import spacy

from pipeline.countries import to_iso3
from pipeline.names import NameShape, headline_starts, is_headline
from pipeline.token_columns import Tokens

NLP = spacy.blank("en")
SHAPE = NameShape(lambda text: to_iso3(text) is not None)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Kassym-Jomart Tokayev will host the summit.", "Kassym-Jomart Tokayev"),
        ("Kim Jong-un has entered Russian territory.", "Kim Jong-un"),
        ("Mohammed Shia’a Al-Sudani, to the White House.", "Mohammed Shia’a Al-Sudani"),
        ("Abdel Fattah el-Sisi met the delegation.", "Abdel Fattah el-Sisi"),
        ("Mohammed bin Salman received him.", "Mohammed bin Salman"),
        ("Luiz Inácio Lula da Silva spoke.", "Luiz Inácio Lula da Silva"),
        ("Joseph R. Biden Jr. met with him.", "Joseph R. Biden Jr."),
        ("Biden’s remarks were clear.", "Biden"),
        ("He Lifeng held talks.", "He Lifeng"),
        ("Xi Jinping and Vladimir Putin met.", "Xi Jinping"),
        ("Ismaïl Omar Guelleh, before the ceremony.", "Ismaïl Omar Guelleh"),
    ],
)
def test_name_forward(text: str, name: str) -> None:
    doc = NLP(text)
    assert doc[0:SHAPE.forward(Tokens(doc), 0)].text == name


@pytest.mark.parametrize("text", ["the talks were productive.", "Kazakhstan welcomed it.", "J. said so.", "bin Salman"])
def test_no_name_forward(text: str) -> None:
    doc = NLP(text)
    assert SHAPE.forward(Tokens(doc), 0) == 0


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("According to the report, Shamshad Akhtar, former", "Shamshad Akhtar"),
        ("Oh Ei Sun, a senior fellow", "Oh Ei Sun"),
        ("Today, Kassym-Jomart Tokayev, President", "Kassym-Jomart Tokayev"),
        ("In Beijing, the", ""),
        ("Meanwhile, the", ""),
    ],
)
def test_name_backward(text: str, name: str) -> None:
    doc = NLP(text)
    comma = max(t.i for t in doc if t.text == ",")
    assert doc[SHAPE.backward(Tokens(doc), comma):comma].text == name


HEADLINE_TEXTS = [
    "Zimbabwe's Leader Thanks China's Xi\nThe president thanked Xi Jinping for the support.",
    "Ghana Pledges Support for Nigeria. The talks went on. Kenya Hosts Summit With Leaders Of Africa.",
    "no headline here. Nor here, Mr. Smith said.",
    "A B C. ÉLAN Über Straße Ⅻth. Big Day Out",
    "",
]


@pytest.mark.parametrize("text", HEADLINE_TEXTS)
def test_headline_starts_agree_with_is_headline(text: str) -> None:
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    doc = nlp(text)
    sentences = list(doc.sents)
    assert headline_starts(Tokens(doc)) == {s.start for s in sentences if is_headline(s)}


@pytest.mark.parametrize("text", [*HEADLINE_TEXTS, "  Xi  Jinping met İlham Aliyev.\n\nThe  END ", "x"])
def test_tokens_read_what_each_token_says(text: str) -> None:
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    doc = nlp(text)
    if len(doc) > 1:
        doc.set_ents([doc.char_span(0, len(doc[0].text) + 0, label="PERSON") or doc[0:1]], default="missing")
    tokens = Tokens(doc)
    assert tokens.text == [t.text for t in doc]
    assert tokens.lower == [t.lower_ for t in doc]
    assert tokens.ent_iob == [t.ent_iob_ for t in doc]
    assert tokens.ent_type == [t.ent_type_ for t in doc]
    assert tokens.is_alpha == [t.is_alpha for t in doc]
    assert tokens.spaces == [bool(t.whitespace_) for t in doc]
    assert tokens.idx == [t.idx for t in doc]
    assert tokens.pos == [t.pos_ for t in doc]
    for t in doc:
        assert (tokens.sent_start(t.i), tokens.sent_end(t.i)) == (t.sent.start, t.sent.end)
    assert all(tokens.span_text(i, j) == doc[i:j].text for i in range(len(doc)) for j in range(i, len(doc) + 1))
