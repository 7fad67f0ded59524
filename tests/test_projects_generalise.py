"""Projects on unseen phrasings: ceremonies, pictures, work begun, anaphors ("the project"),
names with numbers or sizes, known names without a trigger noun, one dam not folded into another."""
from __future__ import annotations

import datetime as dt

import pytest

from pipeline.components.projects import ProjectExtractor


def projects(nlp, text: str):
    doc = nlp.make_doc(text)
    doc._.published = dt.date(2024, 3, 12)
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    return doc._.projects


def triples(records) -> set[tuple[str, str, str]]:
    return {(r.name, r.kind, r.status) for r in records}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # pictured facilities exist
        ("The Port of Mombasa is seen in this aerial photo taken on June 3, 2023.",
         {("Port of Mombasa", "transport", "operating")}),
        ("The Chancay Port is pictured in Peru on November 12, 2024.", {("Chancay Port", "transport", "operating")}),
        # ceremonies: ground broken, facility inaugurated
        ("President Ruto attended the groundbreaking ceremony of the Lamu Coal Power Station on Tuesday.",
         {("Lamu Coal Power Station", "energy", "under_construction")}),
        ("President Museveni attended the inauguration ceremony of the Karuma Hydropower Plant.",
         {("Karuma Hydropower Plant", "energy", "completed")}),
        ("Leaders attended the opening ceremony of the Padma Bridge in June.", {("Padma Bridge", "transport", "completed")}),
        # work begun
        ("Work began on the Nairobi Expressway in 2020.", {("Nairobi Expressway", "transport", "under_construction")}),
        ("Construction started on the Addis Ababa Light Rail in 2012.",
         {("Addis Ababa Light Rail", "transport", "under_construction")}),
        # financing a named facility
        ("China is financing the $2 billion, 600-megawatt Karuma Hydropower Dam, in northern Uganda.",
         {("Karuma Hydropower Dam", "energy", "under_construction")}),
        # names with numbers, known names without a trigger noun
        ("Kyrgyzstan and Uzbekistan agreed to build the Kambarata-1 hydropower plant.",
         {("Kambarata-1 hydropower plant", "energy", "planned")}),
        ("Pakistan and China reviewed the CPEC at the meeting.", {("CPEC", "transport", "mentioned")}),
        ("The Port City Colombo is being built on reclaimed land.", {("Port City Colombo", "other", "under_construction")}),
        ("The Mombasa-Nairobi Standard Gauge Railway was built by a Chinese company.",
         {("Mombasa-Nairobi Standard Gauge Railway", "transport", "completed")}),
        ("Ethiopia has opened the Hawassa Special Economic Zone.",
         {("Hawassa Special Economic Zone", "industry", "completed")}),
        ("The Olkaria Geothermal Plant supplies power to Nairobi.", {("Olkaria Geothermal Plant", "energy", "operating")}),
        # an anaphor later in the paragraph gives the status
        ("Tanzania signed a deal for the Bagamoyo Port last year. Construction of the port began in 2020.",
         {("Bagamoyo Port", "transport", "under_construction")}),
        ("Officials toured the Koysha Hydroelectric Power Plant. The project was inaugurated in 2023.",
         {("Koysha Hydroelectric Power Plant", "energy", "completed")}),
        # a subject that launches something is not launched itself
        ("The Sanand plant of Micron will launch a new product line next year.",
         {("Sanand plant of Micron", "other", "mentioned")}),
    ],
)
def test_unseen_phrasings(nlp, text: str, expected: set) -> None:
    assert triples(projects(nlp, text)) == expected


@pytest.mark.parametrize(
    "text",
    [
        # a weak cue ("is a priority") and a cue after a paragraph break are not passed on
        "The Lamu Port was mentioned. Nepal said the project is a priority.\n\nThe project will be built soon.",
        # "the project" with its own modifiers is another project
        "The Lamu Port was mentioned. The new housing project was inaugurated in 2023.",
    ],
)
def test_anaphor_near_misses(nlp, text: str) -> None:
    lamu = next(r for r in projects(nlp, text) if r.name == "Lamu Port")
    assert lamu.status == "mentioned"


def test_two_dams_with_a_sector_word_stay_apart(nlp) -> None:
    text = ("Uganda launched the Isimba Hydropower Dam on Thursday. The $568 million dam will cut power costs. "
            "China is also financing the Karuma Hydropower Dam.")
    records = {r.name: r for r in projects(nlp, text)}
    assert set(records) == {"Isimba Hydropower Dam", "Karuma Hydropower Dam"}
    assert "$568 million dam" in records["Isimba Hydropower Dam"].aliases


