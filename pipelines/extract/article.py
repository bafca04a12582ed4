"""One article in, its rows out: sentences, mentions, entities, incidents and participants.

The steps, each in its own module:
1. `entities.find_mentions`: actors, institutions and places the article names (the
   dateline's place is marked and never an event location on its own);
2. `reading.read_sentence`: per sentence, with the pack of the paragraph's language: live
   triggers, dates, casualties and the cues that mark statistics, background, quotes,
   reactions, recaps and corrected tolls;
3. `grouping.group_frames`: the sentences that report something, fused into events;
4. here: for each event its ACLED type, date, place, fatalities, participants and evidence.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from functools import cache, lru_cache

from spacy.tokens import Doc

from pipelines.extract.calibration import confidence
from pipelines.extract.classifier import NONE, Prediction, classify, event_type_of
from pipelines.extract.dates import DateMention, names_upcoming_day
from pipelines.extract.entities import (
    FINEST_FIRST,
    MODIFIER_AFTER,
    Mention,
    country_label,
    elsewhere_pattern,
    find_mentions,
    link_pattern,
    sentence_texts,
    site_preposition_before,
)
from pipelines.extract.grouping import (
    BROAD_KINDS,
    Event,
    Frame,
    agent_categories,
    group_frames,
    harm_sides,
    located,
    most_specific,
    places_compatible,
)
from pipelines.extract.language import LanguagePack, alternation, load_pack
from pipelines.extract.publication import BYLINE_LANGUAGE, text_publication
from pipelines.extract.reading import (
    OPENING_CLAUSE_CHARS,
    SentenceCues,
    SentenceReading,
    read_sentence,
)
from pipelines.extract.reference import Entry, Gazetteer, division_surfaces
from pipelines.extract.roles import roles
from pipelines.extract.text import accent_pattern, fold, stable_id
from pipelines.extract.triggers import (
    ARMED,
    HARM_KINDS,
    MEASURE_KINDS,
    MEASURE_TYPE,
    STATE,
    Trigger,
    choose_event,
    crowd_violence,
    find_triggers,
    may_trigger,
)
from pipelines.geo import haversine_km
from pipelines.ingest.dateline import find_dateline, is_byline
from pipelines.ingest.language import paragraph_languages
from pipelines.settings import reference_dir

ID_PREFIX = {"actors": "act", "institutions": "ins", "places": "plc"}
PRECISION_BY_KIND = {"neighbourhood": 1, "facility": 1, "locality": 1, "city": 1, "road": 2,
                     "admin2": 2, "other": 2, "region": 3, "admin1": 3, "country": 3}
SUMMARY_CHARS = 400
# Background trends dated long before publication ('since April 2023') open no incident.
BACKGROUND_DAYS = 60


def entity_id(entry: Entry) -> str:
    return _entity_id(entry.entity_table, entry.key)


@lru_cache(maxsize=100_000)  # an article's places bring the same ancestors row after row
def _entity_id(entity_table: str, key: str) -> str:
    return stable_id(ID_PREFIX[entity_table], key)


@dataclass
class ArticleInput:
    article_id: str
    body: str
    published: date | None
    published_precision: str
    language: str
    fallback_date: date  # when nothing dates the article (ingestion day)
    title: str | None = None


@dataclass
class ArticleRows:
    sentences: list[dict] = field(default_factory=list)
    mentions: list[dict] = field(default_factory=list)
    entities: list[dict] = field(default_factory=list)
    incidents: list[dict] = field(default_factory=list)
    participants: list[dict] = field(default_factory=list)


@dataclass
class ArticleReading:
    """What was read from one article before its events are typed (the classifier runs on
    the events of a whole batch of articles at once)."""

    article: ArticleInput
    doc: Doc
    sentences: list
    rows: ArticleRows
    mentions: list[Mention]
    main_country: str | None
    home: frozenset[str]  # countries whose places can be where an event happened
    events: list[Event]
    elsewhere: frozenset[int]  # starts of place mentions that are not where events happened
    published: date | None
    precision: str
    # The first sentence of a report of at most SHORT_REPORT_SENTENCES in which the rules
    # opened no event (see `type_short_report`).
    short_report: Frame | None = None


def extract_article(doc: Doc, article: ArticleInput, gazetteer: Gazetteer,
                    pack_for: Callable[[str], LanguagePack | None]) -> ArticleRows:
    """Rows for one parsed article (see `read_article` and `finish_article`)."""
    reading = read_article(doc, article, gazetteer, pack_for)
    if reading.short_report is not None:
        type_short_report(reading, (classify([article.body]) or [None])[0])
    predictions = classify([event_text(e) for e in reading.events])
    return finish_article(reading, predictions, gazetteer)


def read_article(doc: Doc, article: ArticleInput, gazetteer: Gazetteer,
                 pack_for: Callable[[str], LanguagePack | None]) -> ArticleReading:
    """Sentences, mentions and events of one parsed article. `pack_for(language)` gives a
    language's pack (None when the language has none: its sentences and mentions are kept,
    no incident is read)."""
    rows = ArticleRows()
    sentences = list(doc.sents)
    texts = sentence_texts(doc, sentences)
    for index, sentence in enumerate(sentences):
        rows.sentences.append({
            "article_id": article.article_id, "sentence_index": index,
            "char_start": sentence.start_char, "char_end": sentence.end_char,
            "text": texts[index],
        })
    main_pack = pack_for(article.language) or pack_for("en")
    dateline = find_dateline(article.body)
    dateline_span = (dateline.start, dateline.end) if dateline else None
    mentions, context = find_mentions(doc, gazetteer, main_pack, sentences=sentences,
                                      dateline=dateline_span, texts=texts)
    _add_mentions(rows, article.article_id, mentions, gazetteer)
    published, precision = _effective_publication(article, dateline, main_pack,
                                                  pack_for(BYLINE_LANGUAGE))
    language_at = _sentence_languages(article, sentences)
    by_sentence: dict[int, list[Mention]] = {}
    for mention in mentions:
        by_sentence.setdefault(mention.sentence_index, []).append(mention)

    home = _home_countries(mentions, context.main_country)
    # A round-up's items each in their own country ('GHANA: At least three people...').
    labelled = _country_items(sentences, texts, article.body, mentions)
    headline_end = _headline_end(article)
    ancestors = _ancestry(gazetteer)

    def read_at(index: int, pack: LanguagePack, live_only: bool = False
                ) -> SentenceReading | None:
        reading = read_sentence(texts[index], sentences[index].start_char, pack, published,
                                precision, live_only)
        if reading is None:
            return None
        if dateline_span:  # "Port-au-Prince, le 14 mars 2025 -" dates the filing, not the event
            reading.dates = [d for d in reading.dates
                             if not dateline_span[0] <= d.start < dateline_span[1]]
        reading.dates = _off_place_names(reading.dates, by_sentence.get(index, []))
        return reading

    def frame_at(index: int, reading: SentenceReading, pack: LanguagePack) -> Frame:
        sentence_mentions = by_sentence.get(index, [])
        sources = _sources(sentence_mentions, article.body, pack)
        places = _off_road_ends([m for m in sentence_mentions if m.entry.entity_table == "places"
                                 and m.via != "dateline" and not reading.in_aside(m.start)
                                 and not _elsewhere(m, article.body, pack)
                                 and not _an_office(m, article.body, pack)], article.body, pack,
                                ancestors)
        places = _off_reference_points(places, article.body, pack)
        places = _off_possessors(places, article.body)
        # 'Iran-backed militias': a place glued to a participle qualifies who acts
        places = [m for m in places if not MODIFIER_AFTER.match(article.body, m.end)]
        places = _off_division_namesakes(places, ancestors, article.body)
        places = _off_named_divisions(places, article.body, pack, ancestors)
        places = _off_towns_around_villages(places, article.body, pack)
        # (an item of a round-up also tells of events in the country it is labelled with)
        item = labelled.get(index)
        places = _in_country(places, home | {item[1]} if item else home)
        return Frame(index, reading, [m for m in sentence_mentions if m not in sources],
                     places, sources,
                     landmarks=_landmarks(sentence_mentions, article.body, pack),
                     sited=_sited(places, reading, article.body, pack))

    frames: list[Frame] = []
    body = _body(sentences, headline_end)
    body_set = set(body)
    for index in body:
        pack = pack_for(language_at[index])
        if pack is None or is_byline(texts[index]) or not may_trigger(texts[index], pack):
            continue  # a byline line ('Outlet — 19 December 2024 — https://...') tells no event
        # With no live trigger the sentence is no candidate (the checks below only drop
        # triggers): its dates and tolls are not read.
        reading = read_at(index, pack, live_only=True)
        if reading is None:
            continue
        sentence_mentions = by_sentence.get(index, [])
        reading.triggers = _territory_taken(_outside_names(reading, sentence_mentions),
                                            reading, sentence_mentions, pack)
        if not reading.is_candidate or _old_trend(reading, published) or \
                _earlier_year(reading, published) or _history(reading, published, precision) \
                or _earlier_month(reading, published) or _opened_by_earlier_year(reading, published) \
                or _planned_day(reading, published, precision, pack) \
                or _named_by_their_day(reading, pack) or _recalled(reading, published, precision):
            continue
        _off_history_told_beside(reading, published, precision)
        if not reading.triggers:
            continue
        frame = frame_at(index, reading, pack)
        # (a reaction or a quote, which opens no event undated, is not dated by the sentence
        # before: 'A meeting was called for Thursday. The prefect announced that patrols
        # would be organised' tells no patrol of that day)
        if frame.date is None and (frame.place is None or _journey_ends_only(frame, article.body,
                                                                             pack)) and \
                reading.opens and \
                index - 1 in body_set and \
                not (frames and frames[-1].index == index - 1) and \
                "\n" not in article.body[sentences[index - 1].end_char:sentences[index].start_char]:
            previous = pack_for(language_at[index - 1])
            scene = read_at(index - 1, previous) if previous is not None else None
            if scene is not None and not _history(scene, published, precision):
                _set_scene(frame, frame_at(index - 1, scene, previous),
                           own_line="\n" in texts[index - 1])
        heading = _item_heading(index, frames, sentences, texts, article.body)
        item = labelled.get(index)
        if item is not None and not (frames and frames[-1].index >= item[0]):
            frame.new_item = True  # the first event of a round-up's item is its own
        if heading:
            frame.new_item = True
            if not any(d.precision == "day" for d in frame.reading.dates):
                _set_item_scene(frame, [frame_at(i, read_at(i, pack), pack) for i in heading])
        _day_told_before(frame, frames, pack)
        frames.append(frame)

    events = group_frames(frames, ancestors)
    framed = {f.index: e for e in events for f in e.frames}
    for event in events:
        if _own_day(event):
            continue
        for index in range(event.lead.index + 1, event.lead.index + 1 + RETOLD_REACH):
            if framed.get(index, event) is not event:
                break  # the account has moved on to another event
            if index in framed or index not in body_set or not texts[index].strip():
                continue
            pack = pack_for(language_at[index])
            retold = read_at(index, pack) if pack is not None else None
            if retold is not None and _day_and_site(event, frame_at(index, retold, pack),
                                                    ancestors):
                break
    # A short report (a snippet, a summary) in which no sentence opened an event: its first
    # sentence, for the classifier to type from the whole text (`type_short_report`).
    short_report = None
    if not events and body and len(body) <= SHORT_REPORT_SENTENCES and \
            (pack := pack_for(language_at[body[0]])) is not None:
        short_report = frame_at(body[0], read_at(body[0], pack), pack)
    # A place in a clause about another event ('..., despite the change of power in
    # Damascus') is no place of the sentence's event, nor of the events near it.
    asides = [f.reading.aside for f in frames if f.reading.aside is not None]
    elsewhere = frozenset(m.start for m in mentions if m.entry.entity_table == "places"
                          and (_elsewhere(m, article.body, pack_for(language_at[m.sentence_index])
                                          or main_pack)
                               or any(low <= m.start < high for low, high in asides)))
    return ArticleReading(article, doc, sentences, rows, mentions, context.main_country, home,
                          events, elsewhere, published, precision, short_report)


# How far after an undated lead the sentence telling its day and site may come.
RETOLD_REACH = 3


def _own_day(event: Event) -> bool:
    """Whether a sentence of the event dates it to the day or week (not only the day its
    source spoke)."""
    told = event.date
    return told is not None and told.precision in {"day", "week"} and told.source != "report"


def _day_and_site(event: Event, retold: Frame, ancestors) -> bool:
    """'A drone strike killed seven people at a wedding in the Ségou region ... The strike
    hit a compound in Kolongo, in the Macina district, on Saturday evening', 'Police arrested
    six people in a pre-dawn raid in the city of Masaya ... Officers entered several homes
    in the Monimbó neighborhood of Masaya early Sunday': a lead with no day (a round-up's,
    naming several events) told again right after, in a sentence naming no act of its own
    (it refers back: 'the strike'), with its day and a finer place inside the lead's, is
    dated and placed by that sentence. The day and place join the lead's."""
    day, site, told = retold.date, retold.place, event.place
    if site is not None and told is not None and site.entry.key == told.entry.key:
        # the lead's town named again: a quarter nothing locates named with it is the site
        site = next((p for p in retold.places if not located(p)
                     and p.entry.kind in {"neighbourhood", "locality"}), None)
    if day is None or day.precision != "day" or site is None or \
            site.entry.kind in BROAD_KINDS:
        return False
    if not located(site) and told is not None and told.entry.kind not in BROAD_KINDS:
        # a quarter nothing locates refines a town's lead only when named with that town
        # ('the Monimbó neighborhood of Masaya'): it hangs from it
        if retold.place is None or retold.place.entry.key != told.entry.key:
            return False
        site = replace(site, entry=site.entry._replace(
            key=f"{site.entry.key}:{told.entry.key}", parent_key=told.entry.key,
            admin1=told.entry.admin1 or site.entry.admin1))
    if told is not None and told.entry.kind not in BROAD_KINDS and not (
            told.entry.key in ancestors(site.entry) or (
                _finer(site.entry.kind, told.entry.kind)
                and places_compatible(told, site, ancestors))):
        return False
    if told is not None and not places_compatible(told, site, ancestors):
        return False
    lead = event.lead
    lead.reading.dates = [day, *lead.reading.dates]
    lead.places.append(site)
    return True


