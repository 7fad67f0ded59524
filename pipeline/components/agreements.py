"""Agreements extractor: treaties, conventions, joint statements, memoranda, outlines ...

Reads the parse, entities, `doc._.published`, `doc._.title` (and `doc._.people` through the
actor resolver); writes `doc._.agreements`, one `Agreement` per distinct agreement of the
document with repeated mentions folded into `aliases`.

Candidates come from the trigger terms of `models/rules/agreements.yaml` (an `AnchoredMatcher`); code
then builds the name from the parse (`spans.phrase_span` with a year suffix "2021-2025" and an
"(ABBR)" moved to the aliases, `spans.with_year_suffix` / `split_abbreviation`, plus the local
additions: a title's collective owner "Leaders'", a capitalised purpose "to Implement ..."),
vetoes what is not one specific agreement (generic plurals such as "CPEC agreements", "over ten
cooperation documents", unqualified statements, plans owned by one party, bare anaphors such as
"the Convention", trigger nouns inside organisation names), and takes the status from the
context rules; only the document a title line IS gets the title's publication status. Mentions
fold into one record by a key that reads abbreviations the text defines
(`spans.defined_abbreviations`: "Plan of Action (POA)") and the rule file's `fold_forms` ("UN")
as their long forms. Without a parser (`--model blank`) names are the matched terms plus adjacent
capitalised words and the status is the default rule's.
"""
from __future__ import annotations

import functools
import re

from pydantic import Field, field_validator
from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from pipeline.actors import ActorResolver, ActorRules, is_country_code
from pipeline.countries import to_iso3
from pipeline.dates import resolve_date
from pipeline.extensions import records_of, sentence_at, span_text
from pipeline.records import Agreement, AgreementKind, AgreementStatus
from pipeline.rules.loader import MODELS_DIR, Rule, RuleFile, RuleFileError, load_rules
from pipeline.components import spans
from pipeline.components.phrase_matching import AnchoredMatcher
from pipeline.components.spans import ContextRule, MentionContext

RULES_NAME = "agreements"
#: Prepositions naming the parties, kept after a first complement ("Treaty on X between A and B").
PARTY_PREPS = frozenset({"between", "among"})
#: Most further "and between C and D" pairs read as separate agreements after a plural head.
MAX_PAIRS = 3


class HeadRule(Rule):
    """Trigger terms heading an agreement, and the kind they give."""

    terms: list[str] = Field(min_length=1, description="Terms, singular; matched case-insensitively, plural too.")
    kind: AgreementKind = Field(description="Agreement kind the head gives.")
    needs_name: bool = Field(False, description="Common noun: count it only with a name, complement or term.")
    capitalised_only: bool = Field(False, description="Count the head only when written with a capital.")
    qualifiers: list[str] = Field(
        default_factory=list,
        description="Owners or modifiers, lower case, one of which must qualify the head ('Leaders' Statement', "
        "'Vision Statement'); a capitalised head with an 'on ...' complement inside a sentence also qualifies. "
        "Empty: no such condition.",
    )
    owned_is_domestic: bool = Field(
        False, description="A head owned by one party ('the President's Emergency Plan') is its own programme, not an agreement."
    )
    organisation_owner: bool = Field(
        False, description="Count the head only when its first modifier is an organisation, not a country: "
        "'ASEAN Community Vision 2025' is adopted by members, 'Kenya Vision 2030' is a national strategy (a project).",
    )
    kind_from_document: bool = Field(
        False, description="Take the kind of the recorded document the head belongs to ('POA Annex': the POA's kind)."
    )
    exact: bool = Field(False, description="Terms are whole names in their exact spelling ('New START', 'JCPOA'), no plural.")

    @field_validator("qualifiers")
    @classmethod
    def _lower(cls, words: list[str]) -> list[str]:
        return [w.lower() for w in words]


class StatusRule(ContextRule):
    status: AgreementStatus = Field(description="Status given when the rule fires.")


