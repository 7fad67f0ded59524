"""Numeric claims: tables of real-style phrasings, near misses, rule sweep and user rule files."""
from __future__ import annotations

import functools
import re
from datetime import date
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.components.numeric_claims import NumericClaimExtractor, PatternSpans, _alternation, load_numeric_rules
from pipeline.nlp import BLANK, build_nlp
from pipeline.rules.loader import RuleFileError, iter_rules

PUB = date(2024, 7, 2)


@pytest.fixture(scope="module")
def nc_nlp():
    """The model plus this component only, so other extractors' work in progress cannot break it."""
    return build_nlp(extractors=["diplo_numeric_claims"])


@pytest.fixture(scope="module")
def blank_nlp():
    return build_nlp(BLANK, extractors=["diplo_numeric_claims"])


def run(nlp, text: str, published: date | None = PUB, rules_dirs=None):
    doc = nlp.make_doc(text)
    doc._.published = published
    for name, proc in nlp.pipeline:
        if rules_dirs is not None and name == "diplo_numeric_claims":
            proc = NumericClaimExtractor(rules_dirs)
        doc = proc(doc)
    return doc


def claims(nlp, text, published=PUB):
    return [(c.text, c.value, c.unit, c.qualifier, c.period) for c in run(nlp, text, published)._.numeric_claims]


# sentence, expected [(text, value, unit, qualifier, period)]
POSITIVES = [
    # money: symbols, codes, words, scales
    ("Last year, our two-way trade registered a record high of US$41 billion.",
     [("US$41 billion", 41e9, "USD", "exact", "2023")]),
    ("The bank approved a loan of $500 million for the highway.", [("$500 million", 5e8, "USD", "exact", None)]),
    ("The two sides signed deals worth USD 3.2 billion at the forum.", [("USD 3.2 billion", 3.2e9, "USD", "exact", None)]),
    ("China will provide RMB 600 million in grants to the member states.",
     [("RMB 600 million", 6e8, "CNY", "exact", None)]),
    ("The fund holds 40 billion yuan of capital.", [("40 billion yuan", 4e10, "CNY", "exact", None)]),
    ("Kazakhstan allocated 120 billion tenge to the programme in 2023.",
     [("120 billion tenge", 1.2e11, "KZT", "exact", "2023")]),
    ("Bilateral settlements in rubles exceeded 3 trillion rubles.", [("3 trillion rubles", 3e12, "RUB", "exact", None)]),
    ("The European Union pledged €2.5 billion for the corridor.", [("€2.5 billion", 2.5e9, "EUR", "exact", None)]),
    ("London announced a £300 million package for the region.", [("£300 million", 3e8, "GBP", "exact", None)]),
    ("India approved 5,000 crore rupees for the port.", [("5,000 crore rupees", 5e10, "INR", "exact", None)]),
    ("Investment totalled $3.5bn over the period.", [("$3.5bn", 3.5e9, "USD", "exact", None)]),
    ("Aid of $45m was approved.", [("$45m", 45e6, "USD", "exact", None)]),
    ("The Saudi side announced its $600-billion commitment to invest.", [("$600-billion", 6e11, "USD", "exact", None)]),
    ("Exports reached 12 billion dollars.", [("12 billion dollars", 1.2e10, "USD", "exact", None)]),
    # qualifiers
    ("In recent weeks, more than $30 billion in projects have been scrapped.",
     [("more than $30 billion", 3e10, "USD", "over", "2024")]),
    ("The agreement is worth nearly $142 billion.", [("nearly $142 billion", 1.42e11, "USD", "about", None)]),
    ("About 30 percent of the maritime commerce in the world passes through the strait.",
     [("About 30 percent", 30.0, "percent", "about", None)]),
    ("The terminal can handle up to 500,000 containers a year.",
     [("up to 500,000", 5e5, "container", "up_to", None)]),
    ("At least 12 people were injured in the blast.", [("At least 12", 12.0, "people", "at_least", None)]),
    ("Fewer than 40 projects remain on hold.", [("Fewer than 40", 40.0, "project", "under", None)]),
    ("Around 2,500 students study at the campus.", [("Around 2,500", 2500.0, "student", "about", None)]),
    ("Xi Jinping attended over 20 bilateral and multilateral events.", [("over 20", 20.0, "event", "over", None)]),
    # counts: digits and words, the counted noun singular
    ("Last year, a total of 600,000 cross-border trips were recorded.",
     [("600,000", 6e5, "trip", "exact", "2023")]),
    ("Subnational cooperation is booming, with the number of sister cities increasing to 26 pairs.",
     [("26", 26.0, "pair", "exact", None)]),
    ("The two countries signed over ten cooperation documents.", [("over ten", 10.0, "document", "over", None)]),
    ("The delegations exchanged 24 MOUs on trade and transport.", [("24", 24.0, "mou", "exact", None)]),
    ("The leaders have met 11 times since 2013.", [("11", 11.0, "time", "exact", None)]),
    ("Thirty-two Kazakh students received scholarships.", [("Thirty-two", 32.0, "student", "exact", None)]),
    ("The package draws on equipment from over a dozen U.S. defense firms.",
     [("over a dozen", 12.0, "firm", "over", None)]),
    ("The railway links two continents and three oceans.",
     [("two", 2.0, "continent", "exact", None), ("three", 3.0, "ocean", "exact", None)]),
    ("Analysts said 23 of the 68 countries are at risk.",
     [("23", 23.0, "country", "exact", None), ("68", 68.0, "country", "exact", None)]),
    ("The zone will occupy more than 48 square kilometers when finished.",
     [("more than 48", 48.0, "square kilometer", "over", None)]),
    ("The commission set up three working groups.", [("three", 3.0, "working group", "exact", None)]),
    ("The project will take 10 years to complete.", [("10", 10.0, "year", "exact", None)]),
    ("Within a short time of over 60 hours, the President attended the events.",
     [("over 60", 60.0, "hour", "over", None)]),
    ("Workers began the 1,000-unit housing project.", [("1,000", 1000.0, "unit", "exact", None)]),
    ("The project created 1.2 million jobs.", [("1.2 million", 1.2e6, "job", "exact", None)]),
    # vague magnitudes
    ("President Biden condemned the deployment of thousands of DPRK troops.",
     [("thousands", 1000.0, "troop", "over", None)]),
    ("Hundreds of students study in the program.", [("Hundreds", 100.0, "student", "over", None)]),
    # percentages and ranges
    ("Growth slowed to 3.5% in the first quarter of this year.", [("3.5%", 3.5, "percent", "exact", "2024-Q1")]),
    ("By the end of 2016, the country's debt had reached more than 86 percent of its GDP.",
     [("more than 86 percent", 86.0, "percent", "over", "2016")]),
    ("The central bank cut the rate by 0.25 percentage points.",
     [("0.25 percentage points", 0.25, "percent", "exact", None)]),
    # a range is its lower bound, at_least (numeric_claims.range.v1)
    ("Tariffs will fall by 3 to 5 percent.", [("3 to 5 percent", 3.0, "percent", "at_least", None)]),
    ("The plan needs between 10 and 12 billion euros.", [("10 and 12 billion euros", 1e10, "EUR", "at_least", None)]),
    # periods
    ("In 2024, goods trade totaled $25.9 billion, with exports at $13.2 billion.",
     [("$25.9 billion", 2.59e10, "USD", "exact", "2024"), ("$13.2 billion", 1.32e10, "USD", "exact", "2024")]),
    ("Saudi direct investment in the United States totaled $9.5 billion in 2023.",
     [("$9.5 billion", 9.5e9, "USD", "exact", "2023")]),
    ("In late August, the government canceled more than $20 billion in projects.",
     [("more than $20 billion", 2e10, "USD", "over", "2024-08")]),
    ("The cabinet made a decision late last year to cancel a $14 billion dam project.",
     [("$14 billion", 1.4e10, "USD", "exact", None)]),
    ("In the first five months of this year, trade rose 10 percent.",
     [("10 percent", 10.0, "percent", "exact", "2024-01/2024-05")]),
    ("Chinese investment in Africa fell 7.6% to $3.7 billion in 2023.",
     [("7.6%", 7.6, "percent", "exact", "2023"), ("$3.7 billion", 3.7e9, "USD", "exact", "2023")]),
    ("On Monday, the President announced $5 billion in aid.", [("$5 billion", 5e9, "USD", "exact", None)]),
    ("As of March 31, 2024, the debt stood at $12 billion.", [("$12 billion", 1.2e10, "USD", "exact", "2024-03-31")]),
    ("Late last year, the company leased 15,000 acres of land.", [("15,000", 1.5e4, "acre", "exact", None)]),
    ("China's 1.4 billion people form a huge market.", [("1.4 billion", 1.4e9, "people", "exact", None)]),
    ("The bridge is 500 m long.", [("500", 500.0, "meter", "exact", None)]),
    ("The bank lent hundreds of millions of dollars to the project.",
     [("hundreds of millions", 1e8, "USD", "over", None)]),
    ("More than 4.4 million Americans are employed by Japanese companies.",
     [("More than 4.4 million", 4.4e6, "american", "over", None)]),
    ("The Quad committed to deliver 1.2 billion vaccine doses.", [("1.2 billion", 1.2e9, "dose", "exact", None)]),
    ("About two-thirds of the 1,500 participants came from developing countries.",
     [("About two-thirds", 66.6667, "percent", "about", None), ("1,500", 1500.0, "participant", "exact", None)]),
    ("Trade hit a record $41 billion last year, up 20 percent from 2022.",
     [("$41 billion", 4.1e10, "USD", "exact", "2023"), ("20 percent", 20.0, "percent", "exact", "2023")]),
    ("Since 2013, China has invested $50 billion in the region.", [("$50 billion", 5e10, "USD", "exact", None)]),
    ("The 2022 report said 23 countries were at risk.", [("23", 23.0, "country", "exact", None)]),
    ("The project, launched in 2015, employs 3,000 workers.", [("3,000", 3000.0, "worker", "exact", None)]),
    ("Investments could lift 7.6 million people from extreme poverty and 32 million from moderate poverty.",
     [("7.6 million", 7.6e6, "people", "exact", None), ("32 million", 3.2e7, "people", "exact", None)]),
    ("China And Kazakhstan Sign 20 Cooperation Deals", [("20", 20.0, "deal", "exact", None)]),
    # a change: two figures, the first in the unit of the second
    ("Trade grew from 3 to 5 percent of GDP.",
     [("3", 3.0, "percent", "exact", None), ("5 percent", 5.0, "percent", "exact", None)]),
]


