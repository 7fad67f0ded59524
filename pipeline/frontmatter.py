"""YAML front matter of `.txt`/`.md` inputs, and the dates found in metadata.

A front-matter block is a `---` line at the very top, YAML, and a closing `---` (or `...`)
line. Known keys: title, published (or date), source (the publisher), url, language, byline
(or author/authors); see ALIASES for the other spellings read. It is read with `yaml.safe_load` only: a `!!python/object` tag is an error, never a
constructed object. A block that is not valid YAML is still cut off (it is metadata, not
prose) and reported, so the document is processed without its metadata.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

import yaml

#: Front matter longer than this is not metadata but a document that starts with a rule line.
MAX_FRONT_MATTER_CHARS = 64 * 1024
#: The keys we read; other keys (tags, authors ...) are ignored.
KEYS = ("title", "published", "source", "url", "language", "byline")
#: Other names publishers and scrapers use for the same fields (the names in KEYS win).
ALIASES = {
    "date": "published", "published_time": "published", "date_published": "published", "pubdate": "published",
    "publisher": "source", "site_name": "source", "sitename": "source",
    "link": "url", "source_url": "url", "canonical_url": "url",
    "lang": "language",
    "author": "byline", "authors": "byline",
}
_SPACES = re.compile(r"\s+")

#: Common written-out layouts, tried before dateparser (which is slow to import).
_LAYOUTS = ("%B %d, %Y", "%b %d, %Y", "%d %B %Y", "%d %b %Y", "%Y/%m/%d", "%d.%m.%Y")

# The closing `---` or `...` must start a line (the YAML block is empty or ends with a newline).
_BLOCK = re.compile(r"\A---[ \t]*\r?\n(?P<yaml>(?:.*?\n)??)(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.DOTALL)
# The first content line of real front matter is a `key:` pair (or a comment).
_LOOKS_LIKE_YAML = re.compile(r"\A\s*(?:#.*\n\s*)*[A-Za-z_][\w-]*[ \t]*:(?:[ \t]|$)", re.MULTILINE)


@dataclass
class FrontMatter:
    """What a front-matter block gave; `problems` are readable reasons for the errors table."""

    fields: dict[str, object] = field(default_factory=dict)
    problems: list[tuple[str, str]] = field(default_factory=list)  # (error kind, message)


def split_front_matter(text: str) -> tuple[FrontMatter, str]:
    """Return the parsed front matter and the text after it (the text itself if it has none)."""
    match = _BLOCK.match(text)
    block = match.group("yaml") if match else ""
    if not match or len(block) > MAX_FRONT_MATTER_CHARS or block.strip() and not _LOOKS_LIKE_YAML.match(block):
        return FrontMatter(), text
    body = text[match.end() :]
    if not block.strip():
        return FrontMatter(), body
    try:
        data = yaml.safe_load(block)
    except yaml.constructor.ConstructorError as exc:
        return FrontMatter(problems=[("bad_front_matter", f"front matter uses a YAML tag that is not allowed ({exc.problem}); read without it")]), body
    except yaml.YAMLError as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        return FrontMatter(problems=[("bad_front_matter", f"front matter is not valid YAML ({reason}); read without it")]), body
    if not isinstance(data, dict):
        return FrontMatter(problems=[("bad_front_matter", "front matter is not a mapping of keys; read without it")]), body
    return read_fields(data), body


def read_fields(data: dict) -> FrontMatter:
    """Pick and check the known metadata keys of a front-matter or JSONL mapping."""
    front = FrontMatter()
    for key, value in sorted(data.items(), key=lambda item: str(item[0]).lower() not in KEYS):
        name = ALIASES.get(str(key).lower(), str(key).lower())
        if name not in KEYS or value is None or name in front.fields:
            continue
        if name == "published":
            try:
                front.fields[name] = parse_date(value)
            except ValueError as exc:
                front.problems.append(("bad_date", f"{key}: {exc}; the document has no date"))
        elif name == "byline" and isinstance(value, list) and all(isinstance(v, str) for v in value):
            front.fields[name] = ", ".join(_SPACES.sub(" ", v).strip() for v in value) or None
        elif isinstance(value, (str, int, float)) and not isinstance(value, bool):
            # YAML's "\_" is a no-break space: titles get plain single spaces.
            front.fields[name] = _SPACES.sub(" ", str(value)).strip() or None
        else:
            front.problems.append(("bad_metadata", f"{key}: expected text, got {type(value).__name__}; ignored"))
    return front


def parse_date(value: object) -> dt.date:
    """A publication date from YAML/JSON: a date, an ISO string, or a written-out date."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{value!r} is not a date")
    text = value.strip()
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        pass
    if sum(ch.isdigit() for ch in text) < 3:  # a full date has digits for its day and year
        raise ValueError(f"{text!r} is not a full date (day, month and year)")
    for layout in _LAYOUTS:
        try:
            return dt.datetime.strptime(text, layout).date()
        except ValueError:
            continue
    import dateparser  # slow to import; only for dates in none of the common layouts

    parsed = dateparser.parse(text, settings={
        "STRICT_PARSING": True, "REQUIRE_PARTS": ["day", "month", "year"],
        "PARSERS": ["custom-formats", "absolute-time"],  # a publication date is never "next week"
    })
    if parsed is None:
        raise ValueError(f"{text!r} is not a full date (day, month and year)")
    return parsed.date()