class AgreementRuleFile(RuleFile):
    complement_preps: list[str] = Field(default_factory=list, description="Prepositions whose phrase belongs to the name.")
    generic_modifiers: list[str] = Field(default_factory=list, description="Modifiers that single nothing out.")
    veto_parents: list[str] = Field(default_factory=list, description="Nouns that make a trigger an org name.")
    heads: list[HeadRule] = Field(default_factory=list, description="Trigger nouns and their kinds.")
    fold_forms: dict[str, str] = Field(
        default_factory=dict, description="Short forms read as their long form when mentions are folded ('UN': 'United Nations')."
    )
    statuses: list[StatusRule] = Field(default_factory=list, description="Context rules giving the status.")

    @field_validator("complement_preps", "generic_modifiers", "veto_parents")
    @classmethod
    def _lower(cls, words: list[str]) -> list[str]:
        return [w.lower() for w in words]


def load_agreement_rules(rules_dirs: list[str] | tuple[str, ...] = ()) -> AgreementRuleFile:
    """Shipped rules merged with the user's folders; a default status rule is required."""
    rules = load_rules(RULES_NAME, AgreementRuleFile, rules_dirs)
    if not any(r.unconditional for r in rules.statuses):
        raise RuleFileError(MODELS_DIR / "rules" / f"{RULES_NAME}.yaml", "statuses", "no default rule (one without conditions)")
    return rules


_YEAR_ANNIVERSARY = re.compile(r"\b(\d{1,3})(?:st|nd|rd|th)\s+anniversary\b", re.IGNORECASE)