def test_value_max_and_subject(nc_nlp):
    (claim,) = run(nc_nlp, "Tariffs will fall by 3 to 5 percent.")._.numeric_claims
    assert (claim.value, claim.value_max) == (3.0, 5.0)
    (trips,) = run(nc_nlp, "Last year, a total of 600,000 cross-border trips were recorded.")._.numeric_claims
    assert trips.subject == "cross-border trips"
    (trade,) = run(nc_nlp, "Last year, our two-way trade registered a record high of US$41 billion.")._.numeric_claims
    assert trade.subject == "two-way trade"


def test_record_provenance(nc_nlp):
    text = "Intro line.\nThe fund holds 40 billion yuan of capital."
    (claim,) = run(nc_nlp, text)._.numeric_claims
    assert text[claim.start:claim.end] == claim.text == "40 billion yuan"
    assert claim.sentence == "The fund holds 40 billion yuan of capital."
    assert claim.rule == "numeric_claims.currency.cny.v1"


NEAR_MISSES = [
    "Our two countries have always supported each other.",
    "The two heads of state held talks in Astana.",
    "Their two nations share a long border.",
    "Over the past four years, the two sides held many meetings.",
    "Thirty-two years ago, China recognized Kazakhstan's independence.",
    "It was in Kazakhstan eleven years ago that I first proposed the initiative.",
    "Over 2,000 years ago, a royal emissary led a mission to the Western Regions.",
    "From June 7 to 10, 2017, President Xi paid a state visit.",
    "He will attend the 24th Meeting of the Council of Heads of State.",
    "This will be my fifth visit to your country.",
    "First, we need to consolidate mutual trust.",
    "Xi attended the opening ceremony of Astana Expo 2017.",
    "The two sides proposed a five-year implementation outline.",
    "Both sides will jointly combat the three evil forces.",
    "In Kazakhstan, people say that five fingers held together make a powerful fist.",
    "As the saying goes, two heads are better than one.",
    "The two documents were signed by the ministers.",
    "Iraq could become energy self-sufficient in ten years.",
    "Nearly ten years after the liberation of Mosul, the city is rebuilt.",
    "From day one, the administration put America first.",
    "Hambantota is one example of the trend.",
    "The three Joint Communiques remain the foundation.",
    "The Six-Party Talks were held for multiple times.",
    "Implementing the 2030 Agenda for Sustainable Development is a priority.",
    "Britain will allow Huawei to build parts of its 5G network.",
    "(1) Air Force and Space Capabilities;",
    "The airline ordered Boeing 737 aircraft.",
    "The last four months have seen strong growth.",
    "China and Kazakhstan will cooperate in the years to come.",
    "The talks began at 10 a.m. local time.",
    "The Group of Seven met under Resolution 2231 during the COVID-19 pandemic.",
    "China is Kazakhstan's No. 1 trading partner.",
    "The G20 summit was held after 9/11.",
    "Ministers met from 10:30 to 12:00.",
    "The 1990s saw rapid growth.",
    "Section 1 of the Act sets out the reporting duty.",
    "The ministers held the 2+2 dialogue in Tokyo.",
]


