"""Actor resolution: subject phrases to ISO3 codes, people and organisations; parties; speakers."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from pipeline.actors import QUESTION, ActorFile, ActorResolver, ActorRules, _country_offsets, main_parties, speakers
from pipeline.records import Person
from pipeline.rules.loader import RuleFileError, load_rules


@pytest.fixture(scope="module")
def nlp():
    """Model, paragraphs and entity ruler only: the resolver must not depend on other extractors."""
    from pipeline.nlp import build_nlp

    return build_nlp(extractors=[])


def make_doc(nlp, text: str, title: str | None = None, source: str | None = None, people=()):
    doc = nlp.make_doc(text)
    doc._.title, doc._.source, doc._.speaker_map = title, source, None
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    doc._.people = list(people)
    return doc


def person(name: str, country: str | None, role: str = "head_of_state", titles=(), aliases=()) -> Person:
    return Person(name=name, country=country, role=role, titles=list(titles), aliases=list(aliases),
                  sentence="", start=0, end=0, rule="test")


def subject_of(doc, verb: str):
    """The nsubj token of the first verb with this text."""
    token = next(t for t in doc if t.text == verb)
    return next(c for c in token.children if c.dep_ in ("nsubj", "nsubjpass"))


CHINA_KAZ = ("China and Kazakhstan held talks in Astana. Kazakhstan thanked China. "
             "China is Kazakhstan's largest trading partner. ")


@pytest.mark.parametrize("sentence, verb, expected", [
    ("The Chinese side agreed to expand imports.", "agreed", ["CHN"]),
    ("Both sides agreed to expand imports.", "agreed", ["CHN", "KAZ"]),
    ("The two countries will open new consulates.", "open", ["CHN", "KAZ"]),
    ("Our two countries need to deepen trust.", "need", ["CHN", "KAZ"]),
    ("China and Kazakhstan will build a new road.", "build", ["CHN", "KAZ"]),
    ("Kazakhstan's foreign ministry will issue visas.", "issue", ["KAZ"]),
    ("The Chinese and Kazakh delegations will meet again.", "meet", ["CHN", "KAZ"]),
    ("The Shanghai Cooperation Organization will admit Iran.", "admit", ["SCO"]),
    ("The new railway will promote trade.", "promote", []),
    ("The US will lift the sanctions.", "lift", ["USA"]),  # 'US' is not 'us'
    ("IT will drive growth.", "drive", []),
])
def test_resolve_subject_phrases(nlp, sentence, verb, expected):
    doc = make_doc(nlp, CHINA_KAZ + sentence)
    assert sorted(ActorResolver(doc).resolve(subject_of(doc, verb))) == sorted(expected)


def test_resolve_a_span_with_coordinated_heads(nlp):
    doc = make_doc(nlp, "China and Kazakhstan will build a road.")
    assert sorted(ActorResolver(doc).resolve(doc[0:3])) == ["CHN", "KAZ"]


def test_main_parties_from_title_and_mentions(nlp):
    doc = make_doc(nlp, "Egypt and China signed a deal. China will build a port in Egypt. Egypt welcomed it.",
                   title="Egypt and China sign port deal")
    assert sorted(main_parties(doc)) == ["CHN", "EGY"]
    doc = make_doc(nlp, "Brazil hosted the summit. Brazil will chair the group. Brazil thanked its partners.")
    assert main_parties(doc) == ["BRA"]


def test_people_and_titles(nlp):
    people = [person("Xi Jinping", "CHN", titles=["President"], aliases=["Xi", "President Xi"]),
              person("Kassym-Jomart Tokayev", "KAZ", titles=["President"], aliases=["Tokayev"])]
    doc = make_doc(nlp, CHINA_KAZ + "President Xi will visit Astana. The two heads of state will meet.",
                   people=people)
    resolver = ActorResolver(doc)
    assert resolver.resolve(subject_of(doc, "visit")) == ["Xi Jinping"]
    assert sorted(resolver.resolve(subject_of(doc, "meet"))) == ["Kassym-Jomart Tokayev", "Xi Jinping"]
    assert resolver.country_of("Xi Jinping") == "CHN"


def test_possessed_agency_acts_for_the_owner_country(nlp):
    people = [person("Shehbaz Sharif", "PAK", "head_of_government", titles=["Prime Minister"], aliases=["Sharif"])]
    doc = make_doc(nlp, "Prime Minister Shehbaz Sharif said his government would provide security.", people=people)
    assert ActorResolver(doc).resolve(subject_of(doc, "provide")) == ["PAK"]


def test_title_only_subject(nlp):
    people = [person("Joseph R. Biden Jr.", "USA", titles=["President"]),
              person("Mohammed Al-Sudani", "IRQ", "head_of_government", titles=["Prime Minister"])]
    doc = make_doc(nlp, "The United States and Iraq held talks. The Prime Minister will visit Washington.",
                   people=people)
    assert ActorResolver(doc).resolve(subject_of(doc, "visit")) == ["Mohammed Al-Sudani"]


def test_we_in_press_conference_is_speaker_country(nlp):
    text = ("Foreign Ministry Spokesperson Lin Jian's Regular Press Conference\n\n"
            "Q: Will China attend the talks?\n\n"
            "A: We will send a delegation.\n\n"
            "Q: What about Japan?\n\n"
            "A: I have nothing to add.\n")
    doc = make_doc(nlp, text, title="Foreign Ministry Spokesperson Lin Jian's Regular Press Conference",
                   source="Ministry of Foreign Affairs of the People's Republic of China")
    resolver = ActorResolver(doc)
    assert resolver.resolve(subject_of(doc, "send")) == ["CHN"]
    turns = speakers(doc)
    assert list(turns.values()) == [QUESTION, "Lin Jian", QUESTION, "Lin Jian"]
    assert list(turns) == [text.index("Q:"), text.index("A:"), text.index("Q: What"), text.index("A: I")]
    assert doc._.speaker_map == turns
    assert resolver.speaker_at(text.index("nothing")) == "Lin Jian"
    assert resolver.resolve(subject_of(doc, "have")) == ["Lin Jian"]


@pytest.mark.parametrize("text, source, author, country, i_verb, we_verb, we", [
    pytest.param("Chinese President Xi Jinping published a signed article in a Tajik newspaper on Tuesday.\n"
                 "A New Chapter in Friendship – Xi Jinping, President of the People's Republic of China\n"
                 "I will soon pay a state visit to Tajikistan. China and Tajikistan are good neighbours. "
                 "Tajikistan is a friend of China. We will deepen cooperation.\n",
                 "Xinhua", "Xi Jinping", "CHN", "pay", "deepen", ["CHN", "TJK"], id="signed-article"),
    pytest.param("Russia and China: partners for the future\nBy Vladimir Putin, President of the Russian Federation\n\n"
                 "I look forward to my visit to China. Russia and China are close partners. China is our neighbour. "
                 "We will build a fairer world together.\n",
                 "People's Daily", "Vladimir Putin", "RUS", "look", "build", ["CHN", "RUS"], id="by-line"),
])
def test_article_author_i_and_we(nlp, text, source, author, country, i_verb, we_verb, we):
    """A signed article (lead-in and byline) or a 'By ...' line: the author is 'I'; 'we' is the
    author's country with the other main party."""
    doc = make_doc(nlp, text, source=source)
    resolver = ActorResolver(doc)
    assert resolver.author == author and resolver.author_country == country
    assert resolver.resolve(subject_of(doc, i_verb)) == [author]
    assert sorted(resolver.resolve(subject_of(doc, we_verb))) == we


