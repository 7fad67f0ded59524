"""AnchoredMatcher: the same matches, in the same order, as spaCy's Matcher on the supported subset."""
from __future__ import annotations

import random

import pytest
from spacy.matcher import Matcher
from spacy.tokens import Doc
import spacy
from spacy.vocab import Vocab

from pipeline.components.phrase_matching import AnchoredMatcher

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


def _spec(rng: random.Random) -> dict:
    kind = rng.random()
    if kind < 0.15:
        spec: dict = {"POS": "ADV"}
    elif kind < 0.25:
        spec = {"TAG": {"IN": ["MD", "VBD"]}}
    else:
        spec = {"LOWER": {"IN": rng.sample(WORDS, rng.randint(1, 3))} if rng.random() < 0.7 else rng.choice(WORDS)}
        if rng.random() < 0.2:
            spec["POS"] = {"IN": ["VERB", "ADV"]}
    op = rng.choice([None, None, None, "?", "*", "+"])
    if op:
        spec["OP"] = op
    return spec


@pytest.mark.parametrize("seed", range(100))
def test_same_matches_in_same_order_as_spacy(vocab: Vocab, seed: int):
    rng = random.Random(seed)
    ours, theirs = AnchoredMatcher(vocab), Matcher(vocab)
    for n in range(rng.randint(1, 6)):
        patterns = [[_spec(rng) for _ in range(rng.randint(1, 4))] for _ in range(rng.randint(1, 3))]
        ours.add(f"key{n % 3}", patterns)
        theirs.add(f"key{n % 3}", patterns)
    for _ in range(5):
        doc = _doc(vocab, rng, rng.randint(0, 25))
        assert ours(doc) == theirs(doc)
        if len(doc) > 3:
            assert ours(doc[2:-1]) == theirs(doc[2:-1])


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
