"""Readers: discovery of inputs, each input format, and the hostile-input fixtures (issue 8).

Every hostile input is either read correctly or reported as a ReadError with the file, the
stage and a readable reason, and the good documents beside it are all read.
"""
from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

import pipeline.readers as readers
from pipeline.clean import clean_text
from pipeline.readers import RawDocument, ReadError, discover, iter_documents, read_path
from pipeline.records import ErrorRow

FIXTURES = Path(__file__).parent / "fixtures" / "hostile"


def read_all(path: Path, **kwargs) -> tuple[list[RawDocument], list[ReadError]]:
    items = list(read_path(path, **kwargs))
    return [i for i in items if isinstance(i, RawDocument)], [i for i in items if isinstance(i, ReadError)]


def error_keys(errors: list[ReadError]) -> list[tuple[str, str, str]]:
    return [(e.source, e.stage, e.error) for e in errors]


# --- the hostile fixture folder ------------------------------------------------------------

@pytest.mark.parametrize(("name", "expected_text", "encoding"), [
    ("cp1252.txt", "Le ministre a déclaré : « La coopération franco-kazakhe est très réussie » – c’est un succès.\n", "cp1252"),
    ("latin1.txt", "Der Außenminister traf seinen Amtskollegen in Zürich; die Gespräche über Energie waren offen.\n", "cp1252"),
    ("utf16_bom.txt", "The two sides signed a memorandum on energy cooperation in Astana.\n", "utf-16"),
    ("non_english.txt", "中华人民共和国主席习近平对哈萨克斯坦进行国事访问，并出席上海合作组织成员国元首理事会会议。\n", "utf-8"),
])
def test_legacy_and_foreign_texts_are_decoded(name: str, expected_text: str, encoding: str) -> None:
    docs, errors = read_all(FIXTURES / name)
    assert errors == []
    assert [(d.source, d.text, d.encoding) for d in docs] == [(name, expected_text, encoding)]


@pytest.mark.parametrize(("name", "stage", "error", "reason"), [
    ("binary.txt", "decode", "binary_file", "binary file"),
    ("empty.txt", "read", "empty", "empty"),
    ("whitespace.txt", "read", "empty", "white space"),
])
def test_unusable_files_are_errors(name: str, stage: str, error: str, reason: str) -> None:
    docs, errors = read_all(FIXTURES / name)
    assert docs == []
    assert error_keys(errors) == [(name, stage, error)]
    assert reason in errors[0].message


def test_front_matter_fields() -> None:
    (doc,), errors = read_all(FIXTURES / "good_front_matter.md")
    assert errors == []
    assert (doc.title, doc.published, doc.source_name, doc.url, doc.language) == (
        "Joint Statement on Energy Cooperation", dt.date(2024, 4, 15), "The White House", "https://example.org/js", "en")
    assert doc.text.startswith("Joint Statement on Energy Cooperation\n\nThe two leaders")


@pytest.mark.parametrize("name", ["bad_front_matter.md", "unsafe_front_matter.md"])
def test_invalid_or_unsafe_front_matter_is_reported_and_the_text_still_read(name: str) -> None:
    docs, errors = read_all(FIXTURES / name)
    assert error_keys(errors) == [(name, "parse", "bad_front_matter")]
    assert not errors[0].fatal
    assert len(docs) == 1 and docs[0].title is None
    assert not docs[0].text.startswith("---") and "title:" not in docs[0].text


def test_front_matter_is_loaded_safely() -> None:
    """A `!!python/object/apply` tag must not run anything (yaml.safe_load only)."""
    marker = Path("/tmp/diplo-front-matter-pwned")
    marker.unlink(missing_ok=True)
    list(read_path(FIXTURES / "unsafe_front_matter.md"))
    assert not marker.exists()


def test_html_with_script_and_style() -> None:
    (doc,), errors = read_all(FIXTURES / "script_style.html")
    assert errors == []
    assert "SECRET" not in doc.text and "font-family" not in doc.text and "function" not in doc.text
    assert "Home | News | Contact" not in doc.text  # navigation is not main text
    assert "arrived in Astana on Tuesday" in doc.text and "visa facilitation" in doc.text
    assert (doc.title, doc.published, doc.language) == ("Minister visits Astana", dt.date(2024, 7, 2), "en")
    assert clean_text(doc.text).text.split("\n\n")[0] == "Minister visits Astana"


