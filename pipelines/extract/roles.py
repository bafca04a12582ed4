"""Who did it to whom: actor1, actor2 of an event, from word order, voice and ACLED's
conventions (protesters are actor1 of a protest, the state forces that intervene actor2; in
violence against civilians the armed side is actor1; a battle has two armed sides)."""

from __future__ import annotations

from pipelines.extract.entities import generic_actor
from pipelines.extract.grouping import PASSIVE_AGENT_WORDS, Event
from pipelines.extract.reference import Descriptor, Entry, Gazetteer

ARMED = {"political_militia", "identity_militia", "rebel_group"}
STATE = {"state_forces", "external_forces"}


def roles(event_type: str, sub_event_type: str, event: Event,
           main_country: str | None, gazetteer: Gazetteer) -> list[tuple[Entry, str]]:
    """Who did it (actor1) and to whom (actor2), from word order, voice and ACLED's conventions."""
    first, second = _sides(event)
    participants = first + [e for e in second if e not in first]
    # People with no armed role (politicians named as targets of a protest) are not parties.
    participants = [e for e in participants if not (e.kind == "person" and e.category == "other")]
    strategic = event_type == "Strategic developments"
    participants = [e for e in participants if strategic or e.category != "other"]
    by_category = lambda cats: [e for e in participants if e.category in cats]  # noqa: E731
    actor1: list[Entry] = []
    actor2: list[Entry] = []
    if event_type == "Protests":
        # Residents or citizens who march are, for this event, protesters.
        actor1 = [e for e in by_category({"protesters"}) if e.source != "generic"] or \
            [_generic("protesters", main_country, gazetteer)]
        if sub_event_type != "Peaceful protest":
            actor2 = by_category(STATE)
    elif event_type == "Riots":
        named = [e for e in by_category({"rioters"}) if e.source != "generic"]
        actor1 = named or [_generic("rioters", main_country, gazetteer)]
        actor2 = [e for e in participants if e not in actor1 and e.category not in
                  {"protesters", "rioters"} and (sub_event_type == "Mob violence" or
                                                 e.category in STATE | ARMED)]
    elif event_type == "Violence against civilians":
        actor1 = by_category(ARMED | STATE) or [_generic("armed", main_country, gazetteer)]
        actor2 = by_category({"civilians"}) or [_generic("civilians", main_country, gazetteer)]
    elif event_type == "Battles":
        ordered = [e for e in participants if e.category in ARMED | STATE]
        lead = ordered[0] if ordered else None
        lead_state = lead is not None and lead.category in STATE
        actor1 = [e for e in ordered if (e.category in STATE) == lead_state]
        actor2 = [e for e in ordered if (e.category in STATE) != lead_state]
        if not actor1:
            actor1 = [_generic("armed", main_country, gazetteer)]
        if not actor2:
            actor2 = [_generic("armed", main_country, gazetteer)]
    else:
        actor1 = [e for e in participants if e in first] or participants[:1]
        actor2 = [e for e in participants if e not in actor1]
        triggers = event.triggers
        if not actor1 and sub_event_type in {"Arrests", "Disrupted weapons use"}:
            actor1 = [m.entry for m in event.sources if m.entry.category in STATE][:1]
        if not actor1 and any(t.kind == "gunfire" for t in triggers):
            actor1 = [_generic("armed", main_country, gazetteer)]  # shots heard: someone armed
        elif not actor1 and any(t.kind == "barricade" or "block" in t.text.lower()
                                for t in triggers):
            # ACLED's convention for roadblocks nobody claims: civilians set them up.
            actor1 = [_generic("civilians", main_country, gazetteer)]
    assigned = [(e, "actor1") for e in _dedupe(actor1)]
    assigned += [(e, "actor2") for e in _dedupe(actor2) if e not in actor1]
    return assigned


def _dedupe(entries: list[Entry]) -> list[Entry]:
    seen: set[str] = set()
    unique = []
    for entry in entries:
        if entry.key not in seen:
            seen.add(entry.key)
            unique.append(entry)
    return unique


def _sides(event: Event) -> tuple[list[Entry], list[Entry]]:
    """Participants before the trigger (or after 'by' in the passive) and the others."""
    first: list[Entry] = []
    second: list[Entry] = []
    for frame in event.frames:
        reading = frame.reading
        named = [m for m in frame.mentions if m.entry.entity_table in {"actors", "institutions"}]
        if reading.triggers:
            trigger = max(reading.triggers, key=lambda t: t.strength)
            trigger_at, trigger_end = reading.start + trigger.start, trigger.end
        else:  # a short report typed by the classifier, no trigger word: the first named acted
            trigger_at = named[0].end if named else reading.start
            trigger_end = trigger_at - reading.start
        text = reading.text.lower()
        by_at = next((i for i in (text.find(f" {w} ", trigger_end) for w in PASSIVE_AGENT_WORDS)
                      if i >= 0), -1)
        passive = by_at >= 0 and by_at - trigger_end < 40
        for mention in named:
            after_by = passive and mention.start >= reading.start + by_at
            agent = after_by or (not passive and mention.start < trigger_at)
            (first if agent else second).append(mention.entry)
    return _dedupe(first), [e for e in _dedupe(second) if e not in first]


def _generic(kind: str, country: str | None, gazetteer: Gazetteer) -> Entry:
    """ACLED's generic participant when the text names none ('Civilians (Haiti)')."""
    descriptor = {
        "protesters": Descriptor("protesters", "protesters", "protesters", "actors"),
        "rioters": Descriptor("rioters", "rioters", "rioters", "actors"),
        "civilians": Descriptor("civilians", "civilians", "civilians", "actors"),
        "armed": Descriptor("armed men", "armed_group", "political_militia", "actors"),
    }[kind]
    return generic_actor(descriptor, country, gazetteer)


