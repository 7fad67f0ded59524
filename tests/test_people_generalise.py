"""People on unseen phrasings: headlines, military ranks, national agencies, organisation tails,
coordinated titles and countries given by a possessive pronoun."""
from __future__ import annotations

from pathlib import Path

import pytest
from spacy.language import Language

from pipeline.nlp import build_nlp
from tests.test_people import run, triples


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a headline's capitalised verbs are not names; names repeated in the body are kept
        ("Vietnam's President Holds Talks With Lula\n\nPresident Vo Van Thuong met Brazilian President "
         "Luiz Inacio Lula da Silva.",
         {("Vo Van Thuong", "VNM", "head_of_state"), ("Luiz Inacio Lula da Silva", "BRA", "head_of_state")}),
        ("Angola's Leader Thanks Zambia's Partners\n\nThe two sides met in Luanda on Monday.", set()),
        ("Kenya's Minister Welcomes Investors\n\nTrade Minister Rebecca Miano said the talks went well.",
         {("Rebecca Miano", "KEN", "minister")}),
        ("Mali's Envoy Aminata Traore Praises Ties\n\nAminata Traore spoke to the press in Bamako.",
         {("Aminata Traore", "MLI", "diplomat")}),
        # military ranks and commands, with a time qualifier before the comma
        ("Nigeria's army chief at the time, Lt. Gen. Tukur Buratai, denied the report.",
         {("Tukur Buratai", "NGA", "official")}),
        ("The Pakistani army commander, Gen. Asim Munir, met the Chinese delegation.",
         {("Asim Munir", "PAK", "official")}),
        ("Egypt's chief of staff, Lt. Gen. Osama Askar, visited the base.", {("Osama Askar", "EGY", "official")}),
        # possessive country before an envoy title, host country after it
        ("China's ambassador to Kenya, Zhou Pingjian, attended the ceremony.", {("Zhou Pingjian", "CHN", "diplomat")}),
        # a person tied to a national organisation serves its country
        ("Joseph Mwangi, a spokesman for the Kenya Power and Lighting Company, said the line was repaired.",
         {("Joseph Mwangi", "KEN", "official")}),
        ("Aisha Bello, a spokeswoman for the Nigerian National Petroleum Corporation, declined to comment.",
         {("Aisha Bello", "NGA", "official")}),
        # a think tank's fellow serves no country
        ("Lee Min-ho, a senior fellow at the Korea Institute for Defense Analyses, disagreed.",
         {("Lee Min-ho", None, "other")}),
        # possessive pronoun: the country named before it
        ("Kazakhstan honoured its friendship envoys Ivan Petrov and Anna Smirnova at the ceremony.",
         {("Ivan Petrov", "KAZ", "other"), ("Anna Smirnova", "KAZ", "other")}),
        # a name after an organisation's portfolio
        ("Spokesperson of the Ministry of Commerce Shu Jueting said the talks were constructive.",
         {("Shu Jueting", None, "official")}),
        ("Director of the Kenya Ports Authority John Mwangi opened the berth.", {("John Mwangi", "KEN", "other")}),
        # coordinated titles
        ("Deputy Prime Minister and Foreign Minister Ishaq Dar will visit Beijing.",
         {("Ishaq Dar", "PAK", "minister")}),
        ("Amara Konneh, Deputy Prime Minister and Foreign Minister of Liberia, will visit Beijing.",
         {("Amara Konneh", "LBR", "minister")}),
    ],
)
def test_unseen_phrasings(people_nlp: Language, text: str, expected: set) -> None:
    assert triples(run(people_nlp, text)) == expected


def test_coordinated_titles_are_both_kept(people_nlp: Language) -> None:
    [person] = run(people_nlp, "Deputy Prime Minister and Foreign Minister Amara Konneh will visit Beijing.")
    assert person.titles == ["Deputy Prime Minister", "Foreign Minister"]


@pytest.mark.parametrize(
    ("text", "country"),
    [
        ("The dam in Uganda is finished. Uganda says it will sell power to Kenya. It is a river that families "
         "depend on, says local resident Diana Akello.", "UGA"),
        # no country leads: none is given
        ('Officials from Kenya and Uganda met. "We are worried," said local resident John Okello.', None),
    ],
)
def test_locals_belong_to_the_country_the_story_names_most(people_nlp: Language, text: str, country: str | None) -> None:
    [person] = run(people_nlp, text)
    assert (person.role, person.country) == ("other", country)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a headline name cut before its headline verb
        ("Statement by Press Secretary Kirsten Allen on the Vice President's Travel to Africa\n\nThe trip starts "
         "next week.", {("Kirsten Allen", None, "official")}),
        # "the country's": the country the document names most
        ("Pakistan's economy is struggling. Islamabad asked for help, the country's deputy prime minister Ahmed "
         "Khan said.", {("Ahmed Khan", "PAK", "minister")}),
        ("Laos borrowed from China. Laos will repay. Somsavat Lengsavad, the country's deputy prime minister "
         "who oversees the railway, spoke.", {("Somsavat Lengsavad", "LAO", "minister")}),
        # a title held in an embassy is a diplomat's; the embassy is no person
        ('"Not at all," said Zhou Wenhao, the deputy chief of the Chinese embassy in Islamabad, when asked.',
         {("Zhou Wenhao", "CHN", "diplomat")}),
        ("Wang Lei, deputy head of the Chinese Embassy in Nairobi, spoke.", {("Wang Lei", "CHN", "diplomat")}),
        # a national office with no stated country: the document's main country, unless two lead equally
        ("Pakistan needs money. Pakistan asked for help. Finance Minister Asad Umar said talks in Riyadh went well.",
         {("Asad Umar", "PAK", "minister")}),
        ("Pakistan asked China for help. Finance Minister Asad Umar said the talks went well.",
         {("Asad Umar", None, "minister")}),
        # a date after a title's comma is no name; a document heading with a rank is no person
        ("Li Keqiang met the Chinese president, April 20, 2015, in Beijing.",
         {("Li Keqiang", "CHN", "head_of_government")}),
        ("Both countries support General Assembly Resolution 77/1.", set()),
        ("Chairperson Moussa Faki Mahamat met Second Gentleman Douglas Emhoff in Addis Ababa.",
         {("Moussa Faki Mahamat", None, "official"), ("Douglas Emhoff", None, "other")}),
    ],
)
def test_titles_dates_and_document_country(people_nlp: Language, text: str, expected: set) -> None:
    assert triples(run(people_nlp, text)) == expected


@pytest.mark.parametrize(
    "text",
    [
        "The Global Gateway will mobilise funds for Africa's ports.",
        "Joint Statement of Presidents of Angola and Zambia\n\nThe two presidents met in Luanda.",
        "Ghana Pledges Support for Regional Partners\n\nThe government said it would help.",
    ],
)
def test_not_people(people_nlp: Language, text: str) -> None:
    assert run(people_nlp, text) == []


def test_new_trailing_phrase_changes_the_output(tmp_path: Path) -> None:
    text = "Ghana's army chief in those years, Gen. Kwame Mensah, retired."
    assert triples(run(build_nlp(extractors=["diplo_people"]), text)) != {("Kwame Mensah", "GHA", "official")}
    (tmp_path / "people.yaml").write_text("description: test\nsource: test\nupdated: '2026-11-30'\ntrailing: [in those years]\n", encoding="utf-8")
    nlp = build_nlp(extractors=["diplo_people"], rules_dirs=[str(tmp_path)])
    assert triples(run(nlp, text)) == {("Kwame Mensah", "GHA", "official")}