def test_we_at_multilateral_summit_is_the_organisation(nlp):
    text = ("At the SCO summit, President Xi said that we should fight terrorism together. "
            "We should expand trade.\n\nAt home, we will pursue reform.\n")
    doc = make_doc(nlp, text, source="Ministry of Foreign Affairs of the People's Republic of China")
    resolver = ActorResolver(doc)
    assert resolver.resolve(subject_of(doc, "expand")) == ["SCO"]
    assert resolver.resolve(subject_of(doc, "pursue")) == ["CHN"]


def test_we_in_quotation_is_the_quoted_person_country(nlp):
    people = [person("Abdoulkader Kamil Mohamed", "DJI", "head_of_government", aliases=["Mohamed"])]
    text = 'The port opened on Monday.\n"We plan to expand it," Mohamed said.\n'
    doc = make_doc(nlp, text, source="Voice of America", people=people)
    assert ActorResolver(doc).resolve(subject_of(doc, "plan")) == ["DJI"]


def test_no_parser_does_not_crash():
    from pipeline.nlp import build_nlp

    blank = build_nlp("blank", extractors=[])
    doc = blank("Both sides agreed. China will act.")
    resolver = ActorResolver(doc)
    assert resolver.resolve(doc[4]) == ["CHN"]
    assert resolver.main_parties == []


