"""`pipeline show`: the HTML page of one document, checked as markup and in a real headless browser."""
from __future__ import annotations

import html
import tempfile
from collections import defaultdict
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.records import RECORD_TABLES
from pipeline.tools.show import DocumentNotFound, find_document, show

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
SCRIPT = "<script>window.__pwned = 1; alert(1)</script>"
IMG = '"><img src=x onerror="window.__pwned = 2">'
TEXT = (
    f"Talks {SCRIPT} opened.\n"
    "China will provide over US$2 billion for the Astana Light Rail project, "
    f"Foreign Minister Wang Yi said {IMG} on Monday."
)


def span(needle: str) -> tuple[int, int]:
    start = TEXT.index(needle)
    return start, start + len(needle)


def record(table: str, needle: str, rule: str, **fields: object) -> tuple[str, dict]:
    start, end = span(needle)
    return table, {"doc_id": "d" * 40, "sent_id": 1, "sentence": TEXT.splitlines()[1], "start": start, "end": end,
                   "rule": rule, **fields}


#: Overlapping records: a figure and a project inside a commitment; hostile text in attributes and rules.
RECORDS = [
    record("commitments", "will provide over US$2 billion for the Astana Light Rail project", "commitments.will.v1",
           actor=["CHN"], modality="will", action=f"provide {IMG}"),
    record("numeric_claims", "over US$2 billion", "numeric_claims.currency.usd.v1", value=2e9, unit="USD", qualifier="over"),
    record("projects", "Astana Light Rail project", SCRIPT, name="Astana Light Rail", kind="transport", status="planned"),
    record("people", "Wang Yi", "people.title_before_name.v1", name="Wang Yi", titles=["Foreign Minister"], country="CHN"),
]


def write_run(folder: Path, title: str = f"Briefing {SCRIPT}") -> Path:
    """The tables of a run holding one hostile document and a second, unrelated one."""
    folder.mkdir(parents=True, exist_ok=True)
    pd.DataFrame([
        {"doc_id": "d" * 40, "source": f"briefing-{IMG}.txt", "title": title, "text": TEXT},
        {"doc_id": "e" * 40, "source": "other/readout.txt", "title": None, "text": "Nothing here."},
    ]).to_parquet(folder / "documents.parquet")
    by_table = defaultdict(list)
    for table, row in RECORDS:
        by_table[table].append(row)
    for table in RECORD_TABLES:
        rows = by_table.get(table) or [{"doc_id": "e" * 40, "start": 0, "end": 7, "rule": "x", "sentence": "Nothing here."}]
        pd.DataFrame(rows).to_parquet(folder / f"{table}.parquet")
    return folder


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_run(tmp_path_factory.mktemp("show"))


class MarkCollector(HTMLParser):
    """Text under each `data-record` mark, every tag seen, and every title."""

    def __init__(self) -> None:
        super().__init__()
        self.open: list[str | None] = []
        self.text: dict[str, str] = defaultdict(str)
        self.titles: dict[str, str] = {}
        self.tags: list[str] = []
        self.in_doc = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        a = dict(attrs)
        if tag == "div" and a.get("class") == "doc":
            self.in_doc = True
        if tag == "mark":
            self.open.append(a.get("data-record"))
            if a.get("data-record") is not None:
                self.titles[a["data-record"]] = a.get("title") or ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "mark":
            self.open.pop()
        if tag == "div":
            self.in_doc = False

    def handle_data(self, data: str) -> None:
        if self.in_doc:
            for number in {n for n in self.open if n is not None}:
                self.text[number] += data


def test_each_record_is_highlighted_exactly_over_its_span(hostile_run: Path) -> None:
    parser = MarkCollector()
    parser.feed(show("d" * 40, pred=hostile_run))
    expected = sorted(TEXT[r["start"]:r["end"]] for _, r in RECORDS)
    assert sorted(parser.text.values()) == expected


def test_hover_titles_carry_type_rule_and_attributes(hostile_run: Path) -> None:
    parser = MarkCollector()
    parser.feed(show("d" * 40, pred=hostile_run))
    titles = list(parser.titles.values())
    (commitment,) = [t for t in titles if t.startswith("commitments")]
    assert commitment.splitlines()[:3] == ["commitments · rule commitments.will.v1", "actor: CHN", "modality: will"]
    assert f"action: provide {IMG}" in commitment  # the parser unescapes: the text survives whole
    assert any(t.startswith(f"projects · rule {SCRIPT}") for t in titles)


