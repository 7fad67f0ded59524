"""Agreements extractor: positives per rule family, near misses, rule sweep, rules as data."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import spacy

from pipeline.components.agreements import AgreementExtractor, load_agreement_rules
from pipeline.rules.loader import RuleFileError


def agreements(nlp, text: str, published: dt.date | None = dt.date(2023, 5, 19), title: str | None = None):
    doc = nlp.make_doc(text)
    doc._.published = published
    doc._.title = title
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    return doc._.agreements


POSITIVES = [
    # (sentence, name, kind, status)
    ("The two heads of state jointly signed the China-Mongolia Joint Statement on deepening the partnership.",
     "China-Mongolia Joint Statement on deepening the partnership", "joint_statement", "signed"),
    ("The foreign ministers signed the Treaty on Good-Neighbourliness and Friendly Cooperation between the two countries.",
     "Treaty on Good-Neighbourliness and Friendly Cooperation between the two countries", "treaty", "signed"),
    ("Next month marks the 20th anniversary of the signing of the Kyrgyz-Uzbek Border Treaty.",
     "Kyrgyz-Uzbek Border Treaty", "treaty", "referenced"),
    ("The leaders agreed to discuss and sign the ASEAN Trade in Goods Agreement at an early date.",
     "ASEAN Trade in Goods Agreement", "agreement", "proposed"),
    ("The two sides will sign a memorandum of understanding on green development during the visit.",
     "memorandum of understanding on green development", "memorandum", "proposed"),
    ("Premier Li proposed to formulate a five-year action plan for agricultural cooperation.",
     "five-year action plan for agricultural cooperation", "plan", "proposed"),
    ("The ministers adopted the Samarkand Declaration of the Council of Heads of State.",
     "Samarkand Declaration of the Council of Heads of State", "declaration", "adopted"),
    ("Cooperation under the 2015 Comprehensive Strategic Partnership Agreement has expanded steadily.",
     "Comprehensive Strategic Partnership Agreement", "agreement", "in_force"),
    ("Both leaders reaffirmed their commitment to upholding the UN Charter and international law.",
     "UN Charter", "charter", "in_force"),
    ("The two countries remain in negotiations on a bilateral investment treaty covering energy.",
     "bilateral investment treaty", "treaty", "negotiating"),
    ("The leaders called for the early conclusion of the Comprehensive Convention on International Terrorism.",
     "Comprehensive Convention on International Terrorism", "convention", "proposed"),
    ("Thanks to the mutual visa-exemption arrangements, tourists can travel more freely.",
     "mutual visa-exemption arrangements", "agreement", "in_force"),
    ("The Ministry of Energy of Egypt and the Department of Energy of the United States have concluded an agreement for cooperation in the field of nuclear safety.",
     "agreement for cooperation in the field of nuclear safety", "agreement", "signed"),
    ("The Framework Agreement on Economic Partnership signed between Vietnam and Laos in 2019 entered a new phase.",
     "Framework Agreement on Economic Partnership", "agreement", "signed"),
    ("The ministers explored the formulation of a road map for the peaceful settlement of the border issue.",
     "road map for the peaceful settlement of the border issue", "plan", "proposed"),
    ("The President welcomed the recent arrangement to share hydrological data on the Mekong River.",
     "recent arrangement to share hydrological data on the Mekong River", "agreement", "signed"),
]


@pytest.mark.parametrize("sentence,name,kind,status", POSITIVES)
def test_positive(nlp, sentence, name, kind, status):
    records = agreements(nlp, sentence)
    assert [(r.name, r.kind, r.status) for r in records] == [(name, kind, status)]
    record = records[0]
    assert sentence[record.start:record.end] == name
    assert record.sentence == sentence


NEGATIVES = [
    "The two countries signed over ten cooperation documents covering trade, finance and media.",
    "At the summit, the member countries reviewed the spirit embodied in the two documents.",
    "The agreement will bring tangible benefits to the peoples of both countries.",
    "Both sides reached an important agreement after lengthy talks.",
    "Several trade agreements with neighbouring countries have been put on hold.",
    "President Trump had secured billions in commercial deals and agreements with Saudi Arabia.",
    "The Treaty Organization held its annual meeting in Vienna.",
    "The President commended efforts to reach durable agreements that resolve longstanding challenges.",
    "Both sides made a comprehensive plan for bilateral cooperation.",
    "Their plan to build a bridge across the river was abandoned.",
]


@pytest.mark.parametrize("sentence", NEGATIVES)
def test_near_miss(nlp, sentence):
    assert agreements(nlp, sentence) == []


def test_mentions_fold_into_one_record(nlp):
    text = (
        "President Xi and President Tokayev jointly signed the China-Kazakhstan Joint Statement.\n"
        "Documents such as the Joint Statement issued by China and Kazakhstan acknowledged the initiative."
    )
    (record,) = agreements(nlp, text)
    assert (record.name, record.aliases, record.status) == ("China-Kazakhstan Joint Statement", ["Joint Statement"], "signed")
    assert record.parties == ["CHN", "KAZ"]


def test_title_document_is_adopted_on_publication(nlp):
    title = "Joint Statement of the People's Republic of China and the Republic of Serbia"
    (record,) = agreements(nlp, title + "\n\nThe two sides held talks in Belgrade.", published=dt.date(2024, 5, 8), title=title)
    assert (record.kind, record.status, record.date) == ("joint_statement", "adopted", "2024-05-08")
    assert record.parties == ["CHN", "SRB"]


def test_anniversary_dates(nlp):
    text = "This year marks the 15th anniversary of the signing of the SCO Charter."
    (record,) = agreements(nlp, text, published=dt.date(2017, 6, 10))
    assert (record.status, record.date) == ("referenced", "2002")
    (undated,) = agreements(nlp, text, published=None)
    assert undated.date is None


def test_year_before_name_is_date_unless_future(nlp):
    (past,) = agreements(nlp, "Cooperation under the 2008 Strategic Framework Agreement has deepened.")
    assert (past.name, past.date) == ("Strategic Framework Agreement", "2008")
    (future,) = agreements(nlp, "Both countries are implementing the 2030 Agenda for Sustainable Development.")
    assert (future.name, future.date, future.status) == ("2030 Agenda for Sustainable Development", None, "in_force")


# ---------------------------------------------------------------- rules sweep and rules as data


def test_rule_ids_unique_and_examples_fire(nlp):
    rules = load_agreement_rules()
    ids = [r.id for r in (*rules.heads, *rules.statuses)]
    assert len(ids) == len(set(ids))
    for rule in (*rules.heads, *rules.statuses):
        assert rule.examples, f"{rule.id} has no examples"
        for example in rule.examples:
            records = agreements(nlp, example, title=example if getattr(rule, "in_title", None) else None)
            assert any(rule.id in r.rule.split("+") for r in records), (rule.id, example, records)


def _extra_rules(tmp_path: Path, heads: str) -> str:
    """A user rule folder holding one extra agreements file."""
    (tmp_path / "agreements.yaml").write_text(
        f"description: test additions\ncomplement_preps: []\nstatuses: []\nheads:\n{heads}", encoding="utf-8"
    )
    return str(tmp_path)


def test_added_head_term_changes_output(nlp, tmp_path):
    sentence = "The two governments signed the Covenant on Water Sharing of the Indus Basin."
    assert AgreementExtractor(nlp, [])(nlp(sentence))._.agreements == []
    extra = _extra_rules(tmp_path, "  - id: test.head.covenant.v1\n    terms: [covenant]\n    kind: treaty\n")
    (record,) = AgreementExtractor(nlp, [extra])(nlp(sentence))._.agreements
    assert (record.name, record.kind, record.status) == ("Covenant on Water Sharing of the Indus Basin", "treaty", "signed")
    assert record.rule == "test.head.covenant.v1+agreements.status.signed.v1"


def test_invalid_rule_file_names_file_and_entry(tmp_path):
    path = tmp_path / "agreements.yaml"
    path.write_text(
        "description: broken\ncomplement_preps: []\nheads:\n  - id: test.head.bad.v1\n    terms: [pact]\n"
        "    kind: alliance\nstatuses: []\n",
        encoding="utf-8",
    )
    with pytest.raises(RuleFileError) as err:
        load_agreement_rules([str(tmp_path)])
    assert str(path) in str(err.value) and "test.head.bad.v1" in str(err.value)


def test_blank_pipeline_does_not_crash():
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("diplo_agreements")
    doc = nlp("The leaders signed the Astana Declaration and other documents.")
    assert [(r.name, r.kind) for r in doc._.agreements] == [("Astana Declaration", "declaration")]


@pytest.mark.parametrize("sentence,date", [
    ("The two foreign ministers signed the Agreement on Visa Exemption in Beijing last month.", "2023-04"),
    ("China and Kazakhstan have signed an agreement on visa exemption, which will enter into force on November 10.", None),
    ("The Joint Communiqué on Maritime Cooperation was issued on 12 March 2023.", "2023-03-12"),
])
def test_signing_date_comes_from_the_signing_verb(nlp, sentence, date):
    (record,) = agreements(nlp, sentence)
    assert record.date == date


def test_coordinated_between_pairs_are_separate_agreements(nlp):
    text = ("The two governments welcomed the signing of agreements between the National Museum of Kenya and the "
            "Smithsonian Institution on joint research, and between the Kenya Wildlife Service and the National Zoo "
            "to protect the black rhino.")
    names = [r.name for r in agreements(nlp, text)]
    assert names == [
        "agreements between the National Museum of Kenya and the Smithsonian Institution",
        "agreement between the Kenya Wildlife Service and the National Zoo",
    ]


@pytest.mark.parametrize("sentence,expected", [
    ("The two negotiating teams will keep working for a mutually beneficial agreement.", [("mutually beneficial agreement", "negotiating")]),
    ("The two sides signed a new agreement yesterday.", []),
])
def test_descriptive_agreement_only_under_negotiation(nlp, sentence, expected):
    assert [(r.name, r.status) for r in agreements(nlp, sentence)] == expected


@pytest.mark.parametrize("sentence,expected", [
    ("Kenya and the European Union plan to explore cooperation in green hydrogen.", []),
    ("The leaders reaffirmed their support for the ASEAN Outlook on the Indo-Pacific.",
     [("ASEAN Outlook on the Indo-Pacific", "other")]),
    ("The two sides signed the Framework Agreement on Economic Partnership.",
     [("Framework Agreement on Economic Partnership", "agreement")]),
])
def test_capitalised_heads_and_verb_plan(nlp, sentence, expected):
    assert [(r.name, r.kind) for r in agreements(nlp, sentence)] == expected


def test_capitalised_new_is_part_of_the_name_not_a_cue(nlp):
    (record,) = agreements(nlp, "The New START Treaty expires in February 2026.")
    assert (record.name, record.status) == ("New START Treaty", "in_force")


def test_parties_come_from_the_signing_verb_only(nlp):
    (record,) = agreements(nlp, "Russia and Egypt discussed the Minsk agreements at length.")
    assert record.parties == []
    (signed,) = agreements(nlp, "Russia and Egypt signed the Agreement on Grain Supplies.")
    assert signed.parties == ["RUS", "EGY"]
