"""Schema and loader of the cleaning rules (`models/cleaning/boilerplate.yaml`).

The rules are data so that a user can drop a site's boilerplate line or a new agency byline
without touching code: a `boilerplate.yaml` in a folder passed as `rules_dirs` is merged with
the shipped file (same id replaces, new id appends). Every pattern is compiled while the file
is validated, so a broken regex fails at load time with the file and the entry named.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator, model_validator

from pipeline.rules.loader import MODELS_DIR, Rule, RuleFile, load_rule_file, merge_rule_files

#: The shipped cleaning rules.
RULES_FILE = MODELS_DIR / "cleaning" / "boilerplate.yaml"
#: Placeholder in byline patterns, replaced by the alternation of the file's `agencies`.
AGENCY_SLOT = "{agency}"


def _check_regex(pattern: str, flags: int = 0) -> str:
    """Compile once as a sub-expression, the way the cleaner will use it."""
    try:
        re.compile(f"(?:{pattern})", flags | re.MULTILINE)
    except re.error as exc:
        raise ValueError(f"not a valid regular expression ({exc}); use scoped flags like (?i:...)") from exc
    return pattern


class MarkupRule(Rule):
    """A substitution that removes markup; `phase` says whether it needs the raw lines."""

    phase: Literal["block", "inline"] = Field(description="block: before wrapped lines are re-joined; inline: after.")
    pattern: str = Field(description="Regular expression (re.MULTILINE).")
    replace: str = Field("", description="Replacement; may use group references like \\1.")
    ignore_case: bool = Field(False, description="Match case-insensitively.")
    dotall: bool = Field(False, description="Let '.' match line breaks (for multi-line blocks).")

    @model_validator(mode="after")
    def _compiles(self) -> MarkupRule:
        _check_regex(self.pattern, self.flags)
        return self

    @property
    def flags(self) -> int:
        return re.MULTILINE | (re.IGNORECASE if self.ignore_case else 0) | (re.DOTALL if self.dotall else 0)


class LineRule(Rule):
    """A boilerplate line: a line whose stripped text fully matches `pattern` is dropped."""

    pattern: str = Field(description="Regular expression matched against the whole stripped line.")
    ignore_case: bool = Field(True, description="Match case-insensitively (the default: site furniture varies in case).")

    @field_validator("pattern")
    @classmethod
    def _compiles(cls, value: str) -> str:
        if re.fullmatch(rf"[ \t]*(?:{_check_regex(value)})[ \t]*", ""):
            raise ValueError("a boilerplate line pattern must not match a blank line (it would merge paragraphs)")
        return value


class BylineRule(Rule):
    """A trailing byline; the named group `name` is recorded as the document's byline."""

    pattern: str = Field(description="Regular expression with a group (?P<name>...); {agency} = known agencies.")
    trailing: bool = Field(False, description="Match at the end of the last paragraph instead of a whole last line.")

    @field_validator("pattern")
    @classmethod
    def _has_name_group(cls, value: str) -> str:
        compiled = re.compile(_check_regex(value.replace(AGENCY_SLOT, "Agency")))
        if "name" not in compiled.groupindex:
            raise ValueError("a byline pattern needs a named group (?P<name>...)")
        return value


class CleaningRules(RuleFile):
    """The whole cleaning rule file."""

    agencies: list[str] = Field(default_factory=list, description="News agencies named in bylines ('Xinhua').")
    markup: list[MarkupRule] = Field(default_factory=list, description="Markup substitutions, in order.")
    lines: list[LineRule] = Field(default_factory=list, description="Boilerplate lines to drop.")
    bylines: list[BylineRule] = Field(default_factory=list, description="Trailing byline patterns, tried in order.")


@dataclass(frozen=True)
class CompiledMarkup:
    id: str
    regex: re.Pattern[str]
    replace: str


@dataclass(frozen=True)
class CompiledByline:
    id: str
    regex: re.Pattern[str]
    trailing: bool


@dataclass(frozen=True)
class CompiledRules:
    """Everything the cleaner needs, compiled once."""

    block: tuple[CompiledMarkup, ...]
    inline: tuple[CompiledMarkup, ...]
    lines: re.Pattern[str] | None  # one alternation; group gN is the Nth line rule
    line_ids: tuple[str, ...]
    bylines: tuple[CompiledByline, ...]


def load_cleaning_rules(rules_dirs: Iterable[Path | str] = ()) -> CleaningRules:
    """The shipped rules merged with `<dir>/boilerplate.yaml` of each user folder."""
    paths = [RULES_FILE] + [Path(d) / RULES_FILE.name for d in rules_dirs if (Path(d) / RULES_FILE.name).exists()]
    return merge_rule_files([load_rule_file(p, CleaningRules) for p in paths])


def compile_rules(rules: CleaningRules) -> CompiledRules:
    """Compile every pattern; line rules become a single regex so a text is scanned once."""
    markup = [CompiledMarkup(r.id, re.compile(r.pattern, r.flags), r.replace) for r in rules.markup]
    phases = {r.id: r.phase for r in rules.markup}
    # Longest names first, so "Xinhua News Agency" wins over "Xinhua".
    agencies = "|".join(re.escape(a) for a in sorted(set(rules.agencies), key=len, reverse=True)) or "(?!)"
    bylines = tuple(
        CompiledByline(r.id, re.compile(r.pattern.replace(AGENCY_SLOT, f"(?:{agencies})"), re.MULTILINE), r.trailing)
        for r in rules.bylines
    )
    line_regex = None
    if rules.lines:
        alternatives = "|".join(
            f"(?P<g{i}>(?{'i' if r.ignore_case else '-i'}:{r.pattern}))" for i, r in enumerate(rules.lines)
        )
        # Boilerplate dressed as markup ("**Share this:**", "### Related news") is still boilerplate.
        # One character per step and possessive, so a line of 10,000 "#" cannot backtrack.
        line_regex = re.compile(
            rf"^(?:[ \t#>*_]|[-+•][ \t])*+(?:{alternatives})[ \t#*_]*(?:\n|\Z)", re.MULTILINE
        )
    return CompiledRules(
        block=tuple(m for m in markup if phases[m.id] == "block"),
        inline=tuple(m for m in markup if phases[m.id] == "inline"),
        lines=line_regex,
        line_ids=tuple(r.id for r in rules.lines),
        bylines=bylines,
    )
