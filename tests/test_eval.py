"""The scorer: matching rules of the annotation guide, checked record by record and in total.

`tests/gold/` holds three short texts written for these tests with their gold records, and
`tests/gold/predictions/fixed-output.json` a hand-made system output in which each record
exercises one matching rule (its `rule` field says which). The expected figures below were
worked out by hand and confirmed equal to the reference scorer of the annotation guide.
"""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.tools.evaluate import (
    GoldFileError, attribute_equal, load_gold, matches, names_overlap, normalise, one_per_sentence, score,
)

GOLD = Path(__file__).parent / "gold"
FIXED_OUTPUT = GOLD / "predictions" / "fixed-output.json"

#: type -> (gold, pred, matched, {attribute: (correct, compared)})
EXPECTED_COUNTS = {
    "people": (7, 7, 5, {"country": (4, 5), "role": (4, 5)}),
    "agreements": (4, 3, 2, {"kind": (2, 2), "status": (1, 2)}),
    "projects": (6, 6, 4, {"kind": (4, 4), "status": (2, 4)}),
    "numeric_claims": (8, 8, 6, {"unit": (5, 6), "qualifier": (6, 6), "period": (5, 6)}),
    "events": (8, 6, 5, {"date_start": (3, 5)}),
    "commitments": (9, 7, 6, {"modality": (5, 6), "actor": (5, 6)}),
}
#: The reference scorer's JSON for the same gold and output, figures rounded to 3 places.
EXPECTED_FIGURES = {
    "people": (0.714, 0.714, 0.714, {"country": 0.8, "role": 0.8}),
    "agreements": (0.667, 0.5, 0.571, {"kind": 1.0, "status": 0.5}),
    "projects": (0.667, 0.667, 0.667, {"kind": 1.0, "status": 0.5}),
    "numeric_claims": (0.75, 0.75, 0.75, {"unit": 0.833, "qualifier": 1.0, "period": 0.833}),
    "events": (0.833, 0.625, 0.714, {"date_start": 0.6}),
    "commitments": (0.857, 0.667, 0.75, {"modality": 0.833, "actor": 0.833}),
}
EXPECTED_MICRO = {"precision": 0.757, "recall": 0.667, "f1": 0.709}


def write_tables(data: dict[str, list[dict]], folder: Path) -> Path:
    """Write {table: rows} as Parquet tables, the way `pipeline run` lays them out."""
    folder.mkdir(parents=True, exist_ok=True)
    for table, rows in data.items():
        if not table.startswith("_"):
            pd.DataFrame(rows).to_parquet(folder / f"{table}.parquet")
    return folder


