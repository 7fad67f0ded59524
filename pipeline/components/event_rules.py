"""Schema of models/rules/events.yaml: trigger rules, noun classes, status cues, vetoes, PLOVER;
and the trigger rules compiled for matching (`TriggerShape`, `node_keys`).

Validated with `extra="forbid"` (via `Rule`/`RuleFile`), so a misspelt key or an unknown
'@class' fails at load time with the file and the entry named.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator
from spacy.attrs import IDS
from spacy.strings import get_string_id
from spacy.tokens import Token

from pipeline.components import event_syntax as syn
from pipeline.components.spans import plural_forms
from pipeline.records import EventStatus, EventType
from pipeline.rules.loader import MODELS_DIR, Rule, RuleFile, RuleFileError, load_rules

RULES_NAME = "events"


class TriggerRule(Rule):
    """A word that reports an event, with the grammatical shape it must have."""

    type: EventType | Literal["object"] = Field(description="Event type, or 'object': the class of the object.")
    pos: Literal["verb", "noun"] = Field(description="Part of speech of the trigger word.")
    lemmas: list[str] = Field(min_length=1, description="Trigger lemmas ('visit', 'meet').")
    forms: list[str] = Field(default_factory=list, description="Irregular forms for blank mode ('met').")
    objects: list[str] = Field(default_factory=list, description="Required object lemma or '@class'.")
    object_vetoes: list[str] = Field(default_factory=list, description="Object or modifier lemmas that veto.")
    preps: dict[str, list[str]] = Field(
        default_factory=dict,
        description="Required preposition -> allowed objects: lemma, '@class', '$LABEL' or '$POS' ([] = any).")
    governors: list[str] = Field(default_factory=list, description="Required governing verb lemma (nouns).")
    modifiers: list[str] = Field(default_factory=list, description="Required modifier lemma or '@class'.")
    needs_pair: bool = Field(False, description="Needs two parties: plural subject or a counterpart.")
    intransitive: bool = Field(False, description="Verbs: only without a direct object ('leaders convened').")
    object_is_party: bool = Field(False, description="The direct object is a counterpart ('met Putin').")
    subject_hosts: bool = Field(False, description="The subject holds the gathering: its parties are the event's.")
    folds_into: list[EventType] = Field(
        default_factory=list, description="Types of an earlier event with the same parties it is part of.")
    needs_name: list[str] = Field(default_factory=list, description="Lemmas that count only inside a name.")
    plural_only: list[str] = Field(default_factory=list, description="Lemmas that count only in the plural.")
    pattern: list[dict] | None = Field(
        None, description="Raw DependencyMatcher pattern; node 'trigger' is the anchor, 'object' an object.")


class RetypeRule(Rule):
    from_type: EventType
    to_type: EventType
    multilateral_parties: list[str] = Field(
        default_factory=list,
        description="Party kinds that keep a two-party summit multilateral: 'organisation' (ASEAN-U.S. Summit).")


class AnaphoraRule(Rule):
    determiners: list[str] = Field(description="Determiners of a later reference ('this visit').")
    pronouns: list[str] = Field(description="Possessive pronouns of a later reference ('my visit').")
    adverbs: list[str] = Field(default_factory=list, description="Adverbs of a repeated mention ('met again').")
    first_mention_types: list[EventType] = Field(
        default_factory=list, description="Types whose bare 'the X' may be a first report ('the inauguration').")


class StatusCue(Rule):
    kind: Literal["negation", "aux", "governor", "modifier", "tense"]
    words: list[str] = Field(min_length=1, description="Cue words (fine-grained tags for kind 'tense').")
    status: EventStatus | None = Field(None, description="Status the cue gives; None keeps the tense's.")
    mode: str | None = Field(None, description="PLOVER mode the cue gives ('future', 'negated', ...).")
    emit: bool = Field(True, description="False: an event with this cue is not written.")


class VetoRule(Rule):
    governors: list[str] = Field(min_length=1, description="Head words under which a trigger is no event.")
    infinitive_only: bool = Field(False, description="Veto only an infinitive trigger ('including to hold').")


class PloverRule(Rule):
    type: EventType | None = None
    status: EventStatus | None = None
    event: str = Field(pattern=r"^[A-Z]+$", description="PLOVER event category.")
    mode: str | None = None


class EventFile(RuleFile):
    classes: dict[str, list[str]] = Field(default_factory=dict, description="Noun classes ('@summit').")
    triggers: list[TriggerRule] = Field(default_factory=list)
    bilateral_summit: RetypeRule | None = None
    anaphora: AnaphoraRule | None = None
    city_names: list[str] = Field(
        default_factory=list,
        description="Cities the country gazetteer maps to a country ('Washington'): a location keeps their name.")
    status_cues: list[StatusCue] = Field(default_factory=list)
    vetoes: list[VetoRule] = Field(default_factory=list)
    plover: list[PloverRule] = Field(default_factory=list)

    @model_validator(mode="after")
    def _classes_exist(self) -> "EventFile":
        for rule in self.triggers:
            refs = [*rule.objects, *rule.modifiers, *(w for ws in rule.preps.values() for w in ws)]
            for ref in refs:
                if ref.startswith("@") and ref[1:] not in self.classes:
                    raise ValueError(f"rule {rule.id}: unknown class {ref}")
        return self


def load_event_rules(rules_dirs: Iterable[str | Path] = ()) -> EventFile:
    """The shipped events.yaml merged with the user's; fails with RuleFileError when broken."""
    data = load_rules(RULES_NAME, EventFile, rules_dirs)
    if data.anaphora is None or data.bilateral_summit is None:
        path = MODELS_DIR / "rules" / f"{RULES_NAME}.yaml"
        raise RuleFileError(path, "file", "anaphora and bilateral_summit are required")
    return data


