"""People extractor: named real individuals, one record per person per document.

Reads the model's PERSON entities (when a model is loaded), title phrases and the leaders
gazetteer; writes `doc._.people` (a list of `pipeline.records.Person`) and corrects
`doc.ents` so that every person found by a title or the gazetteer is a PERSON entity (the
model tags "Kassym-Jomart Tokayev" as ORG). Mentions come from four sources, each named by a
form rule in `models/rules/people.yaml`:

- `title_name`: "[Chinese] President Xi Jinping [of China]", "the President of Iraq, NAME",
  "Presidents Xi Jinping and Vladimir Putin", "his Chinese counterpart NAME";
- `name_title`: "NAME, [a|the|former] [Kazakh] TITLE [of|from COUNTRY]", "NAME is a TITLE";
- `gazetteer`: a full name listed in `models/gazetteers/leaders.yaml`;
- `model`: a PERSON entity that no veto rejects.

Mentions of one person (full name, surname, title + surname) are folded into one record.
The country comes from the title's country phrase ("Kazakh", "of the Republic of Iraq"),
else from the gazetteer. The role is the highest of those the current titles imply and the
office the gazetteer says the person held on the publication date (`doc._.published`); a
person known only by a former title keeps that title's role. A record's `rule` is the title
rule that gave the role, else the gazetteer entry, else the form. Name boundaries come from
`pipeline.names`. Works without a parser or NER (`--model blank`): then only titles and the
gazetteer fire.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field
from spacy.attrs import ENT_IOB, ENT_TYPE
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from pipeline.countries import countries
from pipeline.leaders import ROLE_RANK, Gazetteer, Leader, name_key
from pipeline.names import ARTICLES, FUNCTION_WORDS, NameShape, headline_starts
from pipeline.token_columns import Tokens
from pipeline.records import Person, Role
from pipeline.rules.loader import Rule, RuleFile, load_rules

FormName = Literal["title_name", "name_title", "gazetteer", "model"]
_POSSESSIVE = {"'s", "’s", "'", "’"}
_COPULA = {"is", "was"}
#: `ENT_IOB` of a token outside every entity ("O").
_OUTSIDE = 2
#: Capitalised portfolio words allowed between a country and a title ("Chinese Agriculture Minister").
PORTFOLIO_WORDS = 3
#: Words looked at before a title for its country phrase ("the People's Republic of China").
COUNTRY_WINDOW = 6


class TitleRule(Rule):
    phrases: list[str] = Field(min_length=1, description="Title phrases, matched case-insensitively.")
    role: Role | None = Field(description="Role the title implies; null when it implies none.")
    country: str | None = Field(None, pattern=r"^[A-Z]{3}$", description="Country the title implies ('Taoiseach': IRL).")
    inherit_role: bool = Field(False, description="Role is that of the titled person before it in the sentence "
                                                  "('his Chinese counterpart').")
    plural: bool = Field(False, description="Names several people joined by 'and' or commas ('Presidents').")
    local: bool = Field(False, description="A local of the place the story reports from ('local resident'): the "
                                           "country the document names most.")


class FormRule(Rule):
    form: FormName = Field(description="Which mention shape this rule turns on.")


class Modifiers(BaseModel):
    """Words allowed between a country and its title; `former` ones mark a past office."""

    model_config = ConfigDict(extra="forbid")
    former: list[str] = Field(default_factory=list, description="'former', 'ex' ...")
    skip: list[str] = Field(default_factory=list, description="'newly', 'elected', 'acting' ...")


class VetoRule(Rule):
    last_words: list[str] = Field(default_factory=list, description="A name ending in one of these is not a person.")
    words: list[str] = Field(default_factory=list, description="A name containing one of these is not a person.")


class PeopleFile(RuleFile):
    titles: list[TitleRule] = Field(default_factory=list, description="Title phrases and their roles.")
    forms: list[FormRule] = Field(default_factory=list, description="Mention shapes turned on, with the ids records carry.")
    modifiers: Modifiers = Field(default_factory=Modifiers, description="Words around titles.")
    vetoes: list[VetoRule] = Field(default_factory=list, description="What is never a person.")
    trailing: list[str] = Field(default_factory=list, description="Time qualifiers between a title and its "
                                                                  "name ('army commander at the time, Gen. NAME').")
    possessive_pronouns: list[str] = Field(default_factory=list, description="'its', 'their' before a title: the "
                                                                             "country named earlier in the sentence.")
    portfolios: list[str] = Field(default_factory=list, description="Portfolios closing an organisation's name before "
                                                                    "a person's ('Ministry of Commerce NAME').")
    agency_preps: list[str] = Field(default_factory=list, description="Prepositions tying a title to a national "
                                                                      "organisation whose country the person serves.")
    diplomatic_bodies: list[str] = Field(default_factory=list, description="'deputy chief of the Chinese embassy': a "
                                                                           "title in one of these is a diplomat's.")
    home_nouns: list[str] = Field(default_factory=list, description="'the country's deputy prime minister': the "
                                                                    "country the document names most.")
    national_roles: list[Role] = Field(default_factory=list, description="Roles of national offices: a holder with no "
                                                                         "stated country serves the document's main one.")
    agency_heads: list[str] = Field(default_factory=list, description="Head words of state bodies and companies "
                                                                      "(a think tank's fellow serves no country).")


@dataclass
class Title:
    text: str
    role: Role | None
    country: str | None
    former: bool
    rule: str


@dataclass
class Mention:
    """One occurrence of a person's name; `start`/`end` are token indices of the name."""

    start: int
    end: int
    rule: str
    titles: list[Title] = field(default_factory=list)
    leader: Leader | None = None
    title_alias: str | None = None
    rules: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.rules.add(self.rule)

    def absorb(self, other: Mention) -> None:
        """Take over what another mention of the same name knows."""
        self.titles += other.titles
        self.leader = self.leader or other.leader
        self.title_alias = self.title_alias or other.title_alias
        self.rules |= other.rules

    def text(self, doc: Tokens) -> str:
        return doc.span_text(self.start, self.end)