def _finer(kind: str, than: str) -> bool:
    return kind in FINEST_FIRST and than in FINEST_FIRST and \
        FINEST_FIRST.index(kind) < FINEST_FIRST.index(than)


# A day named by the day told before it: 'the same day' (0), 'the next day' (+1), 'the day
# before' (-1); cue name in the pack -> days after the day told before.
DAY_TOLD_BEFORE = {"same_day": 0, "next_day": 1, "previous_day": -1}


def _day_told_before(frame: Frame, frames: list[Frame], pack: LanguagePack) -> None:
    """'The same day, a shell struck a school in X', 'Le lendemain, des bandits ont pillé...': a
    sentence with no day of its own, dated by the day of the event told before it (the last
    sentence read that gives one), shifted as its words say."""
    reading = frame.reading
    if any(d.precision == "day" for d in reading.dates):
        return
    told = next((f.date for f in reversed(frames)
                 if f.date is not None and f.date.precision == "day"), None)
    if told is None:
        return
    for name, shift in DAY_TOLD_BEFORE.items():
        cue = pack.cue(name)
        found = cue.search(reading.text) if cue is not None else None
        if found is not None:
            reading.dates = [DateMention(told.date + timedelta(days=shift), "day", "relative",
                                         reading.start + found.start(),
                                         reading.start + found.end(), found.group(0)),
                             *reading.dates]
            return


def _off_place_names(dates: list[DateMention], mentions: list[Mention]) -> list[DateMention]:
    """'a riot in the prison of Santo Domingo de los Tsáchilas': a weekday inside the name of a
    place the sentence names is part of that name, and dates nothing."""
    names = [(m.start, m.end) for m in mentions if m.entry.entity_table == "places"]
    return [d for d in dates if not any(low <= d.start and d.end <= high for low, high in names)]
def _sited(places: list[Mention], reading: SentenceReading, body: str, pack: LanguagePack
           ) -> list[Mention]:
    """The places a sentence puts what it tells at, named after a place preposition ('near
    X', 'à Y'): not a place that only names a source ('the X regional office said'), a
    building ('in the X health centre'), where people came from ('brought from X'), nor where
    the speaker is ('an officer in X said three soldiers had died')."""
    before = site_preposition_before(pack)
    return [p for p in places if before.search(body[max(0, p.start - 30):p.start])
            and not _speakers_place(p, reading, pack)]


def _speakers_place(place: Mention, reading: SentenceReading, pack: LanguagePack) -> bool:
    """Whether a verb of speech follows the place with nothing told between them, and what
    is told comes after it: 'a source at the X hospital told reporters that 12 had died'."""
    verbs = pack.cue_phrases.get("source_verb")
    if not verbs:
        return False
    offset = place.end - reading.start
    spoke = re.compile(rf"(?<!\w)(?:{'|'.join(verbs)})(?!\w)", re.I).search(reading.text, offset)
    if spoke is None:
        return False
    told = [t.start for t in reading.triggers]
    return not any(offset <= s < spoke.start() for s in told) and \
        any(s >= spoke.end() for s in told)


def _set_scene(frame: Frame, scene: Frame, own_line: bool = False) -> None:
    """'On Tuesday the protests reached Kaedi. Demonstrators ransacked the prefecture': a
    sentence that tells no event but gives a day and a town, right before one that tells an
    event with neither, in the same paragraph, says when and where that event happened. One
    that names no place of an event still says when, if it names the day by its date ('On
    Sunday 9 March the gunmen moved on. Nine more people were shot there'): a relative day
    ('today's coverage ends here') may be the writer's, not the event's, and so may the date
    of a line of its own (`own_line`: a byline, 'Outlet - 8 April 2026'). A village nothing
    locates, named with the day's date, is the scene's place too ('Mèkredi 11 novanm, menm
    bandi yo monte Nouvelle-Touraine. ... yo mete dife nan onz kay')."""
    if scene.reading.context or scene.reading.quoted:
        return
    day = [d for d in scene.reading.dates if d.precision == "day" and d.source not in
           {"report", "since"}]
    places = _scene_places(scene)
    explicit = [d for d in day if d.source == "explicit"]
    # (not those of a statement: 'the commissioner told the radio that the attackers came from
    # X' names where its speaker is and where the attackers came from)
    villages = [p for p in scene.places if p.entry.kind not in BROAD_KINDS] \
        if scene.reading.cues.isdisjoint({"source_verb", "attribution"}) else []
    if explicit and not places and not own_line and (villages or not scene.places):
        frame.reading.dates = explicit[:1] + frame.reading.dates
        frame.places = villages + frame.places
    elif day and places:
        frame.reading.dates = day[:1] + frame.reading.dates
        frame.places = places + frame.places


# A numbered item of a list ('3. REGION / TOWN – 4 Mar, about 06:40.', '2) ...', '(4) ...').
ITEM_NUMBER = re.compile(r"\s*(?:\d{1,2}[.)]|\(\d{1,2}\))(?!\d)")


def _item_heading(index: int, frames: list[Frame], sentences, texts: list[str], body: str
                  ) -> list[int]:
    """The sentences before `index` in its paragraph when the paragraph is a numbered item
    ('2. REGION / TOWN – 4 Mar, about 06:40. A bomb went off ...') and no sentence
    of the item told an event before: the item's heading, which dates the item's first
    event. A daily bulletin's items are each their own event, with their own day."""
    start = index
    while start > 0 and "\n" not in body[sentences[start - 1].start_char:sentences[start].start_char]:
        start -= 1
    if start == index or (frames and frames[-1].index >= start) or \
            not ITEM_NUMBER.match(texts[start]):
        return []
    return list(range(start, index))


# A round-up's paragraph opened by a country's name in capitals and a colon ('NIGER: Police
# fired tear gas...', 'BURKINA FASO: At least five soldiers...'), or a numbered item's heading
# opened by one and a dash ('2. CAMEROON – Roadside bomb near Kumba').
COUNTRY_LABEL = re.compile(r"\s*(?:\d{1,2}[.)]\s+)?[A-ZÀ-Ý][A-ZÀ-Ý'’. -]{2,40}?\s*(?::|[–—]|-(?=\s))\s")


