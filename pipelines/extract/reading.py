"""What one sentence says, read with its language's pack: triggers, dates, casualties and
the cues that tell a report of an event from background, statistics, reactions and quotes.

Pure functions of text; `pipelines.extract.grouping` turns readings into events.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cache

from pipelines.extract.casualties import Casualties, count_after, count_casualties
from pipelines.extract.dates import DateMention, find_dates
from pipelines.extract.language import CaseFree, LanguagePack, lowered
from pipelines.extract.triggers import Trigger, find_triggers
from pipelines.ingest.dateline import DATELINE

# Cues that make a sentence context rather than news, unless it dates what it reports to the
# day ("In the deadliest attack this year, gunmen killed 40 people on Sunday" is news).
CONTEXT_CUES = ("aggregate", "background")
# Cues that make a sentence no event at all: an earthquake that killed thousands.
NOT_EVENT_CUES = ("disaster",)
# The least count `SentenceReading.running_total` reads as a running total when undated.
RUNNING_TOTAL = 1000
# A sentence mostly inside quotation marks is a quote: it may add to an event, not open one.
QUOTED_SHARE = 0.5
_QUOTED = re.compile(r'"[^"]{3,}"|«[^»]{3,}»')


@cache
def _case_free(pattern: re.Pattern) -> CaseFree:
    """The cue as run on lowered sentences (every cue of every pack: a few hundred)."""
    return CaseFree.of(pattern)


class SentenceCues(AbstractSet[str]):
    """The names of the pack's cues found in a sentence, each searched the first time it is
    asked about. A reading is asked about a dozen of a pack's thirty cues, and only for
    sentences that may open or join an event; the others (negation, hedging, future...) are
    searched by their own readers on parts of the sentence. A set otherwise: `in`, `&`,
    iteration and equality behave as for the set of every cue found. Ask whether any of
    several cues is found with `isdisjoint`, which stops at the first found, not with `&`,
    which searches every one."""

    def __init__(self, text: str, patterns: dict[str, re.Pattern],
                 other_texts: dict[str, Callable[[], str]] | None = None):
        """`other_texts`: cue name -> the text that cue is searched in instead (made when
        first needed)."""
        self._text = text
        self._low = lowered(text)
        self._patterns = patterns
        self._other_texts = other_texts or {}
        self._found: dict[str, bool] = {}

    def opens_with(self, name: str, chars: int) -> bool:
        """Whether the cue is found starting within the sentence's first `chars` characters."""
        pattern = self._patterns.get(name)
        found = _case_free(pattern).search(self._text, self._low) if pattern else None
        return found is not None and found[0] <= chars

    def __contains__(self, name: object) -> bool:
        found = self._found.get(name)  # type: ignore[call-overload]
        if found is None:
            pattern = self._patterns.get(name)  # type: ignore[call-overload]
            other = self._other_texts.get(name)  # type: ignore[call-overload]
            if pattern is None:
                found = False
            else:
                text = other() if other else self._text
                found = _case_free(pattern).search(
                    text, lowered(text) if other else self._low) is not None
            self._found[name] = found  # type: ignore[index]
        return found

    def __iter__(self) -> Iterator[str]:
        return iter([name for name in self._patterns if name in self])

    def __len__(self) -> int:
        return sum(1 for _ in self)

    @classmethod
    def _from_iterable(cls, names: Iterable[str]) -> set[str]:
        return set(names)  # what `&`, `|` and `-` return: a plain set

    def __repr__(self) -> str:
        return repr(set(self))


