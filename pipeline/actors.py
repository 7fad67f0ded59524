"""Actor resolution shared by the event and commitment extractors.

A subject phrase ("the Chinese side", "both sides", "President Xi", "we", "the two heads
of state") becomes a list of actors: ISO3 codes, person names (as `people.name`) or
organisation names. What a phrase means depends on the document, so resolution is done
by an `ActorResolver` built once per Doc:

    resolver = ActorResolver(doc)             # or ActorResolver(doc, ActorRules.load(rules_dirs))
    resolver.resolve(token_or_span)           # -> ["CHN", "KAZ"], ["Xi Jinping"], ["SCO"], []
    resolver.speaker_at(char_offset)          # -> "Geng Shuang" / "Xi Jinping" / None (turn or article)
    resolver.speaker_of(token)                # -> the quoted person, else the turn speaker or author
    resolver.main_parties                     # -> ["CHN", "KAZ"]
    resolver.signatories                      # -> ["Quad"] for "Quad Leaders' Joint Statement"
    resolver.resolve_text("Kenya's Leader")   # -> ["William Ruto"]: text the parser cannot read

"we" is, in order: the quoted person's or turn speaker's country, a signed article's parties,
the text's self-named "WE, the Member States of ...", the signatories of a joint text, the
organisation the paragraph talks about, the publisher's country. "they" takes the nearest
earlier subject together with its "with" partners ("X spoke with Y. Together, they ...").

Module shortcuts `main_parties(doc)` and `speakers(doc)` build a resolver with the shipped
rules. The data (collective phrases, organisations, agency nouns, publishers, turn
markers, bylines) lives in `models/rules/actors.yaml`.

Reads `doc._.people` (Person records, may be empty), `doc._.source`, `doc._.title`,
entities and, when present, the dependency parse. Writes `doc._.speaker_map`
({turn start offset: speaker}) unless the caller set it already.
"""
from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Iterable
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Literal, NamedTuple

import numpy
from pydantic import Field, field_validator
from spacy.attrs import DEP, LOWER
from spacy.tokens import Doc, Span, Token

from pipeline.countries import countries
from pipeline.extensions import DocEntities, entity_of, records_of, sentence_at, sentences_of, span_text, text_of
from pipeline.prefilter import ASCII_FOLDS, Gate
from pipeline.rules.loader import Rule, RuleFile, load_rules

#: Speaker recorded for a journalist's question turn: it speaks for no party in the text.
QUESTION = "journalist"
HEAD_ROLES = ("head_of_state", "head_of_government")
_WE = {"we", "us", "our", "ours", "ourselves"}
_I = {"i", "me", "my", "mine", "myself"}
_HE = {"he", "him", "his", "she", "her", "hers"}
_THEY = {"they", "them", "their", "theirs"}
_IT = {"it", "its"}
_SPEECH_LEMMAS = {"say", "tell", "add", "note", "state", "stress", "emphasize", "emphasise", "explain", "declare"}
_QUOTE_CHARS = "\"“”«»"
_TITLE_WORDS = {
    "president", "prime", "minister", "chairman", "premier", "king", "queen", "emir", "crown", "prince",
    "chancellor", "secretary", "general", "foreign", "state", "spokesperson", "spokesman", "mr", "mr.",
    "mrs", "ms", "dr", "dr.", "vice", "deputy", "ambassador", "counselor", "the", "former", "sheikh",
}
_SUBJECT_DEPS = ("nsubj", "nsubjpass", "csubj", "expl")
_NAME_SUFFIXES = {"jr", "sr", "ii", "iii", "iv"}  # "Joseph R. Biden, Jr." parses as two subjects


class Collective(Rule):
    resolves_to: Literal["main_parties", "main_leaders", "people_in_context", "organisation"] = Field(
        description="What the phrase stands for in its document.")
    phrases: list[str] = Field(min_length=1, description="Subject phrases, matched case-insensitively.")


class Organisation(Rule):
    name: str = Field(description="Name written in records ('SCO', 'European Union').")
    forms: list[str] = Field(min_length=1, description="Surface forms, matched case-sensitively.")


class NationalAgency(Rule):
    country: str = Field(pattern=r"^[A-Z]{3}$", description="ISO3 of the country the agency acts for.")
    forms: list[str] = Field(min_length=1, description="Surface forms, matched case-sensitively.")


class Publisher(Rule):
    forms: list[str] = Field(min_length=1, description="Substrings of documents.source or the title.")
    country: str = Field(pattern=r"^[A-Z]{3}$", description="ISO3 of the publisher's country.")


class RegexRule(Rule):
    pattern: str = Field(description="Python regular expression.")

    @field_validator("pattern")
    @classmethod
    def _compiles(cls, value: str) -> str:
        try:
            re.compile(value)
        except re.error as exc:
            raise ValueError(f"invalid regular expression: {exc}") from exc
        return value


class Turn(RegexRule):
    speaker: Literal["question", "spokesperson", "named"] = Field(
        description="Who speaks: the journalist, the document's spokesperson, or the name in the marker.")


class ActorFile(RuleFile):
    collectives: list[Collective] = Field(default_factory=list)
    organisations: list[Organisation] = Field(default_factory=list)
    national_agencies: list[NationalAgency] = Field(
        default_factory=list, description="Named government agencies; they act for their country.")
    agency_nouns: list[str] = Field(default_factory=list, description="Head nouns acting for their country.")
    own_agency_nouns: list[str] = Field(default_factory=list, description="Agencies of the speaker's country.")
    non_actor_heads: list[str] = Field(default_factory=list, description="Proper-noun heads that are no actor.")
    publishers: list[Publisher] = Field(default_factory=list)
    turns: list[Turn] = Field(default_factory=list)
    spokesperson_patterns: list[RegexRule] = Field(default_factory=list)
    author_patterns: list[RegexRule] = Field(default_factory=list)
    organisation_gatherings: list[str] = Field(
        default_factory=list, description="Capitalised words after an organisation's form that keep it a mention.")
    declarations: list[RegexRule] = Field(
        default_factory=list, description="Titles of joint texts; groups `group`/`parties` name the signatories.")
    joint_nouns: list[str] = Field(default_factory=list, description="Heads of a joint undertaking of named parties.")
    company_suffixes: list[str] = Field(
        default_factory=list, description="Legal forms written after a comma ('Acme Solutions, LLC').")