def _country_items(sentences, texts: list[str], body: str, mentions: list[Mention]
                   ) -> dict[int, tuple[int, str]]:
    """Sentence index -> (first sentence of its paragraph, country) for the paragraphs of a
    round-up that its country labels in capitals ('GHANA: At least three people were killed
    ... in Chereponi'): each is an item of its own, about that country, whatever the dateline's
    or the article's main country."""
    labels: dict[int, str] = {}
    for mention in mentions:
        text = texts[mention.sentence_index]
        label = COUNTRY_LABEL.match(text)
        offset = mention.start - sentences[mention.sentence_index].start_char
        if label and mention.entry.kind == "country" and mention.entry.country_iso3 and \
                offset < label.end() and text[offset:mention.end - mention.start + offset].isupper():
            labels[mention.sentence_index] = mention.entry.country_iso3
    items: dict[int, tuple[int, str]] = {}
    current: tuple[int, str] | None = None
    for index, sentence in enumerate(sentences):
        if index == 0 or not texts[index - 1].strip() or \
                "\n" in body[sentences[index - 1].end_char:sentence.start_char]:
            # the number of a numbered item is a sentence of its own ('2.')
            numbered = ITEM_NUMBER.fullmatch(texts[index]) and index + 1 in labels
            # a heading on a line of its own labels the paragraph below it too
            heading = current is not None and index - current[0] <= 2 and \
                all(texts[i].strip() and "\n" not in texts[i].strip()
                    for i in range(current[0], index))
            current = (index, labels[index]) if index in labels else \
                (index, labels[index + 1]) if numbered else (current if heading else None)
        if current is not None:
            items[index] = current
    return items


def _set_item_scene(frame: Frame, heading: list[Frame]) -> None:
    """A numbered item's heading gives its first event the day it names (and its place when
    the event's sentence names none)."""
    days = [d for h in heading for d in h.reading.dates
            if d.precision == "day" and d.source not in {"report", "since"}]
    if not days:
        return
    frame.reading.dates = days[:1] + frame.reading.dates
    if not frame.places:
        frame.places = [p for h in heading for p in _scene_places(h)]


def _scene_places(scene: Frame) -> list[Mention]:
    """The specific places a scene sentence sets: those something locates; else a village
    the gazetteer lacks when the sentence also names a known region or town, not only the
    country ('in North Kordofan, ... from the village of X'): the village is the scene."""
    specific = [p for p in scene.places if p.entry.kind not in BROAD_KINDS]
    located_ones = [p for p in specific if located(p)]
    if located_ones or not any(located(p) and p.entry.kind != "country" for p in scene.places):
        return located_ones
    return [p for p in specific if p.entry.kind == "locality"]


def type_short_report(reading: ArticleReading, prediction: Prediction | None) -> None:
    """Give a short report the event the classifier reads in its whole text, when the rules
    found none and the classifier is sure enough: a snippet such as 'US troops handed over Air
    Base 101 in Niamey to the Nigerien army' names no trigger the rules know, yet reports an
    event. Its place, date, actors and toll are read from its first sentence as usual."""
    if reading.short_report is None or reading.events or prediction is None:
        return
    label, probability = prediction.best
    if label == NONE or probability < SHORT_REPORT_PROBABILITY:
        return
    reading.events.append(Event([reading.short_report], reported=prediction))


def finish_article(reading: ArticleReading, predictions: list[Prediction] | None,
                   gazetteer: Gazetteer) -> ArticleRows:
    """The incident rows of an article's events, given the classifier's view of each."""
    predictions = predictions or [None] * len(reading.events)
    kept = [(event, typed) for event, prediction in zip(reading.events, predictions, strict=True)
            if (typed := decide_type(event, prediction)) is not None
            and not _long_before(event, reading.published, reading.precision)]
    if _told_days_before(kept, reading.published):
        kept = [(event, typed) for event, typed in kept if not _undated_other(event, typed)]
    number = 0
    for event, typed in kept:
        told_elsewhere = _other_events_sentences(event, [e for e, _ in kept])
        for each in [typed, *_companions(event, typed)]:
            _emit_incident(reading.rows, reading.doc, reading.sentences, reading.article,
                           number, event, each,
                           [m for m in reading.mentions if m.start not in reading.elsewhere],
                           reading.main_country, reading.home, reading.published,
                           reading.precision, gazetteer, told_elsewhere=told_elsewhere)
            number += 1
    return reading.rows


# ACLED's sub-event for a security development that is none of the others.
OTHER_TYPE = "Other"


def _undated_other(event: Event, typed: Typed) -> bool:
    """'Police remained deployed along the avenue', 'soldiers patrolled the capital', 'the
    road stayed blocked for hours': in an article that tells other events, an 'Other' (a
    patrol, a deployment, a cordon, a blocked road) the text gives no day of its own is a
    standing situation or the setting of those events, not an event ACLED dates; a
    deployment it reports is told with its day ('on Sunday, 500 soldiers arrived in X').
    A roadblock an armed group set up is that group's act, dated or not. (`finish_article`
    drops these only in an article that reports events of days before it was published,
    where the publication date dates nothing; in an analyst's note of one day's events the
    note's day is theirs.) A blockade held 'since Monday' is dated only by the start of a
    standing situation, no day of its own."""
    found = event.date
    return typed.sub_event_type == OTHER_TYPE and \
        (found is None or found.precision != "day" or found.source == "since") \
        and not agent_categories(event.lead) & ARMED


def _told_days_before(kept: list[tuple[Event, Typed]], published: date | None) -> bool:
    """Whether the article dates one of its events to a day before it was published."""
    return published is not None and any(
        event.date is not None and event.date.precision == "day" and event.date.date < published
        for event, _ in kept)


def _other_events_sentences(event: Event, events: list[Event]) -> frozenset[int]:
    """The sentences that tell the article's other events: their places are theirs, not
    places to borrow for an event whose own sentences name none."""
    own = {f.index for f in event.frames}
    return frozenset(f.index for other in events if other is not event for f in other.frames
                     if f.index not in own)


# Arrests and weapons seized told in one breath ('police arrested five men and seized 14
# rifles') are two of ACLED's events of one raid: the arrests, and the weapons use disrupted.
# Sub-event type -> (the other trigger kind the lead must hold, the companion's sub-event type).
COMPANIONS = {"Disrupted weapons use": ("arrest", "Arrests"),
              "Arrests": ("seizure", "Disrupted weapons use")}


def _companions(event: Event, typed: Typed) -> list[Typed]:
    """The other incident an event's lead sentence reports beside the typed one: the arrests
    of a weapons seizure, or the seizure of an arrest raid (`COMPANIONS`)."""
    pair = COMPANIONS.get(typed.sub_event_type)
    if pair is None or event.reported is not None:
        return []
    kind, sub_event_type = pair
    if not any(t.kind == kind and not t.negated for t in event.lead.reading.triggers):
        return []
    probability = typed.prediction.of(sub_event_type) if typed.prediction else None
    return [replace(typed, sub_event_type=sub_event_type, classifier_probability=probability,
                    source="rules")]


def event_text(event: Event) -> str:
    return " ".join(f.reading.text for f in event.frames)


# A report of at most this many sentences (after its headline) is one event told briefly: a
# snippet or a summary. When the rules open no event in it, the classifier's reading of the
# whole text decides, if its best label has at least this probability.
SHORT_REPORT_SENTENCES = 4
SHORT_REPORT_PROBABILITY = 0.4
# The classifier overrules the rules' sub-event type only when it is sure and the rules'
# choice is unlikely to it; it vetoes an event only when its triggers are weak: where the rules
# hesitate (a patrol, gunfire heard, 'an operation', 'attack' in an analysis or a verdict), "no
# event" as the classifier's best reading of the account is veto enough, if it has at least
# NONE_PROBABILITY (on five tuning sets the 'no event' best label at 0.30-0.64 sat on nine
# spurious incidents and one optional one; no required incident had it above 0.25).
SWITCH_PROBABILITY = 0.6
KEEP_PROBABILITY = 0.15
NONE_PROBABILITY = 0.8
WEAK_RULE = 0.6
# Who took a town decides between these two; the rules know who acted, the classifier's
# words ('recaptured', 'took control') do not.
TERRITORY = {"Government regains territory", "Non-state actor overtakes territory"}
# Who a harm fell on decides between a battle and an attack on civilians, and whether people
# were harmed at all or only property: the rules read it in the lead (`harm_sides`), the
# classifier's words do not ('shot dead two officers' and 'shot dead two farmers' read alike).
HARM_TYPES = {"Attack", "Armed clash"}
HARM_OR_DAMAGE = HARM_TYPES | {"Looting/property destruction"}
# Sub-event types named by the weapon alone: the rules found the words ('a suicide car
# bombing', 'chemical agents'); the classifier's view of the rest of the account cannot undo it.
WEAPON_TYPES = {"Suicide bomb", "Chemical weapon"}
# Sub-event types the lead's own words name, never made a clash (`_named_by_lead`).
LEAD_NAMED_TYPES = TERRITORY | {"Remote explosive/landmine/IED"}
CLASH_TYPE = "Armed clash"
# Gunfire with no victims (`_victims_not_other`).
OTHER_TYPE = "Other"
# People hurt and taken in one event are the codebook's attack (`_attack_with_abduction`).
ABDUCTION_TYPE = "Abduction/forced disappearance"
# A protest the rules read burning barricades in is a violent demonstration by the codebook;
# the classifier, reading 'demonstration' in the words, may not make it peaceful. (Stones and
# damage are read in what police allege and in what protesters demand: the classifier may.)
PROTEST_TYPES = {"Peaceful protest", "Protest with intervention"}


@dataclass(frozen=True)
class Typed:
    event_type: str
    sub_event_type: str
    rule_confidence: float
    classifier_probability: float | None  # of the chosen sub-event type
    source: str  # 'rules', 'classifier'
    prediction: Prediction | None = None