def test_user_rule_folder_adds_an_organisation(nlp, tmp_path: Path):
    (tmp_path / "actors.yaml").write_text(yaml.safe_dump({
        "description": "test organisations",
        "organisations": [{"id": "test.org.ots.v1", "name": "OTS",
                           "forms": ["Organization of Turkic States", "OTS"]}],
    }))
    doc = make_doc(nlp, "The Organization of Turkic States will send observers.")
    subject = subject_of(doc, "send")
    assert ActorResolver(doc).resolve(subject) != ["OTS"]
    assert ActorResolver(doc, ActorRules.load([tmp_path])).resolve(subject) == ["OTS"]


def test_rule_file_ids_unique_and_invalid_file_fails(tmp_path: Path):
    data = load_rules("actors", ActorFile)
    ids = [r.id for group in (data.collectives, data.organisations, data.publishers, data.turns,
                              data.spokesperson_patterns, data.author_patterns, data.declarations,
                              data.national_agencies) for r in group]
    assert len(ids) == len(set(ids))
    (tmp_path / "actors.yaml").write_text(yaml.safe_dump({
        "description": "broken", "turns": [{"id": "test.turn.v1", "pattern": "^(Q:", "speaker": "question"}]}))
    with pytest.raises(RuleFileError, match=r"actors.yaml: turns\[0\] \(id=test.turn.v1\)"):
        load_rules("actors", ActorFile, [tmp_path])


@pytest.mark.parametrize("rule", [*load_rules("actors", ActorFile).turns,
                                  *load_rules("actors", ActorFile).spokesperson_patterns,
                                  *load_rules("actors", ActorFile).author_patterns,
                                  *load_rules("actors", ActorFile).declarations], ids=lambda r: r.id)
def test_regex_rules_fire_on_their_examples(rule):
    import re

    for example in rule.examples:
        assert re.search(rule.pattern, example, re.MULTILINE), example


# ---------------------------------------------------------------- joint texts, groups, partners


@pytest.mark.parametrize("title, expected", [
    ("Joint Statement from the Leaders of Brazil, South Africa and Indonesia", ["BRA", "ZAF", "IDN"]),
    ("Joint Statement between China and Kazakhstan on the Further Deepening of Cooperation", ["CHN", "KAZ"]),
    ("G7 Leaders’ Statement on Ukraine", ["G7"]),
    ("Kazan Declaration of the XVI BRICS Summit", ["BRICS"]),
    ("India-Japan Joint Statement: Partnership for a Free and Open Indo-Pacific", ["IND", "JPN"]),
    ("Joint Statement of the Foreign Ministers of ASEAN and Australia", ["ASEAN", "AUS"]),
    ("Joint Statement on the Establishment of a Comprehensive Strategic Partnership between Viet Nam and Australia",
     ["VNM", "AUS"]),
    ("Readout of President Macron’s Call with Chancellor Scholz of Germany", []),
    ("Statement by the Press Secretary on the Situation in Sudan", []),
])
def test_signatories_of_a_joint_text(nlp, title, expected):
    doc = make_doc(nlp, title + "\n\nWe will meet again next year.\n", title=title)
    assert ActorResolver(doc).signatories == expected