class ActorRules:
    """The actors rule file, compiled once per process (per rule folders)."""

    def __init__(self, data: ActorFile) -> None:
        self.data = data
        self.collectives: dict[str, str] = {
            _norm_phrase(p): c.resolves_to for c in data.collectives for p in c.phrases
        }
        forms = sorted(((f, o.name) for o in data.organisations for f in o.forms), key=lambda x: -len(x[0]))
        agencies = sorted(((f, a.country) for a in data.national_agencies for f in a.forms), key=lambda x: -len(x[0]))
        # A form is matched case-sensitively, so a text without it as a substring skips its scan:
        # most texts name no organisation.
        self._org_by_initial: dict[str, list[tuple[str, str]]] = {}
        for form, name in forms:  # longest first, kept per initial
            self._org_by_initial.setdefault(form[:1], []).append((form, name))
        self._orgs_in = _Literals(forms)
        self._agencies_in = _Literals(agencies)
        self.non_actor_heads = {n.casefold() for n in data.non_actor_heads}
        self.agency_nouns = {n.casefold() for n in data.agency_nouns}
        self.own_agency_nouns = {n.casefold() for n in data.own_agency_nouns}
        self.turns = [(re.compile(t.pattern, re.MULTILINE), t) for t in data.turns]
        self.spokesperson = [re.compile(r.pattern) for r in data.spokesperson_patterns]
        self.authors = [re.compile(r.pattern) for r in data.author_patterns]
        self.gatherings = set(data.organisation_gatherings)
        self.declarations = [re.compile(r.pattern) for r in data.declarations]
        self.joint_nouns = {n.casefold() for n in data.joint_nouns}
        self.company_suffixes = set(data.company_suffixes)

    @classmethod
    def load(cls, rules_dirs: Iterable[str | Path] = ()) -> "ActorRules":
        return _load_cached(tuple(str(d) for d in rules_dirs))

    def organisation_in(self, text: str, covering: int | None = None) -> str | None:
        """Canonical name of the first organisation form found in `text` (one that covers the
        character `covering`, when given: "the SCO Summit" names no organisation as a whole)."""
        hits = [
            (m.start(), name) for pattern, name in self._orgs_in(text)
            for m in pattern.finditer(text) if covering is None or m.start() <= covering < m.end()
        ]
        return min(hits)[1] if hits else None

    def org_forms_opening(self, text: str) -> list[tuple[re.Pattern, str]]:
        """The organisation forms (longest first) that `text` starts with: only they can match there."""
        opening = self._org_by_initial.get(text[:1], ())
        return [(_whole_form(form), name) for form, name in opening if text.startswith(form)]

    def national_agency_in(self, text: str, covering: int) -> str | None:
        """Country of the named national agency that covers the character `covering` of `text`."""
        for pattern, code in self._agencies_in(text):
            if any(m.start() <= covering < m.end() for m in pattern.finditer(text)):
                return code
        return None

    def organisation_mentions(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, name) of the organisations `text` mentions, in order, leaving out forms nested
        in a longer proper name ("United Nations Convention on the Law of the Sea") and a shorter
        form inside a longer one already found ("UN" in "UN Charter" after "United Nations")."""
        hits: list[tuple[int, int, str]] = []
        for pattern, name in self._orgs_in(text):  # longest forms first
            for m in pattern.finditer(text):
                if any(s <= m.start() < e for s, e, _ in hits) or self._nested(text, m.end()):
                    continue
                hits.append((m.start(), m.end(), name))
        return sorted(hits)

    def _nested(self, text: str, end: int) -> bool:
        """The form ending at `end` is followed by a capitalised word that continues a longer name."""
        after = re.match(r" ([A-Z][\w'’.-]*)", text[end:])
        return bool(after) and after.group(1) not in self.gatherings


class _Literals:
    """Forms (longest first) with what each names; one search of all the forms at once answers
    most texts, which hold none of them. A form's regex is compiled when a text first holds it."""

    def __init__(self, forms: list[tuple[str, str]]) -> None:
        self.forms = forms
        self.any = re.compile("|".join(re.escape(form) for form, _ in forms))

    def __call__(self, text: str) -> list[tuple[re.Pattern, str]]:
        """(regex, name) of the forms (in order) that `text` contains: the others cannot match it."""
        if not self.any.search(text):
            return []
        return [(_whole_form(form), name) for form, name in self.forms if form in text]


@lru_cache(maxsize=4096)
def _whole_form(form: str, flags: int = 0) -> re.Pattern:
    """A literal form as a whole word (no letter, digit, '_' or '-' on either side)."""
    return re.compile(rf"(?<![\w-]){re.escape(form)}(?![\w-])", flags)


@lru_cache(maxsize=8)
def _load_cached(rules_dirs: tuple[str, ...]) -> ActorRules:
    return ActorRules(load_rules("actors", ActorFile, rules_dirs))


#: Patterns `resolve` applies to every phrase, compiled once (not looked up in `re`'s cache per call).
_SPACES = re.compile(r"\s+")
_LEADING_CONJUNCTION = re.compile(r"^(?:and|or|,)\s+", re.I)
_LEADING_DETERMINER = re.compile(r"^(?:the|all) ")
_LEADING_ARTICLE = re.compile(r"^(?:the|all|The|All)\s+")


def _norm_phrase(text: str) -> str:
    return _SPACES.sub(" ", text.replace("’", "'")).strip(" ,.;:").casefold()


def _strip_titles(text: str) -> str:
    """"Chinese President Xi" -> "Xi": leading title words and country adjectives or names."""
    words = text.replace("’s", "").replace("'s", "").split()
    while words and (words[0].casefold().strip(".,") in _TITLE_WORDS
                     or len(words) > 1 and _iso3(words[0].strip(",")) is not None):
        words.pop(0)
    return " ".join(words).strip(" ,.")


