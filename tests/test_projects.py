"""Projects extractor: positives per rule family, near misses, rule sweep, rules as data."""
from __future__ import annotations

import datetime as dt

import pytest
import spacy

from pipeline.components.projects import ProjectExtractor, load_project_rules
from pipeline.rules.loader import RuleFileError


def projects(nlp, text: str, published: dt.date | None = dt.date(2024, 3, 12)):
    doc = nlp.make_doc(text)
    doc._.published = published
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    return doc._.projects


POSITIVES = [
    # (sentence, [(name, kind, status), ...])
    ("The Karot hydropower station and the Dasu dam have been completed and commissioned.",
     [("Karot hydropower station", "energy", "completed"), ("Dasu dam", "energy", "completed")]),
    ("The two sides will advance the construction of the China-Kyrgyzstan-Uzbekistan Railway.",
     [("China-Kyrgyzstan-Uzbekistan Railway", "transport", "under_construction")]),
    ("The logistics terminal in Lianyungang and the Khorgos dry port operate smoothly.",
     [("logistics terminal in Lianyungang", "transport", "operating"), ("Khorgos dry port", "transport", "operating")]),
    ("In 2026, China will take over operation of the port in Piraeus.",
     [("port in Piraeus", "transport", "planned")]),
    ("Guinea announced last week that it was dropping an airport project over debt concerns.",
     [("airport project", "transport", "mentioned")]),
    ("Our bilateral programs, including a Luban Workshop and a center of traditional Chinese medicine, have been fully implemented.",
     [("Luban Workshop", "education", "operating"), ("center of traditional Chinese medicine", "health", "operating")]),
    ("Both sides will promote the docking of the \"Digital Silk Road\" initiative and the \"Digital Kazakhstan\" strategy.",
     [("Digital Silk Road", "digital", "mentioned"), ("Digital Kazakhstan", "digital", "mentioned")]),
    ("The Belt and Road Initiative has become a popular international public good.",
     [("Belt and Road", "initiative", "operating")]),
    ("Iconic American companies are building key infrastructure projects like Riyadh Metro and King Salman Park.",
     [("Riyadh Metro", "transport", "under_construction"), ("King Salman Park", "other", "under_construction")]),
    ("The leaders expressed their desire to reopen the Kirkuk-Ceyhan Pipeline.",
     [("Kirkuk-Ceyhan Pipeline", "energy", "completed")]),
    ("Beijing is being eyed as a possible candidate for the development of Gwadar port in Pakistan.",
     [("Gwadar port in Pakistan", "transport", "proposed")]),
]


@pytest.mark.parametrize("sentence,expected", POSITIVES)
def test_positive(nlp, sentence, expected):
    records = projects(nlp, sentence)
    assert [(r.name, r.kind, r.status) for r in records] == expected
    for record in records:
        assert sentence[record.start:record.end].replace('"', "").startswith(record.name.split()[0])
        assert record.sentence == sentence


NEGATIVES = [
    "Several infrastructure projects have seen setbacks in countries with elections.",
    "Hambantota is one of 42 ports where China has participated in construction.",
    "Morris is the director of the U.S. Development Policy Initiative at the Center for Global Development.",
    "The official website of the Second Belt and Road Forum released a report.",
    "The United States' one China policy remains unchanged.",
    "The project will take 10 years to complete.",
    "Investment partnerships include the $5 billion Energy Investment Fund.",
    "Kazakhstan's strategy of building international logistics thoroughfare was discussed.",
    "\"God has placed us in a strategic zone where commerce passes through,\" the minister said.",
    "The two sides agreed to deepen cooperation in energy, mining and agriculture.",
    "Ho Chi Minh City and Mexico City signed a sister-city agreement.",
    "The delegation arrived at Beijing Capital International Airport on Monday.",
    "The summit was held at the Astana International Financial Centre.",
    "The Kennedy Center hosted a concert.",
    "Students from Nairobi took part in the Chinese Bridge competition.",
    "The port city of Gwadar is strategically located.",
]