@pytest.mark.parametrize("sentence", NEAR_MISSES, ids=[s[:40] for s in NEAR_MISSES])
def test_near_misses(nc_nlp, sentence):
    assert claims(nc_nlp, sentence) == []


def test_no_period_without_publication_date(nc_nlp):
    assert claims(nc_nlp, "Last year, a total of 600,000 cross-border trips were recorded.", None) == [
        ("600,000", 6e5, "trip", "exact", None)
    ]


def test_repeated_figures_are_separate_claims(nc_nlp):
    text = "The $600 billion package is historic. The $600 billion in investment builds on it."
    assert [c.value for c in run(nc_nlp, text)._.numeric_claims] == [6e11, 6e11]


def test_vague_money_takes_the_document_currency(nc_nlp):
    text = "The deal is worth $5 billion. The president secured billions in commercial deals."
    units = [(c.text, c.unit) for c in run(nc_nlp, text)._.numeric_claims]
    assert units == [("$5 billion", "USD"), ("billions", "USD")]


def test_elliptical_count_takes_previous_unit(nc_nlp):
    text = "He said 23 of the 68 countries are at risk. Another eight, including Djibouti, are vulnerable."
    assert [(c.text, c.unit) for c in run(nc_nlp, text)._.numeric_claims][-1] == ("eight", "country")


def test_blank_model_does_not_crash(blank_nlp):
    doc = run(blank_nlp, "Last year, a total of 600,000 cross-border trips were recorded. Our two countries agree.")
    assert [(c.text, c.value, c.unit, c.period) for c in doc._.numeric_claims] == [("600,000", 6e5, "trip", "2023")]


# ---------------------------------------------------------------- rule files
def test_rule_sweep(nc_nlp):
    """Every rule loads, has a unique id, and fires on each of its own examples."""
    rules = load_numeric_rules()
    ids = [r.id for r in iter_rules(rules)]
    assert len(ids) == len(set(ids))
    extractor = NumericClaimExtractor()
    for rule in iter_rules(rules):
        assert rule.examples, f"{rule.id} has no examples"
        for example in rule.examples:
            doc = run(nc_nlp, example)
            traces = extractor.analyse(doc)
            fired = {rid for fig, _ in traces for rid in (*fig.fired, fig.veto) if rid}
            assert rule.id in fired, f"{rule.id} does not fire on {example!r}"


def write_rules(folder: Path, data: dict) -> str:
    folder.mkdir(exist_ok=True)
    base = {"description": "user rules"}
    (folder / "numeric_claims.yaml").write_text(yaml.safe_dump({**base, **data}), encoding="utf-8")
    return str(folder)


def test_user_currency_changes_output(nc_nlp, tmp_path):
    sentence = "Georgia invested 30 billion lari in the port."
    assert claims(nc_nlp, sentence)[0][2] == "lari"  # a counted noun until the currency is known
    user = write_rules(tmp_path / "rules", {"currencies": [
        {"id": "user.currency.gel.v1", "code": "GEL", "after": ["lari"], "examples": [sentence]}]})
    doc = run(nc_nlp, sentence, rules_dirs=[user])
    assert [(c.value, c.unit, c.rule) for c in doc._.numeric_claims] == [(3e10, "GEL", "user.currency.gel.v1")]


def test_user_exclusion_changes_output(nc_nlp, tmp_path):
    sentence = "The Group of 77 held its annual meeting."
    assert claims(nc_nlp, sentence) != []
    user = write_rules(tmp_path / "rules", {"exclusions": [
        {"id": "user.exclude.g77.v1", "pattern": "\\bGroup\\s+of\\s+{NUM}\\b"}]})
    assert run(nc_nlp, sentence, rules_dirs=[user])._.numeric_claims == []


def test_user_range_rule_changes_output(nc_nlp, tmp_path):
    """The range rule replaced by id: its qualifier and its words of change are data."""
    sentence = "The grace period varies from five to eight years."
    assert claims(nc_nlp, sentence) == [("five to eight", 5.0, "year", "at_least", None)]
    user = write_rules(tmp_path / "rules", {"ranges": [
        {"id": "numeric_claims.range.v1", "qualifier": "exact", "change_words": ["varies"]}]})
    got = [(c.text, c.qualifier) for c in run(nc_nlp, sentence, rules_dirs=[user])._.numeric_claims]
    assert got == [("five", "exact"), ("eight", "exact")]
    other = write_rules(tmp_path / "rules2", {"ranges": [{"id": "numeric_claims.range.v1", "qualifier": "about"}]})
    assert [c.qualifier for c in run(nc_nlp, sentence, rules_dirs=[other])._.numeric_claims] == ["about"]


def test_user_fraction_before_determiner_is_data(nc_nlp, tmp_path):
    sentence = "Half the world's population lives in the region."
    assert claims(nc_nlp, sentence) == [("Half", 50.0, "percent", "exact", None)]
    user = write_rules(tmp_path / "rules", {"fractions": [
        {"id": "numeric_claims.fraction.half.v1", "value": 50, "words": ["half"], "before_determiner": False}]})
    assert run(nc_nlp, sentence, rules_dirs=[user])._.numeric_claims == []


def test_user_qualifier_changes_output(nc_nlp, tmp_path):
    sentence = "Trade rose to upward of 40 percent of GDP."
    user = write_rules(tmp_path / "rules", {"qualifiers": [
        {"id": "user.qualifier.upward.v1", "qualifier": "over", "words": ["upward of"]}]})
    assert [c.qualifier for c in run(nc_nlp, sentence, rules_dirs=[user])._.numeric_claims] == ["over"]
    assert claims(nc_nlp, sentence)[0][3] == "exact"


