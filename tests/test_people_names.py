"""Name shapes on a blank pipeline: where a name after (or before) a title ends."""
from __future__ import annotations

import pytest
import spacy

from pipeline.countries import to_iso3
from pipeline.names import NameShape, headline_starts, is_headline, word_flags

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
    assert doc[0:SHAPE.forward(doc, 0)].text == name


@pytest.mark.parametrize("text", ["the talks were productive.", "Kazakhstan welcomed it.", "J. said so.", "bin Salman"])
def test_no_name_forward(text: str) -> None:
    doc = NLP(text)
    assert SHAPE.forward(doc, 0) == 0


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
    assert doc[SHAPE.backward(doc, comma):comma].text == name


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
    caps, words = word_flags(doc)
    assert headline_starts([s.start for s in sentences], caps, words) == {s.start for s in sentences if is_headline(s)}
    assert caps.tolist() == [t.text[:1].isupper() for t in doc]