@pytest.mark.parametrize("sentence", NEGATIVES)
def test_near_miss(nlp, sentence):
    assert projects(nlp, sentence) == []


def test_mentions_fold_into_one_record(nlp):
    text = (
        "President Xi first proposed the Silk Road Economic Belt in Astana.\n"
        "Belt and Road cooperation has brought tangible benefits.\n"
        "China stands ready to promote synergy between Belt and Road cooperation and the Just Kazakhstan policies.\n"
        "The BRI is receiving more international support."
    )
    records = {r.name: r for r in projects(nlp, text)}
    assert set(records) == {"Silk Road Economic Belt", "Belt and Road", "Just Kazakhstan"}
    assert records["Belt and Road"].aliases == ["BRI"]
    assert records["Belt and Road"].status == "operating"
    assert records["Just Kazakhstan"].status == "mentioned"
    assert records["Belt and Road"].countries == ["CHN"]


def test_unnamed_mention_joins_named_record(nlp):
    text = (
        "Djibouti inaugurated the Djibouti International Free Trade Zone last week.\n"
        "Critics say Djibouti's free trade zone will add to the country's debt."
    )
    (record,) = projects(nlp, text)
    assert record.name == "Djibouti International Free Trade Zone"
    assert record.aliases == ["free trade zone"]
    assert record.status == "completed"


# ---------------------------------------------------------------- rules sweep and rules as data


def test_rule_ids_unique_and_examples_fire(nlp):
    rules = load_project_rules()
    families = (*rules.heads, *rules.named, *rules.works, *rules.statuses)
    ids = [r.id for r in (*families, *rules.kind_keywords)]
    assert len(ids) == len(set(ids))
    for rule in families:
        assert rule.examples, f"{rule.id} has no examples"
        for example in rule.examples:
            records = projects(nlp, example)
            assert any(rule.id in r.rule.split("+") for r in records), (rule.id, example, records)
    for keyword in rules.kind_keywords:
        for example in keyword.examples:
            assert any(r.kind == keyword.kind for r in projects(nlp, example)), (keyword.id, example)


def _extra_rules(tmp_path, body: str) -> str:
    (tmp_path / "projects.yaml").write_text(f"description: test additions\n{body}", encoding="utf-8")
    return str(tmp_path)


def test_added_head_term_changes_output(nlp, tmp_path):
    sentence = "The Garissa solar farm has been completed and commissioned."
    assert ProjectExtractor(nlp, [])(nlp(sentence))._.projects == []
    extra = _extra_rules(tmp_path, "heads:\n  - id: test.head.solar_farm.v1\n    terms: [solar farm]\n    kind: energy\n")
    (record,) = ProjectExtractor(nlp, [extra])(nlp(sentence))._.projects
    assert (record.name, record.kind, record.status) == ("Garissa solar farm", "energy", "completed")
    assert record.rule == "test.head.solar_farm.v1+projects.status.completed.v1"


def test_added_named_initiative_changes_output(nlp, tmp_path):
    sentence = "Both sides agreed to align their plans with the Lobito Corridor Initiative."
    extra = _extra_rules(tmp_path, "named:\n  - id: test.named.lobito.v1\n    names: [Lobito Corridor]\n    kind: transport\n")
    (record,) = ProjectExtractor(nlp, [extra])(nlp(sentence))._.projects
    assert (record.kind, record.rule.split("+")[0]) == ("transport", "test.named.lobito.v1")


def test_invalid_rule_file_names_file_and_entry(tmp_path):
    path = tmp_path / "projects.yaml"
    path.write_text(
        "description: broken\nnamed:\n  - id: test.named.bad.v1\n    names: [Vision 2040]\n    kind: initiative\n"
        "    countries: [Ruritania]\n",
        encoding="utf-8",
    )
    with pytest.raises(RuleFileError) as err:
        load_project_rules([str(tmp_path)])
    assert "test.named.bad.v1" in str(err.value) and "Ruritania" in str(err.value)
    path.write_text("description: broken\nheads:\n  - id: test.head.bad.v1\n    term: [solar farm]\n    kind: energy\n")
    with pytest.raises(RuleFileError) as err:
        load_project_rules([str(tmp_path)])
    assert str(path) in str(err.value) and "test.head.bad.v1" in str(err.value)