class AgreementExtractor:
    """The `diplo_agreements` component (see module docstring)."""

    def __init__(self, nlp: Language, rules_dirs: list[str]) -> None:
        self.rules = load_agreement_rules(rules_dirs)
        self.actor_rules = ActorRules.load(rules_dirs)  # the user's actor rules, as events and commitments read them
        self.preps = frozenset(self.rules.complement_preps)
        self.generic = frozenset(self.rules.generic_modifiers)
        self.veto_parents = frozenset(self.rules.veto_parents)
        self.matcher = AnchoredMatcher(nlp.vocab)
        self.heads: dict[str, HeadRule] = {}
        for rule in self.rules.heads:
            self.heads[rule.id] = rule
            if rule.exact:
                self.matcher.add(rule.id, [[{"ORTH": t.text} for t in nlp.make_doc(term)] for term in rule.terms])
            else:
                self.matcher.add(rule.id, [spans.term_patterns(t) for t in rule.terms])
        #: Lower-case words of each head rule's terms: "MoUs" read as a plural of "mou".
        self.term_words = {r.id: {w.lower() for term in r.terms for w in term.split()} for r in self.rules.heads}
        self.fold_forms = {k.casefold(): v.casefold() for k, v in self.rules.fold_forms.items()}
        self.statuses = self.rules.statuses

    # ------------------------------------------------------------------ candidates

    def candidates(self, doc: Doc) -> list[tuple[Token, HeadRule]]:
        """(head token, rule) for each match; the longest term wins on a shared head; a head that
        is a compound modifier of another candidate's head yields to it."""
        matched = spans.matched_heads(self.matcher, doc, self.heads)
        heads = {head.i for head, _ in matched}
        out = []
        for head, rule in matched:
            node = head
            while node.dep_ == "compound" and node.head != node and node.head.i not in heads:
                node = node.head
            if node.dep_ == "compound" and node.head.i in heads:
                continue  # "Framework" in "Framework Agreement" yields
            if not spans.has_parse(doc) and head.i + 1 in heads:
                continue  # no parse: the last of adjacent heads heads the compound ("Joint Vision Statement")
            out.append((head, rule))
        return out

    def is_plural(self, head: Token, rule: HeadRule) -> bool:
        """Tagged plural, or a plural the tagger took for a name ("three MoUs")."""
        return spans.is_plural(head) or head.lower_.endswith("s") and head.lower_[:-1] in self.term_words[rule.id]

    def is_specific(self, head: Token, rule: HeadRule, name: Span) -> bool:
        """Veto what does not single out one agreement (see module docstring)."""
        if rule.exact:
            return True
        if head.pos_ not in ("NOUN", "PROPN") or rule.capitalised_only and not head.is_title:
            return False
        if rule.qualifiers and not _qualified(head, rule, name):
            return False
        if rule.owned_is_domestic and _single_owner(head):
            return False
        if rule.organisation_owner and not _organisation_owned(head):
            return False
        if _verb_mistagged(head):
            return False
        if head.dep_ == "compound" and head.head.lemma_.lower() in self.veto_parents:
            return False
        if head.dep_ == "compound" and not head.is_title:
            return False
        bare = spans.bare_span(head)
        owners = {t.i for c in bare if spans.is_possessor(c) for t in c.subtree}
        sent = sentence_at(head.doc, head.i)  # bare lies inside the head's sentence
        named = any(t.i not in owners and (t.pos_ == "PROPN" or t.is_title and t.i != sent.start) for t in bare if t.i != head.i)
        named = named or (head.is_title and head.i != sent.start and not span_text(sent).istitle())
        complement = name.end > head.i + 1 and any(
            t.is_alpha and not t.is_stop and t.pos_ != "ADP" and t.lemma_.lower() not in self.generic
            for t in name if t.i > head.i
        )
        modifiers = [t for t in bare if t.i < head.i and t.i not in owners and t.dep_ in ("compound", "nmod", "npadvmod")]
        term = any("-" in t.text or t.text == "-" for t in bare if t.i < head.i) or any(
            t.like_num for t in bare if t.i < head.i
        )
        specific = [t for t in modifiers if t.lemma_.lower() not in self.generic and not t.like_num]
        quantified = any(
            c.dep_ in ("nummod", "quantmod") or c.lower_ in ("several", "many", "some", "various", "these", "those")
            for c in head.children
        )
        if self.is_plural(head, rule):
            if quantified and not named:
                return False
            determined = any(spans.is_possessor(c) or c.lower_ in ("the", "our", "their") for c in head.children)
            between = complement and span_text(name).lower().split()[len(bare):][:1] == ["between"]
            if not (head.is_title or determined or between):
                return False  # "plans to renegotiate CPEC agreements": a generic plural, unlike "the Minsk agreements"
            return named or between or (determined and bool(specific))
        if rule.needs_name and any(c.tag_ == "PRP$" for c in head.children) and not named and not specific:
            return False  # "their plan to build a bridge": a party's own intention
        if rule.needs_name:
            return named or complement or term
        return named or complement or bool(specific) or term

    def is_negotiated(self, head: Token, rule: HeadRule, ctx: MentionContext) -> bool:
        """"work for a mutually beneficial agreement": a deal under negotiation is singled out by
        its talks, so a descriptive adjective is enough (not for heads that only count capitalised:
        "consultations on a shared vision")."""
        if rule.capitalised_only or rule.qualifiers:
            return False
        described = any(c.dep_ == "amod" and c.lemma_.lower() not in self.generic for c in head.children)
        return described and not spans.is_plural(head) and self.status(ctx).status == "negotiating"

    def coordinated_pairs(self, head: Token, name: Span) -> list[Span]:
        """"agreements between A and B ..., and between C and D": one more agreement per pair."""
        if not spans.is_plural(head) or "between" not in span_text(name).lower().split():
            return []
        return [
            spans.complement_span(t) for t in _sentence(name)
            if t.i >= name.end and t.lower_ == "between" and t.dep_ in ("conj", "prep") and t.head.i not in range(name.start, name.end)
            and any(c.dep_ == "pobj" for c in t.children)
        ][:MAX_PAIRS]

    # ------------------------------------------------------------------ attributes

    def status(self, ctx: MentionContext) -> StatusRule:
        return spans.best_rule(self.statuses, ctx)

    def reread_participle(self, full: Span, ctx: MentionContext) -> MentionContext:
        """Undo a frequent misparse of a reduced relative: in "the Plan ..., including the Annex
        adopted at the Conference on 14 July, outlines ...", the parser makes "adopted" the finite
        verb of "the Plan" or of the main clause. A past status verb with no object and no subject
        of its own right after a noun phrase describes that phrase: the Annex reads it as its own
        participle, and a Plan taken for its subject keeps no cue from it."""
        doc = full.doc
        after = doc[full.end] if full.end < len(doc) else None
        if after is not None and self.is_status_cue(after) and not any(
            c.dep_ in ("nsubj", "nsubjpass", "expl") and c.i >= full.start for c in after.children
        ):
            lemma = after.lemma_.lower()
            return MentionContext(in_title=ctx.in_title, chain=[lemma], cues={lemma: 0}, nodes=[after], verb=after,
                                  mood="participle", verb_tag="VBN", dep="acl")
        verb = ctx.verb
        if (verb is not None and ctx.dep == "nsubj" and verb.i > full.end and self.is_status_cue(verb)
                and doc[verb.i - 1].pos_ in ("NOUN", "PROPN")):
            return MentionContext(in_title=ctx.in_title)
        return ctx

    def is_status_cue(self, verb: Token) -> bool:
        """A past form with no object, auxiliary or negation whose lemma some status rule cues."""
        return _misparsed_participle(verb) and any(verb.lemma_.lower() in r.chain for r in self.statuses)

    def parties(self, head: Token, name: Span, ctx: MentionContext, rule: StatusRule,
                reads: _DocReads) -> list[str]:
        """Countries and organisations in the name, then the signers: the subject or agent of the
        verb that gave the status ("China and Kazakhstan signed ..."), not of any verb ("We discussed ...")."""
        found: list[str] = []
        for ent in _entities_in(name):
            text = span_text(ent)
            code = to_iso3(text)
            if code and (ent.label_ == "NORP" or ent.start > head.i):  # "Paris Agreement": a place, not a party
                found.append(code)
            elif ent.label_ == "ORG" and (ent.ent_id_ or text.isupper() and len(text) <= 6):
                found.append(_org_party(ent))
        for token in name:
            if spans.country_pair(token):
                found.append(to_iso3(token.text))
            if token.pos_ not in ("PROPN", "ADJ"):
                continue
            parts = re.split(r"[-–]", token.text)
            if len(parts) < 2:
                continue  # a lone "Paris" or "Astana" in a name is a place, not a party
            for part in parts:
                code = to_iso3(part) if len(part) > 3 and part[:1].isupper() or part.isupper() and len(part) > 1 else None
                if code:
                    found.append(code)
        cue = next((t for t in ctx.nodes if t.lemma_.lower() in rule.chain and t.pos_ in ("VERB", "AUX")), None)
        if cue is not None:
            for child in cue.children:
                if child.dep_ in ("nsubj", "agent", "prep") and (child.dep_ != "prep" or child.lower_ == "between"):
                    target = child
                    if child.dep_ in ("agent", "prep"):
                        target = next((c for c in child.children if c.dep_ == "pobj"), None)
                    if target is not None and target.i not in range(name.start, name.end):
                        found.extend(_party_list(target, reads))
        return list(dict.fromkeys(p for p in found if p))

    def date(self, doc: Doc, name: Span, ctx: MentionContext, rule: StatusRule, year: str | None) -> str | None:
        """Year in the name ("2008 ... Agreement"), a date on the signing verb, or an anniversary."""
        published = getattr(doc._, "published", None)
        status = rule.status
        if status == "referenced":
            sent = _sentence(name)
            before = span_text(sent)[: name.start_char - sent.start_char]
            ordinals = list(_YEAR_ANNIVERSARY.finditer(before))
            return str(published.year - int(ordinals[-1].group(1))) if ordinals and published else None
        if status not in ("signed", "adopted", "in_force"):
            return None
        if year is not None:
            return year
        cue = next((t for t in ctx.nodes if t.lemma_.lower() in rule.chain), None)
        if cue is not None and status in ("signed", "adopted"):
            for child in cue.children:
                if child.left_edge.i < name.end and name.start <= child.right_edge.i:
                    continue  # the agreement's own phrase: its dates are not the signing's
                if child.ent_type_ == "DATE" or any(t.ent_type_ == "DATE" for t in child.subtree):
                    text = " ".join(t.text for t in child.subtree if t.ent_type_ == "DATE")
                    value = resolve_date(text, published=published).value if text else None
                    if value:
                        return value
        if ctx.in_title and status == "adopted" and published is not None:
            return published.isoformat()
        return None

    # ------------------------------------------------------------------ main

    def key(self, text: str, defined: dict[str, str]) -> str:
        """Fold key: no quotes, case or leading "the"; a line-wrap space after a hyphen ("Indo- Pacific")
        closed; abbreviations the text `defined` and short forms of `fold_forms` read as their long
        form ("the ASEAN-U.S. CSP", "UN Charter" = "United Nations Charter")."""
        text = re.sub(r"[\"“”«»‘’']", "", text).casefold()
        for short, long in [*defined.items(), *self.fold_forms.items()]:
            if short in text:  # most names hold none of the short forms: skip the pattern
                text = re.sub(rf"(?<![\w.]){re.escape(short)}(?!\w)", lambda _, long=long: long, text)
        text = re.sub(r"(?<=\w)[-–]\s+(?=\w)", "-", text)
        return re.sub(r"^the\s+", "", re.sub(r"\s+", " ", text).strip())

    def document_kind(self, head: Token, name: Span, kinds_at: dict[int, str], defined: dict[str, str]) -> str | None:
        """Kind of the document a part belongs to: another candidate head inside its name ("Annex to
        the Paris Agreement"), or the head term inside an abbreviation's long form ("POA Annex",
        with "Plan of Action (POA)" defined in the text)."""
        for token in name:
            if token.i in kinds_at and token.i != head.i:
                return kinds_at[token.i]
            expansion = defined.get(token.text.casefold()) if token.i < head.i else None
            found = [(len(term), rule.kind) for rule in self.rules.heads if not rule.exact for term in rule.terms
                     if expansion and re.search(rf"\b{re.escape(term.lower())}s?\b", expansion)]
            if found:
                return max(found)[1]
        return None

    def __call__(self, doc: Doc) -> Doc:
        parsed = spans.has_parse(doc)
        reads = _DocReads(doc, self.actor_rules)
        book = _Book()
        defined = spans.defined_abbreviations(doc)
        candidates = self.candidates(doc)
        kinds_at = {head.i: rule.kind for head, rule in candidates}
        for head, rule in candidates:
            if parsed:
                name = _with_owner(spans.phrase_span(head, self.preps, party_preps=PARTY_PREPS), head, rule)
                name, year = _split_year(name, doc._.published)
                name, abbreviation = spans.split_abbreviation(spans.with_year_suffix(_term_complement(name, head, self.preps)))
                purpose = _purpose(name)
                full = doc[name.start:purpose.end] if purpose is not None else name
                ctx = MentionContext.of(head, spans.in_title(full) and _is_title_document(head, full), full)
                if not self.is_specific(head, rule, name) and not self.is_negotiated(head, rule, ctx):
                    continue
            else:
                name, year, abbreviation, purpose = spans.blank_name(head), None, None, None
                if name is None and rule.exact:
                    name = doc[head.i:head.i + 1]
                if name is None or rule.organisation_owner or rule.qualifiers and not any(
                    _is_qualifier(t, rule) for t in name if t.i < head.i
                ):
                    continue  # no parse to tell an organisation's Vision from a country's
                full, ctx = name, MentionContext(in_title=False)
            ctx = self.reread_participle(full, ctx) if parsed else ctx
            status_rule = self.status(ctx)
            text = _clean(name) if purpose is None else f"{_clean(name)} {_clean(purpose)}"
            key = self.key(text, defined)
            lemma = head.lemma_.lower()
            existing = book.find(key, lemma)
            if existing is None and parsed and len(name) == 1 and not rule.exact:
                existing = book.latest(lemma)  # "the Convention": an anaphor, never an agreement of its own
                if existing is None:
                    continue
            if existing is not None:
                _fold(existing, text, status_rule)
                if abbreviation and abbreviation not in (existing.name, *existing.aliases):
                    existing.aliases.append(abbreviation)
                continue
            kind = (self.document_kind(head, name, kinds_at, defined) if rule.kind_from_document else None) or rule.kind
            record = Agreement(
                sentence=span_text(_sentence(full)).strip(),
                start=full.start_char,
                end=full.end_char,
                rule=f"{rule.id}+{status_rule.id}",
                name=text,
                aliases=[abbreviation] if abbreviation else [],
                kind=kind,
                status=status_rule.status,
                parties=self.parties(head, full, ctx, status_rule, reads) if parsed else [],
                date=self.date(doc, full, ctx, status_rule, year) if parsed else None,
            )
            bare = self.key(_clean(spans.bare_span(head)), defined) if parsed else key
            book.add(key, record, lemma, bare)
            for pair in self.coordinated_pairs(head, full) if parsed else []:
                text = f"{head.lemma_.lower()} {spans.clean_name(pair)}"
                extra = record.model_copy(update={"name": text, "aliases": [], "start": pair.start_char, "end": pair.end_char,
                                                  "parties": self.parties(head, pair, ctx, status_rule, reads)})
                book.add(self.key(text, defined), extra, lemma, None)
        doc._.agreements = list(book.records.values())
        return doc


