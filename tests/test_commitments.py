"""Commitments extractor: trigger families, vetoes, actors, rule sweep and user rule folders."""
from __future__ import annotations

import datetime as dt
import random
import re
from pathlib import Path

import pytest
import yaml

from pipeline.components.commitments import CommitmentFile, Subtrees, _Hits
from pipeline.token_columns import Tokens
from pipeline.rules.loader import RuleFileError, load_rules


@pytest.fixture(scope="module")
def nlp():
    """The model with only this extractor: people records are optional input (degrade gracefully)."""
    from pipeline.nlp import build_nlp

    return build_nlp(extractors=["diplo_commitments"])


def commitments(nlp, text: str, published: dt.date | None = None, title: str | None = None, source: str | None = None):
    doc = nlp.make_doc(text)
    doc._.published, doc._.title, doc._.source = published, title, source
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    return doc._.commitments


# sentence, modality, actor
POSITIVES = [
    # will / shall / scheduled / plan
    ("China will continue to deepen practical cooperation with Uzbekistan.", "will", ["CHN"]),
    ("Russia shall provide the fuel for the power plant.", "will", ["RUS"]),
    ("Prime Minister Narendra Modi is scheduled to visit Moscow next month.", "will", ["Narendra Modi"]),
    ("Egypt plans to expand the Suez Canal economic zone by 2030.", "will", ["EGY"]),
    ("Xi said China will open its market wider to Central Asian countries.", "will", ["CHN"]),
    ("The foreign ministers affirmed that they would convene a working group on trade.", "will", None),
    # agree / decide
    ("Both sides agreed to step up coordination on regional security.", "agree", None),
    ("China and Brazil reached important consensus on expanding trade in local currencies.", "agree", ["CHN", "BRA"]),
    ("Vietnam decided to postpone the railway project until 2027.", "decide", ["VNM"]),
    ("Chancellor Olaf Scholz has ordered that the review be completed by June.", "decide", ["Olaf Scholz"]),
    # pledge / announce
    ("China and Pakistan are committed to building the economic corridor.", "pledge", ["CHN", "PAK"]),
    ("Japan pledged to provide $2 billion for the reconstruction of Ukraine.", "pledge", ["JPN"]),
    ("The minister stressed Germany's commitment to supporting the reconstruction of Ukraine.", "pledge", ["DEU"]),
    ("President Putin announced to open two new consulates in Mongolia.", "announce", ["Putin"]),
    ("Indonesia announced that it will join the New Development Bank.", "announce", ["IDN"]),
    # soft: ready / need / should / hope / support
    ("China stands ready to work with Egypt to promote the peace process.", "ready", ["CHN"]),
    ("Kazakhstan is willing to expand transit cargo through its ports.", "ready", ["KAZ"]),
    ("Our two countries need to expand cooperation in energy and mining.", "need", None),
    ("Brazil will need to review the proposal before the summit.", "need", ["BRA"]),
    ("China and Russia should strengthen coordination at the United Nations.", "should", ["CHN", "RUS"]),
    ("Let us work together to open a new chapter in China-Africa relations.", "should", None),
    ("It is important that we strengthen exchanges between our young people.", "should", None),
    ("France proposed to hold a conference on the reconstruction of Lebanon.", "should", ["FRA"]),
    ("Mongolia hopes to join the railway project next year.", "hope", ["MNG"]),
    ("Kenya looks forward to hosting the next China-Africa forum.", "hope", ["KEN"]),
    ("China supports Kazakhstan in hosting the next summit.", "support", ["CHN"]),
    ("Egypt welcomes Chinese investment in the Suez Canal economic zone.", "support", ["EGY"]),
]


@pytest.mark.parametrize("text, modality, actor", POSITIVES)
def test_trigger_families(nlp, text, modality, actor):
    records = commitments(nlp, text)
    assert len(records) == 1, records
    assert records[0].modality == modality
    if actor is not None:
        assert records[0].actor == actor


