"""diplo_events: visits, meetings, summits, signings, ceremonies and calls, from the parse.

Reads the dependency parse, entities, `doc._.people` (names for participants, via
`pipeline.actors`) and `doc._.published` (relative dates); writes `doc._.events`, a list of
`pipeline.records.Event`.

How: every trigger rule of `models/rules/events.yaml` compiles to the shapes a spaCy
`DependencyMatcher` pattern would state (`event_rules.TriggerShape`: a trigger lemma plus,
where the rule asks for them, its object, preposition, governor or modifier), so a rule only
fires on the grammatical shape it names ("paid a visit to", "attended the ... Summit", "spoke
by phone"), never on a bare keyword. Shapes are tested from the trigger words, found by one
look-up per token; a rule's raw pattern goes to a `DependencyMatcher`, run only on the
sentences that hold the words its nodes ask for. Code then
confirms each match (vetoes, generic plurals, two parties for "met"), reads its arguments
from the parse (participants from subject and objects, location, date, status from tense,
modals and cues) and keeps one record per distinct event: a later mention ("this visit",
"the summit", "met again with") folds into the first one and may lend it a date or place.

Dates come from the shared resolver (`pipeline.dates.find_dates`, relative to
`doc._.published`); each date goes to the one event it qualifies in the tree, never to every
event of its sentence. A headline ("Readout of President X's Meeting with Y") is the same
event as the body's first report of that type, which lends it its date; a title-case headline
the tagger cannot read is matched word by word.

Without a parser (`--model blank`) the same trigger words are matched as tokens and only
type, sentence, status cue and an unambiguous date are filled.
"""
from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterable, Sequence

from spacy.language import Language
from spacy.matcher import DependencyMatcher
from spacy.tokens import Doc, Span, Token

from pipeline.actors import ActorResolver, ActorRules
from pipeline.components import event_merge as merge
from pipeline.components import event_syntax as syn
from pipeline.components.event_merge import Candidate
from pipeline.components.event_rules import (RULES_NAME, TriggerRule, WordKey, class_words, load_event_rules,
                                             node_keys, trigger_shapes)
from pipeline.countries import countries
from pipeline.dates import find_dates
from pipeline.records import Event
from pipeline.rules.loader import RuleFileError
from pipeline.extensions import entity_of, sentence_at, span_text, text_of

#: Date modifiers that bound another span ("since 2013"): not the date of an event. "by 2030" is
#: a planned event's deadline (see `_assign_dates`).
BOUND_MODIFIERS = {"since", "until", "till", "before", "after", "through", "as of", "no later than",
                   "not later than"}
#: Noun classes that type an attended or held gathering, in the order a blank-mode match tries them;
#: the other classes ('agreement', 'venue', ...) qualify objects but are no event type.
GATHERINGS = ("ceremony", "call", "summit", "meeting")
#: Verbs whose subject is the visitor or participant of an event 'on'/'for' it ("is on a visit", "arrived for talks").
_GOING = {"be", "arrive", "come", "go", "travel", "leave", "depart", "fly", "head"}


# ---------------------------------------------------------------------------- candidates


def _forms(lemma: str) -> set[str]:
    """Regular inflections of a lemma, for blank-mode token matching."""
    stem = lemma[:-1] if lemma.endswith("e") else lemma
    out = {lemma, lemma + "s", lemma + "es", stem + "ed", stem + "ing", lemma + "d"}
    if lemma.endswith("y"):
        out |= {lemma[:-1] + "ies", lemma[:-1] + "ied"}
    return out


def _holding(keys: list[list[WordKey]], found: dict[WordKey, list[int]]) -> set[int]:
    """Positions of the tokens that have a key of every list (see `node_keys`)."""
    return set.intersection(*({i for key in group for i in found.get(key, ())} for group in keys))


def _any_within(positions: list[int], start: int, end: int) -> bool:
    """Does a sorted list of positions hold one in [start, end)?"""
    k = bisect.bisect_left(positions, start)
    return k < len(positions) and positions[k] < end