def test_ministry_page_main_text_only() -> None:
    """A ministry page: navigation, breadcrumb, share/print tools, related news and footer are dropped."""
    (doc,), errors = read_all(Path(__file__).parent / "fixtures" / "html" / "ministry_page.html")
    assert errors == []
    assert (doc.title, doc.published) == ("Foreign Ministry Spokesperson's Regular Press Conference on March 3, 2021",
                                          dt.date(2021, 3, 3))
    paragraphs = clean_text(doc.text).text.split("\n\n")
    assert paragraphs[0] == doc.title
    assert [p[:20] for p in paragraphs[1:]] == [
        "Q: The foreign minis", "A: The two sides had", "We stand ready to wo", "Q: Will the presiden", "A: We will release i"]
    for furniture in ("Main Functions", "Suggest to a friend", "Related News", "Copyright", "Please enter", "Home"):
        assert furniture not in doc.text


def test_malformed_html_keeps_all_its_paragraphs() -> None:
    (doc,), errors = read_all(FIXTURES / "malformed.html")
    assert errors == []
    assert doc.title == "Talks resume in Geneva"
    for words in ("agreed to resume the stalled talks", "tariff agreement", "channels of communication open"):
        assert words in doc.text


def test_deeply_nested_html_is_read_or_reported(tmp_path: Path) -> None:
    page = tmp_path / "deep.html"
    page.write_text("<html><body>" + "<div>" * 50_000 + "<p>The ministers met in Vienna on Friday to discuss the grain deal.</p>"
                    + "</div>" * 50_000 + "</body></html>", encoding="utf-8")
    docs, errors = read_all(page)
    assert (len(docs), len(errors)) in ((1, 0), (0, 1))
    if docs:
        assert "The ministers met in Vienna" in docs[0].text
    else:
        assert errors[0].source == "deep.html" and errors[0].stage == "parse" and errors[0].message


def test_jsonl_records_and_broken_lines() -> None:
    docs, errors = read_all(FIXTURES / "records.jsonl")
    assert [(d.source, d.doc_key, d.title, d.published, d.source_name, d.url) for d in docs] == [
        ("records.jsonl#1", "a1", "Reception", dt.date(2024, 7, 1), "Xinhua", "https://example.org/a1"),
        ("records.jsonl#6", "5", None, None, None, None),
    ]
    assert error_keys(errors) == [
        ("records.jsonl#2", "parse", "bad_json"),
        ("records.jsonl#3", "parse", "missing_text"),
        ("records.jsonl#4", "parse", "bad_text_type"),
        ("records.jsonl#6", "parse", "bad_date"),
        ("records.jsonl#7", "parse", "not_an_object"),
    ]
    assert all(e.message for e in errors)
    assert [e.fatal for e in errors] == [True, True, True, False, True]


def test_whole_fixture_folder_good_documents_all_read() -> None:
    items = list(iter_documents([FIXTURES]))
    docs = sorted(i.source for i in items if isinstance(i, RawDocument))
    assert docs == [
        "bad_front_matter.md", "cp1252.txt", "good_front_matter.md", "latin1.txt", "malformed.html",
        "non_english.txt", "records.jsonl#1", "records.jsonl#6", "script_style.html", "unsafe_front_matter.md",
        "utf16_bom.txt",
    ]
    failed = {i.source for i in items if isinstance(i, ReadError)}
    assert {"binary.txt", "empty.txt", "whitespace.txt", "records.jsonl#2"} <= failed
    for item in items:
        if isinstance(item, RawDocument):
            assert clean_text(item.text).text  # every good document survives cleaning with text


# --- generated hostile inputs --------------------------------------------------------------

