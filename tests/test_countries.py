"""The shared country normaliser: names, short forms, demonyms, adjectives and possessives to ISO3."""
from __future__ import annotations

import pytest

from pipeline.countries import countries, to_iso3


@pytest.mark.parametrize(
    ("text", "iso3"),
    [
        ("China", "CHN"),
        ("the People's Republic of China", "CHN"),
        ("the People’s Republic of China", "CHN"),
        ("Chinese", "CHN"),
        ("PRC", "CHN"),
        ("Kazakh", "KAZ"),
        ("Kazakhstan's", "KAZ"),
        ("the Republic of Kazakhstan", "KAZ"),
        ("Russian Federation", "RUS"),
        ("the Republic of Iraq", "IRQ"),
        ("Iraqi", "IRQ"),
        ("U.S.", "USA"),
        ("the United States", "USA"),
        ("American", "USA"),
        ("DPRK", "PRK"),
        ("Türkiye", "TUR"),
        ("Djibouti’s", "DJI"),
        ("Djiboutian", "DJI"),
        ("Malaysian", "MYS"),
        ("Uzbek", "UZB"),
        ("Kyrgyz Republic", "KGZ"),
        ("Emirati", "ARE"),
        ("Senegalese", "SEN"),
        ("Côte d'Ivoire", "CIV"),
        ("Ivorian", "CIV"),
        ("Azerbaijani", "AZE"),
        ("Bruneian", "BRN"),
        ("Ecuadorian", "ECU"),
        ("Chinese side", "CHN"),
        ("Viet Nam", "VNM"),
    ],
)
def test_country_forms(text: str, iso3: str) -> None:
    assert to_iso3(text) == iso3


@pytest.mark.parametrize(
    "text",
    ["Asia", "European", "Belt and Road", "Central Asia", "Shanghai Cooperation Organization", "the", "", "Silk Road"],
)
def test_not_countries(text: str) -> None:
    assert to_iso3(text) is None


def test_names_and_forms() -> None:
    normaliser = countries()
    assert normaliser.name("KAZ") == "Kazakhstan"
    assert normaliser.surface_forms()["kazakh"] == "KAZ"