def decide_type(event: Event, prediction: Prediction | None) -> Typed | None:
    """The event's ACLED type from the rules and the classifier; None when it is no event."""
    if event.reported is not None:  # a short report the rules found nothing in
        label, probability = event.reported.best
        return Typed(event_type_of()[label], label, 0.0, probability, "classifier",
                     event.reported)
    participants = [m for m in event.mentions if m.entry.entity_table in {"actors", "institutions"}]
    agents = agent_categories(event.lead)
    sides = harm_sides(event.lead)
    chosen = choose_event(event.typing_triggers, {m.entry.category for m in participants
                                                  if m.entry.category}, agents, sides)
    if chosen is None:
        return None
    event_type, sub_event_type, confidence = chosen
    if prediction is None:
        return Typed(event_type, sub_event_type, confidence, None, "rules", None)
    label, probability = prediction.best
    if label == NONE and probability >= NONE_PROBABILITY and confidence <= WEAK_RULE:
        return None
    if label not in (NONE, sub_event_type) and probability >= SWITCH_PROBABILITY \
            and prediction.of(sub_event_type) <= KEEP_PROBABILITY \
            and not ({label, sub_event_type} == TERRITORY and agents & (STATE | ARMED)) \
            and not (sub_event_type in HARM_TYPES and label in HARM_OR_DAMAGE and sides[1]) \
            and sub_event_type not in WEAPON_TYPES \
            and not _measure_read(event, sub_event_type) \
            and not _violence_read_in_protest(event, sub_event_type, label) \
            and not _attack_with_abduction(event, sub_event_type, label) \
            and not _victims_not_other(event, sub_event_type, label) \
            and not _read_as_negated(event, label) \
            and not _named_by_lead(event, sub_event_type, label) \
            and not event.peaceful:  # 'the march ended without incident' is not overruled
        return Typed(event_type_of()[label], label, confidence, probability, "classifier",
                     prediction)
    return Typed(event_type, sub_event_type, confidence, prediction.of(sub_event_type), "rules",
                 prediction)


def _measure_read(event: Event, sub_event_type: str) -> bool:
    """A curfew, a state of emergency or a ban on gatherings imposed, read by the rules in the
    lead: ACLED's change to group/activity (docs/dev-sets.md, gold conventions). The classifier
    first learnt such measures as 'Other' and still may not retype them: its training rows
    were relabelled (2026-11-27), but only those telling the measure alone."""
    return sub_event_type == MEASURE_TYPE and any(
        t.kind in MEASURE_KINDS and not t.negated for t in event.lead.reading.triggers)


def _violence_read_in_protest(event: Event, sub_event_type: str, label: str) -> bool:
    return sub_event_type == "Violent demonstration" and label in PROTEST_TYPES and any(
        t.kind == "barricade" and crowd_violence(t) for t in event.typing_triggers)


def _attack_with_abduction(event: Event, sub_event_type: str, label: str) -> bool:
    """People killed or wounded by those who took others, or took them and then killed them
    ('shot the driver and abducted his wife', 'kidnapped a trader and later killed him'): the
    rules read the codebook's attack with abduction; the classifier, reading the kidnapping
    words, may not make it an abduction alone."""
    if sub_event_type != "Attack" or label != ABDUCTION_TYPE:
        return False
    kinds = {t.kind for t in event.typing_triggers if not t.negated}
    return "kidnap" in kinds and bool(kinds & {"kill", "injure"})


def _victims_not_other(event: Event, sub_event_type: str, label: str) -> bool:
    """People killed or wounded where shots were heard ('gunfire rang out as the gang attacked
    the district. Several people were hit.'): the codebook's 'Other' is gunfire with no
    victims, so the classifier, reading 'gunfire heard', may not make the harm the rules read,
    told in any of the event's sentences, 'Other'."""
    if sub_event_type not in HARM_TYPES or label != OTHER_TYPE:
        return False
    # Not when the lead only heard shots and a later sentence adds a victim nobody ties to
    # them ('someone was reportedly wounded, but nothing confirms an attack'): that stays open.
    return any(t.kind in HARM_KINDS and not t.negated for t in event.lead.reading.triggers) \
        and any(t.kind in {"kill", "injure"} and not t.negated for t in event.triggers)


def _named_by_lead(event: Event, sub_event_type: str, label: str) -> bool:
    """The lead's own words name what was used or taken ('a bomb buried by the road hit the
    truck', 'rebels captured the town', 'troops retook it'): the classifier, reading the
    fighting the rest of the account tells, may not make it a clash. (Not one weapon into
    another: the rules' pick among a lead's weapons is weak, and the classifier often right.)
    A bomb told only in a later sentence (a statistic, a find) does not count."""
    return label == CLASH_TYPE and sub_event_type in LEAD_NAMED_TYPES and any(
        t.sub_event_type == sub_event_type and not t.negated
        for t in event.lead.reading.triggers)


def _read_as_negated(event: Event, label: str) -> bool:
    """The classifier's type is that of words the rules read as negated, hedged or charged
    ('killed a man they accused of raping a girl', 'no one was abducted'): the words are in the
    text, the event is not, so the classifier may not type the event by them."""
    if any(t.sub_event_type == label for t in event.typing_triggers):
        return False  # live words of that type
    lead = event.lead.reading
    pack = load_pack(reference_dir(), lead.language)
    return pack is not None and any(t.negated and t.sub_event_type == label
                                    for t in find_triggers(lead.text, pack))


def _outside_names(reading: SentenceReading, mentions: list[Mention]) -> list[Trigger]:
    """The sentence's triggers that are not words of a name: the 'Operation and Intervention
    Brigade' or the 'Anti-Kidnapping Unit' tell who acted, not what happened."""
    names = [(m.start - reading.start, m.end - reading.start) for m in mentions
             if m.via != "descriptor" and m.entry.entity_table in {"actors", "institutions"}]
    return [t for t in reading.triggers if not any(a <= t.start < b for a, b in names)]


# Between 'captured'/'seized' and the place taken: nothing, or an article ('seized the Kidal').
_BEFORE_PLACE = re.compile(r"\s+(?:(?:the|la|le|les)\s+|l['’])?", re.I)
TAKEN_PLACE_KINDS = {"city", "locality", "neighbourhood", "admin2", "facility"}


def _territory_taken(triggers: list[Trigger], reading: SentenceReading, mentions: list[Mention],
                     pack: LanguagePack) -> list[Trigger]:
    """'captured Adan Yabaal', 'seized Kidal': what is captured is a place, so the town was
    taken (ACLED's territory types), not people arrested or weapons seized."""
    spec = pack.trigger_kinds.get("overtake")
    if spec is None:
        return triggers
    starts = [m.start - reading.start for m in mentions if m.entry.entity_table == "places"
              and m.entry.kind in TAKEN_PLACE_KINDS]
    text = reading.text
    taken = []
    for t in triggers:
        if t.kind in {"arrest", "seizure"} and any(
                start > t.end and _BEFORE_PLACE.fullmatch(text[t.end:start]) for start in starts):
            t = replace(t, kind="overtake", event_type=spec.event_type,
                        sub_event_type=spec.sub_event_type, strength=spec.strength,
                        violent=spec.violent)
        taken.append(t)
    return taken


def _sources(mentions: list[Mention], body: str, pack: LanguagePack) -> list[Mention]:
    """Actors and institutions quoted as the source of the report ('police in Kaduna State
    said', 'according to the army'): they tell of the event, they do not take part in it."""
    verb, before = _source_patterns(pack)
    found = []
    for mention in mentions:
        if mention.entry.entity_table not in {"actors", "institutions"}:
            continue
        if verb.match(body, mention.end) or before.search(body[max(0, mention.start - 40):
                                                               mention.start]):
            found.append(mention)
    return found


@cache
def _source_patterns(pack: LanguagePack) -> tuple[re.Pattern, re.Pattern]:
    verbs = alternation(pack.cue_phrases.get("source_verb", []))
    before = alternation(pack.cue_phrases.get("source_before", []))
    place = r"(?:\s+(?:in|of|at|for|from|de|du|nan)\s+[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*){0,3})?"
    # 'The 3rd Division spokesperson, Maj Isaac Oware, told': the body's speaker, named or not.
    speaker = alternation([accent_pattern(w) for w in pack.words("speaker_noun")])
    speaker = rf"(?:\s+{speaker}(?:\s*,[^,\n]{{1,60}},)?)?"
    return (re.compile(rf"{place}{speaker}\s*,?\s*{verbs}\b", re.I),
            re.compile(rf"\b{before}\s+(?:(?:the|la|le|les|l')\s*)?$", re.I))


def _effective_publication(article: ArticleInput, dateline, pack: LanguagePack | None,
                           byline_pack: LanguagePack | None = None) -> tuple[date | None, str]:
    """The publication date, made precise by the article's dateline or byline
    (`publication.text_publication`; ingest stores the same date)."""
    return text_publication(article.body, dateline, article.published,
                            article.published_precision, article.fallback_date, pack,
                            byline_pack)


def _sentence_languages(article: ArticleInput, sentences) -> list[str]:
    """The language of each sentence's paragraph (articles may quote another language)."""
    paragraphs = paragraph_languages(article.body)
    languages = []
    for sentence in sentences:
        paragraph = next((p for p in paragraphs if p.start <= sentence.start_char < p.end + 1),
                         None)
        language = paragraph.language if paragraph else article.language
        languages.append(language if language != "und" else article.language)
    return languages


# Events an article dates this long before it was published are history it recalls (they were
# news when they happened, in the reports of the time), not what it reports.
HISTORY_DAYS = 45


def _long_before(event: Event, published: date | None, precision: str) -> bool:
    found = event.date
    if found is None or published is None or precision not in {"day", "month"}:
        return False
    last_day = found.date if found.precision == "day" else _window_end(found)
    return (published - last_day).days > HISTORY_DAYS


def _window_end(mention) -> date:
    import calendar

    if mention.precision == "month":
        return mention.date.replace(day=calendar.monthrange(mention.date.year,
                                                            mention.date.month)[1])
    if mention.precision == "year":
        return mention.date.replace(month=12, day=31)
    return mention.date


def _history(reading: SentenceReading, published: date | None, precision: str) -> bool:
    """'..., where a policeman shot dead a 15-year-old on 6 December 2008': a sentence whose
    every day is long before publication recalls history. It is no event of the article
    (`_long_before`), and must not become one that the undated account after it (the riot
    of this year's anniversary) joins."""
    days = [d for d in reading.dates if d.precision == "day" and d.source != "report"]
    return bool(days) and published is not None and precision == "day" and \
        all((published - d.date).days > HISTORY_DAYS for d in days)