NEGATIVES = [
    "The new railway will promote the economic development of the whole region.",  # prediction, inanimate
    "The project will take ten years to complete.",  # inanimate subject
    "The pipeline will be delivered by the end of next year.",  # agentless passive
    "We urge the United States to lift the sanctions.",  # demand on a third party
    "Will China stop its purchases of Iranian oil?",  # question
    "China and Kazakhstan signed ten cooperation documents last year.",  # past description
    "China firmly opposes unilateral sanctions.",  # stance
    "As a Chinese saying goes, « Friends must keep their word. »",  # quoted saying
    "African countries need to vet such loans carefully.",  # generic advice, no actor
    "If the talks fail, Iran will resume enrichment.",  # conditional
    "The summit will be a great success.",  # prediction
    "Countries may seek alternative suppliers.",  # may
    "India is expected to sign the deal next week.",  # prediction by others
    "We hope the US side will stop interfering in China's internal affairs.",  # hope aimed at others
    "We hope the US will correct its wrong practices.",  # 'US' is the country, not 'us'
    "We urge the Philippines to stop provocations.",  # demand on a third party
    "Beijing will likely retaliate against the new tariffs.",  # hedged forecast
    "President Macron stressed the importance of Iran returning to the negotiating table.",  # demand on others
    "The minister called for Japan to apologise for its wartime past.",  # demand on others
    "Critics say Kenya should renegotiate the loan terms before borrowing more.",  # advice by non-parties
    "The ministers did not agree on a date for the next round.",  # negated past: nothing agreed
    "He expressed deep concern over Iran's continued support for the militias.",  # not a pledge
    "President Trump announced a trade agreement with the United Kingdom.",  # concluded deal
    "Both sides welcomed the resumption of direct flights.",  # past development
    "Our two countries have always supported each other.",  # history
    "The analyst agrees that the deals could generate significant growth.",  # judgement
    "You said we should ask the relevant department.",  # the addressee's words
]


@pytest.mark.parametrize("text", NEGATIVES)
def test_not_commitments(nlp, text):
    assert commitments(nlp, text, source="Ministry of Foreign Affairs of the People's Republic of China") == []


def test_hope_for_both_sides_includes_the_speaker(nlp):
    text = "China and Laos held talks. China hopes that the two sides will deepen cooperation."
    records = commitments(nlp, text, title="China and Laos hold talks")
    assert [(r.modality, sorted(r.actor)) for r in records] == [("hope", ["CHN", "LAO"])]


def test_negation_and_plover_mode(nlp):
    (rec,) = commitments(nlp, "China will not accept any interference in its internal affairs.")
    assert rec.negated is True and rec.modality == "will" and rec.plover_mode == "negated"
    (rec,) = commitments(nlp, "China will accept the invitation to the conference.")
    assert rec.negated is False and rec.plover_mode == "future" and rec.plover_event == "AGREE"
    (rec,) = commitments(nlp, "China and Laos should expand cooperation in agriculture.")
    assert rec.plover_mode == "hypothetical" and rec.strength == "soft"
    (rec,) = commitments(nlp, "China supports Laos in hosting the next summit.")
    assert rec.plover_event == "SUPPORT"


def test_history_is_not_a_commitment(nlp):
    text = "President Xi put forward the initiative in Astana in 2013."
    assert commitments(nlp, text, published=dt.date(2024, 7, 2)) == []
    assert len(commitments(nlp, "President Xi put forward the initiative in Astana in June.",
                           published=dt.date(2024, 7, 2))) == 1


def test_frame_wins_over_modal(nlp):
    (rec,) = commitments(nlp, "President Erdogan announced that Turkey will host the next summit.")
    assert rec.modality == "announce" and rec.strength == "firm" and rec.actor == ["TUR"]


def test_embedded_actor_of_agreed_that(nlp):
    (rec,) = commitments(nlp, "The two sides agreed that Iraq's security forces must lead the operation.")
    assert rec.modality == "agree" and rec.actor == ["IRQ"]


def test_action_keeps_coordinated_verbs_and_counterparty(nlp):
    (rec,) = commitments(nlp, "China will work with Kazakhstan, strengthen mutual trust and expand trade.")
    assert rec.action.startswith("work with Kazakhstan")
    assert rec.action.endswith("expand trade")
    assert rec.counterparty == ["KAZ"]


