"""One article in, its rows out: sentences, mentions, entities, incidents and participants.

Incidents are events, not sentences: consecutive sentences about the same event (no new date,
no new place) are merged and typed together; a new date or a new place starts a new incident.
"""

from dataclasses import dataclass, field
from datetime import date

from spacy.tokens import Doc

from pipelines.extract.casualties import count_casualties
from pipelines.extract.dates import DateMention, find_dates
from pipelines.extract.entities import Mention, find_mentions, generic_actor
from pipelines.extract.reference import Descriptor, Entry, Gazetteer
from pipelines.extract.text import stable_id
from pipelines.extract.triggers import Trigger, choose_event, find_triggers

ID_PREFIX = {"actors": "act", "institutions": "ins", "places": "plc"}
# Most specific first: the place an event happened is the finest place its sentence names.
PLACE_SPECIFICITY = ["neighbourhood", "facility", "locality", "road", "city", "admin2", "other",
                     "region", "admin1", "country"]
PRECISION_BY_KIND = {"neighbourhood": 1, "facility": 1, "locality": 1, "city": 1, "road": 2,
                     "admin2": 2, "other": 2, "region": 3, "admin1": 3, "country": 3}
ARMED = {"political_militia", "identity_militia", "rebel_group"}
STATE = {"state_forces", "external_forces"}
SUMMARY_CHARS = 400


def entity_id(entry: Entry) -> str:
    return stable_id(ID_PREFIX[entry.entity_table], entry.key)


@dataclass
class ArticleRows:
    sentences: list[dict] = field(default_factory=list)
    mentions: list[dict] = field(default_factory=list)
    entities: list[dict] = field(default_factory=list)
    incidents: list[dict] = field(default_factory=list)
    participants: list[dict] = field(default_factory=list)


@dataclass
class _Candidate:
    sentence_index: int
    triggers: list[Trigger]
    mentions: list[Mention]
    dates: list[DateMention]
    places: list[Mention]


@dataclass
class _Incident:
    candidates: list[_Candidate]

    @property
    def date(self) -> DateMention | None:
        return next((d for c in self.candidates for d in c.dates), None)

    @property
    def place(self) -> Mention | None:
        places = [p for c in self.candidates for p in c.places]
        return _most_specific(places)


def extract_article(doc: Doc, article_id: str, published: date | None, published_precision: str,
                    gazetteer: Gazetteer, fallback_date: date, language: str = "en"
                    ) -> ArticleRows:
    """Rows for one parsed article. Incidents are read from English text only (the trigger
    lexicon is English); other languages still get sentences and entity mentions."""
    rows = ArticleRows()
    sentences = list(doc.sents)
    for index, sentence in enumerate(sentences):
        rows.sentences.append({
            "article_id": article_id, "sentence_index": index, "char_start": sentence.start_char,
            "char_end": sentence.end_char, "text": sentence.text,
        })
    mentions, context = find_mentions(doc, gazetteer, sentences=sentences)
    _add_mentions(rows, article_id, mentions, gazetteer)
    by_sentence: dict[int, list[Mention]] = {}
    for mention in mentions:
        by_sentence.setdefault(mention.sentence_index, []).append(mention)
    main_country = context.main_country
    candidates = []
    for index, sentence in enumerate(sentences):
        triggers = [t for t in find_triggers(sentence.text) if not t.negated]
        sentence_mentions = by_sentence.get(index, [])
        places = [m for m in sentence_mentions if m.entry.entity_table == "places"]
        dates = [
            DateMention(d.date, d.precision, d.source, d.start + sentence.start_char,
                        d.end + sentence.start_char, d.text)
            for d in find_dates(sentence.text, published, published_precision)
        ]
        if triggers and not _background(sentence, dates, published):
            candidates.append(_Candidate(index, triggers, sentence_mentions, dates,
                                         _in_country(places, main_country)))
    incidents = _group(candidates) if language == "en" else []
    for number, incident in enumerate(incidents):
        _emit_incident(rows, doc, sentences, article_id, number, incident, mentions, main_country,
                       published, published_precision, fallback_date, gazetteer)
    _merge_repeats(rows)
    return rows