# How long before publication a day recalled by a sentence opened as a recap ('Earlier this
# month, on November 6, ...') is an earlier event, not news of this report.
RECALLED_DAYS = 7


def _recalled(reading: SentenceReading, published: date | None, precision: str) -> bool:
    """'Earlier this month, on November 6, two villagers were injured by a pressure IED near
    X', 'Le mois dernier, le 3 octobre, ...': a sentence opened by an earlier time of the
    month or year (the pack's `recalled` cue, at its start) whose every day is more than a
    week before publication recalls an earlier event as background; it was news in the
    reports of its time. (Any `recap` opening was tried: French pluperfects and 'déjà' open
    sentences of the article's own events, and matched incidents were lost.)"""
    if published is None or precision != "day" or not isinstance(reading.cues, SentenceCues) \
            or not reading.cues.opens_with("recalled", OPENING_CLAUSE_CHARS):
        return False
    days = [d for d in reading.dates if d.precision == "day" and d.source != "report"]
    return bool(days) and all((published - d.date).days > RECALLED_DAYS for d in days)


def _off_history_told_beside(reading: SentenceReading, published: date | None,
                             precision: str) -> None:
    """'The trial of three ex-soldiers accused of the massacre of X, in which 95 people died on
    3 April 1982, opened on Tuesday': a sentence dating what it reports now and recalling an
    event of an earlier year, long before (`HISTORY_DAYS`), tells that event as history. The
    words nearest to the old date are history's, and so is the date: neither is the
    sentence's event."""
    if published is None or precision != "day" or not reading.triggers:
        return
    # 'a faction that had controlled the town since 2018 handed over its checkpoints on
    # Tuesday': a period running until now ('since') is no history told beside.
    told = [d for d in reading.dates if d.source not in {"report", "since"}]
    # Only a date written with an earlier year: within the article's year, a window of days
    # ('around 15 February 2024 (between 1 January - 31 March)', whose yearless end may be read
    # as last year's) or a season's months are no history.
    old = [d for d in told if d.date.year < published.year and _YEAR.search(d.text)
           and (published - _window_end(d)).days > HISTORY_DAYS]
    if not old or len(old) == len(told):
        return  # no history, or nothing but history (`_history`, `_earlier_year`...)

    def nearest(trigger) -> DateMention:
        at = reading.start + trigger.start
        return min(told, key=lambda d: min(abs(d.start - at), abs(d.end - at)))

    reading.triggers = [t for t in reading.triggers if nearest(t) not in old]
    reading.dates = [d for d in reading.dates if d not in old]


def _planned_day(reading: SentenceReading, published: date | None, precision: str,
                 pack: LanguagePack) -> bool:
    """'The party will join a vigil at the site on 27 November': a sentence whose only day is
    one to come tells a plan, no event. With a past day too ('less than two weeks before the
    vote of 30 November, a grenade hit a rally on Sunday'), the past day dates its event."""
    if any(d.precision in {"day", "week"} for d in reading.dates):
        return False
    return names_upcoming_day(reading.text, published, precision, pack)


_YEAR = re.compile(r"(?<![\d/-])((?:19|20)\d\d)(?![\d/-])")


def _earlier_year(reading: SentenceReading, published: date | None) -> bool:
    """'A 2014 peace agreement...', 'the 2022 elections': a sentence naming an earlier year,
    with no day of its own, is history."""
    if published is None or any(d.precision in {"day", "week"} for d in reading.dates):
        return False
    return any(int(year) < published.year for year in _YEAR.findall(reading.text))


# How far into a sentence a month may stand and still open it ('En février, ...', 'Nan mwa
# fevriye, ...', 'En diciembre pasado, ...').
OPENING_MONTH_CHARS = 25


def _earlier_month(reading: SentenceReading, published: date | None) -> bool:
    """'In February, a similar march in X passed off peacefully': a sentence opened by a month
    before the article's, and dated by nothing finer, recalls an earlier event as background.
    The article gives it no day; it was news when it happened, not in this report."""
    if published is None or any(d.precision in {"day", "week"} for d in reading.dates):
        return False
    first = min(reading.dates, key=lambda d: d.start, default=None)
    return first is not None and first.precision == "month" and \
        first.start - reading.start <= OPENING_MONTH_CHARS and \
        (first.date.year, first.date.month) < (published.year, published.month)


def _opened_by_earlier_year(reading: SentenceReading, published: date | None) -> bool:
    """'In 2022, insurgents killed a nun at X, an attack residents recalled on Tuesday', 'In
    2024, weeks of protests culminated in the storming of parliament on June 25': a sentence
    opened by a year that ended long before the article sets all it tells in that year; its
    day words date the recalling, or a day of that year, never an event of this report. So
    does a month written with its year ('During the June 2024 protests, demonstrators stormed
    Parliament on June 25': the yearless day is of that year, not this one)."""
    first = min(reading.dates, key=lambda d: d.start, default=None)
    return published is not None and first is not None and \
        (first.precision == "year" or (first.precision == "month" and _YEAR.search(first.text))) \
        and \
        first.start - reading.start <= OPENING_MONTH_CHARS and \
        (published - _window_end(first)).days > HISTORY_DAYS


def _named_by_their_day(reading: SentenceReading, pack: LanguagePack) -> bool:
    """'Drivers threatened a strike unless the guards involved in Monday's shooting are
    charged': a sentence whose every trigger is an event named by its day ('Monday's
    shooting', pack cue `day_named`, right before the words; 'l'attentat de lundi', cue
    `day_named_after`, right after them) names events the article has told; it tells none
    of its own."""
    before, after = pack.cue("day_named"), pack.cue("day_named_after")
    if (before is None and after is None) or not reading.triggers:
        return False
    return all((before is not None and before.search(reading.text[max(0, t.start - 30):t.start]))
               or (after is not None and after.match(reading.text[t.end:t.end + 40].lstrip()))
               for t in reading.triggers)


def _old_trend(reading: SentenceReading, published: date | None) -> bool:
    """"Lynchings have risen since April 2023": a trend that began long before the article."""
    if published is None or not reading.dates:
        return False
    text = reading.text.lower()
    for mention in reading.dates:
        before = text[max(0, mention.start - reading.start - 25):mention.start - reading.start]
        old = (published - mention.date).days > BACKGROUND_DAYS
        if not (old and ("since" in before or "depuis" in before or "began" in before)):
            return False
    return True


def _off_road_ends(places: list[Mention], body: str, pack: LanguagePack,
                   ancestors: Callable[[Entry], tuple[str, ...]]) -> list[Mention]:
    """The towns a road is named after ('on the Kaduna-Zaria road near Rigachikun') are its
    ends, not where the event happened, when the sentence names another place that does not
    merely contain them (in 'l'axe Djibo–Namssiguia, dans la province du Soum' the province
    says where the road is; Djibo stays the nearest place)."""
    pattern = _road_pattern(pack)
    ends = [] if pattern is None else [
        m for m in places
        if any(span[0] <= m.start and m.end <= span[1] and (m.start, m.end) != span
               for road in pattern.finditer(body, max(0, m.start - 60),
                                            min(len(body), m.end + 60))
               for span in [road.span("ends") if road.group("ends") else road.span("ends2")])]
    linked = {m.entry.key for m in places if m not in ends and _link_end(m, body, pack)}
    # an end named again in the sentence ('between A and B ..., the B emergency room said')
    # is still that end
    ends += [m for m in places if m not in ends and m.entry.key in linked]
    if not ends:
        return places
    containers = {key for m in ends for key in ancestors(m.entry)}
    kept = [m for m in places if m not in ends and m.entry.key not in containers
            and m.entry.kind not in BROAD_KINDS and not _called_a_division(m, body, pack)]
    return [m for m in places if m not in ends] if kept else places


def _journey_ends_only(frame: Frame, body: str, pack: LanguagePack) -> bool:
    """'Armed men set up a roadblock at X on Thursday. They stopped a bus linking A to B': the
    only towns of a sentence are the ends of the journey it was on, which say nothing of where
    on the way it happened; the sentence before, which does, sets its scene."""
    specific = [p for p in frame.places if p.entry.kind not in BROAD_KINDS]
    return bool(specific) and all(_link_end(p, body, pack) for p in specific)


def _link_end(mention: Mention, body: str, pack: LanguagePack) -> bool:
    """One of the two places a route, a crossing or a journey links ('a ferry plying between
    X and Y', 'l'axe reliant X à Y', 'yon bato ki t ap transpòte machandiz ant X ak Y'): an
    end of the way, not where on it the event happened (`link_between` cues)."""
    pattern = link_pattern(pack)
    if pattern is None:
        return False
    return any(link.start("ends") <= mention.start and mention.end <= link.end("ends")
               for link in pattern.finditer(body, max(0, mention.start - 160),
                                            min(len(body), mention.end + 60)))


def _off_reference_points(places: list[Mention], body: str, pack: LanguagePack
                          ) -> list[Mention]:
    """A place a direction is taken from ('on the front line north of X, near the village of
    Y', 'dans la localité de Y, au sud de X') is a landmark, not where the event happened,
    when the sentence names another place finer than a region; alone, it still places the
    event ('fighting north of X')."""
    pattern = _direction_pattern(pack)
    if pattern is None:
        return places
    points = [m for m in places if pattern.search(body, max(0, m.start - 30), m.start)]
    others = [m for m in places if m not in points and m.entry.kind not in BROAD_KINDS]
    return [m for m in places if m not in points] if points and others else places


# "Bogura's Shibganj": a place in the possessive right before another (up to the next word).
_POSSESSIVE_GAP = re.compile(r"['’]s?\s+(?:\w+\s+)?")


def _off_possessors(places: list[Mention], body: str) -> list[Mention]:
    """'a village in Bogura's Shibganj upazila', 'Lagos's Ikeja district': a place written in
    the possessive right before another holds it; the one it holds is where it happened. Only
    a held place the gazetteer knows: one it lacks ('Split's Bacvice area') is placed through
    the town that holds it, which must stay."""
    held = {m.start for m in places if m.via == "gazetteer"}
    possessors = [m for m in places if any(
        _POSSESSIVE_GAP.fullmatch(body, m.end, start) for start in held if start > m.end)]
    kept = [m for m in places if m not in possessors]
    return kept if possessors and any(m.entry.kind not in BROAD_KINDS for m in kept) else places