class ActorResolver:
    """Resolves subject phrases of one document to actors (see module docstring)."""

    def __init__(self, doc: Doc, rules: ActorRules | None = None) -> None:
        self.doc = doc
        self.rules = rules or ActorRules.load()
        self.people = records_of(doc, "people")
        self._alias: dict[str, str] = {}
        self._country_of_person: dict[str, str | None] = {}
        self._role: dict[str, str] = {}
        self._sayers: dict[int, list[tuple[int, str]]] = {}
        self._resolved: dict[int | tuple[int, int], tuple[str, ...]] = {}
        for person in self.people:
            for form in (person.name, *person.aliases):
                self._alias.setdefault(form.casefold(), person.name)
                self._alias.setdefault(_strip_titles(form).casefold(), person.name)
            self._country_of_person[person.name] = person.country
            self._role[person.name] = person.role
        if Doc.has_extension("speaker_map") and isinstance(doc._.speaker_map, dict):
            self.speaker_map: dict[int, str] = dict(doc._.speaker_map)
        else:
            self.speaker_map = self._find_turns()
            if Doc.has_extension("speaker_map"):
                doc._.speaker_map = dict(self.speaker_map)
        self._turn_starts = sorted(self.speaker_map)

    # ----------------------------------------------------------------- document-level facts

    @cached_property
    def _entities(self) -> DocEntities:
        return DocEntities(self.doc)

    @cached_property
    def _subject_positions(self) -> list[int]:
        """Indices of the tokens whose dependency is a subject's (`_SUBJECT_DEPS`), in order, from one
        array read."""
        wanted = numpy.array([self.doc.vocab.strings[dep] for dep in _SUBJECT_DEPS], dtype=numpy.uint64)
        return numpy.flatnonzero(numpy.isin(self.doc.to_array(DEP), wanted)).tolist()

    @cached_property
    def _people_mentioned(self) -> list[tuple[int, int, str]]:
        """(start offset, end token, text) of each PERSON entity, in order."""
        return [(e.start_char, e.end, span_text(e)) for e in self._entities.all if e.label_ == "PERSON"]

    @cached_property
    def _parsed(self) -> bool:
        """Whether the document has a dependency parse (`Doc.has_annotation` scans its tokens)."""
        return self.doc.has_annotation("DEP")

    @cached_property
    def _sent_starts(self) -> list[int]:
        """Token index of each sentence start."""
        return [sent.start for sent in sentences_of(self.doc)]

    @cached_property
    def main_parties(self) -> list[str]:
        """The document's two main countries: the title's first, then the most mentioned.

        Returns one code when a single country dominates (under a quarter of the leader's
        mentions for the runner-up), none for a text that names no country.
        """
        counts: Counter[str] = Counter()
        for ent in self._entities.all:
            if ent.label_ in ("GPE", "NORP"):
                code = _iso3(span_text(ent))
                if code:
                    counts[code] += 1
        for code in self._countries_in(str(getattr(self.doc._, "title", "") or "")):
            counts[code] += 3
        ranked = [c for c, _ in counts.most_common()]
        if len(ranked) >= 2 and counts[ranked[1]] * 4 >= counts[ranked[0]]:
            return ranked[:2]
        return ranked[:1]

    @cached_property
    def main_leaders(self) -> list[str]:
        """One head of state or government per main party, in order of first mention."""
        leaders: list[str] = []
        for party in self.main_parties:
            for person in self.people:
                if person.country == party and person.role in HEAD_ROLES:
                    leaders.append(person.name)
                    break
        return leaders

    @cached_property
    def publisher_country(self) -> str | None:
        """Country of the publishing government or agency: from the publisher's name
        (`doc._.source_name` when the caller sets it, else `doc._.source`), else the country of
        the document's spokesperson."""
        names = [str(getattr(self.doc._, attr, "") or "") for attr in ("source_name", "source")
                 if Doc.has_extension(attr)]
        for source in names:
            if re.fullmatch(r"\S+\.\w{2,5}(?:#\d+)?", source):  # a file name, not a publisher
                continue
            for publisher in self.rules.data.publishers:
                if any(form in source for form in publisher.forms):
                    return publisher.country
            found = self._countries_in(source)
            if found:
                return found[0]
        return self._country_of_person.get(self._spokesperson or "")

    @cached_property
    def signatories(self) -> list[str]:
        """Who issues a joint text, read from its title (or first line): the organisations and
        countries named as its issuers ("Quad Leaders' Joint Statement" -> ["Quad"], "Joint
        Statement from the United States and the European Union" -> ["USA", "European Union"]).
        Empty for any other text."""
        title = str(getattr(self.doc._, "title", "") or "") or text_of(self.doc).lstrip().split("\n", 1)[0]
        for pattern in self.rules.declarations:
            match = pattern.search(title)
            if not match:
                continue
            parties = self._named_parties(next((v for v in match.groupdict().values() if v), ""))
            if parties:
                return parties
        return []

    @cached_property
    def self_named(self) -> list[str]:
        """Parties a text names as its 'we' in an apposition ("WE, the Member States of ASEAN and
        the United States, ..."): who 'we' is throughout that text."""
        for tok in self._tokens_lowered("we"):
            if _pronoun(tok) == "we" and tok.dep_ in ("nsubj", "ROOT"):
                apposed = [c for c in tok.children if c.dep_ == "appos"]
                if apposed:
                    named = self._named_parties(self._phrase(apposed[0]).text)
                    if named:
                        return named
        return []

    def _tokens_lowered(self, lower: str) -> list[Token]:
        """Tokens whose lower case is `lower`, found from the Doc's array, not one Token at a time."""
        key = self.doc.vocab.strings[lower]
        return [self.doc[int(i)] for i in (self.doc.to_array(LOWER) == key).nonzero()[0]]

    @cached_property
    def _author_match(self) -> tuple[str, int, str] | None:
        """(author name, offset where the article starts, author's title): a byline starts the
        article at its line; a lead-in ("X published a signed article") or the title leaves it at 0."""
        head = text_of(self.doc)[:3000]
        title = str(getattr(self.doc._, "title", "") or "")
        for pattern in self.rules.authors:
            match = pattern.search(head)
            if match:
                byline = "published" not in match.group(0) and "signed" not in match.group(0)
                start = head.rfind("\n", 0, match.start()) + 1 if byline else 0
                return self.person_name(match.group("name")), start, match.groupdict().get("title") or ""
            match = pattern.search(title)
            if match:
                return self.person_name(match.group("name")), 0, match.groupdict().get("title") or ""
        return None

    @cached_property
    def author(self) -> str | None:
        """Author of a signed article (byline or lead-in), as a people name."""
        return self._author_match[0] if self._author_match else None

    @cached_property
    def author_country(self) -> str | None:
        if not self.author:
            return None
        known = self._country_of_person.get(self.author)
        if known:
            return known
        found = self._countries_in(self._author_match[2]) if self._author_match else []
        return found[0] if found else self.publisher_country

    def country_of(self, actor: str | None) -> str | None:
        """ISO3 an actor acts for: itself for a code, the person's country for a person."""
        if actor is None:
            return None
        if is_country_code(actor):
            return actor
        return self._country_of_person.get(actor) or (
            self.publisher_country if actor == self._spokesperson else None)

    # ----------------------------------------------------------------- speakers

    @cached_property
    def _spokesperson(self) -> str | None:
        title = str(getattr(self.doc._, "title", "") or "")
        for pattern in self.rules.spokesperson:
            for text in (title, text_of(self.doc)[:1000]):
                match = pattern.search(text)
                if match:
                    return self.person_name(match.group("name"))
        return None

    def _find_turns(self) -> dict[int, str]:
        """Start offset of each Q/A turn -> its speaker; a signed article is one turn by its author."""
        turns: dict[int, str] = {}
        has_questions = any(
            rule.speaker == "question" and pattern.search(text_of(self.doc)) for pattern, rule in self.rules.turns)
        for pattern, rule in self.rules.turns:
            for match in pattern.finditer(text_of(self.doc)):
                if rule.speaker == "question":
                    speaker = QUESTION
                elif rule.speaker == "spokesperson":
                    speaker = self._spokesperson or ""
                elif has_questions or match.group("name").casefold() in self._alias:
                    speaker = self.person_name(match.group("name"))
                else:
                    continue
                if speaker:
                    turns.setdefault(match.start(), speaker)
        if not turns and self._author_match:
            name, start, _ = self._author_match
            turns[start] = name
        return dict(sorted(turns.items()))

    def speaker_at(self, offset: int) -> str | None:
        """Who speaks at a character offset: turn speaker or article author; None if unknown."""
        speaker = None
        for start in self._turn_starts:
            if start > offset:
                break
            speaker = self.speaker_map[start]
        return speaker

    # ----------------------------------------------------------------- names

    def person_name(self, text: str) -> str:
        """The people record's name for a mention ("President Xi" -> "Xi Jinping"); else the mention."""
        key = text.casefold().strip()
        if key in self._alias:
            return self._alias[key]
        stripped = _strip_titles(text)
        return self._alias.get(stripped.casefold(), stripped or text)

    def _countries_in(self, text: str) -> list[str]:
        """Countries named anywhere in a free text (longest forms first), in order of appearance."""
        return list(dict.fromkeys(code for code, _ in self._country_offsets(text)))

    @staticmethod
    def _country_offsets(text: str) -> list[tuple[str, int]]:
        """(ISO3, offset) of every country named in a free text, in order of appearance."""
        return list(_country_offsets(text))

    # ----------------------------------------------------------------- resolution

    def resolve(self, target: Token | Span) -> list[str]:
        """Actors named by a subject phrase, or [] when it names no actor (things, generics).
        Kept per token or span of the document: the extractors ask about a subject again."""
        if target.doc is not self.doc:
            return self._resolve(target)
        key = (target.start, target.end) if isinstance(target, Span) else target.i
        if key not in self._resolved:
            self._resolved[key] = tuple(self._resolve(target))
        return list(self._resolved[key])

    def _resolve(self, target: Token | Span) -> list[str]:
        head = target.root if isinstance(target, Span) else target
        phrase = target if isinstance(target, Span) else self._phrase(head)
        conjuncts = [head, *[t for t in head.conjuncts if t.i > head.i]] if head.has_dep() else [head]
        if isinstance(target, Span):
            conjuncts = [t for t in conjuncts if target.start <= t.i < target.end]
        if len(conjuncts) > 1:
            out: list[str] = []
            for tok in conjuncts:
                out += self._resolve_one(tok, self._phrase(tok, stop_at_conj=True))
            return list(dict.fromkeys(out))
        return self._resolve_one(head, phrase)

    def denotes_actor(self, target: Token | Span) -> bool:
        """Whether a phrase stands for an actor even when this document does not say which:
        "we", "I", "he", a collective ("both sides" in a text naming no country), a named entity.
        'they' and 'it' are not: unresolved, they are as likely to be projects as parties."""
        head = target.root if isinstance(target, Span) else target
        if _pronoun(head) in _WE | _I | _HE:
            return True
        if _pronoun(head) in _THEY:
            earlier = self._earlier_subjects(head)
            return bool(earlier) and self.denotes_actor(earlier[0])
        phrase = target if isinstance(target, Span) else self._phrase(head)
        if self._title_only(self._phrase(head, stop_at_conj=True)):
            return True  # a person, even when the text does not say who
        norm = _norm_phrase(span_text(phrase))
        if norm in self.rules.collectives or _LEADING_DETERMINER.sub("", norm) in self.rules.collectives:
            return True
        return head.ent_type_ in ("PERSON", "ORG", "GPE", "NORP") and head.lower_ not in self.rules.non_actor_heads

    def denotes_person(self, token: Token) -> bool:
        """Whether a subject names one person (a PERSON entity, 'he', 'she', 'I')."""
        return _pronoun(token) in _HE | _I or token.ent_type_ == "PERSON"

    def _phrase(self, head: Token, stop_at_conj: bool = False) -> Span:
        """Noun phrase of a head token: left modifiers, 'of'/'from' complements and (unless
        `stop_at_conj`) coordinated heads; never a relative clause."""
        doc = head.doc
        if not (self._parsed if doc is self.doc else doc.has_annotation("DEP")):
            return doc[head.i: head.i + 1]
        right = head.i
        for child in head.rights:
            if child.dep_ == "prep" and child.lower_ in ("of", "from"):
                right = child.right_edge.i
            elif child.dep_ in ("cc", "conj", "punct") and not stop_at_conj:
                right = child.right_edge.i if child.dep_ == "conj" else right
            else:
                break
        return doc[head.left_edge.i: right + 1]

    def _resolve_one(self, head: Token, phrase: Span) -> list[str]:
        lower = _pronoun(head)
        text = span_text(phrase)
        norm = _norm_phrase(_LEADING_CONJUNCTION.sub("", text))
        if lower in _WE and len(phrase) <= 2:
            apposed = [c for c in head.children if c.dep_ == "appos"]
            if apposed:  # "We, the Heads of State of the ASEAN Member States, ..."
                named = self._named_parties(self._phrase(apposed[0]).text) or self.resolve(apposed[0])
                if named:
                    return named
            return self.resolve_we(head)
        if lower in _I:
            speaker = self._first_person(head)
            return [speaker] if speaker else []
        if lower in _HE:
            person = self._previous_person(head)
            return [person] if person else []
        if lower in _THEY or lower in _IT:
            return self._antecedent(head, plural=lower in _THEY)
        if lower == "both" and len(phrase) == 1:
            pair = self._antecedent(head, plural=True)  # "X called Y. Both agreed ...": the two just named
            if len(pair) >= 2:
                return pair
        named_org = self._org_prefix(text)  # "ASEAN Member States", "the SCO member countries"
        if named_org and self.rules.collectives.get(named_org[1]) == "organisation":
            return [named_org[0]]
        kind = self.rules.collectives.get(norm) or self.rules.collectives.get(_LEADING_DETERMINER.sub("", norm))
        if kind is None and lower == "both" and len(phrase) == 1:
            kind = "main_parties"
        if kind == "main_parties":
            return list(self.main_parties)
        if kind == "main_leaders":
            return self._people_in_context(head, HEAD_ROLES)
        if kind == "people_in_context":
            return self._people_in_context(head, None)
        if kind == "organisation":
            org = self._organisation_context(head) or self._signatory_group()
            return [org] if org else []
        persons = self._persons_in(phrase, head) or self._person_by_title(phrase)
        if persons:
            return persons
        agency = self.rules.national_agency_in(text, head.idx - phrase.start_char)
        if agency:  # "USAID", "the Japan International Cooperation Agency": the country acts
            return [agency]
        org = self.rules.organisation_in(text, head.idx - phrase.start_char)
        if org:
            return [org]
        code = _iso3(text)
        if code:
            return [code]
        if head.lemma_.casefold() in self.rules.joint_nouns or head.lower_ in self.rules.joint_nouns:
            return self._joint_parties(head)
        modifier_countries = self._modifier_countries(head)
        if head.lower_ in self.rules.agency_nouns or head.lemma_.casefold() in self.rules.agency_nouns:
            if modifier_countries:
                return modifier_countries
            owners = [c for c in head.children if c.dep_ == "poss" and _pronoun(c) in _HE | _I | _WE | _THEY]
            if owners:  # "his government": the country of the person 'his' refers to
                codes = [self.country_of(a) for a in self.resolve(owners[0])]
                if codes and all(codes):
                    return list(dict.fromkeys(c for c in codes if c))
            if head.lower_ in self.rules.own_agency_nouns and self.speaker_map:
                country = self.country_of(self._turn_speaker(head.idx)) or self.publisher_country
                return [country] if country else []
            sayer = self._sayer_country(head)  # "Minister X announced the government has decided ..."
            return [sayer] if sayer and head.lower_ in self.rules.own_agency_nouns else []
        if self._title_only(phrase):
            owners = [c for c in head.children if c.dep_ == "poss" and _pronoun(c) in _WE | _THEY]
            # "our Foreign Ministers" act for 'us'; a title the text does not pin down names nobody
            return self.resolve(owners[0]) if owners else []
        if head.pos_ == "PROPN" and head.ent_type_ in ("ORG", "") and head.lower_ not in self.rules.non_actor_heads:
            return [self._org_name(phrase, head)]
        if head.ent_type_ in ("GPE", "NORP"):
            code = _iso3(head.text)
            return [code] if code else []
        return []

    def resolve_text(self, text: str) -> list[str]:
        """Actors a short free-text phrase names, for text the parser cannot read (a headline's
        subject): "Zimbabwe's Leader" -> that country's head of state or government, "Kenya" ->
        KEN, "President Xi" -> Xi Jinping, "EU-China" -> European Union, CHN; [] for other text."""
        text = text.strip(" ,.:;")
        owner = re.fullmatch(r"(?P<owner>.+?)(?:['’]s)?\s+(?P<title>[A-Z][\w-]*(?: [A-Z][\w-]*)?)", text)
        if owner and all(w in _TITLE_WORDS | {"leader", "ruler"} for w in owner.group("title").casefold().split()):
            codes = self._countries_in(owner.group("owner"))
            if len(codes) == 1 and _iso3(owner.group("owner")) == codes[0]:
                heads = [p.name for p in self.people if p.country == codes[0] and p.role in HEAD_ROLES]
                return heads[:1] or codes
        key = text.casefold()
        if key in self._alias or _strip_titles(text).casefold() in self._alias:
            return [self.person_name(text)]
        return self._named_parties(text) if _iso3(text) or self.rules.organisation_in(text) or "-" in text else []

    def _org_prefix(self, text: str) -> tuple[str, str] | None:
        """(organisation, rest of the phrase normalised) for a phrase opening with an organisation's
        form: "the ASEAN Member States" -> ("ASEAN", "member states")."""
        stripped = _LEADING_ARTICLE.sub("", text.strip())
        for pattern, name in self.rules.org_forms_opening(stripped):
            match = pattern.match(stripped)
            if match:
                return name, _norm_phrase(re.sub(r"^(?:['’]s)?\s*", "", stripped[match.end():]))
        return None

    def _named_parties(self, text: str) -> list[str]:
        """Organisations and countries a free text names, in order ("U.S.-EU" -> USA, European Union)."""
        text = re.sub(r"(?<=[\w.])[-–](?=[A-Z])", ", ", text)  # hyphenated pairs name both sides
        orgs = self.rules.organisation_mentions(text)
        found = [(start, name) for start, _, name in orgs]
        found += [(start, code) for code, start in self._country_offsets(text)
                  if not any(s <= start < e for s, e, _ in orgs)]
        return list(dict.fromkeys(name for _, name in sorted(found)))

    def _joint_parties(self, head: Token) -> list[str]:
        """Parties of "the U.S.-EU partnership" (its modifiers or possessor); for a bare "the
        partnership", those of the last earlier mention of the same noun that names them."""
        owners = [c for c in head.children if c.dep_ == "poss"]
        if owners:
            return self.resolve(owners[0])
        modifiers = [t for t in head.lefts if t.dep_ in ("compound", "amod", "nmod", "npadvmod")]
        if modifiers:
            parties = self._named_parties(self.doc[modifiers[0].left_edge.i: head.i].text)
            return parties if len(parties) >= 2 else []
        for earlier in reversed(self.doc[: head.i]):
            named = any(c.dep_ in ("compound", "amod", "nmod", "poss") for c in earlier.children)
            if earlier.lemma_ == head.lemma_ and named:
                return self._joint_parties(earlier)
        return []

    def _sayer_country(self, head: Token) -> str | None:
        """Country of the person whose words contain `head` ("X announced (that) the government ...")."""
        tok = head.head
        for _ in range(3):
            if tok.dep_ != "ccomp":
                return None
            tok = tok.head
            if tok.lemma_ in _SPEECH_LEMMAS | {"announce", "confirm", "reveal", "disclose"}:
                sayers = [c for c in tok.children if c.dep_ == "nsubj"]
                if sayers and self.denotes_person(sayers[0]):
                    countries = {self.country_of(a) for a in self.resolve(sayers[0])} - {None}
                    return countries.pop() if len(countries) == 1 else None
        return None

    def _modifier_countries(self, head: Token) -> list[str]:
        """Countries among a head noun's modifiers ("the Chinese and US teams" -> CHN, USA) or its
        'of' complement ("the Government of Japan")."""
        out: list[str] = []
        for prep in (c for c in head.rights if c.dep_ == "prep" and c.lower_ == "of"):
            for obj in (c for c in prep.children if c.dep_ == "pobj"):
                code = _iso3(span_text(self.doc[obj.left_edge.i: obj.i + 1])) or _iso3(obj.text)
                if code:
                    out.append(code)
        for child in head.lefts:
            if child.dep_ in ("amod", "compound", "poss", "nmod", "npadvmod"):
                for tok in (child, *child.conjuncts):
                    words = [t for t in tok.subtree if t.dep_ not in ("case", "cc", "punct", "det")]
                    for candidate in (" ".join(t.text for t in words), tok.text):
                        code = _iso3(candidate)
                        if code:
                            out.append(code)
                            break
        return list(dict.fromkeys(out))

    def _persons_in(self, phrase: Span, head: Token | None = None) -> list[str]:
        """People named by the phrase; with `head`, only a person who is the head ("President
        Xi's visit" names no actor)."""
        names: list[str] = []
        # the head's entity may reach past the phrase: "Joseph R. Biden, Jr." parses as two subjects
        if head is None:
            ents = self._entities.within(phrase)
        else:  # `entity_of` finds nothing outside an entity's tags
            ents = [e for e in [entity_of(head) if head.ent_iob_ in ("B", "I") else None] if e is not None]
        for ent in ents:
            if ent.label_ == "PERSON":
                names.append(self.person_name(ent.text))
        if not names and self._alias:
            key = _strip_titles(span_text(phrase)).casefold()
            if key in self._alias:
                names.append(self._alias[key])
        return list(dict.fromkeys(names))

    def _org_name(self, phrase: Span, head: Token) -> str:
        """Name of an organisation subject: its entity, without country adjectives ("Saudi Arabian
        DataVolt" -> "DataVolt"), expanded to an earlier longer form ("the Advisory Council" ->
        "Advisory Council of the Belt and Road Forum ...")."""
        ents = [e for e in self._entities.within(phrase) if e.label_ == "ORG" and e.start <= head.i < e.end]
        if ents:
            tokens = list(ents[0])
        else:
            tokens = [t for t in phrase[: head.i - phrase.start + 1] if t.dep_ in ("compound", "nmod", "amod") or t == head]
        for n in range(min(3, len(tokens) - 1), 0, -1):
            if _iso3(" ".join(t.text for t in tokens[:n])):
                tokens = tokens[n:]
                break
        tokens = self._with_company_name(tokens)
        name = re.sub(r"^(?:the|The)\s+", "", "".join(t.text_with_ws for t in tokens)).strip()
        for end, full in self._org_names:
            if end <= phrase.start and full.startswith(name + " "):
                return full
        return name

    @cached_property
    def _org_names(self) -> list[tuple[int, str]]:
        """(end token, name without a leading 'the') of each ORG entity, in order."""
        return [(e.end, re.sub(r"^(?:the|The)\s+", "", span_text(e))) for e in self._entities.all if e.label_ == "ORG"]

    def _with_company_name(self, tokens: list[Token]) -> list[Token]:
        """"LLC" alone -> "Shamekh IV Solutions, LLC": a legal form after a comma belongs to the
        capitalised name before the comma."""
        if not tokens or "".join(t.text_with_ws for t in tokens).strip() not in self.rules.company_suffixes:
            return tokens
        i = tokens[0].i - 1
        if i < 1 or self.doc[i].text != ",":
            return tokens
        start = i
        while start > 0 and self.doc[start - 1].text[:1].isupper() and not self.doc[start - 1].is_sent_start:
            start -= 1
        return [*self.doc[start: i + 1], *tokens] if start < i else tokens

    @staticmethod
    def _title_only(phrase: Span) -> bool:
        """'the Secretary', 'the Foreign Minister': only title words."""
        words = [t.text.casefold() for t in phrase if t.dep_ not in ("det", "poss") and not t.is_punct]
        return bool(words) and all(w in _TITLE_WORDS or w.removesuffix("s") in _TITLE_WORDS for w in words)

    def _person_by_title(self, phrase: Span) -> list[str]:
        """"the President" -> the one person the document gives that title (main leaders first)."""
        if not self.people:
            return []
        words = [t.text for t in phrase if t.dep_ != "det" and not t.is_punct]
        if not words or any(w.casefold() not in _TITLE_WORDS for w in words):
            return []
        title = " ".join(words).casefold()
        holders = [p.name for p in self.people if any(t.casefold() == title for t in p.titles)] or [
            p.name for p in self.people  # "the Secretary" for a "Secretary of State", "the Minister"
            if any(t.casefold().startswith(title + " ") or t.casefold().endswith(" " + title) for t in p.titles)]
        leading = [h for h in holders if h in self.main_leaders]
        if len(set(leading)) == 1:
            return leading[:1]
        return holders[:1] if len(set(holders)) == 1 else []

    # ----------------------------------------------------------------- pronouns

    def _turn_speaker(self, offset: int) -> str | None:
        speaker = self.speaker_at(offset)
        return None if speaker in (None, QUESTION) else speaker

    def _paragraph_start(self, offset: int) -> int:
        return text_of(self.doc).rfind("\n", 0, offset) + 1

    def quote_speaker(self, token: Token) -> str | None:
        """Person quoted when `token` sits inside quotation marks: the subject of 'said' in the paragraph."""
        if not in_quotation(token):
            return None
        best: tuple[int, str] | None = None
        for i, name in self._paragraph_sayers(self._paragraph_start(token.idx)):
            distance = abs(i - token.i)
            if best is None or distance < best[0]:
                best = (distance, name)
        return best[1] if best else None

    def _paragraph_sayers(self, start: int) -> list[tuple[int, str]]:
        """(token index of a speech verb, the person its subject names) in the paragraph that starts
        at character `start`, in text order; found once per paragraph, as every quoted token asks."""
        if start not in self._sayers:
            self._sayers[start] = self._find_sayers(start)
        return self._sayers[start]

    def _find_sayers(self, start: int) -> list[tuple[int, str]]:
        end = text_of(self.doc).find("\n", start)
        end = len(text_of(self.doc)) if end < 0 else end
        span = self.doc.char_span(start, end, alignment_mode="expand")
        if span is None:
            return []
        sayers: list[tuple[int, str]] = []
        for tok in span:
            if tok.lemma_ in _SPEECH_LEMMAS:
                for subj in tok.children:
                    if subj.dep_ == "nsubj" and subj.lower_ not in _WE | _I | _THEY | _IT:
                        # '"...," he added.': the person named last before the quotation
                        names = ([p for p in [self._previous_person(self.doc[span.start])] if p]
                                 if subj.lower_ in _HE else self._persons_in(self._phrase(subj), subj))
                        if names:
                            sayers.append((tok.i, names[0]))
        return sayers

    def _first_person(self, token: Token) -> str | None:
        return self.speaker_of(token) or self.author

    def speaker_of(self, token: Token) -> str | None:
        """Who says the words at `token`: the quoted person, else the turn speaker or author."""
        return self.quote_speaker(token) or self._turn_speaker(token.idx)

    def resolve_we(self, token: Token) -> list[str]:
        """'we': the quoted person's or turn speaker's country, a signed article's two parties,
        the organisation at a multilateral summit, else the publisher's country."""
        quoted = self.quote_speaker(token)
        if quoted:
            country = self.country_of(quoted)
            return [country] if country else []
        speaker = self._turn_speaker(token.idx)
        if speaker and speaker != self.author:
            country = self.country_of(speaker)
            return [country] if country else ([self.publisher_country] if self.publisher_country else [])
        if self.author:
            country = self.author_country
            parties = self.main_parties
            if country and len(parties) == 2 and country in parties:
                return list(parties)
            return [country] if country else []
        if self.self_named:
            return list(self.self_named)
        if self.signatories:
            return list(self.signatories)
        org = self._organisation_context(token)
        if org:
            return [org]
        if self.publisher_country:
            return [self.publisher_country]
        return list(self.main_parties[:1])

    def _organisation_context(self, token: Token) -> str | None:
        """The multilateral organisation the current paragraph talks about, up to `token`."""
        start = self._paragraph_start(token.idx)
        hits = self.rules.organisation_mentions(text_of(self.doc)[start: token.idx + len(token.text)])
        return hits[-1][2] if hits else None

    def _signatory_group(self) -> str | None:
        """The one organisation that issues a joint text ("G20 Leaders' Declaration")."""
        orgs = [p for p in self.signatories if not is_country_code(p)]
        return orgs[0] if len(orgs) == 1 and len(self.signatories) == 1 else None

    def _previous_person(self, token: Token) -> str | None:
        """Nearest person mentioned before `token` (within the document)."""
        for _, end, text in reversed(self._people_mentioned):
            if end <= token.i:
                return self.person_name(text)
        return self.author

    def _people_in_context(self, token: Token, roles: tuple[str, ...] | None) -> list[str]:
        """The last two people (of `roles`, when given) named in the paragraph or, failing that,
        the five sentences before; else the main leaders, else the document's first two."""
        before = bisect.bisect_left(self._sent_starts, token.i)  # sentences starting before the token
        windows = [self._paragraph_start(token.idx), self.doc[self._sent_starts[before - 6]].idx if before > 5 else 0]
        for start in windows:
            names = self._people_between(start, token, roles)
            if len(names) >= 2:
                return names[-2:]
        if roles is None:
            return names
        if len(self.main_leaders) >= 2:
            return list(self.main_leaders)
        heads = list(dict.fromkeys(p.name for p in self.people if p.role in roles))
        return heads[:2] if len(heads) >= 2 else names

    def _people_between(self, start: int, token: Token, roles: tuple[str, ...] | None) -> list[str]:
        names: list[str] = []
        for start_char, end, text in self._people_mentioned:
            if start <= start_char and end <= token.i:
                name = self.person_name(text)
                if roles is None or not self._role or self._role.get(name) in roles:
                    if name in names:
                        names.remove(name)
                    names.append(name)
        return names

    def _antecedent(self, token: Token, plural: bool) -> list[str]:
        """'they'/'it': the actors of the nearest earlier subject in this or the previous sentence."""
        earlier = self._earlier_subjects(token)
        if not earlier:
            return []
        actors = self.resolve(earlier[0])
        if not plural:
            return actors if len(actors) == 1 else []
        for subject in earlier:  # 'they' wants several: "X spoke with Y to launch ..." gives X and Y, not Y
            group = list(dict.fromkeys([*self.resolve(subject), *self.partners(subject.head)]))
            if len(group) >= 2:
                return group
        return actors

    def partners(self, verb: Token) -> list[str]:
        """Who a verb's subject acts together with: 'with' objects of the verb or of its object
        ("spoke with Y", "held talks with Y", "met with Y and Z respectively")."""
        preps = [c for c in verb.children if c.dep_ == "prep" and c.lower_ == "with"]
        preps += [g for c in verb.children if c.dep_ == "dobj"
                  for g in c.children if g.dep_ == "prep" and g.lower_ == "with"]
        out: list[str] = []
        for prep in preps:
            objects = [c for c in prep.children if c.dep_ == "pobj"]
            for obj in objects:
                out += self.resolve(obj)
            if not objects:  # parser slip ("with Prime Minister X of India to launch ..."): the next name
                out += self._entity_after(prep)
        return list(dict.fromkeys(out))

    def _entity_after(self, token: Token) -> list[str]:
        """The person or country named within a few words after `token` (titles may come between)."""
        for ent in self._entities.all:
            if not token.i < ent.start <= token.i + 4:
                continue
            if all(t.text.casefold() in _TITLE_WORDS for t in self.doc[token.i + 1: ent.start]):
                if ent.label_ == "PERSON":
                    return [self.person_name(ent.text)]
                if ent.label_ in ("GPE", "NORP"):
                    code = _iso3(ent.text)
                    return [code] if code else []
                return []
        return []

    def _earlier_subjects(self, token: Token) -> list[Token]:
        """Subjects before `token` in its sentence and the previous one, nearest first."""
        sent = sentence_at(self.doc, token.i)
        start = sentence_at(self.doc, sent.start - 1).start if sent.start > 0 else sent.start
        positions = self._subject_positions
        found = positions[bisect.bisect_left(positions, start):bisect.bisect_left(positions, token.i)]
        subjects = [t for t in (self.doc[i] for i in reversed(found)) if t.lower_.rstrip(".") not in _NAME_SUFFIXES]
        named = [t for t in subjects if t.lower_ not in _THEY | _IT]
        # "They also committed ..." after "Together, they committed ...": the earlier 'they' refers
        return named or [t for t in subjects if t.lower_ in _THEY and t.i < sent.start][:1]