def _merge_repeats(rows: ArticleRows) -> None:
    """Articles retell their main event (headline, lead, details): one row per distinct event."""
    kept: dict[tuple, dict] = {}
    alias: dict[str, str] = {}
    dated = {}
    for incident in rows.incidents:
        if incident["date_source"] == "text":
            dated.setdefault((incident["event_type"], incident["sub_event_type"]), incident)
    for incident in rows.incidents:
        key = (incident["event_type"], incident["sub_event_type"], incident["event_date"],
               incident["place_id"])
        first = kept.get(key)
        undated_retelling = dated.get(key[:2]) if incident["date_source"] != "text" else None
        if first is None and undated_retelling is not None:
            # A headline or summary sentence with no date of its own retells a dated event.
            first = undated_retelling
            kept.setdefault((first["event_type"], first["sub_event_type"], first["event_date"],
                             first["place_id"]), first)
        if first is None:
            kept[key] = incident
            continue
        alias[incident["incident_id"]] = first["incident_id"]
        for field_name in ("fatalities", "injuries"):
            values = [v for v in (first[field_name], incident[field_name]) if v is not None]
            first[field_name] = max(values) if values else None
        first["confidence"] = max(first["confidence"], incident["confidence"])
    rows.incidents = list(kept.values())
    # The retelling's participants were read from vaguer words; the kept row's roles stand.
    rows.participants = [p for p in rows.participants if p["incident_id"] not in alias]


BACKGROUND_DAYS = 60


def _background(sentence, dates: list[DateMention], published: date | None) -> bool:
    """Context, not news: "lynchings have risen since April 2023" dates a trend that began
    long before the article, so it opens no incident."""
    if not dates or published is None:
        return False
    text = sentence.text.lower()
    for mention in dates:
        before = text[max(0, mention.start - sentence.start_char - 25):
                      mention.start - sentence.start_char]
        old = (published - mention.date).days > BACKGROUND_DAYS
        if not (old and ("since" in before or "began" in before)):
            return False
    return True


def _in_country(places: list[Mention], country: str | None) -> list[Mention]:
    """Places in the article's own country; events abroad are the exception, not the rule."""
    home = [p for p in places if country is None or p.entry.country_iso3 in (country, None)]
    return home or places


def _most_specific(places: list[Mention]) -> Mention | None:
    """The finest place with a position: a known neighbourhood beats its town, but a name
    nothing locates (a road, an unknown hamlet) loses to the town named beside it."""
    if not places:
        return None

    def rank(mention: Mention) -> tuple:
        entry = mention.entry
        kind = PLACE_SPECIFICITY.index(entry.kind) if entry.kind in PLACE_SPECIFICITY else 6
        located = entry.latitude is not None or (
            entry.parent_key is not None and not entry.parent_key.startswith("place:country:"))
        return (not located, kind, mention.start)

    return min(places, key=rank)


def _group(candidates: list[_Candidate]) -> list[_Incident]:
    incidents: list[_Incident] = []
    for candidate in candidates:
        current = incidents[-1] if incidents else None
        if current is not None and (_same_event(current, candidate)
                                    or _detail_of(current, candidate)):
            current.candidates.append(candidate)
        else:
            incidents.append(_Incident([candidate]))
    return [i for i in incidents if _is_event(i)]


def _detail_of(incident: _Incident, candidate: _Candidate) -> bool:
    """A sentence with only weak triggers right after an event adds detail to it."""
    weak = all(t.strength < 0.5 for t in candidate.triggers)
    adjacent = candidate.sentence_index - incident.candidates[-1].sentence_index <= 1
    return weak and adjacent and not candidate.dates and not candidate.places


VIOLENT_TYPES = {"Battles", "Violence against civilians", "Explosions/Remote violence", "Riots"}


def _event_of(triggers: list[Trigger], mentions: list[Mention]) -> tuple[str, str] | None:
    chosen = choose_event(triggers, {m.entry.category for m in mentions if m.entry.category})
    return (chosen[0], chosen[1]) if chosen else None


def _compatible(incident: _Incident, candidate: _Candidate) -> bool:
    """Can this sentence describe the same event? Violence and its aftermath (arrests,
    seizures, arson) can; a patrol or a reopening after a clash is another event."""
    current = _event_of([t for c in incident.candidates for t in c.triggers],
                        [m for c in incident.candidates for m in c.mentions])
    new = _event_of(candidate.triggers, candidate.mentions)
    if current is None or new is None or current[0] == new[0]:
        return True
    if current[0] in VIOLENT_TYPES and new[0] in VIOLENT_TYPES:
        return True
    aftermath = new[0] == "Strategic developments" and new[1] != "Other"
    return current[0] in VIOLENT_TYPES and aftermath


def _same_event(incident: _Incident, candidate: _Candidate) -> bool:
    if candidate.sentence_index - incident.candidates[-1].sentence_index > 3:
        return False
    if not _compatible(incident, candidate):
        return False
    current_date, new_date = incident.date, (candidate.dates[0] if candidate.dates else None)
    # A sentence that dates what it reports opens a new event, unless it repeats the date.
    if new_date and (current_date is None or new_date.date != current_date.date):
        return False
    current_place = incident.place
    new_place = _most_specific(candidate.places)
    broad = {"country", "admin1"}
    return not (current_place and new_place and current_place.entry.key != new_place.entry.key
                and new_place.entry.kind not in broad and current_place.entry.kind not in broad)