@pytest.mark.parametrize("title, expected", [
    ("G20 Leaders’ Declaration", ["G20"]),
    ("Joint Statement from the Leaders of Brazil, South Africa and Indonesia", ["BRA", "ZAF", "IDN"]),
    ("Joint Statement from the United States and the European Union on Critical Minerals", ["USA", "European Union"]),
])
def test_we_in_a_joint_text_is_its_signatories(nlp, title, expected):
    text = (f"{title}\n\nIn line with the United Nations Convention on the Law of the Sea and the UN Charter, "
            "we will uphold freedom of navigation.\n")
    doc = make_doc(nlp, text, title=title, source="The White House")
    assert ActorResolver(doc).resolve(subject_of(doc, "uphold")) == expected


@pytest.mark.parametrize("text, expected", [
    ("At the SCO Summit in Astana, we will expand trade.", ["SCO"]),  # the organisation's own gathering
    ("Under the United Nations Convention on the Law of the Sea, we will expand trade.", ["RUS"]),
    ("In line with UN Security Council resolutions, we will expand trade.", ["RUS"]),
    ("The ASEAN Outlook on the Indo-Pacific guides us, and we will expand trade.", ["RUS"]),
])
def test_organisation_named_inside_a_longer_name_is_no_context(nlp, text, expected):
    doc = make_doc(nlp, text, source="Kremlin")
    doc._.source_name = "Kremlin"
    assert ActorResolver(doc).resolve(subject_of(doc, "expand")) == expected


def test_publisher_from_source_name(nlp):
    doc = make_doc(nlp, "We will expand trade with our partners.")
    doc._.source_name = "The White House"
    resolver = ActorResolver(doc)
    assert resolver.publisher_country == "USA" and resolver.resolve(subject_of(doc, "expand")) == ["USA"]


@pytest.mark.parametrize("source, expected", [("TASS", "RUS"), ("Yonhap News Agency", "KOR"),
                                              ("Ministry of Foreign Affairs of Japan", "JPN"),
                                              ("German Federal Foreign Office", "DEU")])
def test_publisher_beyond_the_sample(nlp, source, expected):
    """State publishers whose name gives no country are listed; any other source names its country."""
    doc = make_doc(nlp, "We will expand trade with our partners.", source=source)
    assert ActorResolver(doc).publisher_country == expected


def test_any_country_adjective_before_a_name_is_dropped(nlp):
    people = [person("Mohammed bin Salman", "SAU", "head_of_government")]
    doc = make_doc(nlp, "Saudi Crown Prince Mohammed bin Salman will visit Paris.", people=people)
    assert ActorResolver(doc).person_name("Saudi Crown Prince Mohammed bin Salman") == "Mohammed bin Salman"


@pytest.mark.parametrize("first, expected", [
    ("Chancellor Olaf Scholz spoke today with President Emmanuel Macron of France.",
     ["Olaf Scholz", "Emmanuel Macron"]),
    ("Chancellor Olaf Scholz held talks with President Emmanuel Macron in Berlin.", ["Olaf Scholz", "Emmanuel Macron"]),
    ("Chancellor Olaf Scholz and President Emmanuel Macron met in Berlin.", ["Olaf Scholz", "Emmanuel Macron"]),
    ("Chancellor Olaf Scholz spoke today with President Emmanuel Macron of France to launch a new dialogue.",
     ["Olaf Scholz", "Emmanuel Macron"]),
])
def test_they_after_a_meeting_is_both_sides(nlp, first, expected):
    text = first + " Together, they committed to deepening the partnership. They also agreed to meet in May."
    doc = make_doc(nlp, text)
    resolver = ActorResolver(doc)
    assert resolver.resolve(subject_of(doc, "committed")) == expected
    assert resolver.resolve(subject_of(doc, "agreed")) == expected  # 'they' after 'they'


def test_he_after_a_meeting_stays_one_person(nlp):
    doc = make_doc(nlp, "Chancellor Olaf Scholz spoke today with President Emmanuel Macron. He will visit Paris.")
    assert ActorResolver(doc).resolve(subject_of(doc, "visit")) == ["Emmanuel Macron"]


