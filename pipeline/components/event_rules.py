"""Schema of models/rules/events.yaml: trigger rules, noun classes, status cues, vetoes, PLOVER.

Validated with `extra="forbid"` (via `Rule`/`RuleFile`), so a misspelt key or an unknown
'@class' fails at load time with the file and the entry named.
"""
from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator

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
