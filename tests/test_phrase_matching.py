"""AnchoredMatcher: the same matches, in the same order, as spaCy's Matcher on the supported subset."""
from __future__ import annotations

import random

import numpy
import pytest
import spacy
from spacy.matcher import Matcher
from spacy.tokens import Doc
from spacy.vocab import Vocab

from pipeline.components import spans
from pipeline.components.phrase_matching import AnchoredMatcher, isin_sorted

WORDS = ["we", "will", "stand", "ready", "to", "now", "fully", "agree", "agreed", "on", ",", "the", "need"]
POS = {"now": "ADV", "fully": "ADV", ",": "PUNCT", "the": "DET", "to": "PART", "on": "ADP", "we": "PRON"}
TAGS = {"will": "MD", "agreed": "VBD", "agree": "VB", "stand": "VB"}


@pytest.fixture(scope="module")
def vocab() -> Vocab:
    """A vocabulary that sets lower forms (a bare `Vocab()` leaves LOWER empty)."""
    return spacy.blank("en").vocab


def _doc(vocab: Vocab, rng: random.Random, n: int) -> Doc:
    words = [rng.choice(WORDS) for _ in range(n)]
    return Doc(vocab, words=[w.capitalize() if rng.random() < 0.2 else w for w in words],
               pos=[POS.get(w, "VERB") for w in words], tags=[TAGS.get(w, "NN") for w in words])


def _spec(rng: random.Random, fixed: bool) -> dict:
    kind = rng.random()
    if kind < 0.15:
        spec: dict = {"POS": "ADV"}
    elif kind < 0.25:
        spec = {"TAG": {"IN": ["MD", "VBD"]}}
    elif kind < 0.27:
        spec = {}
    elif kind < 0.4:
        word = rng.choice(WORDS)
        spec = {"ORTH": {"IN": [word, word.capitalize()]} if rng.random() < 0.5 else word.capitalize()}
    else:
        spec = {"LOWER": {"IN": rng.sample(WORDS, rng.randint(1, 3))} if rng.random() < 0.7 else rng.choice(WORDS)}
        if rng.random() < 0.2:
            spec["POS"] = {"IN": ["VERB", "ADV"]}
    op = None if fixed else rng.choice([None, None, None, "?", "*", "+"])
    if op:
        spec["OP"] = op
    return spec


@pytest.mark.parametrize("fixed", [False, True], ids=["operators", "fixed"])
@pytest.mark.parametrize("seed", range(100))
def test_same_matches_in_same_order_as_spacy(vocab: Vocab, seed: int, fixed: bool):
    """Random patterns, with operators or (the fixed-sequence path) without."""
    rng = random.Random(seed)
    ours, theirs = AnchoredMatcher(vocab), Matcher(vocab)
    for n in range(rng.randint(1, 6)):
        patterns = [[_spec(rng, fixed) for _ in range(rng.randint(1, 4))] for _ in range(rng.randint(1, 3))]
        ours.add(f"key{n % 3}", patterns)
        theirs.add(f"key{n % 3}", patterns)
    for _ in range(5):
        doc = _doc(vocab, rng, rng.randint(0, 25))
        assert ours(doc) == theirs(doc)
        if len(doc) > 3:
            assert ours(doc[2:-1]) == theirs(doc[2:-1])


TERMS = {
    "power": ["power plant", "plant", "power"],
    "plant": ["plant", "nuclear power plant"],  # shares terms with "power": ties broken by order added
    "mou": ["memorandum of understanding", "memorandum"],
    "city": ["city", "smart city"],
}
EXACT = {"start": ["New START", "START"]}


def test_trigger_terms_give_the_matchers_matches_in_its_order():
    """The agreement and project trigger terms (`spans.term_patterns`, LOWER) mixed with exact
    spellings (ORTH) in one matcher, as the agreement extractor adds them: `spans.matched_heads`
    breaks ties by this order."""
    nlp = spacy.blank("en")
    ours, theirs = AnchoredMatcher(nlp.vocab), Matcher(nlp.vocab, validate=True)
    for key, terms in TERMS.items():
        ours.add(key, [spans.term_patterns(t) for t in terms])
        theirs.add(key, [spans.term_patterns(t) for t in terms])
    for key, terms in EXACT.items():
        ours.add(key, [[{"ORTH": t.text} for t in nlp.make_doc(term)] for term in terms])
        theirs.add(key, [[{"ORTH": t.text} for t in nlp.make_doc(term)] for term in terms])
    words = [w for ts in (*TERMS.values(), *EXACT.values()) for t in ts for w in t.split()]
    pool = words + [w.title() for w in words] + ["plants", "cities", "memoranda", "the", "of", "."]
    rng = random.Random(7)
    docs = [Doc(nlp.vocab, words=[rng.choice(pool) for _ in range(rng.randint(0, 25))]) for _ in range(2000)]
    docs.append(nlp.make_doc("The nuclear power plant and the Smart Cities; a Memorandum of Understanding on New START."))
    for doc in docs:
        assert ours(doc) == theirs(doc), doc.text


def test_trigger_phrase_with_adverbs_and_optional_word(vocab: Vocab):
    """Overlapping matches and matches differing only in an optional word are all returned."""
    pattern = [{"LOWER": "stand"}, {"POS": "ADV", "OP": "*"}, {"LOWER": "ready"}, {"POS": "ADV", "OP": "*"},
               {"LOWER": "to", "OP": "?"}]
    ours = AnchoredMatcher(vocab)
    ours.add("ready", [pattern])
    doc = Doc(vocab, words=["We", "stand", "ready", "now", "to", "help"],
              pos=["PRON", "VERB", "ADJ", "ADV", "PART", "VERB"])
    key = vocab.strings["ready"]
    assert ours(doc) == [(key, 1, 3), (key, 1, 4), (key, 1, 5)]


@pytest.mark.parametrize("pattern", [
    [{"LOWER": {"REGEX": "^agree"}}],
    [{"LOWER": {"NOT_IN": ["agree"]}}],
    [{"LOWER": "agree", "OP": "!"}],
    [{"_": {"flag": True}}],
    [{"LIKE_NUM": True}],
])
def test_unsupported_pattern_is_refused(vocab: Vocab, pattern: list[dict]):
    with pytest.raises(ValueError):
        AnchoredMatcher(vocab).add("x", [pattern])


def test_invalid_pattern_is_refused_like_spacy(vocab: Vocab):
    with pytest.raises(ValueError):
        AnchoredMatcher(vocab).add("x", [[{"LOWR": "agree"}]])
    with pytest.raises(ValueError):
        AnchoredMatcher(vocab).add("x", [[]])


def test_missing_annotation_is_refused_like_spacy(vocab: Vocab):
    ours = AnchoredMatcher(vocab)
    ours.add("x", [[{"LOWER": "agree", "POS": "VERB"}]])
    with pytest.raises(ValueError):
        ours(Doc(vocab, words=["we", "agree"]))


@pytest.mark.parametrize("values", [[], [3], [2, 5, 9], [0, 2**63 + 1]])
def testisin_sorted_sorted_values_like_numpy(values: list[int]):
    column = numpy.array([0, 1, 2, 3, 5, 9, 10, 2**63 + 1, 2**64 - 1], dtype=numpy.uint64)
    accepted = numpy.array(values, dtype=numpy.uint64)
    assert isin_sorted(column, accepted).tolist() == numpy.isin(column, accepted).tolist()