class EventExtractor:
    """The diplo_events component: see the module docstring."""

    def __init__(self, nlp: Language, name: str, rules_dirs: Sequence[str] = ()) -> None:
        self.name = name
        self.rules = load_event_rules(rules_dirs)
        self.actor_rules = ActorRules.load(rules_dirs)
        #: Organisation in a name, once per name: each test runs every organisation form's regex.
        self.classes = {k: {w.casefold() for w in v} for k, v in self.rules.classes.items()}
        self.shapes = {rule.id: [(shape, shape.keys()) for shape in trigger_shapes(rule, self.classes)]
                       for rule in self.rules.triggers if rule.pattern is None}
        self.raw_matcher = DependencyMatcher(nlp.vocab, validate=True)
        for rule in self.rules.triggers:
            if rule.pattern is None:
                continue
            try:
                self.raw_matcher.add(rule.id, [rule.pattern])
            except (ValueError, KeyError) as exc:
                entry = f"triggers (id={rule.id})"
                raise RuleFileError(f"{RULES_NAME}.yaml", entry, f"invalid pattern: {exc}") from exc
        #: Words each node of a raw rule asks for (None: any token), to run their matcher only where they are.
        self.raw_keys = {rule.id: [node_keys(node.get("RIGHT_ATTRS", {})) for node in rule.pattern]
                         for rule in self.rules.triggers if rule.pattern is not None}
        self.wanted_keys = {key for shapes in self.shapes.values() for _, keys in shapes for key in keys}
        self.wanted_keys |= {key for nodes in self.raw_keys.values() for asked in nodes for keys in asked or ()
                             for key in keys}
        #: Blank mode: lower-case trigger form -> the rules it may trigger, in rule order.
        self.token_rules: dict[str, list[TriggerRule]] = {}
        for rule in self.rules.triggers:
            for word in sorted({f for lemma in rule.lemmas for f in _forms(lemma.casefold())} | set(rule.forms)):
                self.token_rules.setdefault(word, []).append(rule)
        self.veto_words = {w.casefold() for r in self.rules.vetoes if not r.infinitive_only for w in r.governors}
        self.verb_lemmas = {w.casefold() for r in self.rules.triggers if r.pos == "verb" for w in r.lemmas}
        self.proposal_words = {w.casefold() for r in self.rules.vetoes if r.infinitive_only for w in r.governors}
        self.class_words = set().union(*self.classes.values()) if self.classes else set()
        #: Class words but agreements': a trigger noun compounded to one of them is still an event.
        self.gathering_words = self.class_words - self.classes.get("agreement", set())
        self.cities = {c.casefold() for c in self.rules.city_names} | countries().capitals  # keep their names
        #: Casefolded word sets of the rules, built once rather than per match.
        self.object_vetoes = {r.id: {w.casefold() for w in r.object_vetoes} for r in self.rules.triggers}
        #: A 'tense' cue's words are fine-grained tags, compared in upper case.
        self.cue_words = [{w.casefold().upper() if cue.kind == "tense" else w.casefold() for w in cue.words}
                          for cue in self.rules.status_cues]
        self.future_words = {w for c, words in zip(self.rules.status_cues, self.cue_words)
                             if c.kind == "aux" and c.status == "planned" for w in words}
        anaphora = self.rules.anaphora
        self.referring = {w.casefold() for w in (*anaphora.determiners, *anaphora.pronouns)}
        #: Node names of raw patterns, to read the 'object' node of a match.
        self.raw_nodes = {r.id: [node["RIGHT_ID"] for node in r.pattern] for r in self.rules.triggers if r.pattern}

    # ------------------------------------------------------------------ pattern compilation

    def _words(self, refs: Iterable[str]) -> list[str]:
        """Expand '@class' references into their words."""
        return class_words(refs, self.classes)

    def _trigger_matches(self, doc: Doc) -> list[tuple[TriggerRule, list[int]]]:
        """Matches of the trigger rules as (rule, token ids, the trigger first), in the order a
        DependencyMatcher of all rules gives them: rule by rule, shape by shape, token by token."""
        found = syn.word_positions(doc, self.wanted_keys)
        raw = self._raw_matches(doc, found)
        out: list[tuple[TriggerRule, list[int]]] = []
        for rule in self.rules.triggers:
            if rule.pattern is not None:
                out += [(rule, ids) for ids in raw.get(rule.id, [])]
                continue
            for shape, keys in self.shapes[rule.id]:
                at = sorted(i for key in keys for i in found.get(key, ()))
                out += [(rule, [i]) for i in at if shape.fits(doc[i])]
        return out

    def _raw_matches(self, doc: Doc, found: dict[WordKey, list[int]]) -> dict[str, list[list[int]]]:
        """Token ids of the raw patterns' matches by rule id, in document order. spaCy's
        matcher tests every node of every pattern at every token: it runs only on the
        sentences that hold the words every node of a pattern asks for (on the whole
        document when a pattern asks for no word, or a sentence does not hold whole parse
        trees and entities)."""
        if not len(self.raw_matcher):
            return {}
        chosen: set[int] = set()  # the chosen sentences' starts
        for nodes in self.raw_keys.values():
            asked = [keys for keys in nodes if keys is not None]
            if not asked:
                return self._raw_matches_in(doc, 0)
            # the trigger first: its words are the rarest, the sentences of the others' are not looked up
            possible = [sentence_at(doc, start) for start in sorted(
                {sentence_at(doc, i).start for i in _holding(asked[0], found)})]
            for keys in asked[1:]:
                if not possible:
                    break
                at = sorted(_holding(keys, found))
                possible = [sent for sent in possible if _any_within(at, sent.start, sent.end)]
            chosen |= {sent.start for sent in possible}
        if not chosen:
            return {}
        if not syn.sentences_self_contained(doc):
            return self._raw_matches_in(doc, 0)
        sents = [sentence_at(doc, start) for start in sorted(chosen)]
        out: dict[str, list[list[int]]] = {}
        array_head = doc._get_array_attrs()  # what Span.as_doc copies, read once for all sentences
        array = doc.to_array(array_head)
        for sent in sents:
            sent_doc = sent.as_doc(copy_user_data=True, array_head=array_head, array=array)
            for rule_id, ids in self._raw_matches_in(sent_doc, sent.start).items():
                out.setdefault(rule_id, []).extend(ids)
        return out

    def _raw_matches_in(self, doc: Doc, offset: int) -> dict[str, list[list[int]]]:
        """The raw matcher's matches in a Doc by rule id, their token ids shifted by `offset`."""
        out: dict[str, list[list[int]]] = {}
        for match_id, token_ids in self.raw_matcher(doc):
            out.setdefault(doc.vocab.strings[match_id], []).append([i + offset for i in token_ids])
        return out

    # ------------------------------------------------------------------ component

    def __call__(self, doc: Doc) -> Doc:
        if not doc.has_annotation("DEP"):
            doc._.events = self._token_events(doc)
            return doc
        with syn.memoised(doc):
            doc._.events = self._parse_events(doc)
        return doc

    def _parse_events(self, doc: Doc) -> list[Event]:
        """The events of a parsed Doc (see the module docstring)."""
        published = syn.as_date(getattr(doc._, "published", None))
        resolver = ActorResolver(doc, self.actor_rules)
        candidates: list[Candidate] = []
        seen: set[tuple[str, int]] = set()
        for rule, token_ids in self._trigger_matches(doc):
            trigger = doc[token_ids[0]]
            key = (str(rule.type), trigger.i)
            if key in seen:
                continue
            seen.add(key)
            named = dict(zip(self.raw_nodes.get(rule.id, ()), token_ids))
            raw_object = doc[named["object"]] if "object" in named else None
            candidates += self._confirm(rule, trigger, raw_object, resolver)
        candidates += self._headline_candidates(doc, candidates)
        candidates = self._drop_nested(sorted(candidates, key=lambda c: (c.trigger.i, c.type)))
        for cand in candidates:
            self._status(cand)
        by_sentence: dict[int, list[Candidate]] = {}
        for cand in candidates:
            by_sentence.setdefault(syn.sentence_of(cand.trigger).start, []).append(cand)
        for start, cands in by_sentence.items():
            self._assign_dates(sentence_at(doc, start), cands, published)
        for cand in candidates:
            merge.status_from_date(cand, published)
        events = merge.dedupe(candidates, merge.title_sentence(doc), self.rules.anaphora.first_mention_types,
                              self.classes.get("summit", set()))
        merge.share_occasion_dates(events)
        for event in events:
            merge.status_from_date(event, published)  # a headline's present tense, dated by the body
        return [self._record(c) for c in events if c.emit]

    # ------------------------------------------------------------------ confirmation

    def _class_of(self, token: Token) -> str | None:
        """Class of a gathering noun: the head's, except that a summit noun in its 'of' chain
        makes a 'meeting of the Council' a summit; a ceremony stays a ceremony."""
        head = syn.lemma(token)
        for name in ("ceremony", "call"):
            if head in self.classes.get(name, ()):
                return name
        for tok in syn.of_chain(token):
            if syn.lemma(tok) in self.classes.get("summit", ()):
                return "summit"
        for name in ("meeting", "summit", "agreement"):
            if head in self.classes.get(name, ()):
                return name
        return None

    def _matches(self, token: Token, refs: list[str]) -> bool:
        """Does a token fit one of a rule's references: lemma, '@class', '$LABEL' or '$POS'?"""
        lemma = syn.lemma(token)
        for ref in refs:
            if ref.startswith("@"):
                cls = ref[1:]
                if cls in GATHERINGS and self._class_of(token) == cls:
                    return True
                if lemma in self.classes[cls]:
                    return True
            elif ref.startswith("$"):
                if (token.ent_type_ == ref[1:] or token.pos_ == ref[1:]) and token.text[:1].isupper():
                    return True  # a lower-case name or entity ("their kith and kin") is a tagging slip
            elif lemma == ref.casefold() or token.lower_ == ref.casefold():
                return True
        return False

    def _vetoed(self, trigger: Token) -> bool:
        """Under a veto word (4 heads up); an infinitive ('to hold') under a proposal word (6 up)."""
        ancestors = [syn.lemma(a) for a in syn.ancestors(trigger)[:7]]
        if any(a in self.veto_words for a in ancestors[:4]):
            return True
        if not any(a in self.proposal_words for a in ancestors):
            return False
        governed = trigger.dep_ in syn.OBJECT_DEPS and syn.lemma(trigger.head) in self.verb_lemmas
        verb = trigger.head if governed else trigger
        holders = (verb, verb.head) if verb.dep_ == "conj" else (verb,)
        return verb.pos_ == "VERB" and any(c.dep_ == "aux" and c.lower_ == "to"
                                           for t in holders for c in syn.children(t))

    def _confirm(self, rule: TriggerRule, trigger: Token, raw_object: Token | None,
                 resolver: ActorResolver) -> list[Candidate]:
        """Candidates of one match, once vetoes and the rule's conditions are checked."""
        if self._vetoed(trigger):
            return []  # veto
        if rule.pos == "verb":
            return self._confirm_verb(rule, trigger, raw_object, resolver)
        return self._confirm_noun(rule, trigger, resolver)

    def _confirm_verb(self, rule: TriggerRule, verb: Token, raw_object: Token | None,
                      resolver: ActorResolver) -> list[Candidate]:
        """A verb trigger: its objects (which type an attended or held gathering: one candidate
        per type, 'attended the Council and the opening ceremony'), subject and counterparts."""
        if verb.dep_ == "amod":
            return []  # participle: "the visiting leaders", "the newly inaugurated zone"
        if rule.intransitive and any(c.dep_ in ("dobj", "nsubjpass") for c in syn.children(verb)):
            return []  # transitive: "convened a meeting" is the host rule's
        objects = [o for o in syn.objects_of(verb) if o.dep_ != "npadvmod" or syn.lemma(o) in self.class_words]
        if raw_object is not None:
            objects = [raw_object, *raw_object.conjuncts]
        prep_objects = [p for child in syn.children(verb) if child.dep_ == "prep" and child.lower_ in rule.preps
                        for p in syn.pobjs(child)
                        if not rule.preps[child.lower_] or self._matches(p, rule.preps[child.lower_])]
        if rule.preps and not prep_objects:
            return []  # no_prep
        objects += prep_objects
        vetoes = self.object_vetoes[rule.id]
        modifiers = [c for o in objects for c in syn.children(o) if c.dep_ in ("compound", "amod")]
        if any(syn.lemma(t) in vetoes for t in [*objects, *syn.children(verb), *modifiers]):
            return []  # object_veto
        if rule.objects:
            objects = [o for o in objects if self._matches(o, rule.objects)]
            if not objects:
                return []  # no_object
        subjects = syn.subjects_of(verb) or (syn.subjects_of(verb.head) if verb.dep_ == "aux" else [])
        parties = objects if rule.object_is_party else []
        if rule.needs_pair and not self._has_pair(verb, subjects, parties):
            return []  # no_pair
        groups: dict[str, list[Token]] = {}
        if rule.type == "object":
            for obj in objects:
                cls = self._class_of(obj)
                if cls in GATHERINGS:
                    groups.setdefault(cls, []).append(obj)
            if not groups:
                return []  # untyped_object
        else:
            groups[rule.type] = objects
        out = []
        for etype, objs in groups.items():
            near = [verb, *objs[:1]] if not objs or abs(objs[0].i - verb.i) <= 6 else [objs[0]]
            cand = Candidate(rule, etype, verb, [verb, *objs], syn.extent(near), objects=objs)
            gathering = bool(objs) and bool(rule.objects or rule.type == "object")  # not a topic ("their visions")
            cand.anaphoric = self._refers_back(verb) or gathering and all(self._anaphoric_noun(o) for o in objs)
            cand.indefinite = any(syn.has_indefinite(o) for o in objs)
            cand.participants = self._actors(subjects, resolver)
            cand.counterparts = self._counterparts(verb, objs, etype, resolver)
            self._place_and_names(cand, resolver)
            own = [code for o in objs for code in syn.hyphen_countries(o)]  # "the U.S.-China summit"
            if rule.subject_hosts:
                own += cand.participants  # "China and Singapore will hold the meeting of the Joint Council"
            if cand.type == self.rules.bilateral_summit.from_type and self._two_parties(cand, own):
                self._retype(cand)
            out.append(cand)
        return out

    def _has_pair(self, verb: Token, subjects: list[Token], parties: list[Token]) -> bool:
        """Two parties for 'met'/'discussed': a counterpart, or a plural or coordinated subject."""
        if parties:
            return True
        if any(c.dep_ == "prep" and c.lower_ in ("with", "between") for c in syn.children(verb)):
            return True
        for subj in subjects:
            if subj.tag_ in ("NNS", "NNPS") or subj.lower_ in ("we", "they"):
                return True
            if any(t.dep_ == "conj" for t in subj.subtree):
                return True
            if any(t.lower_ in ("two", "both", "all") for t in subj.subtree):
                return True
        return False

    def _confirm_noun(self, rule: TriggerRule, noun: Token, resolver: ActorResolver) -> list[Candidate]:
        """A noun trigger ('state visit to X', 'the trade talks between ...'), unless generic
        ('bilateral meetings'); a referring one ('this visit') is marked for folding."""
        lemma = syn.lemma(noun)
        if lemma in rule.plural_only and noun.tag_ not in ("NNS", "NNPS") and not noun.lower_.endswith("s"):
            return []  # singular
        if lemma in rule.needs_name and not syn.is_named(noun):
            return []  # unnamed
        vetoes = self.object_vetoes[rule.id]
        kids = syn.children(noun)
        if any(syn.lemma(c) in vetoes for c in kids if c.dep_ in ("compound", "amod", "nmod")):
            return []  # object_veto: "the Regular Press Conference"
        if noun.dep_ == "compound" and noun.head.pos_ in ("NOUN", "PROPN") and \
                syn.lemma(noun.head) not in self.gathering_words:
            return []  # name_part: "General Assembly Resolution", "45 years of Dialogue Partnership"
        if rule.preps and rule.pos == "noun":
            preps = [c for t in (noun, noun.head) for c in syn.children(t) if c.dep_ == "prep"]
            if not any(p.lower_ in rule.preps and (not rule.preps[p.lower_] or any(
                    self._matches(o, rule.preps[p.lower_]) for o in syn.pobjs(p))) for p in preps):
                return []  # no_prep
        anaphora = self.rules.anaphora
        dets = {c.lower_ for c in kids if c.dep_ in ("det", "poss")}
        specific = syn.is_specific(noun)
        plural = noun.tag_ in ("NNS", "NNPS") and lemma not in rule.plural_only
        if plural and not syn.is_named(noun) and not self._named_party(noun, resolver) \
                and not dets & set(anaphora.pronouns):
            return []  # generic_plural: "talks with stakeholders", "negotiations with those affected"
        possessed = any(c.dep_ == "poss" for c in kids)
        if not specific and not possessed and not dets & set(anaphora.determiners):
            if not syn.has_indefinite(noun) or plural:
                return []  # generic
        anchors = [noun]
        governor = noun.head if noun.dep_ in (*syn.OBJECT_DEPS, "nsubj") and noun.head.pos_ in ("VERB", "AUX") else None
        if governor is not None:
            anchors.append(governor)
        span_tokens = [noun, *(governor and [governor] or [])]
        cand = Candidate(rule, rule.type, noun, anchors, syn.extent(span_tokens))
        cand.anaphoric = self._anaphoric_noun(noun) or self._refers_back(noun)
        cand.indefinite = syn.has_indefinite(noun) and governor is None  # "pay a visit" is a light verb, not a new one
        participants: list[str] = []
        if governor is not None and noun.dep_ in syn.OBJECT_DEPS:
            participants += self._actors(syn.subjects_of(governor), resolver)
        elif noun.dep_ == "pobj" and noun.head.lower_ in ("on", "for") and syn.lemma(noun.head.head) in _GOING:
            # "is on a visit to", "arrived for talks"
            participants += self._actors(syn.subjects_of(noun.head.head), resolver)
        own_parties = [p for c in kids if c.dep_ == "poss" for p in resolver.resolve(c)]
        own_parties += syn.hyphen_countries(noun)
        participants += own_parties
        cand.participants = list(dict.fromkeys(participants))
        cand.counterparts = self._counterparts(noun, [], rule.type, resolver)
        self._place_and_names(cand, resolver)
        if cand.type == self.rules.bilateral_summit.from_type and self._two_parties(cand, own_parties):
            self._retype(cand)
        return [cand]

    def _named_party(self, noun: Token, resolver: ActorResolver) -> bool:
        """Does a 'with'/'between' complement name an actor ('talks with Japan'), not a generic group?"""
        return any(resolver.resolve(syn.named_appositive(p))
                   for c in syn.children(noun) if c.dep_ == "prep" and c.lower_ in ("with", "between", "among")
                   for p in syn.pobjs(c))

    def _anaphoric_noun(self, noun: Token) -> bool:
        """'this visit', 'my visit', 'the summit' (definite with nothing new): a later mention."""
        anaphora = self.rules.anaphora
        dets = {c.lower_ for c in syn.children(noun) if c.dep_ in ("det", "poss")}
        if dets & set(anaphora.pronouns) or dets & (set(anaphora.determiners) - {"the"}):
            return True
        definite = "the" in dets or any(c.dep_ == "poss" for c in syn.children(noun))  # "Xi's visit"
        return definite and not syn.is_specific(noun)

    def _refers_back(self, token: Token) -> bool:
        """A predicate noun ('This is his third visit'), a verb describing one ('the first Expo
        held by ...') or a repeated contact ('met again') refers to an event already reported."""
        noun = token.head if token.dep_ in ("acl", "relcl") else token
        if noun.dep_ == "attr" or noun.dep_ == "conj" and (noun.head.dep_ == "attr" or noun.head.lemma_ == "be"):
            return True
        return any(c.dep_ == "advmod" and c.lower_ in self.rules.anaphora.adverbs for c in syn.children(token))

    def _two_parties(self, cand: Candidate, own: list[str]) -> bool:
        """Two parties named by the mention itself ('summit between the DPRK and Russia'), not by
        the clause around it ('looked forward to meeting ... for the Quad summit'). An organisation
        among them stands for its members: 'the ASEAN-U.S. Summit' is multilateral."""
        parties = set(own) | {p for group in cand.counterparts for p in group}
        parties |= self._named_organisations(cand)
        if "organisation" in self.rules.bilateral_summit.multilateral_parties and any(
                self.actor_rules.organisation_in(p) for p in parties):
            return False
        return len(parties) == 2 and not any(w in self.class_words for w in cand.names)

    def _named_organisations(self, cand: Candidate) -> set[str]:
        """Organisations in the gathering's own name ('ASEAN-U.S. Special Summit', 'Quad summit')."""
        out: set[str] = set()
        for holder in (cand.trigger, *cand.objects):
            if holder.pos_ in ("NOUN", "PROPN"):
                org = self._organisation_named(holder)
                if org:
                    out.add(org)
        return out

    def _organisation_named(self, noun: Token) -> str | None:
        """The organisation a gathering noun's name words hold ('ASEAN-U.S. Special Summit'),
        looked up once per noun."""
        return syn.kept("organisation", noun, lambda tok: self.actor_rules.organisation_in(
            " ".join(t.text for t in syn.name_tokens(tok))))

    def _retype(self, cand: Candidate) -> None:
        """Apply the bilateral-summit rule; the record's rule names it after the trigger's."""
        cand.type = self.rules.bilateral_summit.to_type
        cand.retyped_by = self.rules.bilateral_summit.id

    # ------------------------------------------------------------------ arguments

    def _actors(self, tokens: Iterable[Token], resolver: ActorResolver) -> list[str]:
        """Actors of subject phrases, through the shared resolver (people names, ISO3, organisations)."""
        out: list[str] = []
        for tok in tokens:
            out += resolver.resolve(syn.named_appositive(tok))
        return list(dict.fromkeys(out))

    def _counterparts(self, trigger: Token, objects: list[Token], etype: str,
                      resolver: ActorResolver) -> list[list[str]]:
        """Who the trigger's subject meets, calls, visits or signs with: one group per conjunct,
        so that 'met X and Y respectively' can become one event per counterpart."""
        heads: list[Token] = []
        if etype in ("meeting", "call", "visit") and trigger.pos_ == "VERB":
            heads += [o for o in objects if o.dep_ == "dobj" and o.ent_type_ not in syn.PLACE_LABELS]
        for tok in (trigger, *objects):
            gathering = tok.pos_ in ("NOUN", "PROPN") and etype in ("meeting", "call")
            for child in syn.children(tok):
                if child.dep_ != "prep":
                    continue
                word = child.lower_
                if word in ("with", "between", "among"):
                    heads += syn.pobjs(child)
                if word == "of" and gathering:
                    heads += syn.pobjs(child)
        groups: list[list[str]] = []
        seen: set[str] = set()
        for head in dict.fromkeys(heads):
            found = [] if head.lower_ in ("each", "other") else resolver.resolve(syn.named_appositive(head))
            if not found:
                for prep in (c for c in syn.children(head) if c.dep_ == "prep" and c.lower_ == "of"):
                    for pobj in syn.pobjs(prep):
                        found += resolver.resolve(pobj)
            groups += [[a] for a in found if a not in seen]
            seen.update(found)
        if etype == "signing":
            for obj in objects:
                codes = syn.hyphen_countries(obj)
                if codes:
                    groups += [[c] for c in codes]
        return groups

    def _place_and_names(self, cand: Candidate, resolver: ActorResolver) -> None:
        """Location (destination of a visit; else an 'in'/'at' place), name words and ordinal."""
        trig = cand.trigger
        holders = [trig, *cand.objects, *cand.anchors[1:]]
        for holder in holders:
            for child in syn.children(holder):
                if child.dep_ == "prep" and (word := child.lower_) in ("to", "in", "at"):
                    if word == "to" and cand.type != "visit":
                        continue
                    for pobj in syn.pobjs(child):
                        if cand.location is None:
                            cand.location = syn.place_of(pobj, self.cities) or None
        if cand.type == "visit" and cand.location is None:
            for obj in cand.objects:
                place = syn.place_of(obj, self.cities)
                if place:
                    cand.location = place
                    break
        for holder in (trig, *cand.objects):
            if holder.pos_ not in ("NOUN", "PROPN") or holder != trig and syn.lemma(holder) not in self.class_words:
                continue
            cand.head = cand.head or syn.lemma(holder)
            org = self._organisation_named(holder)
            if org:
                cand.keys.add(org.casefold())
            for tok in syn.name_tokens(holder):
                label, word, pos = tok.ent_type_, tok.lower_, tok.pos_
                if label == "ORDINAL" or word in ("first", "second", "next", "last", "previous"):
                    cand.ordinal = cand.ordinal or word
                elif label in syn.PLACE_LABELS and holder == trig and cand.type in ("summit", "meeting"):
                    own_name = (ent := entity_of(tok)) is not None and ent.start <= trig.i < ent.end
                    if tok.dep_ in ("compound", "amod") and cand.location is None and "-" not in tok.text \
                            and not own_name and not self.actor_rules.organisation_in(tok.text):
                        # not "the Post-Ministerial Conference" tagged a place as a whole, nor "the Quad summit"
                        cand.location = syn.place_of(tok, self.cities)
                elif pos in ("PROPN", "ADJ") and tok.is_title and syn.lemma(tok) not in self.class_words \
                        and label not in ("PERSON", "GPE", "NORP", "LOC", "DATE"):
                    cand.names.add(word)
                    if tok.is_upper and len(tok.text) > 1:
                        cand.keys.add(word)
                if pos in ("NOUN", "PROPN", "ADJ") and not tok.is_stop and label not in ("PERSON", "DATE"):
                    cand.theme.add(syn.lemma(tok))
        if cand.type == "visit" and cand.location:
            code = countries().to_iso3(cand.location)
            if code:
                cand.participants = list(dict.fromkeys([*cand.participants, code]))

    # ------------------------------------------------------------------ nesting, dates, status

    def _drop_nested(self, cands: list[Candidate]) -> list[Candidate]:
        """A noun already covered by a verb trigger ('attended the ceremony'), a noun that only
        describes another trigger ('opening ceremony of the Forum') or that depends on a trigger
        noun of its type ('Dialogue for talks') is no event of its own."""
        covered = {o.i for c in cands if c.rule.objects or c.rule.type == "object" for o in c.objects}
        triggers = {c.trigger.i: c for c in cands}
        out = []
        for cand in cands:
            tok = cand.trigger
            if cand.rule.pos == "noun":
                if tok.i in covered:
                    continue
                if tok.dep_ == "pobj" and tok.head.lower_ == "of" and tok.head.head.i in triggers:
                    continue
                up = [a for a in syn.ancestors(tok)[:3] if a.i in triggers and triggers[a.i].type == cand.type]
                if up and tok.dep_ in ("pobj", "appos", "compound", "dobj", "nsubjpass"):
                    continue
            out.append(cand)
        return out

    def _assign_dates(self, sent: Span, cands: list[Candidate], published: dt.date | None) -> None:
        """Each date goes to the one event it qualifies in the parse, never to all of them.
        The events' tense tells which Saturday 'on Saturday' is."""
        statuses = {c.status for c in cands}
        tense = "past" if statuses == {"past"} else "future" if statuses == {"planned"} else None
        for mention in find_dates(span_text(sent), published, tense=tense):
            if mention.date.value is None or mention.date.modifier in BOUND_MODIFIERS:
                continue
            start = sent.start_char + mention.start
            span = sent.doc.char_span(start, start + (mention.end - mention.start), alignment_mode="expand")
            if span is None:
                continue
            words = [t for t in span if not t.is_punct] or list(span)
            root = min(words, key=lambda t: len(syn.ancestors(t)))  # "November." ends on the sentence's period
            if root.dep_ in ("nummod", "compound") and root.head.pos_ == "PROPN" and root.head not in span:
                continue  # a number inside a name ("the 2008 ... Agreement")
            scored = []
            inside = [i for i, c in enumerate(cands) if c.trigger in root.subtree and c.trigger not in span
                      and syn.date_distance(root, c.trigger) is not None]
            for i, cand in enumerate(cands):
                found = [d for a in cand.anchors if (d := syn.date_distance(root, a)) is not None]
                if found:
                    scored.append((min(found), i))
            scored = [(0, inside[0])] if len(inside) == 1 else sorted(scored)
            if not scored:
                near = [i for i, c in enumerate(cands) if any(syn.place_phrase_between(a, span) for a in c.anchors)]
                scored = [(0, near[0])] if len(near) == 1 else []
            if not scored and len(cands) == 1 and syn.closing_date(span):
                scored = [(0, 0)]
            if not scored or len(scored) > 1 and scored[1][0] == scored[0][0]:
                continue  # qualifies no event, or two equally: it dates neither for sure
            cand = cands[scored[0][1]]
            if mention.date.modifier == "by" and cand.status != "planned":
                continue  # "by 2030" is the deadline of a planned event, nothing else's date
            if cand.date_start is None:
                cand.date_start = mention.date.value
                cand.date_end = mention.date.end_value if mention.date.kind == "range" else None

    def _status(self, cand: Candidate) -> None:
        """Status and mode from the first cue that fires (see status_cues)."""
        trigger = cand.trigger
        clause = syn.clause_verb(trigger)
        verbs = [t for t in (trigger, clause) if t is not None and t.pos_ in ("VERB", "AUX")]
        if trigger.pos_ in ("NOUN", "PROPN"):
            verbs += [c for c in syn.children(trigger) if c.dep_ in ("relcl", "acl") and c.pos_ in ("VERB", "AUX")]
        chain = [*verbs, *(a for v in verbs for a in syn.verb_chain(v))]
        auxiliaries = {c.lower_ for v in chain for c in syn.children(v) if c.dep_ == "aux"}
        status, mode, emit = "past", None, True
        for cue, words in zip(self.rules.status_cues, self.cue_words):
            if self._cue_fires(cue.kind, words, trigger, clause, verbs, auxiliaries):
                status = cue.status or status
                mode = mode if mode in ("negated", "hypothetical") else cue.mode or mode
                emit = cue.emit
                if cue.kind != "negation":
                    break
        cand.status, cand.mode, cand.emit = status, mode, emit

    def _cue_fires(self, kind: str, words: set[str], trigger: Token, clause: Token | None,
                   verbs: list[Token], auxiliaries: set[str]) -> bool:
        """Does a cue fire on the trigger, its clause verb, or a clause about it ('which will
        take place')? `verbs`: those of them that are verbs; `auxiliaries`: the auxiliaries of
        the verbs and of the verbs they continue (see `_status`)."""
        if kind == "negation":
            holders = [trigger, *verbs]
            if trigger.dep_ in ("acl", "relcl") and trigger.head.pos_ == "NOUN":
                holders.append(trigger.head)  # "no plans to visit"
            children = [c for t in holders for c in syn.children(t)]
            cancelled = clause is not None and trigger.pos_ != "VERB" and bool(syn.phrasal_lemmas(clause) & words)
            return cancelled or any(c.lower_ in words and c.dep_ in ("neg", "det") for c in children)
        if kind == "aux":  # on the verb or on the verbs it continues ("will continue to meet", "will talk and meet")
            return bool(auxiliaries & words)
        if kind == "governor":
            if trigger.dep_ in ("acl", "relcl") and trigger.head.pos_ in ("NOUN", "PROPN") and any(
                    c.dep_ == "aux" and c.lower_ == "to" for c in syn.children(trigger)):
                return True  # "an invitation to visit China", "plans to meet": not done yet
            governed = trigger.dep_ == "dobj" or trigger.dep_ == "pobj" and trigger.head.lower_ in ("for", "to")
            if trigger.pos_ != "VERB" and governed and clause is not None and syn.lemma(clause) in words - {"be"}:
                return True  # "prepare for the consultations", "planned the visit"
            for verb in verbs:
                node = verb
                for _ in range(3):
                    if node.dep_ not in ("xcomp", "pcomp", "pobj", "prep", "ccomp") or node.head == node:
                        break
                    via, node = node.dep_, node.head
                    if node.pos_ in ("VERB", "AUX") and syn.lemma(node) in words:
                        return node.lemma_ != "be" or via == "xcomp"  # "is to attend", not "is that ..."
            return False
        if kind == "modifier":  # "the upcoming summit", "ahead of his visit"; not "discussed future plans"
            if trigger.pos_ in ("VERB", "AUX"):
                return any(c.lower_ in words and c.dep_ == "advmod" for c in syn.children(trigger))
            near = [*syn.children(trigger), *syn.ancestors(trigger)[:2]]
            return any(t.lower_ in words for tok in near for t in (tok, *syn.children(tok))
                       if t.pos_ in ("ADJ", "ADV", "VERB"))
        if kind == "tense":
            if not verbs:
                return False
            verb = verbs[-1] if trigger.pos_ != "VERB" else trigger
            if verb.tag_ == "VBG":
                return any(c.dep_ == "aux" and c.tag_ in ("VBZ", "VBP") for c in syn.children(verb))
            return verb.tag_.upper() in words and not any(
                c.dep_ in ("aux", "auxpass") and c.tag_ in ("VBD", "VBN") for c in syn.children(verb))
        return False

    # ------------------------------------------------------------------ output

    def _plover(self, cand: Candidate) -> tuple[str, str | None]:
        """PLOVER category and mode: by type, then by status (planned -> AGREE); negated and
        hypothetical statements keep their own mode."""
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
        """The output record of a kept candidate."""
        sent = syn.sentence_of(cand.trigger)
        doc = cand.trigger.doc
        event, mode = self._plover(cand)
        start, end = cand.span
        return Event(
            sentence=span_text(sent).strip(), start=start, end=end, type=cand.type,
            rule=f"{cand.rule.id}+{cand.retyped_by}" if cand.retyped_by else cand.rule.id,
            trigger=text_of(doc)[start:end], participants=cand.participants, location=cand.location,
            date_start=cand.date_start, date_end=cand.date_end, status=cand.status,
            plover_event=event, plover_mode=mode,
        )

    # ------------------------------------------------------------------ no parser

    def _token_events(self, doc: Doc) -> list[Event]:
        """Blank mode: trigger words as tokens, checked against their neighbours; type, status cue
        and a lone date only. A mention after 'this'/'the'/'his' is taken as a later reference."""
        published = syn.as_date(getattr(doc._, "published", None))
        events: list[Event] = []
        seen: set[tuple[int, str]] = set()
        for token, rule in self._token_triggers(doc):
            etype = self._token_type(rule, token)
            sent = syn.sentence_of(token)
            if etype is None or (sent.start, etype) in seen:
                continue
            seen.add((sent.start, etype))
            before = {t.lower_ for t in doc[max(sent.start, token.i - 3): token.i]}
            status = "planned" if before & self.future_words else "past"
            dates = [m for m in find_dates(span_text(sent), published) if m.date.value]
            cand = Candidate(rule, etype, token, [token], (token.idx, token.idx + len(token.text)), status=status)
            plover, mode = self._plover(cand)
            events.append(Event(
                sentence=span_text(sent).strip(), start=token.idx, end=token.idx + len(token.text), rule=rule.id,
                type=etype, trigger=token.text, date_start=dates[0].date.value if len(dates) == 1 else None,
                status=status, plover_event=plover, plover_mode=mode,
            ))
        return events

    def _headline_candidates(self, doc: Doc, found: list[Candidate]) -> list[Candidate]:
        """A title-case headline ('Uganda Launches China-Built Isimba Dam') defeats the tagger:
        when the parse finds no event there, its trigger words are matched as tokens."""
        start = merge.title_sentence(doc)
        if start is None or any(syn.sentence_of(c.trigger).start == start for c in found):
            return []
        sent = sentence_at(doc, start)
        out: list[Candidate] = []
        for token, rule in self._token_triggers(sent):
            if rule.pos == "verb" and not token.lower_.endswith("s"):
                continue  # headline verbs are present tense ("Launches", "Meets"); "the U.S.-EU Launch" is a noun
            etype = self._token_type(rule, token)
            if etype and not any(c.type == etype for c in out):
                out.append(Candidate(rule, etype, token, [token], syn.extent([token])))
        return out

    def _token_triggers(self, tokens: Doc | Span) -> list[tuple[Token, TriggerRule]]:
        """Trigger words as tokens (any form of a rule's lemmas), token by token, rule by rule."""
        return [(tok, rule) for tok in tokens for rule in self.token_rules.get(tok.lower_, ())]

    def _token_type(self, rule: TriggerRule, token: Token) -> str | None:
        """Event type of a blank-mode match, or None when its neighbours do not fit the rule."""
        doc = token.doc
        sent = syn.sentence_of(token)
        prev = doc[token.i - 1].lower_ if token.i > sent.start else ""
        after = [syn.lemma(t) for t in doc[token.i + 1: min(token.i + 8, sent.end)]]
        if prev in self.referring or rule.pos == "verb" and prev in ("a", "an"):
            return None  # a later reference, or a noun where the rule wants a verb ("the telephone")
        if rule.modifiers and prev not in self._words(rule.modifiers):
            return None
        if rule.pattern is not None or prev in self.object_vetoes[rule.id]:
            return None  # a raw parse pattern cannot be checked on tokens; "press conference"
        if rule.pos == "verb" and rule.preps and not set(after[:2]) & set(rule.preps):
            return None
        words = {w for objs in rule.preps.values() for w in self._words(o for o in objs if not o.startswith("$"))}
        if words and not words & {*after[:4], *(t.lower_ for t in doc[token.i + 1: token.i + 5])}:
            return None  # "came to terms", not "came to Beijing"
        if rule.type != "object" and not rule.objects:
            return rule.type
        if rule.type != "object":
            wanted = set(self._words(o for o in rule.objects if not o.startswith("$")))
            return rule.type if not wanted or wanted & set(after) else None
        # Only the classes that are event types: "hold to the agreement" types no event.
        found = [cls for cls in GATHERINGS if any(w in self.classes.get(cls, ()) for w in after)]
        return found[0] if found else None


@Language.factory("diplo_events", assigns=["doc._.events"], default_config={"rules_dirs": []})
def make_events(nlp: Language, name: str, rules_dirs: list[str]) -> EventExtractor:
    """Factory of the events extractor (rules from models/rules/events.yaml plus `rules_dirs`)."""
    return EventExtractor(nlp, name, rules_dirs)