def _landmarks(mentions: list[Mention], body: str, pack: LanguagePack) -> list[Mention]:
    """The places a sentence takes a direction from ('30 km north of X', 'au sud de X')."""
    pattern = _direction_pattern(pack)
    return [m for m in mentions if m.entry.entity_table == "places" and pattern is not None
            and pattern.search(body, max(0, m.start - 30), m.start)] if pattern else []


def _off_division_namesakes(places: list[Mention], ancestors: Callable[[Entry], tuple[str, ...]],
                            body: str) -> list[Mention]:
    """'Mientras tanto, en Arauca, ... en una vía rural de Puerto Rondón': a town named like
    its own department or state (Arauca, Sololá, Kano) beside another town of that division,
    not inside it, names the division, as the press does; the other town is where it
    happened. Not a town only named in a quoted slogan ('marcharon por el centro de Lisboa
    bajo el lema "Justicia para Cova da Moura"')."""
    def namesake(mention: Mention) -> bool:
        entry = mention.entry
        return entry.kind == "city" and bool(entry.admin1) and fold(entry.name) in {
            fold(s) for s in division_surfaces(entry.admin1)}

    def elsewhere_in_division(mention: Mention, other: Mention) -> bool:
        return other.entry.key != mention.entry.key and \
            other.entry.kind in {"city", "locality", "neighbourhood"} and located(other) and \
            other.entry.admin1 == mention.entry.admin1 and \
            other.entry.country_iso3 == mention.entry.country_iso3 and \
            mention.entry.key not in ancestors(other.entry) and not _in_quotes(other, body)

    dropped = [m for m in places if namesake(m)
               and any(elsewhere_in_division(m, o) for o in places)]
    return [m for m in places if m not in dropped]


# How far from a place the text calls a commune or a district a town of its sentence may lie
# and still be read as inside it (communes and districts are some 10 to 30 km across).
DIVISION_REACH_KM = 20.0


def _off_named_divisions(places: list[Mention], body: str, pack: LanguagePack,
                         ancestors: Callable[[Entry], tuple[str, ...]]) -> list[Mention]:
    """'in the commune of X, ... at Y', 'nan komin X ... nan Y': a place the text calls a
    commune or a district names the division, and a town of its sentence that lies in it (or
    near it, in the same first-level division) is where the event happened. The gazetteer
    ranks both as towns, so the first named, the division, won."""
    def inside(other: Mention, division: Mention) -> bool:
        town, held = other.entry, division.entry
        if town.key == held.key or town.kind not in {"city", "locality", "neighbourhood"} or \
                not located(other) or _called_a_division(other, body, pack) or \
                not _inside_pattern(pack).search(body, max(0, other.start - 20), other.start):
            return False  # ('the commune of X above Y': a landmark, not a place in it)
        if held.key in ancestors(town):
            return True
        distance = haversine_km(town.latitude, town.longitude, held.latitude, held.longitude)
        return town.country_iso3 == held.country_iso3 and town.admin1 == held.admin1 and \
            distance is not None and distance <= DIVISION_REACH_KM

    divisions = [m for m in places if m.entry.kind in {"city", "admin2"}
                 and _called_a_division(m, body, pack)]
    dropped = [d for d in divisions if any(inside(other, d) for other in places)]
    return [m for m in places if m not in dropped]


def _off_towns_around_villages(places: list[Mention], body: str, pack: LanguagePack
                               ) -> list[Mention]:
    """'En X, ... en la comunidad de Y', 'in the municipality of X, ... in the village of Y': a
    known place the text calls a village or a community is where the event happened, not a
    larger town its sentence names without that word nearby (the seat of the municipality,
    the town it lies near), which the gazetteer ranks alike: the first named won."""
    villages = [m for m in places if m.entry.kind == "city" and m.entry.latitude is not None
                and _called_a_village(m, body, pack)]

    def around(town: Mention) -> bool:
        entry = town.entry
        return entry.kind == "city" and town not in villages and any(
            v.entry.key != entry.key and v.entry.population < entry.population
            and (distance := haversine_km(v.entry.latitude, v.entry.longitude,
                                          entry.latitude, entry.longitude)) is not None
            and distance <= VILLAGE_REACH_KM for v in villages)

    return [m for m in places if not around(m)]


# How far a village may lie from the town its sentence names beside it (a municipality's
# seat, a market town) and still be read as that town's village: municipalities and
# communes run some 20 to 60 km across.
VILLAGE_REACH_KM = 30.0


def _called_a_village(mention: Mention, body: str, pack: LanguagePack) -> bool:
    """'la comunidad de X', 'the village of X', 'X village', 'lokalite X': the text calls the
    place a village, whatever the gazetteer made of it."""
    before, after = _village_patterns(pack)
    return before.search(body, max(0, mention.start - 40), mention.start) is not None or \
        after.match(body, mention.end, min(len(body), mention.end + 20)) is not None


@cache
def _village_patterns(pack: LanguagePack) -> tuple[re.Pattern, re.Pattern]:
    words = alternation([accent_pattern(w) for w, kind in pack.words("place_qualifier").items()
                         if kind == "locality"]) or "village"
    return (re.compile(rf"(?<![\w'])(?i:{words})(?:\s+(?i:de|del|du|des|of)\s+|\s+d['’]|\s+)$"),
            re.compile(rf"\s+(?i:{words})\b"))


@cache
def _inside_pattern(pack: LanguagePack) -> re.Pattern:
    """A preposition that puts the next name inside a place ('in', 'à', 'nan'), right before
    it (a determiner may come between)."""
    inside = [accent_pattern(w) for w, value in pack.words("place_preposition").items()
              if value == "inside"] or ["in"]
    determiners = [accent_pattern(w) for w in pack.words("determiner")] or ["the"]
    return re.compile(rf"(?<![\w'])(?i:{alternation(inside)})\s+"
                      rf"(?:(?i:{alternation(determiners)})\s+)?$")


def _in_quotes(mention: Mention, body: str) -> bool:
    """Whether a name lies inside quotation marks opened earlier on its line."""
    line = body[body.rfind("\n", 0, mention.start) + 1:mention.start]
    return line.count('"') % 2 == 1 or line.count("«") > line.count("»") or \
        line.count("“") > line.count("”")


@cache
def _direction_pattern(pack: LanguagePack) -> re.Pattern | None:
    """The pack's place prepositions that take a direction from a place ('north of', 'au sud
    de', 'al oeste de')."""
    compass = set(pack.words("compass_word"))
    phrases = [p for p in pack.words("place_preposition")
               if len(p.split()) > 1 and any(w in compass or w.split("-")[0] in compass
                                             for w in re.split(r"[\s']", p))]
    if not phrases:
        return None
    return re.compile(rf"(?<![\w'])(?i:{alternation([accent_pattern(p) for p in phrases])})"
                      rf"\s+(?:the\s+|la\s+|el\s+|l')?$")


def _called_a_division(mention: Mention, body: str, pack: LanguagePack) -> bool:
    """'dans la province du Soum', 'in Kech district': the text calls the place a district,
    a province or a state, whatever the gazetteer or the model made of it."""
    divisions = _division_words(pack)
    before = fold(body[max(0, mention.start - 25):mention.start]).split()[-2:]
    after = fold(body[mention.end:mention.end + 25]).split()[:1]
    return any(word in divisions for word in before + after)


@cache
def _division_words(pack: LanguagePack) -> set[str]:
    return {word for word, kind in pack.words("place_qualifier").items()
            if kind in {"admin1", "admin2"}}


@cache
def _road_pattern(pack: LanguagePack) -> re.Pattern | None:
    words = pack.words("road_word")
    if not words:
        return None
    road = alternation([re.escape(w) for w in words])
    ends = r"(?P<ends>(?<![\w'’-])[A-Z][\w'’]*(?: [A-Z][\w'’]*)?(?:[-–][A-Z][\w'’]*(?: [A-Z][\w'’]*)?)+)"
    # 'the Kaduna-Abuja highway' (English), 'la route Port-au-Prince–Mirebalais' (French)
    before = ends.replace("?P<ends>", "?P<ends2>")
    return re.compile(rf"{ends}\s+(?i:{road})\b|\b(?i:{road})\s+(?:(?:de|du|d')\s*)?{before}")


def _elsewhere(mention: Mention, body: str, pack: LanguagePack) -> bool:
    """A place people fled to, were taken to, or spoke in ('fled to Cucuta', 'taken to a
    hospital in Maiduguri', 'told reporters in Kyiv'): not where the event happened."""
    cue = elsewhere_pattern(pack)
    return (cue is not None and cue.search(body, max(0, mention.start - 60), mention.start)
            is not None) or _taken_there(mention, body, pack)


def _taken_there(mention: Mention, body: str, pack: LanguagePack) -> bool:
    """A place the clause right after it says the wounded were taken to ('a hospital source in
    X, where the wounded were evacuated', 'en el hospital de X, adonde fueron trasladados'):
    where the toll was counted, not where the event happened."""
    cue = pack.cue("not_event_place_after")
    return cue is not None and re.match(rf"\s*,?\s*(?:{cue.pattern})",
                                        body[mention.end:mention.end + 80], re.I) is not None


def _an_office(mention: Mention, body: str, pack: LanguagePack) -> bool:
    """The town of an official's title ('the mayor of X said', 'le juge de paix de X a
    constaté'): his jurisdiction, no place of the sentence's own. It still places an event
    whose sentences name no other place (a curfew the mayor of X decreed)."""
    cue = pack.cue("office_place")
    return cue is not None and \
        re.search(rf"(?:{cue.pattern})\s*$", body[max(0, mention.start - 60):mention.start],
                  re.I) is not None


def _body(sentences, headline_end: int) -> list[int]:
    """Indexes of the sentences after the headline."""
    return [i for i, sentence in enumerate(sentences) if sentence.start_char >= headline_end]


def _headline_end(article: ArticleInput) -> int:
    """Where the headline ends when the body opens with it (plain-text files): it restates
    the lead in other words and would tell the event twice."""
    first_line = article.body.split("\n", 1)[0]
    title = (article.title or "").strip()
    return len(first_line) if title and first_line.strip() == title else 0