@pytest.mark.parametrize(
    "entry,where",
    [
        ({"id": "bad.currency.v1", "code": "dollars"}, "currencies[0] (id=bad.currency.v1)"),
        ({"id": "bad.currency.v1", "code": "USD", "symbol": "$"}, "currencies[0] (id=bad.currency.v1)"),
    ],
)
def test_invalid_rule_file_fails_fast(tmp_path, entry, where):
    user = write_rules(tmp_path / "rules", {"currencies": [entry]})
    with pytest.raises(RuleFileError) as info:
        NumericClaimExtractor([user])
    assert where in str(info.value) and "numeric_claims.yaml" in str(info.value)


def test_exclusion_needs_check_or_pattern(tmp_path):
    user = write_rules(tmp_path / "rules", {"exclusions": [
        {"id": "bad.exclusion.v1"}]})
    with pytest.raises(RuleFileError, match="bad.exclusion.v1"):
        NumericClaimExtractor([user])


def test_bad_pattern_fails_fast(tmp_path):
    user = write_rules(tmp_path / "rules", {"exclusions": [
        {"id": "bad.pattern.v1", "pattern": "(unclosed"}]})
    with pytest.raises(RuleFileError, match="bad.pattern.v1") as info:
        NumericClaimExtractor([user])
    assert info.value.path == str(Path(user) / "numeric_claims.yaml") and "regular expression" in info.value.reason


@settings(max_examples=150, deadline=None)
@given(st.integers(min_value=1, max_value=10**13), st.sampled_from(["$", "US$", "€", "RMB "]))
def test_formatted_money_reads_back(value, symbol):
    """A figure written the way the normaliser formats it is found with the same value."""
    extractor = _extractor()
    text = f"Bilateral trade reached {symbol}{extractor.parser.format(float(value))} last year."
    (figure,) = extractor.figures(text)
    assert figure.value == pytest.approx(value, rel=1e-9) and figure.kind == "money"


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=80))
def test_candidates_never_crash(text):
    for figure in _extractor().figures(text):
        assert text[figure.start:figure.end] == figure.text and figure.value >= 0


@functools.lru_cache(maxsize=1)
def _extractor() -> NumericClaimExtractor:
    return NumericClaimExtractor()


@pytest.mark.parametrize("text", ["", "   ", "\n\n", "$", "%"])
def test_empty_and_sign_only_texts(nc_nlp, text):
    assert run(nc_nlp, text)._.numeric_claims == []