class _DocReads:
    """What `parties` reads of the whole document, built once per Doc and only when a mention
    needs it: the actor resolver (whose set-up reads the whole text)."""

    def __init__(self, doc: Doc, actor_rules: ActorRules) -> None:
        self.doc = doc
        self.actor_rules = actor_rules

    @functools.cached_property
    def resolver(self) -> ActorResolver:
        return ActorResolver(self.doc, self.actor_rules)



class _Book:
    """The records of one document and the keys that find them again: full names and the short
    form before any complement ("Master Plan" for "Master Plan on ASEAN Connectivity")."""

    def __init__(self) -> None:
        self.records: dict[str, Agreement] = {}
        self.heads: dict[str, str] = {}
        self.bare: dict[str, str] = {}

    def add(self, key: str, record: Agreement, head: str, bare: str | None) -> None:
        self.records[key] = record
        self.heads[key] = head
        if bare:
            self.bare.setdefault(bare, key)

    def find(self, key: str, head: str) -> Agreement | None:
        """Same name, the short form of a recorded one, or a shorter/longer form with the same head."""
        if key in self.records or key in self.bare:
            return self.records[self.bare.get(key, key)] if key not in self.records else self.records[key]
        for other, record in self.records.items():
            if self.heads[other] == head and (other.endswith(" " + key) or key.endswith(" " + other)):
                return record
        return None

    def latest(self, head: str) -> Agreement | None:
        """The last recorded agreement with this head word: what a bare "the Treaty" refers to."""
        keys = [k for k, h in self.heads.items() if h == head]
        return self.records[keys[-1]] if keys else None