def _is_event(incident: _Incident) -> bool:
    triggers = [t for c in incident.candidates for t in c.triggers]
    categories = {m.entry.category for c in incident.candidates for m in c.mentions
                  if m.entry.category}
    return choose_event(triggers, categories) is not None


def _emit_incident(rows: ArticleRows, doc: Doc, sentences, article_id: str, number: int,
                   incident: _Incident, mentions: list[Mention], main_country: str | None,
                   published: date | None, published_precision: str, fallback_date: date,
                   gazetteer: Gazetteer) -> None:
    triggers = [t for c in incident.candidates for t in c.triggers]
    participants = [m for c in incident.candidates for m in c.mentions
                    if m.entry.entity_table in {"actors", "institutions"}]
    categories = {m.entry.category for m in participants if m.entry.category}
    event_type, sub_event_type, event_confidence = choose_event(triggers, categories)
    incident_id = stable_id("inc", article_id, number)

    event_date, precision, date_source = _event_date(incident, published, published_precision,
                                                     fallback_date)
    place, geo_precision = _event_place(incident, mentions, main_country, gazetteer)
    fatalities, injuries = _casualties(incident, sentences)
    first = sentences[incident.candidates[0].sentence_index]
    last = sentences[incident.candidates[-1].sentence_index]
    roles = _roles(event_type, sub_event_type, incident, sentences, main_country, gazetteer)
    confidence = event_confidence * (0.55 + 0.15 * (place is not None)
                                     + 0.15 * (date_source == "text") + 0.15 * bool(roles))
    rows.incidents.append({
        "incident_id": incident_id, "article_id": article_id, "event_date": event_date,
        "date_precision": precision, "date_source": date_source, "event_type": event_type,
        "sub_event_type": sub_event_type,
        "place_id": entity_id(place) if place else None, "geo_precision": geo_precision,
        "fatalities": fatalities, "injuries": injuries,
        "summary": doc.text[first.start_char:last.end_char][:SUMMARY_CHARS],
        "char_start": first.start_char, "char_end": last.end_char,
        "confidence": round(min(max(confidence, 0.0), 1.0), 3),
    })
    if place is not None:
        _add_entity(rows, place, place.name, gazetteer)
    for entry, role in roles:
        _add_entity(rows, entry, entry.name, gazetteer)
        rows.participants.append({
            "incident_id": incident_id, "entity_table": entry.entity_table,
            "entity_id": entity_id(entry), "role": role,
        })


def _event_date(incident: _Incident, published: date | None, published_precision: str,
                fallback_date: date) -> tuple[date, str, str]:
    found = incident.date
    if found is not None:
        return found.date, found.precision, "text"
    if published is not None:
        # Nothing in the text dates the event: the publication date, no finer than it is known.
        precision = "week" if published_precision == "day" else published_precision
        return published, precision if precision != "unknown" else "unknown", "publication"
    return fallback_date, "unknown", "ingestion"


def _event_place(incident: _Incident, mentions: list[Mention], main_country: str | None,
                 gazetteer: Gazetteer) -> tuple[Entry | None, int | None]:
    mention = incident.place
    if mention is None or mention.entry.kind in {"country", "admin1"}:
        # The event's sentences name no precise place: look at the next sentence (quotes and
        # details follow the lead), then the two before it.
        start = incident.candidates[0].sentence_index
        end = incident.candidates[-1].sentence_index
        places = [m for m in mentions if m.entry.entity_table == "places"]
        for window in ((start, end), (end + 1, end + 1), (start - 2, start - 1)):
            nearby = [m for m in places if window[0] <= m.sentence_index <= window[1]
                      and m.entry.kind not in {"country", "admin1"}]
            found = _most_specific(_in_country(nearby, main_country))
            if found is not None:
                mention = found
                break
    if mention is None:
        article_places = _in_country([m for m in mentions if m.entry.entity_table == "places"],
                                     main_country)
        mention = _most_specific(article_places)
        if mention is not None:
            return _with_coordinates(mention.entry, gazetteer, penalty=1)
        if main_country and main_country in gazetteer.countries:
            return gazetteer.countries[main_country], 3
        return None, None
    return _with_coordinates(mention.entry, gazetteer, penalty=0)


