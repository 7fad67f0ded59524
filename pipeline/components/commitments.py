"""Commitments: what an actor says it will do, has agreed or decided to do, is ready to do.

Reads the trigger rules of `models/rules/commitments.yaml`, the dependency parse, the
people records (`doc._.people`, via `pipeline.actors`) and `doc._.published`; writes
`doc._.commitments` (list of `Commitment`), at most one per sentence, as the spec counts.

Candidates come from an `AnchoredMatcher` (spaCy `Matcher` results, found from each trigger's
first word) over the triggers' word forms; code then confirms or vetoes each one, best-ranked
first, Presidio-style:
- the actor is the subject of the trigger's verb (climbing through `xcomp`, `conj` and
  participles), or the subject of a framed clause ("agreed that Iraq's forces must ...",
  "called for the member countries to ..."), resolved by `ActorResolver`; a subject that
  names no actor (a project, an effect, "countries") vetoes the candidate, which keeps
  predictions ("The project will take 10 years") and generic advice out;
- questions, quoted sayings, conditionals, agentless passives and "will be <noun>" are
  vetoed;
- the trigger highest in the parse wins ("announced that China will hold" -> announce),
  then the rule priority ("will need to" -> need; "will support" -> will).
Documents also have shapes of their own: the title line is read as a headline ("X's Leader
..., Pledges to Boost Ties": trigger matched on words, actor from `ActorResolver.resolve_text`),
and a declaration's operative list ("WE HEREBY COMMIT TO:" then "1. EXPAND ...") gives one
commitment per item, with the frame's trigger and the text's signatories.
Without a parser (`--model blank`) triggers are matched on tokens and the actor is looked
for among the words before the trigger.
"""
from __future__ import annotations

import bisect
import datetime as dt
import re
from dataclasses import dataclass
from itertools import chain, islice

import numpy
from pydantic import Field
from spacy.language import Language
from spacy.attrs import DEP, HEAD, LOWER
from spacy.strings import get_string_id
from spacy.tokens import Doc, Span, Token

from pipeline.actors import ActorResolver, ActorRules, in_quotation, is_country_code
from pipeline.components.phrase_matching import AnchoredMatcher, isin_sorted
from pipeline.dates import find_dates
from pipeline.prefilter import gate
from pipeline.records import Commitment, Modality, Strength
from pipeline.rules.loader import Rule, RuleFile, RuleFileError, load_rules
from pipeline.extensions import sentence_at, sentences_of, span_text, text_of
from pipeline.token_columns import Tokens

FIRM: frozenset[str] = frozenset({"will", "agree", "decide", "pledge", "announce"})
_SUBJ = ("nsubj", "csubj")
_PASSIVE_SUBJ = ("nsubjpass", "csubjpass")
_CLAUSE_DEPS = ("xcomp", "ccomp", "advcl", "acl", "pcomp", "relcl")
_MAX_ACTION_TOKENS = 30
_CC, _POBJ, _DOBJ = get_string_id("cc"), get_string_id("pobj"), get_string_id("dobj")
_NEG, _MARK, _ADVCL = get_string_id("neg"), get_string_id("mark"), get_string_id("advcl")
_NEVER = frozenset(get_string_id(w) for w in ("never", "no longer"))
_CLAUSE_DEP_IDS = frozenset(get_string_id(d) for d in (*_CLAUSE_DEPS, "conj"))


class Trigger(Rule):
    modality: Modality = Field(description="Modality of the commitments this trigger makes.")
    strength: Strength | None = Field(None, description="Default: firm for will/agree/decide/pledge/announce.")
    phrases: list[str] = Field(min_length=1, description="Base forms ('stand ready to'); '(word)' is optional.")
    pos: list[str] = Field(default_factory=list, description="Allowed POS of the first word (empty: any).")
    modal: bool = Field(False, description="A modal auxiliary: the action is the verb it attaches to.")
    complement: bool = Field(False, description="Needs a complement (to-infinitive, that-clause, object).")
    reported_only: bool = Field(False, description="Counts only inside reported speech.")
    possessor_actor: bool = Field(False, description="A non-actor subject may give its possessor as actor.")
    self_clause_only: bool = Field(False, description="A that-clause must have the trigger's own subject.")
    own_side_only: bool = Field(False, description="A clause naming only other countries is a demand on them.")
    verb_complement: bool = Field(
        False, description="The complement must be a verb or an intention noun ('called for X to act', 'announced plans').")
    finite_only: bool = Field(False, description="Not as an infinitive or perfect ('have supported' is history).")
    past_needs_infinitive: bool = Field(
        False, description="In the past tense, only with an infinitive ('welcomed efforts to maintain').")
    past_is_report: bool = Field(
        False, description="In the past tense ('had to make') it reports what was done, unless in reported speech.")
    object_actor: bool = Field(False, description="The actor is the phrase's first-person object ('require us to').")
    reciprocal: bool = Field(
        False, description="Partners the subject acts with ('agreed with Y', 'met Y, agreeing') join the actor.")
    stance_check: bool = Field(
        False, description="A verb whose object is a principle ('support the rule of law') is a stance.")
    negation_is_none: bool = Field(False, description="Negated, it commits to nothing ('will not have to pay').")
    object_owner_acts: bool = Field(
        True, description="The owner of an actor-bearing object acts ('pledged U.S. support'); false for a welcomer.")
    priority: int = Field(0, description="Tie-break between triggers on the same verb (higher wins).")
    plover_event: str = Field("AGREE", description="PLOVER event category of the commitments.")
    plover_mode: str | None = Field(None, description="PLOVER mode ('future'); 'negated' overrides it.")


class CommitmentFile(RuleFile):
    triggers: list[Trigger] = Field(
        default_factory=list, description="May be empty in a user file that adds only word lists.")
    list_markers: list[str] = Field(default_factory=list)
    saying_markers: list[str] = Field(default_factory=list)
    conditional_marks: list[str] = Field(default_factory=list)
    reporting_verbs: list[str] = Field(default_factory=list)
    noun_governors: list[str] = Field(default_factory=list)
    actor_bearing_nouns: list[str] = Field(default_factory=list)
    prediction_verbs: list[str] = Field(default_factory=list)
    irregular_forms: dict[str, list[str]] = Field(default_factory=dict, description="Base form -> irregular forms.")
    history_years: int = Field(1, description="A trigger dated more than this many years before publication is history.")
    belief_modals: list[str] = Field(default_factory=list, description="Modals that make a that-clause a belief.")
    non_committal_frames: list[str] = Field(default_factory=list, description="Verbs whose clause is a wish or view.")
    hedges: list[str] = Field(default_factory=list, description="Adverbs that make 'will' a forecast.")
    stance_objects: list[str] = Field(default_factory=list, description="Principles: supporting them is a stance.")
    empty_complements: list[str] = Field(
        default_factory=list, description="Complements that name no action ('look forward to the future').")
    third_party_actions: list[str] = Field(
        default_factory=list,
        description="Verbs that, done in another country, are a demand on it ('restore democracy in X').")
    hearsay_nouns: list[str] = Field(
        default_factory=list, description="Nouns whose clause is unconfirmed ('speculation that X plans to').")
    operative_frames: list[str] = Field(
        default_factory=list, description="Words of a line ending in ':' that opens a declaration's operative list.")
    operative_rule: str | None = Field(None, description="Trigger id for the list's items when its frame names none.")
    operative_non_actions: list[str] = Field(
        default_factory=list, description="Item verbs that commit to nothing ('NOTE the resolution').")
    operative_closers: list[str] = Field(
        default_factory=list, description="Words that end the list ('ADOPTED in ...').")


