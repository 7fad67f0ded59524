"""Gazetteer of real leaders: heads of state and government, foreign ministers, spokespersons.

Data lives in `models/gazetteers/leaders.yaml` (plus `leaders.yaml` in a user rule folder),
one entry per person with their ISO3 country and dated terms of office. The statistical NER
misses or mislabels many such names (hyphenated Central Asian names come out as ORG), and a
title alone does not say which country a person serves; the gazetteer supplies both. Terms
carry dates so that a role is read as of the document's publication date: a person who
became prime minister in 2022 is not one in a 2018 text.
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator

from pipeline.records import Role
from pipeline.rules.loader import MODELS_DIR, Rule, RuleFile, load_rule_file, merge_rule_files

LEADERS_FILE = MODELS_DIR / "gazetteers" / "leaders.yaml"
_DATE = r"^\d{4}(-\d{2}(-\d{2})?)?$"
#: Rank used when several terms overlap (a president who is also foreign minister is a head of state).
ROLE_RANK: dict[str, int] = {
    "head_of_state": 6, "head_of_government": 5, "minister": 4, "diplomat": 3, "official": 2, "other": 1,
}
_INITIAL = re.compile(r"^(?:[a-z]\.)+$|^(?:jr|sr)\.?$")


class Term(BaseModel):
    """One term of office; `since`/`until` are ISO dates, months or years (open `until`: still serving)."""

    model_config = ConfigDict(extra="forbid")
    role: Role = Field(description="Coarse role in this office.")
    title: str = Field(description="Title of the office ('President', 'Foreign Minister').")
    since: str = Field(pattern=_DATE, description="Start of the term (YYYY, YYYY-MM or YYYY-MM-DD).")
    until: str | None = Field(None, pattern=_DATE, description="End of the term; null while in office.")

    def covers(self, day: str) -> bool:
        """Is the ISO date `day` inside the term? Partial dates cover their whole month or year."""
        return self.since <= day and (self.until is None or day <= self.until + "-99")


class Leader(Rule):
    """One real person; `id` (e.g. `leader.kaz.tokayev`) lands in the `rule` column."""

    name: str = Field(min_length=2, description="Full name in its usual English form.")
    aliases: list[str] = Field(default_factory=list, description="Other written forms; one-word forms are surnames.")
    country: str | None = Field(pattern=r"^[A-Z]{3}$", description="ISO3 of the country served; null for UN, EU ... officials.")
    terms: list[Term] = Field(min_length=1, description="Offices held, with dates.")

    @field_validator("country")
    @classmethod
    def _known_country(cls, value: str | None) -> str | None:
        from pipeline.countries import countries

        if value is not None and value not in countries().names:
            raise ValueError(f"unknown ISO3 code {value!r}")
        return value

    def term_on(self, day: dt.date | None) -> Term | None:
        """The office held on `day`: the highest-ranked active term, else the last one that ended.

        None when every term starts after `day` (the person held no listed office yet). Without a
        date, the most recent term.
        """
        if day is None:
            return max(self.terms, key=lambda t: (t.since, ROLE_RANK[t.role]))
        iso = day.isoformat()
        active = [t for t in self.terms if t.covers(iso)]
        if active:
            return max(active, key=lambda t: ROLE_RANK[t.role])
        ended = [t for t in self.terms if t.until is not None and t.until < iso]
        return max(ended, key=lambda t: t.until or "") if ended else None


class LeaderFile(RuleFile):
    leaders: list[Leader] = Field(description="The people, one entry each.")


@lru_cache(maxsize=16384)
def name_key(text: str) -> str:
    """Comparison key of a personal name: accents, case, quotes, hyphens, initials and suffixes dropped.

    "Joseph R. Biden Jr." and "Joseph Biden" share a key, as do "Kim Jong-un" and "Kim Jong Un".
    """
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = re.sub(r"['’‘`]s\b", "", text)
    text = re.sub(r"[‐\-–]", " ", text.replace("’", "'"))
    words = [w for w in re.split(r"[\s,]+", text) if w and not _INITIAL.match(w)]
    return " ".join(words)


def leader_files(rules_dirs: Iterable[Path | str] = ()) -> list[Path]:
    """The shipped gazetteer, then `leaders.yaml` or `gazetteers/leaders.yaml` of each user folder."""
    paths = [LEADERS_FILE]
    for folder in map(Path, rules_dirs):
        paths += [p for p in (folder / "leaders.yaml", folder / "gazetteers" / "leaders.yaml") if p.exists()]
    return paths


class Gazetteer:
    """Look leaders up by full name or, when unambiguous, by surname."""

    def __init__(self, rules_dirs: Iterable[Path | str] = ()) -> None:
        files = [load_rule_file(p, LeaderFile) for p in leader_files(rules_dirs)]
        data = merge_rule_files(files)
        self.leaders: dict[str, Leader] = {leader.id: leader for leader in data.leaders}
        self.full: dict[str, list[Leader]] = {}
        self.surnames: dict[str, list[Leader]] = {}
        for leader in self.leaders.values():
            for form in self.forms(leader):
                key = name_key(form)
                bucket = (self.full if " " in key else self.surnames).setdefault(key, [])
                if leader not in bucket:
                    bucket.append(leader)

    @staticmethod
    def forms(leader: Leader) -> list[str]:
        """The name and every alias."""
        return [leader.name, *leader.aliases]

    def lookup(self, name: str, day: dt.date | None = None, country: str | None = None,
               roles: Iterable[str] = ()) -> Leader | None:
        """The one leader this name denotes, or None when unknown or ambiguous.

        Ambiguity ("Premier Li", "Foreign Minister Wang") is resolved by the country the text gives,
        then by who was in office on `day`, then by the role the text's title implies.
        """
        key = name_key(name)
        found = self.full.get(key) or (self.surnames.get(key) if " " not in key else None) or []
        if country:
            found = [leader for leader in found if leader.country == country]
        if len(found) > 1 and day is not None:
            iso = day.isoformat()
            found = [leader for leader in found if any(t.covers(iso) for t in leader.terms)] or found
        wanted = set(roles)
        if len(found) > 1 and wanted:
            found = [leader for leader in found if (t := leader.term_on(day)) and t.role in wanted] or found
        return found[0] if len(found) == 1 else None