def test_added_anaphor_head_changes_output(nlp, tmp_path) -> None:
    text = "Officials toured the Lamu Port. The undertaking was inaugurated in 2023."
    assert triples(ProjectExtractor(nlp, [])(nlp(text))._.projects) == {("Lamu Port", "transport", "mentioned")}
    (tmp_path / "projects.yaml").write_text("description: test\nanaphor_heads: [undertaking]\n", encoding="utf-8")
    records = ProjectExtractor(nlp, [str(tmp_path)])(nlp(text))._.projects
    assert triples(records) == {("Lamu Port", "transport", "completed")}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a study framing the construction: proposed, even when the parser hangs "for" on the verb
        ("The partners will support launching pre-feasibility studies for the construction of the Kisumu-Kampala "
         "railway line.", {("Kisumu-Kampala railway line", "transport", "proposed")}),
        # "to develop X": planned; a present participle on X says what X does, not its status
        ("The three countries committed to develop the Nacala Corridor connecting Malawi to the sea.",
         {("Nacala Corridor", "transport", "planned")}),
        # goods moving via a port: the port works, whatever the outer verb
        ("The countries agreed to develop trade routes to global markets via the Port of Nacala.",
         {("Port of Nacala", "transport", "operating")}),
        # umbrella initiatives under way for years
        ("This announcement shows PGII and Global Gateway at work.",
         {("PGII", "initiative", "operating"), ("Global Gateway", "initiative", "operating")}),
    ],
)
def test_frames_participles_and_ports(nlp, text: str, expected: set) -> None:
    assert triples(projects(nlp, text)) == expected


def test_works_noun_modifier_gives_the_kind(nlp) -> None:
    text = "Among those projects is the 300 megawatt expansion of the Kafue Gorge Lower by a Chinese company."
    assert [r.kind for r in projects(nlp, text)] == ["energy"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Shamekh IV Solutions will be investing $5.8 billion, including a plant in Ohio to launch a "
         "high-capacity IV fluid facility.", [("high-capacity IV fluid facility", ["plant in Ohio"], "health")]),
        # two facilities in one sentence with no purpose link stay apart
        ("The plant in Ohio is running and a new facility in Texas will be built for IV fluid.",
         [("plant in Ohio", [], "other"), ("new facility in Texas", [], "other")]),
    ],
)
def test_facility_built_for_another_is_one_project(nlp, text: str, expected: list) -> None:
    assert [(r.name, r.aliases, r.kind) for r in projects(nlp, text)] == expected


@pytest.mark.parametrize(
    ("text", "name"),
    [
        # an unnamed line is named by its route
        ("The partners will refurbish the railway section from the Lobito port in Angola to the Democratic Republic "
         "of the Congo.", "railway section from the Lobito port in Angola to the Democratic Republic of the Congo"),
        ("The railway from Mombasa to Nairobi was completed in 2017.", "railway from Mombasa to Nairobi"),
        # a named line keeps its name; the route is description
        ("The partners will study the construction of the new Zambia-Lobito railway line from eastern Angola "
         "through northern Zambia.", "new Zambia-Lobito railway line"),
    ],
)
def test_routes_name_unnamed_lines(nlp, text: str, name: str) -> None:
    assert projects(nlp, text)[0].name == name


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Work on the Rashakai SEZ is progressing.", {("Rashakai SEZ", "industry", "under_construction")}),
        ("The Mombasa-Nairobi SGR has carried 10 million passengers.",
         {("Mombasa-Nairobi SGR", "transport", "operating")}),
        ("The Kambarata-1 HPP will be built by 2030.", {("Kambarata-1 HPP", "energy", "planned")}),
        # abbreviations need a name; working on something later is no construction
        ("The SEZ law was amended last year.", set()),
        ("Both sides will work on the Lamu Port next year.", {("Lamu Port", "transport", "planned")}),
    ],
)
def test_abbreviated_heads_and_work_on(nlp, text: str, expected: set) -> None:
    assert triples(projects(nlp, text)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a named predicate after a subject that is no name names a project; built-and-operated runs
        ("The centerpiece of the project is Pakistan's Chinese-built and operated deep-water Gwadar port.",
         {("Chinese-built and operated deep-water Gwadar port", "transport", "operating")}),
        # a predicate describing a named subject, or a small clause, names nothing
        ("The Mombasa-Nairobi SGR is Africa's first modern railway.", {("Mombasa-Nairobi SGR", "transport", "operating")}),
        ("Trade has made China a hub of international commerce.", set()),
        # a trigger inside a school's name
        ("Li Wei, a lecturer at the Crawford School of Public Policy, disagreed.", set()),
        # country-pair names fold whatever the country's form and the trailing "project"
        ("The Lao-China railway will be built. The Laos-China railway project was approved. The high-speed "
         "Lao-China railway is costly.", {("Lao-China railway", "transport", "planned")}),
    ],
)
def test_predicates_organisations_and_country_pairs(nlp, text: str, expected: set) -> None:
    assert triples(projects(nlp, text)) == expected


def test_generic_head_inside_a_document_name_is_no_project(nlp) -> None:
    doc = nlp("The leaders reaffirmed the Declaration on Zone of Peace, Freedom and Neutrality.")
    assert [a.name for a in doc._.agreements] and doc._.projects == []


def test_completion_under_way_is_no_inauguration(nlp) -> None:
    (record,) = projects(nlp, "Work is moving toward the completion of the Karot hydropower station.")
    assert record.status != "completed"


def test_place_complement_named_by_its_compound(nlp) -> None:
    (record,) = projects(nlp, "In 2007, he approved a special economic zone in the Golden Triangle area.")
    assert (record.name, record.kind) == ("special economic zone in the Golden Triangle area", "industry")


def test_name_modifying_another_noun_takes_no_status_from_it(nlp) -> None:
    text = "Sharif spoke at the inauguration of the China Pakistan Economic Corridor port in Gwadar."
    cpec = next(r for r in projects(nlp, text) if r.name == "China Pakistan Economic Corridor")
    assert cpec.status == "mentioned"
