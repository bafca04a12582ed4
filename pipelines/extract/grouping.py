"""Sentences into events: one incident per event an article reports.

An article tells its main event in the headline and lead, adds details, quotes and reactions,
recalls earlier events and gives background. Each sentence that reports something is a
*frame* (what, when, where, who, how many); frames that describe the same event (compatible
type, date and place) fuse into one event, wherever they sit in the article. A sentence with
its own date or its own place starts another event; a quote or a reaction only adds to an
event already told; a recap ("the attack comes days after gunmen killed nine in ...") never
adds to the event before it.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import TYPE_CHECKING

from pipelines.extract.dates import DateMention
from pipelines.extract.entities import FINEST_FIRST, Mention
from pipelines.extract.reading import SentenceReading
from pipelines.extract.text import fold
from pipelines.extract.triggers import ARMED, HARM_KINDS, STATE, choose_event, crowd_violence

if TYPE_CHECKING:
    from pipelines.extract.classifier import Prediction

VIOLENT_TYPES = {"Battles", "Violence against civilians", "Explosions/Remote violence", "Riots"}
CROWD_TYPES = {"Protests", "Riots"}
# Kinds a later sentence may add to the lead's when typing an event: the weapon used and the
# casualties (an attack 'with a roadside bomb', a looting 'that left two dead').
DETAIL_KINDS = {"drone", "shelling", "explosive", "grenade", "suicide", "chemical", "kill",
                "kidnap", "sexual"}
# How a crowd event developed, told after its lead: barricades, stones, tear gas, deaths.
CROWD_KINDS = {"protest", "riot", "barricade", "destruction", "intervention", "injure", "arrest"}
# How far (in sentences) a sentence without date or place of its own still adds to an event.
DETAIL_REACH = 3
# Places this close are one place (a town and its own outskirts); neighbouring districts are not.
NEAR_KM = 2.0
# A sentence with neither date nor place of its own opens an event only with words this sure.
STRONG_TRIGGER = 0.7
BROAD_KINDS = {"country", "admin1", "region"}
SETTLEMENT_KINDS = {"city", "locality", "neighbourhood"}
# What violence leaves behind: part of the violent event it follows, never its lead.
AFTERMATH = {"Disrupted weapons use", "Looting/property destruction"}
TERRITORY = {"Non-state actor overtakes territory", "Government regains territory"}
TRANSFER = "Non-violent transfer of territory"
# What a toll is told with: deaths and injuries, no act of its own.
TOLL_KINDS = {"kill", "injure"}
# 'killed by gunmen', 'tués par des bandits', 'asesinados por': the agent of a passive verb.
PASSIVE_AGENT_WORDS = ("by", "par", "por")
# How far after a verb its 'by' may come and still name its agent.
AGENT_REACH = 40
# At most this many words between a harm and who it befell ('killed at least five police
# officers'); a name further on is another noun's ('a convoy travelling under police escort').
OBJECT_WORDS = 5


@dataclass
class Frame:
    index: int  # sentence index
    reading: SentenceReading
    mentions: list[Mention]  # participants and places of the sentence
    places: list[Mention]  # places where something may have happened (no dateline)
    sources: list[Mention] = field(default_factory=list)  # who reports it ('police said')
    # A toll told with its source that joined an event only because it is a toll
    # (`_toll_report`): its count stands only when nothing else counts the event's dead.
    toll_only: bool = False
    # Places the sentence takes a direction from ('Y, 30 km north of X'): landmarks, not
    # where the event happened (`article._off_reference_points`).
    landmarks: list[Mention] = field(default_factory=list)
    # Places named after a place preposition ('near X', 'à Y'): where the sentence's own act
    # happened, not a source's or a building's name (`article._sited`).
    sited: list[Mention] = field(default_factory=list)
    # The first event sentence of a numbered item ('3. DISTRICT – 25 Nov. ...'): each item of
    # a bulletin is its own event (`article._item_heading`).
    new_item: bool = False

    @property
    def date(self) -> DateMention | None:
        """The date the sentence gives its event; not the day a source spoke ('police said on
        Monday'), which only dates an event nothing else dates (`report_date`)."""
        told = [d for d in self.reading.dates if d.source != "report"]
        dated = [d for d in told if d.precision in {"day", "week"}]
        return dated[0] if dated else (told[0] if told else None)

    @property
    def report_date(self) -> DateMention | None:
        return next((d for d in self.reading.dates if d.source == "report"), None)

    @property
    def place(self) -> Mention | None:
        return most_specific(self.places)

    @cached_property  # a frame's sentence does not change; events ask for its type often
    def event_type(self) -> tuple[str, str] | None:
        chosen = choose_event(self.reading.triggers, categories(self.mentions),
                              agent_categories(self), harm_sides(self))
        return (chosen[0], chosen[1]) if chosen else None


def agent_categories(frame: Frame) -> set[str]:
    """Categories of the participants named before the sentence's first trigger: who acts."""
    first = min((t.start for t in frame.reading.triggers), default=0) + frame.reading.start
    return {m.entry.category for m in frame.mentions
            if m.entry.category and m.start < first
            and m.entry.entity_table in {"actors", "institutions"}}


def harm_sides(frame: Frame) -> tuple[set[str], set[str]]:
    """Categories of the participants who did the sentence's first harm and of those it fell
    on. In the active voice the doers are named before its word and the harmed first after
    it, in its clause ('gunmen killed two police officers'); in the passive the harmed are
    named last before it, in its clause, and the doers after 'by' ('two soldiers were shot
    dead by militiamen'). Nothing when no harm."""
    reading = frame.reading
    harm = next((t for t in reading.triggers if t.kind in HARM_KINDS), None)
    if harm is None:
        return set(), set()
    text = reading.text.lower()
    by_at = min((i for i in (text.find(f" {w} ", harm.end) for w in PASSIVE_AGENT_WORDS)
                 if 0 <= i - harm.end < AGENT_REACH), default=None)
    passive = harm.passive or by_at is not None
    named = [(m.start - reading.start, m.end - reading.start, m.entry.category)
             for m in frame.mentions
             if m.entry.category and m.entry.entity_table in {"actors", "institutions"}]
    low, high = harm.clause

    def near(a: int, b: int) -> bool:  # the object of the word, not a noun further on
        return len(reading.text[a:b].split()) <= OBJECT_WORDS

    if passive:
        doers = {c for start, _, c in named if by_at is not None and start > by_at}
        before = [start for start, end, _ in named
                  if low <= start and end <= harm.start and near(end, harm.start)]
        harmed_at = max(before, default=None)
    else:
        doers = {c for start, _, c in named if start < harm.start}
        after = [start for start, _, _ in named
                 if harm.end <= start < high and near(harm.end, start)]
        # With nobody named before it, the word is a noun ('l'attaque attribuée aux
        # rebelles'), and who follows it may be its author: who it befell is not told.
        harmed_at = min(after, default=None) if doers else None
    return doers, {c for start, _, c in named if start == harmed_at}


@dataclass
class Event:
    frames: list[Frame] = field(default_factory=list)
    # Set when no rule opened the event: the classifier's reading of a whole short report
    # (`article.type_short_report`), which types it.
    reported: Prediction | None = None
    # `event_type` and the frames it was chosen from: grouping asks the type of every event
    # told before for each new sentence, and most have not changed since.
    _typed: tuple[list[Frame], tuple[str, str] | None] | None = field(
        default=None, init=False, repr=False, compare=False)

    @property
    def first(self) -> int:
        return self.frames[0].index

    @property
    def last(self) -> int:
        return self.frames[-1].index

    @property
    def date(self) -> DateMention | None:
        dates = [f.date for f in self.frames if f.date is not None]
        precise = [d for d in dates if d.precision in {"day", "week"}]
        reported = [f.report_date for f in self.frames if f.report_date is not None]
        return (precise or dates or reported or [None])[0]

    @property
    def place(self) -> Mention | None:
        """The place of the first sentence that names a specific one; but when that sentence
        says only that it happened in some village of it ('in a village of the X commune'), the
        village inside it that a later sentence names ('the village of Y, in X')."""
        for frame in self.frames:
            specific = [p for p in frame.places if p.entry.kind not in BROAD_KINDS]
            if specific:
                told = most_specific(specific)
                if "unnamed_settlement" not in frame.reading.cues:
                    told = self._settlement_in_district(told, frame) or told
                    return self._site_near(told) or told
                inside = [p for f in self.frames for p in f.places
                          if p.entry.parent_key == told.entry.key]
                inside = inside or self._village_named_after(frame)
                return most_specific(inside) if inside else told
        return most_specific([p for f in self.frames for p in f.places])

    def _village_named_after(self, lead: Frame) -> list[Mention]:
        """'A jet bombed a village in X Township ... The bombs fell on Y, a village west of X
        town': a village a later sentence of the event names, that nothing places elsewhere
        (the text anchors it to no known place), is the village the lead did not name."""
        return [p for f in self.frames if f.index > lead.index for p in f.places
                if p.entry.kind == "locality" and not located(p)]

    def _settlement_in_district(self, told: Mention, frame: Frame) -> Mention | None:
        """'Gunmen took Lorabi, the seat of Keman County': a district is where the event's
        town lies, not a finer place. A town the gazetteer lacks (nothing locates it, so it
        lost to the district) is the place when its sentence names it just before the
        district, or when a sentence of the event names it as the district is named ('in
        Keman Township ... in Keman town'). It hangs from the district, whose position it
        takes."""
        if told.entry.kind != "admin2" or not located(told):
            return None
        before = [p for p in frame.places if p.end <= told.start and not located(p)
                  and p.entry.kind in SETTLEMENT_KINDS]
        stem = fold(told.entry.name).rsplit(" ", 1)[0]
        namesakes = [p for f in self.frames for p in f.places
                     if p.entry.kind in SETTLEMENT_KINDS and fold(p.entry.name) == stem]
        settlement = max(before, key=lambda p: p.start) if before else \
            (namesakes[0] if namesakes else None)
        if settlement is None or located(settlement):
            return settlement
        district = told.entry
        parent = district.key if district.latitude is not None else district.parent_key
        return replace(settlement, entry=settlement.entry._replace(
            key=f"{settlement.entry.key}:{parent}", parent_key=parent,
            admin1=district.admin1 or settlement.entry.admin1))

    def _site_near(self, told: Mention) -> Mention | None:
        """'Fighting near X killed nine ... The fighting broke out at Y, a mining site 30 km
        north of X': a later sentence of the event that places it by the lead's town, taken
        as a landmark, names the site where it happened."""
        for frame in self.frames[1:]:
            if any(m.entry.key == told.entry.key for m in frame.landmarks):
                site = most_specific([p for p in frame.places if p.entry.kind not in BROAD_KINDS])
                if site is not None:
                    return site
        return None

    @property
    def triggers(self):
        return [t for f in self.frames for t in f.reading.triggers]

    @property
    def mentions(self) -> list[Mention]:
        return [m for f in self.frames for m in f.mentions]

    @property
    def sources(self) -> list[Mention]:
        return [m for f in self.frames for m in f.sources]

    @property
    def event_type(self) -> tuple[str, str] | None:
        """Chosen from the frames, again only when they have changed (once grouped, a frame's
        reading and mentions do not change: `Frame.event_type` is cached too)."""
        if self._typed is None or not _same_frames(self._typed[0], self.frames):
            chosen = choose_event(self.typing_triggers, categories(self.mentions),
                                  agent_categories(self.lead), harm_sides(self.lead))
            self._typed = (list(self.frames), (chosen[0], chosen[1]) if chosen else None)
        return self._typed[1]

    @property
    def lead(self) -> Frame:
        """The sentence that opened the event: what happened, as the article first tells it."""
        return next((f for f in self.frames if f.reading.opens), self.frames[0])

    @property
    def peaceful(self) -> bool:
        """A peaceful protest the account says passed without incident ('la marcha concluyó
        sin incidentes'): a death or an attack told beside it (a reaction to another event's
        death) does not make it violent."""
        return self.lead.event_type == ("Protests", "Peaceful protest") and any(
            "peaceful" in f.reading.cues for f in self.frames)

    @property
    def typing_triggers(self):
        """The triggers that decide the event's type: the lead's, plus those of later
        sentences that tell how a crowd event developed (barricades, tear gas, deaths) or
        what a vague lead ('gunshots were heard') turned out to be. Other details (an
        'attack' word in a looting report, a 'march' the gangsters stopped) do not retype
        the event."""
        lead = self.lead
        lead_type = lead.event_type
        if lead_type is None or lead_type[0] == "Strategic developments" and \
                lead_type[1] == "Other":
            return self.triggers
        if self.peaceful:
            return lead.reading.triggers
        crowd = lead_type[0] in CROWD_TYPES or self._toll_of_a_riot()
        kinds = DETAIL_KINDS | (CROWD_KINDS if crowd else set()) | \
            ({"lynch"} if self._killing_by_a_mob() else set())
        if lead_type[1] == "Abduction/forced disappearance":
            # What captors did to the people they took ('beaten and sexually assaulted by
            # their captors') is part of the abduction, which ACLED codes as such.
            kinds = kinds - {"sexual"}
        extra = [t for f in self.frames if f is not lead for t in f.reading.triggers
                 if t.kind in kinds]
        return lead.reading.triggers + extra

    def _killing_by_a_mob(self) -> bool:
        """'Yon ofisye lapolis touye anba kout wòch ak manchèt ... Foul la te bat li, epi yo
        te boule kò l': a lead that only tells a killing or a beating, by no armed group,
        followed by a crowd beating or lynching the victim, tells mob violence (ACLED's Riots),
        not an attack."""
        lead = self.lead
        # (nor by the police: 'police forces killed two men', a mob told after it is another's)
        if {t.kind for t in lead.reading.triggers if not t.negated} - {"kill", "injure"} or \
                agent_categories(lead) & (ARMED | STATE):
            return False
        return any(t.kind == "lynch" and not t.negated for f in self.frames if f is not lead
                   for t in f.reading.triggers)

    def _toll_of_a_riot(self) -> bool:
        """'Three people died in the fire that gutted the council building on Tuesday night.
        ... Part of the crowd threw petrol bombs at the building and set it ablaze': a lead
        that only counts the dead or wounded, with no one named as doing it, followed by the
        crowd's own violence, tells the toll of that riot, not an attack on civilians."""
        lead = self.lead
        # ('three people died': the dead are all the sentence names, read as its civilians)
        if {t.kind for t in lead.reading.triggers if not t.negated} - {"kill", "injure"} or \
                agent_categories(lead) - {"civilians", "protesters", "rioters"}:
            return False
        return any(crowd_violence(t) for f in self.frames if f is not lead
                   for t in f.reading.triggers)


def _same_frames(these: list[Frame], those: list[Frame]) -> bool:
    """Whether two lists hold the same frame objects in the same order."""
    return len(these) == len(those) and all(a is b for a, b in zip(these, those, strict=True))


def _told_type(event: Event) -> str | None:
    """The event type of `event`, None when it has none."""
    told = event.event_type
    return told[0] if told else None


def categories(mentions: list[Mention]) -> set[str]:
    return {m.entry.category for m in mentions if m.entry.category}


def most_specific(places: list[Mention]) -> Mention | None:
    """The finest place with a position: a known neighbourhood beats its town, but a name
    nothing locates (an unknown hamlet) loses to the town named beside it, and a street, a
    building or a highway ('Lenin Street in Derbent') to the town or village it is in (ACLED
    codes settlements, not venues)."""
    if not places:
        return None

    def rank(mention: Mention) -> tuple:
        entry = mention.entry
        kind = FINEST_FIRST.index(entry.kind) if entry.kind in FINEST_FIRST else 6
        if entry.kind == "facility":
            kind = FINEST_FIRST.index("city") + 0.5
        return (not located(mention), kind, mention.start)

    return min(places, key=rank)


# --------------------------------------------------------------------------------------------
# Compatibility
# --------------------------------------------------------------------------------------------


def types_compatible(a: tuple[str, str] | None, b: tuple[str, str] | None) -> bool:
    """Can two readings describe one event? Violence and its aftermath (arrests, seizures,
    arson) can; a protest and the riot it turned into can; a patrol after a clash cannot."""
    if a is None or b is None:
        return True
    if a[0] == b[0] == "Strategic developments":
        return a[1] == b[1]  # a patrol, an arrest and an agreement are three events
    if a[0] == b[0] == "Explosions/Remote violence":
        return a[1] == b[1]  # a suicide bombing and a roadside bomb the same day are two events
    if _one_change_of_hands(a, b):
        return True  # the town retaken, and its defenders' withdrawal: told from both sides
    if {a[1], b[1]} & TERRITORY and "Explosions/Remote violence" in {a[0], b[0]}:
        return False  # the town taken and the drones striking its attackers: two events
    if "Explosions/Remote violence" in {a[0], b[0]} and {a[0], b[0]} & CROWD_TYPES:
        return False  # a bomb at a bank and the night's riot nearby: two events
    if a[0] == "Battles" and b[1] == "Mob violence":
        # armed groups fought; a crowd lynched a man: two events, two kinds of actor (a
        # sentence of a lynching's account read as fighting, 'ils ont été battus', is still
        # how the lynching went)
        return False
    if a[0] == b[0]:
        return True
    if a[0] in VIOLENT_TYPES and b[0] in VIOLENT_TYPES:
        return True
    if a[0] in CROWD_TYPES and b[0] in CROWD_TYPES | VIOLENT_TYPES:
        return True
    if b[0] in CROWD_TYPES and a[0] in VIOLENT_TYPES:
        return True
    # Seizures and arson are part of the violence they follow; arrests are events of their own.
    return (a[0] in VIOLENT_TYPES | CROWD_TYPES and b[1] in AFTERMATH) or \
        (b[0] in VIOLENT_TYPES | CROWD_TYPES and a[1] in AFTERMATH)


def _one_change_of_hands(a: tuple[str, str], b: tuple[str, str]) -> bool:
    """'The army said it had retaken the town' ... 'the resistance said its fighters had
    withdrawn from the town': a town taken by force and its defenders' withdrawal from it are
    one change of hands, told by the winner and by the loser (dates and places still decide)."""
    return bool({a[1], b[1]} & TERRITORY) and TRANSFER in {a[1], b[1]}


def _violence_after_aftermath(event: Event, frame: Frame) -> bool:
    """Whether the sentence tells violence and the event is only arson, looting or a seizure:
    they fit together, but such a sentence ('The attack began at 11 pm', 'The exchange of fire
    lasted four hours') is more likely about a violent event told just before the arson."""
    told, kind = event.event_type, frame.event_type
    return told is not None and kind is not None and told[1] in AFTERMATH and \
        kind[0] in VIOLENT_TYPES


def dates_compatible(a: DateMention | None, b: DateMention | None) -> bool:
    if a is None or b is None:
        return True
    if a.precision == "day" and b.precision == "day":
        return a.date == b.date
    coarse = a if a.precision != "day" else b
    fine = b if coarse is a else a
    if coarse.precision == "week":
        return 0 <= (fine.date - coarse.date).days <= 6 or fine.date == coarse.date
    if coarse.precision == "month":
        return (fine.date.year, fine.date.month) == (coarse.date.year, coarse.date.month)
    return fine.date.year == coarse.date.year


def located(mention: Mention) -> bool:
    """Whether a place has a position of its own or a known place above it (not only the
    country): a street or a venue nothing locates says nothing about where it is."""
    entry = mention.entry
    return entry.latitude is not None or (
        entry.parent_key is not None and not entry.parent_key.startswith("place:country:"))


def places_compatible(a: Mention | None, b: Mention | None, ancestors) -> bool:
    """Same place, one inside the other, within a few kilometres, or one nothing locates."""
    if a is None or b is None or not located(a) or not located(b):
        return True
    ea, eb = a.entry, b.entry
    if ea.key == eb.key or ea.key in ancestors(eb) or eb.key in ancestors(ea):
        return True
    if None not in (ea.latitude, ea.longitude, eb.latitude, eb.longitude):
        return _km(ea.latitude, ea.longitude, eb.latitude, eb.longitude) <= NEAR_KM
    return False


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    h = math.sin((phi2 - phi1) / 2) ** 2 + \
        math.cos(phi1) * math.cos(phi2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


# --------------------------------------------------------------------------------------------
# Grouping
# --------------------------------------------------------------------------------------------


def _arrest_after(event: Event, frame: Frame) -> bool:
    """Arrests told in the sentence right after a violent or crowd event belong to it;
    told later, or with a date or place of their own, they are an event of their own."""
    kind = frame.event_type
    current = event.event_type
    return kind is not None and kind[1] == "Arrests" and frame.index - event.last <= 1 \
        and current is not None and current[0] in VIOLENT_TYPES | CROWD_TYPES


def _told_there(event: Event, frame: Frame) -> bool:
    """Whether the sentence's own place is the event's: 'Police broke up the traders' march
    in X. Twelve of them were arrested in X': it names no other place, so it tells the same
    scene."""
    return event.place is not None and frame.place is not None and \
        event.place.entry.key == frame.place.entry.key


def _fits(event: Event, frame: Frame, ancestors) -> bool:
    # An event placed in a village nothing locates is still where its located places are:
    # a bomb near an unknown village of Mandera county is not a bomb in Garissa county.
    located_place = most_specific([p for f in event.frames for p in f.places if located(p)])
    # A sentence with a day of its own that names another village than the event's, one of
    # the two unknown to the gazetteer ('near the village of Ak-Sai' ... 'Later on Thursday,
    # mortar shells hit the village of Kok-Tash'), tells another event.
    dated = frame.date is not None and frame.date.precision == "day"
    # 'Some 2,000 people marched ... without incident' is no part of a riot, nor a riot of it.
    calm = ("peaceful" in frame.reading.cues and _told_type(event) == "Riots") or \
        (event.peaceful and frame.event_type is not None and frame.event_type[0] == "Riots")
    apart = dated and _apart(event.place, frame.place) and not _one_name_retold(event, frame)
    # Armed men took hostages; a crowd lynched a man it accused of helping them, told with its
    # own day: two events, two kinds of actor.
    apart = apart or (dated and _event_kind(event) == "Abduction/forced disappearance"
                      and _event_kind(frame) == "Mob violence")
    return (not apart and not calm
            and not _protest_after_violence(event, frame)
            and not _crowd_elsewhere(event, frame)
            and types_compatible(event.event_type, frame.event_type)
            and _dates_fit(event.date, frame.date)
            and places_compatible(event.place, frame.place, ancestors)
            and places_compatible(located_place, frame.place, ancestors))


def _event_kind(told: Event | Frame) -> str | None:
    """The sub-event type an event or a sentence reads as, if any."""
    return told.event_type[1] if told.event_type else None


def _protest_after_violence(event: Event, frame: Frame) -> bool:
    """'Gunmen killed six traders in the market... After the funeral, hundreds marched through
    the town': a peaceful protest told with a day or a town of its own is no part of the
    killing, clash, bombing, arson, looting or lynching it answers; ACLED codes it as an event of its
    own. (Violence told after a protest is how it went: see `types_compatible`.)"""
    told = event.event_type
    own_day = frame.date is not None and frame.date.precision in {"day", "week"}
    own_place = frame.place is not None and frame.place.entry.kind not in BROAD_KINDS \
        and located(frame.place)
    # (A lynching is a crowd's violence, but no protest: a march told after it is another crowd.)
    return frame.event_type == ("Protests", "Peaceful protest") and (own_day or own_place) \
        and told is not None and (told[0] in VIOLENT_TYPES - CROWD_TYPES
                                  or told[1] in AFTERMATH | {"Mob violence"})


def _crowd_elsewhere(event: Event, frame: Frame) -> bool:
    """'Protesters set a van on fire in A ... In B, residents held a sit-in': ACLED codes one
    protest event per place and day, so a crowd told at another neighbourhood or town than
    the crowd event before it is an event of its own, even when the gazetteer locates neither
    place (unknown neighbourhoods hang from the country, which `places_compatible` cannot
    compare). 'Korangi No 5' after 'Korangi' is the same place written in full; a known town
    named after an unknown neighbourhood is most likely the city it lies in."""
    told, kind = event.event_type, frame.event_type
    if told is None or kind is None or told[0] not in CROWD_TYPES or kind[0] not in CROWD_TYPES:
        return False
    here, there = event.place, _fronted_place(frame)
    if there is None or not _apart(here, there) or located(there):
        return False
    a, b = fold(here.entry.name), fold(there.entry.name)
    return not (a.startswith(b) or b.startswith(a))


def _fronted_place(frame: Frame) -> Mention | None:
    """The place that opens the sentence as its setting ('In B, residents held a sit-in', 'À
    B en effet, des jeunes...'): not a march's starting point told in passing ('the march,
    which left from B, ...') nor a list of places ('in B and other regions')."""
    text, start = frame.reading.text, frame.reading.start
    for place in frame.places:
        before = text[:max(0, place.start - start)].split()
        after = text[max(0, place.end - start):]
        if len(before) <= 1 and re.match(r"(?:\s+[^\s,]+){0,2}\s*,", after):
            return place
    return None


def _same_day_as(frame: Frame, event: Event) -> None:
    """'Protesters burned a van in A on Monday ... In B, residents held a sit-in': the crowd
    at another place, told with no day of its own, gathered on the day of the crowd event
    told before it."""
    told = event.date
    if frame.date is None and told is not None and told.precision == "day" and \
            told.source != "report":
        frame.reading.dates = [told, *frame.reading.dates]


# How long before the day a source spoke the event it reports may have happened.
REPORT_DAYS = 7


def _dates_fit(told: DateMention | None, new: DateMention | None) -> bool:
    """Whether a sentence's date fits an event's. An event dated only by the day its source
    spoke ('the army said on Wednesday it had killed four smugglers') happened on that day or
    in the days before it: 'before dawn on Tuesday' tells when."""
    if told is not None and new is not None and told.source == "report" and \
            told.precision == new.precision == "day":
        return 0 <= (told.date - new.date).days <= REPORT_DAYS
    return dates_compatible(told, new)


def _same_event(event: Event, frame: Frame, ancestors) -> bool:
    """A later sentence retelling an event told earlier: same date or same place, and nothing
    that disagrees."""
    if not _fits(event, frame, ancestors):
        return False
    same_date = event.date is not None and frame.date is not None and \
        event.date.precision == frame.date.precision == "day" and event.date.date == frame.date.date
    same_place = event.place is not None and frame.place is not None and \
        event.place.entry.key == frame.place.entry.key and \
        frame.place.entry.kind not in BROAD_KINDS
    return same_date or same_place


def _dated_to_the_week(event: Event) -> bool:
    return event.date is not None and event.date.precision in {"day", "week"}


def _vague(event: Event) -> bool:
    """An event its lead only says happened (gunfire heard, barricades set up): what follows
    tells what it was."""
    kind = event.lead.event_type
    patrol = any(t.kind == "other" for t in event.lead.reading.triggers)  # a real 'Other'
    return kind is None or (kind == ("Strategic developments", "Other") and not patrol)


def _crowd_turned_violent(event: Event, frame: Frame) -> bool:
    """A sentence telling only barricades, stones or damage, right after a protest's account
    with nothing of its own: the crowd's doing, so part of the protest (which it makes a
    violent demonstration), not a roadblock of its own ("Other")."""
    triggers = frame.reading.triggers
    # 'roadblocks of burning tires' reads a roadblock ("other") beside the barricade
    return _told_type(event) in CROWD_TYPES and not event.peaceful \
        and any(crowd_violence(t) for t in triggers) \
        and all(t.kind in {"barricade", "riot", "destruction", "other"} for t in triggers)


def _crowd_dispersed(event: Event, frame: Frame) -> bool:
    """'Residents set fire to buses and blocked the avenue with burning tires. Military police
    used tear gas to disperse the group': tear gas or a dispersal told right after the crowd's
    own violence, with nothing of its own, is how that crowd was met, though the police who
    did it are new to the account. Shots fired with the tear gas ('police fired tear gas
    and shots in the air to scatter them') are part of how it was met."""
    kinds = {t.kind for t in frame.reading.triggers}
    return "intervention" in kinds and kinds <= {"intervention", "gunfire"} and \
        any(crowd_violence(t) for t in event.triggers)


def _new_names(event: Event, frame: Frame) -> bool:
    """Whether the sentence names a group, a person or an institution the event's account
    has not: a continuation refers back ('they', 'the attackers', 'police'); a new event
    brings its own participants ('the X gang and the Y brigade agreed...')."""
    told = {m.entry.key for m in event.mentions}
    return any(m.via != "descriptor" and m.entry.entity_table in {"actors", "institutions"}
               and m.entry.key not in told for m in frame.mentions)


def _deployment_met_fighting(event: Event, frame: Frame) -> bool:
    """'Troops were deployed to X on Tuesday morning. They traded fire with the gang for most
    of the day': fighting told right after a deployment or a raid (an
    'Other' event with its own word), with no day or place of its own, is what the force met
    there: one armed clash of that day and place (a lead of type Other lets the event's other
    triggers type it: `Event.typing_triggers`)."""
    lead = event.lead
    return event.event_type == ("Strategic developments", "Other") and \
        any(t.kind == "other" for t in lead.reading.triggers) and \
        frame.event_type == ("Battles", "Armed clash") and frame.index - event.last <= DETAIL_REACH \
        and any(t.kind == "clash" for t in frame.reading.triggers)  # fighting, not a toll


def _toll_report(frame: Frame) -> bool:
    """A count of the dead or wounded told with its source and nothing else ('a spokesman said
    four had died, but the hospital said on Tuesday that three were confirmed dead'; 'onze
    policiers ont été blessés, a indiqué la préfecture'; 'police said they had found six
    bodies, flown to the provincial capital on Friday'): the toll of an event the article has
    told, whatever day the source spoke, or wherever it spoke from or the wounded were taken
    to. A separate incident says so."""
    kinds = {t.kind for t in frame.reading.triggers}
    cues = frame.reading.cues
    return bool(kinds) and kinds <= TOLL_KINDS and not cues.isdisjoint({"attribution", "source_verb"}) \
        and cues.isdisjoint({"recap", "separate"})


def _of_its_crowd(events: list[Event], frame: Frame) -> Event | None:
    """'A rights group condemned the use of tear gas against the peaceful marchers': a
    reaction or a quote about a crowd event (it opens none) is about the latest crowd event
    told, not about a killing told since (the killing a protest followed)."""
    kind = frame.event_type
    if kind is None or kind[0] not in CROWD_TYPES:
        return None
    # of its own sub-event type: 'condemned the lynching' is about the lynching, whatever
    # type the lynching's account was given, not about the riot told after it
    return next((e for e in reversed(events) if e.event_type == kind), None)


def _toll_update(frame: Frame) -> bool:
    """'Four of the wounded died overnight, bringing the toll to nine': deaths told as raising
    the toll, and nothing else, are the toll of an event the article has told, whatever day
    they died on; they open no event of their own."""
    kinds = {t.kind for t in frame.reading.triggers}
    cues = frame.reading.cues
    return bool(kinds) and kinds <= TOLL_KINDS and "update" in cues and \
        cues.isdisjoint({"recap", "separate"})
def _counted_elsewhere(event: Event, frame: Frame, ancestors) -> bool:
    """'Gunmen killed six traders in the market of A, residents said. In B, the seat of the
    next district, four farmers were shot dead near a well, according to a local chief': a
    count of dead told with its source at a town or village of its own (after a place
    preposition), not the event's (far from it,
    or another name where the gazetteer locates only one of the two), is the toll of what
    happened there, not of the event told before. A sentence that also says where people
    were taken ('evacuated to the hospital of C') may name no place of the event at all."""
    place = most_specific(frame.sited)
    if place is None or place.entry.kind in BROAD_KINDS or event.place is None or \
            "not_event_place" in frame.reading.cues or frame.reading.casualties.fatalities is None \
            or fold(place.entry.name) == fold(event.place.entry.name):  # one village, hung twice
        return False
    return _apart(event.place, place) or \
        not places_compatible(event.place, place, ancestors)


def _told_apart(frame: Frame) -> bool:
    """'The same evening, armed men abducted four traders in X': a sentence opened by the day
    of the event told before ('the same day', 'the next day', 'le lendemain') tells another
    event of that day, even at the same place; so does one opened by 'also' ('Also on
    Monday, gunmen fired at a patrol in Y': told in addition to the event before it), and the
    first event of a numbered item."""
    return frame.new_item or \
        not frame.reading.cues.isdisjoint({"same_day", "next_day", "previous_day", "also_apart"})


def group_frames(frames: list[Frame], ancestors) -> list[Event]:
    """Frames (in text order) into events. `ancestors(entry)` gives the keys of the places
    containing a place."""
    events: list[Event] = []
    for frame in frames:
        if "retelling" in frame.reading.cues or (_claimed(frame) and events) or \
                (_earlier_toll(frame) and events):
            _add_retelling(events, frame, ancestors)
            continue
        last = events[-1] if events else None
        target = None
        # A recap of an earlier event or "a second drone hit..." never adds to the event before.
        recap = not frame.reading.cues.isdisjoint({"recap", "separate"}) or _told_apart(frame)
        own_date = frame.date is not None and frame.date.precision in {"day", "week"}
        own_place = frame.place is not None and frame.place.entry.kind not in BROAD_KINDS \
            and located(frame.place)
        # the crowd event told most recently, for a crowd told at another place after it
        crowd = next((e for e in reversed(events) if _told_type(e) in CROWD_TYPES), None)
        elsewhere = crowd is not None and _crowd_elsewhere(crowd, frame)
        own_place = own_place or elsewhere
        if last is not None and _handover_completed(last, frame, ancestors):
            target = last  # "The army left its post in X. The next day, rebels entered X"
        elif last is not None and not recap and not (own_date or own_place) and \
                _deployment_met_fighting(last, frame):
            target = last  # "Troops were deployed to X. They traded fire with the gang"
        elif last is not None and not recap:
            # The event told most recently first (a lead naming two events is followed by
            # details of the second, then maybe of the first again), but violence goes to a
            # violent event rather than to the arson told after it.
            recent = sorted((e for e in events if frame.index - e.last <= DETAIL_REACH
                             and not (own_date and not _dated_to_the_week(e))),
                            key=lambda e: (_violence_after_aftermath(e, frame), -e.last))
            target = next((e for e in recent if _fits(e, frame, ancestors)), None)
            if target is None and not frame.reading.opens:
                target = _of_its_crowd(events, frame) or \
                    (last if types_compatible(last.event_type, frame.event_type) else None)
        if target is None and (own_date or own_place) and not _told_apart(frame):
            target = next((e for e in reversed(events) if _same_event(e, frame, ancestors)), None)
        if target is None and "anaphora" in frame.reading.cues and events:
            # "The attack happened on Friday afternoon": the article's event, told again.
            target = next((e for e in reversed(events) if _fits(e, frame, ancestors)), None) \
                or _undated_lead(events[-1], frame)
        if target is None and not (own_date or own_place) and not recap:
            # Nothing new of its own (no date, no place): more about an event already told.
            target = next((e for e in events if _fits(e, frame, ancestors)), None)
        if target is None and last is not None and _arrest_after(last, frame) \
                and not own_date and not (own_place and not _told_there(last, frame)):
            target = last  # "Police later arrested two suspects": the operation's own arrests
        if target is None and (_toll_report(frame) or _toll_update(frame)) and \
                not (own_date and own_place):
            # The toll of the violent event told most recently, never an event of its own; it
            # gives that event a figure only when no other sentence does (it may be a part, 'a
            # fifth person died', or a subgroup, 'three officers were shot dead'). With a day
            # and a place of its own ('in the town of X, residents said, masked men went from
            # house to house on Saturday, killing 20') it is the account of another event.
            target = next((e for e in reversed(events)
                           if types_compatible(e.event_type, frame.event_type)
                           and not _counted_elsewhere(e, frame, ancestors)), None)
            frame.toll_only = target is not None
        strong = max(t.strength for t in frame.reading.triggers) >= STRONG_TRIGGER
        # Told in the middle of an event's account with nothing of its own (no date, no place):
        # how the event went on ("They dispersed before police arrived", "Two men were
        # arrested nearby"), not another event, even when it reads as another type.
        continuation = last is not None and not (own_date or own_place or recap) and \
            frame.index - last.last <= DETAIL_REACH and not _new_names(last, frame)
        if target is None and continuation and _vague(last):
            target = last  # "Barricades were set up. People threw stones": what it turned out to be
        if target is None and continuation and _crowd_turned_violent(last, frame):
            target = last  # "Residents marched. They erected burning tires": how the protest went
        if target is None and last is not None and _crowd_dispersed(last, frame) and \
                not (own_date or own_place or recap) and frame.index - last.last <= DETAIL_REACH:
            target = last  # "... Police fired tear gas to disperse them": how the crowd was met
        if target is None and _rival_toll(frame):
            # another source's figure for the violent event told most recently: never an
            # event of its own, and its count stands only when nothing else counts the dead
            target = next((e for e in reversed(events)
                           if types_compatible(e.event_type, frame.event_type)), None)
            frame.toll_only = target is not None
        if target is not None:
            target.frames.append(frame)
        elif frame.reading.opens and (strong or own_date or own_place) and not continuation:
            if elsewhere:
                _same_day_as(frame, crowd)
            events.append(Event([frame]))
    return _merge_retellings(events, ancestors)


def _handover_completed(event: Event, frame: Frame, ancestors) -> bool:
    """'Les FAMa ont quitté jeudi leur poste de Banikane. Le lendemain matin, des combattants
    du JNIM sont entrés dans Banikane sans rencontrer de résistance': one side leaving and the
    other coming in, even the next day, is one non-violent transfer of the place (ACLED's one
    event), told right after."""
    return frame.index - event.last <= DETAIL_REACH and \
        event.event_type is not None and event.event_type[1] == TRANSFER and \
        frame.event_type is not None and frame.event_type[1] == TRANSFER and \
        places_compatible(event.place, frame.place, ancestors)


def _undated_lead(event: Event, frame: Frame) -> Event | None:
    """'Gunmen abducted nine people in X district. The abduction took place on Saturday at a
    bar in Y': a lead with no day, told again right after with its day and a finer place (the
    town of the district, the village where it happened), is that event; a recap of an
    earlier event ('the protests came after ... were arrested on Sunday') is not."""
    if _dated_to_the_week(event) or frame.index - event.last > DETAIL_REACH or \
            not frame.reading.cues.isdisjoint({"recap", "separate"}) or \
            (told := event.event_type) is None or told != frame.event_type:
        return None
    return event


def _claimed(frame: Frame) -> bool:
    """'The group claimed to have killed four soldiers', 'il affirme avoir tué 40 combattants,
    un bilan qui n'a pas pu être vérifié': a party's own toll or gain, or one the article says
    was denied, is said of an event the article has told; it opens none of its own (its toll
    never counts: `article._figure`)."""
    return "claimed_toll" in frame.reading.cues


def _rival_toll(frame: Frame) -> bool:
    """'Des sources locales évoquent le chiffre de cinq morts ... au commissariat de Hinche
    samedi', 'Local taxi operators said eight people had died, but police confirmed only
    five': a count another source sets against the event's, and nothing else, is said of an
    event the article has told, whatever day or place it names (where the bodies were shown,
    when the source spoke); it opens none of its own, and its count stands only when nothing
    else counts the event's dead (`Frame.toll_only`)."""
    kinds = {t.kind for t in frame.reading.triggers}
    return "rival_toll" in frame.reading.cues and bool(kinds) and kinds <= TOLL_KINDS


def _earlier_toll(frame: Frame) -> bool:
    """'On Wednesday, local officials had put the toll at nine', 'lundi, nous avions rapporté
    que 24 soldats avaient péri': a count another replaced, told with the day of that
    report and no place of its own, is said of an event the article has told; it opens none
    of its own, and never sets the event's figure while another count does
    (`article._current_tolls`). (With no day of its own it already joins the event told.)"""
    counted = frame.reading.casualties.fatalities is not None or \
        frame.reading.casualties.injuries is not None
    dated = frame.date is not None and frame.date.precision == "day"
    specific = [p for p in frame.places if p.entry.kind not in BROAD_KINDS]
    return "superseded" in frame.reading.cues and counted and dated and not specific


def _add_retelling(events: list[Event], frame: Frame, ancestors) -> None:
    """'Recounting Saturday's attack, a witness said the gunmen came from the road to Y': an
    event the article has told, told again in other words, whatever place its details name
    (where the attackers came from, where the witness spoke). It joins the latest event it
    fits, one of its own type first ('Describing the raid on the camp once more' after an
    abduction told since), else the latest of a compatible type; it never opens one."""
    told = frame.event_type[0] if frame.event_type else None
    fitting = [e for e in reversed(events) if _fits(e, frame, ancestors)]
    target = next((e for e in fitting if e.event_type and e.event_type[0] == told), None) or \
        next(iter(fitting), None) or \
        next((e for e in reversed(events)
              if types_compatible(e.event_type, frame.event_type)), None)
    if target is not None:
        target.frames.append(frame)


def _placed_apart(a: Event, b: Event) -> bool:
    """Two events each placed in a town or village of its own, by different names, one of
    which nothing locates ('a bomb went off in the Gottsunda district of Uppsala' and 'a man
    was shot dead in Norsborg'): nothing says they are one place, so an undated one is no
    lead of the other (two located places are compared by `places_compatible`)."""
    return _apart(a.place, b.place)


def _apart(pa: Mention | None, pb: Mention | None) -> bool:
    if pa is None or pb is None or pa.entry.kind in BROAD_KINDS or pb.entry.kind in BROAD_KINDS:
        return False
    return pa.entry.key != pb.entry.key and not (located(pa) and located(pb))


def _one_name_retold(event: Event, frame: Frame) -> bool:
    """'A day later, a jawan was killed in an IED blast near Kistaram in Sukma district' ...
    'On Friday morning, a jawan was killed when they stepped on an IED near Kistaram': one
    village the gazetteer lacks, hung from its district in one sentence and from nothing in
    the other, is one place under two keys; the same kind of event told there on the same
    day is the lead's account. (Another kind told there, houses burned 'before the
    shootout', may be another event.)"""
    return event.place is not None and frame.place is not None and \
        fold(event.place.entry.name) == fold(frame.place.entry.name) and \
        event.event_type is not None and event.event_type == frame.event_type


def _merge_retellings(events: list[Event], ancestors) -> list[Event]:
    """An event with neither date nor specific place of its own (a headline-like summary,
    "the attack left 12 dead") is a retelling of the compatible event nearest before it, or
    else of the first compatible one after it."""
    kept: list[Event] = []
    for event in events:
        vague = (event.date is None or event.date.precision not in {"day", "week"}) and \
            (event.place is None or event.place.entry.kind in BROAD_KINDS)
        host = None
        if vague and "recap" in event.frames[0].reading.cues:
            # 'La guerre avait fait plus de 4 000 morts': an earlier event recalled with
            # neither day nor place is no retelling of the event told before it, nor an event.
            continue
        if vague:
            host = next((e for e in reversed(kept) if types_compatible(e.event_type, event.event_type)
                         and places_compatible(e.place, event.place, ancestors)), None)
        if host is not None:
            host.frames.extend(event.frames)
            host.frames.sort(key=lambda f: f.index)
        else:
            kept.append(event)
    # A vague lead followed by the dated account of the same event: fold the lead in.
    merged: list[Event] = []
    for event in kept:
        if merged:
            previous = merged[-1]
            vague_previous = (previous.date is None or previous.date.precision not in {"day", "week"}) \
                and all(f.index < event.first for f in previous.frames) \
                and previous.frames[0].reading.cues.isdisjoint({"recap", "separate"})
            if vague_previous and _fits(event, previous.frames[0], ancestors) and \
                    event.first - previous.last <= DETAIL_REACH + 2 and \
                    not _placed_apart(previous, event):
                previous.frames.extend(event.frames)
                continue
        merged.append(event)
    return [e for e in merged if e.event_type is not None]