# ---------------------------------------------------------------- families found on unseen texts
# Each family: several phrasings written for the rule, and the near misses it must leave alone.
FAMILIES = [
    # paragraph numbers standing as sentences of their own
    ("1.\n\nWe have convened as leaders of four nations.", [("four", 4.0, "nation", "exact", None)]),
    ("3.\nThe ministers reviewed progress.", []),
    ("12)\nThe parties agreed on the text.", []),
    # anaphoric counts after the things were named; a first mention or a defined set stays a claim
    ("Angola, Zambia and the DRC met. The three African countries endorsed the plan.", []),
    ("Once the corridor connecting all three countries is operational, trade will grow.", []),
    ("All the five members voted. Each of the four delegations spoke.", []),
    ("The four partners reaffirmed their commitment.", []),
    ("The cooperation covers four major aspects.", [("four", 4.0, "aspect", "exact", None)]),
    ("Both sides follow the four principles that guide their relations.",
     [("four", 4.0, "principle", "exact", None)]),
    ("The council set up the three committees: finance, trade and energy.",
     [("three", 3.0, "committee", "exact", None)]),
    ("The three-day visit ended in Nairobi.", [("three", 3.0, "day", "exact", None)]),
    ("The 27 member states approved the package.", [("27", 27.0, "state", "exact", None)]),
    # adjectival and vague money
    ("China is building a multibillion-dollar railway in the region.",
     [("multibillion-dollar", 1e9, "USD", "over", None)]),
    ("Africa is becoming a trillion-dollar market.", [("a trillion-dollar", 1e12, "USD", "over", None)]),
    ("The multi-billion euro package was approved.", [("multi-billion euro", 1e9, "EUR", "over", None)]),
    ("Million-dollar grants went to small firms.", [("Million-dollar", 1e6, "USD", "over", None)]),
    ("The firm won a 5-billion-dollar contract.", [("5-billion-dollar", 5e9, "USD", "exact", None)]),
    ("The bank lent half a billion dollars.", [("half a billion dollars", 5e8, "USD", "exact", None)]),
    ("A billion people live in the region.", [("A billion", 1e9, "people", "exact", None)]),
    # frequencies: the unit is the counted noun, "time"
    ("The leaders agreed to meet at least once a year.", [("at least once", 1.0, "time", "at_least", None)]),
    ("The joint commission meets twice a year.", [("twice", 2.0, "time", "exact", None)]),
    ("Flights will operate thrice a week.", [("thrice", 3.0, "time", "exact", None)]),
    ("Once the dam is completed, exports will grow.", []),
    ("Trade grew twice as fast as output.", []),
    ("He once again thanked the hosts.", []),
    # ages
    ("Mnangagwa, 75, joined the liberation struggle as a teenager.", [("75", 75.0, "year", "exact", None)]),
    ("The 81-year-old president received the envoy.", [("81", 81.0, "year", "exact", None)]),
    ("The ambassador, aged 62, presented his credentials.", [("62", 62.0, "year", "exact", None)]),
    ("Exports rose to Kenya, 40, and Uganda.", [("40", 40.0, None, "exact", None)]),
    # capitalised plurals, hyphenated words and suffix qualifiers
    ("The 193 Member States adopted the resolution.", [("193", 193.0, "state", "exact", None)]),
    ("A 5,000-strong force was deployed to the border.", [("5,000", 5000.0, "force", "exact", None)]),
    ("The mission has 5,000-plus troops.", [("5,000-plus", 5000.0, "troop", "over", None)]),
    ("The fair drew 1,200+ exhibitors.", [("1,200+", 1200.0, "exhibitor", "over", None)]),
    ("Some 40-odd countries sent delegations.", [("Some 40-odd", 40.0, "country", "about", None)]),
    ("A 30-member delegation arrived.", [("30", 30.0, "member", "exact", None)]),
    # year-like counts
    ("The country sent 2000 troops to the region.", [("2000", 2000.0, "troop", "exact", None)]),
    ("Nearly 1900 projects were approved.", [("Nearly 1900", 1900.0, "project", "about", None)]),
    ("The 2019 elections were held peacefully.", []),
    ("Its 2030 targets remain ambitious.", []),
    ("In 2000, elections were held.", []),
    # shares written as fractions
    ("A third of the world's shipping passes through the strait.",
     [("A third", 33.3333, "percent", "exact", None)]),
    ("Nearly half of the country's exports go to Asia.", [("Nearly half", 50.0, "percent", "about", None)]),
    ("One-third of the budget goes to health.", [("One-third", 33.3333, "percent", "exact", None)]),
    ("A quarter of a century has passed since the treaty.", []),
    ("In the first half of 2024, trade grew.", []),
    ("The resolution needs a two-thirds majority.", []),
    ("On behalf of the government, he welcomed the guests.", []),
    # units of energy, distance, oil, rates and freight
    ("China is financing the 600MW hydropower dam.", [("600", 600.0, "megawatt", "exact", None)]),
    ("The wind farm has a capacity of 100 MW.", [("100", 100.0, "megawatt", "exact", None)]),
    ("The partners aim to install 500 GW of renewable capacity.", [("500", 500.0, "gigawatt", "exact", None)]),
    ("The 1,300km railway links the port to the mines.", [("1,300", 1300.0, "kilometer", "exact", None)]),
    ("OPEC+ agreed to cut output by 2 million barrels per day.",
     [("2 million", 2e6, "barrel per day", "exact", None)]),
    ("The central bank raised its policy rate by 50 basis points.",
     [("50", 50.0, "basis point", "exact", None)]),
    ("Spreads narrowed 25bps.", [("25", 25.0, "basis point", "exact", None)]),
    ("The terminal handled 1.5 million TEUs.", [("1.5 million", 1.5e6, "teu", "exact", None)]),
    # currencies and spellings of other presses
    ("The cabinet cleared projects worth Rs 500 crore.", [("Rs 500 crore", 5e9, "INR", "exact", None)]),
    ("Japan pledged ¥300 billion in loans.", [("¥300 billion", 3e11, "CNY", "exact", None)]),
    ("Output grew 5 per cent.", [("5 per cent", 5.0, "percent", "exact", None)]),
    ("Tens of thousands of people attended the rally.", [("Tens of thousands", 1e4, "people", "over", None)]),
    ("Kenya received KSh 5 billion from the bank.", [("KSh 5 billion", 5e9, "KES", "exact", None)]),
    ("The rail link will cost RM44 billion.", [("RM44 billion", 4.4e10, "MYR", "exact", None)]),
    ("Doha pledged 5 billion Qatari riyals to the fund.", [("5 billion Qatari riyals", 5e9, "QAR", "exact", None)]),
    ("Bangladesh spent Tk 30,000 crore on the bridge.", [("Tk 30,000 crore", 3e11, "BDT", "exact", None)]),
    ("The IMF approved SDR 2.2 billion for the country.", [("SDR 2.2 billion", 2.2e9, "XDR", "exact", None)]),
    ("The 3 real reasons are clear.", [("3", 3.0, "reason", "exact", None)]),
    ("India will invest Rs 1.5 lakh crore in rail.", [("Rs 1.5 lakh crore", 1.5e12, "INR", "exact", None)]),
    ("The state fund took a 20pc stake.", [("20pc", 20.0, "percent", "exact", None)]),
    ("The firm sold 20 PCs to the ministry.", [("20", 20.0, "pc", "exact", None)]),
    ("The tanker carried 2m barrels of crude.", [("2m", 2e6, "barrel", "exact", None)]),
    ("The WFP delivered 400,000 barrels a day of oil.", [("400,000", 4e5, "barrel per day", "exact", None)]),
    # multiples
    ("Trade grew more than fivefold over the decade.", [("more than fivefold", 5.0, "fold", "over", None)]),
    ("Chinese lending rose tenfold.", [("tenfold", 10.0, "fold", "exact", None)]),
    ("The plan foresees a 10-fold rise in output.", [("10", 10.0, "fold", "exact", None)]),
    ("The manifold benefits of trade are clear.", []),
    ("The bridge is 1.2 km long and 30 m wide.",
     [("1.2", 1.2, "kilometer", "exact", None), ("30", 30.0, "meter", "exact", None)]),
    # durations, ranks, footnotes and telephone numbers
    ("The two-day summit ended with a joint declaration.", [("two", 2.0, "day", "exact", None)]),
    ("The first 100 days of the administration were busy.", []),
    ("Japan is among its top 10 trading partners.", []),
    ("According to the report[1], trade rose. See note [12].", []),
    ("For details call +86 10 6596 1114.", []),
    ("Tel: 020 7946 0000", []),
    # ratios, scores and tallies; ranges stay ranges
    ("They formed a 50-50 joint venture.", []),
    ("The resolution passed 141-5 with 35 abstentions.", [("35", 35.0, "abstention", "exact", None)]),
    ("The team won 3-0 and then 2-1.", []),
    ("Inflation will ease to 4-5 percent.", [("4-5 percent", 4.0, "percent", "at_least", None)]),
    ("On question 3, the spokesperson declined to comment.", []),
    # ages in relative clauses
    ("Biden, who is 81, met the premier.", [("81", 81.0, "year", "exact", None)]),
    ("She joined the ministry at the age of 24.", [("24", 24.0, "year", "exact", None)]),
    ("Xi, who turned 70 in June, met the envoy.", [("70", 70.0, "year", "exact", None)]),
    ("The fund, which is 10 percent owned by the state, grew.", [("10 percent", 10.0, "percent", "exact", None)]),
    # shares written as "N in M"; "zero" as a policy word
    ("One in five Africans lives in extreme poverty.", [("One in five", 20.0, "percent", "exact", None)]),
    ("Two out of three voters backed the deal.", [("Two out of three", 66.6667, "percent", "exact", None)]),
    ("Nearly 1 in 4 children is stunted.", [("Nearly 1 in 4", 25.0, "percent", "about", None)]),
    ("He met one in the morning.", []),
    ("China grants zero-tariff treatment to 98% of products.", [("98%", 98.0, "percent", "exact", None)]),
    ("We oppose the zero-sum game and aim for net zero emissions.", []),
    ("Growth was zero percent.", [("zero percent", 0.0, "percent", "exact", None)]),
    # the counted noun behind a compound and a "-strong" unit
    ("We welcome the delivery of more than 400 million vaccine doses to 94 countries.",
     [("more than 400 million", 4e8, "dose", "over", None), ("94", 94.0, "country", "exact", None)]),
    ("We will deploy a 2,000-strong team of experts.", [("2,000", 2000.0, "expert", "exact", None)]),
    ("The city will build a 1,000-bed hospital.", [("1,000", 1000.0, "bed", "exact", None)]),
    ("Cooperation in the twenty-first century requires trust.", []),
    ("The thirty-second session of the council opened.", []),
    ("Thirty-two envoys attended.", [("Thirty-two", 32.0, "envoy", "exact", None)]),
    ("Trade rose by $2-3 billion and €1–1.5 trillion.",
     [("$2-3 billion", 2e9, "USD", "at_least", None), ("€1–1.5 trillion", 1e12, "EUR", "at_least", None)]),
    ("Exports saw a 5-percent increase and a 2.5 percentage-point drop.",
     [("5-percent", 5.0, "percent", "exact", None), ("2.5 percentage-point", 2.5, "percent", "exact", None)]),
    # inline list markers
    ("They named three areas: 1) transport, 2) energy and 3) health.", [("three", 3.0, "area", "exact", None)]),
    ("The group has (about 20) members.", [("about 20", 20.0, "member", "about", None)]),
]