def is_country_code(actor: str) -> bool:
    """An ISO3 country code, as opposed to a three-letter organisation ('SCO', 'EAC')."""
    return actor in countries().names


def in_quotation(token: Token) -> bool:
    """Inside quotation marks opened in the token's paragraph (direct speech)."""
    text = text_of(token.doc)
    before = text[text.rfind("\n", 0, token.idx) + 1: token.idx]
    return sum(before.count(q) for q in _QUOTE_CHARS) % 2 == 1


def _pronoun(token: Token) -> str:
    """Lower-cased form of a word that may be a pronoun; '' for 'US' (the country, not 'us') and
    'IT'; capitals elsewhere are pronouns ("WE, the Heads of State ...")."""
    return "" if token.text in ("US", "IT") else token.lower_


def _iso3(text: str) -> str | None:
    """`to_iso3`, except that a lower-case three-letter word ("and") is never read as a code."""
    if len(text.strip()) == 3 and not text.strip().isupper():
        return None
    return countries().to_iso3(text)


class _CountryForm(NamedTuple):
    form: str
    code: str
    lowered: str | None  # the form's lower case when it is ASCII: a substring test gates it
    gate: Gate

    @property
    def pattern(self) -> re.Pattern:
        """The form as a whole word, any case; compiled when a text first passes its gate (most of
        the ~800 forms never do, and compiling them all cost each process ~30 ms)."""
        return _whole_form(self.form, re.IGNORECASE)


