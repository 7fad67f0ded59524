"""Projects extractor: named infrastructure, industry, institutions and initiatives.

Reads the parse, entities and `doc._.title`; writes `doc._.projects`, one `Project` per
distinct undertaking of the document, repeated mentions folded into `aliases`.

Candidates come from `models/rules/projects.yaml`: trigger terms ("wind farm", "port",
"initiative") through an `AnchoredMatcher` and a gazetteer of named initiatives and national
strategies ("Belt and Road", "Digital Kazakhstan") through a PhraseMatcher. Code then builds
the name from the parse (`spans.phrase_span`) and vetoes what is not one specific
undertaking: generic plurals ("infrastructure projects", "42 ports"), generic heads without
a sector ("the project"), triggers inside event, venue or organisation names ("Belt and Road
Forum", "director of the U.S. Development Policy Initiative"), title-case headlines. The kind
comes from the head, or for generic heads from the nearest sector word of the name; the
status from the context rules, the first explicit cue of any mention winning over the
default. Without a parser only gazetteer names and capitalised trigger names are kept.
"""
from __future__ import annotations

import re

import numpy as np
from pydantic import Field, field_validator
from spacy.attrs import DEP, HEAD, LOWER, POS
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.parts_of_speech import IDS as POS_IDS
from spacy.strings import get_string_id
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans

from pipeline.components import spans
from pipeline.components.phrase_matching import AnchoredMatcher
from pipeline.components.spans import ContextRule, MentionContext
from pipeline.countries import to_iso3
from pipeline.extensions import entity_of, sentence_at, span_text
from pipeline.records import Project, ProjectKind, ProjectStatus
from pipeline.rules.loader import MODELS_DIR, Rule, RuleFile, RuleFileError, load_rules

RULES_NAME = "projects"
#: A complement with these prepositions belongs to the name only with a named object ("port in Haifa").
PLACE_PREPS = frozenset({"in", "at"})
#: Entity labels that, covering a works noun's whole object, make it a country, city or person.
#: LOC and ORG are not among them: the model tags many facility names so ("Kariba South", "Kafue
#: Gorge Lower"), and works nouns (expansion, upgrade) apply to built things, not to regions;
#: organisations are told apart by `_is_organisation`.
NOT_WORKS = frozenset({"GPE", "PERSON", "NORP", "DATE", "EVENT"})
#: Heads that add nothing to a name when folding mentions: "Hambantota Port project" is "Hambantota Port".
GENERIC_HEADS = frozenset({"project", "projects"})
#: Capitalised words that many names share, so they do not identify a project when folding.
TITLE_WORDS = frozenset({
    "international", "national", "new", "great", "grand", "central", "north", "south", "east", "west",
    "northern", "southern", "eastern", "western", "economic", "special", "free", "trade", "the", "of", "and",
    "port", "city", "project", "phase", "i", "ii", "iii",
})
#: Most words between a facility and the one it is built for ("plant ... to launch a ... facility").
PURPOSE_STEPS = 2
#: Prepositions closing a route opened by "from".
ROUTE_ENDS = frozenset({"to", "through"})
#: Weakest status rule an anaphor may pass on: "the project is a priority" (a bare subject) presents nothing.
ANAPHOR_MIN_PRIORITY = 50
#: Quote marks that delimit a name; single quotes are left out, being apostrophes too.
DOUBLE_QUOTES = frozenset({'"', "“", "”", "«", "»", "``", "''"})
#: Longest quotation (in tokens) still read as a name rather than as quoted speech.
MAX_QUOTED_NAME = 6
#: Coarse tags (ids) of verbs: a sentence with a lower-case one is no headline.
_VERB_POS = frozenset({POS_IDS["VERB"], POS_IDS["AUX"]})
#: Determiners of a bare anaphor ("the project", "this port").
ANAPHOR_DETERMINERS = ("the", "this")


class HeadRule(Rule):
    terms: list[str] = Field(min_length=1, description="Terms, singular; matched case-insensitively, plural too.")
    kind: ProjectKind = Field(description="Kind the head gives.")
    needs_name: bool = Field(False, description="Count only with a name, a place/owner complement or a sector word.")
    needs_proper_name: bool = Field(False, description="Count only with a capitalised or quoted name.")
    needs_sector: bool = Field(False, description="Count only with a sector word of `kind_keywords` in the name.")
    kind_from_name: bool = Field(False, description="Let `kind_keywords` in the name give the kind.")
    needs_cue_if_entity: bool = Field(
        False, description="When the name is a place or organisation entity, count it only with a `project_cues` word."
    )


class KindKeyword(Rule):
    words: list[str] = Field(min_length=1, description="Lemmas (lower case) that give the kind.")
    kind: ProjectKind = Field(description="Kind given.")
    heads: list[ProjectKind] = Field(default_factory=lambda: ["other"], description="Head kinds it may override.")