def test_blank_pipeline_does_not_crash():
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("diplo_projects")
    doc = nlp("The Belt and Road Initiative and the Zhanatas Wind Farm were discussed.")
    assert [(r.name, r.kind) for r in doc._.projects] == [
        ("Belt and Road", "initiative"), ("Zhanatas Wind Farm", "energy"),
    ]


@pytest.mark.parametrize("sentence,status", [
    ("The Budapest-Belgrade railway is under construction.", "under_construction"),
    ("The Mombasa-Nairobi Standard Gauge Railway was built by a Chinese company.", "completed"),
    ("The Jakarta-Bandung High-Speed Railway was put into operation in October.", "completed"),
    ("Chinese and Egyptian companies are building the Julius Nyerere hydropower station.", "under_construction"),
    ("The Mumbai-Ahmedabad High Speed Rail project is being built with Japanese assistance.", "under_construction"),
    ("Micron will invest $825 million to build a new semiconductor test facility in Gujarat.", "planned"),
])
def test_status_phrasings(nlp, sentence, status):
    (record,) = projects(nlp, sentence)
    assert record.status == status


def test_named_initiative_default_status(nlp):
    records = projects(nlp, "The ministers discussed the Belt and Road Initiative and the Digital Silk Road.")
    assert [(r.name, r.status) for r in records] == [("Belt and Road", "operating"), ("Digital Silk Road", "mentioned")]
    assert records[0].rule == "projects.named.belt_and_road.v1+projects.named.belt_and_road.v1"


def test_unnamed_campus_joins_the_named_campus(nlp):
    text = (
        "Our programs, including a Chinese university campus in Kazakhstan and a Luban Workshop, have been fully implemented.\n"
        "We need to ensure the success of the Kazakh campus of the Northwestern Polytechnical University."
    )
    records = {r.name: r for r in projects(nlp, text)}
    campus = records["Kazakh campus of the Northwestern Polytechnical University"]
    assert campus.aliases == ["Chinese university campus in Kazakhstan"]
    assert campus.status == "operating"


def test_event_noun_shared_by_coordinated_projects(nlp):
    text = "Both sides will realize the docking of the new Eurasia Land Bridge and China-Central Asia economic corridor construction."
    assert [(r.name, r.status) for r in projects(nlp, text)] == [
        ("new Eurasia Land Bridge", "under_construction"), ("China-Central Asia economic corridor", "under_construction"),
    ]


@pytest.mark.parametrize("sentence,status", [
    ("The government commissioned pre-feasibility studies for the construction of the Kisumu railway.", "proposed"),
    ("Ethiopia launched the Koysha Hydroelectric Power Plant on Saturday.", "completed"),
    ("Kenya plans to launch the Olkaria Geothermal Plant next year.", "planned"),
    ("The Lobito Corridor will connect Zambia to the Atlantic coast.", "mentioned"),
    ("The Kunming-Vientiane railway was opened to traffic in December.", "completed"),
    ("The Chancay port will open in November.", "planned"),
])
def test_frames_and_tense(nlp, sentence, status):
    (record,) = projects(nlp, sentence)
    assert record.status == status


def test_headline_capitals_are_not_names(nlp):
    assert projects(nlp, "Uganda Launches China-Built Isimba Dam") == []


def test_money_led_mention_keeps_currency_and_joins_named_record(nlp):
    text = "The Mombasa Container Terminal was financed by Japan.\nThe $350 million terminal will double capacity."
    (record,) = projects(nlp, text)
    assert (record.name, record.aliases) == ("Mombasa Container Terminal", ["$350 million terminal"])