def _with_coordinates(entry: Entry, gazetteer: Gazetteer, penalty: int) -> tuple[Entry, int]:
    """The place itself when it has coordinates, else its nearest ancestor that does."""
    precision = PRECISION_BY_KIND.get(entry.kind, 2)
    current = entry
    while current.latitude is None and current.kind != "country":
        parent = _parent(current, gazetteer)
        if parent is None:
            break
        current = parent
        precision = max(precision + 1, 2)
    if current is not entry and current.kind in {"admin1", "country"}:
        precision = 3
    return current, min(precision + penalty, 3)


def _casualties(incident: _Incident, sentences) -> tuple[int | None, int | None]:
    fatalities: int | None = None
    injuries: int | None = None
    for candidate in incident.candidates:
        counted = count_casualties(sentences[candidate.sentence_index].text)
        if counted.fatalities is not None:
            fatalities = max(fatalities or 0, counted.fatalities)
        if counted.injuries is not None:
            injuries = max(injuries or 0, counted.injuries)
    return fatalities, injuries


def _roles(event_type: str, sub_event_type: str, incident: _Incident, sentences,
           main_country: str | None, gazetteer: Gazetteer) -> list[tuple[Entry, str]]:
    """Who did it (actor1) and to whom (actor2), from word order, voice and ACLED's conventions."""
    first, second = _sides(incident, sentences)
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
        triggers = [t for c in incident.candidates for t in c.triggers]
        if not actor1 and any(t.kind == "gunfire" for t in triggers):
            actor1 = [_generic("armed", main_country, gazetteer)]  # shots heard: someone armed
        elif not actor1 and any(t.kind == "barricade" or "block" in t.text.lower()
                                for t in triggers):
            # ACLED's convention for roadblocks nobody claims: civilians set them up.
            actor1 = [_generic("civilians", main_country, gazetteer)]
    roles = [(e, "actor1") for e in _dedupe(actor1)]
    roles += [(e, "actor2") for e in _dedupe(actor2) if e not in actor1]
    return roles


def _dedupe(entries: list[Entry]) -> list[Entry]:
    seen: set[str] = set()
    unique = []
    for entry in entries:
        if entry.key not in seen:
            seen.add(entry.key)
            unique.append(entry)
    return unique


def _sides(incident: _Incident, sentences) -> tuple[list[Entry], list[Entry]]:
    """Participants before the trigger (or after 'by' in the passive) and the others."""
    first: list[Entry] = []
    second: list[Entry] = []
    for candidate in incident.candidates:
        sentence = sentences[candidate.sentence_index]
        trigger = max(candidate.triggers, key=lambda t: t.strength)
        trigger_at = sentence.start_char + trigger.start
        text = sentence.text.lower()
        by_at = text.find(" by ", trigger.end)
        passive = by_at >= 0 and by_at - trigger.end < 40
        for mention in candidate.mentions:
            if mention.entry.entity_table not in {"actors", "institutions"}:
                continue
            after_by = passive and mention.start >= sentence.start_char + by_at
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


def _add_mentions(rows: ArticleRows, article_id: str, mentions: list[Mention],
                  gazetteer: Gazetteer) -> None:
    for mention in mentions:
        rows.mentions.append({
            "mention_id": stable_id("men", article_id, mention.start, mention.end),
            "article_id": article_id, "sentence_index": mention.sentence_index,
            "char_start": mention.start, "char_end": mention.end, "text": mention.text,
            "entity_table": mention.entry.entity_table, "entity_id": entity_id(mention.entry),
            "via": mention.via,
        })
        _add_entity(rows, mention.entry, mention.text, gazetteer)


def _add_entity(rows: ArticleRows, entry: Entry, surface: str, gazetteer: Gazetteer) -> None:
    """One row per (entity, surface form); places bring their ancestors so parents resolve."""
    current: Entry | None = entry
    alias = surface
    while current is not None:
        rows.entities.append({
            "entity_table": current.entity_table, "entity_id": entity_id(current),
            "entity_key": current.key, "name": current.name, "kind": current.kind,
            "category": current.category, "country_iso3": current.country_iso3,
            "acronym": current.acronym, "admin1": current.admin1, "admin2": current.admin2,
            "latitude": current.latitude, "longitude": current.longitude,
            "geonames_id": current.geonames_id,
            "parent_id": entity_id(parent) if (parent := _parent(current, gazetteer)) else None,
            "alias": alias, "source": current.source,
        })
        current = _parent(current, gazetteer)
        alias = current.name if current else alias


def _parent(entry: Entry, gazetteer: Gazetteer) -> Entry | None:
    """The containing place; a town whose division is not on file hangs from its country."""
    if entry.entity_table != "places" or entry.kind == "country":
        return None
    parent = gazetteer.by_key.get(entry.parent_key) if entry.parent_key else None
    if parent is None and entry.country_iso3:
        parent = gazetteer.countries.get(entry.country_iso3)
    return parent