class NamedProject(Rule):
    names: list[str] = Field(min_length=1, description="Names as written; matched case-insensitively.")
    kind: ProjectKind = Field(description="Kind of the undertaking.")
    countries: list[str] = Field(default_factory=list, description="ISO3 codes of its owners.")
    strategy: bool = Field(True, description="An initiative or strategy (status rules for initiatives apply).")
    status: ProjectStatus | None = Field(
        None, description="Status when the text gives no cue: 'operating' for an umbrella initiative under way for years."
    )

    @field_validator("countries")
    @classmethod
    def _iso3(cls, codes: list[str]) -> list[str]:
        for code in codes:
            if len(code) != 3 or not code.isupper():
                raise ValueError(f"'{code}' is not an ISO3 code")
        return codes


class WorksRule(Rule):
    """Works nouns whose "of" object is a project even without a trigger noun ("the expansion of Kariba South")."""

    nouns: list[str] = Field(min_length=1, description="Lemmas of the works nouns.")
    kind: ProjectKind = Field("other", description="Kind when no sector word is in the name.")


class StatusRule(ContextRule):
    status: ProjectStatus = Field(description="Status given when the rule fires.")


class ProjectRuleFile(RuleFile):
    complement_preps: list[str] = Field(default_factory=list, description="Prepositions whose phrase belongs to the name.")
    generic_modifiers: list[str] = Field(default_factory=list, description="Modifiers that single nothing out.")
    veto_parents: list[str] = Field(default_factory=list, description="Nouns that make a trigger an event/org name.")
    compound_parents: list[str] = Field(default_factory=list, description="Nouns a trigger may modify and stay a project.")
    venue_verbs: list[str] = Field(default_factory=list, description="Verbs whose 'at' place is a venue.")
    project_cues: list[str] = Field(default_factory=list, description="Chain words presenting an undertaking.")
    heads: list[HeadRule] = Field(default_factory=list, description="Trigger nouns and their kinds.")
    kind_keywords: list[KindKeyword] = Field(default_factory=list, description="Sector words for generic heads.")
    named: list[NamedProject] = Field(default_factory=list, description="Gazetteer of named initiatives.")
    works: list[WorksRule] = Field(default_factory=list, description="Works nouns naming a project by its object.")
    statuses: list[StatusRule] = Field(default_factory=list, description="Context rules giving the status.")
    anaphor_heads: list[str] = Field(default_factory=list, description="Bare nouns ('the project') that refer back "
                                                                       "to any project; others refer to one of their head.")

    @field_validator("complement_preps", "generic_modifiers", "veto_parents", "compound_parents", "venue_verbs",
                     "project_cues", "anaphor_heads")
    @classmethod
    def _lower(cls, words: list[str]) -> list[str]:
        return [w.lower() for w in words]


def load_project_rules(rules_dirs: list[str] | tuple[str, ...] = ()) -> ProjectRuleFile:
    """Shipped rules merged with the user's folders; a default status rule is required."""
    rules = load_rules(RULES_NAME, ProjectRuleFile, rules_dirs)
    path = MODELS_DIR / "rules" / f"{RULES_NAME}.yaml"
    if not any(r.priority == 0 and r.unconditional for r in rules.statuses):
        raise RuleFileError(path, "statuses", "no default rule (one without conditions)")
    return rules


class Mention:
    """One candidate mention before folding."""

    def __init__(self, name: Span, head: Token | None, kind: str, rule: str, named_id: str | None = None,
                 countries: tuple[str, ...] = (), strategy: bool = False) -> None:
        self.name, self.head, self.kind, self.rule = name, head, kind, rule
        self.named_id, self.countries = named_id, list(countries)
        self.strategy = strategy
        #: The gazetteer name found inside a trigger phrase ("Digital Kazakhstan" in '"Digital
        #: Kazakhstan" strategy'): it becomes the record's name, the phrase an alias.
        self.canonical: str | None = None
        #: Names of mentions this one took over ("plant in Michigan" for the facility it will launch).
        self.absorbed: list[str] = []