# Second round of unseen texts: hyphenated durations, "within", spelled years, names as modifiers,
# partitives, ranges and changes, and common wire forms. Sentences written for the rules.
FAMILIES_2 = [
    # an "N-year" adjective is a duration (unit year), except in a plan's or one agreement's designation
    ("Kenya will repay the 20-year loan from the Japanese agency.", [("20", 20.0, "year", "exact", None)]),
    ("The government granted investors 99-year land leases in the special zone.",
     [("99", 99.0, "year", "exact", None)]),
    ("Ghana signed a 15-year concession with the operator in 2022.", [("15", 15.0, "year", "exact", None)]),
    ("The loan has an interest rate of 2.3 percent and a 25-year maturity.",
     [("2.3 percent", 2.3, "percent", "exact", None), ("25", 25.0, "year", "exact", None)]),
    ("The IMF approved a 36-month arrangement for the country.", [("36", 36.0, "month", "exact", None)]),
    ("The two sides adopted a five-year implementation outline.", []),
    ("Ghana unveiled a ten-year plan for its ports.", []),
    ("Sri Lanka handed the port to China on a 99-year lease.", []),
    ("The 10-year bond yields 4 percent.", [("4 percent", 4.0, "percent", "exact", None)]),
    ("The leaders signed a 30-year gas supply agreement.", []),
    ("The ministers agreed on a three-year roadmap for the Lobito Corridor.", []),
    ("Zambia granted a 30-year concession for the Lobito Corridor.", [("30", 30.0, "year", "exact", None)]),
    ("The 81-year-old president received the envoy.", [("81", 81.0, "year", "exact", None)]),
    # "within N years" bounds a duration (up_to); "within N weeks of" an event and "in N years" locate a time
    ("Nigeria must repay the principal within five years.", [("within five", 5.0, "year", "up_to", None)]),
    ("The contractor will finish the bridge within 18 months.", [("within 18", 18.0, "month", "up_to", None)]),
    ("The envoys met within two weeks of the election.", []),
    ("Egypt could become self-sufficient in ten years.", []),
    # years written in words are dates; round numbers in words stay counts
    ("Done at Accra on the Sixth Day of September in the Year Two Thousand and Twenty-Three.", []),
    ("Signed in the year two thousand and nineteen.", []),
    ("The deployment of two thousand troops was approved.", [("two thousand", 2000.0, "troop", "exact", None)]),
    # a proper name modifying the counted noun: the head noun, not the name's first word
    ("Leaders of four other Economic Community of West African States (ECOWAS) countries attended.",
     [("four", 4.0, "country", "exact", None)]),
    ("The fund supports 12 Belt and Road projects in Kenya.", [("12", 12.0, "project", "exact", None)]),
    ("The charter was signed by 193 Member States.", [("193", 193.0, "state", "exact", None)]),
    # partitives: the whole without a noun is anaphoric, the part counts the last plural noun
    ("All Belt and Road projects in Kenya are moving fast, with nine of the 22 completed.",
     [("nine", 9.0, "project", "exact", None)]),
    ("The bank funds schools across the region, and 12 of the 40 are already open.",
     [("12", 12.0, "school", "exact", None)]),
    ("Seven of the 15 dams are finished.", [("Seven", 7.0, "dam", "exact", None), ("15", 15.0, "dam", "exact", None)]),
    # ranges: one claim, lower bound, at_least; "from X to Y" after a verb of change: two figures
    ("The loans carry a grace period varying from five to eight years.",
     [("five to eight", 5.0, "year", "at_least", None)]),
    ("The repayment period ranges from 12 to 15 years, he added.", [("12 to 15", 12.0, "year", "at_least", None)]),
    ("The gallery displayed around 150 to 200 paintings.", [("around 150 to 200", 150.0, "painting", "about", None)]),
    ("Aid increased from 3 to 5 billion euros.",
     [("3", 3e9, "EUR", "exact", None), ("5 billion euros", 5e9, "EUR", "exact", None)]),
    ("The number of students increased from 2,000 to 5,000 last year.",
     [("2,000", 2000.0, "student", "exact", "2023"), ("5,000", 5000.0, "student", "exact", "2023")]),
    # common wire forms
    ("The bank raised US$1.2bn from investors.", [("US$1.2bn", 1.2e9, "USD", "exact", None)]),
    ("The cabinet cleared projects worth Rs 5,000 crore.", [("Rs 5,000 crore", 5e10, "INR", "exact", None)]),
    ("The EU will mobilise €500m for the corridor and Britain £1.2bn.",
     [("€500m", 5e8, "EUR", "exact", None), ("£1.2bn", 1.2e9, "GBP", "exact", None)]),
    ("Kenya produces 1.5 million barrels per day.", [("1.5 million", 1.5e6, "barrel per day", "exact", None)]),
    ("The state fund bought a 10 percent stake in the port.", [("10 percent", 10.0, "percent", "exact", None)]),
    ("One-third of the loans went to Africa.", [("One-third", 33.3333, "percent", "exact", None)]),
    ("Tens of thousands of people attended the rally.", [("Tens of thousands", 1e4, "people", "over", None)]),
    ("The package includes two dozen projects.", [("two dozen", 24.0, "project", "exact", None)]),
    ("China has a population of about 1.4 billion.", [("about 1.4 billion", 1.4e9, "people", "about", None)]),
    ("China pledged 1.5 trillion yuan ($210 billion) for the programme.",
     [("1.5 trillion yuan", 1.5e12, "CNY", "exact", None), ("$210 billion", 2.1e11, "USD", "exact", None)]),
    ("Ghana allocated GH¢ 2 billion to schools and 300 million cedis to roads.",
     [("GH¢ 2 billion", 2e9, "GHS", "exact", None), ("300 million cedis", 3e8, "GHS", "exact", None)]),
    ("Lima set aside 3 billion soles for the port of Chancay.", [("3 billion soles", 3e9, "PEN", "exact", None)]),
    ("The leaders met at COP 28 in Dubai.", []),
    ("The Council circulated document S/2023/123 on Monday.", []),
    ("Half the world's population lives in the region.", [("Half", 50.0, "percent", "exact", None)]),
    ("Nearly half its exports go to China.", [("Nearly half", 50.0, "percent", "about", None)]),
    ("The railway cut travel time by half.", []),
    ("The talks took half the day.", []),
    ("China has lent hundreds of billions of dollars to poorer countries.",
     [("hundreds of billions", 1e11, "USD", "over", None)]),
    # multiples as verbs
    ("Trade between the two countries doubled in 2023.", [("doubled", 2.0, "fold", "exact", "2023")]),
    ("Chinese investment has more than doubled.", [("more than doubled", 2.0, "fold", "over", None)]),
    ("Tourist arrivals tripled over the decade.", [("tripled", 3.0, "fold", "exact", None)]),
    ("The allies doubled down on their support.", []),
    ("The treaty avoids double taxation.", []),
]


