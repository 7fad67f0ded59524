"""One normaliser from country names, short forms, demonyms and adjectives to ISO3.

Built on pycountry (official, common and short names of every ISO 3166-1 country) plus
`models/gazetteers/countries.yaml` for what pycountry lacks: demonyms ("Kazakh"),
capitals as metonyms ("Beijing"), and short forms ("the PRC"). Every extractor uses this one class,
so "China", "the People's Republic of China", "Chinese" and "China's" agree everywhere.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import pycountry
from pydantic import Field

from pipeline.rules.loader import MODELS_DIR, RuleFile, load_rule_file

COUNTRIES_FILE = MODELS_DIR / "gazetteers" / "countries.yaml"
_POSSESSIVE = re.compile(r"(?:'s|’s|'|’)$")
_LEADING = re.compile(r"^(?:the|of)\s+", re.IGNORECASE)
#: Texts whose answer `to_iso3` keeps.
_MEMO_SIZE = 16384
_SIDE = re.compile(r"\s+(?:side|government|authorities|people|delegation)$", re.IGNORECASE)


class CountryFile(RuleFile):
    aliases: dict[str, list[str]] = Field(description="ISO3 code -> names, demonyms and aliases.")
    capitals: dict[str, list[str]] = Field(default_factory=dict, description="ISO3 code -> seats of government, "
                                                                             "metonyms for their governments.")


def _key(text: str) -> str:
    text = re.sub(r"\s+", " ", text.replace("’", "'")).strip(" ,.;:\"“”")
    text = _LEADING.sub("", text)
    text = _POSSESSIVE.sub("", text)
    return text.casefold()


class CountryNormalizer:
    """Map a country mention to ISO 3166-1 alpha-3, or None when it is not a country."""

    def __init__(self, path: Path = COUNTRIES_FILE) -> None:
        self.index: dict[str, str] = {}
        for country in pycountry.countries:
            for attr in ("name", "official_name", "common_name"):
                name = getattr(country, attr, None)
                if name:
                    self.index[_key(name)] = country.alpha_3
        data = load_rule_file(path, CountryFile)
        for iso3, names in [*data.aliases.items(), *data.capitals.items()]:
            for name in names:
                self.index[_key(name)] = iso3
        #: Keys of the capitals: places in their own right, where a location keeps the city's name.
        self.capitals: set[str] = {_key(name) for names in data.capitals.values() for name in names}
        self.names: dict[str, str] = {
            c.alpha_3: getattr(c, "common_name", None) or c.name for c in pycountry.countries
        }
        self._memo: dict[str, str | None] = {}

    def to_iso3(self, text: str) -> str | None:
        """ISO3 for a name, short form, demonym or possessive; None if unknown.

        Answers are kept per text (the extractors ask about the same words again and again);
        the memo is emptied when it reaches `_MEMO_SIZE` texts."""
        if text not in self._memo:
            if len(self._memo) >= _MEMO_SIZE:
                self._memo.clear()
            self._memo[text] = self._to_iso3(text)
        return self._memo[text]

    def _to_iso3(self, text: str) -> str | None:
        key = _key(text)
        if key in self.index:
            return self.index[key]
        stripped = _SIDE.sub("", key)
        if stripped != key and stripped in self.index:
            return self.index[stripped]
        if len(key) == 3 and key.upper() in self.names:
            return key.upper()
        return None

    def name(self, iso3: str) -> str:
        """Common English name of an ISO3 code."""
        return self.names.get(iso3, iso3)

    def surface_forms(self) -> dict[str, str]:
        """Every known form (case-folded) -> ISO3, for building matchers."""
        return dict(self.index)


@lru_cache(maxsize=1)
def countries() -> CountryNormalizer:
    """The shared normaliser, built once per process."""
    return CountryNormalizer()


def to_iso3(text: str) -> str | None:
    """Shortcut: `to_iso3("Kazakhstan's")` -> 'KAZ'."""
    return countries().to_iso3(text)