@dataclass
class Candidate:
    """A trigger match that passed the vetoes, with what the record needs."""

    rule: Trigger
    match: Span
    anchor: Token
    action: Token | None
    actor: list[str]


def inflections(word: str, irregular: dict[str, list[str]]) -> list[str]:
    """Surface forms of a base word: the statistical lemmatiser is not trusted ("hopes" -> "hop")."""
    forms = {word, word + "s", word + "es", word + "d", word + "ed", word + "ing", *irregular.get(word, [])}
    if word.endswith("e"):
        forms |= {word[:-1] + "ing"}
    if word.endswith("y"):
        forms |= {word[:-1] + "ies", word[:-1] + "ied"}
    if re.fullmatch(r"(?:[^aeiou]*[aeiou][^aeiouwxy])|(?:.*[^aeiou][aeiou][tlnp])", word):
        forms |= {word + word[-1] + "ed", word + word[-1] + "ing"}
    return sorted(forms | {f.capitalize() for f in forms})


def phrase_pattern(phrase: str, pos: list[str], irregular: dict[str, list[str]]) -> list[dict]:
    """Token pattern of a phrase of base forms: adverbs may come between words, '(word)' is optional."""
    pattern: list[dict] = []
    for n, word in enumerate(phrase.split()):
        optional = word.startswith("(") and word.endswith(")")
        word = word.strip("()")
        if n and pos is not None:
            pattern.append({"POS": "ADV", "OP": "*"})
        token: dict = {"LOWER": {"IN": inflections(word.lower(), irregular)}}
        if n == 0 and pos:
            token["POS"] = {"IN": pos}
        if optional:
            token["OP"] = "?"
        pattern.append(token)
    return pattern