def _home_countries(mentions: list[Mention], main_country: str | None) -> frozenset[str]:
    """The article's country and its dateline's: a Kabul-datelined story about Pakistani
    strikes in Paktika names Pakistan most, yet the strikes fell in Afghanistan."""
    dateline = {m.entry.country_iso3 for m in mentions
                if m.via == "dateline" and m.entry.country_iso3}
    return frozenset(({main_country} if main_country else set()) | dateline)


def _in_country(places: list[Mention], home: frozenset[str]) -> list[Mention]:
    """Places in the article's own countries: a statement issued in Geneva or a leader's exile
    in Algiers is not where the event happened."""
    return [p for p in places if not home or p.entry.country_iso3 in home
            or p.entry.country_iso3 is None]


def _ancestry(gazetteer: Gazetteer):
    """`ancestors(entry)`: keys of the places containing a place, nearest first."""
    cache: dict[str, tuple[str, ...]] = {}

    def ancestors(entry: Entry) -> tuple[str, ...]:
        if entry.key not in cache:
            keys = []
            current = _parent(entry, gazetteer)
            while current is not None and len(keys) < 8:
                keys.append(current.key)
                current = _parent(current, gazetteer)
            cache[entry.key] = tuple(keys)
        return cache[entry.key]

    return ancestors


# --------------------------------------------------------------------------------------------
# One event -> one incident row
# --------------------------------------------------------------------------------------------


def _emit_incident(rows: ArticleRows, doc: Doc, sentences, article: ArticleInput, number: int,
                   event: Event, typed: Typed, mentions: list[Mention], main_country: str | None,
                   home: frozenset[str], published: date | None, precision: str,
                   gazetteer: Gazetteer, told_elsewhere: frozenset[int] = frozenset()) -> None:
    event_type, sub_event_type = typed.event_type, typed.sub_event_type
    incident_id = stable_id("inc", article.article_id, number)
    event_date, date_precision, date_source = _event_date(event, published, precision,
                                                         article.fallback_date)
    place, geo_precision = _event_place(event, mentions, main_country, home, gazetteer,
                                        told_elsewhere)
    fatalities, injuries = _casualties(event)
    fatalities = _with_bomber(sub_event_type, _toll_of_type(sub_event_type, fatalities), event,
                              article.body)
    first, last = _evidence_sentences(event, sentences)
    assigned = roles(event_type, sub_event_type, event, main_country, gazetteer)
    short = len(_body(sentences, _headline_end(article))) <= SHORT_REPORT_SENTENCES
    features = _features(typed, event, date_source, geo_precision, fatalities, injuries, assigned,
                         len(sentences), short)
    rows.incidents.append({
        "incident_id": incident_id, "article_id": article.article_id, "event_date": event_date,
        "date_precision": date_precision, "date_source": date_source, "event_type": event_type,
        "sub_event_type": sub_event_type,
        "place_id": entity_id(place) if place else None, "geo_precision": geo_precision,
        "fatalities": fatalities, "injuries": injuries,
        "summary": _summary(event),
        "char_start": first.start_char, "char_end": last.end_char,
        "confidence": confidence(features), "features": json.dumps(features),
    })
    if place is not None:
        _add_entity(rows, place, place.name, gazetteer)
    for entry, role in assigned:
        _add_entity(rows, entry, entry.name, gazetteer)
        rows.participants.append({
            "incident_id": incident_id, "entity_table": entry.entity_table,
            "entity_id": entity_id(entry), "role": role,
        })


def _features(typed: Typed, event: Event, date_source: str, geo_precision: int | None,
              fatalities: int | None, injuries: int | None, assigned, n_sentences: int,
              short_report: bool) -> dict[str, float]:
    """What the extractor knows about an incident, for its calibrated confidence."""
    prediction = typed.prediction
    best = prediction.best if prediction else (typed.sub_event_type, 0.0)
    return {
        "rule_strength": typed.rule_confidence,
        "classifier_probability": typed.classifier_probability or 0.0,
        "classifier_best": best[1],
        "classifier_none": prediction.of(NONE) if prediction else 0.0,
        "classifier_agrees": float(best[0] == typed.sub_event_type),
        "typed_by_classifier": float(typed.source == "classifier"),
        "dated_in_text": float(date_source == "text"),
        "placed_precisely": float(geo_precision is not None and geo_precision <= 2),
        "sentences": math.log1p(len(event.frames)),
        "lead_position": event.lead.index / max(n_sentences - 1, 1),
        "has_casualties": float(fatalities is not None or injuries is not None),
        "named_participant": float(any(entry.source != "generic" for entry, _ in assigned)),
        # Which confidence model applies: short reports (snippets, summaries) are their own
        # domain (calibration.py).
        "short_report": float(short_report),
    }


# A party's claim and a rival source's figure: said of the event, not its account.
NOT_ACCOUNT_CUES = frozenset({"claimed_toll", "rival_toll"})


def _evidence_sentences(event: Event, sentences):
    """The sentences the incident is read from: its lead and the ones right after it that
    tell the same event (a contiguous span; later retellings are in the summary only). A
    party's claim told right after ('the group claimed to have killed 40 soldiers', a count
    the article says could not be verified), or another source's figure ('residents put the
    toll at 11'), ends the span: it joins the event, whose account it is not."""
    lead = event.lead.index
    indexes = {f.index for f in event.frames
               if f.index == lead or f.reading.cues.isdisjoint(NOT_ACCOUNT_CUES)}
    end = lead
    while end + 1 in indexes:
        end += 1
    return sentences[lead], sentences[end]


def _summary(event: Event) -> str:
    """The event's sentences, in order, as the evidence a reader checks."""
    text = " ".join(f.reading.text.strip() for f in event.frames)
    return text[:SUMMARY_CHARS]


def _event_date(event: Event, published: date | None, published_precision: str,
                fallback_date: date) -> tuple[date, str, str]:
    found = event.date
    if found is not None:
        return found.date, found.precision, "text"
    if published is not None:
        # Nothing in the text dates the event: the publication date, no finer than a week.
        precision = "week" if published_precision == "day" else published_precision
        return published, precision if precision != "unknown" else "unknown", "publication"
    return fallback_date, "unknown", "ingestion"


def _event_place(event: Event, mentions: list[Mention], main_country: str | None,
                 home: frozenset[str], gazetteer: Gazetteer,
                 told_elsewhere: frozenset[int] = frozenset()) -> tuple[Entry | None, int | None]:
    """The most specific place where the event happened: named in its sentences, else in the
    sentences after it (unless they tell another event: `told_elsewhere`) or the two before,
    else the finest place the article names; never the dateline on its own; the country when
    nothing else is known."""
    mention = event.place
    # A venue nothing locates ('outside the Bishop Henry Whipple Federal Building') says
    # nothing of the town it is in: the town is looked for as for an event with no place.
    venue = mention if mention is not None and mention.entry.kind == "facility" \
        and not located(mention) else None
    if venue is not None:
        mention = None
    if mention is None or mention.entry.kind in BROAD_KINDS:
        places = [m for m in mentions if m.entry.entity_table == "places" and m.via != "dateline"
                  and m.entry.kind not in BROAD_KINDS
                  and not (venue is not None and m.entry.key == venue.entry.key)]
        # The sentences the event spans, then the two after its lead (quotes and details
        # follow the lead), the one after it, and the two before it. Those that tell another
        # event are skipped, except before it: they may set the scene of the event even when
        # grouping told them apart ('the kidnapping of a rancher in X. Six armed men broke
        # into his farm on Sunday').
        windows = ((event.first, event.last, True), (event.first + 1, event.first + 2, True),
                   (event.last + 1, event.last + 1, True), (event.first - 2, event.first - 1, False))
        for low, high, skip_others in windows:
            nearby = [m for m in places if low <= m.sentence_index <= high
                      and not (skip_others and m.sentence_index in told_elsewhere)]
            found = most_specific(_in_country(nearby, home))
            if found is not None and (mention is None or _inside(found.entry, mention.entry,
                                                                   gazetteer)):
                mention = found
                break
    mention = mention or venue
    if mention is None:
        article_places = _in_country([m for m in mentions if m.entry.entity_table == "places"
                                      and m.via != "dateline"], home)
        mention = most_specific(article_places)
        if mention is not None:
            return _with_coordinates(mention.entry, gazetteer, penalty=1)
        if main_country and main_country in gazetteer.countries:
            return gazetteer.countries[main_country], 3
        return None, None
    return _with_coordinates(mention.entry, gazetteer, penalty=0)


def _inside(entry: Entry, container: Entry, gazetteer: Gazetteer) -> bool:
    current = _parent(entry, gazetteer)
    while current is not None:
        if current.key == container.key:
            return True
        current = _parent(current, gazetteer)
    return False


def _with_coordinates(entry: Entry, gazetteer: Gazetteer, penalty: int) -> tuple[Entry, int]:
    """The place and its geo_precision. A place nothing locates (a village the gazetteer
    lacks) stays the event's place, as ACLED keeps the village's name; its position is the
    nearest ancestor's (the `acled_events` view), so the precision is 2, or 3 when that
    ancestor is only the region or the country."""
    precision = PRECISION_BY_KIND.get(entry.kind, 2)
    if entry.latitude is None:
        located = _parent(entry, gazetteer)
        while located is not None and located.latitude is None:
            located = _parent(located, gazetteer)
        broad = located is None or located.kind in {"admin1", "country", "region"}
        precision = 3 if broad else max(precision, 2)
    return entry, min(precision + penalty, 3)


def _casualties(event: Event) -> tuple[int | None, int | None]:
    """ACLED's figures for one event: a corrected or updated toll wins; otherwise the first
    total the article gives, lowered when another source in the article gives less (the
    most conservative credible figure); counts of a subgroup ('two of the dead were
    children') and an armed group's own claims never raise it."""
    return (_figure(event, "fatalities"), _figure(event, "injuries"))


# Sub-event types that by ACLED's definition kill no one: a death told with a peaceful march
# ('marched on Monday after a driver was killed last week') is the killing it protests, one
# told with a peace deal ('ending a fight that killed 14 last year') the fight it ends.
# (Non-violent transfers and bases established were tried: on ACLED's notes, where the type
# read is wrong, the count they carried was the real event's, killed-or-not 2199 -> 2195.)
NO_FATALITIES = frozenset({"Peaceful protest", "Agreement"})


def _toll_of_type(sub_event_type: str, fatalities: int | None) -> int | None:
    return None if sub_event_type in NO_FATALITIES else fatalities