@pytest.mark.parametrize("text, verb, expected", [
    ("The Japan-EU partnership will upgrade ports in Asia.", "upgrade", ["JPN", "European Union"]),
    ("The U.S.-India alliance will deter aggression.", "deter", ["USA", "IND"]),
    ("The Japan-EU partnership will upgrade ports. The partnership will also combine finance.", "combine",
     ["JPN", "European Union"]),
    ("The partnership will combine public and private finance.", "combine", []),
    ("The Koysha Plant will double the country's generation capacity.", "double", []),
    ("The Lobito Terminal will handle more ore.", "handle", []),
])
def test_partnerships_and_facilities(nlp, text, verb, expected):
    doc = make_doc(nlp, text)
    assert ActorResolver(doc).resolve(subject_of(doc, verb)) == expected


def test_title_only_subjects_are_the_title_holders(nlp):
    people = [person("Antony Blinken", "USA", "minister", titles=["Secretary of State"]),
              person("Penny Wong", "AUS", "minister", titles=["Foreign Minister"])]
    text = "Secretary Blinken met Foreign Minister Penny Wong. The Secretary and the Foreign Minister will meet again."
    doc = make_doc(nlp, text, people=people)
    assert ActorResolver(doc).resolve(subject_of(doc, "meet")) == ["Antony Blinken", "Penny Wong"]
    doc = make_doc(nlp, "The Secretary and the Foreign Minister will meet again.")
    resolver = ActorResolver(doc)
    assert resolver.resolve(subject_of(doc, "meet")) == [] and resolver.denotes_actor(subject_of(doc, "meet"))


def test_our_officials_in_a_joint_text(nlp):
    title = "Joint Statement from the Leaders of Brazil, South Africa and Indonesia"
    doc = make_doc(nlp, title + "\n\nOur Foreign Ministers will meet once a year.\n", title=title)
    assert ActorResolver(doc).resolve(subject_of(doc, "meet")) == ["BRA", "ZAF", "IDN"]


def test_we_with_an_apposition_names_the_group(nlp):
    doc = make_doc(nlp, "We, the Heads of State and Government of the Member States of ASEAN, hereby agree to act.")
    assert ActorResolver(doc).resolve(subject_of(doc, "agree")) == ["ASEAN"]


def test_company_name_with_legal_form(nlp):
    doc = make_doc(nlp, "In the energy sector, Kestrel Grid Solutions, LLC will invest $300 million in Texas.")
    assert ActorResolver(doc).resolve(subject_of(doc, "invest")) == ["Kestrel Grid Solutions, LLC"]


@pytest.mark.parametrize("text, expected", [
    ("Kenya’s Leader", ["William Ruto"]),
    ("Japan's Prime Minister", ["JPN"]),  # no head of government of Japan among the people
    ("United States", ["USA"]),
    ("President Ruto", ["William Ruto"]),
    ("Thanks", []),
])
def test_resolve_text_of_a_headline_subject(nlp, text, expected):
    people = [person("William Ruto", "KEN", aliases=["Ruto", "President Ruto"])]
    doc = make_doc(nlp, "Kenya and Japan held talks.", people=people)
    assert ActorResolver(doc).resolve_text(text) == expected


def test_user_rule_folder_adds_a_joint_noun_and_a_declaration(nlp, tmp_path: Path):
    (tmp_path / "actors.yaml").write_text(yaml.safe_dump({
        "description": "test joint nouns and declarations",
        "joint_nouns": ["compact"],
        "declarations": [{"id": "test.declaration.accord.v1", "pattern": r"^(?P<group>.+?) Accord\b",
                          "examples": ["Chile-Peru Accord"]}],
    }))
    doc = make_doc(nlp, "The Chile-Peru compact will build ports.", title="Chile-Peru Accord")
    subject = subject_of(doc, "build")
    assert ActorResolver(doc).resolve(subject) == [] and ActorResolver(doc).signatories == []
    custom = ActorResolver(doc, ActorRules.load([tmp_path]))
    assert custom.resolve(subject) == ["CHL", "PER"] and custom.signatories == ["CHL", "PER"]


