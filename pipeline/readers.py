"""Input readers: files, folders and globs in; raw documents, or readable errors, out.

Supported inputs: `.txt`/`.md` (optional YAML front matter: title, published, source, url,
language), `.html`/`.htm` (main text, title, date and site by trafilatura) and `.jsonl`
(one document per line: `text` required; `id`, `title`, `published`, `source`, `url`,
`language` optional). Nothing here raises for bad content: a file that cannot be read,
decoded or parsed becomes a `ReadError` naming the file, the stage and the reason, and the
other files are read as usual.
"""
from __future__ import annotations

import codecs
import dataclasses
import datetime as dt
import errno
import glob
import json
import os
import stat
import warnings
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from pipeline.decoding import DecodeError, decode_bytes
from pipeline.frontmatter import FrontMatter, parse_date, read_fields, split_front_matter
from pipeline.records import ErrorRow

#: Suffixes read (compared in lower case).
SUPPORTED_SUFFIXES = frozenset({".txt", ".md", ".html", ".htm", ".jsonl"})
#: Files above this size are refused: a text that big is almost surely a dump or a mistake,
#: and reading it whole would hold the memory of every worker. JSONL files are streamed and
#: only each line is held to this limit.
MAX_FILE_BYTES = 50 * 1024 * 1024
#: In folder and glob scans, these file names (without suffix, any case) describe a corpus
#: rather than belong to it; a file named explicitly is always read.
SKIPPED_STEMS = frozenset({"readme", "license", "licence", "changelog", "contributing"})