SUICIDE_TYPE = "Suicide bomb"


def _with_bomber(sub_event_type: str, fatalities: int | None, event: Event,
                 body: str) -> int | None:
    """ACLED counts a suicide bomber among the dead: 'killing four soldiers ... the attacker
    was also killed' is five. Only when the article tells the bomber died apart from the
    count ('La kamikaze a également péri'), anywhere in it (that sentence often stands
    apart from the account); a toll that does not say ('killing nine', 'the toll has risen
    to 11') is the toll as given."""
    if sub_event_type != SUICIDE_TYPE or not fatalities:
        return fatalities
    died = load_pack(reference_dir(), event.frames[0].reading.language).cues.get("bomber_died")
    return fatalities + 1 if died is not None and died.search(body) else fatalities


def _figure(event: Event, kind: str) -> int | None:
    # a party's claimed toll ('claimed to have killed 40') is never the event's figure
    frames = [f for f in event.frames if "claimed_toll" not in f.reading.cues]
    told = [f for f in frames if not f.toll_only]
    counted = told if any(getattr(f.reading.casualties, kind) is not None for f in told) \
        else frames  # a toll joined as such counts only when nothing else does
    counted = _current_tolls(counted, kind)
    # another side's dead, told after the first count, add to it and dispute nothing
    others = _other_sides_dead(counted) if kind == "fatalities" else {}
    statements = []
    for frame in counted:
        value = getattr(frame.reading.casualties, kind)
        if value is None or frame.index in others:
            continue
        cues = frame.reading.cues
        if kind == "fatalities" and not cues.isdisjoint({"update", "correction"}):
            # "An earlier version said 24 were killed; police later said 12": the last count.
            value = frame.reading.casualties.last_fatalities
        statements.append((value, "update" in cues or "correction" in cues,
                           frame.reading.subgroup, "source_group" in cues,
                           "attribution" in cues, frame.reading.casualties.vague,
                           frame.reading.casualties.parts if kind == "fatalities" else (),
                           "sole_count" in cues))
    if not statements:
        return None
    updates = [s for s in statements if s[1]]
    if updates:
        return updates[-1][0]
    primary = [s for s in statements if not s[2] and not s[3]] or statements
    value, parts = primary[0][0], primary[0][6]
    for other in primary[1:]:
        # one of the groups the first total adds is a part of it, not a lower figure: 'four
        # militants and a soldier dead ... troops recovered the bodies of four militants'
        # (a lone figure a source sets against it, 'only one body was found', competes too)
        least = 1 if other[7] else COMPETING_TOLL
        if least <= other[0] < value and other[4] and other[0] not in parts \
                and not _vague_below_exact(other, value, primary):
            value = other[0]  # another source, fewer dead: ACLED takes the lower figure
    return value + sum(set(others.values()))


def _other_sides_dead(frames: list[Frame]) -> dict[int, int]:
    """The dead of another side told after the event's first count, which ACLED adds to it
    (all the event's dead): 'Trois militaires ont été tués ... Quatre assaillants ont été tués'
    is seven, 'One officer was killed ... Two attackers were also killed' three. A count adds
    when it says so ('also died', 'ont également été tués', 'también murieron') of a side the
    first count did not name, or when it counts the attackers (armed men) and the first count
    named soldiers, police or civilians only. A toll of the same side is a rival or a
    retelling (`_figure`), a claim or a revision never adds, nor does a sentence telling an
    act of its own ('the jets targeted hideouts and killed 20 militants': another event's),
    and each figure adds once. Sentence index -> the count it adds."""
    told = [f for f in frames if f.reading.casualties.fatalities is not None]
    if len(told) < 2:
        return {}
    first = told[0].reading
    first_sides = _count_sides(first.casualties.fatality_text, first.language)
    # 'Two people died, one of them a vigilante ... One of the bandits died too': a count of
    # people, of victims, may hold every side's dead
    if not first_sides or first_sides & ARMED or _any_side(first):
        return {}
    added: dict[int, int] = {}
    for frame in told[1:]:
        reading = frame.reading
        if not reading.cues.isdisjoint(NOT_ADDED_CUES) or frame.index == told[0].index or \
                not {t.kind for t in reading.triggers} <= DEATH_TOLD_KINDS:
            continue
        sides = _count_sides(reading.casualties.fatality_text, reading.language)
        also = "also_dead" in reading.cues and bool(sides) and sides.isdisjoint(first_sides)
        attackers = bool(sides) and sides <= ARMED and not reading.subgroup
        if reading.casualties.vague:
            continue  # 'plusieurs bandits ont été neutralisés, sans autre précision': no figure
        if also or attackers:
            added[frame.index] = reading.casualties.fatalities
    return added


# The words of a sentence that tells deaths and no act of its own: killed, wounded, or
# fought ('la riposte a permis de neutraliser dix-sept terroristes').
DEATH_TOLD_KINDS = frozenset({"kill", "injure", "clash"})


# Cues of a count that never adds to the event's first: a revision, a party's claim, a
# superseded or a summed count (`_other_sides_dead`).
# A negation or a hedge in its sentence is a doubt about the count ('the army said four rebels
# were also killed, but it did not recover any bodies', 'un chiffre que l'armée ne confirme
# pas').
NOT_ADDED_CUES = frozenset({"update", "correction", "claimed_toll", "source_group",
                            "superseded", "several_events", "negation", "hedge"})


def _any_side(reading: SentenceReading) -> bool:
    """Whether a count's words are the pack's `any_side` ('people', 'personnes', 'moun'):
    dead of no side in particular."""
    pattern = _any_side_pattern(reading.language)
    return pattern is not None and pattern.search(reading.casualties.fatality_text or "") is not None


@cache
def _any_side_pattern(language: str) -> re.Pattern | None:
    phrases = load_pack(reference_dir(), language).casualty_phrases.get("any_side")
    return re.compile(rf"\b{alternation(phrases)}\b", re.I) if phrases else None


def _count_sides(text: str | None, language: str) -> set[str]:
    """The categories of the participants a count's words name ('Quatre assaillants ont été
    tués': an armed group; 'One officer was killed': state forces), from the pack's
    descriptors."""
    if not text:
        return set()
    pattern, categories = _descriptor_pattern(language)
    return {categories[m.group(0).rstrip("s")] for m in pattern.finditer(fold(text))
            if m.group(0).rstrip("s") in categories}


@cache
def _descriptor_pattern(language: str) -> tuple[re.Pattern, dict[str, str]]:
    """The pack's one-word descriptors of people ('soldiers', 'assaillants', 'civiles'),
    singular or plural, folded, with their category."""
    pack = load_pack(reference_dir(), language)
    categories = {phrase.rstrip("s"): d.category for phrase, d in pack.descriptors.items()
                  if " " not in phrase and d.category in STATE | ARMED | {"civilians"}}
    words = alternation([re.escape(word) for word in categories])
    return re.compile(rf"\b{words}s?\b"), categories


def _vague_below_exact(other: tuple, value: int, statements: list[tuple]) -> bool:
    """Whether `other` is a quantity with no figure ('several bodies are still in the bush')
    below an exact count of the event: 'several' is ACLED's 3 for want of a figure, no source
    disputing a figure another gives."""
    return other[5] and any(s[0] == value and not s[5] for s in statements)


# Cues of a count that is not this event's own: one another replaced, or the sum of several
# events a lead tells at once ('eight were killed in two separate raids').
NOT_OWN_TOLL = frozenset({"superseded", "several_events"})


def _current_tolls(frames: list[Frame], kind: str) -> list[Frame]:
    """The frames without a toll another replaced ('the army had initially reported two
    soldiers killed', 'le premier bilan faisait état de cinq morts') or summing several
    events ('five were killed in two separate clashes', told before each clash's own toll):
    such a count neither sets nor lowers the event's figure, unless the article gives no
    other."""
    current = [f for f in frames if f.reading.cues.isdisjoint(NOT_OWN_TOLL)]
    return current if any(getattr(f.reading.casualties, kind) is not None for f in current) \
        else frames


# The least a count told further on must be to compete with the event's toll. One or none
# is another part of the event ('two soldiers were killed ... troops killed one of the
# attackers', 'a second bomb fell in a field without causing casualties'), not a source
# disputing the count: sources that disagree give tolls of several.
COMPETING_TOLL = 2


# --------------------------------------------------------------------------------------------
# Mentions and entities
# --------------------------------------------------------------------------------------------


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
        parent = _parent(current, gazetteer)
        rows.entities.append({
            "entity_table": current.entity_table, "entity_id": entity_id(current),
            "entity_key": current.key, "name": current.name, "kind": current.kind,
            "category": current.category, "country_iso3": current.country_iso3,
            "acronym": current.acronym, "admin1": current.admin1, "admin2": current.admin2,
            "latitude": current.latitude, "longitude": current.longitude,
            "geonames_id": current.geonames_id,
            "parent_id": entity_id(parent) if parent else None,
            "alias": alias, "source": current.source,
        })
        if current is entry and (acled := _acled_forces_name(entry, gazetteer)) is not None \
                and acled != entry.name:
            rows.entities.append({**rows.entities[-1], "alias": acled})
        current = parent
        alias = current.name if current else alias


def _acled_forces_name(entry: Entry, gazetteer: Gazetteer) -> str | None:
    """ACLED's name of a country's own police or army ('Police Forces of Honduras',
    'Military Forces of Niger'), the name analysts search ACLED's data by, for the force the
    registry holds as that country's national police or army."""
    country = entry.country_iso3
    if entry.entity_table != "institutions" or entry.category != "state_forces" or not country:
        return None
    for registry, forces in ((gazetteer.national_police, "Police Forces"),
                             (gazetteer.national_army, "Military Forces")):
        national = registry.get(country)
        if national is not None and national.key == entry.key:
            return f"{forces} of {country_label(country, gazetteer)}"
    return None


def _parent(entry: Entry, gazetteer: Gazetteer) -> Entry | None:
    """The containing place; a town whose division is not on file hangs from its country."""
    if entry.entity_table != "places" or entry.kind == "country":
        return None
    parent = gazetteer.by_key.get(entry.parent_key) if entry.parent_key else None
    if parent is None and entry.country_iso3:
        parent = gazetteer.countries.get(entry.country_iso3)
    return parent