def test_due_date_resolved_against_publication(nlp):
    (rec,) = commitments(nlp, "In 2027, Egypt will host the forum.", published=dt.date(2025, 3, 1))
    assert rec.due == "2027"
    (rec,) = commitments(nlp, "Egypt will host the forum next year.", published=dt.date(2025, 3, 1))
    assert rec.due == "2026"
    (rec,) = commitments(nlp, "Egypt will host the forum.", published=dt.date(2025, 3, 1))
    assert rec.due is None


def test_one_commitment_per_sentence(nlp):
    records = commitments(nlp, "China will support Kazakhstan and will help it build the railway.")
    assert len(records) == 1 and records[0].modality == "will"


def test_press_conference_speaker_and_we(nlp):
    text = (
        "Foreign Ministry Spokesperson Hua Chunying's Regular Press Conference\n\n"
        "Q: Will China send a delegation?\n\n"
        "A: We will send a delegation to the talks.\n"
    )
    records = commitments(nlp, text, title="Foreign Ministry Spokesperson Hua Chunying's Regular Press Conference",
                          source="Ministry of Foreign Affairs of the People's Republic of China")
    assert len(records) == 1
    assert records[0].actor == ["CHN"] and records[0].speaker == "Hua Chunying"


def test_signed_article_author_is_speaker_and_i(nlp):
    text = ("Chinese President Xi Jinping published a signed article in a Serbian newspaper on Monday.\n"
            "Friendship Forged in Steel – Xi Jinping, President of the People's Republic of China\n"
            "I will soon pay a state visit to Serbia. China and Serbia are ironclad friends. "
            "China will import more Serbian farm products.\n")
    records = commitments(nlp, text, source="Xinhua")
    assert [(r.actor, r.speaker) for r in records] == [(["Xi Jinping"], "Xi Jinping"), (["CHN"], "Xi Jinping")]


def test_quoted_and_reported_speaker(nlp):
    records = commitments(nlp, '"We will open the market further," Premier Li Qiang said.')
    assert records[0].speaker == "Li Qiang"
    records = commitments(nlp, "President Lula said Brazil is willing to expand soybean exports to China.")
    assert (records[0].actor, records[0].speaker) == (["BRA"], "Lula")
    records = commitments(nlp, "China expressed the hope that the two sides will strengthen coordination.",
                          title="China and Laos hold talks")
    assert records[0].modality == "hope"


def test_list_items_inherit_previous_commitment(nlp):
    text = ("Both sides decided to cooperate in three areas. First, expand trade in farm products. "
            "Second, promote joint research in green energy.")
    records = commitments(nlp, text, title="China and Chile sign trade deal")
    assert [r.modality for r in records] == ["decide", "decide", "decide"]


def test_blank_model_does_not_crash():
    from pipeline.nlp import build_nlp

    blank = build_nlp("blank", extractors=["diplo_commitments"])
    doc = blank("China will expand imports from Kenya. The weather was fine.")
    assert [r.actor for r in doc._.commitments] == [["CHN"]]


# ---------------------------------------------------------------- rule files


def shipped_rules() -> CommitmentFile:
    return load_rules("commitments", CommitmentFile)


def test_rule_ids_unique_and_examples_present():
    rules = shipped_rules().triggers
    assert len({r.id for r in rules}) == len(rules)
    assert all(r.examples for r in rules)


@pytest.mark.parametrize("rule", shipped_rules().triggers, ids=lambda r: r.id)
def test_every_rule_fires_on_its_examples(nlp, rule):
    for example in rule.examples:
        records = commitments(nlp, example)
        assert [r.rule for r in records] == [rule.id], example


def test_user_rule_folder_adds_a_trigger(tmp_path: Path):
    from pipeline.nlp import build_nlp

    text = "Chile is minded to expand its lithium exports to Asia."
    base = build_nlp(extractors=["diplo_commitments"])
    assert base(text)._.commitments == []
    (tmp_path / "commitments.yaml").write_text(yaml.safe_dump({
        "description": "test triggers",
        "triggers": [{"id": "test.minded.v1", "modality": "hope", "phrases": ["be minded to"],
                      "complement": True, "priority": 2}],
    }))
    custom = build_nlp(rules_dirs=[str(tmp_path)], extractors=["diplo_commitments"])
    (rec,) = custom(text)._.commitments
    assert (rec.rule, rec.modality, rec.actor) == ("test.minded.v1", "hope", ["CHL"])