class CommitmentExtractor:
    """The `diplo_commitments` component (see the module docstring)."""

    def __init__(self, nlp: Language, name: str, rules_dirs: list[str]) -> None:
        self.name = name
        self.data = load_rules("commitments", CommitmentFile, rules_dirs)
        self.actor_rules = ActorRules.load(rules_dirs)
        self.rules = {r.id: r for r in self.data.triggers}
        self.matcher = AnchoredMatcher(nlp.vocab)
        self.blank_matcher = AnchoredMatcher(nlp.vocab)
        for rule in self.data.triggers:
            try:
                irregular = self.data.irregular_forms
                patterns = [phrase_pattern(p, rule.pos, irregular) for p in _interruptible(rule.phrases)]
                self.matcher.add(rule.id, patterns)
                self.blank_matcher.add(rule.id, [phrase_pattern(p, None, irregular) for p in rule.phrases])
            except ValueError as exc:
                raise RuleFileError("commitments.yaml", f"id={rule.id}", str(exc)) from exc
        self.list_markers = {w.casefold() for w in self.data.list_markers}
        sayings = "|".join(rf"\b{re.escape(w)}\b" for w in self.data.saying_markers)
        self.sayings = re.compile(sayings, re.I) if sayings else None
        self.sayings_gate = gate(self.sayings) if self.sayings else None  # most texts hold no marker
        self.conditional_ids = frozenset(get_string_id(w.casefold()) for w in self.data.conditional_marks)
        self.reporting = {w.casefold() for w in self.data.reporting_verbs}
        self.governors = {w.casefold() for w in self.data.noun_governors}
        self.bearing = {w.casefold() for w in self.data.actor_bearing_nouns}
        self.predictions = {w.casefold() for w in self.data.prediction_verbs}
        self.belief_modals = {w.casefold() for w in self.data.belief_modals}
        self.non_committal = {w.casefold() for w in self.data.non_committal_frames}
        self.hedges = {w.casefold() for w in self.data.hedges}
        self.stances = {w.casefold() for w in self.data.stance_objects}
        self.empty = {w.casefold() for w in self.data.empty_complements}
        self.third_party_actions = {w.casefold() for w in self.data.third_party_actions}
        self.hearsay = {w.casefold() for w in self.data.hearsay_nouns}
        self.frame_words = {w.casefold() for w in self.data.operative_frames}
        self.item_non_actions = {w.casefold() for w in self.data.operative_non_actions}
        self.closers = {w.casefold() for w in self.data.operative_closers}
        if self.data.operative_rule and self.data.operative_rule not in self.rules:
            raise RuleFileError("commitments.yaml", "operative_rule", f"no trigger with id {self.data.operative_rule}")

    def __call__(self, doc: Doc) -> Doc:
        resolver = ActorResolver(doc, self.actor_rules)
        parsed = doc.has_annotation("DEP")
        matcher = self.matcher if parsed else self.blank_matcher
        sentences = sentences_of(doc)
        starts = [sent.start for sent in sentences]
        by_sent: dict[int, list[Span]] = {}
        for match_id, start, end in matcher(doc):
            first = starts[bisect.bisect_right(starts, start) - 1]
            by_sent.setdefault(first, []).append(Span(doc, start, end, label=match_id))
        sayings = self._sayings(text_of(doc))
        records: list[Commitment] = []
        subtrees = Subtrees(doc) if parsed else None
        columns = Tokens(doc)
        previous: tuple[Candidate, Span] | None = None
        frame: tuple[Trigger, list[str], bool] | None = None
        title = getattr(doc._, "title", None)
        for sent in sentences:
            if self._skip_sentence(sent, sayings):
                continue
            if parsed and self._opens_operative_list(sent):
                frame = self._frame(sent, resolver)
                continue
            item = self._operative_item(sent, resolver) if frame is not None else None
            if frame is not None and item is None and self._closes(sent):
                frame = None
            best = None
            if not (item is not None and frame[2]):  # a trigger in the frame governs its items
                best = self._best(by_sent[sent.start], resolver, subtrees) if sent.start in by_sent else None
            if best is None and item is not None:
                best = Candidate(frame[0], sent[item.i - sent.start: item.i - sent.start + 1], item, item, frame[1])
            if best is None and parsed and self._headline(sent, title):
                best = self._headline_candidate(sent, resolver)
            if best is not None:
                records.append(self._record(best, sent, resolver, subtrees, columns))
                previous = (best, sent)
            elif parsed and previous and self._list_item(sent, previous[1]):
                item = self._list_candidate(sent, previous[0])
                if item:
                    records.append(self._record(item, sent, resolver, subtrees, columns))
                    previous = (item, sent)
        doc._.commitments = records
        return doc

    def _best(self, matches: list[Span], resolver: ActorResolver, subtrees: Subtrees | None) -> Candidate | None:
        """The sentence's winning candidate: the trigger highest in the parse, then a verb, then
        rule priority, then the earliest (the first match on a tie). The rank is known before the
        vetoes, so matches are confirmed in rank order and the first one confirmed wins.
        `subtrees` is None without a parse."""
        ranked = []
        for match in matches:
            rule = self.rules[match.label_]
            anchor = self._anchor(rule, match, subtrees) if subtrees is not None else match[0]
            if anchor is not None:
                depth = subtrees.depth(anchor.i) if subtrees is not None else 0
                verb = 0 if anchor.pos_ in ("VERB", "AUX") else 1
                ranked.append(((depth, verb, -rule.priority, match.start), match, anchor))
        for _, match, anchor in sorted(ranked, key=lambda r: r[0]):
            cand = (self._candidate(match, anchor, resolver, subtrees) if subtrees is not None
                    else self._blank_candidate(match, resolver))
            if cand is not None:
                return cand
        return None

    # ------------------------------------------------------------------ sentence-level vetoes

    def _sayings(self, text: str) -> _Hits | None:
        """The saying markers of a Doc's text; None when it can hold none."""
        if self.sayings is None or (self.sayings_gate is not None and not self.sayings_gate.admits(text)):
            return None
        return _Hits(self.sayings, text)

    def _skip_sentence(self, sent: Span, sayings: _Hits | None) -> bool:
        """A question, or a sentence quoting a saying (`sayings`: the markers found in the Doc)."""
        raw = span_text(sent)
        text = raw.strip()
        if text.endswith("?"):
            return True
        start = sent.start_char + len(raw) - len(raw.lstrip())
        return sayings is not None and sayings.search(text, start)

    # ------------------------------------------------------------------ candidates

    def _anchor(self, rule: Trigger, match: Span, subtrees: Subtrees) -> Token | None:
        """The word the trigger hangs on: its highest word, or the verb of a modal."""
        anchor = match.doc[subtrees.top(match.start, match.end)]
        return self._modal_head(anchor) if rule.modal else anchor

    def _candidate(self, match: Span, anchor: Token, resolver: ActorResolver, subtrees: Subtrees) -> Candidate | None:
        rule = self.rules[match.label_]
        if anchor.pos_ not in ("VERB", "AUX", "NOUN", "ADJ", "PROPN"):
            return None
        if self._conditional(anchor.i, subtrees) or (rule.reported_only and not self._reported(anchor)):
            return None
        if match[0].lower_ in ("will", "shall", "should") and self._inverted(match[0]):
            return None
        if self._addressee_report(anchor) or self._wished(anchor):
            return None
        if rule.finite_only and self._nonfinite(anchor):
            return None
        if self._negated_past(rule, anchor):
            return None
        action = anchor if rule.modal else self._complement(match, anchor)
        if not rule.modal and not rule.complement and anchor.pos_ in ("VERB", "AUX"):
            action = anchor  # 'supports China in hosting ...': the verb phrase itself
        if rule.complement and action is None:
            return None
        if rule.verb_complement and (action is None or (
                action.pos_ not in ("VERB", "AUX") and action.lemma_.casefold() not in self.bearing)):
            return None
        if rule.past_needs_infinitive and anchor.tag_ in ("VBD", "VBN") and not self._infinitive_object(anchor):
            return None
        if rule.past_is_report and self._past(match) and (not self._reported(anchor) or in_quotation(anchor)):
            return None
        if rule.stance_check and self._stance(anchor):
            return None
        if rule.negation_is_none and any(c.dep_ == "neg" for t in (anchor, *match) for c in t.children):
            return None
        if rule.modal and self._no_obligation(anchor):
            return None
        if self._hearsay(anchor) or (not rule.modal and self._past_relative(anchor)):
            return None
        if action is not None and action.pos_ in ("NOUN", "PROPN") and action.lemma_.casefold() in self.empty:
            return None
        if rule.modal and not self._acts(anchor):
            return None
        if self._history(anchor, resolver.doc):  # reads dates: after the vetoes on the parse alone
            return None
        actor = self._actor(rule, match, anchor, action, resolver)
        if actor is None or (rule.modal and rule.own_side_only and self._advice(anchor, actor, resolver)):
            return None
        if rule.own_side_only and action is not None and self._elsewhere(action, actor, resolver):
            return None
        if rule.own_side_only and self._addressed_to_others(match, actor, resolver):
            return None
        if rule.reciprocal and actor:
            actor = list(dict.fromkeys([*actor, *self._partners(anchor, resolver)]))
        return Candidate(rule, match, anchor, action or anchor, actor)

    def _hearsay(self, anchor: Token) -> bool:
        """'media speculation that his government plans to renegotiate': a clause that depends on
        a noun of rumour or report states no commitment."""
        tok = anchor
        for _ in range(4):
            if tok.dep_ in ("acl", "ccomp", "relcl") and tok.head.lemma_.casefold() in self.hearsay:
                return True
            if tok.dep_ not in ("conj", "xcomp", "ccomp", "acl", "aux") or tok.head.i == tok.i:
                return False
            tok = tok.head
        return False

    @staticmethod
    def _past_relative(anchor: Token) -> bool:
        """'the interest rate the two sides agreed upon': a past trigger in a relative clause
        describes an earlier agreement, unless it governs an action ('agreed to build')."""
        return anchor.dep_ == "relcl" and anchor.tag_ in ("VBD", "VBN") and not any(
            c.dep_ in ("xcomp", "ccomp") for c in anchor.children)

    @staticmethod
    def _no_obligation(verb: Token) -> bool:
        """'Laos will not have to pay': a modal on a negated obligation frees from it."""
        return verb.lemma_ in ("have", "need") and any(c.dep_ == "neg" for c in verb.children) and any(
            c.dep_ == "xcomp" for c in verb.children)

    @staticmethod
    def _past(match: Span) -> bool:
        """'had to make', 'needed to': the trigger's verb is in the past tense without a modal."""
        verb = next((t for t in match if t.pos_ in ("VERB", "AUX")), None)
        return verb is not None and verb.tag_ == "VBD" and not any(
            c.dep_ == "aux" and c.tag_ == "MD" for c in verb.children)

    def _stance(self, verb: Token) -> bool:
        """'We support the rule of law, freedom of navigation ...': a principle as the object, no action."""
        objects = [c for c in verb.children if c.dep_ == "dobj"]
        acts = any(c.dep_ in ("xcomp", "advcl") or c.dep_ == "prep" and any(g.dep_ == "pcomp" for g in c.children)
                   for c in verb.children)  # 'supports Kenya in hosting ...', 'supports peace to ...'
        return bool(objects) and objects[0].lemma_.casefold() in self.stances and not acts

    def _elsewhere(self, action: Token, actors: list[str], resolver: ActorResolver) -> bool:
        """'the urgent need to restore democracy in Myanmar' (from the Quad): an action on another
        country's affairs, done in that country, is a demand on it."""
        if action.lemma_.casefold() not in self.third_party_actions:
            return False
        own = {resolver.country_of(a) for a in actors} | set(actors)
        for tok in action.subtree:
            if tok.dep_ == "pobj" and tok.head.lower_ in ("in", "within") and tok.ent_type_ == "GPE":
                places = resolver.resolve(tok)
                if places and not set(places) & own:
                    return True
        return False

    @staticmethod
    def _addressed_to_others(match: Span, actors: list[str], resolver: ActorResolver) -> bool:
        """'We call on all parties to exercise restraint': an appeal to others, not to the speaker's
        side ('calls on us', 'called on the two sides' from one of the two are kept)."""
        addressees = [c for t in match if t.lower_ == "on" for c in (*t.children, *t.head.children)
                      if c.dep_ in ("pobj", "dobj") and c.i > t.i]
        if not addressees or _pronoun_is_we(addressees[0]):
            return False
        named = resolver.resolve(addressees[0])
        own = set(actors) | {resolver.country_of(a) for a in actors}
        return not (set(named) & own or {resolver.country_of(a) for a in named} & own - {None})

    def _partners(self, anchor: Token, resolver: ActorResolver) -> list[str]:
        """'with' partners of the trigger or of the verbs it hangs from ('met with A and B
        respectively, reaching consensus on ...')."""
        out: list[str] = []
        tok = anchor
        for _ in range(4):
            out += resolver.partners(tok)
            if tok.dep_ not in ("advcl", "xcomp", "conj", "acl") or tok.head is tok:
                break
            tok = tok.head
        return out

    @staticmethod
    def _modal_head(modal: Token) -> Token | None:
        """The verb a modal belongs to, also in 'can and will accomplish'."""
        if modal.dep_ == "conj" and modal.head.dep_ in ("aux", "auxpass"):
            modal = modal.head
        if modal.dep_ not in ("aux", "auxpass") or modal.head.pos_ not in ("VERB", "AUX"):
            return None
        return modal.head

    @staticmethod
    def _nonfinite(verb: Token) -> bool:
        """'to support' (governed by another verb) or 'have supported' (a record of the past)."""
        return any(c.dep_ == "aux" and (c.lower_ == "to" or c.lemma_ == "have") for c in verb.children)

    @staticmethod
    def _negated_past(rule: Trigger, anchor: Token) -> bool:
        """'has not agreed to', 'did not decide': nothing was committed (unlike 'will not')."""
        if rule.modal or not any(c.dep_ == "neg" for c in anchor.children):
            return False
        auxes = {c.lemma_ for c in anchor.children if c.dep_ == "aux"}
        return anchor.tag_ in ("VBD", "VBN") or bool(auxes & {"have", "do"}) and not auxes & {"will", "shall"}

    @staticmethod
    def _infinitive_object(verb: Token) -> bool:
        """'welcomed efforts to maintain ...': the object carries a to-infinitive."""
        for obj in (c for c in verb.children if c.dep_ == "dobj"):
            if any(g.dep_ in ("acl", "relcl") and any(a.lower_ == "to" for a in g.children) for g in obj.children):
                return True
        return any(c.dep_ == "xcomp" for c in verb.children)

    @staticmethod
    def _addressee_report(token: Token) -> bool:
        """'You said we should ...': the addressee's words, not the speaker's commitment."""
        for tok in chain((token,), token.ancestors):
            if tok.dep_ == "ccomp":
                return any(c.dep_ == "nsubj" and c.lower_ == "you" for c in tok.head.children)
        return False

    def _wished(self, anchor: Token) -> bool:
        """'We hope the US side will stop ...', 'They believe China will ...': someone else's wish
        or opinion about what the clause's subject will do."""
        tok = anchor
        while tok.dep_ in ("ccomp", "xcomp", "conj") and tok.head is not tok:
            if tok.dep_ == "ccomp" and tok.head.lemma_.casefold() in self.non_committal:
                return True
            tok = tok.head
        return False

    def _history(self, anchor: Token, doc: Doc) -> bool:
        """A trigger whose own clause is dated years before publication ('proposed in 2013')."""
        published = getattr(doc._, "published", None)
        if not isinstance(published, dt.date):
            return False
        clause = [c for c in anchor.children if c.dep_ in ("prep", "npadvmod", "advmod", "advcl")]
        for child in clause:
            span = doc[child.left_edge.i: child.right_edge.i + 1]
            for mention in find_dates(span_text(span), published, tense="past"):
                end = mention.date.end
                if end and (published - end).days > 366 * self.data.history_years:
                    return True
        return False

    def _acts(self, verb: Token) -> bool:
        """A modal's verb describes an action: not a passive, a copula, a predicted state or a
        hedged forecast ('Beijing will likely retaliate')."""
        if any(c.dep_ == "advmod" and c.lower_ in self.hedges for c in verb.children):
            return False
        if any(c.dep_ in _PASSIVE_SUBJ or c.dep_ == "auxpass" for c in verb.children):
            return False
        if verb.lemma_ == "be" and not any(c.dep_ in ("xcomp",) for c in verb.children):
            return False
        return verb.lemma_.casefold() not in self.predictions

    def _inverted(self, modal: Token) -> bool:
        """'will China stop ...': a question word order."""
        subjects = [c for c in modal.head.children if c.dep_ in _SUBJ]
        return bool(subjects) and subjects[0].i > modal.i

    def _conditional(self, i: int, parse: Subtrees) -> bool:
        """The trigger's clause (of token `i`) is, or is governed by, an 'if' clause."""
        dep, heads = parse.dep, parse.heads
        marked = parse.governing(_MARK, self.conditional_ids)  # the tokens with an 'if' dependent
        for _ in range(len(heads) + 1):  # token i, then its ancestors (as many as spaCy walks)
            if i in marked or any(dep[clause] == _ADVCL and clause in marked for clause in parse.children(i)):
                return True
            if dep[i] not in _CLAUSE_DEP_IDS or heads[i] == i:
                break
            i = heads[i]
        return False

    def _reported(self, token: Token) -> bool:
        head = token
        while head.dep_ == "conj":
            head = head.head
        return head.dep_ == "ccomp" and head.head.lemma_.casefold() in self.reporting

    def _complement(self, match: Span, anchor: Token) -> Token | None:
        """What the trigger governs: an infinitive, a that-clause, a gerund or an object noun."""
        if match[-1].is_punct:
            return self._after_parenthesis(match)
        inside = {t.i for t in match}
        for tok in match:
            if tok.lower_ == "to" and tok.dep_ == "aux" and tok.head.i not in inside and tok.head.pos_ in ("VERB", "AUX"):
                return tok.head
        pool = list(match)
        if anchor.dep_ in ("acomp", "attr") or anchor.pos_ == "ADJ":
            pool.append(anchor.head)
        for tok in pool:
            for child in tok.children:
                if child.i in inside:
                    continue
                if child.dep_ in ("xcomp", "ccomp", "pcomp") or (
                    child.dep_ in ("advcl", "acl") and any(c.lower_ in ("to", "for", "that") for c in child.children)
                ):
                    if child.pos_ in ("VERB", "AUX"):
                        return child
            for child in tok.children:
                if child.i in inside:
                    continue
                if child.dep_ == "prep" and child.lower_ in ("to", "on", "of", "for"):
                    for grand in child.children:
                        if grand.dep_ in ("pcomp", "pobj"):
                            return self._gerund_clause(grand)
                if tok.lower_ in ("to", "on", "of", "for") and child.dep_ in ("pcomp", "pobj"):
                    return self._gerund_clause(child)
                if child.dep_ == "dobj":
                    sub = [g for g in child.children if g.dep_ == "acl" or (g.dep_ == "prep" and g.lower_ in ("to", "for"))]
                    return sub[0] if sub and sub[0].dep_ == "acl" else child
        return None

    @staticmethod
    def _after_parenthesis(match: Span) -> Token | None:
        """'their commitment, as leaders of ..., to respect ...': the complement follows the
        parenthesis that ends with the next comma or dash (the parser hangs it elsewhere)."""
        closer = match[-1].text
        sent = sentence_at(match.doc, match.start)
        for tok in sent[match.end - sent.start:]:
            if tok.text == closer and tok.i + 2 < sent.end:
                nxt = tok.doc[tok.i + 1]
                if nxt.lower_ == "to" and nxt.head.pos_ in ("VERB", "AUX", "NOUN"):
                    return nxt.head if nxt.head.i > nxt.i else tok.doc[tok.i + 2]
                return None
        return None

    @staticmethod
    def _gerund_clause(obj: Token) -> Token:
        """'the importance of Iran returning': the parser hangs the gerund on its subject."""
        if obj.dep_ == "pobj":
            for child in obj.children:
                if child.dep_ == "acl" and child.tag_ == "VBG":
                    return child
        return obj

    # ------------------------------------------------------------------ actors

    def _actor(self, rule: Trigger, match: Span, anchor: Token, action: Token | None,
               resolver: ActorResolver) -> list[str] | None:
        """Who is to act: an embedded clause's own subject, a noun's owner, or the trigger's subject.

        None vetoes the candidate (no subject, or one that names no actor); [] keeps it with an
        actor that the document does not let us resolve ("both sides" in a text naming no country).
        """
        if rule.object_actor:
            objects = [t for t in match if t.dep_ in ("dobj", "pobj", "nsubj") and t.pos_ == "PRON"]
            return self._as_actor(objects[0], resolver) if objects else None
        if action is not None and action is not anchor and action.pos_ in ("VERB", "AUX"):
            inner = [c for c in action.children if c.dep_ in _SUBJ]
            if not inner and action.dep_ == "acl" and action.tag_ == "VBG" and action.head.dep_ == "pobj":
                inner = [action.head]
            if inner:
                actors = self._as_actor(inner[0], resolver)
                if rule.self_clause_only:
                    governor = self._governor(anchor) if anchor.pos_ == "NOUN" else anchor
                    own = self._subject_actor(governor, resolver) if governor is not None else None
                    if not actors and self._owned_by(inner[0], own, resolver):
                        return own
                    return actors if actors and own and self._same_side(actors, own, resolver) else None
                if actors and rule.own_side_only and inner[0].lower_ not in ("we", "us") and self._others(
                        actors, anchor, resolver):
                    return None
                if actors is not None:
                    return actors
                if action.dep_ == "ccomp" or self._belief(action):
                    return None
        if anchor.pos_ == "NOUN" and any(c.dep_ in _SUBJ for c in anchor.children):
            return self._subject_actor(anchor, resolver)  # a verb tagged as a noun: "X and Y plan to"
        if anchor.pos_ == "NOUN":
            governor = self._governor(anchor)
            if governor is None:
                return None
            owner = self._owner(rule, anchor, action, resolver)
            if owner:
                return owner
            return self._subject_actor(governor, resolver) if governor.pos_ in ("VERB", "AUX") else None
        owner = self._owner(rule, anchor, action, resolver)
        if owner:
            return owner
        actors = self._subject_actor(anchor, resolver, passive_ok=anchor in match)
        if actors is None and rule.possessor_actor:
            for subj in (c for c in anchor.children if c.dep_ in _SUBJ):
                for tok in subj.subtree:
                    if tok.dep_ == "poss":
                        return self._as_actor(tok, resolver)
        return actors

    @staticmethod
    def _same_side(actors: list[str], own: list[str], resolver: ActorResolver) -> bool:
        """The clause's actors include the speaker's side: 'Xi hoped that the two sides will ...'
        (CHN among CHN, KAZ), not 'We hope the US will ...'."""
        if set(actors) <= set(own):
            return True
        own_countries = {resolver.country_of(a) for a in own} - {None}
        return bool(own_countries & {resolver.country_of(a) for a in actors})

    def _others(self, actors: list[str], anchor: Token, resolver: ActorResolver) -> bool:
        """'Trump stressed the importance of India increasing ...': the clause names only countries
        and none is the speaker's (or the speaker's country is unknown), so it is a demand on a
        third party."""
        speaker = (self._governor(anchor) or anchor) if anchor.pos_ == "NOUN" else anchor
        own = self._subject_actor(speaker, resolver) or []
        own_countries = {resolver.country_of(a) for a in own} - {None}
        codes = [a for a in actors if is_country_code(a)]
        if len(codes) != len(actors):  # an organisation or a person may include the speaker's side
            return False
        return not own_countries & set(codes)

    def _advice(self, anchor: Token, actors: list[str], resolver: ActorResolver) -> bool:
        """'Critics say Kenya should renegotiate', 'Washington said Beijing must stop': what a
        non-party or another country says someone should do is advice or a demand."""
        if any(c.dep_ in _SUBJ and c.lower_ in ("we", "i") for c in anchor.children):
            return False  # the speaker's own side
        tok = anchor
        while tok.dep_ == "conj":
            tok = tok.head
        if tok.dep_ != "ccomp" or tok.head.lemma_.casefold() not in self.reporting:
            return False
        sayers = self._subject_actor(tok.head, resolver)
        if sayers is None:
            return True
        return self._others(actors, tok.head, resolver) if sayers else False

    def _belief(self, verb: Token) -> bool:
        """'agrees that the deals could generate growth': a judgement, not an undertaking."""
        return any(c.dep_ == "aux" and c.lower_ in self.belief_modals for c in verb.children)

    @staticmethod
    def _as_actor(token: Token, resolver: ActorResolver) -> list[str] | None:
        actors = resolver.resolve(token)
        return actors if actors or resolver.denotes_actor(token) else None

    @staticmethod
    def _owned_by(subject: Token, own: list[str] | None, resolver: ActorResolver) -> bool:
        """'I hope my visit will help': the clause's subject belongs to the hoper."""
        return bool(own) and any(
            t.dep_ == "poss" and set(resolver.resolve(t)) <= set(own or []) and resolver.resolve(t)
            for t in subject.children)

    def _owner(self, rule: Trigger, anchor: Token, action: Token | None, resolver: ActorResolver) -> list[str]:
        """Country or possessor of an actor-bearing noun: "U.S. support", "Saudi Arabia's commitment"."""
        nouns = [t for t in (anchor, action) if t is not None and t.lemma_.casefold() in self.bearing]
        nouns += [c for c in anchor.children if c.dep_ == "dobj" and c.lemma_.casefold() in self.bearing]
        if anchor.pos_ in ("VERB", "AUX") and not rule.object_owner_acts:
            nouns = [n for n in nouns if n.i == anchor.i]  # 'China welcomes Saudi plans': China acts
        for noun in nouns:
            for child in noun.children:
                if child.dep_ == "poss" or child.dep_ in ("compound", "amod", "nmod") and child.pos_ in ("PROPN", "ADJ"):
                    actors = resolver.resolve(child)
                    if actors:
                        return actors
        return []

    def _governor(self, noun: Token) -> Token | None:
        """The verb (or noun: 'a demonstration of our commitment') a noun trigger depends on,
        if it is one of `noun_governors`; 'concern over the PRC's support' is no commitment."""
        tok = noun
        while tok.dep_ in ("pobj", "prep", "dobj", "attr", "conj", "appos", "nsubj") and tok.head is not tok:
            tok = tok.head
            if tok.pos_ in ("VERB", "AUX") or tok.lemma_.casefold() in self.governors:
                break
            if tok.pos_ in ("NOUN", "PROPN"):
                return None
        if tok is noun:
            return None
        return tok if tok.lemma_.casefold() in self.governors else None

    def _subject_actor(self, verb: Token, resolver: ActorResolver, passive_ok: bool = False) -> list[str] | None:
        """Actors of a verb's subject, climbing through xcomp, conj and participial clauses;
        None when the subject is no actor or there is none."""
        tok = verb
        deps = _SUBJ + _PASSIVE_SUBJ if passive_ok else _SUBJ
        for _ in range(6):
            subjects = [c for c in tok.children if c.dep_ in deps] or [  # parser slip: subject on an auxiliary
                g for c in tok.children if c.dep_ == "aux" for g in c.children if g.dep_ in deps]
            if subjects:
                if subjects[0].lower_ == "it" and tok.lemma_ == "be":
                    return None
                return self._as_actor(subjects[0], resolver)
            if any(c.dep_ in _PASSIVE_SUBJ for c in tok.children):
                return None
            if tok.dep_ == "conj" and tok.head.dep_ == "relcl" and tok.head.head.head is not tok.head.head:
                tok = tok.head.head.head
                continue
            if tok.dep_ == "conj" and self._main_clause_conjunct(tok):
                tok = tok.head
                while tok.dep_ in ("ccomp", "pcomp", "prep", "pobj") and tok.head is not tok:
                    tok = tok.head
                main = [c for c in tok.children if c.dep_ in _SUBJ + _PASSIVE_SUBJ]  # 'we are united'
                return self._as_actor(main[0], resolver) if main else None
            if tok.dep_ in ("xcomp", "conj", "advcl", "acomp", "ccomp") and tok.head is not tok:
                tok = tok.head
                continue
            break
        if self._operative_clause(tok) and resolver.signatories:
            return list(resolver.signatories)
        return None

    @staticmethod
    def _operative_clause(verb: Token) -> bool:
        """'2. Commit to strengthening ...', 'Agree to ...' as an item of a joint declaration
        ("We ... hereby declare to:"), or a preambular 'Committing to ...': a bare verb opening its
        sentence speaks for the signatories."""
        if verb.tag_ not in ("VB", "VBP", "VBG") or verb.dep_ != "ROOT":  # VBG: 'Reaffirming the importance of'
            return False
        first = next((t for t in sentence_at(verb.doc, verb.i) if not (t.is_punct or t.is_space or t.like_num or len(t.text) == 1)), None)
        return first is not None and first.i == verb.i

    @staticmethod
    def _main_clause_conjunct(verb: Token) -> bool:
        """'We are united in recognizing that X is a priority and will work to ...': a conjunct
        with its own 'will', hung on a that-clause without one, belongs to the main clause."""
        head = verb.head
        modal = any(c.dep_ == "aux" and c.tag_ == "MD" for c in verb.children)
        return modal and head.dep_ == "ccomp" and any(c.dep_ == "mark" for c in head.children) and not any(
            c.dep_ == "aux" and c.tag_ == "MD" for c in head.children)

    # ------------------------------------------------------------------ elliptical list items

    def _list_item(self, sent: Span, previous: Span) -> bool:
        """'First, realize the docking of ...' right after a commitment: an item of its list."""
        tokens = (t for t in sent if not t.is_punct and not t.is_space)
        first = next(tokens, None)  # most sentences fail here: read no further
        if first is None or first.lower_ not in self.list_markers:
            return False
        words = [first, *islice(tokens, 2)]
        if len(words) < 3:
            return False
        return text_of(sent.doc).find("\n", previous[-1].idx, sent.start_char) < 0 and words[1].tag_ == "VB"

    def _list_candidate(self, sent: Span, previous: Candidate) -> Candidate | None:
        verb = next(t for t in sent if not t.is_punct and not t.is_space and t.lower_ not in self.list_markers)
        return Candidate(previous.rule, sent[verb.i - sent.start: verb.i - sent.start + 1], verb, verb,
                         previous.actor)

    # ------------------------------------------------------------------ operative lists

    def _opens_operative_list(self, sent: Span) -> bool:
        """'WE HEREBY COMMIT TO:', 'do hereby declare:': a declaration's list of undertakings follows."""
        text = span_text(sent).strip().rstrip("*_ ")
        return text.endswith(":") and any(t.lower_ in self.frame_words for t in sent)

    def _frame(self, sent: Span, resolver: ActorResolver) -> tuple[Trigger, list[str], bool] | None:
        """The trigger and actor the list's items take: the trigger named in the frame ("COMMIT
        TO:"; it governs every item) or `operative_rule` (an item's own trigger then wins), the
        frame's subject or else the text's signatories."""
        matches = self.blank_matcher(sent)
        rule_id = self.matcher.vocab.strings[matches[-1][0]] if matches else self.data.operative_rule
        if rule_id is None:
            return None
        subjects = [t for t in sent if t.dep_ in _SUBJ]
        actor = resolver.resolve(subjects[0]) if subjects else []
        return self.rules[rule_id], actor or list(resolver.signatories), bool(matches)

    def _item_verb(self, sent: Span) -> Token | None:
        """The word opening an item after its marker ('1.', '(a)', '-') and an adverb ('FURTHER')."""
        words = [t for t in sent if not (t.is_punct or t.is_space or t.like_num or t.tag_ == "LS" or len(t.text) == 1)]
        while words and words[0].lower_ in ("further", "also", "jointly", "and"):
            words.pop(0)
        return words[0] if words else None

    def _operative_item(self, sent: Span, resolver: ActorResolver) -> Token | None:
        """An item of an operative list: it opens with a verb in the base form, written in capitals
        ('FULFILL the goals ...') or tagged as such; not 'NOTE ...' (no undertaking)."""
        verb = self._item_verb(sent)
        if verb is None or verb.lower_ in self.item_non_actions | self.closers:
            return None
        if resolver.resolve_text(verb.text):  # 'ASEAN-U.S. Strategic Partnership ...': a name, not a verb
            return None
        capitals = verb.text.isupper() and verb.text.isalpha() and len(verb.text) > 2
        return verb if capitals and not verb.lower_.endswith(("ed", "ing")) or verb.tag_ == "VB" else None

    def _closes(self, sent: Span) -> bool:
        """'ADOPTED in Jakarta ...', 'DONE at ...': the list is over."""
        verb = self._item_verb(sent)
        return verb is not None and verb.lower_ in self.closers

    # ------------------------------------------------------------------ headlines

    @staticmethod
    def _headline(sent: Span, title: object) -> bool:
        """The document's title line: title case defeats the parser ("Pledges" as a noun)."""
        return bool(title) and " ".join(span_text(sent).split()) == " ".join(str(title).split())

    def _headline_candidate(self, sent: Span, resolver: ActorResolver) -> Candidate | None:
        """"Zimbabwe's Leader Thanks China's Xi, Pledges to Boost Ties": a trigger matched on
        words; the actor is the headline's subject, the longest opening run of words before a
        verb-like capitalised word ending in -s ('Thanks', 'Pledges') that names an actor."""
        matches = [Span(sent.doc, sent.start + s, sent.start + e, label=m) for m, s, e in self.blank_matcher(sent)]
        if not matches:
            return None
        actor: list[str] = []
        for tok in sent:
            if tok.i >= matches[0].start or tok.text == ",":
                break
            verb_like = tok.text[:1].isupper() and tok.text.endswith("s") and tok.text[-2:] not in ("'s", "’s")
            if tok.i > sent.start and verb_like:
                actor = resolver.resolve_text(span_text(sent.doc[sent.start: tok.i]))
                if actor:
                    break
        if not actor:
            return None
        match = matches[0]
        rule = self.rules[match.label_]
        after = next((t for t in sent.doc[match.end: sent.end] if t.lower_ != "to"), match[-1])
        return Candidate(rule, match, match[0], after, actor)

    # ------------------------------------------------------------------ without a parser

    def _blank_candidate(self, match: Span, resolver: ActorResolver) -> Candidate | None:
        rule = self.rules[match.label_]
        sent = sentence_at(match.doc, match.start)
        for width in (3, 2, 1):
            start = max(sent.start, match.start - width)
            words = match.doc[start: match.start]
            if len(words) and words[0].i >= sent.start:
                actors = resolver.resolve(words) if len(words) > 1 else resolver.resolve(words[0])
                if actors:
                    after = match.end if match.end < sent.end else match.start
                    return Candidate(rule, match, match[0], match.doc[after], actors)
        return None

    # ------------------------------------------------------------------ records

    def _record(self, cand: Candidate, sent: Span, resolver: ActorResolver, subtrees: Subtrees | None,
                columns: Tokens) -> Commitment:
        """The record of a candidate; `subtrees` is None without a parse."""
        doc = sent.doc
        action_tokens = (self._action_tokens(cand.action, subtrees, columns) if subtrees is not None
                         else list(range(cand.action.i, sent.end)))
        action = columns.join(action_tokens[:_MAX_ACTION_TOKENS]).strip(" ,.;:")
        negated = self._negated(cand, subtrees)
        speaker = resolver.speaker_of(cand.match[0]) or self._reporter(cand.anchor, resolver)
        rule = cand.rule
        return Commitment(
            sentence=span_text(sent).strip(),
            start=cand.match.start_char,
            end=max(cand.match.end_char, columns.end_char(action_tokens[-1]) if action_tokens else 0),
            rule=rule.id,
            actor=cand.actor,
            modality=rule.modality,
            strength=rule.strength or ("firm" if rule.modality in FIRM else "soft"),
            action=action,
            counterparty=self._counterparty(action_tokens, cand.actor, resolver, columns),
            due=self._due(cand.action, sent, doc) if subtrees is not None else None,
            negated=negated,
            speaker=speaker,
            trigger=span_text(cand.match),
            plover_event=rule.plover_event,
            plover_mode="negated" if negated else rule.plover_mode,
        )

    def _reporter(self, anchor: Token, resolver: ActorResolver) -> str | None:
        """The person whose words are reported ('Xi said China is willing to ...')."""
        tok = anchor
        while tok.dep_ in ("conj", "xcomp") and tok.head is not tok:
            tok = tok.head
        if tok.dep_ == "ccomp" and tok.head.lemma_.casefold() in self.reporting:
            for subject in (c for c in tok.head.children if c.dep_ == "nsubj"):
                names = resolver.resolve(subject)
                if resolver.denotes_person(subject) and len(names) == 1:
                    return names[0]
        return None

    @staticmethod
    def _action_tokens(head: Token, subtree: Subtrees, columns: Tokens) -> list[int]:
        """The verb phrase (token indices): the verb, its objects, complements and purpose ('to
        uphold ...'), coordinated verbs kept together; no subject, auxiliaries, or time/condition
        clauses. A noun complement ('commitment to the one-China principle') is its whole phrase."""
        space = columns.is_space
        if head.pos_ in ("NOUN", "PROPN", "PRON", "NUM"):
            return [i for i in subtree(head.i) if not space[i]]
        drop: set[int] = set()
        for child in head.children:
            if child.dep_ == "relcl" or (child.dep_ == "conj" and any(c.dep_ in _SUBJ for c in child.children)):
                drop.update(subtree(child.i))
            if child.dep_ == "advcl" and not any(c.lower_ == "to" for c in child.children):
                drop.update(subtree(child.i))
        tokens = [i for i in subtree(head.i) if i >= head.i and i not in drop and not space[i]]
        while tokens and (columns.dep[tokens[-1]] == _CC or head.doc[tokens[-1]].is_punct):
            tokens.pop()
        return tokens or [head.i]

    @staticmethod
    def _negated(cand: Candidate, parse: Subtrees | None) -> bool:
        """A 'not', 'never' among the dependents of the trigger or its action (none without a parse)."""
        if parse is None:
            return False
        tokens = [*(t.i for t in (cand.anchor, cand.action) if t is not None), *range(cand.match.start, cand.match.end)]
        negated = parse.governing(dep=_NEG) | parse.governing(lowers=_NEVER)
        return any(i in negated for i in tokens)

    @staticmethod
    def _counterparty(tokens: list[int], actor: list[str], resolver: ActorResolver, columns: Tokens) -> list[str]:
        """Who the actor acts with or for: 'with' objects and country objects of the action."""
        out: list[str] = []
        doc, dep = resolver.doc, columns.dep
        for i in tokens:
            if (dep[i] == _POBJ and doc[i].head.lower_ in ("with", "to", "for")) or (
                dep[i] == _DOBJ and doc[i].ent_type_ in ("GPE", "NORP", "ORG")
            ):
                for name in resolver.resolve(doc[i]):
                    if name not in actor and name not in out:
                        out.append(name)
        return out

    @staticmethod
    def _due(action: Token, sent: Span, doc: Doc) -> str | None:
        """A date inside the action's clause ("In 2021, China will take over"), not one that dates
        the trigger ("announced last week that"), nor one before the publication year."""
        published = getattr(doc._, "published", None)
        lo, hi = action.left_edge.idx, action.right_edge.idx + len(action.right_edge)
        for mention in find_dates(span_text(sent), published, tense="future"):
            start, end = sent.start_char + mention.start, sent.start_char + mention.end
            if start < lo or end > hi or not mention.date.value:
                continue
            begin = mention.date.start
            if isinstance(published, dt.date) and begin and begin.year < published.year:
                continue
            return mention.date.span
        return None