@pytest.mark.parametrize("sentence, verb, expected", [
    ("The Government of Japan will provide $100 million to the fund.", "provide", ["JPN"]),
    ("The U.S. International Development Finance Corporation will lend $500 million.", "lend", ["USA"]),
    ("The Japan International Cooperation Agency will finance the new bridge.", "finance", ["JPN"]),
    ("JICA will finance the new bridge.", "finance", ["JPN"]),
    ("The European Commission will mobilise new funds.", "mobilise", ["European Commission"]),
])
def test_named_government_agencies_act_for_their_country(nlp, sentence, verb, expected):
    doc = make_doc(nlp, sentence)
    assert ActorResolver(doc).resolve(subject_of(doc, verb)) == expected


def test_user_rule_folder_adds_a_national_agency(nlp, tmp_path: Path):
    (tmp_path / "actors.yaml").write_text(yaml.safe_dump({
        "description": "test agencies",
        "national_agencies": [{"id": "test.agency.nor.v1", "country": "NOR", "forms": ["Norfund"]}],
    }))
    doc = make_doc(nlp, "Norfund will invest in the wind farm.")
    subject = subject_of(doc, "invest")
    assert ActorResolver(doc).resolve(subject) != ["NOR"]
    assert ActorResolver(doc, ActorRules.load([tmp_path])).resolve(subject) == ["NOR"]


@pytest.mark.parametrize("sentence, verb, expected", [
    ("ASEAN Member States shall share early warning data.", "share", ["ASEAN"]),
    ("The SCO member states will hold joint exercises.", "hold", ["SCO"]),
    ("The EU's member states will coordinate their response.", "coordinate", ["European Union"]),
    ("The ASEAN Secretariat will prepare a report.", "prepare", ["ASEAN Secretariat"]),  # a body, not the members
])
def test_member_states_of_a_named_organisation(nlp, sentence, verb, expected):
    doc = make_doc(nlp, sentence)
    assert ActorResolver(doc).resolve(subject_of(doc, verb)) == expected


def test_government_in_reported_words_is_the_sayer_country(nlp):
    people = [person("John Mbadi", "KEN", "minister", titles=["Finance Minister"], aliases=["Mbadi"])]
    doc = make_doc(nlp, "Finance Minister John Mbadi said the government would seek a new loan from the IMF.",
                   people=people)
    assert ActorResolver(doc).resolve(subject_of(doc, "seek")) == ["KEN"]
    doc = make_doc(nlp, "The government would seek a new loan from the IMF.", people=people)
    assert ActorResolver(doc).resolve(subject_of(doc, "seek")) == []


def test_resolve_answers_again_with_a_list_of_its_own(nlp):
    """Answers are kept per token; the caller's list is a copy it may change."""
    doc = make_doc(nlp, "China and Kazakhstan signed the agreement.", title="China and Kazakhstan sign deal")
    resolver = ActorResolver(doc)
    subject = subject_of(doc, "signed")
    first = resolver.resolve(subject)
    first.append("XXX")
    assert resolver.resolve(subject) == ["CHN", "KAZ"]


@pytest.mark.parametrize("text", ["Talks between China and Kazakhstan", "ſan marino İstanbul CHINA", "U.S.-China"])
def test_country_offsets_skip_exactly_what_each_form_s_gate_rejects(text):
    """The scan tests ASCII forms against the text lowered once: the same as each form's gate."""
    from pipeline.actors import _country_patterns

    found: list[tuple[int, int, str]] = []
    for form in _country_patterns():
        if form.gate.admits(text):
            for m in form.pattern.finditer(text):
                if not any(s <= m.start() < e or m.start() <= s < m.end() for s, e, _ in found):
                    found.append((m.start(), m.end(), form.code))
    assert _country_offsets.__wrapped__(text) == tuple((code, start) for start, _, code in sorted(found))


def test_whole_form_matches_a_form_only_as_a_whole_word_and_compiles_it_once():
    """Organisation, agency and country forms share one cached whole-word regex per form and flags."""
    from pipeline.actors import _whole_form

    form = _whole_form("U.S.")
    assert [m.start() for m in form.finditer("U.S. and the U.S.-led; U.S.A. and xU.S.")] == [0]
    assert _whole_form("SCO").search("the SCO summit") and not _whole_form("SCO").search("the sco summit")
    assert _whole_form("sco", re.IGNORECASE).search("the SCO summit")
    assert _whole_form("SCO") is _whole_form("SCO")