def test_invalid_rule_file_names_file_and_entry(tmp_path: Path):
    (tmp_path / "commitments.yaml").write_text(yaml.safe_dump({
        "description": "broken",
        "triggers": [{"id": "test.bad.v1", "modality": "maybe", "phrases": ["might"]}],
    }))
    with pytest.raises(RuleFileError, match=r"commitments.yaml: triggers\[0\] \(id=test.bad.v1\)"):
        load_rules("commitments", CommitmentFile, [tmp_path])


# ---------------------------------------------------------------- phrasings of real diplomatic texts

# sentence, modality, actor (None: not checked)
MORE_POSITIVES = [
    ("Japan and the European Union plan to explore cooperation in green hydrogen.", "will", ["JPN", "European Union"]),
    ("We are excited to join forces with our partners in Africa.", "ready", None),
    ("India is eager to expand its defence cooperation with France.", "ready", ["IND"]),
    ("Our shared interests require us to confront the threat of climate change.", "need", None),
    ("India remains committed to a peaceful resolution of the border question.", "pledge", ["IND"]),
    ("Russia is prepared to resume talks on strategic stability.", "ready", ["RUS"]),
    ("The EU stands ready to provide further assistance to Moldova.", "ready", ["European Union"]),
    ("China is willing to work with Brazil to implement the outcomes of the summit.", "ready", ["CHN"]),
    ("We will continue to work closely with our partners in the region.", "will", None),
    ("Member States shall report annually on the implementation of this Declaration.", "will", []),
    ("The Parties shall cooperate in the fields of energy and transport.", "will", None),
    ("We are united in recognizing that climate change is a priority and will work to strengthen our climate "
     "actions.", "will", None),
    ("The ministers reaffirmed their commitment, as neighbours and partners, to deepen trade.", "pledge", None),
    ("The two presidents also pledged to continue cooperation – regionally and globally – on fighting terrorism.",
     "pledge", None),
    ("The Japan-EU partnership will upgrade port infrastructure in Southeast Asia.", "will", ["JPN", "European Union"]),
    ("China and Laos stressed the need to restore the old railway in Laos.", "need", ["CHN", "LAO"]),
    ("The ministers said they needed to expand the talks to new areas.", "need", None),  # reported, not history
    ("Russia and China reaffirmed their determination to oppose unilateral sanctions.", "pledge", ["RUS", "CHN"]),
    ("The High Contracting Parties shall settle their disputes by peaceful means.", "will", []),
    ("Each Party shall notify the other Party of any change in its laws.", "will", []),
    ("This calls on us to redouble our efforts.", "need", None),
    ("Beijing has pledged to cut coal consumption by 2030.", "pledge", ["CHN"]),
    ("Washington and Seoul agreed to expand joint exercises.", "agree", ["USA", "KOR"]),
    ("China welcomes Saudi plans to invest in the economic corridor with Pakistan.", "support", ["CHN"]),  # welcomer
    ("The plan that the two sides agreed to implement will create jobs.", "agree", None),
    ("China stands ready, together with the international community, to help Afghanistan rebuild.", "ready", ["CHN"]),
    ("Egypt is willing — as it has always been — to host the talks.", "ready", ["EGY"]),
    ("Both countries expressed their intention to expand cooperation in space.", "will", None),
    ("Russia remains open to dialogue with the United States on strategic stability.", "ready", ["RUS"]),
    ("In the energy sector, Kestrel Grid Solutions, LLC will invest $300 million in a new plant in Texas.", "will",
     ["Kestrel Grid Solutions, LLC"]),
]


@pytest.mark.parametrize("text, modality, actor", MORE_POSITIVES)
def test_more_phrasings(nlp, text, modality, actor):
    records = commitments(nlp, text)
    assert [r.modality for r in records] == [modality]
    if actor is not None:
        assert records[0].actor == actor