class Subtrees:
    """`Token.subtree` as token indices, from the Doc's head array read once per Doc: spaCy walks
    nested generators of Token objects, which made long phrases costly."""

    def __init__(self, doc: Doc) -> None:
        table = doc.to_array([HEAD, DEP, LOWER])
        heads = table[:, 0].astype("int64") + numpy.arange(len(doc))
        #: the head of token i (i itself for a root)
        self.heads: list[int] = heads.tolist()
        #: per token, the ids of `dep_` and `lower_`, for the vetoes that test a token's dependents
        self.dep, self.lower = table[:, 1:].T.tolist()
        order = numpy.argsort(heads, kind="stable")  # tokens grouped by head, in text order
        #: the children of token i are `self.order[self.bounds[i]: self.bounds[i + 1]]` (less i itself)
        self.order: list[int] = order.tolist()
        self.bounds: list[int] = numpy.searchsorted(heads[order], numpy.arange(len(doc) + 1)).tolist()
        self._table, self._head_array = table, heads
        self._governing: dict[tuple[int | None, frozenset[int] | None], set[int]] = {}

    def governing(self, dep: int | None = None, lowers: frozenset[int] | None = None) -> set[int]:
        """The tokens with a dependent (not themselves) of relation `dep` whose `lower_` is one of
        `lowers` (None: any), found once per Doc for each question: a veto asks it of many tokens."""
        key = (dep, lowers)
        if key not in self._governing:
            table, heads = self._table, self._head_array
            found = heads != numpy.arange(len(heads))
            if dep is not None:
                found &= table[:, 1] == dep
            if lowers is not None:
                found &= isin_sorted(table[:, 2], numpy.array(sorted(lowers), dtype=numpy.uint64))
            self._governing[key] = set(heads[found].tolist())
        return self._governing[key]

    def __call__(self, i: int) -> list[int]:
        """The subtree of token `i` in `Token.subtree` order: the left children's subtrees, the
        token, the right children's."""
        out: list[int] = []
        self._walk(i, out)
        return out

    def children(self, i: int) -> list[int]:
        """`[c.i for c in token.children]`."""
        return [kid for kid in self.order[self.bounds[i]: self.bounds[i + 1]] if kid != i]

    def depth(self, i: int) -> int:
        """`len(list(token.ancestors))`: the heads above token `i` (at most the Doc's length,
        as spaCy bounds a malformed parse)."""
        heads = self.heads
        n = 0
        while heads[i] != i and n < len(heads):
            i = heads[i]
            n += 1
        return n

    def top(self, start: int, end: int) -> int:
        """The first token of `start:end` whose head lies outside it (or is itself)."""
        heads = self.heads
        return next(i for i in range(start, end) if not start <= heads[i] < end or heads[i] == i)

    def _walk(self, i: int, out: list[int]) -> None:
        bounds = self.bounds
        kids = self.order[bounds[i]: bounds[i + 1]]
        for kid in kids:
            if kid < i:
                if bounds[kid] == bounds[kid + 1]:  # a leaf (most words): no call
                    out.append(kid)
                else:
                    self._walk(kid, out)
        out.append(i)
        for kid in kids:
            if kid > i:
                if bounds[kid] == bounds[kid + 1]:
                    out.append(kid)
                else:
                    self._walk(kid, out)