class ProjectExtractor:
    """The `diplo_projects` component (see module docstring)."""

    def __init__(self, nlp: Language, rules_dirs: list[str]) -> None:
        self.rules = load_project_rules(rules_dirs)
        self.preps = frozenset(self.rules.complement_preps)
        self.generic = frozenset(self.rules.generic_modifiers)
        self.veto_parents = frozenset(self.rules.veto_parents)
        self.compound_parents = frozenset(self.rules.compound_parents)
        self.venue_verbs = frozenset(self.rules.venue_verbs)
        self.project_cues = frozenset(self.rules.project_cues)
        self.heads = {r.id: r for r in self.rules.heads}
        self.matcher = AnchoredMatcher(nlp.vocab)
        for rule in self.rules.heads:
            self.matcher.add(rule.id, [spans.term_patterns(t) for t in rule.terms])
        self.named = {r.id: r for r in self.rules.named}
        self.phrases = PhraseMatcher(nlp.vocab, attr="LOWER")
        for rule in self.rules.named:
            self.phrases.add(rule.id, [nlp.make_doc(n) for n in rule.names])
        self.keywords = self.rules.kind_keywords
        #: Each sector word's first keyword (its index in `keywords`): one look-up per word, not one per keyword.
        self.keyword_rank: dict[str, int] = {}
        for rank, keyword in enumerate(self.keywords):
            for word in keyword.words:
                self.keyword_rank.setdefault(word, rank)
        self.initiative_terms = {w for r in self.rules.heads if r.kind == "initiative" for w in r.terms}
        self.anaphor_heads = frozenset(self.rules.anaphor_heads)
        self.common_words = TITLE_WORDS | {w for r in self.keywords for w in r.words}
        #: Generic facility heads ("plant", "facility") that `_merge_purpose` may join.
        self.facility_heads = {r.id for r in self.rules.heads if r.kind_from_name and r.kind != "initiative"}
        self.works_nouns = frozenset(n for r in self.rules.works for n in r.nouns)

    # ------------------------------------------------------------------ candidates

    def head_candidates(self, doc: Doc) -> list[tuple[Token, HeadRule]]:
        """(head, rule) per matched head; the longest term wins; a head inside another's compound yields."""
        matched = spans.matched_heads(self.matcher, doc, self.heads)
        heads = {head.i for head, _ in matched}
        out = []
        for head, rule in matched:
            node, inner = head, False
            while node.dep_ == "compound" and node.head != node:
                node = node.head
                inner = inner or node.i in heads
            if not inner:
                out.append((head, rule))
        return out

    def _route(self, name: Span, head: Token) -> Span:
        """A route names an unnamed line: "railway section from the Lobito port to the Democratic Republic
        of the Congo" takes its "from" complement and the "to"/"through" phrase closing it; "the Zambia-Lobito
        railway line from eastern Angola" is named already and ends before "from"."""
        doc = name.doc
        start = next((t.i for t in doc[max(name.start, head.i + 1):name.end] if t.lower_ == "from"), None)
        if start is None:
            return name
        if self._named_tokens(head, spans.bare_span(head)):
            return doc[name.start:start]
        end = name.end
        if end < len(doc) and doc[end].lower_ in ROUTE_ENDS and doc[end].sent == name.sent:
            end = spans.complement_span(doc[end]).end
        return doc[name.start:end]

    def _named_tokens(self, head: Token, bare: Span) -> list[Token]:
        """Capitalised or quoted words of the name that are not owners or sentence-initial.

        The owners and quotations are looked for only when the name has words besides its head."""
        if len(bare) == 1 and bare.start == head.i:
            return []
        owners = {t.i for c in bare if spans.is_possessor(c) for t in c.subtree}
        sentence = sentence_at(head.doc, head.i)  # the bare span lies inside the head's sentence
        quoted = _quoted(sentence)
        first = sentence.start
        return [
            t for t in bare
            if t.i not in owners and t.i != head.i and (t.is_alpha or t.text[:1].isupper() and any(c.isalpha() for c in t.text))
            and (t.i in quoted or (t.is_title or t.is_upper) and t.i != first and t.ent_type_ != "NORP")
            and (to_iso3(t.text) is None or head.is_title or spans.country_pair(t))
        ]

    def vetoed(self, head: Token, rule: HeadRule, name: Span, headlines: _Headlines, contexts: _Contexts) -> bool:
        """Is the trigger part of something else: a headline (as `headlines` tells), a predicate, a
        modifier, a venue, a place or an organisation's name?"""
        if head.pos_ not in ("NOUN", "PROPN") or headlines.holds(head):
            return True
        if head.dep_ in ("attr", "oprd") and not self._names_predicate(head):
            return True  # "X is Africa's first electrified railway" describes X
        if any(c.dep_ == "nsubj" for c in head.children):
            return True  # a small clause: "made China a hub of international commerce"
        parent = head.head
        if head.dep_ == "compound" and parent.pos_ == "NOUN" and parent.lemma_.lower() not in self.compound_parents:
            return True  # "the Chinese Bridge competition"
        if head.dep_ == "compound" and head.is_title and parent.is_title:
            return True  # part of a longer proper name: "Defense Policy Coordination Talks"
        if head.dep_ in ("compound", "appos") and parent.lemma_.lower() in self.veto_parents:
            return True  # "Belt and Road Forum", "the Beijing-based group China Policy"
        if head.dep_ == "pobj" and parent.head.lemma_.lower() in self.veto_parents:
            return True  # "director of the U.S. Development Policy Initiative"
        ctx = contexts.of(head, name)
        if ctx.prep in ("at", "in") and ctx.verb is not None and ctx.verb.lemma_.lower() in self.venue_verbs:
            return True  # "arrived at Beijing Capital International Airport"
        return rule.needs_cue_if_entity and _is_entity(name) and not set(ctx.cues) & self.project_cues

    def _names_predicate(self, head: Token) -> bool:
        """"The centerpiece of the project is the Gwadar port": a predicate with its own name, after a
        subject that is no name, names a project; "X is Africa's first railway" only describes X."""
        subject = next((c for c in head.head.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        return subject is not None and subject.pos_ != "PROPN" and bool(self._named_tokens(head, spans.bare_span(head)))

    def is_specific(self, head: Token, rule: HeadRule, name: Span, headlines: _Headlines, contexts: _Contexts) -> bool:
        """One specific undertaking, not part of something else (`vetoed`). The veto, which reads the
        mention's context, comes last: most candidates fail the cheaper tests of `_singled_out` first."""
        return self._singled_out(head, rule, name) and not self.vetoed(head, rule, name, headlines, contexts)

    def _singled_out(self, head: Token, rule: HeadRule, name: Span) -> bool:
        """Named, placed, owned, priced, or acted on by a country."""
        bare = spans.bare_span(head)
        named = self._named_tokens(head, bare)
        if rule.needs_proper_name:
            return bool(named)
        complement = [t for t in name if t.i > head.i]
        place = any(t.ent_type_ in ("GPE", "LOC", "FAC", "ORG") or t.pos_ == "PROPN" for t in complement)
        if rule.needs_sector and self._sector_word(head, name) is None:
            return False
        if spans.is_plural(head):
            one_of = head.dep_ == "pobj" and head.head.head.lower_ == "one" and any(t.ent_type_ == "GPE" for t in complement)
            titled = any(t.is_title for t in named)
            return titled and not any(c.dep_ == "nummod" for c in head.children) or one_of and place
        if named or place:
            return True
        content = any(t.is_alpha and not t.is_stop and t.lemma_.lower() not in self.generic for t in complement)
        if rule.needs_name and not (self._sector_word(head, name) is not None or content):
            return False
        definite = any(c.lower_ in ("the", "this", "that") for c in head.children)
        return (_owned_or_priced(head, bare) or (content and not definite)
                or (not definite and self._has_country_subject(head)))

    def _has_country_subject(self, head: Token) -> bool:
        """"Pakistan lopped $2 billion off plans for a railway": a country acts on the project."""
        ctx = MentionContext.of(head, False)
        if ctx.verb is None:
            return False
        for child in ctx.verb.children:
            if child.dep_ in ("nsubj", "nsubjpass"):
                phrase = head.doc[child.left_edge.i:child.i + 1].text
                return bool(to_iso3(phrase)) or child.lower_ in ("it", "they") and any(
                    to_iso3(e.text) for e in head.sent.ents)  # a country named in the sentence
        return False

    def _sector_word(self, head: Token, name: Span) -> KindKeyword | None:
        """The kind keyword nearest the head: its modifiers right to left, then its complement."""
        ordered = [t for t in reversed(name) if t.i < head.i] + [t for t in name if t.i > head.i]
        for token in ordered:
            found = [self.keyword_rank[w] for w in (token.lemma_.lower(), token.lower_) if w in self.keyword_rank]
            if found:
                return self.keywords[min(found)]  # the first keyword in file order holding either form
        return None

    def kind(self, head: Token, rule: HeadRule, name: Span) -> str:
        if not rule.kind_from_name:
            return rule.kind
        keyword = self._sector_word(head, name)
        return keyword.kind if keyword is not None and rule.kind in keyword.heads else rule.kind

    def _named_outside(self, mention: Mention, named: Mention) -> bool:
        """Does a head mention have a name of its own beyond the gazetteer name inside it?

        "Belt and Road projects" has none: it is a mention of the initiative, not a project.
        """
        bare = spans.bare_span(mention.head)
        return any(t.i < named.name.start or t.i >= named.name.end for t in self._named_tokens(mention.head, bare))

    def works_mentions(self, doc: Doc, found: list[Mention]) -> list[Mention]:
        """"the expansion of the Kariba South": a capitalised name that is the object of a works
        noun, and no place, person, organisation or known name already taken."""
        taken = {t.i for m in found for t in m.name}
        out: list[Mention] = []
        for token in spans.tokens_with_pos(doc, "NOUN", self.works_nouns):
            lemma = token.lemma_.lower()
            rule = next(r for r in self.rules.works if lemma in r.nouns)
            for prep in (c for c in token.children if c.dep_ == "prep" and c.lower_ == "of"):
                obj = next((c for c in prep.children if c.dep_ == "pobj"), None)
                if obj is None or obj.pos_ != "PROPN" or obj.i in taken or not (obj.is_title or obj.is_upper):
                    continue
                name = spans.bare_span(obj)
                entity = next((e for e in doc.ents if e.start <= obj.i < e.end), None)
                whole = entity is not None and entity.start <= name.start and entity.label_ in NOT_WORKS
                if whole or to_iso3(name.text) or self._is_organisation(name, entity):
                    continue  # "the upgrade of Xinjiang", "the expansion of the SCO"
                # "the 300 megawatt expansion of the Kariba South": the works noun's modifiers tell the sector too
                keyword = self._sector_word(obj, name) or self._sector_word(token, spans.bare_span(token))
                out.append(Mention(name, obj, keyword.kind if keyword else rule.kind, rule.id))
        return out

    def _is_organisation(self, name: Span, entity: Span | None) -> bool:
        """A known organisation (entity ruler), an acronym, a one-word name or an organisation noun."""
        if entity is None or entity.label_ != "ORG":
            return False
        return bool(entity.ent_id_) or name.text.isupper() or len(name) == 1 or name[-1].lemma_.lower() in self.veto_parents

    def named_mentions(self, doc: Doc) -> list[Mention]:
        """Gazetteer names, unless lower-cased or part of a longer proper name ("Belt and Road Forum")."""
        out: list[Mention] = []
        matches = {(s.start, s.end): s.label_ for s in filter_spans(
            [Span(doc, start, end, label=match_id) for match_id, start, end in self.phrases(doc)]
        )}
        for (start, end), rule_id in sorted(matches.items()):
            if doc[start].text[:1].islower():
                continue
            nxt = doc[end] if end < len(doc) else None
            if nxt is not None and nxt.text in spans.QUOTES and end + 1 < len(doc):
                nxt = doc[end + 1]
            if nxt is not None and nxt.is_title and nxt.lower_ not in self.initiative_terms and nxt.i != nxt.sent.start:
                continue
            if nxt is not None and nxt.lemma_.lower() in self.veto_parents:
                continue
            rule = self.named[rule_id]
            out.append(Mention(doc[start:end], doc[start:end].root, rule.kind, rule.id, rule.id, tuple(rule.countries),
                               rule.strategy))
        return out

    # ------------------------------------------------------------------ attributes

    def countries(self, mention: Mention) -> list[str]:
        found = list(mention.countries)
        name = mention.name
        for token in name:
            if token.pos_ not in ("PROPN", "ADJ"):
                continue
            for part in re.split(r"[-–]", token.text):
                if len(part) > 2 and part[:1].isupper():
                    code = to_iso3(part)
                    if code:
                        found.append(code)
        head = mention.head
        if head is not None:
            for child in head.children:
                if spans.is_possessor(child) or child.dep_ == "poss":
                    code = to_iso3(child.text)
                    if code:
                        found.append(code)
        return list(dict.fromkeys(found))

    # ------------------------------------------------------------------ main

    def mentions(self, doc: Doc, contexts: _Contexts) -> list[Mention]:
        parsed = spans.has_parse(doc)
        out: list[Mention] = []
        agreements = [(a.start, a.end) for a in (doc._.agreements or [])] if Doc.has_extension("agreements") else []
        headlines = _Headlines(doc)
        for head, rule in self.head_candidates(doc):
            if rule.kind_from_name and any(start <= head.idx < end for start, end in agreements):
                continue  # a generic head in a document's name: "Declaration on Zone of Peace, Freedom and Neutrality"
            if parsed:
                name = self._route(spans.phrase_span(head, self.preps, infinitive=False, place_preps=PLACE_PREPS), head)
                if not self.is_specific(head, rule, name, headlines, contexts):
                    continue
            else:
                name = spans.blank_name(head)
                if name is None:
                    continue
            kind = self.kind(head, rule, name) if parsed else rule.kind
            out.append(Mention(name, head, kind, rule.id, strategy=rule.kind == "initiative"))
        named = self.named_mentions(doc)
        if parsed:
            out.extend(self.works_mentions(doc, [*out, *named]))
        for mention in named:
            inside = [m for m in out if m.name.start <= mention.name.start and mention.name.end <= m.name.end]
            host = next((m for m in inside if m.named_id is None and m.rule in self.heads
                         and self.heads[m.rule].kind == "initiative"), None)
            out = [m for m in out if m is host or m not in inside or self._named_outside(m, mention)]
            if host is not None:
                host.named_id, host.kind = mention.named_id, self.named[mention.named_id].kind
                host.countries = list(mention.countries)
                host.strategy = host.strategy or mention.strategy
                host.rule = mention.rule
                host.canonical = spans.clean_name(mention.name)
            else:
                out.append(mention)
        return self._merge_purpose(sorted(out, key=lambda m: m.name.start))

    def _merge_purpose(self, mentions: list[Mention]) -> list[Mention]:
        """"a plant in Michigan to launch a high-capacity IV fluid facility": a generic facility noun whose
        purpose clause or "for" phrase names another generic facility is one project, named by the second."""
        dropped: set[int] = set()
        for inner in mentions:
            if inner.rule not in self.facility_heads or inner.head is None:
                continue
            node, steps = inner.head.head, 0
            while steps < PURPOSE_STEPS and node.pos_ not in ("NOUN", "PROPN") and node.head != node:
                node, steps = node.head, steps + 1
            outer = next((m for m in mentions if m.head is not None and m.head.i == node.i and m is not inner
                          and m.rule in self.facility_heads), None)
            if outer is not None and inner.head.head.dep_ in ("acl", "relcl", "prep") and id(outer) not in dropped:
                inner.absorbed.append(_unquote(spans.clean_name(outer.name)))
                dropped.add(id(outer))
        return [m for m in mentions if id(m) not in dropped]

    def __call__(self, doc: Doc) -> Doc:
        parsed = spans.has_parse(doc)
        records: dict[str, Project] = {}
        heads: dict[int, str] = {}  # id(record) -> lemma of its head noun
        contexts = _Contexts()
        found = self.mentions(doc, contexts)
        placed: list[tuple[Mention, Project]] = []  # each mention with the record it went to
        for mention in found:
            text = _unquote(spans.clean_name(_without_measure(mention.name)))
            key = mention.named_id or _key(text, mention.head.lemma_ if mention.head is not None else "")
            if parsed and mention.head is not None and not self._modifies_other(mention):
                ctx = contexts.of(mention.head, mention.name, spans.in_title(mention.name))
                ctx.kind = "initiative" if mention.strategy else mention.kind
                status_rule = spans.best_rule(self.rules.statuses, ctx)
            else:
                kind = "initiative" if mention.strategy else mention.kind
                status_rule = spans.best_rule(self.rules.statuses, MentionContext(kind=kind))
            status_id = status_rule.id
            named = self.named.get(mention.named_id or "")
            if status_rule.priority == 0 and named is not None and named.status is not None:
                status_rule = status_rule.model_copy(update={"status": named.status, "priority": 1})
                status_id = named.id
            alias = None
            if mention.canonical:
                text, alias = mention.canonical, text
            if key in records:
                _fold(records[key], text, status_rule, status_id, alias)
                placed.append((mention, records[key]))
                continue
            record = Project(
                sentence=span_text(sentence_at(doc, mention.name.start)).strip(),
                start=mention.name.start_char,
                end=mention.name.end_char,
                rule=f"{mention.rule}+{status_id}",
                name=text,
                aliases=[a for a in dict.fromkeys([alias, *mention.absorbed]) if a and a != text],
                kind=mention.kind,
                status=status_rule.status,
                countries=self.countries(mention),
            )
            records[key] = record
            placed.append((mention, record))
            # gazetteer records are told apart by their ids, never folded by head word
            heads[id(record)] = "" if mention.named_id or mention.head is None else mention.head.lemma_.lower()
        if parsed:
            self._resolve_anaphors(doc, placed)
        doc._.projects = _fold_unnamed(_fold_same_name(list(records.values()), heads, self.common_words), heads)
        return doc

    def _modifies_other(self, mention: Mention) -> bool:
        """"the inauguration of the China Pakistan Economic Corridor port": a name modifying another noun
        takes no status from that noun's context, unless the noun is its works or project noun
        (`compound_parents`: "corridor construction", "dam project")."""
        head = mention.head
        return (head is not None and head.dep_ == "compound" and head.head.i >= mention.name.end
                and head.head.pos_ == "NOUN" and head.head.lemma_.lower() not in self.compound_parents)

    def _resolve_anaphors(self, doc: Doc, placed: list[tuple[Mention, Project]]) -> None:
        """"Tanzania signed a deal for the Bagamoyo Port. Construction of the port began in 2020.":
        a bare definite "the project" or "the <same head>" later in the paragraph refers to the
        nearest project before it; its context cue gives that project's status when none was given."""
        taken = {m.head.i for m, _ in placed if m.head is not None}
        antecedents = [(m, r, m.head.lemma_.lower()) for m, r in placed if m.head is not None and not m.strategy]
        if not antecedents:
            return  # nothing to refer back to: no need to look for anaphors
        for i in _bare_determined_nouns(doc):
            if i in taken:
                continue
            token = doc[i]
            if spans.is_plural(token):
                continue
            lemma = token.lemma_.lower()
            anaphor = lemma in self.anaphor_heads
            mention, record = next(((m, r) for m, r, head in reversed(antecedents)
                                    if m.name.end <= i and (anaphor or head == lemma)
                                    and not spans.has_blank_line(doc, m.name.end, i)), (None, None))
            if mention is None:
                continue
            ctx = MentionContext.of(token, False)
            ctx.kind = mention.kind
            rule = spans.best_rule(self.rules.statuses, ctx)
            if rule.priority >= ANAPHOR_MIN_PRIORITY:
                spans.take_status(record, rule.status, rule.id)


def _owned_or_priced(head: Token, bare: Span) -> bool:
    """An owner ("Djibouti's port", "its port") or a number or price before the head ("$2 billion port")."""
    return (any(spans.is_possessor(t) for t in bare if t.i != head.i) or any(c.dep_ == "poss" for c in head.children)
            or any(t.like_num or t.is_currency for t in bare if t.i < head.i))


def _without_measure(name: Span) -> Span:
    """"600-megawatt Karuma Hydropower Dam" -> "Karuma Hydropower Dam": a leading size or price describes
    a named project; "$14 billion dam project" keeps it, having no other name."""
    k = name.start
    doc = name.doc
    while k < name.end - 1 and (doc[k].like_num or doc[k].is_currency or doc[k].text in "-–,"
                                or doc[k].is_lower and k > name.start and (doc[k - 1].like_num or doc[k - 1].text in "-–")):
        k += 1  # "$2 billion, 600-megawatt": numbers, currency signs and the unit after a number
    if k == name.start or not doc[k].is_title or doc[k].i == name.end - 1:
        return name
    return doc[k:name.end]


def _bare_determined_nouns(doc: Doc) -> list[int]:
    """Indices of the nouns whose one child other than punctuation is an anaphor determiner ("the
    port", "this project"), in text order, from one array read: a Token per noun cost more than
    the few anaphors found."""
    lower, head, pos, dep = doc.to_array([LOWER, HEAD, POS, DEP]).astype(np.int64).T
    parent = np.arange(len(doc)) + head
    child = (head != 0) & (dep != _PUNCT)
    determiner = child & np.logical_or.reduce([lower == w for w in _DETERMINER_IDS])
    children = np.bincount(parent[child], minlength=len(doc))
    determiners = np.bincount(parent[determiner], minlength=len(doc))
    return ((children == 1) & (determiners == 1) & (pos == POS_IDS["NOUN"])).nonzero()[0].tolist()


def _as_int64(string_id: int) -> int:
    """A string's hash as `Doc.to_array(...).astype(np.int64)` holds it."""
    return int(np.array([string_id], dtype=np.uint64).astype(np.int64)[0])


#: The hashes `_bare_determined_nouns` compares, as its int64 arrays hold them.
_PUNCT = _as_int64(get_string_id("punct"))
_DETERMINER_IDS = [_as_int64(get_string_id(w)) for w in ANAPHOR_DETERMINERS]


def _quoted(sentence: Span) -> set[int]:
    """Indices of the sentence's tokens inside short quotations ('"Digital Kazakhstan" strategy'); a
    quoted sentence of speech is not a name."""
    text = span_text(sentence)
    if not any(mark in text for mark in DOUBLE_QUOTES):
        return set()  # most sentences quote nothing: their text says so without a Token per word
    marks = [t.i for t in sentence if t.text in DOUBLE_QUOTES]
    out: set[int] = set()
    for open_, close in zip(marks[::2], marks[1::2]):
        if close - open_ - 1 <= MAX_QUOTED_NAME:
            out.update(range(open_ + 1, close))
    return out


def _is_entity(name: Span) -> bool:
    """Is the name (bar a leading "the") one place, organisation, facility or person entity?

    Only the entity holding the name's last word can cover the name to its end."""
    entity = entity_of(name.doc[name.end - 1])
    return entity is not None and entity.label_ in ("GPE", "LOC", "ORG", "FAC", "PERSON") and entity.start <= name.start + 1


class _Contexts:
    """The context of each mention of a Doc, computed once: its veto and its status read the same one."""

    def __init__(self) -> None:
        self.known: dict[tuple[int, int, int], MentionContext] = {}

    def of(self, head: Token, name: Span, in_title: bool = False) -> MentionContext:
        """`MentionContext.of(head, in_title, name)`: the same object each time, `in_title` set as asked
        (a reader that sets `kind` sets it before each use)."""
        key = (head.i, name.start, name.end)
        if key not in self.known:
            self.known[key] = MentionContext.of(head, in_title, name)
        ctx = self.known[key]
        ctx.in_title = in_title
        return ctx


class _Headlines:
    """Which sentences of a Doc are headlines, each tested once, when a trigger head in it first asks:
    the few sentences with a candidate that passed the naming tests cost less than reading the whole Doc."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.known: dict[int, bool] = {}

    def holds(self, token: Token) -> bool:
        """Is the sentence of `token` a headline?"""
        sentence = sentence_at(self.doc, token.i)
        if sentence.start not in self.known:
            self.known[sentence.start] = _is_headline(sentence)
        return self.known[sentence.start]


def _is_headline(sentence: Span) -> bool:
    """A headline ("Uganda Launches China-Built Isimba Dam"): most words and every verb capitalised,
    so capitals say nothing about names. A word is alphabetic and longer than three characters;
    "most" is four in five."""
    words = capitals = 0
    for token in sentence:
        if token.is_alpha and len(token) > 3:
            words += 1
            if token.is_title or token.is_upper:
                capitals += 1
            elif token.pos in _VERB_POS:
                return False  # a lower-case verb
    return words >= 3 and capitals >= 0.8 * words


def _unquote(text: str) -> str:
    """'"Digital Kazakhstan" strategy' -> 'Digital Kazakhstan strategy'."""
    return re.sub(r"\s+", " ", re.sub(r"[\"“”«»]", " ", text)).strip()


def _key(text: str, head: str) -> str:
    """Fold key: the proper words (not country names) and the last word, order-free, so "Chabahar
    port in Iran" and "port of Chabahar" agree; all words for an unnamed project."""
    words = [w for w in re.sub(r"[\"“”«»‘’'\-–]", " ", text).split() if w.casefold() not in GENERIC_HEADS]
    if head.casefold() in GENERIC_HEADS and words:
        head = words[-1]
    proper = {w.casefold() for w in words if w[:1].isupper() and to_iso3(w) is None}
    if proper:
        return " ".join(sorted(proper | {head.casefold()}))
    named = {code for w in words if w[:1].isupper() and (code := to_iso3(w))}
    if named:  # "Lao-China railway", "Laos-China railway project", "high-speed Lao-China railway"
        return " ".join(sorted(named | {head.casefold()}))
    return " ".join(w.casefold() for w in words)


def _fold(record: Project, text: str, status_rule: ContextRule, status_id: str, alias: str | None) -> None:
    """Another mention: keep its form as an alias; a later explicit cue beats the default."""
    for form in (text, alias):
        if form and form != record.name and form not in record.aliases:
            record.aliases.append(form)
    if status_rule.priority > 0:
        spans.take_status(record, status_rule.status, status_id)


def _distinctive(record: Project, head: str, common: frozenset[str]) -> set[str]:
    """Capitalised words of a name that single it out: not countries, not the head, not
    words many names carry: title words ("International", "New") and sector words
    ("Hydropower": the Isimba and Karuma Hydropower Dams are two dams)."""
    words = re.split(r"[\s\-–]+", _unquote(record.name))
    return {
        w.casefold() for w in words
        if w[:1].isupper() and to_iso3(w) is None and w.casefold() not in common and not w.casefold().startswith(head)
    }


def _fold_same_name(records: list[Project], heads: dict[int, str], common: frozenset[str]) -> list[Project]:
    """Records with the same head word that share a distinctive name word are one project:
    "Isimba Dam", "Isimba Hydropower Dam" and "Isimba Dam in Kayunga". The most complete
    name (most words before the head) is kept, the others become aliases."""
    kept: list[Project] = []
    for record in records:
        head = heads.get(id(record), "")
        words = _distinctive(record, head, common) if head else set()
        host = next((r for r in kept if words and heads.get(id(r)) == head and words & _distinctive(r, head, common)
                     and not (r.start <= record.start and record.end <= r.end)), None)  # nested: another project
        if host is None:
            kept.append(record)
            continue
        if _before_head(record.name, head) > _before_head(host.name, head):
            host.aliases.append(host.name)
            host.name = record.name
        else:
            host.aliases.append(record.name)
        host.aliases.extend(a for a in record.aliases if a not in host.aliases)
        if not record.rule.endswith(".default.v1"):
            spans.take_status(host, record.status, record.rule.split("+")[1])
    return kept


def _before_head(name: str, head: str) -> int:
    words = name.casefold().split()
    return next((i for i, w in enumerate(words) if w.startswith(head)), len(words))


def _fold_unnamed(records: list[Project], heads: dict[int, str]) -> list[Project]:
    """An unnamed mention joins the one named record it describes.

    Unnamed means no capitalised word other than country names and demonyms. It joins a
    named record whose name ends with it ("the free-trade zone"), or the one named record
    with the same head word when nothing before its head is a name ("a Chinese university
    campus in Kazakhstan" and "the Kazakh campus of the ... University"). Generic heads
    ("dam project") never join by head word. With several such records it joins the nearest
    before it. The joined record keeps an explicit status.
    """
    def words(text: str) -> list[str]:
        return re.sub(r"[\s\-–]+", " ", text).casefold().split()

    def proper(record: Project) -> bool:
        return any(w[:1].isupper() and to_iso3(w) is None for w in re.split(r"[\s\-–]+", record.name))

    def plain_before_head(record: Project) -> bool:
        head = heads.get(id(record), "")
        before = re.split(r"[\s]+", record.name)
        cut = next((i for i, w in enumerate(before) if w.casefold().startswith(head)), len(before))
        return not any(w[:1].isupper() and ("-" in w or to_iso3(w) is None) for w in before[:cut])

    kept: list[Project] = []
    for record in records:
        if not proper(record):
            tail = " ".join(words(record.name)).rstrip("s")
            head = heads.get(id(record), "")
            hosts = [r for r in records if r is not record and proper(r) and (
                " ".join(words(r.name)).rstrip("s").endswith(" " + tail)
                or head and head not in GENERIC_HEADS and heads.get(id(r)) == head and plain_before_head(record)
            )]
            earlier = [r for r in hosts if r.start < record.start]
            if len(hosts) == 1 or earlier:  # several: the nearest named one before it ("... the $568 million dam")
                host = max(earlier, key=lambda r: r.start) if len(hosts) > 1 else hosts[0]
                host.aliases.append(record.name)
                if not record.rule.endswith(".default.v1"):
                    spans.take_status(host, record.status, record.rule.split("+")[1])
                continue
        kept.append(record)
    return kept


@Language.factory(
    "diplo_projects",
    assigns=["doc._.projects"],
    default_config={"rules_dirs": []},
)
def make_projects(nlp: Language, name: str, rules_dirs: list[str]) -> ProjectExtractor:
    return ProjectExtractor(nlp, list(rules_dirs))