MORE_NEGATIVES = [
    '"And we had to make that choice," the minister said.',  # past, in a quotation
    "Kenya had to postpone the vote last year.",  # past obligation
    "We support the rule of law, freedom of navigation and the peaceful resolution of disputes.",  # stance
    "China supports the principle of non-interference in internal affairs.",  # stance
    "Full of promise, the alliance looks forward to the future.",  # no action
    "As friends of Venezuela, we stress the urgent need to restore democracy in Venezuela.",  # demand on Venezuela
    "The Koysha Plant will double the country's generation capacity.",  # inanimate subject
    "The Lobito Terminal will handle twice as much copper ore.",  # inanimate subject
    "We call on all parties to exercise restraint.",  # appeal to others
    "Brazil calls on the international community to increase climate finance.",  # appeal to others
    "Kenya's president sought to address media speculation that his government plans to renegotiate the loans.",
    "The two sides have not disclosed the final interest rate the two sides agreed upon.",  # a past agreement
    "Kenya will not have to repay any principal during the first five years.",  # freed from an obligation
    "Kenya does not need to repay the loan before 2030.",  # no obligation
    '"But it will result in strong economic growth," the minister said.',  # prediction
]


@pytest.mark.parametrize("text", MORE_NEGATIVES)
def test_more_non_commitments(nlp, text):
    assert commitments(nlp, text, source="The White House") == []


def test_joint_text_we_is_the_group(nlp):
    title = "G20 Leaders’ Declaration"
    text = (f"{title}\n\nWe, the leaders of the G20, will work to reform the UN Security Council. "
            "In line with the United Nations Convention on the Law of the Sea, we will uphold freedom of navigation.\n")
    records = commitments(nlp, text, title=title, source="The White House")
    assert [r.actor for r in records] == [["G20"], ["G20"]]
    title = "Joint Statement from the Leaders of Brazil, South Africa and Indonesia"
    (rec,) = commitments(nlp, f"{title}\n\nWe pledge to strengthen South-South cooperation.\n", title=title)
    assert rec.actor == ["BRA", "ZAF", "IDN"]


def test_agreement_binds_the_with_partners(nlp):
    text = ("President Lula also met with President Cyril Ramaphosa of South Africa and President Joko Widodo of "
            "Indonesia respectively, reaching important consensus on expanding trade.")
    (rec,) = commitments(nlp, text)
    assert rec.modality == "agree" and rec.actor == ["Lula", "Cyril Ramaphosa", "Joko Widodo"]
    (rec,) = commitments(nlp, "Chile agreed with Peru to reopen the border crossing.")
    assert rec.actor == ["CHL", "PER"]
    (rec,) = commitments(nlp, "Chile pledged to reopen the border crossing after talks with Peru.")
    assert rec.actor == ["CHL"]  # a pledge is the subject's own


def test_they_after_a_call_is_both_leaders(nlp):
    text = ("Chancellor Olaf Scholz spoke today with President Emmanuel Macron of France. "
            "Together, they committed to deepening the partnership. "
            "They emphasized their shared commitment, as founding members of the Union, to respect for the rule "
            "of law.")
    records = commitments(nlp, text)
    assert [(r.modality, r.actor) for r in records] == [("pledge", ["Olaf Scholz", "Emmanuel Macron"])] * 2


@pytest.mark.parametrize("title, actor", [
    ("Kenya’s Leader Thanks Japan’s Kishida, Pledges to Expand Trade", ["KEN"]),
    ("United States Vows to Defend Philippines in South China Sea", ["USA"]),
])
def test_headline_commitment(nlp, title, actor):
    records = commitments(nlp, title + "\n\nThe talks took place on Monday.\n", title=title)
    assert [(r.modality, r.actor) for r in records] == [("pledge", actor)]
    assert commitments(nlp, "Kenya’s Leader Thanks Japan’s Kishida, Pledges to Expand Trade\n\nThe talks ended.\n",
                       title="Talks in Tokyo") == []  # only the title line is read as a headline


