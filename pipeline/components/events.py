"""diplo_events: visits, meetings, summits, signings, ceremonies and calls, from the parse.

Reads the dependency parse, entities, `doc._.people` (names for participants, via
`pipeline.actors`) and `doc._.published` (relative dates); writes `doc._.events`, a list of
`pipeline.records.Event`.

How: every trigger rule of `models/rules/events.yaml` compiles to a spaCy `DependencyMatcher`
pattern (a trigger lemma plus, where the rule asks for them, its object, preposition,
governor or modifier), so a rule only fires on the grammatical shape it names ("paid a visit
to", "attended the ... Summit", "spoke by phone"), never on a bare keyword. Code then
confirms each match (vetoes, generic plurals, two parties for "met"), reads its arguments
from the parse (participants from subject and objects, location, date, status from tense,
modals and cues) and keeps one record per distinct event: a later mention ("this visit",
"the summit", "met again with") folds into the first one and may lend it a date or place.

Without a parser (`--model blank`) the same trigger words are matched as tokens and only
type, sentence, status cue and an unambiguous date are filled.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator
from spacy.language import Language
from spacy.matcher import DependencyMatcher, Matcher
from spacy.tokens import Doc, Span, Token

from pipeline.actors import ActorResolver, ActorRules
from pipeline.countries import countries
from pipeline.dates import find_dates
from pipeline.records import Event, EventStatus, EventType
from pipeline.rules.loader import MODELS_DIR, Rule, RuleFile, RuleFileError, load_rules

RULES_NAME = "events"
_OBJECT_DEPS = ("dobj", "nsubjpass", "attr", "oprd")
_SUBJECT_DEPS = ("nsubj", "csubj")
_PLACE_LABELS = ("GPE", "LOC", "FAC")
_UPWARD_DEPS = ("conj", "xcomp", "pcomp", "advcl", "acomp")
#: Date modifiers that bound another span ("by 2030", "since 2013"): not the date of an event.
_BOUND_MODIFIERS = {"by", "since", "until", "till", "before", "after", "through", "as of", "no later than",
                    "not later than"}


# ---------------------------------------------------------------------------- rule file schema

class TriggerRule(Rule):
    """A word that reports an event, with the grammatical shape it must have."""

    type: EventType | Literal["object"] = Field(description="Event type, or 'object': the class of the object.")
    pos: Literal["verb", "noun"] = Field(description="Part of speech of the trigger word.")
    lemmas: list[str] = Field(min_length=1, description="Trigger lemmas ('visit', 'meet').")
    forms: list[str] = Field(default_factory=list, description="Irregular forms for blank mode ('met').")
    objects: list[str] = Field(default_factory=list, description="Required object lemma or '@class'.")
    object_vetoes: list[str] = Field(default_factory=list, description="Object or modifier lemmas that veto.")
    preps: dict[str, list[str]] = Field(
        default_factory=dict, description="Required preposition -> allowed object lemmas/'@class' ([] = any).")
    governors: list[str] = Field(default_factory=list, description="Required governing verb lemma (nouns).")
    modifiers: list[str] = Field(default_factory=list, description="Required modifier lemma or '@class'.")
    needs_pair: bool = Field(False, description="Needs two parties: plural subject or a counterpart.")
    object_is_party: bool = Field(False, description="The direct object is a counterpart ('met Putin').")
    needs_name: list[str] = Field(default_factory=list, description="Lemmas that count only inside a name.")
    plural_only: list[str] = Field(default_factory=list, description="Lemmas that count only in the plural.")
    pattern: list[dict] | None = Field(
        None, description="Raw DependencyMatcher pattern; node 'trigger' is the anchor, 'object' an object.")


class RetypeRule(Rule):
    from_type: EventType
    to_type: EventType


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
        raise RuleFileError(MODELS_DIR / "rules" / f"{RULES_NAME}.yaml", "file", "anaphora and bilateral_summit are required")
    return data


# ---------------------------------------------------------------------------- candidates

@dataclass
class Candidate:
    """One event mention before deduplication."""

    rule: TriggerRule
    type: str
    trigger: Token
    anchors: list[Token]
    span: tuple[int, int]
    objects: list[Token] = field(default_factory=list)
    participants: list[str] = field(default_factory=list)
    counterparts: list[list[str]] = field(default_factory=list)
    location: str | None = None
    date_start: str | None = None
    date_end: str | None = None
    status: str = "past"
    mode: str | None = None
    emit: bool = True
    anaphoric: bool = False
    names: set[str] = field(default_factory=set)
    ordinal: str | None = None
    theme: set[str] = field(default_factory=set)
    head: str | None = None
    keys: set[str] = field(default_factory=set)
    indefinite: bool = False


def _forms(lemma: str) -> set[str]:
    """Regular inflections of a lemma, for blank-mode token matching."""
    stem = lemma[:-1] if lemma.endswith("e") else lemma
    out = {lemma, lemma + "s", lemma + "es", stem + "ed", stem + "ing", lemma + "d"}
    if lemma.endswith("y"):
        out |= {lemma[:-1] + "ies", lemma[:-1] + "ied"}
    return out


class EventExtractor:
    """The diplo_events component: see the module docstring."""

    def __init__(self, nlp: Language, name: str, rules_dirs: Sequence[str] = ()) -> None:
        self.name = name
        self.rules = load_event_rules(rules_dirs)
        self.actor_rules = ActorRules.load(rules_dirs)
        self.classes = {k: {w.casefold() for w in v} for k, v in self.rules.classes.items()}
        self.by_id = {rule.id: rule for rule in self.rules.triggers}
        self.dep_matcher = DependencyMatcher(nlp.vocab, validate=True)
        self.token_matcher = Matcher(nlp.vocab, validate=True)
        for rule in self.rules.triggers:
            try:
                self.dep_matcher.add(rule.id, self._dep_patterns(rule))
            except (ValueError, KeyError) as exc:
                raise RuleFileError(f"{RULES_NAME}.yaml", f"triggers (id={rule.id})", f"invalid pattern: {exc}") from exc
            words = sorted({f for lemma in rule.lemmas for f in _forms(lemma.casefold())} | set(rule.forms))
            self.token_matcher.add(rule.id, [[{"LOWER": {"IN": words}}]])
        self.veto_words = {w.casefold() for r in self.rules.vetoes if not r.infinitive_only for w in r.governors}
        self.verb_lemmas = {w.casefold() for r in self.rules.triggers if r.pos == "verb" for w in r.lemmas}
        self.proposal_words = {w.casefold() for r in self.rules.vetoes if r.infinitive_only for w in r.governors}
        self.class_words = set().union(*self.classes.values()) if self.classes else set()
        self.rejected: dict[str, int] = {}

    # ------------------------------------------------------------------ pattern compilation

    def _words(self, refs: Iterable[str]) -> list[str]:
        """Expand '@class' references into their words."""
        out: list[str] = []
        for ref in refs:
            out += sorted(self.classes[ref[1:]]) if ref.startswith("@") else [ref.casefold()]
        return out

    def _dep_patterns(self, rule: TriggerRule) -> list[list[dict]]:
        """DependencyMatcher patterns for a rule: its own, or the trigger plus its required arguments."""
        if rule.pattern is not None:
            return [rule.pattern]
        pos = ["VERB"] if rule.pos == "verb" else ["NOUN", "PROPN"]
        lemmas = [l.casefold() for l in rule.lemmas]
        anchors = [{"LEMMA": {"IN": lemmas}, "POS": {"IN": pos}}]
        if rule.pos == "noun":
            anchors.append({"LOWER": {"IN": lemmas + [l + "s" for l in lemmas]}, "POS": {"IN": pos}})
        patterns = []
        for attrs in anchors:
            base = [{"RIGHT_ID": "trigger", "RIGHT_ATTRS": attrs}]
            if rule.governors:
                base.append({"LEFT_ID": "trigger", "REL_OP": "<", "RIGHT_ID": "governor",
                             "RIGHT_ATTRS": {"LEMMA": {"IN": [g.casefold() for g in rule.governors]}}})
            if rule.modifiers:
                base.append({"LEFT_ID": "trigger", "REL_OP": ">", "RIGHT_ID": "modifier",
                             "RIGHT_ATTRS": {"LOWER": {"IN": self._words(rule.modifiers)}}})
            if rule.preps and rule.pos == "verb":
                for prep, objs in rule.preps.items():
                    with_prep = base + [{"LEFT_ID": "trigger", "REL_OP": ">", "RIGHT_ID": "prep",
                                         "RIGHT_ATTRS": {"LOWER": prep}}]
                    if objs:
                        with_prep.append({"LEFT_ID": "prep", "REL_OP": ">", "RIGHT_ID": "object",
                                          "RIGHT_ATTRS": {"LOWER": {"IN": self._words(objs)}}})
                    patterns.append(with_prep)
            else:
                patterns.append(base)
        return patterns

    # ------------------------------------------------------------------ component

    def __call__(self, doc: Doc) -> Doc:
        if not doc.has_annotation("DEP"):
            doc._.events = self._token_events(doc)
            return doc
        published = _as_date(getattr(doc._, "published", None))
        resolver = ActorResolver(doc, self.actor_rules)
        candidates: list[Candidate] = []
        seen: set[tuple[str, int]] = set()
        for match_id, token_ids in self.dep_matcher(doc):
            rule = self.by_id[doc.vocab.strings[match_id]]
            trigger = doc[token_ids[0]]
            key = (str(rule.type), trigger.i)
            if key in seen:
                continue
            seen.add(key)
            named = {node["RIGHT_ID"]: doc[i] for node, i in zip(self._dep_patterns(rule)[0], token_ids)}
            for cand in self._confirm(rule, trigger, named.get("object") if rule.pattern else None, resolver):
                candidates.append(cand)
        candidates = self._drop_nested(sorted(candidates, key=lambda c: (c.trigger.i, c.type)))
        for cand in candidates:
            self._status(cand)
        for sent in {c.trigger.sent for c in candidates}:
            self._assign_dates(sent, [c for c in candidates if c.trigger.sent == sent], published)
        for cand in candidates:
            _status_from_date(cand, published)
        events = self._dedupe(candidates)
        doc._.events = [self._record(c) for c in events if c.emit]
        return doc

    # ------------------------------------------------------------------ confirmation

    def _reject(self, reason: str) -> list[Candidate]:
        self.rejected[reason] = self.rejected.get(reason, 0) + 1
        return []

    def _class_of(self, token: Token) -> str | None:
        """Class of a gathering noun: the head's, except that a summit noun in its 'of' chain
        makes a 'meeting of the Council' a summit; a ceremony stays a ceremony."""
        head = _lemma(token)
        if head in self.classes.get("ceremony", ()) or head in self.classes.get("call", ()):
            return "ceremony" if head in self.classes.get("ceremony", ()) else "call"
        for tok in _of_chain(token):
            if _lemma(tok) in self.classes.get("summit", ()):
                return "summit"
        for name in ("meeting", "summit", "agreement"):
            if head in self.classes.get(name, ()):
                return name
        return None

    def _matches(self, token: Token, refs: list[str]) -> bool:
        lemma = _lemma(token)
        for ref in refs:
            if ref.startswith("@"):
                cls = ref[1:]
                if cls in ("summit", "ceremony", "meeting", "call") and self._class_of(token) == cls:
                    return True
                if lemma in self.classes[cls]:
                    return True
            elif lemma == ref.casefold() or token.lower_ == ref.casefold():
                return True
        return False

    def _vetoed(self, trigger: Token) -> bool:
        """Under a veto word (4 heads up); an infinitive ('to hold') under a proposal word (6 up)."""
        ancestors = [_lemma(a) for a in trigger.ancestors]
        if any(a in self.veto_words for a in ancestors[:4]):
            return True
        verb = trigger.head if trigger.dep_ in _OBJECT_DEPS and _lemma(trigger.head) in self.verb_lemmas else trigger
        infinitive = any(c.dep_ == "aux" and c.lower_ == "to" for t in (verb, verb.head) for c in t.children
                         if t is verb or verb.dep_ == "conj")
        return verb.pos_ == "VERB" and infinitive and any(a in self.proposal_words for a in ancestors[:7])

    def _confirm(self, rule: TriggerRule, trigger: Token, raw_object: Token | None,
                 resolver: ActorResolver) -> list[Candidate]:
        if self._vetoed(trigger):
            return self._reject("veto")
        if rule.pos == "verb":
            return self._confirm_verb(rule, trigger, raw_object, resolver)
        return self._confirm_noun(rule, trigger, resolver)

    def _confirm_verb(self, rule: TriggerRule, verb: Token, raw_object: Token | None,
                      resolver: ActorResolver) -> list[Candidate]:
        objects = [o for o in _objects(verb) if o.dep_ != "npadvmod" or _lemma(o) in self.class_words]
        if raw_object is not None:
            objects = [raw_object, *raw_object.conjuncts]
        for prep, refs in rule.preps.items():
            for child in verb.children:
                if child.dep_ == "prep" and child.lower_ == prep:
                    objects += [p for p in _pobjs(child) if not refs or self._matches(p, refs)]
        vetoes = {w.casefold() for w in rule.object_vetoes}
        if any(_lemma(t) in vetoes for t in [*objects, *verb.children]):
            return self._reject("object_veto")
        if rule.objects:
            objects = [o for o in objects if self._matches(o, rule.objects)]
            if not objects:
                return self._reject("no_object")
        subjects = _subjects(verb)
        parties = objects if rule.object_is_party else []
        if rule.needs_pair and not self._has_pair(verb, subjects, parties):
            return self._reject("no_pair")
        groups: dict[str, list[Token]] = {}
        if rule.type == "object":
            for obj in objects:
                cls = self._class_of(obj)
                if cls in ("summit", "ceremony", "meeting", "call"):
                    groups.setdefault(cls, []).append(obj)
            if not groups:
                return self._reject("untyped_object")
        else:
            groups[rule.type] = objects
        out = []
        for etype, objs in groups.items():
            near = [verb, *objs[:1]] if not objs or abs(objs[0].i - verb.i) <= 6 else [objs[0]]
            cand = Candidate(rule, etype, verb, [verb, *objs], _extent(near), objects=objs)
            cand.anaphoric = self._refers_back(verb) or bool(objs) and all(self._anaphoric_noun(o) for o in objs)
            cand.indefinite = any(_has_indefinite(o) for o in objs)
            cand.participants = self._actors(subjects, resolver)
            cand.counterparts = self._counterparts(verb, objs, etype, resolver)
            self._place_and_names(cand, resolver)
            out.append(cand)
        return out

    def _has_pair(self, verb: Token, subjects: list[Token], parties: list[Token]) -> bool:
        if parties:
            return True
        if any(c.dep_ == "prep" and c.lower_ in ("with", "between") for c in verb.children):
            return True
        for subj in subjects:
            if subj.tag_ in ("NNS", "NNPS") or subj.lower_ in ("we", "they") or any(t.dep_ == "conj" for t in subj.subtree):
                return True
            if any(t.lower_ in ("two", "both", "all") for t in subj.subtree):
                return True
        return False

    def _confirm_noun(self, rule: TriggerRule, noun: Token, resolver: ActorResolver) -> list[Candidate]:
        lemma = _lemma(noun)
        if lemma in rule.plural_only and noun.tag_ not in ("NNS", "NNPS") and not noun.lower_.endswith("s"):
            return self._reject("singular")
        if lemma in rule.needs_name and not _is_named(noun):
            return self._reject("unnamed")
        if rule.preps and rule.pos == "noun":
            preps = [c for t in (noun, noun.head) for c in t.children if c.dep_ == "prep"]
            if not any(p.lower_ in rule.preps and (not rule.preps[p.lower_] or any(
                    self._matches(o, rule.preps[p.lower_]) for o in _pobjs(p))) for p in preps):
                return self._reject("no_prep")
        anaphora = self.rules.anaphora
        dets = {c.lower_ for c in noun.children if c.dep_ in ("det", "poss")}
        specific = _is_specific(noun)
        plural = noun.tag_ in ("NNS", "NNPS") and lemma not in rule.plural_only
        if plural and not _is_named(noun) and not _has_party_prep(noun) and not dets & set(anaphora.pronouns):
            return self._reject("generic_plural")
        if not specific and not dets & set(anaphora.determiners) and not dets & set(anaphora.pronouns):
            if not _has_indefinite(noun) or plural:
                return self._reject("generic")
        anchors = [noun]
        governor = noun.head if noun.dep_ in (*_OBJECT_DEPS, "nsubj") and noun.head.pos_ in ("VERB", "AUX") else None
        if governor is not None:
            anchors.append(governor)
        span_tokens = [noun, *(governor and [governor] or [])]
        cand = Candidate(rule, rule.type, noun, anchors, _extent(span_tokens))
        cand.anaphoric = self._anaphoric_noun(noun) or self._refers_back(noun)
        cand.indefinite = _has_indefinite(noun) and governor is None  # "pay a visit" is a light verb, not a new one
        participants: list[str] = []
        if governor is not None and noun.dep_ in _OBJECT_DEPS:
            participants += self._actors(_subjects(governor), resolver)
        elif noun.dep_ == "pobj" and noun.head.lower_ in ("on", "for") and noun.head.head.pos_ in ("VERB", "AUX"):
            participants += self._actors(_subjects(noun.head.head), resolver)  # "is on a visit to", "arrived for talks"
        for child in noun.children:
            if child.dep_ == "poss":
                participants += resolver.resolve(child)
        participants += _hyphen_countries(noun)
        cand.participants = list(dict.fromkeys(participants))
        cand.counterparts = self._counterparts(noun, [], rule.type, resolver)
        self._place_and_names(cand, resolver)
        if cand.type == "summit" and self._two_parties(cand):
            cand.type = self.rules.bilateral_summit.to_type
        return [cand]

    def _anaphoric_noun(self, noun: Token) -> bool:
        """'this visit', 'my visit', 'the summit' (definite with nothing new): a later mention."""
        anaphora = self.rules.anaphora
        dets = {c.lower_ for c in noun.children if c.dep_ in ("det", "poss")}
        if dets & set(anaphora.pronouns) or dets & (set(anaphora.determiners) - {"the"}):
            return True
        return "the" in dets and not _is_specific(noun)

    def _refers_back(self, token: Token) -> bool:
        """A predicate noun ('This is his third visit'), a verb describing one ('the first Expo
        held by ...') or a repeated contact ('met again') refers to an event already reported."""
        noun = token.head if token.dep_ in ("acl", "relcl") else token
        if noun.dep_ == "attr" or noun.dep_ == "conj" and (noun.head.dep_ == "attr" or noun.head.lemma_ == "be"):
            return True
        return any(c.dep_ == "advmod" and c.lower_ in self.rules.anaphora.adverbs for c in token.children)

    def _two_parties(self, cand: Candidate) -> bool:
        parties = set(cand.participants) | {p for group in cand.counterparts for p in group}
        return len(parties) == 2 and not any(w in self.class_words for w in cand.names)

    # ------------------------------------------------------------------ arguments

    def _actors(self, tokens: Iterable[Token], resolver: ActorResolver) -> list[str]:
        out: list[str] = []
        for tok in tokens:
            out += resolver.resolve(tok)
        return list(dict.fromkeys(out))

    def _counterparts(self, trigger: Token, objects: list[Token], etype: str, resolver: ActorResolver) -> list[list[str]]:
        """Who the trigger's subject meets, calls, visits or signs with: one group per conjunct,
        so that 'met X and Y respectively' can become one event per counterpart."""
        heads: list[Token] = []
        if etype in ("meeting", "call", "visit") and trigger.pos_ == "VERB":
            heads += [o for o in objects if o.dep_ == "dobj" and o.ent_type_ not in _PLACE_LABELS]
        for tok in (trigger, *objects):
            for child in tok.children:
                if child.dep_ == "prep" and child.lower_ in ("with", "between", "among"):
                    heads += _pobjs(child)
                if child.dep_ == "prep" and child.lower_ == "of" and tok.pos_ in ("NOUN", "PROPN") and etype in ("meeting", "call"):
                    heads += _pobjs(child)
        groups: list[list[str]] = []
        seen: set[str] = set()
        for head in dict.fromkeys(heads):
            found = [] if head.lower_ in ("each", "other") else resolver.resolve(head)
            if not found:
                for prep in (c for c in head.children if c.dep_ == "prep" and c.lower_ == "of"):
                    for pobj in _pobjs(prep):
                        found += resolver.resolve(pobj)
            groups += [[a] for a in found if a not in seen]
            seen.update(found)
        if etype == "signing":
            for obj in objects:
                codes = _hyphen_countries(obj)
                if codes:
                    groups += [[c] for c in codes]
        return groups

    def _place_and_names(self, cand: Candidate, resolver: ActorResolver) -> None:
        """Location (destination of a visit; else an 'in'/'at' place), name words and ordinal."""
        trig = cand.trigger
        holders = [trig, *cand.objects, *cand.anchors[1:]]
        for holder in holders:
            for child in holder.children:
                if child.dep_ == "prep" and child.lower_ in ("to", "in", "at"):
                    if child.lower_ == "to" and cand.type != "visit":
                        continue
                    for pobj in _pobjs(child):
                        place = _place(pobj)
                        if place and cand.location is None:
                            cand.location = place
        if cand.type == "visit" and cand.location is None:
            for obj in cand.objects:
                place = _place(obj)
                if place:
                    cand.location = place
                    break
        for holder in (trig, *cand.objects):
            if holder.pos_ not in ("NOUN", "PROPN") or holder is not trig and _lemma(holder) not in self.class_words:
                continue
            cand.head = cand.head or _lemma(holder)
            org = self.actor_rules.organisation_in(" ".join(t.text for t in _name_tokens(holder)))
            if org:
                cand.keys.add(org.casefold())
            for tok in _name_tokens(holder):
                if tok.ent_type_ == "ORDINAL" or tok.lower_ in ("first", "second", "next", "last", "previous"):
                    cand.ordinal = cand.ordinal or tok.lower_
                elif tok.ent_type_ in _PLACE_LABELS and holder is trig and cand.type in ("summit", "meeting"):
                    if tok.dep_ in ("compound", "amod") and cand.location is None and "-" not in tok.text:
                        cand.location = _place(tok)
                elif tok.pos_ in ("PROPN", "ADJ") and tok.is_title and _lemma(tok) not in self.class_words \
                        and tok.ent_type_ not in ("PERSON", "GPE", "NORP", "LOC", "DATE"):
                    cand.names.add(tok.lower_)
                    if tok.is_upper and len(tok.text) > 1:
                        cand.keys.add(tok.lower_)
                if tok.pos_ in ("NOUN", "PROPN", "ADJ") and not tok.is_stop and tok.ent_type_ not in ("PERSON", "DATE"):
                    cand.theme.add(_lemma(tok))
        if cand.type == "visit" and cand.location:
            code = countries().to_iso3(cand.location)
            if code:
                cand.participants = list(dict.fromkeys([*cand.participants, code]))

    # ------------------------------------------------------------------ nesting, dates, status

    def _drop_nested(self, cands: list[Candidate]) -> list[Candidate]:
        """A noun already covered by a verb trigger ('attended the ceremony'), a noun that only
        describes another trigger ('opening ceremony of the Forum') or that depends on a trigger
        noun of its type ('Dialogue for talks') is no event of its own."""
        covered = {o.i for c in cands for o in c.objects}
        triggers = {c.trigger.i: c for c in cands}
        out = []
        for cand in cands:
            tok = cand.trigger
            if cand.rule.pos == "noun":
                if tok.i in covered:
                    continue
                if tok.dep_ == "pobj" and tok.head.lower_ == "of" and tok.head.head.i in triggers:
                    continue
                up = [a for a in list(tok.ancestors)[:3] if a.i in triggers and triggers[a.i].type == cand.type]
                if up and tok.dep_ in ("pobj", "appos", "compound", "dobj", "nsubjpass"):
                    continue
            out.append(cand)
        return out

    def _assign_dates(self, sent: Span, cands: list[Candidate], published: dt.date | None) -> None:
        """Each date goes to the one event it qualifies in the parse, never to all of them.
        The events' tense tells which Saturday 'on Saturday' is."""
        statuses = {c.status for c in cands}
        tense = "past" if statuses == {"past"} else "future" if statuses == {"planned"} else None
        for mention in find_dates(sent.text, published, tense=tense):
            if mention.date.value is None or mention.date.modifier in _BOUND_MODIFIERS:
                continue
            start = sent.start_char + mention.start
            span = sent.doc.char_span(start, start + (mention.end - mention.start), alignment_mode="expand")
            if span is None:
                continue
            root = span.root
            if root.dep_ in ("nummod", "compound") and root.head.pos_ == "PROPN" and root.head not in span:
                continue  # a number inside a name ("the 2008 ... Agreement")
            scored = []
            inside = [i for i, c in enumerate(cands) if c.trigger in root.subtree and c.trigger not in span
                      and _date_distance(root, c.trigger) is not None]
            for i, cand in enumerate(cands):
                found = [d for a in cand.anchors if (d := _date_distance(root, a)) is not None]
                if found:
                    scored.append((min(found), i))
            scored = [(0, inside[0])] if len(inside) == 1 else sorted(scored)
            if not scored and len(cands) == 1 and _closing_date(span):
                scored = [(0, 0)]
            if not scored or len(scored) > 1 and scored[1][0] == scored[0][0]:
                continue  # qualifies no event, or two equally: it dates neither for sure
            cand = cands[scored[0][1]]
            if cand.date_start is None:
                cand.date_start = mention.date.value
                cand.date_end = mention.date.end_value if mention.date.kind == "range" else None

    def _status(self, cand: Candidate) -> None:
        """Status and mode from the first cue that fires (see status_cues)."""
        clause = _clause_verb(cand.trigger)
        status, mode, emit = "past", None, True
        for cue in self.rules.status_cues:
            words = {w.casefold() for w in cue.words}
            if self._cue_fires(cue.kind, words, cand.trigger, clause):
                status = cue.status or status
                mode = cue.mode if cue.mode is not None else mode
                emit = cue.emit
                if cue.kind != "negation":
                    break
        cand.status, cand.mode, cand.emit = status, mode, emit

    def _cue_fires(self, kind: str, words: set[str], trigger: Token, clause: Token | None) -> bool:
        verbs = [t for t in (trigger, clause) if t is not None and t.pos_ in ("VERB", "AUX")]
        if kind == "negation":
            children = [c for t in (trigger, *verbs) for c in t.children]
            return any(c.lower_ in words and c.dep_ in ("neg", "det") for c in children)
        if kind == "aux":
            return any(c.dep_ == "aux" and c.lower_ in words for v in verbs for c in v.children)
        if kind == "governor":
            for verb in verbs:
                node = verb
                for _ in range(3):
                    if node.dep_ not in ("xcomp", "pcomp", "pobj", "prep", "ccomp") or node.head is node:
                        break
                    node = node.head
                    if node.pos_ in ("VERB", "AUX") and _lemma(node) in words | {w for w in words}:
                        return True
            return False
        if kind == "modifier":
            near = [*trigger.children, *list(trigger.ancestors)[:2]]
            return any(t.lower_ in words for tok in near for t in (tok, *tok.children) if t.pos_ in ("ADJ", "ADV", "VERB"))
        if kind == "tense":
            if not verbs:
                return False
            verb = verbs[-1] if trigger.pos_ != "VERB" else trigger
            if verb.tag_ == "VBG":
                return any(c.dep_ == "aux" and c.tag_ in ("VBZ", "VBP") for c in verb.children)
            return verb.tag_.upper() in {w.upper() for w in words} and not any(
                c.dep_ in ("aux", "auxpass") and c.tag_ in ("VBD", "VBN") for c in verb.children)
        return False

    # ------------------------------------------------------------------ one record per event

    def _dedupe(self, cands: list[Candidate]) -> list[Candidate]:
        """Keep the first report of each event; later references fold into it (lending a date
        or a place it lacked). 'respectively' splits an event per counterpart."""
        kept: list[Candidate] = []
        for cand in cands:
            for split in self._split(cand):
                earlier = self._earlier(split, kept)
                if earlier is None and split.anaphoric and split.rule.pos == "noun" and not _is_specific(split.trigger) \
                        and split.type not in self.rules.anaphora.first_mention_types:
                    continue  # 'the summit' with nothing before it: what it refers to was not reported as an event
                if earlier is None:
                    kept.append(split)
                else:
                    earlier.date_start = earlier.date_start or split.date_start
                    earlier.date_end = earlier.date_end or split.date_end
                    earlier.location = earlier.location or split.location
                    earlier.names |= split.names
                    earlier.participants = list(dict.fromkeys([*earlier.participants, *split.participants]))
        return kept

    def _split(self, cand: Candidate) -> list[Candidate]:
        groups = cand.counterparts
        respectively = any(t.lower_ == "respectively" for t in cand.trigger.sent)
        if respectively and len(groups) > 1:
            out = []
            for group in groups:
                part = Candidate(**{**cand.__dict__, "counterparts": [group]})
                part.participants = list(dict.fromkeys([*cand.participants, *group]))
                out.append(part)
            return out
        cand.participants = list(dict.fromkeys([*cand.participants, *(a for g in groups for a in g)]))
        return [cand]

    def _earlier(self, cand: Candidate, kept: list[Candidate]) -> Candidate | None:
        """The kept event that `cand` mentions again, if any (see the module docstring)."""
        same = [k for k in kept if k.type == cand.type]
        if not same or cand.ordinal in _NEW_ORDINALS or cand.indefinite and not cand.anaphoric:
            return None
        if cand.anaphoric:
            compatible = [k for k in same if _compatible(k, cand, loose=True)]
            if not compatible and _is_specific(cand.trigger):
                return None  # "his visit to Pyongyang" after a visit elsewhere: another visit
            return (compatible or same)[-1]
        for k in reversed(same):
            if _conflict(k.ordinal, cand.ordinal) or _conflict(k.date_start, cand.date_start):
                continue
            if cand.names and k.names or cand.keys and k.keys:
                if cand.type == "signing":
                    shared = bool(cand.names) and cand.names <= k.names
                else:
                    shared = bool(cand.keys & k.keys) or len(cand.names & k.names) >= 2
                if shared:
                    return k
                continue
            if cand.theme and k.theme and cand.theme <= k.theme:
                return k
            if cand.type != "signing" and cand.participants and _compatible(k, cand, loose=False) and (
                    cand.type != "summit" or k.head is None or cand.head is None or k.head == cand.head):
                return k
        return None

    # ------------------------------------------------------------------ output

    def _plover(self, cand: Candidate) -> tuple[str, str | None]:
        event, mode = "CONSULT", None
        for rule in self.rules.plover:
            if rule.type == cand.type and rule.status is None:
                event, mode = rule.event, rule.mode
        for rule in self.rules.plover:
            if rule.status is not None and rule.status == cand.status and rule.type in (None, cand.type):
                event, mode = rule.event, rule.mode
        if cand.mode in ("negated", "hypothetical"):
            mode = cand.mode
        return event, mode

    def _record(self, cand: Candidate) -> Event:
        sent = cand.trigger.sent
        doc = cand.trigger.doc
        event, mode = self._plover(cand)
        start, end = cand.span
        return Event(
            sentence=sent.text.strip(), start=start, end=end, rule=cand.rule.id, type=cand.type,
            trigger=doc.text[start:end], participants=cand.participants, location=cand.location,
            date_start=cand.date_start, date_end=cand.date_end, status=cand.status,
            plover_event=event, plover_mode=mode,
        )

    # ------------------------------------------------------------------ no parser

    def _token_events(self, doc: Doc) -> list[Event]:
        """Blank mode: trigger words as tokens; type, status cue and a lone date only."""
        published = _as_date(getattr(doc._, "published", None))
        future = {w.casefold() for c in self.rules.status_cues if c.kind == "aux" and c.status == "planned" for w in c.words}
        events: list[Event] = []
        seen: set[tuple[int, str]] = set()
        for match_id, start, end in self.token_matcher(doc):
            rule = self.by_id[doc.vocab.strings[match_id]]
            token = doc[start]
            etype = rule.type
            if etype == "object" or rule.objects:
                window = [_lemma(t) for t in doc[token.i + 1: min(token.i + 8, token.sent.end)]]
                found = [cls for cls in ("ceremony", "call", "summit", "meeting", "agreement")
                         if any(w in self.classes.get(cls, ()) for w in window)]
                if not found:
                    continue
                etype = found[0] if etype == "object" else etype
            if etype not in ("visit", "meeting", "summit", "signing", "ceremony", "call"):
                continue
            sent = token.sent
            if (sent.start, etype) in seen:
                continue
            seen.add((sent.start, etype))
            before = {t.lower_ for t in doc[max(sent.start, token.i - 3): token.i]}
            status = "planned" if before & future else "past"
            dates = [m for m in find_dates(sent.text, published) if m.date.value]
            cand = Candidate(rule, etype, token, [token], (token.idx, token.idx + len(token.text)), status=status)
            cand.date_start = dates[0].date.value if len(dates) == 1 else None
            plover, mode = self._plover(cand)
            events.append(Event(
                sentence=sent.text.strip(), start=token.idx, end=token.idx + len(token.text), rule=rule.id,
                type=etype, trigger=token.text, date_start=cand.date_start, status=status,
                plover_event=plover, plover_mode=mode,
            ))
        return events


# ---------------------------------------------------------------------------- parse helpers

def _lemma(token: Token) -> str:
    return (token.lemma_ or token.text).casefold()


def _pobjs(prep: Token) -> list[Token]:
    out = []
    for child in prep.children:
        if child.dep_ in ("pobj", "pcomp"):
            out += [child, *child.conjuncts]
    return out


def _of_chain(token: Token, preps: tuple[str, ...] = ("of",)) -> list[Token]:
    """The token and the nouns of its 'of' complements ('Meeting of the Council of Heads')."""
    chain = [token]
    node = token
    for _ in range(4):
        nxt = [p for c in node.children if c.dep_ == "prep" and c.lower_ in preps for p in _pobjs(c)]
        if not nxt:
            break
        chain += nxt
        node = nxt[0]
    return chain


def _objects(verb: Token) -> list[Token]:
    """Direct objects (with their conjuncts); a participle modifying a noun has that noun."""
    out: list[Token] = []
    for child in verb.children:
        if child.dep_ in _OBJECT_DEPS or child.dep_ == "npadvmod" and child.ent_type_ not in ("DATE", "TIME"):
            out += [child, *child.conjuncts]
    if not out and verb.dep_ in ("acl", "relcl", "amod") and verb.head.pos_ in ("NOUN", "PROPN"):
        out.append(verb.head)
    return out


def _subjects(verb: Token) -> list[Token]:
    """Subject of a verb, looking up through coordination and control ('met and signed',
    'look forward to meeting'); the agent of a passive."""
    node = verb
    for _ in range(4):
        subjects = [c for c in node.children if c.dep_ in _SUBJECT_DEPS]
        agents = [p for c in node.children if c.dep_ == "agent" for p in c.children if p.dep_ == "pobj"]
        if subjects or agents:
            return subjects or agents
        if node.dep_ not in (*_UPWARD_DEPS, "prep", "pobj") or node.head is node:
            break
        node = node.head
    return []


def _clause_verb(token: Token) -> Token | None:
    if token.pos_ in ("VERB", "AUX"):
        return token
    for anc in token.ancestors:
        if anc.pos_ in ("VERB", "AUX"):
            return anc
    return None


def _is_named(noun: Token) -> bool:
    """A proper name or capitalised modifiers ('Woodside Summit', 'the Bali and Woodside meetings')."""
    if noun.pos_ == "PROPN":
        return True
    return any(c.dep_ in ("compound", "amod", "nmod") and c.pos_ in ("PROPN", "ADJ") and c.is_title
               and c.i != c.sent.start for c in noun.children)


def _has_party_prep(noun: Token) -> bool:
    return any(c.dep_ == "prep" and c.lower_ in ("with", "between", "among") and _pobjs(c) for c in noun.children)


def _name_tokens(noun: Token) -> list[Token]:
    """Modifiers that make up an event's name: left compounds and adjectives (not possessors),
    and 'of'/'for'/'on' complements."""
    out = [t for left in noun.lefts if left.dep_ not in ("poss", "det", "punct") for t in left.subtree]
    for comp in _of_chain(noun, ("of", "for", "on"))[1:]:
        out += [t for t in comp.subtree if t.dep_ != "poss"]
    return out


def _has_indefinite(noun: Token) -> bool:
    return any(c.dep_ == "det" and c.lower_ in ("a", "an") for c in noun.children)


def _is_specific(noun: Token) -> bool:
    """Does a trigger noun name or pin down an event ('state visit', 'visit to X', 'talks between
    X and Y', "Biden's meeting"), unlike a generic 'bilateral meetings'?"""
    if _is_named(noun) or noun.ent_type_ in ("EVENT", "ORG"):
        return True
    for child in noun.children:
        if child.dep_ in ("compound", "nmod", "nummod", "appos", "acl", "relcl"):
            return True
        if child.dep_ == "poss" and child.pos_ != "PRON":
            return True
        if child.dep_ == "prep" and child.lower_ in ("with", "between", "to", "in", "at", "on", "of", "among") and _pobjs(child):
            return True
        if child.dep_ == "amod" and child.lower_ in ("upcoming", "forthcoming", "next", "first", "official", "state"):
            return True
    return False


def _hyphen_countries(token: Token) -> list[str]:
    """Countries of a 'China-Kazakhstan' / 'U.S.-Iraq' modifier of a noun."""
    out: list[str] = []
    for left in token.lefts:
        for dash in left.subtree:
            if dash.text in ("-", "–") and 0 < dash.i < len(dash.doc) - 1:
                pair = [countries().to_iso3(dash.nbor(-1).text), countries().to_iso3(dash.nbor(1).text)]
                if all(pair):
                    out += pair  # type: ignore[arg-type]
    return list(dict.fromkeys(out))


def _place(token: Token) -> str | None:
    """A place entity as ISO3 (countries) or as its name (cities, venues)."""
    if token.ent_type_ not in _PLACE_LABELS:
        code = countries().to_iso3(token.text)
        return code
    ent = next((e for e in token.doc.ents if e.start <= token.i < e.end), None)
    text = ent.text if ent is not None else token.text
    text = re.sub(r"^(?:the|The)\s+", "", text)
    return countries().to_iso3(text) or text


def _closing_date(span: Span) -> bool:
    """', Dec. 3, 2017.' closing a sentence: a caption's date, which dates the whole scene."""
    sent = span.sent
    before = span.doc[span.start - 1] if span.start > sent.start else None
    return before is not None and before.text == "," and all(t.is_punct for t in span.doc[span.end: sent.end])


def _date_distance(date: Token, anchor: Token) -> int | None:
    """Arcs from a date to an event anchor when the date can qualify it: the anchor governs the
    date, the date governs the anchor closely ('April 2, 2024, telephone call'), or both hang
    from one verb the date modifies ('proposed at the Dushanbe Summit in 2014'); else None."""
    up = [date, *date.ancestors]
    if anchor in up:
        return up.index(anchor)
    down = [anchor, *anchor.ancestors]
    if date in down[:3]:
        return down.index(date)
    verb = date.head.head if date.head.pos_ == "ADP" else date.head
    if verb.pos_ in ("VERB", "AUX") and verb in down[:4]:
        return 1 + down.index(verb)
    return None


def _extent(tokens: list[Token]) -> tuple[int, int]:
    start = min(t.idx for t in tokens)
    end = max(t.idx + len(t.text) for t in tokens)
    return start, end


#: Ordinals that announce another event than any reported ('the next summit').
_NEW_ORDINALS = {"next"}


def _conflict(a: str | None, b: str | None) -> bool:
    return a is not None and b is not None and a != b


def _compatible(old: Candidate, new: Candidate, loose: bool) -> bool:
    """Could `new` be a later mention of `old`? Nothing stated differs, and its parties are among old's."""
    if _conflict(old.date_start, new.date_start) or (_conflict(old.ordinal, new.ordinal) and not loose):
        return False
    if old.location and new.location and old.location != new.location:
        return False
    if loose:
        return True
    if old.theme and new.theme and not (new.theme <= old.theme or old.theme <= new.theme):
        return False
    mine, theirs = set(new.participants), set(old.participants)
    return bool(mine) and bool(theirs) and (mine <= theirs or theirs <= mine)


def _status_from_date(cand: Candidate, published: dt.date | None) -> None:
    """A date after publication makes an event planned; a present-tense caption of a past date is past."""
    start = _iso_to_date(cand.date_start) if cand.date_start and published else None
    if start is None or published is None:
        return
    if start > published:
        cand.status = "planned"
        cand.mode = cand.mode or "future"
    elif cand.status == "ongoing" and start < published:
        cand.status = "past"


def _iso_to_date(value: str) -> dt.date | None:
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            return dt.date.fromisoformat(value)
        if re.fullmatch(r"\d{4}-\d{2}", value):
            return dt.date(int(value[:4]), int(value[5:]), 1)
        if re.fullmatch(r"\d{4}", value):
            return dt.date(int(value), 1, 1)
    except ValueError:
        return None
    return None


def _as_date(value: object) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


@Language.factory("diplo_events", assigns=["doc._.events"], default_config={"rules_dirs": []})
def make_events(nlp: Language, name: str, rules_dirs: list[str]) -> EventExtractor:
    """Factory of the events extractor (rules from models/rules/events.yaml plus `rules_dirs`)."""
    return EventExtractor(nlp, name, rules_dirs)