def test_twenty_megabyte_text(tmp_path: Path) -> None:
    paragraph = "The two sides agreed to expand cooperation in energy, transport and trade, and to meet again next year. "
    big = tmp_path / "big.txt"
    big.write_text((paragraph * 10 + "\n\n") * (20_000_000 // (len(paragraph) * 10 + 2)), encoding="utf-8")
    assert big.stat().st_size > 19_000_000
    (doc,), errors = read_all(big)
    assert errors == [] and len(doc.text) == big.stat().st_size
    cleaned = clean_text(doc.text).text
    assert cleaned.count("\n\n") == doc.text.count("\n\n") - 1 and cleaned.startswith(paragraph[:-1])


def test_too_large_file_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(readers, "MAX_FILE_BYTES", 1000)
    big = tmp_path / "big.txt"
    big.write_text("word " * 300, encoding="utf-8")
    docs, errors = read_all(big)
    assert docs == [] and error_keys(errors) == [("big.txt", "read", "too_large")]
    assert "1,500 bytes" in errors[0].message


def test_file_vanishing_during_the_run(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("The envoy arrived in Kabul.", encoding="utf-8")
    gone = tmp_path / "b.txt"
    gone.write_text("The envoy left Kabul.", encoding="utf-8")
    files, errors = discover([tmp_path])
    assert [f.name for f in files] == ["a.txt", "b.txt"] and errors == []
    gone.unlink()
    items = [item for path in files for item in read_path(path)]
    assert [type(i).__name__ for i in items] == ["RawDocument", "ReadError"]
    assert error_keys(items[1:]) == [("b.txt", "read", "not_found")]


def test_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    locked = tmp_path / "locked.txt"
    locked.write_text("Secret text.", encoding="utf-8")

    def deny(self: Path) -> bytes:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_bytes", deny)  # root ignores chmod, so simulate the OS refusal
    docs, errors = read_all(locked)
    assert docs == [] and error_keys(errors) == [("locked.txt", "read", "unreadable")]
    assert "permission denied" in errors[0].message


def test_directory_named_like_a_file(tmp_path: Path) -> None:
    (tmp_path / "folder.txt").mkdir()
    docs, errors = read_all(tmp_path / "folder.txt")
    assert docs == [] and error_keys(errors) == [("folder.txt", "read", "unreadable")]


def test_named_pipe_is_not_opened(tmp_path: Path) -> None:
    """Opening a FIFO would block the run forever; it is reported from its file type instead."""
    os.mkfifo(tmp_path / "pipe.txt")
    files, errors = discover([tmp_path])
    assert errors == []
    docs, read_errors = read_all(files[0])
    assert docs == [] and error_keys(read_errors) == [("pipe.txt", "read", "unreadable")]


def test_mixed_utf8_and_cp1252_file_is_repaired(tmp_path: Path) -> None:
    """One cp1252 line in a UTF-8 file: decoded as cp1252, then ftfy repairs the UTF-8 lines."""
    path = tmp_path / "mixed.txt"
    path.write_bytes("The minister’s visit to Zürich — a “success”.\n".encode("utf-8") + b"He said \x93yes\x94 to the plan.\n")
    (doc,), errors = read_all(path)
    assert errors == []
    assert clean_text(doc.text).text == "The minister’s visit to Zürich — a “success”.\n\nHe said “yes” to the plan."


def test_symlink_loops(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text("The summit opened in Astana.", encoding="utf-8")
    os.symlink(tmp_path / "loop_b.txt", tmp_path / "loop_a.txt")
    os.symlink(tmp_path / "loop_a.txt", tmp_path / "loop_b.txt")
    os.symlink(tmp_path, tmp_path / "again")  # a folder that contains itself
    files, errors = discover([tmp_path])
    assert [f.name for f in files] == ["good.txt"]
    assert sorted((Path(e.source).name, e.error) for e in errors) == [
        ("again", "symlink_loop"), ("loop_a.txt", "symlink_loop"), ("loop_b.txt", "symlink_loop")]
    docs, read_errors = read_all(tmp_path / "loop_a.txt")
    assert docs == [] and error_keys(read_errors) == [("loop_a.txt", "read", "symlink_loop")]


# --- discovery -----------------------------------------------------------------------------

def test_discover_files_folders_globs(tmp_path: Path) -> None:
    for name in ("b.txt", "a.md", "sub/c.html", "sub/deeper/d.jsonl", "sub/e.pdf", ".hidden.txt", "README.md"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x", encoding="utf-8")
    files, errors = discover([tmp_path])
    assert [f.relative_to(tmp_path).as_posix() for f in files] == ["a.md", "b.txt", "sub/c.html", "sub/deeper/d.jsonl"]
    assert errors == []
    # Sorted and deduplicated across a folder, a file inside it and a glob.
    files, errors = discover([tmp_path / "b.txt", tmp_path, str(tmp_path / "*.txt")])
    assert len(files) == 4 and errors == []
    files, _ = discover([str(tmp_path / "**" / "*.jsonl")])
    assert [f.name for f in files] == ["d.jsonl"]
    files, _ = discover([tmp_path / "README.md"])  # named explicitly: read
    assert [f.name for f in files] == ["README.md"]


@pytest.mark.parametrize(("item", "error"), [
    ("missing.txt", "not_found"),
    ("nothing-*.txt", "no_match"),
    ("report.pdf", "unsupported_format"),
])
def test_discover_errors(tmp_path: Path, item: str, error: str) -> None:
    (tmp_path / "report.pdf").write_bytes(b"%PDF-1.4")
    files, errors = discover([tmp_path / item])
    assert files == []
    assert [(e.stage, e.error) for e in errors] == [("read", error)]
    assert item.split("*")[0] in errors[0].source


def test_read_error_row() -> None:
    error = ReadError("a.txt", "decode", "binary_file", "contains NUL bytes")
    assert error.row() == ErrorRow(source="a.txt", stage="decode", error="binary_file", message="contains NUL bytes")


# --- metadata and the sample corpus --------------------------------------------------------

def test_default_published_fills_only_missing_dates(tmp_path: Path) -> None:
    (tmp_path / "dated.md").write_text("---\npublished: 2019-04-24\n---\nText.", encoding="utf-8")
    (tmp_path / "undated.txt").write_text("Text.", encoding="utf-8")
    docs = {d.source: d.published for d in iter_documents([tmp_path], default_published=dt.date(2020, 1, 1))}
    assert docs == {"dated.md": dt.date(2019, 4, 24), "undated.txt": dt.date(2020, 1, 1)}


@pytest.mark.parametrize(("value", "expected"), [
    ("2019-04-24", dt.date(2019, 4, 24)),
    ("'2019-04-24T10:30:00+08:00'", dt.date(2019, 4, 24)),
    ("'April 24, 2019'", dt.date(2019, 4, 24)),
    ("'24 April 2019'", dt.date(2019, 4, 24)),
    ("2019", None),
    ("'next week'", None),
    ("'3 days ago'", None),
    ("'Tuesday, 2 July 2024'", dt.date(2024, 7, 2)),
])
def test_front_matter_dates(tmp_path: Path, value: str, expected: dt.date | None) -> None:
    (tmp_path / "a.md").write_text(f"---\ntitle: T\ndate: {value}\n---\nText.", encoding="utf-8")
    docs, errors = read_all(tmp_path / "a.md")
    assert docs[0].published == expected
    assert [e.error for e in errors] == ([] if expected else ["bad_date"])


def test_front_matter_with_windows_line_ends(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_bytes(b"---\r\ntitle: Visit to Astana\r\npublished: 2024-07-02\r\n---\r\nThe visit began.\r\n")
    (doc,), errors = read_all(tmp_path / "a.md")
    assert errors == [] and (doc.title, doc.published) == ("Visit to Astana", dt.date(2024, 7, 2))
    assert doc.text == "The visit began.\r\n"


def test_front_matter_aliases_and_spelling(tmp_path: Path) -> None:
    """Scraper front matter: other key names, YAML no-break spaces, author lists; canonical keys win."""
    (tmp_path / "a.md").write_text(
        "---\n"
        "date: '2024-04-10'\n"
        "published: 2024-04-11\n"
        "source_url: https://example.org/statement/\n"
        "title: \"United\\_States-Japan Joint Leaders\\u2019\\_Statement\"\n"
        "authors: [Sean Liu, Paul Ndiho]\n"
        "tags: statements-releases\n"
        "---\nGlobal Partners for the Future\n",
        encoding="utf-8",
    )
    (doc,), errors = read_all(tmp_path / "a.md")
    assert errors == []
    assert (doc.title, doc.published, doc.url, doc.byline) == (
        "United States-Japan Joint Leaders’ Statement", dt.date(2024, 4, 11), "https://example.org/statement/",
        "Sean Liu, Paul Ndiho")


def test_text_starting_with_a_rule_is_not_front_matter(tmp_path: Path) -> None:
    text = "---\nThe ministers met in Geneva.\n---\nThey agreed to meet again."
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    (doc,), errors = read_all(tmp_path / "a.txt")
    assert errors == [] and doc.text == text


def test_jsonl_with_bom_blank_lines_and_utf16(tmp_path: Path) -> None:
    lines = ['{"text": "First record."}', "", '{"text": "Third line.", "language": "en"}']
    (tmp_path / "a.jsonl").write_bytes(b"\xef\xbb\xbf" + "\n".join(lines).encode("utf-8"))
    (tmp_path / "b.jsonl").write_bytes("\n".join(lines).encode("utf-16"))
    (tmp_path / "c.jsonl").write_bytes(b"\n\n")
    items = list(iter_documents([tmp_path]))
    assert [(i.source, getattr(i, "text", None) or i.error) for i in items] == [
        ("a.jsonl#1", "First record."), ("a.jsonl#3", "Third line."),
        ("b.jsonl#1", "First record."), ("b.jsonl#3", "Third line."),
        ("c.jsonl", "empty"),
    ]
    assert items[1].language == "en"


def test_sample_corpus(sample_dir: Path) -> None:
    docs = [d for d in iter_documents([sample_dir])]
    assert all(isinstance(d, RawDocument) for d in docs)
    assert len(docs) == 8  # README.md beside the texts is not a document
    wang = next(d for d in docs if d.source == "wang-yi-briefing-2017-06.txt")
    assert wang.title == "Carry Forward Silk Road Spirit and Write a New Chapter for Cooperation"
    assert wang.published == dt.date(2017, 6, 10)
    assert wang.source_name == "Ministry of Foreign Affairs of the People's Republic of China"
    assert wang.text.startswith("Home\xa0>\xa0China Today\n")  # raw: cleaning comes later
    assert all(d.published and d.title and not d.text.startswith("---") for d in docs)