def _qualified(head: Token, rule: HeadRule, name: Span) -> bool:
    """"Leaders' Statement", "Joint Vision Statement", "the Statement on Maritime Security": a
    statement that is a document, unlike "Statement by Press Secretary ..." or "a Statement on the
    situation" (the complement of a document's title is capitalised, in a body sentence)."""
    doc = head.doc
    sent_start = sentence_at(doc, head.i).start
    before = doc[max(head.left_edge.i, sent_start):head.i]
    if any(_is_qualifier(t, rule) for t in before):
        return True
    if head.i == sent_start or head.i + 1 >= len(doc) or doc[head.i + 1].lower_ != "on" or name.end <= head.i + 2:
        return False
    if spans.in_title(name) or any(spans.is_possessor(c) for c in head.children):
        return False  # a title line is capitalised anyway; "the Press Secretary's Statement on ..." is one person's
    first = next((t for t in doc[head.i + 2:name.end] if t.dep_ != "det"), None)
    return head.is_title and first is not None and first.is_title


def _is_qualifier(token: Token, rule: HeadRule) -> bool:
    words = {token.lower_, token.lemma_.lower()}
    if token.i > 1 and token.doc[token.i - 1].text == "-":  # "Co-Chairs"
        words.add(f"{token.doc[token.i - 2].lower_}-{token.lower_}")
    return bool(words & set(rule.qualifiers))