def test_every_text_is_escaped(hostile_run: Path) -> None:
    page = show("d" * 40, pred=hostile_run)
    parser = MarkCollector()
    parser.feed(page)
    assert "script" not in parser.tags and "img" not in parser.tags
    assert "<script" not in page and "<img" not in page
    assert html.escape(SCRIPT) in page
    assert "Content-Security-Policy" in page and "default-src 'none'" in page


@pytest.mark.parametrize("key", ["d" * 40, "dddddd", f"briefing-{IMG}.txt", f"briefing-{IMG}", "readout.txt", "readout"])
def test_find_document_by_id_prefix_source_or_stem(hostile_run: Path, key: str) -> None:
    assert find_document(hostile_run, key)["doc_id"][0] == ("e" if "readout" in key else "d")


@pytest.mark.parametrize(("key", "message"), [("ddd", "no document 'ddd'"), ("missing.txt", "sources: ")])
def test_find_document_failures(hostile_run: Path, key: str, message: str) -> None:
    with pytest.raises(DocumentNotFound, match=message):
        find_document(hostile_run, key)


def test_command_writes_file_or_stdout_and_exit_2_when_unknown(hostile_run: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    page = tmp_path / "page.html"
    result = runner.invoke(app, ["show", "readout", "--pred", str(hostile_run), "--out", str(page)])
    assert result.exit_code == 0, result.output
    assert "<title>other/readout.txt</title>" in page.read_text(encoding="utf-8")
    result = runner.invoke(app, ["show", "readout", "--pred", str(hostile_run)])
    assert result.output.startswith("<!DOCTYPE html>")
    result = runner.invoke(app, ["show", "nowhere", "--pred", str(hostile_run)])
    assert result.exit_code == 2 and "no document 'nowhere'" in result.output


# ------------------------------------------------------------------------ in a real browser

@pytest.fixture(scope="module")
def browser():
    """Headless Chromium driven by Selenium (`make test` installs Debian's chromium where missing)."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    assert CHROMIUM.exists() and CHROMEDRIVER.exists(), "install chromium and chromium-driver (make test does)"
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    with tempfile.TemporaryDirectory(prefix="chromium-profile-") as profile:
        for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--disable-dev-shm-usage", f"--user-data-dir={profile}", "--window-size=1200,1600"):
            options.add_argument(flag)
        driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
        try:
            yield driver
        finally:
            driver.quit()


def load(browser, page: Path) -> None:
    browser.get(page.as_uri())
    assert browser.execute_script("return document.readyState") == "complete"


@pytest.mark.slow
def test_browser_hostile_document_runs_no_script(browser, hostile_run: Path, tmp_path: Path) -> None:
    page = tmp_path / "hostile.html"
    page.write_text(show("d" * 40, pred=hostile_run), encoding="utf-8")
    load(browser, page)
    assert browser.execute_script("return window.__pwned === undefined")
    assert browser.execute_script("return document.querySelectorAll('script, img').length") == 0
    body = browser.execute_script("return document.querySelector('.doc').textContent")
    assert SCRIPT in body and IMG in body  # shown as text
    assert browser.execute_script("return new Set([...document.querySelectorAll('.doc mark[data-record]')]"
                                  ".map(m => m.dataset.record)).size") == len(RECORDS)


@pytest.mark.slow
@pytest.mark.model
def test_browser_screenshot_of_a_processed_sample_document(browser, sample_output: Path, tmp_path: Path) -> None:
    page = tmp_path / "xi.html"
    page.write_text(show("xi-signed-article-2024-07", pred=sample_output), encoding="utf-8")
    load(browser, page)
    doc_id = find_document(sample_output, "xi-signed-article-2024-07")["doc_id"]
    expected = {t: pq.read_table(sample_output / f"{t}.parquet", filters=[("doc_id", "=", doc_id)]).num_rows
                for t in RECORD_TABLES}
    drawn = browser.execute_script(
        "const seen = {}; for (const m of document.querySelectorAll('.doc mark[data-record]'))"
        " { (seen[m.dataset.type] ??= new Set()).add(m.dataset.record); }"
        " return Object.fromEntries(Object.entries(seen).map(([k, v]) => [k, v.size]));"
    )
    assert drawn == {t: n for t, n in expected.items() if n}
    assert expected["people"] and expected["commitments"]
    person = browser.find_element("css selector", ".doc mark.rec-people")
    assert person.value_of_css_property("background-color").startswith("rgba(122, 236, 236")  # #7aecec
    assert person.get_attribute("title").startswith("people · rule ")
    legend = browser.find_element("css selector", ".legend").text
    assert all(t in legend for t in RECORD_TABLES)
    shot = tmp_path / "xi.png"
    assert browser.save_screenshot(str(shot))
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 50_000