class _Hits:
    """A regex's matches in a whole text, found once, answering `regex.search(part)` for the
    parts of it (sentences) without scanning each one."""

    def __init__(self, regex: re.Pattern[str], text: str) -> None:
        self.regex = regex
        self.text = text
        found = [m.span() for m in regex.finditer(text)]
        self.starts = [start for start, _ in found]
        self.ends = [end for _, end in found]

    def search(self, part: str, offset: int) -> bool:
        """`bool(regex.search(part))` for `part == text[offset:offset + len(part)]`. A match in the
        part is one in the text unless it touches the part's edge where a word runs on across it
        (`\\b` differs there); otherwise it overlaps a match of the text (which, scanning left to
        right, may have begun earlier). Only then is the part itself searched."""
        end = offset + len(part)
        n = bisect.bisect_right(self.ends, offset)
        overlaps = n < len(self.starts) and self.starts[n] < end
        glued = (offset > 0 and _WORD.match(self.text, offset - 1)) or _WORD.match(self.text, end)
        return bool(overlaps or glued) and self.regex.search(part) is not None


_WORD = re.compile(r"\w")


def _interruptible(phrases: list[str]) -> list[str]:
    """The phrases, plus for each one ending in 'to' the same with a parenthesis opening where
    'to' stands ("stands ready, together with its partners, to help"; see `_after_parenthesis`)."""
    out = list(phrases)
    for phrase in phrases:
        if phrase.endswith(" to"):
            out += [f"{phrase[:-3]} {mark}" for mark in (",", "–", "—")]
    return out


def _pronoun_is_we(token: Token) -> bool:
    return token.lower_ in ("us", "ourselves", "we") and not token.text.isupper()


@Language.factory(
    "diplo_commitments",
    assigns=["doc._.commitments"],
    default_config={"rules_dirs": []},
)
def make_commitments(nlp: Language, name: str, rules_dirs: list[str]) -> CommitmentExtractor:
    return CommitmentExtractor(nlp, name, rules_dirs)