def _with_owner(name: Span, head: Token, rule: HeadRule) -> Span:
    """Take back the owner the trimming dropped when it is part of the title: a qualifier ("the
    Chairman's Statement") or a capitalised plural ("the Bali Leaders' Declaration")."""
    doc = head.doc
    mark = doc[name.start - 1] if name.start > 1 else None
    if mark is None or mark.lower_ not in spans.POSSESSIVE_MARKS or not name.start <= head.i:
        return name
    owner = doc[mark.i - 1]
    collective = owner.is_title and owner.lower_.endswith("s") and mark.lower_ in ("'", "’")
    if not (collective or _is_qualifier(owner, rule)):
        return name
    start = max(min(head.left_edge.i, owner.left_edge.i), sentence_at(doc, head.i).start)
    while start < owner.i and (doc[start].dep_ == "det" or doc[start].is_punct):
        start += 1
    return doc[start:name.end]


def _single_owner(head: Token) -> bool:
    """"the President's Emergency Plan", "China's Five-Year Plan": one owner, unlike "the two countries' plan"."""
    return any(
        spans.is_possessor(c) and c.tag_ in ("NN", "NNP") and not any(x.dep_ == "conj" for x in c.children)
        for c in head.children
    )


def _organisation_owned(head: Token) -> bool:
    """Is the first word before the head an organisation ("ASEAN", "APEC") and not a country?"""
    bare = spans.bare_span(head)
    first = bare[0] if bare[0].i < head.i else None
    if first is None or to_iso3(first.text) or first.ent_type_ in ("GPE", "NORP"):
        return False
    return first.is_upper and len(first.text) > 1 or first.ent_type_ == "ORG"


