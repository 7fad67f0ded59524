"""One record per event: the candidates of a document, folded where they report the same event.

A later mention ("this visit", "the summit", "met again with") folds into the first report
and may lend it a date, a place or participants; "respectively" splits a meeting per
counterpart; a headline is the body's first event of its type; a past event later in the
paragraph of an event dated to one day happened that day. Pure functions over `Candidate`s,
so the rules of identity can be read apart from the parse-reading component.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass, field

from spacy.tokens import Doc, Token

from pipeline.components import event_syntax as syn
from pipeline.components.event_rules import TriggerRule
from pipeline.countries import countries
from pipeline.extensions import sentence_at, text_of

#: Ordinals that announce another event than any reported ('the next summit').
NEW_ORDINALS = {"next"}


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
    absorbed: bool = False
    retyped_by: str | None = None


def dedupe(cands: list[Candidate], title: int | None, first_mention_types: Collection[str],
           gatherings: Collection[str] = ()) -> list[Candidate]:
    """Keep the first report of each event; later references fold into it (lending a date
    or a place it lacked). 'respectively' splits an event per counterpart. A headline's
    event is the one the body first reports with that type."""
    kept: list[Candidate] = []
    title_end = syn.sentence_of(cands[0].trigger.doc[title]).end if title is not None and cands else None
    for cand in cands:
        for part in split(cand):
            earlier = earlier_mention(part, kept, gatherings)
            in_body = syn.sentence_of(part.trigger).start != title
            headline = [k for k in kept if k.type == part.type and in_body and title_end is not None
                        and title <= k.trigger.i < title_end and not k.absorbed]
            if earlier is None and part.rule.folds_into:
                earlier = host_event(part, kept)
            if earlier is None and headline and compatible(headline[0], part, loose=True):
                earlier = headline[0]
            for k in headline:
                k.absorbed = True  # only the body's first event of its type can be the headline's
            bare = part.anaphoric and part.rule.pos == "noun" and not syn.is_specific(part.trigger)
            if earlier is None and bare and part.type not in first_mention_types:
                continue  # 'the summit' with nothing before it: what it refers to was not reported as an event
            if earlier is None:
                kept.append(part)
            else:
                earlier.date_start = earlier.date_start or part.date_start
                earlier.date_end = earlier.date_end or part.date_end
                earlier.location = earlier.location or part.location
                earlier.names |= part.names
                earlier.participants = list(dict.fromkeys([*earlier.participants, *part.participants]))
    return kept


def split(cand: Candidate) -> list[Candidate]:
    """One candidate per counterpart with 'respectively'; else the counterparts join the participants."""
    groups = cand.counterparts
    sent = syn.sentence_of(cand.trigger)
    in_text = "respectively" in text_of(sent.doc)[sent.start_char:sent.end_char].lower()  # cheap necessary test
    respectively = in_text and any(t.lower_ == "respectively" for t in sent)
    if respectively and len(groups) > 1:
        out = []
        for group in groups:
            part = Candidate(**{**cand.__dict__, "counterparts": [group]})
            part.participants = list(dict.fromkeys([*cand.participants, *group]))
            out.append(part)
        return out
    cand.participants = list(dict.fromkeys([*cand.participants, *(a for g in groups for a in g)]))
    return [cand]


def host_event(cand: Candidate, kept: list[Candidate]) -> Candidate | None:
    """The call or meeting that a 'the two leaders discussed ...' took place in, if any: the
    latest one that shares a party with it (or any, when its parties are unnamed) and whose
    stated date, place and plan do not differ."""
    for k in reversed(kept):
        if k.type not in cand.rule.folds_into or not compatible(k, cand, loose=True):
            continue
        if (k.status == "planned") != (cand.status == "planned"):
            continue
        if not cand.participants or set(cand.participants) & set(k.participants):
            return k
    return None


def earlier_mention(cand: Candidate, kept: list[Candidate], gatherings: Collection[str] = ()) -> Candidate | None:
    """The kept event that `cand` mentions again, if any (see the module docstring). Two
    different `gatherings` nouns (the summit class: 'summit', 'conference') name two events."""
    same = [k for k in kept if k.type == cand.type]
    if not same or cand.ordinal in NEW_ORDINALS or cand.indefinite and not cand.anaphoric:
        return None
    if cand.rule.pos == "verb":
        sent = syn.sentence_of(cand.trigger)
        for k in reversed(same):
            if sent.start <= k.trigger.i < sent.end and k.rule.pos == "verb" and not (
                    cand.participants and k.participants):
                return k  # "officials will meet regularly; ministers will meet yearly": one report
    if cand.type == "visit" and cand.location and not cand.indefinite:
        for k in reversed(same):
            if k.location == cand.location and not conflict(k.date_start, cand.date_start):
                return k  # "during the visit to Kazakhstan": the destination names the visit
    if cand.anaphoric:
        fitting = [k for k in same if compatible(k, cand, loose=True)]
        if not fitting and cand.rule.pos == "noun" and syn.is_specific(cand.trigger):
            return None  # "his visit to Pyongyang" after a visit elsewhere: another visit
        return (fitting or same)[-1]
    for k in reversed(same):
        if conflict(k.ordinal, cand.ordinal) or conflict(k.date_start, cand.date_start):
            continue
        if conflict(k.head, cand.head) and {k.head, cand.head} <= gatherings:
            continue  # "the ASEAN-U.S. Summit" is not "the ASEAN-U.S. Post-Ministerial Conference"
        if cand.date_start and cand.date_start == k.date_start and cand.theme and cand.theme == k.theme:
            return k  # a second caption of the same inauguration: same object, same day
        if cand.keys & {p.casefold() for p in k.participants}:
            return k  # "We have convened ..." then "this first summit of the Quad"
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
        if cand.type != "signing" and cand.participants and compatible(k, cand, loose=False) and (
                cand.type != "summit" or k.head is None or cand.head is None or k.head == cand.head):
            return k
    return None


def conflict(a: str | None, b: str | None) -> bool:
    """Two stated values that differ (a missing one never conflicts)."""
    return a is not None and b is not None and a != b


def places_conflict(a: str | None, b: str | None, loose: bool) -> bool:
    """Two stated places that differ. Loosely (a headline, a reference), a city the gazetteer
    cannot place ('Accra') may lie in a stated country ('GHA'); 'Pyongyang' is not in 'VNM'."""
    if a is None or b is None or a == b:
        return False
    codes = [countries().to_iso3(a), countries().to_iso3(b)]
    if codes[0] and codes[0] == codes[1]:
        return False
    return not (loose and None in codes and any(c and len(p) == 3 and p.isupper() for c, p in zip(codes, (a, b))))


def compatible(old: Candidate, new: Candidate, loose: bool) -> bool:
    """Could `new` be a later mention of `old`? Nothing stated differs, and its parties are among old's."""
    if conflict(old.date_start, new.date_start) or (conflict(old.ordinal, new.ordinal) and not loose):
        return False
    if places_conflict(old.location, new.location, loose):
        return False
    if loose:
        return True
    if (old.status == "planned") != (new.status == "planned"):
        return False  # "looked forward to meeting" is not the meeting being reported
    if old.theme and new.theme and not (new.theme <= old.theme or old.theme <= new.theme):
        return False
    mine, theirs = set(new.participants), set(old.participants)
    if new.type == "visit" and mine and theirs and (mine <= theirs or theirs <= mine):
        return True  # one traveller, one trip: "his first visit" ... "X welcomed him to Beijing"
    return len(mine & theirs) >= 2 or bool(mine) and mine == theirs


