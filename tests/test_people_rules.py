"""People rule files as data: sweep of shipped rules and leaders, user additions, fail-fast errors."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from spacy.language import Language

from pipeline.components.people import PeopleExtractor, PeopleFile, _runs
from pipeline.leaders import Gazetteer, LeaderFile, leader_files
from pipeline.nlp import build_nlp
from pipeline.rules.loader import RuleFileError, iter_rules, load_rule_file, load_rules

SHIPPED = load_rules("people", PeopleFile)
LEADERS = Gazetteer().leaders


@pytest.fixture(scope="module")
def blank_nlp() -> Language:
    return build_nlp(model="blank", extractors=["diplo_people"])


def extractor(nlp: Language) -> PeopleExtractor:
    return nlp.get_pipe("diplo_people")


def test_rule_ids_unique_and_every_rule_has_examples() -> None:
    rules = list(iter_rules(SHIPPED))
    ids = [r.id for r in rules]
    assert len(ids) == len(set(ids))
    assert all(r.examples for r in rules)
    data = load_rule_file(leader_files()[0], LeaderFile)
    assert data.source and data.updated  # the gazetteer states where it comes from and when
    assert len(LEADERS) == len(data.leaders) > 300


@pytest.mark.parametrize("rule", SHIPPED.titles, ids=lambda r: r.id)
def test_title_rule_fires_on_its_examples(people_nlp: Language, rule) -> None:
    for example in rule.examples:
        mentions = extractor(people_nlp).mentions(people_nlp(example))
        assert any(t.rule == rule.id for m in mentions for t in m.titles), example


@pytest.mark.parametrize("rule", SHIPPED.forms, ids=lambda r: r.id)
def test_form_rule_fires_on_its_examples(people_nlp: Language, rule) -> None:
    for example in rule.examples:
        mentions = extractor(people_nlp).mentions(people_nlp(example))
        assert any(rule.id in m.rules for m in mentions), example


@pytest.mark.parametrize("rule", SHIPPED.vetoes, ids=lambda r: r.id)
def test_veto_rule_fires_on_its_examples(people_nlp: Language, rule) -> None:
    for example in rule.examples:
        assert extractor(people_nlp).is_vetoed(people_nlp.make_doc(example)[:]), example


def test_every_leader_is_found_by_name_with_country_and_role(blank_nlp: Language) -> None:
    """Each gazetteer entry, alone in a sentence without a title, yields its person."""
    leaders = list(LEADERS.values())
    docs = blank_nlp.pipe(f"{leader.name} attended the opening ceremony." for leader in leaders)
    for leader, doc in zip(leaders, docs):
        found = [m for m in extractor(blank_nlp).mentions(doc) if m.leader and m.leader.id == leader.id]
        assert found, leader.id
        (person,) = doc._.people
        assert (person.country, person.role) == (leader.country, leader.term_on(None).role), leader.id


def _mid_term(since: str, until: str | None) -> dt.date:
    start = dt.date.fromisoformat((since + "-01-01")[:10])
    end = dt.date.fromisoformat((until + "-01-01")[:10]) if until else start + dt.timedelta(days=730)
    return start + (end - start) / 2


def test_every_alias_resolves_to_its_leader() -> None:
    """An alias shared by several leaders ("Li", "Wang") resolves by date and the title's role."""
    gazetteer = Gazetteer()
    for leader in gazetteer.leaders.values():
        term = leader.terms[-1]
        day = _mid_term(term.since, term.until)
        for alias in leader.aliases:
            assert gazetteer.lookup(alias, day, roles=[term.role]) is leader, (leader.id, alias)