def _headline_verb(doc: Tokens, i: int) -> bool:
    """A capitalised present-tense verb of a headline ("Holds", "Thanks", "Pledges"): where a name read
    from title case stops."""
    lower = doc.lower[i]
    return doc.is_alpha[i] and len(doc.text[i]) > 3 and lower.endswith("s") and not lower.endswith("ss")


def _entity_end(doc: Tokens, start: int) -> int:
    """End of the entity that begins at token `start`: its 'I' tokens, read as `doc.ents` reads them
    (without building every entity of the Doc)."""
    end = start + 1
    iob = doc.ent_iob
    while end < len(doc) and iob[end] == "I":
        end += 1
    return end


def _may_begin_country(text: str) -> bool:
    """Whether a country phrase (`_country`) may start with a word of this text: capitalised, or "the ...".
    Checked before a phrase is cut, as most words fail it."""
    initial = text[:1]
    return initial.isupper() or initial.lower().startswith("t")


def _sentence_bounds(doc: Tokens, start: int, end: int) -> tuple[int, int]:
    """(start, end) of `doc[start:end].sent` (sentences from the one holding `start` through the one
    holding `end - 1`), from the per-Doc boundaries instead of a walk over the tokens."""
    return doc.sent_start(start), doc.sent_end(end - 1)


def _holds_person(doc: Tokens, start: int, end: int) -> bool:
    """Whether a PERSON entity lies wholly inside tokens start..end (`span.ents` without walking the Doc's
    entities)."""
    iob, types = doc.ent_iob, doc.ent_type
    return any(iob[k] == "B" and types[k] == "PERSON" and _entity_end(doc, k) <= end for k in range(start, end))


def _published(doc: Doc) -> dt.date | None:
    """The Doc's publication date, when it has one."""
    return doc._.published if isinstance(doc._.published, dt.date) else None


def _apostrophe_variants(text: str) -> set[str]:
    return {text, text.replace("'", "’"), text.replace("’", "'")}