@pytest.mark.parametrize("field, word, text", [
    ("stance_objects", "multipolarity", "China supports multipolarity in world affairs."),
    ("empty_complements", "anniversary", "Kenya looks forward to the anniversary."),
    ("third_party_actions", "reopen",
     "As friends of Venezuela, we stress the need to reopen the embassies in Venezuela."),
])
def test_user_rule_folder_extends_the_vetoes(tmp_path: Path, field, word, text):
    from pipeline.nlp import build_nlp

    base = build_nlp(extractors=["diplo_commitments"])
    assert len(commitments(base, text, source="The White House")) == 1
    (tmp_path / "commitments.yaml").write_text(yaml.safe_dump({
        "description": "test vetoes", field: [word]}))
    custom = build_nlp(rules_dirs=[str(tmp_path)], extractors=["diplo_commitments"])
    assert commitments(custom, text, source="The White House") == []


def test_appeal_that_includes_the_speaker_side(nlp):
    text = "China and Laos met in Vientiane. China called on the two sides to speed up the railway project."
    records = commitments(nlp, text)
    assert [(r.modality, r.actor) for r in records] == [("should", ["CHN"])]


def test_operative_clauses_of_a_declaration_speak_for_its_signatories(nlp):
    title = "ASEAN Leaders’ Declaration on Disaster Resilience"
    text = (f"{title}\n\nWE, the Heads of State/Government of the Member States of ASEAN, DO HEREBY DECLARE TO:\n\n"
            "1. Commit to strengthening regional cooperation in disaster risk reduction;\n\n"
            "2. Agree to establish a regional stockpile of relief items;\n\n"
            "ASEAN Member States shall share early warning data.\n")
    records = commitments(nlp, text, title=title)
    assert [(r.modality, r.actor) for r in records] == [  # the frame names no trigger: items keep their own
        ("pledge", ["ASEAN"]), ("agree", ["ASEAN"]), ("will", ["ASEAN"])]
    title = "Disaster resilience in Southeast Asia"  # no joint text: a bare imperative speaks for nobody
    assert commitments(nlp, f"{title}\n\nAgree to establish a regional stockpile of relief items.\n", title=title) == []


def test_operative_list_items_take_the_frame_trigger(nlp):
    title = "EU-Japan Leaders’ Statement on Green Growth"
    text = (f"{title}\n\nWE HEREBY COMMIT TO:\n\n"
            "1. EXPAND cooperation on offshore wind and green hydrogen;\n\n"
            "Energy Transition\n\n"  # a heading inside the list
            "2. FURTHER support the training of engineers in the region;\n\n"
            "3. NOTE the work of the International Energy Agency;\n\n"  # no undertaking
            "4. EU-Japan Green Alliance projects shall be reviewed every year;\n\n"  # no item: opens with a name
            "ADOPTED in Tokyo on the Fifth of May 2025.\n\n"
            "DEEPEN is the name of the joint programme.\n")  # after the closer: no item
    records = commitments(nlp, text, title=title)
    assert [(r.modality, r.actor, r.rule) for r in records] == [
        ("pledge", ["European Union", "JPN"], "commitments.pledge.v1")] * 2
    assert [r.trigger for r in records] == ["EXPAND", "support"]


def test_both_after_two_named_people(nlp):
    text = ("Chancellor Olaf Scholz spoke today with President Emmanuel Macron of France. "
            "Both agreed to maintain close coordination on Ukraine.")
    (rec,) = commitments(nlp, text, title="Germany and France coordinate")
    assert rec.actor == ["Olaf Scholz", "Emmanuel Macron"]


def test_self_named_we_and_he_added_quotes(nlp):
    text = ("Growth Partnership Statement\n\n"
            "WE, the Member States of the African Union and Japan, gathered in Yokohama;\n\n"
            "We will expand cooperation in agriculture.\n")
    records = commitments(nlp, text, title="Growth Partnership Statement", source="The White House")
    assert [r.actor for r in records] == [["African Union", "JPN"]]
    text = ("Chinese Ambassador Zhao Lijian spoke to reporters in Islamabad on Monday.\n\n"
            '"In the next five years, we should encourage other countries to invest," he added.\n')
    doc_records = commitments(nlp, text, source="Voice of America")
    assert [(r.modality, r.speaker) for r in doc_records] == [("should", "Zhao Lijian")]