@dataclass
class SentenceReading:
    text: str
    start: int  # offset of the sentence in the article body
    language: str
    triggers: list[Trigger]  # live ones: neither negated nor hedged
    dates: list[DateMention]  # offsets in the article body
    casualties: Casualties
    cues: AbstractSet[str] = field(default_factory=set)
    quoted: bool = False
    subgroup: bool = False  # its count is part of a total ('two of the dead were children')
    # Body offsets of a clause telling an earlier event ('..., days after airstrikes on
    # Paktika'): its words, dates and places are not this sentence's event.
    aside: tuple[int, int] | None = None

    def in_aside(self, offset: int) -> bool:
        return self.aside is not None and self.aside[0] <= offset < self.aside[1]

    @property
    def context(self) -> bool:
        """Statistics, trends or background: no event of its own."""
        # 'killed since Thursday': with a count, a date after 'since' starts the period of a
        # total; without one ('a sit-in running since December 27 ended') it still dates.
        total = self.casualties.fatalities is not None or self.casualties.injuries is not None
        dated = any(d.precision in {"day", "week"} and not (d.source == "since" and total)
                    and not self._in_dateline(d) for d in self.dates)
        # (`isdisjoint` stops at the first cue found: each cue not asked is not searched)
        return not self.cues.isdisjoint(NOT_EVENT_CUES) or (
            not dated and not self.cues.isdisjoint(CONTEXT_CUES)) or self.running_total

    def _in_dateline(self, mention: DateMention) -> bool:
        """Whether the date is the one of the dateline the sentence opens with ('MAPUTO, 25
        November 2026 – At least 120 children have been abducted ... since January'): the
        day the report was filed, which dates nothing the sentence tells."""
        found = DATELINE.match(self.text)
        return found is not None and found.group("date") is not None and \
            mention.start - self.start < found.end()

    @property
    def running_total(self) -> bool:
        """A count this large told without a day of its own is a war's, a country's or a
        year's running total ('the conflict has killed more than 6,500 people', '4,619 violent
        deaths in the first half of the year'): no event, nor the toll of the one it would join."""
        count = max(self.casualties.fatalities or 0, self.casualties.injuries or 0)
        return count >= RUNNING_TOTAL and not any(d.precision == "day" for d in self.dates)

    @property
    def opens(self) -> bool:
        """Whether this sentence can start an event. Quotes only add to one; so do reactions
        and corrections, unless they date what they report to the day ("officials said in a
        statement that a roadside bomb killed two soldiers on Monday"). A quote that dates what
        it tells by its date ('"On 4 November, artillery shelling hit residential houses in X,
        killing two civilians"': a statement quoted at length) reports an event."""
        if self.quoted and not any(d.precision == "day" and d.source == "explicit"
                                   for d in self.dates):
            return False
        # 'An earlier version of this story reported that 30 people were killed in X', 'the
        # first reports said 30 had died in Y': a sentence about a report the article replaces
        # (named at its opening) tells of an event the article tells (elsewhere, or nowhere if
        # the report was wrong), never one of its own. ('The toll of Monday's bombing rose to
        # nine, after a first official toll of five' tells its event.)
        # 'El valle de Sula vivió una semana convulsa: el asesinato de ..., un paro ...', 'La
        # Casamance a vécu une semaine contrastée, entre ...': a lead naming the week's or the
        # day's events at once (cue `roundup`) tells each of them again further on, in its own
        # paragraph; typed by one of its clauses, it would be an event of none.
        if "roundup" in self.cues:
            return False
        if "superseded" in self.cues and isinstance(self.cues, SentenceCues) and \
                self.cues.opens_with("superseded", OPENING_CLAUSE_CHARS):
            return False
        # The day words were spoken dates an event only when they report one ('police said
        # on Monday that...'), not a reaction ('called the killing painful at his press
        # conference on Friday').
        dated = any(d.precision == "day" and (d.source != "report" or "source_verb" in self.cues)
                    for d in self.dates)
        # 'Ils ont été déférés au parquet de X', 'fueron puestos a disposición del juzgado en
        # Y': a step in the custody of people arrested before (cue `custody`) adds to the
        # arrests told, at the court's or the cell's town; it reports no arrest of its own.
        return dated or self.cues.isdisjoint({"reaction", "correction", "custody"})

    @property
    def is_candidate(self) -> bool:
        return bool(self.triggers) and not self.context


def read_sentence(text: str, start: int, pack: LanguagePack, published: date | None,
                  published_precision: str, live_only: bool = False) -> SentenceReading | None:
    """What the sentence says. `live_only`: None when no trigger is live (negated, hedged or in
    an aside), before its dates, tolls and quotes are read, which a sentence that can open no
    event does not need (a quarter of the sentences the trigger screen lets through)."""
    # Background is searched without the clauses that describe a place or a person.
    cues = SentenceCues(text, pack.cues, {"background": lambda: _descriptions_masked(text, pack)})
    # A recap ('the attack comes days after ...') tells its earlier event in full; only a
    # second event told beside it ('..., and said a separate mine killed two') is set aside.
    aside = _aside(text, pack, ("other_clause",) if "recap" in cues else ASIDE_CUES)
    low, high = aside or (0, 0)

    def outside(offset: int) -> bool:
        return not low <= offset < high

    triggers = [t for t in find_triggers(text, pack) if not t.negated and outside(t.start)]
    if live_only and not triggers:
        return None
    future = pack.cue("future")
    dates = [DateMention(d.date, d.precision, d.source, d.start + start, d.end + start, d.text)
             for d in find_dates(text, published, published_precision, pack)
             if outside(d.start) and not (future and future.search(text[max(0, d.start - 35):d.start]))]
    dates = [d if _inside_trigger(d, start, triggers) else
             replace(d, source=_date_source(d, text[:d.start - start], pack,
                                            text[d.end - start:])) for d in dates]
    dates = _revision_day(dates, cues)
    quoted = sum(len(m.group(0)) for m in _QUOTED.finditer(text)) > QUOTED_SHARE * len(text)
    counted = text[:low] + " " * (high - low) + text[high:] if aside else text
    casualties = _updated_toll(counted, count_casualties(counted, pack), cues, pack)
    return SentenceReading(text, start, pack.code, triggers, dates, casualties, cues, quoted,
                           _subgroup(counted, casualties, pack),
                           (low + start, high + start) if aside else None)