class PeopleExtractor:
    """Callable component; all matchers and indexes are built once in `__init__`."""

    def __init__(self, nlp: Language, name: str, rules_dirs: Sequence[str]) -> None:
        self.name = name
        self.rules = load_rules("people", PeopleFile, rules_dirs)
        self.gazetteer = Gazetteer(rules_dirs)
        self.countries = countries()
        self.shape = NameShape(lambda text: self.countries.to_iso3(text) is not None)
        self.forms = {rule.form: rule.id for rule in self.rules.forms}
        self.title_rules = {rule.id: rule for rule in self.rules.titles}
        self.titles = PhraseMatcher(nlp.vocab, attr="LOWER")
        for rule in self.rules.titles:
            phrases = {v for p in rule.phrases for v in _apostrophe_variants(p)}
            self.titles.add(rule.id, [nlp.make_doc(p) for p in phrases])
        self.title_words = {w.casefold() for r in self.rules.titles for p in r.phrases for w in p.split()}
        self.names = PhraseMatcher(nlp.vocab, attr="LOWER")
        for leader in self.gazetteer.leaders.values():
            # one-word aliases are surnames, too ambiguous to match alone; a one-word name ("Sugiono") is not
            forms = [leader.name, *(a for a in leader.aliases if " " in name_key(a))]
            self.names.add(leader.id, [nlp.make_doc(v) for form in forms for v in _apostrophe_variants(form)])
        self.former = {w.casefold() for w in self.rules.modifiers.former}
        self.skip = {w.casefold() for w in self.rules.modifiers.skip}
        self.trailing = [w.casefold().split() for w in self.rules.trailing]
        self.pronouns = {w.casefold() for w in self.rules.possessive_pronouns}
        self.portfolios = [w.casefold().split() for w in self.rules.portfolios]
        self.agency_preps = {w.casefold() for w in self.rules.agency_preps}
        self.agency_heads = {w.casefold() for w in self.rules.agency_heads}
        self.home_nouns = {w.casefold() for w in self.rules.home_nouns}
        self.diplomatic = {w.casefold() for w in self.rules.diplomatic_bodies}
        self.veto_last = {w.casefold() for v in self.rules.vetoes for w in v.last_words}
        self.veto_words = {w.casefold() for v in self.rules.vetoes for w in v.words}

    # --------------------------------------------------------------- country
    def _country(self, doc: Tokens, start: int, end: int) -> str | None:
        """ISO3 of tokens start..end when they are exactly a country phrase ("Chinese", "China's"), written
        with a capital."""
        text = doc.text
        first = text[start]
        if not _may_begin_country(first) or not first[:1].isalpha():
            return None
        if end - start > 1 and text[end - 1] in _POSSESSIVE:
            end -= 1
        if not text[end - 1][:1].isalpha():
            return None
        phrase = doc.span_text(start, end)
        if not phrase[:1].isupper() and not phrase.lower().startswith("the "):
            return None
        return self.countries.to_iso3(phrase)

    def _skippable(self, doc: Tokens, k: int, floor: int) -> bool:
        """A word between a country and its title: a modifier ("newly elected"), the hyphen of "ex-",
        or "and"/"," joining two modifiers ("much respected and lauded")."""
        word = doc.lower[k]
        if word in self.skip or word in self.former or word == "-":
            return True
        return word in {"and", ","} and k - 1 >= floor and doc.lower[k - 1] in self.skip

    def _country_before(self, doc: Tokens, start: int) -> tuple[str | None, bool]:
        """Country phrase ending just before `start`, and whether 'former' was seen. Modifiers ("newly
        elected") and up to PORTFOLIO_WORDS capitalised words ("Chinese Agriculture Minister") may stand
        between the country and the title."""
        floor = doc.sent_start(start)
        k, former = start, False
        while k > floor and self._skippable(doc, k - 1, floor):
            former |= doc.lower[k - 1] in self.former
            k -= 1
        for skipped in range(PORTFOLIO_WORDS + 1):
            end = k - skipped
            if end <= floor or (skipped and not (doc.is_alpha[end] and doc.text[end][:1].isupper())):
                break
            country_start = self._country_start(doc, floor, end)
            if country_start < end:
                return self._country(doc, country_start, end), former
        return None, former

    def _country_after(self, doc: Tokens, i: int) -> tuple[str | None, int, bool]:
        """'of/from [the] COUNTRY' at token i, also past a portfolio ("Minister of Energy of Kazakhstan"):
        (ISO3, end token, whether an 'of/from' phrase was there)."""
        if i >= len(doc) or doc.lower[i] not in {"of", "from"}:
            return None, i, False
        limit = doc.sent_end(i)
        if i + 1 < len(doc) and _may_begin_country(doc.text[i + 1]):
            for size in range(min(COUNTRY_WINDOW, limit - i - 1), 0, -1):
                iso3 = self._country(doc, i + 1, i + 1 + size)
                if iso3:
                    nxt = i + 1 + size
                    if self._begins_organisation(doc, nxt, limit):
                        return None, i, True
                    return iso3, nxt, True
        k = i + 1
        while k < min(limit, i + 6) and (doc.text[k][:1].isupper() or doc.lower[k] in {"and", "the"}):
            k += 1
        if k > i + 1 and k < limit and doc.lower[k] == "of":
            iso3, end, _ = self._country_after(doc, k)
            if iso3:
                return iso3, end, True
        return None, i, True

    def _begins_organisation(self, doc: Tokens, end: int, limit: int, heads: set[str] | None = None) -> bool:
        """Does the country ending at `end` begin an organisation's name ("of China Development Bank")?

        Told by an organisation head word (a veto word, or one of `heads`) among the capitalised words that follow;
        "of India Narendra Modi" is not one. The model's ORG entities are no help here: it tags
        "Kazakhstan Murat Nurtleu" as one.
        """
        k = end
        while k < limit and k < end + 5 and (doc.text[k][:1].isupper() or doc.lower[k] in {"and", "&", "of"}):
            if doc.lower[k] in (self.veto_last if heads is None else heads):
                return True
            k += 1
        return False

    # -------------------------------------------------------------- mentions
    def _diplomatic_body_end(self, doc: Tokens, i: int) -> int:
        """Index of a diplomatic body word ("embassy") in the "of/at [the] [country]" phrase at token i, else i."""
        if i >= len(doc) or doc.lower[i] not in {"of", "at"}:
            return i
        for k in range(i + 1, min(i + 5, len(doc))):
            if doc.lower[k] in self.diplomatic:
                return k
            if not (doc.lower[k] == "the" or doc.text[k][:1].isupper()):
                break
        return i

    def _in_diplomatic_body(self, doc: Tokens, i: int) -> bool:
        return self._diplomatic_body_end(doc, i) > i

    def _home_noun_before(self, doc: Tokens, start: int) -> bool:
        """"the country's deputy prime minister": a title owned by "the country" or "the nation"."""
        k = start
        while k > 0 and doc.lower[k - 1] in self.skip:
            k -= 1
        return k >= 3 and doc.text[k - 1] in _POSSESSIVE and doc.lower[k - 2] in self.home_nouns \
            and doc.lower[k - 3] == "the"

    def _main_country(self, doc: Doc) -> str | None:
        """The country the document names most often (place entities), if one leads strictly."""
        counts: dict[str, int] = {}
        for ent in doc.ents:
            iso3 = self.countries.to_iso3(ent.text) if ent.label_ == "GPE" else None
            if iso3:
                counts[iso3] = counts.get(iso3, 0) + 1
        ranked = sorted(counts.items(), key=lambda kv: -kv[1])
        if not ranked or len(ranked) > 1 and ranked[0][1] == ranked[1][1]:
            return None
        return ranked[0][0]

    def _title_spans(self, doc: Doc) -> list[tuple[Span, TitleRule]]:
        spans = [Span(doc, s, e, label=m) for m, s, e in self.titles(doc)]
        return [(s, self.title_rules[s.label_]) for s in filter_spans(spans)]

    def _make_title(self, doc: Tokens, span: Span, rule: TitleRule) -> Title:
        """Title at `span` with its country: 'of COUNTRY' after it, a country phrase before it, or the rule's."""
        country, former = self._country_before(doc, span.start)
        after_country, end, has_of = self._country_after(doc, span.end)
        text = span.text if after_country is None else doc.span_text(span.start, end)
        role = rule.role
        if has_of and after_country is None and role in {"head_of_state", "head_of_government"}:
            role = "official"  # "President of the World Bank"
        if not (after_country or country or rule.country):
            country = self._agency_country(doc, span.end) or self._pronoun_country(doc, span.start)
        if role in {None, "official", "other"} and self._in_diplomatic_body(doc, span.end):
            role = "diplomat"  # "the deputy chief of the Chinese embassy in Islamabad"
            country = country or self._country_before(doc, self._diplomatic_body_end(doc, span.end))[0]
        if (rule.local or self._home_noun_before(doc, span.start)) and not (after_country or country):
            country = self._main_country(doc.doc)
        return Title(text, role, after_country or country or rule.country, former, rule.id)

    def _agency_country(self, doc: Tokens, i: int) -> str | None:
        """Country of a national organisation after the title: "spokesman for the Uganda Electricity
        Generating Company", "director of the Kenya Ports Authority" (the person serves that country)."""
        if i >= len(doc) or doc.lower[i] not in self.agency_preps:
            return None
        limit = doc.sent_end(i)
        k = i + 2 if i + 1 < limit and doc.lower[i + 1] == "the" else i + 1
        for size in range(min(3, limit - k), 0, -1):
            iso3 = self._country(doc, k, k + size)
            if iso3 and self._begins_organisation(doc, k + size, limit, self.agency_heads):
                return iso3
        return None

    def _pronoun_country(self, doc: Tokens, start: int) -> str | None:
        """"Kazakhstan honoured its friendship envoys NAME and NAME": a title after a possessive pronoun
        serves the country named last before it in the sentence."""
        floor = doc.sent_start(start)
        k = start
        while k > floor and doc.lower[k - 1] in self.skip:
            k -= 1
        if k <= floor or doc.lower[k - 1] not in self.pronouns:
            return None
        for end in range(k - 1, floor, -1):
            begin = self._country_start(doc, floor, end)
            if begin < end:
                return self._country(doc, begin, end)
        return None

    def _title_name_mentions(self, doc: Tokens, titles: list[tuple[Span, TitleRule]],
                             gazetteer_starts: set[int]) -> list[Mention]:
        """[country] TITLE [TITLE ...] [of COUNTRY] [,] NAME [of COUNTRY]; `gazetteer_starts` are where
        gazetteer names begin."""
        rule_id = self.forms.get("title_name")
        if not rule_id:
            return []
        by_start = {s.start: (s, r) for s, r in titles}
        title_ends = {s.end for s, _ in titles}
        title_ends |= {e + 1 for e in title_ends if e < len(doc) and doc.lower[e] == "and"}
        title_starts = set(by_start)
        mentions = []
        for span, rule in titles:
            if span.start in title_ends:
                continue  # second title of a chain ("ophthalmologist Dr."), read with the first
            chain = [(span, rule)]
            while (nxt := self._next_title(doc, chain[-1][0].end, by_start)) is not None:
                chain.append(nxt)
            _, j, _ = self._country_after(doc, chain[-1][0].end)
            j = self._host_country_end(doc, j)
            j = self._topic_end(doc, j, gazetteer_starts)
            j = self._phrase_end(doc, j, self.trailing)
            comma = j < len(doc) and doc.text[j] == ","
            name_start = j + 1 if comma else j
            if name_start >= len(doc) or (comma and not self._introduces(doc, span.start)):
                continue
            if any("\n" in doc.text[k] for k in range(span.start, name_start)):
                continue  # a title ending a line (a heading, a caption) does not introduce the next line
            following = []
            while name_start in by_start:  # "The First Lady, Dr. Jill Biden": a title after the comma
                following.append(by_start[name_start])
                name_start = following[-1][0].end
            if name_start >= len(doc):
                continue
            name_end = self._read_name(doc, name_start, title_starts)
            if name_end == name_start:
                continue
            # the titles are read only now: most titles have no name after them
            made = [self._make_title(doc, s, r) for s, r in chain]
            for title, (tspan, trule) in zip(made, chain):
                if trule.inherit_role:
                    title.role = self._previous_role(doc, tspan, mentions)
            made += [self._make_title(doc, s, r) for s, r in following]
            after_name, after_end, _ = self._country_after(doc, name_end)
            if after_name and not made[-1].country:
                made[-1].country = after_name
            last = chain[-1][0]
            alias = None if comma or last.end != name_start else f"{last.text} {doc.span_text(name_start, name_end)}"
            mentions.append(Mention(name_start, name_end, rule_id, made, title_alias=alias))
            if any(r.plural for _, r in chain):
                mentions += self._coordinated(doc, after_end, made, rule_id, title_starts)
        return mentions

    @staticmethod
    def _next_title(doc: Tokens, end: int, by_start: dict[int, tuple[Span, TitleRule]]) -> tuple[Span, TitleRule] | None:
        """The title chained to one ending at `end`: right after it, or after "and" ("Deputy Prime Minister
        and Foreign Minister NAME")."""
        if end in by_start:
            return by_start[end]
        if end < len(doc) and doc.lower[end] == "and" and end + 1 in by_start:
            return by_start[end + 1]
        return None

    @staticmethod
    def _phrase_end(doc: Tokens, i: int, phrases: list[list[str]]) -> int:
        """End of the longest listed phrase (lower-case words) starting at token i, else i."""
        best = i
        for words in phrases:
            end = i + len(words)
            if end <= len(doc) and doc.lower[i:end] == words:
                best = max(best, end)
        return best

    def _read_name(self, doc: Tokens, start: int, title_starts: set[int]) -> int:
        """End of the name after a title: a name-shaped run, cut where the model's PERSON entity ends."""
        end = self.shape.forward(doc, start, title_starts)
        if end == start:
            return start
        if end + 1 < len(doc) and doc.text[end] == "," and doc.text[end + 1] in {"Jr.", "Sr."}:
            end += 2  # "Joseph R. Biden, Jr."
        if doc.ent_iob[start] == "B" and doc.ent_type[start] == "PERSON":
            end = min(end, _entity_end(doc, start))  # the model's boundary beats a title-case run
        return end

    def _coordinated(self, doc: Tokens, k: int, titles: list[Title], rule_id: str,
                     title_starts: set[int]) -> list[Mention]:
        """Further names under a plural title: "Presidents Xi Jinping and Vladimir Putin of Russia"."""
        mentions = []
        while k < len(doc) and doc.lower[k] in {",", "and"}:
            k += 2 if doc.text[k] == "," and k + 1 < len(doc) and doc.lower[k + 1] == "and" else 1
            end = self._read_name(doc, k, title_starts) if k < len(doc) else k
            if end == k:
                break
            country, after, _ = self._country_after(doc, end)
            own = [replace(t, country=country or t.country) for t in titles]
            mentions.append(Mention(k, end, rule_id, own))
            k = after
        return mentions

    @staticmethod
    def _previous_role(doc: Tokens, span: Span, mentions: list[Mention]) -> Role | None:
        """Role of the nearest titled person before `span` in its sentence (whose counterpart it names)."""
        for m in reversed(mentions):
            if m.end <= span.start and _sentence_bounds(doc, m.start, m.start + 1) == \
                    _sentence_bounds(doc, span.start, span.end):
                roles = [t.role for t in m.titles if t.role]
                if roles:
                    return roles[0]
        return None

    def _host_country_end(self, doc: Tokens, i: int) -> int:
        """Skip 'to COUNTRY' after an envoy's title ("Ambassador to Kazakhstan"): a host, not the country served."""
        if i < len(doc) and doc.lower[i] == "to":
            for size in range(COUNTRY_WINDOW, 0, -1):
                if i + 1 + size <= len(doc) and self._country(doc, i + 1, i + 1 + size):
                    return i + 1 + size
        return i

    def _topic_end(self, doc: Tokens, i: int, known_starts: set[int]) -> int:
        """Skip a title's capitalised topic or organisation ("Special Envoy for Climate John Kerry", "President
        of China Development Bank Zhao Huan") when the model or the gazetteer marks where the name begins
        inside it, or a comma closes it; otherwise the topic and the name cannot be told apart."""
        if i >= len(doc) or doc.lower[i] not in {"for", "on", "of"}:
            return i
        limit = doc.sent_end(i)
        for k in range(i + 1, min(i + 9, limit)):
            text, lower = doc.text[k], doc.lower[k]
            if (doc.ent_type[k] == "PERSON" and doc.ent_iob[k] == "B") or k in known_starts:
                return k
            if text == "," and k > i + 1:
                return k  # "the spokesperson of the Chinese Foreign Ministry, Lin Jian,"
            if lower in self.veto_last and text[:1].isupper():
                name = self._after_organisation(doc, k + 1, limit)
                if name is not None:
                    return name  # "Spokesperson of the Ministry of Commerce Shu Jueting"
            if not (text[:1].isupper() or lower in {"and", "of", "the", "-"}):
                break
        return i

    def _after_organisation(self, doc: Tokens, k: int, limit: int) -> int | None:
        """Where a name begins after an organisation's head word at k - 1: straight after it, or after
        a listed portfolio ("Ministry of Commerce", "Ministry of Foreign Affairs"); None when no name
        follows there."""
        if k < limit and doc.lower[k] in {"of", "for", "on"}:
            start = k + 2 if k + 1 < limit and doc.lower[k + 1] == "the" else k + 1
            end = self._phrase_end(doc, start, self.portfolios)
            if end == start:
                return None
            k = end
        if k >= limit or not doc.text[k][:1].isupper() or doc.lower[k] in self.veto_last:
            return None
        return k if self.shape.forward(doc, k) > k else None

    def _introduces(self, doc: Tokens, start: int) -> bool:
        """Is the title at `start` a noun phrase of its own ("the President of X,", "Djibouti's president,")?"""
        k = start
        while k > 0 and (doc.lower[k - 1] in self.skip or doc.lower[k - 1] in self.former):
            k -= 1
        if k == 0:
            return False
        return doc.lower[k - 1] in ARTICLES or doc.text[k - 1] in _POSSESSIVE or \
            self._country_before(doc, start)[0] is not None

    def _name_title_mentions(self, doc: Tokens, titles: list[tuple[Span, TitleRule]]) -> list[Mention]:
        """NAME, [a|the] [former] [country] TITLE [of|from X]; NAME is a TITLE; '... and TITLE' adds a title."""
        rule_id = self.forms.get("name_title")
        if not rule_id:
            return []
        mentions: list[Mention] = []
        by_start = {s.start: (s, r) for s, r in titles}
        for span, rule in titles:
            floor = doc.sent_start(span.start)
            k = span.start
            while k > floor and (doc.lower[k - 1] in self.skip or doc.lower[k - 1] in self.former):
                k -= 1
            country_start = self._country_start(doc, floor, k)
            # a modifier, a country or a lowercase descriptor ("NAME, research director at ...") marks a title
            marked = k < span.start or country_start < k or span.text[:1].islower()
            k = country_start
            if k == span.start and self._home_noun_before(doc, k):
                k, marked = k - 3, True  # "NAME, the country's deputy prime minister"
            if k > floor and doc.lower[k - 1] in ARTICLES:
                k, marked = k - 1, True
            if k <= floor:
                continue
            prev_text, prev_lower = doc.text[k - 1], doc.lower[k - 1]
            if prev_lower == "and" and mentions and mentions[-1].end < k and \
                    _sentence_bounds(doc, span.start, span.end) == \
                    _sentence_bounds(doc, mentions[-1].start, mentions[-1].start + 1):
                if not _holds_person(doc, mentions[-1].end, k - 1):
                    mentions[-1].titles.append(self._make_title(doc, span, rule))
                continue
            last = span
            while (nxt := self._next_title(doc, last.end, by_start)) is not None:
                last = nxt[0]  # "NAME, Deputy Prime Minister and Foreign Minister of X"
            has_tail = last.end < len(doc) and doc.lower[last.end] in {"of", "from"}
            if prev_text == ",":
                if not (marked or has_tail):
                    continue
            elif not (prev_lower in _COPULA and marked):
                continue
            end = k - 1
            start = self.shape.backward(doc, end)
            if start == end:
                continue
            name = doc.span_text(start, end)
            supported = (len(name_key(name).split()) > 1 or _holds_person(doc, start, end)
                         or self.gazetteer.lookup(name) is not None)
            if supported:  # the title is read only now: most titles have no name before them
                mentions.append(Mention(start, end, rule_id, [self._make_title(doc, span, rule)]))
        return mentions

    def _country_start(self, doc: Tokens, floor: int, k: int) -> int:
        """Start of a country phrase ending at k ("Kazakh", "the People's Republic of China"), else k.
        The phrase's last word (bar a possessive) is the same for every size: `_country` refuses them
        all when it does not begin with a letter."""
        if k <= floor:
            return k
        text = doc.text
        last = text[k - 1]
        if last in _POSSESSIVE:
            if k - 2 < floor or not text[k - 2][:1].isalpha():
                return k
        elif not last[:1].isalpha():
            return k
        for size in range(min(COUNTRY_WINDOW, k - floor), 0, -1):
            if _may_begin_country(text[k - size]) and self._country(doc, k - size, k):
                return k - size
        return k

    def _gazetteer_mentions(self, titles: list[tuple[Span, TitleRule]], names: list[Span]) -> list[Mention]:
        """Full names from the gazetteer (`names`, labelled with leader ids); a listed form that starts
        with a title ("King Salman bin Abdulaziz") is cut after the title, which the title forms read."""
        rule_id = self.forms.get("gazetteer")
        if not rule_id:
            return []
        title_end = {s.start: s.end for s, _ in titles}
        mentions = []
        for span in names:
            start = span.start
            while start in title_end and title_end[start] < span.end:
                start = title_end[start]
            mentions.append(Mention(start, span.end, rule_id, leader=self.gazetteer.leaders[span.label_]))
        return mentions

    def _model_mentions(self, doc: Tokens) -> list[Mention]:
        rule_id = self.forms.get("model")
        if not rule_id:
            return []
        mentions = []
        text, lower, iob, types = doc.text, doc.lower, doc.ent_iob, doc.ent_type
        for begin in range(len(doc)):
            if iob[begin] != "B" or types[begin] != "PERSON":
                continue
            start, end = begin, _entity_end(doc, begin)
            for k in range(start, end):  # "Joe Biden's Meeting": the name ends at the possessive
                if text[k] in _POSSESSIVE:
                    end = k
                    break
            while start < end and (lower[start] in self.title_words or lower[start] in FUNCTION_WORDS
                                   or not text[start][:1].isupper()):
                start += 1  # "Spokesperson Geng Shuang", "Meanwhile Tokayev": the name starts later
            while end > start and not text[end - 1][:1].isalpha():
                end -= 1
            if end > start:
                mentions.append(Mention(start, end, rule_id))
        return mentions

    # --------------------------------------------------------------- vetoes
    def _vetoed(self, doc: Tokens, mention: Mention) -> bool:
        start, end = mention.start, mention.end
        text = doc.span_text(start, end)
        words = [doc.lower[k] for k in range(start, end) if doc.is_alpha[k]]
        if not words or not any(c.isupper() for c in text):
            return True
        if end - start == 1 and text.isupper() and len(text) <= 5:
            return True  # acronyms: "BRI", "VOA"
        if self.countries.to_iso3(text) is not None:
            return True
        if words[-1] in self.veto_last or any(w in self.veto_words for w in words):
            return True
        if mention.rules == {self.forms.get("model")} and self._holds_country(doc, start, end):
            return True  # the model's PERSON over a headline ("Sri Lanka Struggles With ...")
        return all(w in self.title_words or w in self.skip or w in self.former for w in words)

    def _holds_country(self, doc: Tokens, start: int, end: int) -> bool:
        """Does a country name or demonym of one or two words stand inside tokens start..end?"""
        return any(self._country(doc, i, i + n) for n in (1, 2) for i in range(start, end - n + 1))

    # -------------------------------------------------------------- folding
    def _fold(self, doc: Tokens, mentions: list[Mention]) -> list[list[Mention]]:
        """Group mentions of one person: same gazetteer entry, or one name's words within the other's."""
        day = _published(doc.doc)
        for m in mentions:
            if m.leader is None:
                country = next((t.country for t in m.titles if t.country), None)
                roles = {t.role for t in m.titles if t.role}
                m.leader = self.gazetteer.lookup(m.text(doc), day, country, roles)
        keys = {id(m): name_key(m.text(doc)).split() for m in mentions}  # each name read once
        ordered = sorted(mentions, key=lambda m: (-len(keys[id(m)]), m.start))
        clusters: list[list[Mention]] = []
        for m in ordered:
            words = set(keys[id(m)])
            home = None
            candidates = []
            for cluster in clusters:
                full = set(keys[id(cluster[0])])
                same_leader = m.leader is not None and any(c.leader is m.leader for c in cluster)
                if same_leader or words <= full:
                    candidates.append(cluster)
            if candidates:
                before = [c for c in candidates if min(x.start for x in c) < m.start]
                home = max(before, key=lambda c: max(x.start for x in c if x.start < m.start)) if before \
                    else candidates[0]
            if home is None:
                clusters.append([m])
            else:
                home.append(m)
        return clusters

    def _record(self, doc: Tokens, cluster: list[Mention]) -> Person | None:
        day = _published(doc.doc)
        cluster.sort(key=lambda m: m.start)
        texts = [m.text(doc) for m in cluster]
        name = max(texts, key=lambda t: (len(name_key(t).split()), len(t)))
        leader = next((m.leader for m in cluster if m.leader), None)
        titles = [t for m in cluster for t in m.titles]
        if len(name_key(name).split()) < 2 and not titles and leader is None:
            return None  # a lone surname-like word with no title: too weak to be a person
        aliases: list[str] = []
        for m, text in zip(cluster, texts):
            for form in (text, m.title_alias if text != name else None):
                if form and form != name and form not in aliases:
                    aliases.append(form)
        current = [t for t in titles if not t.former] or titles
        roles: list[Role] = [t.role for t in current if t.role is not None]
        term = leader.term_on(day) if leader else None
        if term is not None and (not roles or day is None or term.covers(day.isoformat())):
            roles.append(term.role)  # an office held on the day, or the last one when the text gives none
        role: Role = max(roles, key=ROLE_RANK.__getitem__) if roles else "other"
        country = next((t.country for t in current if t.country), None) or \
            next((t.country for t in titles if t.country), None) or (leader.country if leader else None)
        if country is None and leader is None and role in self.rules.national_roles:
            country = self._main_country(doc.doc)  # "Finance Minister Asad Umar" in a story about Pakistan
        # provenance: the title rule that gave the role, else the gazetteer entry, else the form that found it
        deciding = next((t.rule for t in current if t.role is not None), None)
        rule = deciding or (leader.id if leader else current[0].rule if current else cluster[0].rule)
        first = cluster[0]
        title_texts = list(dict.fromkeys(t.text for t in titles))
        return Person(
            sentence=doc.span_text(*_sentence_bounds(doc, first.start, first.end)).strip(),
            start=doc.idx[first.start], end=doc.idx[first.end - 1] + len(doc.text[first.end - 1]), rule=rule,
            name=name, aliases=aliases, titles=title_texts, country=country, role=role, mentions=len(cluster),
        )

    def _dedupe(self, doc: Tokens, mentions: Iterable[Mention]) -> list[Mention]:
        """One mention per name span; overlapping spans keep the earliest source (titles first)."""
        kept: list[Mention] = []
        for m in mentions:
            if self._vetoed(doc, m):
                continue
            clash = next((k for k in kept if k.start < m.end and m.start < k.end), None)
            if clash is None:
                kept.append(m)
            elif m.start == clash.start and m.end > clash.end and "gazetteer" not in self._forms_of(clash):
                # a longer name to the right ("Donald J. Trump"); a gazetteer name is already complete
                clash.start, clash.end = m.start, m.end
                clash.absorb(m)
            else:  # the earlier source keeps its boundaries ("Zhang Xiao", not "Kazakhstan Zhang Xiao")
                clash.absorb(m)
        return kept

    def _forms_of(self, mention: Mention) -> set[str]:
        """The form names ("gazetteer", "model" ...) that produced a mention."""
        return {form for form, rule_id in self.forms.items() if rule_id in mention.rules}

    def mentions(self, doc: Doc) -> list[Mention]:
        """Every person mention in the doc, one per name span, vetoes applied (in source priority)."""
        return self._mentions(Tokens(doc))

    def _mentions(self, doc: Tokens) -> list[Mention]:
        titles = self._title_spans(doc.doc)
        names = [Span(doc.doc, s, e, label=m) for m, s, e in self.names(doc.doc)]
        found = self._dedupe(doc, [
            *self._gazetteer_mentions(titles, filter_spans(names)),
            *self._title_name_mentions(doc, titles, {s.start for s in names}),
            *self._name_title_mentions(doc, titles),
            *self._model_mentions(doc),
        ])
        return self._corroborated(doc, found)

    def _corroborated(self, doc: Tokens, mentions: list[Mention]) -> list[Mention]:
        """Names read from a title-case headline ("Vietnam's President Holds Talks With Lula" -> "Holds
        Talks"), where capitals do not mark names: kept when the gazetteer knows them, cut after their last
        word that recurs capitalised in the body, else cut before the first word shaped like a headline
        verb ("Thanks", "Pledges"); dropped when nothing is left."""
        if not doc.sentenced:
            return mentions
        headlines = headline_starts(doc)
        if not headlines:
            return mentions
        body: set[str] | None = None  # the capitalised words outside headlines, read once a name needs them
        kept = []
        for m in mentions:
            if doc.sent_start(m.start) not in headlines or m.leader is not None \
                    or self.gazetteer.lookup(m.text(doc)) is not None:
                kept.append(m)
                continue
            if body is None:
                body = {word for start, end in doc.sentences() if start not in headlines
                        for word in doc.text[start:end] if word[:1].isupper()}
            span = range(m.start, m.end)
            known = [k for k in span if doc.is_alpha[k] and len(doc.text[k]) > 1 and doc.text[k] in body]
            if known:  # "Envoy Aminata Traore Praises Ties": the name ends at its last word seen in the body
                m.end = known[-1] + 1
                kept.append(m)
                continue
            verb = next((k for k in span if _headline_verb(doc, k)), m.end)
            if verb > m.start:  # "Press Secretary Kirsten Allen on ...", "Maria Lopez Visits Ghana"
                m.end = verb
                kept.append(m)
        return kept

    def is_vetoed(self, span: Span) -> bool:
        """Would a veto reject this span as a person's name?"""
        return self._vetoed(Tokens(span.doc), Mention(span.start, span.end, ""))

    def __call__(self, doc: Doc) -> Doc:
        tokens = Tokens(doc)
        found = self._mentions(tokens)
        people = [p for c in self._fold(tokens, found) if (p := self._record(tokens, c))]
        doc._.people = sorted(people, key=lambda p: p.start)
        self._set_ents(tokens, [m for m in found if m.rule != self.forms.get("model")])
        return doc

    def _set_ents(self, doc: Tokens, mentions: list[Mention]) -> None:
        """Make every name found by a title or the gazetteer a PERSON entity, replacing overlapping labels;
        the entity's id is the leader's gazetteer id, else the form rule's. What `doc.ents = ours + others`
        does, written as a change: the other entities stay as they are, and what they lose (an entity
        that overlaps ours, a token with no entity tag) becomes outside."""
        ours = filter_spans([Span(doc.doc, m.start, m.end, label="PERSON",
                                  span_id=m.leader.id if m.leader else m.rule) for m in mentions])
        taken = {i for s in ours for i in range(s.start, s.end)}
        doc.doc.set_ents(ours, outside=[Span(doc.doc, start, end) for start, end in _runs(_cleared(doc, taken))],
                         default="unmodified")