@lru_cache(maxsize=1)
def _country_patterns() -> list[_CountryForm]:
    """One entry per country form, longest first; the gate (the form in any case) skips the
    scan of a text that lacks the form."""
    forms = countries().surface_forms()
    ordered = sorted(forms.items(), key=lambda x: -len(x[0]))
    return [_CountryForm(f, code, f.lower() if f.isascii() else None, Gate(frozenset({(f, True)})))
            for f, code in ordered if len(f) > 2]


@lru_cache(maxsize=1024)
def _country_offsets(text: str) -> tuple[tuple[str, int], ...]:
    """`ActorResolver._country_offsets`, kept per text (the resolvers of a Doc ask about the same
    titles and phrases) as a tuple no caller can change."""
    found: list[tuple[int, int, str]] = []
    lower = text.lower()
    # `Gate.admits` of an ASCII form, with the text lowered once for all ~800 forms
    plain = text.isascii() or not any(c in text for c in ASCII_FOLDS)
    for form in _country_patterns():
        if form.lowered is not None and plain:
            if form.lowered not in lower:
                continue
        elif not form.gate.admits(text):
            continue
        for match in form.pattern.finditer(text):
            if not any(s <= match.start() < e or match.start() <= s < match.end() for s, e, _ in found):
                found.append((match.start(), match.end(), form.code))
    return tuple((code, start) for start, _, code in sorted(found))


def main_parties(doc: Doc) -> list[str]:
    """The document's two main countries (see `ActorResolver.main_parties`)."""
    return ActorResolver(doc).main_parties


def speakers(doc: Doc) -> dict[int, str]:
    """Start offset of each transcript turn (or 0 for a signed article) -> speaker name.

    Question turns map to `QUESTION`. Also stored in `doc._.speaker_map`.
    """
    return dict(ActorResolver(doc).speaker_map)