def _updated_toll(text: str, casualties: Casualties, cues: AbstractSet[str],
                  pack: LanguagePack) -> Casualties:
    """An update's toll is the number it says the count rose to ('the number of civilians
    killed has risen to 11, up from five deaths reported on Monday': 11), not the last count
    of the sentence, which is often the superseded one."""
    update = pack.cue("update")
    if casualties.fatalities is None or update is None or "update" not in cues:
        return casualties
    for match in update.finditer(text):
        value = count_after(text, match.end(), pack)
        if value is not None:
            return replace(casualties, last_fatalities=value)
    return casualties


def _revision_day(dates: list[DateMention], cues: AbstractSet[str]) -> list[DateMention]:
    """'The command on Friday revised to nine the toll of the raid late on Wednesday': in a
    sentence that corrects or updates a toll and names two days, the later one is the day of
    the correction (a report's day, `source` 'report'), the earlier the event's: a toll is
    never revised before the event it counts."""
    days = [d for d in dates if d.precision == "day" and d.source not in {"report", "since"}]
    if len({d.date for d in days}) < 2 or cues.isdisjoint({"correction_verb", "update"}):
        return dates
    latest = max(d.date for d in days)
    return [replace(d, source="report") if d in days and d.date == latest else d for d in dates]


def _inside_trigger(mention: DateMention, start: int, triggers: list[Trigger]) -> bool:
    """Whether a date is written inside the words of a trigger ('aseguraron el martes
    20 fusiles', 'seized on Tuesday a cache of'): it dates that event, whatever verb of speech
    the trigger's first word may also be ('aseguraron': seized, or asserted)."""
    return any(t.start < mention.start - start < t.end for t in triggers)


def _descriptions_masked(text: str, pack: LanguagePack) -> str:
    """The sentence without the clauses between commas that describe a place or a person
    ('In Bè, a district near the lagoon that has been an opposition stronghold for decades,
    youths erected barricades'): what they say of the past is no background of the event."""
    pattern = _description_pattern(pack)
    return pattern.sub(lambda m: " " * len(m.group(0)), text) if pattern else text


@cache
def _description_pattern(pack: LanguagePack) -> re.Pattern | None:
    openers = pack.cue_phrases.get("clause_opener")
    if not openers:
        return None
    return re.compile(rf",[^,;]*?\b(?:{'|'.join(openers)})\b[^,;]*(?=,)", re.I)


@cache
def _spoke_before(pack: LanguagePack) -> re.Pattern | None:
    """A source verb right before a date: 'said on Monday', 'told AFP late on Tuesday', 'a
    déclaré lundi' date the statement, not the event; so does a verb that corrects a toll ('the
    ministry lowered on Thursday the toll of Tuesday's riot': cue `correction_verb`)."""
    verb = pack.cue_phrases.get("source_verb", []) + pack.cue_phrases.get("correction_verb", [])
    if not verb:
        return None
    # Between verb and date only who was told and when: 'told AFP late on', 'said in a
    # statement on'; 'said the attack on Monday...' dates the attack.
    between = (r"(?:\s+(?:(?-i:[A-Z][\w.]*)|reporters|journalists|a statement"
               r"|in|on|at|late|early|last|this|le|el|la))")
    return re.compile(rf"(?<!\w)(?:{'|'.join(verb)}){between}{{0,4}}\s*$", re.I)


def _date_source(mention: DateMention, before: str, pack: LanguagePack, after: str = "") -> str:
    """'report' for the day words were said ('police said on Monday', 'at his press
    conference on Friday', 'the police on Monday revised the toll'), 'since' for the start of
    a period ('killed since Thursday'; the date's own first word counts: 'since Thursday' is
    one mention), else what it was."""
    spoke, occasion, since = _spoke_before(pack), _occasion_before(pack), _since_before(pack)
    if (spoke and spoke.search(before[-40:])) or (occasion and occasion.search(before[-70:])) \
            or _spoke_after(after, pack):
        return "report"
    if since and (since.search(before[-40:]) or since.match(mention.text.split(" ")[0])):
        return "since"
    return mention.source