def _cleared(doc: Tokens, taken: set[int]) -> list[int]:
    """The tokens outside `taken` that must become outside: tagged, but not in an entity of `doc.ents`
    that keeps all its tokens out of `taken`."""
    iob, types = doc.ent_iob, doc.ent_type
    tags = doc.doc.to_array([ENT_IOB, ENT_TYPE])
    tagged = np.flatnonzero((tags[:, 0] != _OUTSIDE) | (tags[:, 1] != 0)).tolist()
    kept: set[int] = set()
    for start in [i for i in tagged if iob[i] == "B" and types[i]]:
        entity = range(start, _entity_end(doc, start))
        if taken.isdisjoint(entity):
            kept.update(entity)
    return [i for i in tagged if i not in taken and i not in kept]


def _runs(indices: list[int]) -> list[tuple[int, int]]:
    """(start, end) of each run of consecutive indices (in ascending order)."""
    runs: list[tuple[int, int]] = []
    for i in indices:
        if runs and runs[-1][1] == i:
            runs[-1] = (runs[-1][0], i + 1)
        else:
            runs.append((i, i + 1))
    return runs


@Language.factory("diplo_people", assigns=["doc._.people", "doc.ents"], default_config={"rules_dirs": []})
def make_people(nlp: Language, name: str, rules_dirs: list[str]) -> PeopleExtractor:
    return PeopleExtractor(nlp, name, rules_dirs)


__all__ = ["PeopleExtractor", "PeopleFile", "make_people"]