@pytest.mark.parametrize(
    ("text", "published", "leader"),
    [
        ("Premier Li met the delegation in Beijing.", dt.date(2016, 5, 1), "leader.chn.li-keqiang"),
        ("Premier Li met the delegation in Beijing.", dt.date(2024, 5, 1), "leader.chn.li-qiang"),
        ("Foreign Minister Wang briefed the press.", dt.date(2021, 6, 1), "leader.chn.wang-yi"),
        ("Chinese President Xi arrived in Astana.", dt.date(2024, 7, 2), "leader.chn.xi-jinping"),
    ],
)
def test_surname_with_title_resolves_by_date_and_role(blank_nlp: Language, text: str, published: dt.date,
                                                     leader: str) -> None:
    doc = blank_nlp.make_doc(text)
    doc._.published = published
    for _, proc in blank_nlp.pipeline:
        doc = proc(doc)
    (person,) = doc._.people
    assert person.country == "CHN"
    assert extractor(blank_nlp).gazetteer.lookup(person.name, published, roles=[person.role]).id == leader


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


SENTENCE = "The meeting was chaired by Taoiseach Micheál Martin in Dublin."


def test_new_title_line_changes_the_output(tmp_path: Path, blank_nlp: Language) -> None:
    assert blank_nlp(SENTENCE)._.people == []
    write(tmp_path, "people.yaml", """
description: user titles
titles:
  - id: user.title.taoiseach.v1
    role: head_of_government
    country: IRL
    phrases: [Taoiseach]
    examples: ["Taoiseach Micheál Martin spoke."]
""")
    nlp = build_nlp(model="blank", rules_dirs=[str(tmp_path)], extractors=["diplo_people"])
    (person,) = nlp(SENTENCE)._.people
    assert (person.name, person.country, person.role, person.titles, person.rule) == (
        "Micheál Martin", "IRL", "head_of_government", ["Taoiseach"], "user.title.taoiseach.v1")


def test_new_leader_line_changes_the_output(tmp_path: Path, blank_nlp: Language) -> None:
    text = "Micheál Martin met the delegation in Dublin."
    assert blank_nlp(text)._.people == []
    write(tmp_path, "leaders.yaml", """
description: user leaders
leaders:
  - {id: user.leader.irl.martin, name: Micheál Martin, aliases: [Micheal Martin], country: IRL,
     terms: [{role: head_of_government, title: Taoiseach, since: "2020-06", until: "2022-12"},
             {role: head_of_government, title: Taoiseach, since: "2025-01"}]}
""")
    nlp = build_nlp(model="blank", rules_dirs=[str(tmp_path)], extractors=["diplo_people"])
    (person,) = nlp(text)._.people
    assert (person.name, person.country, person.role, person.rule) == (
        "Micheál Martin", "IRL", "head_of_government", "user.leader.irl.martin")


@pytest.mark.parametrize(
    ("name", "text", "entry"),
    [
        ("people.yaml", "description: x\ntitles:\n  - {id: user.title.bad.v1, role: king, phrases: [Rex]}\n",
         "id=user.title.bad.v1"),
        ("people.yaml", "description: x\ntitles:\n  - {id: user.title.bad.v1, role: other, phrase: [Rex]}\n",
         "id=user.title.bad.v1"),
        ("leaders.yaml", "description: x\nleaders:\n  - {id: user.leader.x, name: Jane Roe, country: XXX, "
         "terms: [{role: head_of_state, title: President, since: '2020'}]}\n", "id=user.leader.x"),
        ("leaders.yaml", "description: x\nleaders:\n  - {id: user.leader.y, name: Jane Roe, country: IRL, "
         "terms: [{role: head_of_state, title: President, since: 'last year'}]}\n", "id=user.leader.y"),
    ],
)
def test_invalid_rule_files_fail_fast(tmp_path: Path, name: str, text: str, entry: str) -> None:
    path = write(tmp_path, name, text)
    with pytest.raises(RuleFileError) as err:
        build_nlp(model="blank", rules_dirs=[str(tmp_path)], extractors=["diplo_people"])
    assert err.value.path == str(path) and entry in err.value.entry


@pytest.mark.parametrize(("indices", "runs"), [([], []), ([3], [(3, 4)]), ([1, 2, 3, 7, 9, 10], [(1, 4), (7, 8), (9, 11)])])
def test_runs_of_consecutive_indices(indices: list[int], runs: list[tuple[int, int]]) -> None:
    assert _runs(indices) == runs