@pytest.fixture(scope="module")
def fixed_pred(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_tables(json.loads(FIXED_OUTPUT.read_text(encoding="utf-8")), tmp_path_factory.mktemp("fixed"))


def test_counts_per_type(fixed_pred: Path) -> None:
    report = score(GOLD, fixed_pred)
    for kind, (gold, pred, matched, attributes) in EXPECTED_COUNTS.items():
        s = report.types[kind]
        assert (s.gold, s.pred, s.matched) == (gold, pred, matched), kind
        assert {a: tuple(v) for a, v in s.attributes.items()} == attributes, kind


def test_figures_equal_the_reference_scorer(fixed_pred: Path) -> None:
    data = score(GOLD, fixed_pred).to_dict()
    assert data["missing_documents"] == []
    assert data["micro"] == EXPECTED_MICRO
    for kind, (p, r, f, attributes) in EXPECTED_FIGURES.items():
        got = data["types"][kind]
        assert (got["precision"], got["recall"], got["f1"], got["attributes"]) == (p, r, f, attributes), kind


def test_errors_name_the_missed_and_spurious_records(fixed_pred: Path) -> None:
    report = score(GOLD, fixed_pred)
    projects = report.types["projects"]
    assert sorted(m.record["rule"] for m in projects.spurious) == ["t.containment_first", "t.under_half"]
    assert sorted(m.label() for m in projects.missed) == ["Central Asia International Industrial Cooperation Center",
                                                          "Hyphen green hydrogen project"]
    missed_events = {(m.source, m.record["type"]) for m in report.types["events"].missed}
    assert missed_events == {
        ("kaz-mng-foreign-ministers-2023-03.txt", "visit"),
        ("kaz-uzb-joint-statement-2024-08.txt", "summit"),
        ("eu-namibia-hydrogen-2025-02.txt", "signing"),
    }
    spurious_claims = [m.record["rule"] for m in report.types["numeric_claims"].spurious]
    assert spurious_claims == ["t.wrong_sentence", "t.outside_tolerance"]
    assert all(m.record["sentence"] for m in report.types["numeric_claims"].spurious)


def test_only_restricts_the_documents(fixed_pred: Path) -> None:
    report = score(GOLD, fixed_pred, only={"eu-namibia-hydrogen-2025-02.txt"})
    assert (report.types["people"].gold, report.types["people"].matched) == (2, 2)
    assert report.types["commitments"].pred == 2


def test_missing_documents_are_reported(tmp_path: Path) -> None:
    pred = write_tables({"documents": [{"doc_id": "d1", "source": "other.txt"}]}, tmp_path / "pred")
    report = score(GOLD, pred)
    assert sorted(report.missing_documents) == sorted(json.loads(p.read_text())["source"] for p in GOLD.glob("*.json"))
    assert report.types["people"].gold == 7 and report.types["people"].matched == 0
    assert report.micro.f1 == 0.0


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("The  Belt and\nRoad", "belt and road"),
        ("China\u2019s \u201cGlobal\u201d plan", "china's \"global\" plan"),
        ("2020\u20132025 \u2014 plan", "2020-2025 - plan"),
        ("\uff34he Ｆｕｎｄ", "fund"),  # full-width letters fold under NFKC
        ("Theory of change", "theory of change"),  # 'the' only as a whole word
        (None, ""),
        (float("nan"), ""),
    ],
)
def test_normalise(raw: object, expected: str) -> None:
    assert normalise(raw) == expected


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("trade house", "trade house in Ulaanbaatar", True),  # 2 words of 4: exactly half
        ("house", "trade house in Ulaanbaatar", False),  # 1 of 4
        ("the Paris Agreement", "Paris Agreement", True),
        ("Paris Agreement", "Paris Agreement on Climate", True),
        ("Agreement", "", False),
        ("Silk Road", "Maritime Silk Road Initiative", True),
        ("Silk Road", "Silk Roads", True),  # containment is on characters, as in the reference
    ],
)
def test_names_overlap(a: str, b: str, expected: bool) -> None:
    assert names_overlap(a, b) is expected


@pytest.mark.parametrize(
    ("kind", "gold", "pred", "exact", "expected"),
    [
        ("people", {"name": "Kassym-Jomart Tokayev", "aliases": ["Tokayev"]}, {"name": "tokayev"}, False, True),
        ("people", {"name": "Kassym-Jomart Tokayev", "aliases": []}, {"name": "Tokayev"}, False, False),
        ("projects", {"name": "Zhanatas wind farm"}, {"name": "Zhanatas wind farm project"}, True, False),
        ("projects", {"name": "Zhanatas wind farm"}, {"name": "Zhanatas wind farm project"}, False, True),
        ("numeric_claims", {"sentence": "trade reached", "value": 100.0}, {"sentence": "Trade reached 100.", "value": 100.5}, False, True),
        ("numeric_claims", {"sentence": "trade reached", "value": 100.0}, {"sentence": "Trade reached 100.", "value": 100.6}, False, False),
        ("numeric_claims", {"sentence": "trade reached", "value": 100.0}, {"sentence": "Exports rose.", "value": 100.0}, False, False),
        ("events", {"sentence": "held talks", "type": "meeting"}, {"sentence": "They held talks.", "type": "visit"}, False, False),
        ("events", {"sentence": "held talks", "type": "meeting"}, {"sentence": "They held talks.", "type": "Meeting"}, False, True),
        ("commitments", {"sentence": "will open a trade house"}, {"sentence": "Kazakhstan will open a trade house."}, False, True),
        ("commitments", {"sentence": ""}, {"sentence": "Kazakhstan will open a trade house."}, False, False),
    ],
)
def test_matches(kind: str, gold: dict, pred: dict, exact: bool, expected: bool) -> None:
    assert matches(kind, gold, pred, exact) is expected