def paragraph_of(token: Token) -> int:
    """Start offset of the paragraph (text between blank lines) that holds a token."""
    return text_of(token.doc).rfind("\n\n", 0, token.idx)


def share_occasion_dates(events: list[Candidate]) -> None:
    """'Today, X welcomed Y to the White House. The two leaders discussed ...': a past event of
    the same parties, later in the paragraph of an event dated to one day, happened that day."""
    for source in events:
        if source.date_start is None or len(source.date_start) != 10 or source.date_end is not None:
            continue
        paragraph = paragraph_of(source.trigger)
        for event in events:
            later = event.trigger.i > source.trigger.i and paragraph_of(event.trigger) == paragraph
            shared = len(set(event.participants) & set(source.participants)) >= 2
            if later and shared and event.date_start is None and event.status == "past":
                event.date_start = source.date_start


def title_sentence(doc: Doc) -> int | None:
    """Start token of the headline: the first sentence when it repeats `doc._.title`."""
    title = str(getattr(doc._, "title", "") or "").strip()
    if not len(doc) or not title:
        return None
    first = sentence_at(doc, 0)
    return first.start if first.text.strip() == title else None


def status_from_date(cand: Candidate, published: dt.date | None) -> None:
    """A date after publication makes an event planned; a present-tense caption of a past date is past."""
    start = syn.iso_to_date(cand.date_start) if cand.date_start and published else None
    if start is None or published is None:
        return
    if start > published:
        cand.status = "planned"
        cand.mode = cand.mode or "future"
    elif cand.status == "ongoing" and start < published:
        cand.status = "past"