def _spoke_after(after: str, pack: LanguagePack) -> bool:
    """A date between the subject and its source or correction verb: 'the police command on
    Thursday revised the toll', 'officials on Monday said' date the statement, not the event
    it is about. Only an adverb may stand between the date and the verb; a comma ends the
    reach ('the raid on Monday, police said, killed two' dates the raid)."""
    pattern = _verb_after(pack)
    return pattern is not None and pattern.match(after) is not None


@cache
def _verb_after(pack: LanguagePack) -> re.Pattern | None:
    verb = pack.cue_phrases.get("source_verb", []) + pack.cue_phrases.get("correction_verb", [])
    if not verb:
        return None
    return re.compile(rf"\s+(?:\w+ly\s+|also\s+)?(?:{'|'.join(verb)})\b", re.I)


@cache
def _occasion_before(pack: LanguagePack) -> re.Pattern | None:
    """An occasion of speech a few words before a date: 'at his morning press conference on
    Friday', 'in a speech at a Damascus mosque on Sunday' date the words, not the event they
    are about. A clause opening between them ('a statement that gunmen attacked ... on
    Monday') gives the date back to the event."""
    occasion = pack.cue_phrases.get("occasion")
    clause = pack.cue_phrases.get("clause_opener") or ["that"]
    if not occasion:
        return None
    word = rf"(?!(?:{'|'.join(clause)})\b)[\w'’.-]+"
    return re.compile(rf"(?<!\w)(?:{'|'.join(occasion)})(?:\s+{word}){{0,7}}\s*$", re.I)


@cache
def _since_before(pack: LanguagePack) -> re.Pattern | None:
    """'since' a few words before a date: 'killed since Thursday', 'since the protests began on
    October 21' date the start of a period a total covers, not an event."""
    since = pack.cue_phrases.get("since")
    if not since:
        return None
    return re.compile(rf"(?<!\w)(?:{'|'.join(since)})(?:\s+[\w'’-]+){{0,4}}\s*$", re.I)


# An opening clause ('Two days after the attack, police...') ends at its comma; one further on
# runs to the end of the sentence ('...on Saturday, days after airstrikes on Paktika').
OPENING_CLAUSE_CHARS = 20


# The cues of clauses that tell another event than the sentence's (`_aside`).
ASIDE_CUES = ("earlier_clause", "other_clause", "total_clause", "concessive_clause")


def _aside(text: str, pack: LanguagePack, names: tuple[str, ...] = ASIDE_CUES
           ) -> tuple[int, int] | None:
    """The span of a clause that tells another event: an earlier one (the pack's
    `earlier_clause` cue, 'days after...'), one beside it (`other_clause`, ', while in the
    hills drones dropped explosives'; a lead told that way tells the other event again
    further on), a war's running total (`total_clause`, 'a war ... that has killed dozens
    of people': its count and words are no event of the sentence), or what goes on despite
    the event (`concessive_clause`, ', despite weeks of protests': up to its comma)."""
    found = min((m for name in names
                 if (cue := pack.cue(name)) and (m := cue.search(text))),
                key=lambda m: m.start(), default=None)
    if found is None:
        return None
    if found.start() <= OPENING_CLAUSE_CHARS or found.re is pack.cue("concessive_clause") \
            or _after_opening_phrase(text[:found.start()], pack):
        # '..., despite talks in Geneva, killing two': a concessive clause ends at its comma.
        comma = text.find(",", found.end())
        if comma < 0 and found.start() > OPENING_CLAUSE_CHARS:
            comma = len(text)
        return (found.start(), comma) if comma > 0 else None
    return found.start(), len(text)


# The most words a sentence's opening phrase ('On Wednesday morning,', 'In the town centre,')
# has before a clause about an earlier event set off by commas.
OPENING_PHRASE_WORDS = 5


def _after_opening_phrase(before: str, pack: LanguagePack) -> bool:
    """'On Wednesday morning, a day after the killing of X, youths stoned the station': a
    clause about an earlier event right after a short opening phrase that tells nothing of
    its own (no trigger) is set off by commas, and the sentence's event comes after it."""
    phrase = before.rstrip()
    return phrase.endswith(",") and "," not in phrase[:-1] and \
        len(phrase.split()) <= OPENING_PHRASE_WORDS and not find_triggers(phrase, pack)


def _subgroup(text: str, casualties: Casualties, pack: LanguagePack) -> bool:
    """Whether the sentence's death count is a part of a total given elsewhere: a subgroup
    cue before or inside the counted phrase ('among the dead were...', 'two of those killed')."""
    cue = pack.cue("sub_group")
    if cue is None or not casualties.fatality_text:
        return False
    counted = casualties.fatality_text.split("; ")[0]
    position = text.find(counted)
    found = cue.search(text)
    return found is not None and position >= 0 and found.start() < position + len(counted)