def _sentence_bounds(span: Span) -> tuple[int, int]:
    """Token bounds of `span.sent`: from the start of the sentence holding its first token to the end of
    the one holding its last (read from the per-Doc boundaries; `Span.sent` walks the tokens)."""
    return sentence_at(span.doc, span.start).start, sentence_at(span.doc, span.end - 1).end


def _sentence(span: Span) -> Span:
    """`span.sent`, from the per-Doc boundaries."""
    return span.doc[slice(*_sentence_bounds(span))]


def _same_sentence(one: Span, other: Span) -> bool:
    """`one.sent == other.sent`."""
    return _sentence_bounds(one) == _sentence_bounds(other)


def _is_title_document(head: Token, name: Span) -> bool:
    """Is the agreement the document the title names, not one named inside it ("Statement on
    Cooperation on the ASEAN Outlook ...": the Statement, not the Outlook)?"""
    doc = name.doc
    before = doc[sentence_at(doc, name.start).start:name.start]
    lead = [t for t in before if not (t.is_punct or t.is_space or t.dep_ == "det")]
    return not lead or head.dep_ == "ROOT"


def _misparsed_participle(verb: Token) -> bool:
    return verb.pos_ == "VERB" and verb.tag_ in ("VBD", "VBN") and not any(
        c.dep_ in ("dobj", "aux", "auxpass", "neg") for c in verb.children
    )


def _term_complement(name: Span, head: Token, preps: frozenset[str]) -> Span:
    """"Statement of Intent on Green Hydrogen": when the name ends with the "of" word of an
    "X of Y" term, the complement after it still names the document."""
    doc, end = name.doc, name.end
    if not (end == head.i + 3 and doc[head.i + 1].lower_ == "of" and end < len(doc) and doc[end].lower_ in preps):
        return name
    objects = [c for c in doc[end].children if c.dep_ in ("pobj", "pcomp")]
    if not objects or objects[0].ent_type_ in ("DATE", "TIME") or not _same_sentence(doc[end:end + 1], name):
        return name
    return doc[name.start:spans.complement_span(doc[end]).end]


def _purpose(name: Span) -> Span | None:
    """"Plan of Action (POA) to Implement the Strategic Partnership (2021-2025)": a capitalised
    to-infinitive and its object right after a capitalised name state its purpose and belong to
    the name, so "implement" is no status cue. Returned without the "(ABBR)" between them."""
    doc, i = name.doc, name.end
    if i + 2 < len(doc) and doc[i].text == "(" and doc[i + 2].text == ")":
        i += 3
    if i + 1 >= len(doc) or doc[i].lower_ != "to" or not name[-1].is_title:
        return None
    verb = doc[i + 1]
    obj = next((c for c in verb.children if c.dep_ == "dobj"), None)
    if not verb.is_title or verb.pos_ != "VERB" or not _same_sentence(doc[verb.i:verb.i + 1], name) or obj is None:
        return None
    end = verb.i + 1
    for tok in doc[verb.i + 1:obj.right_edge.i + 1]:
        if tok.text in (",", ";") or tok.is_space:
            break
        end = tok.i + 1
    return doc[i:end]