@pytest.mark.parametrize(
    ("attribute", "gold", "pred", "expected"),
    [
        ("actor", ["CHN", "KAZ"], ["kaz", "CHN"], True),
        ("actor", ["CHN"], "CHN", True),
        ("actor", ["CHN", "KAZ"], ["CHN"], False),
        ("actor", [], None, True),
        ("country", None, None, True),
        ("country", None, float("nan"), True),
        ("country", "NAM", None, False),
        ("period", "2023", "2023", True),
    ],
)
def test_attribute_equal(attribute: str, gold: object, pred: object, expected: bool) -> None:
    assert attribute_equal(attribute, gold, pred) is expected


def test_commitments_count_once_per_sentence() -> None:
    records = [{"sentence": "We will act.", "rule": "a"}, {"sentence": "we  will act.", "rule": "b"}, {"sentence": "Go.", "rule": "c"}]
    assert [r["rule"] for r in one_per_sentence(records)] == ["a", "c"]


def test_broken_gold_file_is_named(tmp_path: Path) -> None:
    (tmp_path / "bad.json").write_text('{"people": []}', encoding="utf-8")
    with pytest.raises(GoldFileError, match="bad.json"):
        load_gold(tmp_path)


def test_cli_prints_table_errors_and_json(fixed_pred: Path, tmp_path: Path) -> None:
    report_file = tmp_path / "report.json"
    result = CliRunner().invoke(
        app, ["eval", "--gold", str(GOLD), "--pred", str(fixed_pred), "--show-errors", "--json", str(report_file)],
    )
    assert result.exit_code == 0, result.output
    assert "micro F1 0.709 (P 0.757, R 0.667)" in result.output
    assert "projects: spurious (2)" in result.output
    assert "Hyphen green hydrogen project" in result.output
    assert "The Presidents noted that mutual trade exceeded US$4.4 billion in 2023." in result.output
    data = json.loads(report_file.read_text(encoding="utf-8"))
    assert data["micro"] == EXPECTED_MICRO
    assert [m["label"] for m in data["types"]["agreements"]["missed"]] == [
        "memorandum of understanding on sustainable raw materials value chains",
        "Joint Statement of the Republic of Kazakhstan and the Republic of Uzbekistan"]


@pytest.mark.parametrize(
    "args",
    [
        ["eval", "--gold", str(GOLD)],  # neither --pred nor inputs
        ["eval", "--gold", str(GOLD), "--pred", "x", "input.txt"],  # both
        ["eval", "--gold", "/nonexistent/gold", "--pred", str(GOLD)],
    ],
)
def test_cli_bad_usage_exits_2(args: list[str]) -> None:
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2, result.output


@pytest.mark.slow
@pytest.mark.model
def test_cli_processes_inputs_then_scores(nlp, tmp_path: Path) -> None:
    """`pipeline eval --gold DIR INPUT...`: the texts are processed into a temporary folder, then scored."""
    report_file = tmp_path / "report.json"
    result = CliRunner().invoke(app, ["eval", "--gold", str(GOLD), str(GOLD / "texts"), "--json", str(report_file)])
    assert result.exit_code == 0, result.output
    data = json.loads(report_file.read_text(encoding="utf-8"))
    assert data["missing_documents"] == []  # every gold source was processed and found by its file name
    assert {k: v["gold"] for k, v in data["types"].items()} == {k: v[0] for k, v in EXPECTED_COUNTS.items()}
    assert data["types"]["people"]["matched"] > 0  # the leaders of the three texts are named in full


def test_types_limit_the_report_and_the_micro_average(fixed_pred: Path) -> None:
    report = score(GOLD, fixed_pred, types=["commitments"])
    assert list(report.types) == ["commitments"]
    assert (report.micro.matched, report.micro.gold, report.micro.pred) == (6, 9, 7)
    with pytest.raises(ValueError, match="unknown record types commitment"):
        score(GOLD, fixed_pred, types=["commitment"])
    result = CliRunner().invoke(app, ["eval", "--gold", str(GOLD), "--pred", str(fixed_pred), "--types", "people,events"])
    assert result.exit_code == 0, result.output
    assert [line.split()[0] for line in result.output.splitlines()[1:3]] == ["people", "events"]
    assert "micro F1 0.714 (P 0.769, R 0.667)" in result.output  # (5 + 5) / (7 + 6) and / (7 + 8)
    assert CliRunner().invoke(app, ["eval", "--gold", str(GOLD), "--pred", str(fixed_pred), "--types", "persons"]).exit_code == 2