_GLOB_CHARS = frozenset("*?[")
_UTF16_32_BOMS = (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


@dataclass(frozen=True)
class RawDocument:
    """One document as read: decoded text (front matter removed, HTML turned into text) and metadata."""

    source: str  # input file name; "name.jsonl#N" for the record on line N of a JSONL file
    path: str  # path as found
    text: str
    title: str | None = None
    published: dt.date | None = None
    url: str | None = None
    source_name: str | None = None  # publisher ("Xinhua") from front matter/JSONL `source`
    language: str | None = None
    doc_key: str | None = None  # JSONL `id` when given
    encoding: str | None = None  # encoding the file was decoded with
    byline: str | None = None  # author or agency from front matter/JSONL (`byline`, `author`)


@dataclass(frozen=True)
class ReadError:
    """An input that could not be read; stage is "read", "decode" or "parse".

    `fatal` is False for a problem with metadata only (front matter that is not YAML, a date
    that is not a date): the document itself is still yielded, right after the error.
    """

    source: str
    stage: str
    error: str
    message: str
    fatal: bool = True

    def row(self) -> ErrorRow:
        return ErrorRow(source=self.source, stage=self.stage, error=self.error, message=self.message)


# --- discovery ----------------------------------------------------------------------------


def _os_error(source: str, exc: OSError) -> ReadError:
    """Name an OS failure the way a user would describe it."""
    if exc.errno == errno.ELOOP:
        return ReadError(source, "read", "symlink_loop", "symbolic link loop: the link points back to itself")
    if exc.errno == errno.ENOENT:
        return ReadError(source, "read", "not_found", "no such file (missing, a broken link, or removed during the run)")
    if exc.errno in (errno.EACCES, errno.EPERM):
        return ReadError(source, "read", "unreadable", "permission denied")
    if exc.errno == errno.EISDIR:
        return ReadError(source, "read", "unreadable", "is a directory, not a file")
    return ReadError(source, "read", "unreadable", f"cannot be read: {exc.strerror or exc}")


def _supported(path: Path) -> bool:
    return path.suffix.lower() in SUPPORTED_SUFFIXES


def _scanned(name: str) -> bool:
    """Would a folder scan pick this file up? (Hidden files and corpus READMEs are skipped.)"""
    stem = name.split(".", 1)[0].lower()
    return not name.startswith(".") and stem not in SKIPPED_STEMS and _supported(Path(name))


def _walk(root: Path) -> tuple[list[Path], list[ReadError]]:
    """Supported files under `root`, following links to folders but never around a loop."""
    files: list[Path] = []
    errors: list[ReadError] = []
    seen_dirs: set[str] = set()
    walk_errors: list[OSError] = []
    for folder, dirnames, filenames in os.walk(root, followlinks=True, onerror=walk_errors.append):
        real = os.path.realpath(folder)
        if real in seen_dirs:
            parent = os.path.realpath(os.path.dirname(folder))
            if parent == real or parent.startswith(real + os.sep):
                errors.append(ReadError(folder, "read", "symlink_loop", f"link back to {real}, a folder it is inside of"))
            dirnames.clear()  # a second link to a folder already scanned adds nothing
            continue
        seen_dirs.add(real)
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for path in (Path(folder) / name for name in sorted(filenames) if _scanned(name)):
            err = _check_file(path)
            if err is None:
                files.append(path)
            else:
                errors.append(err)
    errors.extend(_os_error(str(exc.filename or root), exc) for exc in walk_errors)
    return files, errors


def _check_file(path: Path) -> ReadError | None:
    try:
        path.stat()
    except OSError as exc:
        return _os_error(str(path), exc)
    return None


def discover(inputs: Sequence[str | Path]) -> tuple[list[Path], list[ReadError]]:
    """Expand files, folders (recursively) and globs into the sorted, deduplicated input files.

    A missing path, a glob matching nothing, an unsupported file named explicitly or a link
    loop is returned as a ReadError (stage "read"), never raised.
    """
    found: list[Path] = []
    errors: list[ReadError] = []
    for item in inputs:
        path = Path(item)
        if path.is_dir():
            files, errs = _walk(path)
            found += files
            errors += errs
        elif path.exists() or path.is_symlink():
            if not _supported(path):
                errors.append(ReadError(str(path), "read", "unsupported_format",
                                        f"'{path.suffix or path.name}' files are not read (supported: {', '.join(sorted(SUPPORTED_SUFFIXES))})"))
            elif (err := _check_file(path)) is not None:
                errors.append(err)
            else:
                found.append(path)
        elif _GLOB_CHARS & set(str(item)):
            matches = [Path(m) for m in sorted(glob.glob(str(item), recursive=True))]
            files = [m for m in matches if not m.is_dir() and _scanned(m.name)]
            for folder in (m for m in matches if m.is_dir()):
                sub, errs = _walk(folder)
                files += sub
                errors += errs
            if not files:
                errors.append(ReadError(str(item), "read", "no_match", "the pattern matches no readable input file"))
            found += files
        else:
            errors.append(_os_error(str(path), FileNotFoundError(errno.ENOENT, "not found", str(path))))
    unique: dict[str, Path] = {}
    for path in sorted(found, key=str):
        unique.setdefault(os.path.realpath(path), path)
    return sorted(unique.values(), key=str), errors


# --- reading ------------------------------------------------------------------------------


def _problems(source: str, front: FrontMatter) -> Iterator[ReadError]:
    """Metadata problems: reported, but the document is read all the same (not fatal)."""
    for kind, message in front.problems:
        yield ReadError(source, "parse", kind, message, fatal=False)


def _document(source: str, path: Path, text: str, front: FrontMatter, **extra: object) -> RawDocument:
    fields = front.fields
    return RawDocument(
        source=source,
        path=str(path),
        text=text,
        title=fields.get("title"),  # type: ignore[arg-type]
        published=fields.get("published"),  # type: ignore[arg-type]
        url=fields.get("url"),  # type: ignore[arg-type]
        source_name=fields.get("source"),  # type: ignore[arg-type]
        language=fields.get("language"),  # type: ignore[arg-type]
        byline=fields.get("byline"),  # type: ignore[arg-type]
        **extra,  # type: ignore[arg-type]
    )


def _read_text_file(path: Path, text: str, encoding: str) -> Iterator[RawDocument | ReadError]:
    front, body = split_front_matter(text)
    yield from _problems(path.name, front)
    if not body.strip():
        yield ReadError(path.name, "parse", "empty", "no text after the front matter")
        return
    yield _document(path.name, path, body, front, encoding=encoding)


def _read_html(path: Path, text: str, encoding: str) -> Iterator[RawDocument | ReadError]:
    """Main text and metadata of a web page, by trafilatura (boilerplate, scripts and styles dropped)."""
    import trafilatura  # heavy import; only HTML inputs need it

    try:
        with warnings.catch_warnings():
            # lxml's FutureWarning about element truth-testing, raised inside trafilatura.
            warnings.filterwarnings("ignore", message="Truth-testing of elements", category=FutureWarning)
            tree = trafilatura.load_html(text)
            language = tree.get("lang") if tree is not None else None
            extracted = trafilatura.bare_extraction(
                tree if tree is not None else text, with_metadata=True, include_comments=False,
                include_tables=True, favor_recall=True, date_extraction_params={"extensive_search": False},
            )
            body = extracted.text if extracted is not None and extracted.text else ""
            if not body.strip():
                body = trafilatura.baseline(text)[1]
    except Exception as exc:  # a third-party parser on hostile input (RecursionError too): fail this file only
        yield ReadError(path.name, "parse", "html_parse_failed", f"the HTML could not be parsed: {type(exc).__name__}: {exc}")
        return
    if not body.strip():
        yield ReadError(path.name, "parse", "no_text", "the HTML page has no main text")
        return
    meta = {"title": getattr(extracted, "title", None), "url": getattr(extracted, "url", None),
            "source": getattr(extracted, "sitename", None), "language": language}
    front = read_fields({k: v for k, v in meta.items() if v})
    date = getattr(extracted, "date", None)
    if date:
        try:
            front.fields["published"] = parse_date(date)
        except ValueError:
            pass  # a page date trafilatura could not pin down is no date
    title = front.fields.get("title")
    if isinstance(title, str) and not body.lstrip().startswith(title):
        body = f"{title}\n\n{body}"  # the title line is text, as in the other formats
    yield _document(path.name, path, body, front, encoding=encoding)


def _jsonl_record(source: str, path: Path, line: str, encoding: str) -> Iterator[RawDocument | ReadError]:
    """One JSONL line: a document, or the reason it is not one."""
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        yield ReadError(source, "parse", "bad_json", f"not valid JSON: {exc.msg} (column {exc.colno})")
        return
    except (ValueError, RecursionError) as exc:
        yield ReadError(source, "parse", "bad_json", f"not valid JSON: {type(exc).__name__}")
        return
    if not isinstance(record, dict):
        yield ReadError(source, "parse", "not_an_object", f"expected a JSON object, got {type(record).__name__}")
        return
    if "text" not in record:
        yield ReadError(source, "parse", "missing_text", "the record has no 'text' field")
        return
    text = record["text"]
    if not isinstance(text, str):
        yield ReadError(source, "parse", "bad_text_type", f"'text' must be a string, got {type(text).__name__}")
        return
    if not text.strip():
        yield ReadError(source, "parse", "empty", "'text' is empty")
        return
    front = read_fields(record)
    yield from _problems(source, front)
    key = record.get("id")
    doc_key = str(key) if isinstance(key, (str, int)) and not isinstance(key, bool) else None
    yield _document(source, path, text, front, doc_key=doc_key, encoding=encoding)


def _jsonl_lines(path: Path) -> Iterator[tuple[int, str | ReadError]]:
    """(line number, decoded line or error) for each non-blank line, streamed line by line."""
    with path.open("rb") as handle:
        head = handle.read(4)
        handle.seek(0)
        if head.startswith(_UTF16_32_BOMS):  # JSON should be UTF-8, but read UTF-16/32 if marked
            text, _ = decode_bytes(handle.read(MAX_FILE_BYTES + 1))
            lines: Iterable[bytes | str] = text.splitlines()
        else:
            lines = handle
        for number, raw in enumerate(lines, start=1):
            source = f"{path.name}#{number}"
            if isinstance(raw, bytes):
                if number == 1:
                    raw = raw.removeprefix(codecs.BOM_UTF8)
                if not raw.strip():
                    continue
                if len(raw) > MAX_FILE_BYTES:
                    yield number, ReadError(source, "read", "too_large", f"line of {len(raw):,} bytes exceeds {MAX_FILE_BYTES:,}")
                    continue
                try:
                    raw = decode_bytes(raw)[0]
                except DecodeError as exc:
                    yield number, ReadError(source, "decode", exc.kind, str(exc))
                    continue
            if raw.strip():
                yield number, raw


def _read_jsonl(path: Path) -> Iterator[RawDocument | ReadError]:
    any_line = False
    for number, line in _jsonl_lines(path):
        any_line = True
        if isinstance(line, ReadError):
            yield line
        else:
            yield from _jsonl_record(f"{path.name}#{number}", path, line, "utf-8")
    if not any_line:
        yield ReadError(path.name, "read", "empty", "the JSONL file has no records")


def _read_file(path: Path) -> Iterator[RawDocument | ReadError]:
    """Dispatch one file by suffix; OS errors become ReadErrors."""
    info = path.stat()
    if not stat.S_ISREG(info.st_mode):
        kind = "is a directory" if stat.S_ISDIR(info.st_mode) else "not a regular file (a device, pipe or socket)"
        yield ReadError(path.name, "read", "unreadable", f"{kind}, not a file")
        return
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        yield ReadError(path.name, "read", "unsupported_format", f"'{suffix}' files are not read")
        return
    if suffix == ".jsonl":
        yield from _read_jsonl(path)
        return
    if info.st_size > MAX_FILE_BYTES:
        yield ReadError(path.name, "read", "too_large", f"{info.st_size:,} bytes exceeds the limit of {MAX_FILE_BYTES:,}")
        return
    data = path.read_bytes()
    if not data.strip():
        yield ReadError(path.name, "read", "empty", "the file is empty" if not data else "the file holds only white space")
        return
    try:
        text, encoding = decode_bytes(data)
    except DecodeError as exc:
        yield ReadError(path.name, "decode", exc.kind, str(exc))
        return
    if not text.strip():
        yield ReadError(path.name, "read", "empty", "the file holds only white space")
        return
    reader = _read_html if suffix in (".html", ".htm") else _read_text_file
    yield from reader(path, text, encoding)


def read_path(path: Path, default_published: dt.date | None = None) -> Iterator[RawDocument | ReadError]:
    """One file -> its documents (many for JSONL) and errors; never raises for bad content.

    `default_published` fills the date of documents that state none.
    """
    path = Path(path)
    try:
        for item in _read_file(path):
            if isinstance(item, RawDocument) and item.published is None and default_published is not None:
                item = dataclasses.replace(item, published=default_published)
            yield item
    except OSError as exc:  # vanished, unreadable, link loop: between discovery and now
        yield _os_error(path.name, exc)


def iter_documents(inputs: Sequence[str | Path], default_published: dt.date | None = None) -> Iterator[RawDocument | ReadError]:
    """Every document and error of every input, in sorted file order."""
    files, errors = discover(inputs)
    yield from errors
    for path in files:
        yield from read_path(path, default_published)