def test_subtrees_follow_spacy_order(nlp):
    """`Subtrees` gives every token's `Token.subtree`, in the same order."""
    doc = nlp("China and Kazakhstan, which border each other, agreed to build the road that links "
              "Almaty and Urumqi. If funds allow, work will start in 2026.")
    subtree = Subtrees(doc)
    for tok in doc:
        assert subtree(tok.i) == [t.i for t in tok.subtree]


def test_subtrees_depth_and_top_follow_spacy(nlp):
    """`Subtrees.depth` counts `Token.ancestors`, `children` lists `Token.children`; `top` is the
    first token headed outside a span."""
    doc = nlp("China and Kazakhstan, which border each other, agreed to build the road that links "
              "Almaty and Urumqi. If funds allow, work will start in 2026.")
    subtrees = Subtrees(doc)
    for tok in doc:
        assert subtrees.depth(tok.i) == len(list(tok.ancestors))
        assert subtrees.children(tok.i) == [c.i for c in tok.children]
        assert (subtrees.dep[tok.i], subtrees.lower[tok.i]) == (tok.dep, tok.lower)
    for start in range(len(doc)):
        for end in range(start + 1, min(len(doc), start + 5) + 1):
            inside = range(start, end)
            assert subtrees.top(start, end) == next(i for i in inside if doc[i].head.i not in inside or doc[i].head == doc[i])


@pytest.mark.parametrize("seed", range(20))
def test_hits_answer_like_a_search_of_each_part(seed: int):
    """`_Hits.search` gives `regex.search(part)` for any part of the text, also where a marker
    crosses a part's edge or a word runs on across it."""
    rng = random.Random(seed)
    regex = re.compile(r"\bsaying\b|\bas the saying goes\b|\badage\b", re.I)
    pieces = ["saying", "Saying", "adage", "as the", "goes", " ", " ", ".", "x", "sayings", "\n"]
    text = "".join(rng.choice(pieces) for _ in range(40))
    hits = _Hits(regex, text)
    for start in range(len(text)):
        for end in range(start, min(len(text), start + 30) + 1):
            part = text[start:end]
            assert hits.search(part, start) == (regex.search(part) is not None), (text, start, end)


def test_token_columns_read_like_tokens(nlp):
    """`Tokens` (the commitments' action phrases) gives each token's end, space flag and
    dependency, and joins token runs with the document's spacing inside a run and one space
    between runs."""
    doc = nlp("China  will build\n\nthe road , and  Kazakhstan   will pay.\n")
    columns = Tokens(doc)
    for tok in doc:
        assert columns.end_char(tok.i) == tok.idx + len(tok)
        assert columns.is_space[tok.i] == tok.is_space
        assert columns.dep[tok.i] == tok.dep
    rng = random.Random(3)
    for _ in range(200):
        tokens = sorted(rng.sample(range(len(doc)), rng.randint(1, len(doc))))
        spaced = "".join(doc[i].text + (doc[i].whitespace_ if i + 1 in tokens else " ") for i in tokens)
        assert columns.join(tokens) == re.sub(r"\s+", " ", spaced).strip()


def test_subtrees_governing_lists_the_heads_of_matching_dependents(nlp):
    """`Subtrees.governing` gives the tokens with a dependent of the relation and word asked for."""
    doc = nlp("If funds allow, work will start in 2026. China will build the road if Kazakhstan pays.")
    subtrees = Subtrees(doc)
    lowers = frozenset({doc.vocab.strings["if"]})
    expected = {t.i for t in doc if any(c.dep_ == "mark" and c.lower_ == "if" for c in t.children)}
    assert expected and subtrees.governing(doc.vocab.strings["mark"], lowers) == expected
    assert subtrees.governing(doc.vocab.strings["mark"], frozenset()) == set()
    assert subtrees.governing(lowers=lowers) == expected
    assert subtrees.governing(dep=doc.vocab.strings["nsubj"]) == {t.head.i for t in doc if t.dep_ == "nsubj"}
    assert subtrees.governing() == {t.head.i for t in doc if t.head.i != t.i}