def test_same_name_mentions_fold(nlp):
    text = (
        "Uganda inaugurated the Karuma Hydropower Dam on Monday.\n"
        "The Karuma Dam in Kiryandongo was financed by Chinese banks.\n"
        "The Karuma Dam will supply power to the national grid."
    )
    (record,) = projects(nlp, text)
    assert record.name == "Karuma Hydropower Dam"
    assert sorted(record.aliases) == ["Karuma Dam", "Karuma Dam in Kiryandongo"]
    assert record.status == "completed"


def test_different_projects_with_shared_words_stay_apart(nlp):
    text = "The Gwadar Port and the Gwadar New International Airport are flagship projects.\nThe Karachi Port is busy."
    assert [r.name for r in projects(nlp, text)] == ["Gwadar Port", "Gwadar New International Airport", "Karachi Port"]


@pytest.mark.parametrize("sentence,expected", [
    ("Power China is carrying out the upgrade of the Mombasa-Nairobi SGR.", [("Mombasa-Nairobi SGR", "transport")]),
    ("Power China is carrying out the upgrade of the Kafue Gorge Lower.", [("Kafue Gorge Lower", "other")]),
    ("Power China is carrying out the expansion of the Kafue Gorge Lower.", [("Kafue Gorge Lower", "other")]),
    ("China Exim Bank will finance the expansion of the Hwange Seven power complex.", [("Hwange Seven power complex", "energy")]),
    ("The government announced the rehabilitation of the Tazara Railway line.", [("Tazara Railway line", "transport")]),
    ("Both sides support the development of Xinjiang.", []),
    ("The expansion of the SCO has raised its international profile.", []),
])
def test_works_noun_objects(nlp, sentence, expected):
    assert [(r.name, r.kind) for r in projects(nlp, sentence)] == expected


def test_bare_determined_nouns_from_arrays():
    """Nouns whose one child besides punctuation is "the" or "this": not "the new port", not a
    determiner without a noun."""
    from spacy.tokens import Doc

    from pipeline.components.projects import _bare_determined_nouns

    words = ["The", "port", "opened", ";", "the", "new", "port", "and", "this", "dam", ",", "the", "."]
    doc = Doc(spacy.blank("en").vocab, words=words,
              pos=["DET", "NOUN", "VERB", "PUNCT", "DET", "ADJ", "NOUN", "CCONJ", "DET", "NOUN", "PUNCT", "DET", "PUNCT"],
              heads=[1, 2, 2, 2, 6, 6, 2, 6, 9, 6, 9, 2, 2],
              deps=["det", "nsubj", "ROOT", "punct", "det", "amod", "dobj", "cc", "det", "conj", "punct", "dep", "punct"])
    assert _bare_determined_nouns(doc) == [1, 9]


@pytest.mark.parametrize("words, pos, expected", [
    (["Uganda", "Launches", "China-Built", "Isimba", "Dam"], ["PROPN", "VERB", "ADJ", "PROPN", "PROPN"], True),
    (["Uganda", "launches", "the", "Isimba", "Dam"], ["PROPN", "VERB", "DET", "PROPN", "PROPN"], False),  # a low verb
    (["Port", "Of", "Call", "for", "Tea"], ["NOUN", "ADP", "NOUN", "ADP", "NOUN"], False),  # two long words only
    (["Kenya", "Hosts", "Large", "Summit", "With", "leaders"], ["PROPN", "VERB", "ADJ", "NOUN", "ADP", "NOUN"], True),
    (["Kenya", "Hosts", "Large", "summit", "With", "leaders"], ["PROPN", "VERB", "ADJ", "NOUN", "ADP", "NOUN"], False),
])
def test_is_headline(words, pos, expected):
    """Most (four in five) alphabetic words longer than three letters capitalised, and no lower-case verb."""
    from spacy.tokens import Doc

    from pipeline.components.projects import _is_headline

    assert _is_headline(Doc(spacy.blank("en").vocab, words=words, pos=pos)[:]) is expected