def test_duration_adjective_is_timeless(nc_nlp):
    """A term ('a 15-year concession') is not dated by the clause that signs it."""
    (claim,) = run(nc_nlp, "Ghana signed a 15-year concession with the operator in 2022.")._.numeric_claims
    assert claim.period is None


_TABLES = POSITIVES + FAMILIES + FAMILIES_2


@pytest.mark.parametrize("text,expected", _TABLES, ids=[t[:40] for t, _ in _TABLES])
def test_claims(nc_nlp, text, expected):
    assert claims(nc_nlp, text) == expected


def test_suffix_figures_after_other_sentences(nc_nlp):
    """Offsets of a figure with a suffix hold in the document, not only in its sentence."""
    text = "The leaders met in Tokyo.\n\nThe mission has 5,000-plus troops and 1,200+ exhibitors came."
    doc = run(nc_nlp, text)
    got = [(text[c.start:c.end], c.unit, c.qualifier) for c in doc._.numeric_claims]
    assert got == [("5,000-plus", "troop", "over"), ("1,200+", "exhibitor", "over")]


def test_year_like_count_is_no_period(nc_nlp):
    """'2000' counts troops; it does not date the money of the same sentence."""
    got = claims(nc_nlp, "The country sent 2000 troops and $5 million in aid.")
    assert got == [("2000", 2000.0, "troop", "exact", None), ("$5 million", 5e6, "USD", "exact", None)]


def test_user_frequency_changes_output(nc_nlp, tmp_path):
    sentence = "The council convenes fortnightly."
    assert claims(nc_nlp, sentence) == []
    user = write_rules(tmp_path / "rules", {"frequencies": [
        {"id": "user.frequency.fortnightly.v1", "value": 26, "words": ["fortnightly"]}]})
    doc = run(nc_nlp, sentence, rules_dirs=[user])
    assert [(c.value, c.unit, c.rule) for c in doc._.numeric_claims] == [(26.0, "time", "user.frequency.fortnightly.v1")]


def test_user_unit_pattern_changes_output(nc_nlp, tmp_path):
    sentence = "The river runs 300 long miles."
    assert claims(nc_nlp, sentence)[0][2] == "mile"
    user = write_rules(tmp_path / "rules", {"unit_patterns": [
        {"id": "user.unit.long.v1", "unit": "mile of river", "pattern": "runs\\s+{NUM}"}]})
    assert [c.unit for c in run(nc_nlp, sentence, rules_dirs=[user])._.numeric_claims] == ["mile of river"]


def test_user_fraction_and_suffix_change_output(nc_nlp, tmp_path):
    sentence = "Two-fifths of the loans and 300-odd projects were reviewed."
    assert claims(nc_nlp, sentence)[-1][3] == "about"
    user = write_rules(tmp_path / "rules", {
        "fractions": [{"id": "user.fraction.two_fifths.v1", "value": 40, "words": ["two fifths"]}],
        "qualifiers": [{"id": "user.qualifier.odd.v1", "qualifier": "over", "words": ["upward of"],
                        "suffixes": ["-odd"]}],
    })
    got = [(c.text, c.value, c.unit, c.qualifier) for c in run(nc_nlp, sentence, rules_dirs=[user])._.numeric_claims]
    assert got == [("Two-fifths", 40.0, "percent", "exact"), ("300-odd", 300.0, "project", "over")]


def test_user_exclusion_unless_defined(nc_nlp, tmp_path):
    """`unless_defined` lifts a veto for a noun defined in place; without it the veto holds."""
    sentence = "They adopted some five measures that cut emissions."
    assert claims(nc_nlp, sentence)[0][:2] == ("some five", 5.0)
    pattern = "\\bsome\\s+five\\b"
    for flag, expected in ((True, 1), (False, 0)):
        user = write_rules(tmp_path / f"rules{flag}", {"exclusions": [
            {"id": "user.exclude.some.v1", "pattern": pattern, "unless_defined": flag}]})
        assert len(run(nc_nlp, sentence, rules_dirs=[user])._.numeric_claims) == expected


def test_bad_followed_by_fails_fast(tmp_path):
    user = write_rules(tmp_path / "rules", {"frequencies": [
        {"id": "bad.frequency.v1", "value": 2, "words": ["twice"], "followed_by": "(a"}]})
    with pytest.raises(RuleFileError, match="bad.frequency.v1"):
        NumericClaimExtractor([user])