#: A token attribute value as `Doc.to_array` holds it: (attribute id, string hash).
WordKey = tuple[int, int]
#: Pattern keys of the word attributes a raw pattern's node can be looked up by.
_WORD_ATTRS = ("ORTH", "TEXT", "LOWER", "LEMMA", "NORM")


def word_keys(attr: str, words: Iterable[str]) -> list[WordKey]:
    """Look-up keys of words of one attribute ('LOWER', 'LEMMA'); TEXT is ORTH, as in spaCy patterns."""
    return [(IDS["ORTH" if attr == "TEXT" else attr], get_string_id(w)) for w in words]


def node_keys(attrs: dict) -> list[list[WordKey]] | None:
    """What a node of a raw pattern (its RIGHT_ATTRS) asks of a token's words, one list of
    allowed keys per attribute: a token that has a key of every list may be the node, no other
    can. None when it asks nothing of the words (`{DEP: nsubj}`) or has an operator (`OP: "!"`
    matches the other words): any token may be the node."""
    if "OP" in attrs:
        return None
    asked = []
    for key, value in attrs.items():
        if key not in _WORD_ATTRS:
            continue
        if isinstance(value, dict) and list(value) == ["IN"]:
            value = value["IN"]
        elif not isinstance(value, str):
            continue
        words = [value] if isinstance(value, str) else value
        if all(isinstance(w, str) for w in words):
            asked.append(word_keys(key, words))
    return asked or None


def class_words(refs: Iterable[str], classes: Mapping[str, Iterable[str]]) -> list[str]:
    """Casefolded words of rule references, an '@class' expanded into its (sorted) words."""
    out: list[str] = []
    for ref in refs:
        out += sorted(classes[ref[1:]]) if ref.startswith("@") else [ref.casefold()]
    return out


@dataclass(frozen=True)
class TriggerShape:
    """One grammatical shape of a trigger rule: a trigger word (by `attr`, spaCy's LEMMA or
    LOWER) of a part of speech, and where the rule asks for them its governor's lemma, a
    modifier, a preposition and that preposition's object (None: not asked for). It states
    what a DependencyMatcher pattern would, but is tested from the trigger words found by
    one look-up per token: spaCy's matcher tests every word set at every token."""

    attr: Literal["LEMMA", "LOWER"]
    words: frozenset[str]
    pos: frozenset[str]
    governors: frozenset[str] | None = None
    modifiers: frozenset[str] | None = None
    prep: str | None = None
    objects: frozenset[str] | None = None

    def fits(self, trigger: Token) -> bool:
        """Has a token whose `attr` is one of `words` this shape around it?"""
        if trigger.pos_ not in self.pos:
            return False
        if self.governors is not None and (trigger.head.i == trigger.i or trigger.head.lemma_ not in self.governors):
            return False
        if self.modifiers is not None and not any(c.lower_ in self.modifiers for c in syn.children(trigger)):
            return False
        if self.prep is None:
            return True
        preps = [c for c in syn.children(trigger) if c.lower_ == self.prep]
        if self.objects is None:
            return bool(preps)
        return any(o.lower_ in self.objects for p in preps for o in syn.children(p))

    def keys(self) -> list[WordKey]:
        """Look-up keys of the trigger words."""
        return word_keys(self.attr, self.words)


def trigger_shapes(rule: TriggerRule, classes: Mapping[str, Iterable[str]]) -> list[TriggerShape]:
    """The shapes of a rule without a raw pattern, in the order its matches are read: per
    trigger form (lemma; then a noun's plural or a verb's irregular forms, for the tagger's
    slips), per required preposition."""
    pos = frozenset({"VERB", "AUX"} if rule.pos == "verb" else {"NOUN", "PROPN"})  # "they met following" is AUX
    lemmas = [lemma.casefold() for lemma in rule.lemmas]
    anchors: list[tuple[Literal["LEMMA", "LOWER"], frozenset[str]]] = [("LEMMA", frozenset(lemmas))]
    if rule.pos == "noun":
        anchors.append(("LOWER", frozenset(f for lemma in lemmas for f in plural_forms(lemma))))
    elif rule.forms:
        anchors.append(("LOWER", frozenset(f.casefold() for f in rule.forms)))
    governors = frozenset(g.casefold() for g in rule.governors) if rule.governors else None
    modifiers = frozenset(class_words(rule.modifiers, classes)) if rule.modifiers else None
    shapes = []
    for attr, words in anchors:
        base = TriggerShape(attr, words, pos, governors, modifiers)
        if not (rule.preps and rule.pos == "verb"):
            shapes.append(base)
            continue
        for prep, objs in rule.preps.items():
            checked = bool(objs) and not any(o.startswith("$") for o in objs)  # labels are checked in code
            objects = frozenset(class_words(objs, classes)) if checked else None
            shapes.append(TriggerShape(attr, words, pos, governors, modifiers, prep, objects))
    return shapes