def _clean(name: Span) -> str:
    """Surface text, a line-wrap space after a hyphen closed ("Indo- Pacific")."""
    return re.sub(r"(?<=[a-z])- (?=[A-Z])", "-", spans.clean_name(name))


def _verb_mistagged(head: Token) -> bool:
    """"Kenya and the European Union plan to explore ...": a verb tagged as a noun, recognisable
    by the bare head followed by a to-infinitive."""
    doc = head.doc
    bare = not any(c.dep_ in ("det", "poss") or spans.is_possessor(c) for c in head.children)
    return bare and head.i + 2 < len(doc) and doc[head.i + 1].lower_ == "to" and doc[head.i + 2].tag_ == "VB"


def _split_year(name: Span, published) -> tuple[Span, str | None]:
    """A past year before the name is the signing date ("the 2008 ... Agreement"); a future one
    is part of the name ("the 2030 Agenda")."""
    first = name[0]
    if len(name) > 1 and spans.YEAR.match(first.text) and published is not None and int(first.text) <= published.year:
        return name[1:], first.text
    return name, None


def _org_party(ent: Span) -> str:
    """An agency acts for its country; other organisations by name."""
    for token in ent:
        code = to_iso3(token.text) if token.is_title or token.is_upper else None
        if code:
            return code
    return re.sub(r"^the\s+", "", ent.text, flags=re.IGNORECASE)


def _entities_in(span: Span) -> list[Span]:
    """`span.ents` (the entities of `doc.ents` from the span's start up to the first that runs past
    its end), read from the entity tags of the span's own tokens: `doc.ents` makes every entity of
    the Doc."""
    doc = span.doc
    found = []
    k = span.start
    while k < span.end:
        token = doc[k]
        if token.ent_iob_ != "B" or not token.ent_type:
            k += 1
            continue
        end = k + 1
        while end < len(doc) and doc[end].ent_iob_ == "I":
            end += 1
        if end > span.end:
            break
        found.append(Span(doc, k, end, label=token.ent_type, kb_id=token.ent_kb_id, span_id=token.ent_id))
        k = end
    return found


def _party_list(token: Token, reads: _DocReads) -> list[str]:
    """Each conjunct of a subject phrase, resolved to actors: countries as ISO3 (people and
    agencies by their country), organisations by name only when the phrase is one."""
    out: list[str] = []
    people = {p.name: p.country for p in records_of(token.doc, "people")}
    for conj in [token, *[c for c in token.subtree if c.dep_ == "conj" and c.head.i in {token.i, *(x.i for x in token.conjuncts)}]]:
        sub = conj.doc[conj.left_edge.i:conj.i + 1]
        actors = reads.resolver.resolve(sub)
        if not actors:
            codes = [to_iso3(e.text) for e in _entities_in(conj.doc[conj.left_edge.i:conj.right_edge.i + 1])]
            actors = [c for c in codes if c][:1]
        is_org = conj.ent_type_ == "ORG"
        out.extend(
            people.get(a) or "" if a in people else a
            for a in actors if a and (is_country_code(a) or a in people or is_org and not a[0].islower())
        )
    return out


def _fold(record: Agreement, text: str, status_rule: StatusRule) -> None:
    """Keep the most complete name, list the other forms; a later explicit cue beats the default."""
    names = [record.name, *record.aliases, text]
    longest = max(names, key=len)
    record.aliases = list(dict.fromkeys(n for n in names if n != longest))
    record.name = longest
    if status_rule.priority > 0:
        spans.take_status(record, status_rule.status, status_rule.id)


@Language.factory(
    "diplo_agreements",
    assigns=["doc._.agreements"],
    default_config={"rules_dirs": []},
)
def make_agreements(nlp: Language, name: str, rules_dirs: list[str]) -> AgreementExtractor:
    return AgreementExtractor(nlp, list(rules_dirs))