BLANK_FAMILIES = [
    ("1.\n\nWe met.", []),
    ("The three African countries signed the plan.", []),
    ("The three working groups that will assess: the market.", [("three", 3.0, "working group")]),
    ("Mnangagwa, 75, arrived in Beijing.", [("75", 75.0, "year")]),
    ("The fair drew 1,200+ exhibitors and 5,000-plus troops.",
     [("1,200+", 1200.0, "exhibitor"), ("5,000-plus", 5000.0, "troop")]),
    ("The leaders meet twice a year.", [("twice", 2.0, "time")]),
    ("China is building a multibillion-dollar railway.", [("multibillion-dollar", 1e9, "USD")]),
    # without a tagger: a name between the number and its noun is skipped, a plural noun ends the phrase
    ("Leaders of four other Economic Community of West African States (ECOWAS) countries attended.",
     [("four", 4.0, "country")]),
    ("The fair drew 20 Chinese firms.", [("20", 20.0, "firm")]),
    ("The leaders of 12 countries attended.", [("12", 12.0, "country")]),
    ("China built 5 gas pipelines across the region.", [("5", 5.0, "pipeline")]),
    ("Kenya will repay the 20-year loan.", [("20", 20.0, "year")]),
    ("Done at Accra in the Year Two Thousand and Twenty-Three.", []),
]


@pytest.mark.parametrize("text,expected", BLANK_FAMILIES, ids=[t[:40] for t, _ in BLANK_FAMILIES])
def test_families_without_parser(blank_nlp, text, expected):
    assert [(c.text, c.value, c.unit) for c in run(blank_nlp, text)._.numeric_claims] == expected


@pytest.mark.parametrize("text,expected", FAMILIES[::3], ids=[t[:40] for t, _ in FAMILIES[::3]])
def test_families_keep_their_offsets_after_another_paragraph(nc_nlp, text, expected):
    """A sentence read after another paragraph gives the same claims, with offsets into the whole text."""
    whole = "The ministers met in Geneva on Monday.\n\n" + text
    doc = run(nc_nlp, whole)
    assert [(c.text, c.value, c.unit, c.qualifier) for c in doc._.numeric_claims] == [e[:4] for e in expected]
    assert all(whole[c.start:c.end] == c.text for c in doc._.numeric_claims)


_SENTENCES = [t for t, _ in _TABLES] + NEAR_MISSES


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(_SENTENCES), min_size=1, max_size=4), st.sampled_from([" ", "\n", "\n\n"]))
def test_any_document_of_known_sentences_runs(nc_nlp, sentences, joiner):
    """Whole documents never crash the component and every record points at its own text."""
    text = joiner.join(sentences)
    for claim in run(nc_nlp, text)._.numeric_claims:
        assert text[claim.start:claim.end] == claim.text and claim.text in claim.sentence


@pytest.mark.parametrize("text,spans", [
    ("the top 10 and the Top 5", [(4, 10), (19, 24)]),
    ("ten of the best", []),
])
def test_pattern_spans_found_once_on_first_use(text, spans):
    found = PatternSpans(re.compile(r"\btop\s+\d+", re.IGNORECASE), text)
    assert list(found) == spans and list(found) == spans


def test_exclusions_give_the_rules_whose_admitted_matches_overlap():
    extractor = _extractor()
    text = "the top 10 and article 5"
    excluded = extractor.exclusion_spans(text)
    assert [rule.id for rule in excluded.overlapping(8, 10)] == ["numeric_claims.exclude.ranking.v1"]
    assert [rule.id for rule in excluded.overlapping(23, 24)] == ["numeric_claims.exclude.numbering.v1"]
    assert list(excluded.overlapping(0, 3)) == []


@pytest.mark.parametrize("text", [
    "More than 3,000 troops and US$41 billion, about two-thirds of the total.",
    "the 5-billion-dollar deal, thousands of people, twice a year, one in five",
    "A380 orders: 1,200+ jets; some 40 percent; Rs. 500 crore",
    "ſome 40 ſeven hundred",  # IGNORECASE folds 'ſ' onto 's': every offset is tried
    "no figure here at all",
])
def test_search_at_start_offsets_is_the_pattern_search(text):
    extractor = _extractor()
    starts = extractor._starts(text)
    for pos in range(len(text) + 1):
        expected = extractor.pattern.search(text, pos)
        found = extractor._search(text, pos, starts)
        assert (found and (found.span(), found.groupdict())) == (expected and (expected.span(), expected.groupdict()))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="0123456789 ,.$%-abeilmnorstuvwxyzABMOTUſ€", max_size=40))
def test_search_at_start_offsets_never_misses_a_match(text):
    """Any text: trying the pattern only at the start offsets finds what a full search finds."""
    extractor = _extractor()
    starts = extractor._starts(text)
    found = extractor._search(text, 0, starts)
    expected = extractor.pattern.search(text, 0)
    assert (found and found.span()) == (expected and expected.span())


def _flat_alternation(words: list[str], space: str) -> str:
    """The plain longest-first alternation the trie of `_alternation` must match like."""
    tail = r"(?![A-Za-z])"
    return "(?:" + "|".join(re.escape(w).replace(r"\ ", space) + (tail if w[-1:].isalnum() else "")
                            for w in sorted(set(words), key=lambda w: (-len(w), w))) + ")"


_WORD_CHARS = "ab .-ł"


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet=_WORD_CHARS, min_size=1, max_size=4), min_size=1, max_size=6),
       st.text(alphabet=_WORD_CHARS + "AŁſ€\n", max_size=12), st.sampled_from([r"\s+", r"[\s-]+"]),
       st.sampled_from(["", "(b|$)"]))
def test_alternation_matches_like_the_flat_list(words, text, space, after):
    """Trie or not, the alternation matches what the flat longest-first list matches, in the same
    order: what follows it ('b' or the end) sees the same backtracking."""
    trie = re.compile(rf"({_alternation(words, space=space)}){after}", re.IGNORECASE)
    flat = re.compile(rf"({_flat_alternation(words, space)}){after}", re.IGNORECASE)
    for pos in range(len(text) + 1):
        found, expected = trie.match(text, pos), flat.match(text, pos)
        assert (found and found.regs) == (expected and expected.regs)


@pytest.mark.parametrize("words", [["ſa", "sa"], ["a  b", "a b"], ["a b", "a-b"], ["Ab", "ab"]])
def test_alternation_keeps_the_flat_list_where_a_trie_could_differ(words):
    """Letters with special folds, runs of spaces, a space beside '-' or capitals: no trie."""
    assert _alternation(words, space=r"[\s-]+") == _flat_alternation(words, r"[\s-]+")
