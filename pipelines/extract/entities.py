"""Finding and resolving the actors, institutions and places an article names.

Order of trust: the gazetteer (reference lists, pycountry, GeoNames) leads; spaCy's NER fills
in names the lists lack; then in-article linking resolves acronyms defined in the text
("Multinational Security Support (MSS)"), short forms ("Cherizier", "Barbecue") and
descriptive references ("the gang", "police forces", "Kenyan agents").
"""

import difflib
import itertools
import math
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from operator import itemgetter

from spacy.tokens import Doc, Span

from pipelines.extract.language import LanguagePack, alternation
from pipelines.extract.reference import Descriptor, Entry, Gazetteer, country_key
from pipelines.extract.text import accent_pattern, fold
from pipelines.geo import haversine_km

NER_PLACE_LABELS = {"GPE", "LOC", "FAC"}
# Labels of other models mapped to the English model's (French: PER, LOC, ORG, MISC).
NER_LABELS = {"PER": "PERSON", "PERSON": "PERSON", "ORG": "ORG", "GPE": "GPE", "LOC": "LOC",
              "FAC": "FAC", "NORP": "NORP"}
# Longest name looked up, in tokens ("Organization of American States' Permanent Council").
MAX_NAME_TOKENS = 8
ACRONYM_DEFINITION = re.compile(r"\(\s*([A-Z][A-Za-z]{1,9})\s*\)")
ACRONYM_TOKEN = re.compile(r"(?<![A-Za-z])([A-Z]{2,8})(?![a-z])")
QUOTED = re.compile(r'"[^"]{3,400}"')
TITLE_CUES = ("titled", "entitled", "called", "named", "headlined", "slogan", "intitulee",
              "intitule", "baptisee")
# A demonym counts for the article's country less than a place does: "Russian troops shelled
# Kherson" happens in Ukraine.
DEMONYM_WEIGHT = 0.5
# The longest demonym in words ('Papua New Guinean').
DEMONYM_WORDS = 3
ORGANISATION_WEIGHT = 0.25
TOWN_WEIGHT = 1.0
# Towns this big vote even where no model tags places (Haitian Creole, Spanish).
BIG_TOWN = 50_000
DWARFS = 5  # times the population of every other reading
DATELINE_WEIGHT = 0.5


@dataclass
class Mention:
    start: int  # character offsets in the article body
    end: int
    text: str
    sentence_index: int
    entry: Entry
    via: str  # gazetteer, ner, settlement, repeated, acronym, short_form, descriptor, group_head


@dataclass
class ArticleContext:
    """What the whole article tells about where it is: used to disambiguate names."""

    countries: Counter
    admin1s: set[str]
    named_countries: set[str] = field(default_factory=set)  # countries the text names
    dateline_end: int = 0  # where the dateline ends: its town anchors no place of the lead

    @property
    def main_country(self) -> str | None:
        # What `most_common(1)` picks (the first of the largest), without its heap machinery:
        # asked for every candidate of every name.
        return max(self.countries.items(), key=itemgetter(1))[0] if self.countries else None


@dataclass
class _Match:
    span: Span
    candidates: list[Entry]
    sentence_text: str = ""  # folded text of the match's sentence
    qualified: bool = False  # followed by a qualifier ('state', 'district', 'village')
    division: bool = False  # a region word names it, and the gazetteer knows only the town
    sited: bool = False  # right after a one-word place preposition ('at Ugba', 'en Sébaco')


def find_mentions(doc: Doc, gazetteer: Gazetteer, pack: LanguagePack,
                  default_country: str | None = None, sentences: list[Span] | None = None,
                  dateline: tuple[int, int] | None = None, texts: list[str] | None = None
                  ) -> tuple[list[Mention], ArticleContext]:
    """All resolved mentions of `doc`, in text order, and the article's geographic context.

    `dateline` is the character span of the article's dateline ("KANO, Nigeria (Reuters) -"):
    places in it are marked `via='dateline'` and count only lightly for the article's country.
    """
    sentences = sentences if sentences is not None else list(doc.sents)
    texts = texts if texts is not None else sentence_texts(doc, sentences)
    tokens = _Tokens.of(doc, sentences, texts)
    sentence_of = dict(enumerate(tokens.sentence_of))
    features = pack.words("natural_feature")
    # 'la mer Rouge', 'lac Tchad': the sea or the lake, not a town named Rouge.
    matches = [m for m in _gazetteer_matches(doc, tokens, gazetteer, pack)
               if not ((m.span.start > 0 and tokens.folds[m.span.start - 1] in features
                        or _street_named_after(m.span, pack)
                        or _end_of_a_qualified_name(m.span, pack)
                        or _station_named_after(m, pack))
                       and all(c.entity_table == "places" for c in m.candidates))]
    context = _context(tokens, matches, gazetteer, pack, default_country, dateline)
    context.dateline_end = dateline[1] if dateline else 0
    mentions: list[Mention] = []
    resolved = _one_reading_per_name([(match, _resolve(match, context)) for match in matches],
                                     context)
    for match, entry in resolved:
        if entry is not None:
            if match.division and entry.country_iso3 == context.main_country:
                entry = _as_division(entry, gazetteer)  # (a town abroad is read below)
            mentions.append(_mention(match.span, entry, sentence_of, "gazetteer"))
    mentions = _local_namesakes(doc, mentions, context, pack)
    _namesakes_in_home_divisions(doc, mentions, context, pack)
    _namesakes_far_from_their_town(doc, mentions, context, pack)
    mentions = _compass_names(doc, mentions, pack)
    _division_seats(doc, mentions, context)
    mentions += _headed_group_mentions(doc, context, pack, mentions, sentence_of)
    mentions += _military_unit_mentions(doc, context, pack, mentions, sentence_of)
    mentions += _named_group_mentions(doc, context, pack, mentions, sentence_of, gazetteer)
    mentions += _known_as_group_mentions(doc, context, pack, mentions, sentence_of)
    mentions += _named_institution_mentions(doc, context, pack, mentions, sentence_of)
    mentions += _settlement_mentions(doc, pack, context, mentions, sentence_of)
    mentions += _facility_place_mentions(doc, gazetteer, pack, context, mentions, sentence_of)
    # Before the model's reading: a village the text introduced is no person further on.
    mentions += _repeated_places(doc, mentions, sentence_of, pack)
    mentions += _ner_mentions(doc, gazetteer, pack, context, mentions, sentence_of)
    mentions += _qualified_place_mentions(doc, gazetteer, pack, context, mentions, sentence_of)
    mentions += _prepositional_place_mentions(doc, gazetteer, pack, context, mentions, sentence_of)
    mentions += _journey_end_mentions(doc, gazetteer, pack, context, mentions, sentence_of)
    mentions += _repeated_places(doc, mentions, sentence_of, pack)
    mentions += _acronym_mentions(doc, gazetteer, pack, mentions, sentence_of)
    mentions += _short_form_mentions(doc, tokens, mentions, sentence_of)
    mentions += _descriptor_mentions(doc, tokens, gazetteer, pack, context, mentions, sentence_of)
    mentions = _regional_bodies(doc, pack, mentions, sentence_of)
    mentions += _places_inside_headed_groups(mentions, sentence_of)
    mentions = _acronyms_are_no_places(mentions, text_of(doc))
    mentions = _off_acronyms_long_forms(mentions, text_of(doc))
    _official_names_in_parentheses(mentions, text_of(doc), gazetteer, pack)
    _streets_are_venues(mentions, pack, text_of(doc))
    if dateline is not None:
        for mention in mentions:
            if mention.entry.entity_table == "places" and mention.end <= dateline[1]:
                mention.via = "dateline"
    mentions.sort(key=lambda m: (m.start, -m.end))
    return mentions, context


def _street_named_after(span: Span, pack: LanguagePack) -> bool:
    """'la avenida Abancay', 'la plaza San Martín', 'Garissa Road': a street or a square named
    after a town is not that town."""
    streets = pack.words("street_word")
    if not streets:
        return False
    doc = span.doc
    if pack.settings.get("place_qualifier_order", "after") == "before":
        return span.start > 0 and fold(doc[span.start - 1].text) in streets
    return span.end < len(doc) and fold(doc[span.end].text) in streets


def _station_named_after(match: "_Match", pack: LanguagePack) -> bool:
    """'Kotwali Police Station': a police station is named after the quarter it serves. When
    that name is only another name GeoNames gives a town (not the town's own name), the town
    is a namesake, often in another district, not where the station stands."""
    doc, span = match.span.doc, match.span
    after = [fold(t.text) for t in doc[span.end:span.end + 2]]
    return len(after) == 2 and pack.words("institution_keyword").get(after[0]) == "police" \
        and after[1] in pack.words("station_word") \
        and not any(_by_own_name(c, match) or _by_short_name(c, match) for c in match.candidates)


def _end_of_a_qualified_name(span: Span, pack: LanguagePack) -> bool:
    """'el barrio Empalme Graneros', 'le quartier Saint Jean': the last words of a place's name
    written after its qualifier are no town of that name (Graneros, in another province);
    the whole name is found with its qualifier (`_qualified_place_mentions`)."""
    if pack.settings.get("place_qualifier_order", "after") != "before" or span.start < 2:
        return False
    doc = span.doc
    previous = doc[span.start - 1]
    return previous.text[:1].isupper() and not previous.is_sent_start and \
        fold(doc[span.start - 2].text) in pack.words("place_qualifier")


def _streets_are_venues(mentions: list[Mention], pack: LanguagePack, text: str) -> None:
    """A place the gazetteer lacks whose name is a street's ('Ri Gregwa', 'Lenin Street'), or
    that a street word introduces ('l'avenue Habib-Bourguiba', 'Nkrumah Avenue'), is a venue:
    the town or village named with it is where the event happened."""
    streets = pack.words("street_word")
    before = pack.settings.get("place_qualifier_order", "after") == "before"
    for mention in mentions:
        entry = mention.entry
        words = fold(mention.text).split()
        if entry.entity_table != "places" or entry.source != "ner" or \
                entry.kind not in {"locality", "neighbourhood", "other"}:
            continue
        beside = fold(text[max(0, mention.start - 20):mention.start]).split()[-1:] if before \
            else fold(text[mention.end:mention.end + 20]).split()[:1]
        named = len(words) >= 2 and (words[0] if before else words[-1]) in streets
        if named or (beside and beside[0] in streets):
            mention.entry = entry._replace(kind="facility")


ACRONYM_AFTER = re.compile(r"\s*\(\s*[A-Z]{2,9}\s*\)")


def _acronyms_are_no_places(mentions: list[Mention], text: str) -> list[Mention]:
    """Names the text gives an acronym are bodies and groups, not places the gazetteer
    lacks: the long form before '(ABC)' ('the Coastal Defence Zone (CDZ)', 'a Northern
    Liberation Front (NLF) unit') and the acronym itself ('rebel fighters (RF)' makes 'RF' a
    group, whatever the model calls it). Every other mention of such a name goes with it."""
    def defined(mention: Mention) -> bool:
        after = ACRONYM_AFTER.match(text, mention.end)
        # The name's own capitals end the acronym ('Defensa Costera (ZODEC)'): one capital
        # alone is a place ending a longer name ('... pour la paix en Casamance (GRPC)').
        capitals = "".join(re.findall(r"(?<![\w'’])[A-Z]|(?<=['’-])[A-Z]", mention.text))
        return (after is not None and len(capitals) >= 2
                and after.group(0).strip("() \t\n").endswith(capitals)) or (
            re.fullmatch(r"[A-Z]{2,9}", mention.text) is not None
            and re.search(rf"\(\s*{mention.text}\s*\)", text) is not None)

    unknown = [m for m in mentions if m.entry.entity_table == "places" and m.entry.source == "ner"]
    names = {fold(m.text) for m in unknown if defined(m)}
    return [m for m in mentions if not (m in unknown and fold(m.text) in names)]


GLOSS_AFTER = re.compile(r"\s*\(\s*([A-ZÀ-Þ][\w'’ -]{1,40}?)\s*[)/]")


ACRONYM_DEFINED = re.compile(r"\(\s*([A-Z]{2,9})\s*\)")


def _off_acronyms_long_forms(mentions: list[Mention], text: str) -> list[Mention]:
    """A place name inside the name of a body the text gives an acronym ('the Selva Alta
    Border Guard (SABG)', 'la Guardia Costera Nacional (GCN)': the capitalised words before
    the parenthesis spell it) is part of that name, not a place of the event; a place that is
    the whole name ('the Federal Capital Territory (FCT)') stays."""
    forms = []
    for definition in ACRONYM_DEFINED.finditer(text):
        acronym = definition.group(1)
        long_form = _long_form_before(text, definition.start(), len(acronym))
        if long_form and "".join(w[0] for w in re.findall(r"[A-Z][\w'’-]*", long_form)
                                 ) == acronym:
            end = text.rfind(long_form, 0, definition.start() + 1)
            forms.append((end, end + len(long_form)))
    return [m for m in mentions if not (m.entry.entity_table == "places" and any(
        m.start < end and m.end > start and not (m.start <= start and m.end >= end)
        for start, end in forms))]


def _official_names_in_parentheses(mentions: list[Mention], text: str, gazetteer: Gazetteer,
                                   pack: LanguagePack) -> None:
    """Where the language writes place names as they sound (Creole writes the French names
    of Haiti phonetically), the press glosses a locality the gazetteer lacks with its official
    name: 'Bwa Nèf (Bois-Neuf)'. The place is published under that name, wherever the text
    names it. A gloss the gazetteer knows is left alone: it may be the town the locality
    lies in ('Kiskawa (Bol)')."""
    if pack.settings.get("official_name_in_parentheses") != "yes":
        return
    names: dict[str, str] = {}
    for mention in mentions:
        gloss = GLOSS_AFTER.match(text, mention.end)
        if gloss and mention.entry.entity_table == "places" and mention.entry.source == "ner" \
                and not gloss.group(1).isupper() and not any(
                    c.entity_table == "places" for c in gazetteer.lookup(gloss.group(1))):
            names.setdefault(fold(mention.text), gloss.group(1).strip())
    for mention in mentions:
        official = names.get(fold(mention.text))
        if official and mention.entry.entity_table == "places" and mention.entry.source == "ner":
            mention.entry = mention.entry._replace(name=official)


def _local_namesakes(doc: Doc, mentions: list[Mention], context: ArticleContext,
                     pack: LanguagePack) -> list[Mention]:
    """'the Brooklyn area of Cité Soleil': a name the gazetteer places abroad, followed by a
    neighbourhood word and a place of the article's country, is a neighbourhood of that
    place named after the faraway one, not the faraway one."""
    if pack.settings.get("place_qualifier_order", "after") != "after":
        return mentions
    pattern = _namesake_pattern(pack)
    text = text_of(doc)
    places = [m for m in mentions if m.entry.entity_table == "places"]
    home = context.main_country
    for mention, after in itertools.pairwise(places):
        if home and mention.entry.country_iso3 != home and after.entry.country_iso3 == home \
                and after.entry.kind != "country" \
                and pattern.fullmatch(text, mention.end, after.start):
            span = doc.char_span(mention.start, mention.end)
            if span is not None:
                mention.entry = _unknown_locality(span, context, [after])
    return mentions


def _namesakes_in_home_divisions(doc: Doc, mentions: list[Mention], context: ArticleContext,
                                 pack: LanguagePack) -> None:
    """'in Mokolo department', 'in Bafang, in the Tonga subdivision': a town the gazetteer
    knows only abroad that the text calls a division of the article's country, or puts in one
    ('X, in the Y district', Y a home place), is a home place the gazetteer lacks, not the
    faraway town."""
    home = context.main_country
    if not home or pack.settings.get("place_qualifier_order", "after") != "after":
        return
    text = text_of(doc)
    divisions = {"admin1", "admin2"}
    places = [m for m in mentions if m.entry.entity_table == "places"]
    for index, mention in enumerate(places):
        entry = mention.entry
        if entry.country_iso3 == home or entry.kind not in NAMESAKE_KINDS:
            continue
        after = fold(text[mention.end:mention.end + 30]).split()[:1]
        called_a_division = bool(after) and pack.words("place_qualifier").get(after[0]) in divisions
        following = places[index + 1] if index + 1 < len(places) else None
        put_in_one = following is not None and following.entry.country_iso3 == home and \
            following.entry.kind in divisions and \
            _inside_pattern(pack).fullmatch(text[mention.end:following.start]) is not None
        if not (called_a_division or put_in_one):
            continue
        span = doc.char_span(mention.start, mention.end)
        if span is not None:
            local = _unknown_locality(span, context, [] if called_a_division else places)
            mention.entry = local._replace(kind="admin2") if called_a_division else local


# Farther than this from the town the text puts it in, a GeoNames place is another place of
# the same name (a town's district is rarely more than a few kilometres from its centre).
NAMESAKE_KM = 20.0
NAMESAKE_KINDS = {"city", "locality", "neighbourhood"}
# A place written before a town is taken for a part of it only when that town is several times
# its size: 'Novi Sad, Niš and Kragujevac' is a list of towns of a size.
PART_SMALLER = 5


def _namesakes_far_from_their_town(doc: Doc, mentions: list[Mention], context: ArticleContext,
                                   pack: LanguagePack) -> None:
    """'el barrio de Cova da Moura, en Amadora', 'Kibera, in Nairobi': a small GeoNames place
    written right before the larger town the text puts it in, but listed far from that town,
    is a namesake: the place meant is a part of that town the gazetteer lacks, and hangs
    from it. Not a town of about its size ('Novi Sad, Niš and Kragujevac': a list of towns)."""
    text = text_of(doc)
    places = [m for m in mentions if m.entry.entity_table == "places"]
    for mention, town in itertools.pairwise(places):
        entry, anchor = mention.entry, town.entry
        gap = text[mention.end:town.start]
        # The town by its own name: 'Antioquia' read as the town of Santa Fe de Antioquia may
        # be the department; nothing can be placed from it.
        if entry.source != "geonames" or entry.kind not in NAMESAKE_KINDS or \
                anchor.kind not in {"city", "admin2"} or fold(anchor.name) != fold(town.text) \
                or anchor.population < PART_SMALLER * entry.population \
                or None in (entry.latitude, anchor.latitude) or \
                not _inside_pattern(pack).fullmatch(gap):
            continue
        if haversine_km(entry.latitude, entry.longitude, anchor.latitude,
                        anchor.longitude) > NAMESAKE_KM:
            span = doc.char_span(mention.start, mention.end)
            if span is not None:
                mention.entry = _unknown_locality(span, context, [town])


# 'Masisi centre', 'Uvira-Centre': a district's seat town, called by the district's name and
# the word for its centre (the Congolese and Burundian press name territories' seats so).
SEAT_AFTER = re.compile(r"[ -](?i:centre|center|centro)\b")


def _division_seats(doc: Doc, mentions: list[Mention], context: ArticleContext) -> None:
    """'on the hills around Masisi centre': the gazetteer knows the territory, not its seat
    town; the town, named as the district, hangs from it (at its position), finer than it."""
    text = text_of(doc)
    for mention in mentions:
        if mention.entry.entity_table == "places" and mention.entry.kind == "admin2" and \
                SEAT_AFTER.match(text, mention.end):
            town = Entry("places", f"place:ner:{context.main_country or ''}:{fold(mention.text)}",
                         mention.text, "locality", country_iso3=mention.entry.country_iso3,
                         source="ner")
            mention.entry = _hung_from(town, mention.entry)


@cache
def _inside_pattern(pack: LanguagePack) -> re.Pattern:
    """What puts a place inside the next one: a comma, with a preposition saying 'in' ('Kibera,
    in Nairobi'), never one of distance ('Uppsala, north of Stockholm')."""
    inside = [accent_pattern(w) for w, value in pack.words("place_preposition").items()
              if value == "inside"]
    determiners = [accent_pattern(w) for w in pack.words("determiner")]
    preposition = rf"(?:\s+(?i:{alternation(inside)})(?:\s+(?i:{alternation(determiners)}))?)?" \
        if inside and determiners else ""
    return re.compile(rf"\s*,{preposition}\s+")


# Places a compass point can divide into a place of its own ('North Mitrovica', 'Cerro Norte').
COMPASS_BASE_KINDS = {"city", "locality", "neighbourhood", "admin2"}


def _compass_names(doc: Doc, mentions: list[Mention], pack: LanguagePack) -> list[Mention]:
    """'North Mitrovica', 'Cerro Norte', 'Kaduna Sud': a town followed or preceded by a
    capitalised compass point (the pack's `compass_word`), a name the gazetteer does not know
    as a whole, is that part of the town, a place of its own inside it, not the town (nor
    a namesake elsewhere that the town's name alone may stand for)."""
    before, after = _compass_patterns(pack)
    if before is None or after is None:
        return mentions
    text = text_of(doc)
    kept: list[Mention] = []
    taken: list[tuple[int, int]] = []
    for mention in mentions:
        entry = mention.entry
        if entry.entity_table != "places" or entry.kind not in COMPASS_BASE_KINDS:
            kept.append(mention)
            continue
        start, end = mention.start, mention.end
        if found := before.search(text, max(0, start - 12), start):
            start = found.start()
        elif found := after.match(text, end):
            end = found.end()
        span = doc.char_span(start, end) if (start, end) != (mention.start, mention.end) \
            else None
        if span is None:
            kept.append(mention)
            continue
        name = span.text
        # As fine as the town it divides: a village named inside it still comes first.
        mention.entry = Entry("places", f"place:ner:{entry.country_iso3 or ''}:{fold(name)}:"
                              f"{entry.key}", name, entry.kind,
                              country_iso3=entry.country_iso3, admin1=entry.admin1,
                              admin2=entry.admin2, parent_key=entry.key, source="ner")
        mention.start, mention.end, mention.text = start, end, name
        taken.append((start, end))
        kept.append(mention)
    if not taken:
        return mentions
    # The compass word the gazetteer read as a place of its own ('North') is part of the name.
    return [m for m in kept if not any(a <= m.start and m.end <= b and (m.start, m.end) != (a, b)
                                       for a, b in taken)]


@cache
def _compass_patterns(pack: LanguagePack) -> tuple[re.Pattern | None, re.Pattern | None]:
    words = pack.words("compass_word")
    if not words:
        return None, None
    # Capitalised, as a name's part is written: 'the north Mitrovica' is a direction.
    word = alternation([w.capitalize() for w in words])
    return (re.compile(rf"(?<![\w'’-]){word}[ -]$"),
            re.compile(rf"[ -]{word}(?![\w'’-])"))


@cache
def _namesake_pattern(pack: LanguagePack) -> re.Pattern:
    """What comes between a namesake and its place: ' area of ', ' neighbourhood in the '."""
    words = [w for w, kind in pack.words("place_qualifier").items()
             if kind in {"neighbourhood", "locality"}]
    return re.compile(rf"\s+(?:{alternation([accent_pattern(w) for w in words])})\s+"
                      r"(?:of|in)\s+(?:the\s+)?$", re.I)


def text_of(doc: Doc) -> str:
    """The document's text, built once: `Doc.text` joins every token on each access."""
    text = doc.user_data.get("text")
    if text is None:
        text = doc.user_data["text"] = doc.text
    return text


@dataclass
class _TokenFacts:
    """What the passes ask of a document's tokens, read once per document: a spaCy Token is
    a new Python object on every access (`doc[i]`, iterating a Span)."""

    texts: list[str]
    folds: list[str]
    spaced: list[bool]  # whitespace follows the token
    punct: list[bool]
    ent_types: list[str]  # the model's entity label of the token, '' outside entities


def token_facts(doc: Doc) -> _TokenFacts:
    """The document's `_TokenFacts`, built on first use (like `text_of`)."""
    facts = doc.user_data.get("token_facts")
    if facts is None:
        texts, spaced, punct, ent_types = [], [], [], []
        for token in doc:
            texts.append(token.text)
            spaced.append(bool(token.whitespace_))
            punct.append(token.is_punct)
            ent_types.append(token.ent_type_)
        facts = doc.user_data["token_facts"] = _TokenFacts(
            texts, [fold(t) for t in texts], spaced, punct, ent_types)
    return facts


def span_text(span: Span) -> str:
    """`Span.text` cut from the document's text (`Span.text` joins its tokens anew)."""
    return text_of(span.doc)[span.start_char:span.end_char]


def sentence_texts(doc: Doc, sentences: list[Span]) -> list[str]:
    """Each sentence's text, cut from the document's text (`Span.text` joins its tokens)."""
    text = text_of(doc)
    return [text[s.start_char:s.end_char] for s in sentences]


def _mention(span: Span, entry: Entry, sentence_of: dict[int, int], via: str) -> Mention:
    return Mention(span.start_char, span.end_char, span_text(span), sentence_of[span.start], entry,
                   via)


@dataclass
class _Tokens:
    """Per-token facts computed once per article: the matching loops only index lists."""

    texts: list[str]
    folds: list[str]
    sentence_end: list[int]  # index one past the last token of the token's sentence
    sentence_text: list[str]  # folded text of the token's sentence
    entity: list[Span | None]  # the model's entity covering the token
    sentence_of: list[int]  # index of the token's sentence
    facts: _TokenFacts

    @classmethod
    def of(cls, doc: Doc, sentences: list[Span], sentence_texts: list[str]) -> "_Tokens":
        facts = token_facts(doc)
        count = len(facts.texts)
        sentence_end = [0] * count
        sentence_text = [""] * count
        sentence_of = [0] * count
        for index, (sentence, text) in enumerate(zip(sentences, sentence_texts, strict=True)):
            start, end = sentence.start, sentence.end
            sentence_end[start:end] = [end] * (end - start)
            sentence_text[start:end] = [fold(text)] * (end - start)
            sentence_of[start:end] = [index] * (end - start)
        entity: list[Span | None] = [None] * count
        for ent in doc.ents:
            entity[ent.start:ent.end] = [ent] * (ent.end - ent.start)
        return cls(facts.texts, facts.folds, sentence_end, sentence_text, entity, sentence_of,
                   facts)


def _gazetteer_matches(doc: Doc, tokens: _Tokens, gazetteer: Gazetteer, pack: LanguagePack
                       ) -> list[_Match]:
    """Longest capitalised n-grams whose folded text names something in the gazetteer.

    A place named inside a longer name the model reads as a person ("Husaini Dansadau") or as
    a longer place ("Nyaung Kone") is not that place. A qualifier after a place ("Bali
    district", "Taraba state", "Khuafo village") keeps the candidates of that kind."""
    folds, texts = tokens.folds, tokens.texts
    qualifiers = pack.words("place_qualifier")
    matches: list[_Match] = []
    # Where a name may start: a capitalised word (or a number) that starts a name of the
    # gazetteer, or any capitalised word followed by another: "Petion Ville" may still be a
    # name written joined in the gazetteer ("Petionville"). Found in one pass; the words after
    # a match are skipped below.
    count = len(texts)
    starts = [i for i in range(count)
              if folds[i] and ((texts[i][:1].isupper() or texts[i][:1].isdigit())
                               and (folds[i] in gazetteer.first_words
                                    or (i + 1 < count and texts[i + 1][:1].isupper()))
                               or _opens_with_arabic_article(texts, i))]
    resume = 0  # the first word after the last match
    for i in starts:
        if i < resume or (_glued_to_a_name(tokens.facts, i) and not (matches and
                                                            matches[-1].span.end == i - 1)):
            continue
        found = None
        longest = min(MAX_NAME_TOKENS, tokens.sentence_end[i] - i)
        for n, key, joinable in reversed(_ngram_keys(texts, folds, i, longest)):
            if not texts[i + n - 1][:1].isalnum():
                continue
            entries = gazetteer.names.get(key)
            if not entries and joinable and _may_be_written_apart(key):
                entries = gazetteer.names.get(key.replace(" ", ""))
            if not entries:
                continue
            span = doc[i:i + n]
            plausible = [c for c in entries if _plausible(span, c)
                         and not _written_in_lower_case(span, c, qualifiers)
                         and (texts[i][:1].isupper() or c.entity_table != "places")]
            before = _preceding_qualifier(folds, i, qualifiers, pack)
            candidates = _qualified(plausible, folds, i + n, qualifiers, before)
            if candidates and not _inside_longer_name(span, candidates, tokens, qualifiers) \
                    and not _other_name_opening_a_longer_one(span, candidates) \
                    and not _hyphened_to_a_name(tokens.facts, i, i + n, candidates, gazetteer,
                                            pack):
                # 'Zamfara State', 'el estado Apure': a division the text names as one
                found = _Match(span, candidates, tokens.sentence_text[i],
                               qualified=len(candidates) < len(plausible) or any(
                                   c.kind in {"admin1", "admin2"} for c in candidates)
                               and (before is not None
                                    or _qualifier_follows(folds, i + n, qualifiers)),
                               division=_town_named_as_region(candidates, folds, i + n,
                                                              qualifiers, before, pack),
                               sited=i > 0 and pack.words("place_preposition").get(
                                   folds[i - 1], "away") != "away")
                break
        if found:
            matches.append(found)
            resume = found.span.end
    return matches


HYPHENS = {"-", "‐", "‑"}

# 'Banco de Arena', 'Vizcatán del Ene': a name going on with 'de' and a capitalised word.
LONGER_NAME_AFTER = re.compile(r"\s+(?:de|del|de la|de las|de los)\s+[A-ZÀ-ÖØ-Þ]")


def _other_name_opening_a_longer_one(span: Span, candidates: list[Entry]) -> bool:
    """'la vereda Banco de Arena': 'Banco' is one of El Banco's names in GeoNames, but the
    text writes a longer name the gazetteer lacks; only a place called by its own name
    ('Tibú de Norte de Santander' is rare) is read at the start of such a name."""
    if any(c.source not in {"geonames", "division"} for c in candidates) or \
            any(fold(c.name) == fold(span_text(span)) for c in candidates):
        return False
    return LONGER_NAME_AFTER.match(text_of(span.doc), span.end_char) is not None


# The Arabic article in lower case opening a group's name: 'al-Shabaab', 'al-Qaïda' (one
# token in the blank models, three in the others).
ARABIC_ARTICLE_WORDS = frozenset({"al", "el", "an", "ar", "as", "ash", "ad", "at", "az"})
ARABIC_ARTICLE_OPENING = re.compile(r"(?:al|el|an|ar|as|ash|ad|at|az)-[A-ZÀ-ÖØ-Þ]")


def _opens_with_arabic_article(texts: list[str], i: int) -> bool:
    """Whether the word at `i` is a lower-case Arabic article glued to a capitalised word:
    'Suspected al-Shabaab militants' names the group as the press writes it in running text.
    Only groups and organisations are read from such a name (`_gazetteer_matches`): a place
    written so is found by the place shapes ('Souq al-Jumaa')."""
    if texts[i] in ARABIC_ARTICLE_WORDS:
        return i + 2 < len(texts) and texts[i + 1] in HYPHENS and texts[i + 2][:1].isupper()
    return ARABIC_ARTICLE_OPENING.match(texts[i]) is not None


def _may_be_written_apart(key: str) -> bool:
    """Whether the words of `key` may be one name written apart ('Petion Ville' for
    'Petionville'). A first word of one letter is an article or a pronoun: 'A man' at a
    sentence's start is not 'Aman' (Amman)."""
    return " " in key and len(key.split(" ", 1)[0]) > 1


def _glued_to_a_name(facts: _TokenFacts, i: int) -> bool:
    """'avenue Habib-Bourguiba', 'Jean-Baptiste': a word joined by a hyphen to the capitalised
    word before it is the end of one longer name (a person's, a street's), not a town of its
    own, unless that word was itself a place ('the Kaduna-Zaria road', checked by the caller)."""
    texts = facts.texts
    return i >= 2 and texts[i - 1] in HYPHENS and not facts.spaced[i - 1] \
        and not facts.spaced[i - 2] and texts[i - 2][:1].isupper()


def _hyphened_to_a_name(facts: _TokenFacts, start: int, after: int, candidates: list[Entry],
                        gazetteer: Gazetteer, pack: LanguagePack) -> bool:
    """'Carrefour-Dufort', 'Morne-Lazare': a known town glued by a hyphen to a capitalised word
    is the first part of a longer name (a locality the gazetteer lacks), not the town. A pair
    of names keeps its first: a road's ends ('l'axe Markala-Dioro', 'the Kaduna-Zaria road'),
    or a word after the hyphen that is a country, a group or a place of the same country
    ('Israel-Hamas'; a namesake abroad, 'Marin' in France, says nothing)."""
    texts, folds = facts.texts, facts.folds
    if after + 1 >= len(texts) or texts[after] not in HYPHENS or facts.spaced[after - 1] \
            or facts.spaced[after] or not texts[after + 1][:1].isupper():
        return False
    towns = [c for c in candidates if c.entity_table == "places" and c.kind in SETTLEMENTS]
    if not towns or len(towns) < len(candidates):
        return False
    roads = pack.words("road_word")
    if any(0 <= j < len(folds) and folds[j] in roads for j in (start - 1, start - 2, after + 2)):
        return False
    countries = {c.country_iso3 for c in towns}
    return not any(e.entity_table != "places" or e.kind == "country" or e.country_iso3 in countries
                   for e in gazetteer.names.get(folds[after + 1], []))


# What a known town glued to another word may be the first part of.
SETTLEMENTS = frozenset({"city", "locality", "neighbourhood"})


def _ngram_keys(texts: list[str], folds: list[str], start: int, longest: int
                ) -> list[tuple[int, str, bool]]:
    """For n = 1..longest, the n tokens from `start`: n, their gazetteer key (the folded words
    joined by spaces, empty folds left out) and whether they may be one name written apart
    ('Petion Ville' for 'Petionville': nothing but spaces and hyphens between the words, so
    'March, and' is never 'Marchand'). Built in one pass, each key from the one before: the
    lookups try every n, longest first, for most capitalised words."""
    keys = []
    key = ""
    joinable = True
    for n in range(1, longest + 1):
        folded = folds[start + n - 1]
        if folded:
            key = f"{key} {folded}" if key else folded
        # 'In a', 'BIR a': a word in lower case is no part of a name written apart ('Ina').
        joinable = joinable and bool(folded or texts[start + n - 1] in HYPHENS) \
            and not (n > 1 and texts[start + n - 1][:1].islower())
        keys.append((n, key, joinable))
    return keys


QUALIFIED_KINDS = {"admin1": {"admin1"}, "admin2": {"admin2", "city", "locality"},
                   "city": {"city", "locality", "admin2"}, "locality": {"city", "locality"},
                   "neighbourhood": {"neighbourhood", "locality", "city"}}


def _following_qualifier(folds: list[str], after: int, qualifiers: dict[str, str]) -> str | None:
    """The longest qualifier the (up to three) words from `after` start with, whole words only
    ('local government area' rather than 'local'). The qualifiers are folded words: looking
    up the words' prefixes, longest first, finds it without trying every qualifier."""
    words = " ".join(f for f in folds[after:after + 3] if f).split(" ")
    for length in range(len(words), 0, -1):
        prefix = " ".join(words[:length])
        if prefix in qualifiers:
            return prefix
    return None


def _qualifier_follows(folds: list[str], after: int, qualifiers: dict[str, str]) -> bool:
    return _following_qualifier(folds, after, qualifiers) is not None


QUALIFIER_JOINERS = {"de", "d", "du", "del", "des"}


def _preceding_qualifier(folds: list[str], start: int, qualifiers: dict[str, str],
                         pack: LanguagePack) -> str | None:
    """In languages that put the qualifier first, the one right before a name, through 'de'
    ('la ville de Tadjourah', 'el municipio de Taxco', 'komin Kabarè'); longest first."""
    if pack.settings.get("place_qualifier_order", "after") != "before":
        return None
    words = [f for f in folds[max(0, start - 4):start] if f]
    if words and words[-1] in QUALIFIER_JOINERS:
        words = words[:-1]
    for length in range(min(3, len(words)), 0, -1):
        phrase = " ".join(words[-length:])
        if phrase in qualifiers:
            return phrase
    return None


def _qualified(candidates: list[Entry], folds: list[str], after: int,
               qualifiers: dict[str, str], before: str | None = None) -> list[Entry]:
    """Candidates of the kind a qualifier names ('Bali district': a district; 'la ville de
    Tadjourah': the town, not the region)."""
    qualifier = _following_qualifier(folds, after, qualifiers) or before
    if qualifier is None:
        return candidates
    kind = qualifiers[qualifier]
    kept = [c for c in candidates if c.entity_table == "places" and c.kind in QUALIFIED_KINDS[kind]]
    return kept or candidates


def _town_named_as_region(candidates: list[Entry], folds: list[str], after: int,
                          qualifiers: dict[str, str], before: str | None,
                          pack: LanguagePack) -> bool:
    """'la provincia de Satipo', 'le département de Téra': a region word names the place and
    the gazetteer knows only the town the region is named after: the text means the region.
    Only a word where the language puts it: in 'en Pichari, provincia de La Convención' the
    province is another place."""
    qualifier = before if pack.settings.get("place_qualifier_order", "after") == "before" \
        else _following_qualifier(folds, after, qualifiers)
    return qualifier is not None and qualifiers[qualifier] == "admin1" and \
        all(c.entity_table == "places" and c.kind in SETTLEMENT_KINDS for c in candidates)


def _as_division(entry: Entry, gazetteer: Gazetteer) -> Entry:
    """The region named after a town, at the town's position: coarser than any town or
    village the text names in it ('el distrito de Vizcatán del Ene, provincia de Satipo').
    Kept in the gazetteer's keys, so that the villages the text places in it hang from it."""
    key = f"{entry.key}:division"
    return gazetteer.by_key.setdefault(key, entry._replace(key=key, kind="admin2",
                                                           population=0))


def _inside_longer_name(span: Span, candidates: list[Entry], tokens: _Tokens,
                        qualifiers: dict[str, str] | None = None) -> bool:
    """A GeoNames place that is only part of a name the model tags as a person or as a
    longer place: the surname in 'Husaini Dansadau', the first word of 'Nyaung Kone'. Not
    when the rest of that name is a qualifier ('Upper East Region', 'Kachin State'): the
    name is the place's."""
    if any(c.entity_table != "places" for c in candidates):
        return False  # a registry organisation stays what it is
    listed = any(c.source not in {"geonames", "division"} for c in candidates)
    small = all(c.population < 20_000 for c in candidates)
    entity = tokens.entity[span.start]
    if entity is not None and entity.start <= span.start and span.end <= entity.end \
            and len(entity) > len(span):
        rest = " ".join(tokens.folds[span.end:entity.end])
        if entity.start == span.start and qualifiers and rest in qualifiers:
            return False
        label = NER_LABELS.get(entity.label_)
        if label == "PERSON" and len(entity) >= 2 and (not listed or span.start > entity.start):
            # 'López' in 'Andrés Manuel López Obrador', 'Aung San' in 'Aung San Suu Kyi';
            # a listed town as a surname too ('Frantz Jérémie', 'Rose-Andrée Léogâne').
            return True
        if listed:
            return False
        # 'Nyaung Kone' is one name; 'Petion Ville - Academie' is two places.
        joined = all(tokens.facts.spaced[i] and tokens.texts[i + 1][:1].isupper()
                     for i in range(entity.start, entity.end - 1))
        if small and label in NER_PLACE_LABELS and joined:
            return True
    return False


def _plausible(span: Span, entry: Entry) -> bool:
    text = span_text(span)
    if len(span) == 1 and len(text) <= 5 and entry.acronym and fold(entry.acronym) == fold(text):
        return text.isupper()  # 'US' the country, not 'us'; 'MSS' not 'Mss'
    if entry.source == "geonames" and len(fold(text)) <= 3 and text.isupper():
        return False  # 'OAS', 'BIR': an acronym, not a town of three letters
    # A stop word opening a sentence ("Of", "As") is not a town even if GeoNames has one, nor
    # is a word opening a sentence that is only another name of a town, when the model does
    # not call it a place ("Human rights groups say...": 'Human' is an old name of Uman).
    # Without a model (Creole, Spanish) a dateline's 'PÒTOPRENS' is such a name.
    return not (entry.source == "geonames" and len(span) == 1 and span[0].is_sent_start
                and (span[0].is_stop or (fold(entry.name) != fold(text) and not _ner_place(span)
                                         and span.doc.has_annotation("ENT_IOB"))))


def _written_in_lower_case(span: Span, entry: Entry, qualifiers: dict[str, str]) -> bool:
    """'El gobernador dijo', 'el viernes 20 de noviembre': the words a town's name writes with
    a capital ('El Gobernador', '20 de Noviembre') written in lower case are common words and
    a date, not the town. (Only where the text spells the name itself: an alias may be
    written otherwise; and not a division's word, 'Garissa county' is Garissa County.)"""
    if entry.entity_table != "places" or len(span) < 2:
        return False
    words, named = span_text(span).split(), entry.name.split()
    if len(words) != len(named) or fold(entry.name) != fold(span_text(span)):
        return False
    return any(name[:1].isupper() and word[:1].islower() and word.isalpha()
               and fold(word) not in qualifiers
               for word, name in zip(words[1:], named[1:], strict=True))


def _context(tokens: _Tokens, matches: list[_Match], gazetteer: Gazetteer,
             pack: LanguagePack, default_country: str | None,
             dateline: tuple[int, int] | None = None) -> ArticleContext:
    countries: Counter = Counter()
    admin1s: set[str] = set()
    named: set[str] = set()
    for match in matches:
        in_dateline = dateline is not None and match.span.end_char <= dateline[1]
        # Districts are named like towns and surnames abroad ('Marin', 'Santo'): they vote
        # for a country only when the text qualifies them ('Zamfara State', 'Kech district').
        named_division = len(match.candidates) == 1 and (
            match.qualified or len(match.span) > 1 or _ner_place(match.span))
        definite = {c.country_iso3 for c in match.candidates if c.country_iso3 and (
            c.source not in {"geonames", "division"}
            or (c.source == "division" and named_division))}
        # Groups and forces cross borders (JNIM is listed under Mali, fights in Burkina Faso):
        # they hint at the country; places decide it.
        organisation = all(c.entity_table != "places" for c in match.candidates)
        if any(c.kind == "country" for c in match.candidates) and _named_elsewhere(match, pack):
            definite = set()  # 'la frontera con Colombia', 'fled to Chad': the neighbour's
        for iso3 in definite:
            weight = 2 if any(c.kind == "country" for c in match.candidates) else (
                ORGANISATION_WEIGHT if organisation else 1)
            countries[iso3] += weight * (DATELINE_WEIGHT if in_dateline else 1)
        # A town every reading of which lies in one country ('Kharkiv') votes lightly for it:
        # a story about strikes on Kharkiv names Russia, the attacker, as often as Ukraine.
        town_country = _dominant_country(match.candidates, fold(span_text(match.span)))
        known = _ner_place(match.span) or max(c.population for c in match.candidates) >= BIG_TOWN
        if not definite and town_country and known and _whole_own_name(match, town_country,
                                                                        tokens):
            countries[town_country] += TOWN_WEIGHT * (DATELINE_WEIGHT if in_dateline else 1)
        for candidate in match.candidates:
            if candidate.kind == "admin1" and candidate.source != "geonames":
                admin1s.add(fold(candidate.name))
            if candidate.kind == "country" and not in_dateline:
                named.add(candidate.country_iso3)
    inside_names = {i for m in matches if m.candidates[0].entity_table != "places"
                    for i in range(m.span.start, m.span.end)}
    forces = pack.words("force_noun")
    for i, folded in enumerate(tokens.folds):
        iso3 = gazetteer.demonyms.get(folded) if tokens.texts[i][:1].isupper() else None
        if not iso3 or i in inside_names:
            continue
        following = tokens.folds[i + 1] if i + 1 < len(tokens.folds) else ""
        # "Russian troops", "Kenyan police": the nationality of an actor, not the place.
        countries[iso3] += 0.1 if following in forces else DEMONYM_WEIGHT
    if not countries:
        # No country named: the places themselves vote, each name splitting its vote among
        # its candidates' countries, weighted by population (Gonaives and Cap-Haitien agree
        # on Haiti; a lone "Victoria" decides nothing).
        votes: Counter = Counter()
        for match in matches:
            places = [c for c in match.candidates if c.entity_table == "places"]
            weights = {c.country_iso3: math.log10(c.population + 10) for c in places}
            total = sum(weights.values())
            for iso3, weight in weights.items():
                votes[iso3] += weight / total if total else 0
        if votes:
            iso3, score = votes.most_common(1)[0]
            if score >= 1.5:
                countries[iso3] += 1
    if not countries and default_country:
        countries[default_country] += 1
    return ArticleContext(countries=countries, admin1s=admin1s, named_countries=named)


# A name in a list after a `not_event_place` cue: 'fled Lestère, Pont-Sondé and ...',
# 'venus de Delmas et de ...' (each place of the list is one the people left or came from).
_LISTED_NAME = (r"(?-i:[A-ZÀ-Ý][\w'’.-]*)(?:[ -](?:(?-i:[A-ZÀ-Ý][\w'’-]*)|de|du|des|la|le)){0,3}"
                r"\s*(?:,|\s(?:and|or|et|ou|y|o|e|ak)\b)(?:\s+(?:from|de|du|des|d['’]))?")


@cache
def elsewhere_pattern(pack: LanguagePack) -> re.Pattern | None:
    phrases = pack.cue_phrases.get("not_event_place")
    return re.compile(rf"(?<!\w)(?:{'|'.join(phrases)})(?:\s*{_LISTED_NAME}){{0,3}}\s*$", re.I) \
        if phrases else None


def _named_elsewhere(match: _Match, pack: LanguagePack) -> bool:
    """A country named as the other side of a border or where people fled or were taken
    ('en la frontera con Colombia', 'fled to Chad'): a neighbour of the article's country,
    not where its events are; it never votes for the article's country."""
    cue = elsewhere_pattern(pack)
    start = match.span.start_char
    return cue is not None and cue.search(text_of(match.span.doc), max(0, start - 60), start) \
        is not None


def _whole_own_name(match: _Match, country: str, tokens: _Tokens) -> bool:
    """Whether the text calls the town by its own name, as a whole name: only then does it
    tell the article's country. 'Spring' in 'Red Spring' ends a local name, it is not the
    town in Texas; 'St James' is an old name of a town abroad, far more often a saint or a
    parish, while 'Jableh' is only a spelling of Jablah."""
    start = match.span.start
    before = match.span.doc[start - 1] if start > 0 else None
    inside = before is not None and before.text[:1].isupper() and before.is_alpha \
        and not before.is_stop and not before.is_sent_start \
        and tokens.sentence_of[start - 1] == tokens.sentence_of[start]
    # 'Sava' ending 'Mayo-Sava' (a department) is no town of its own either.
    inside = inside or _glued_to_a_name(tokens.facts, start)
    surface = fold(span_text(match.span))
    return not inside and any(c.country_iso3 == country and difflib.SequenceMatcher(
        None, fold(c.name), surface).ratio() >= SPELLING_RATIO for c in match.candidates)


# How alike a name must be to the town's own to be a spelling of it ('Jableh' for Jablah,
# 'Khost' for Khowst, about 0.8) rather than another name ('St James' for Vung Tau, 0.25).
SPELLING_RATIO = 0.5


def _resolve(match: _Match, context: ArticleContext, ner_says_place: bool = False
             ) -> Entry | None:
    """Pick the candidate the context supports; None when a GeoNames-only guess is too weak."""
    scored = sorted(((_score(c, match, context), c) for c in match.candidates),
                    key=lambda pair: (-pair[0], pair[1].key))
    _, best = scored[0]
    if best.source == "geonames" and best.country_iso3 not in context.countries \
            and best.population < 15_000:
        return None  # a village abroad is a namesake far more often than the place meant
    if best.source == "division" and context.countries \
            and best.country_iso3 not in context.countries \
            and not (ner_says_place or _ner_place(match.span)):
        return None  # a district of another country named like a word of this article
    abroad = context.main_country is not None and best.country_iso3 != context.main_country \
        and best.country_iso3 not in context.named_countries
    if best.source in {"geonames", "division"} and abroad and best.population < 100_000:
        # 'Sarthe', 'Nazon' in a Haitian report: a namesake abroad, unless the text names
        # that country; a world city (Geneva, Nairobi) stays what it is.
        return None
    if best.source == "geonames" and abroad and not _by_own_name(best, match) and (
            best.population < 1_000_000 or not _spelling_of(best, fold(span_text(match.span)))):
        # One of GeoNames' other names for a town abroad ('Media' for Médéa, 'Federal
        # Capital' for Washington): a word of this article far more often than that town;
        # a world city's too unless it only spells its name ('Bagata' is one of Bogotá's).
        return None
    if best.source == "geonames" and not (ner_says_place or _ner_place(match.span)):
        # A town name the model does not call a place: trust it only in the article's own
        # country, or when the town is big enough to be what the word usually means. GeoNames
        # gives no population (0) to the seats of districts it lists whatever their size: at
        # home, such a seat right after a place preposition ('at Ugba') is trusted too.
        home = best.country_iso3 == context.main_country
        seat = best.population == 0 and match.sited
        if not (home and (best.population >= 1_000 or seat or len(match.span) > 1)) \
                and best.population < 100_000:
            return None
    return best


def _one_reading_per_name(resolved: list[tuple[_Match, Entry | None]], context: ArticleContext
                          ) -> list[tuple[_Match, Entry | None]]:
    """A town name means one town throughout an article: the reading best supported where it
    is named ('Taxco, in Guerrero' picks Guerrero's Taxco) is its reading wherever the
    article names it alone (a smaller Taxco of another state would win on its own)."""
    best: dict[str, tuple[float, Entry]] = {}
    for match, entry in resolved:
        if entry is None or entry.entity_table != "places" or len(match.candidates) < 2:
            continue
        score = _score(entry, match, context)
        name = fold(span_text(match.span))
        if name not in best or score > best[name][0]:
            best[name] = (score, entry)
    if not best:
        return resolved
    chosen = []
    for match, entry in resolved:
        reading = best.get(fold(span_text(match.span))) if entry is not None else None
        if reading is not None and reading[1] in match.candidates:
            entry = reading[1]
        chosen.append((match, entry))
    return chosen


def _dominant_country(candidates: list[Entry], surface: str) -> str | None:
    """The country of a town name's readings when they all lie in it, or when its biggest
    reading there dwarfs every reading elsewhere (Odesa, Ukraine, not Odessa, Texas). A town
    the text calls by another of its names (GeoNames lists 'Mora' among those of Bilimora)
    weighs a tenth of its population: the Mora of another country is what the text means."""
    by_country: dict[str, float] = {}
    for c in candidates:
        if c.source != "geonames" or not c.country_iso3:
            continue
        weight = c.population if _spelling_of(c, surface) else c.population / OTHER_NAME_DISCOUNT
        by_country[c.country_iso3] = max(by_country.get(c.country_iso3, 0), weight)
    if not by_country:
        return None
    ranked = sorted(by_country.items(), key=lambda item: -item[1])
    if len(ranked) == 1 or ranked[0][1] >= DWARFS * max(ranked[1][1], 1):
        return ranked[0][0]
    return None


def _spelling_of(entry: Entry, surface: str) -> bool:
    """Whether a folded name calls the town by its own name: the whole of it or some of its
    words ('Bolivar' for Ciudad Bolivar), or a spelling of it ('Odessa' for Odesa, ratio
    0.91), not another of its names ('Mora' for Bilimora, 0.67; 'Okay' for Les Cayes)."""
    name = fold(entry.name)
    return f" {surface} " in f" {name} " or \
        difflib.SequenceMatcher(None, name, surface).ratio() >= CLOSE_SPELLING


CLOSE_SPELLING = 0.8
OTHER_NAME_DISCOUNT = 10


def _ner_place(span: Span) -> bool:
    ent_types = token_facts(span.doc).ent_types
    return any(ent_types[i] in NER_PLACE_LABELS for i in range(span.start, span.end))


def _score(entry: Entry, match: _Match, context: ArticleContext) -> float:
    score = 0.0
    if entry.entity_table != "places":
        score += 6.0  # a registry organisation or group beats a town of the same name
    total = sum(context.countries.values()) or 1
    if entry.country_iso3 in context.countries:
        score += 5.0 * context.countries[entry.country_iso3] / total + 2.0
    if entry.admin1 and fold(entry.admin1) in context.admin1s:
        score += 3.0
        sentence_text = match.sentence_text
        if f" {fold(entry.admin1)} " in f" {sentence_text} ":
            score += 3.0
    # A country's name means the country, not the town or district named after it.
    score += {"reference": 2.0, "pycountry": 6.0}.get(entry.source, 0.0)
    if entry.kind in {"city", "locality"} and any(
            c.kind == "admin1" and c.country_iso3 == entry.country_iso3 for c in match.candidates):
        # 'Maputo', 'Kano' without 'province' or 'state' after them: the city (a qualifier
        # would have left only the province among the candidates). Enough to outweigh the
        # province's vote for its own admin1 when the city's admin1 is another ('Maputo City').
        score += 1.0
    called_so = _by_own_name(entry, match) or (
        # Only at home: abroad, 'Las Palmas' is no short name of Las Palmas de Gran Canaria.
        _by_short_name(entry, match) and entry.country_iso3 == context.main_country)
    if called_so and all(c.source == "geonames" for c in match.candidates):
        # 'Abuja' is the city called Abuja, not the town GeoNames lists as once called so.
        # (Between GeoNames readings only: the curated lists name places as the press does.)
        # Enough to outweigh the old name's province named in the sentence ('Abuja' beside
        # 'Niger State', where Suleja lies).
        score += 4.0
    score += 0.4 * math.log10(entry.population + 1)
    return score


def _by_own_name(entry: Entry, match: _Match) -> bool:
    return fold(entry.name) == fold(span_text(match.span))


def _by_short_name(entry: Entry, match: _Match) -> bool:
    """'Chilapa' for Chilapa de Álvarez, 'Taxco' for Taxco de Alarcón: the name the press
    calls a town by when its official name adds a dedication."""
    name, surface = fold(entry.name), fold(span_text(match.span))
    return any(name.startswith(f"{surface} {joiner} ") for joiner in DEDICATION_JOINERS)


# What joins a town's name to the hero or saint its official name adds ('Taxco de Alarcón').
DEDICATION_JOINERS = ("de", "del")


def _overlaps(start: int, end: int, mentions: list[Mention]) -> bool:
    return any(m.start < end and start < m.end for m in mentions)


def _quoted_titles(text: str) -> list[tuple[int, int]]:
    """Spans of quoted titles ('a resolution titled "..."'): names inside are not organisations."""
    spans = []
    for quote in QUOTED.finditer(text):
        before = fold(text[max(0, quote.start() - 30):quote.start()])
        if any(cue in before for cue in TITLE_CUES):
            spans.append((quote.start(), quote.end()))
    return spans


# "the Kokorat San Ras gang", "members of the 400 Mawozo Gang", "the Arakan Army" (the name
# before the group noun); "le gang de Grand Ravine", "gang Gran Grif la" (the noun first):
# capitalised words beside a group noun name a group, whatever NER thinks of them.
# A word of a name: capitalised; a full stop only inside it ('St.', 'U.N.'), never the one
# that ends a sentence ('gang de Kempès Sanon. Aucun').
NAME_WORD = r"[A-Z0-9](?:[\w'’-]|\.(?=\w))*\.?(?<!\w{3}\.)"
NAME_JOINERS = r"(?:de|la|le|du|des|del|di|nan|san|of|al|el|ak)"
# Words of one name are on one line: a title's last word never joins the next line's.
_SPACE = r"[ \t\u00a0]+"


@cache
def _group_patterns(pack: LanguagePack) -> tuple[re.Pattern, re.Pattern]:
    nouns = alternation([accent_pattern(n) for n in pack.group_nouns])
    name_before = rf"((?:(?:{NAME_WORD}|{NAME_JOINERS}){_SPACE}){{0,4}}{NAME_WORD})"
    before = re.compile(rf"(?<![\w']){name_before}{_SPACE}((?i:{nouns}))\b")
    name_after = rf"((?:{NAME_WORD}{_SPACE}(?:{NAME_JOINERS}{_SPACE})?){{0,3}}{NAME_WORD})"
    of = rf"(?:(?:de|du|des|del|d')(?:{_SPACE}|(?<=')))?"
    after = re.compile(rf"(?<![\w'])((?i:{nouns})){_SPACE}{of}{name_after}")
    return before, after


def _superseding(found: list[Mention], existing: list[Mention]) -> list[Mention]:
    """`found`, after removing from `existing` every mention read inside one of them: a
    group's or an institution's name supersedes the place or person read inside it
    ("400 Mawozo", "Guardia Costera de Trinidad y Tobago")."""
    existing[:] = [m for m in existing
                   if not any(f.start <= m.start and m.end <= f.end for f in found)]
    return found


@cache
def _known_as_pattern(pack: LanguagePack) -> re.Pattern | None:
    """'the groups known as Los Metros and Los Escorpiones', 'a militia known as Wazalendo',
    'la faction connue sous le nom de ...': a group noun, an alias cue, one or two names."""
    cues = list(pack.words("alias_cue"))
    if not cues:
        return None
    nouns = alternation([accent_pattern(n) for n in pack.group_nouns])
    cue = alternation([accent_pattern(c) for c in cues])
    joiner = alternation(pack.casualty_phrases.get("pair_connector", []) or ["and"])
    name = rf"((?:{NAME_WORD}{_SPACE}(?:{NAME_JOINERS}{_SPACE})?){{0,3}}{NAME_WORD})"
    quote = r"[\"“«]?\s*"
    return re.compile(rf"(?<![\w'])((?i:{nouns}))(?i:e?s)?,?{_SPACE}(?i:{cue}){_SPACE}"
                      rf"(?:(?:the|los|las|les|le|la|el){_SPACE})?{quote}{name}"
                      rf"(?:\s*[\"”»]?{_SPACE}(?:{joiner}){_SPACE}{quote}{name})?")


def _known_as_group_mentions(doc: Doc, context: ArticleContext, pack: LanguagePack,
                             existing: list[Mention], sentence_of: dict[int, int]
                             ) -> list[Mention]:
    """Armed groups the text names by an alias cue after a group noun (`_known_as_pattern`):
    the name is the group's as written ('Los Metros'), with the category of its noun."""
    pattern = _known_as_pattern(pack)
    if pattern is None:
        return []
    found: list[Mention] = []
    for match in pattern.finditer(text_of(doc)):
        noun = fold(match.group(1))
        _, category = next((pack.group_nouns[n] for n in (noun, noun[:-1], noun[:-2])
                            if n in pack.group_nouns), (None, None))
        for group in (2, 3):
            if match.group(group) is None or category is None:
                continue
            span = doc.char_span(match.start(group), match.end(group), alignment_mode="expand")
            if span is None or any(m.start < span.end_char and span.start_char < m.end and
                                   m.entry.entity_table in {"actors", "institutions"}
                                   for m in existing + found):
                continue  # the registry or a group shape already knows it
            name = span.text
            entry = Entry("actors", f"actor:{fold(name)}", name, "armed_group", category,
                          context.main_country, source="pattern")
            found.append(Mention(span.start_char, span.end_char, name, sentence_of[span.start],
                                 entry, "pattern"))
    return _superseding(found, existing)


@cache
def _coordinated_group_pattern(pack: LanguagePack) -> re.Pattern:
    """'the Ambulin and Sikin clans': two groups named before one plural group noun."""
    nouns = alternation([accent_pattern(n) for n in pack.group_nouns])
    joiner = alternation(pack.casualty_phrases.get("pair_connector", []) or ["and"])
    name = rf"((?:{NAME_WORD}{_SPACE}){{0,2}}{NAME_WORD})"
    return re.compile(rf"(?<![\w']){name}{_SPACE}(?:{joiner}){_SPACE}{name}{_SPACE}"
                      rf"((?i:{nouns}))(?:e?s)\b")


def _named_group_mentions(doc: Doc, context: ArticleContext, pack: LanguagePack,
                          existing: list[Mention], sentence_of: dict[int, int],
                          gazetteer: Gazetteer) -> list[Mention]:
    before, after = _group_patterns(pack)
    order = pack.settings.get("group_name_order", "before")
    not_names = pack.words("not_group_name")
    state_words = pack.words("institution_keyword")
    # (mention start, mention end, name, group noun, name written first, where the name starts)
    candidates: list[tuple[int, int, str, str, bool, int]] = []
    if order in {"before", "both"}:
        candidates += [(m.start(1), m.end(), m.group(1), m.group(2), True, m.start(1))
                       for m in before.finditer(text_of(doc))]
    if order in {"after", "both"}:
        candidates += [(m.start(), m.end(2), m.group(2), m.group(1), False, m.start(2))
                       for m in after.finditer(text_of(doc))]
    if order in {"before", "both"}:
        for m in _coordinated_group_pattern(pack).finditer(text_of(doc)):
            candidates += [(m.start(1), m.end(1), m.group(1), m.group(3), True, m.start(1)),
                           (m.start(2), m.end(2), m.group(2), m.group(3), True, m.start(2))]
    found: list[Mention] = []
    for start, end, name_text, noun_text, name_first, name_start in sorted(candidates):
        words = name_text.split()
        if name_first:
            while words and (fold(words[0]) in not_names or not words[0][:1].isupper()
                             and not words[0][:1].isdigit()):
                words = words[1:]
        else:
            while words and fold(words[-1]) in not_names:
                words = words[:-1]
        numbered = _numbered_group(words, noun_text, name_first)
        if not numbered and (
                not any(w[:1].isupper() and fold(w) not in not_names for w in words)
                or all(part in pack.numbers for w in words for part in fold(w).split())):
            continue  # "30 gang members", "Eight gang members" count members; no group
        if any(fold(w) in state_words or fold(w) in pack.words("state_adjective") for w in words):
            continue  # "the Nigerian Army", "the National Police" are state forces
        if fold(" ".join(words)) in gazetteer.demonyms:
            continue  # "the Jordanian army", "a Congolese militia": a nation's, named by no name
        if name_first:
            start = name_start + name_text.find(words[0])
        else:
            end = name_start + name_text.rfind(words[-1]) + len(words[-1])
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None:
            continue
        known = [m for m in existing if m.start < span.end_char and span.start_char < m.end]
        if name_first and any(m.entry.entity_table == "places" and m.entry.kind == "country"
                              and m.start == span.start_char
                              and POSSESSIVE.fullmatch(" ".join(words)[m.end - m.start:])
                              for m in known):
            continue  # "Sudan's army" is the country's forces (a descriptor), no group
        if any(m.entry.entity_table == "institutions" or (
                m.entry.entity_table == "actors" and m.entry.kind == "armed_group") for m in known):
            continue  # the registry already knows this group or organisation
        if _overlaps(span.start_char, span.end_char, found):
            continue
        canonical, category = pack.group_nouns[fold(noun_text)]
        name = span.text if numbered else f"{' '.join(words)} {canonical}"
        entry = Entry("actors", f"actor:{fold(name)}", name, "armed_group",
                      "identity_militia" if "bwa kale" in fold(name) else category,
                      context.main_country, source="pattern")
        found.append(Mention(span.start_char, span.end_char, span.text,
                             sentence_of[span.start], entry, "pattern"))
    return _superseding(found, existing)


def _unnamed_spans(doc: Doc, pattern: re.Pattern | None, existing: list[Mention]
                   ) -> Iterator[tuple[re.Match, Span]]:
    """The matches of `pattern` and their spans where no group or organisation is named yet
    (the registry's 'Baz Galil', '444th Brigade' stay its own)."""
    for match in pattern.finditer(text_of(doc)) if pattern is not None else ():
        span = doc.char_span(match.start(), match.end(), alignment_mode="expand")
        if span is not None and not any(
                m.entry.entity_table in {"actors", "institutions"}
                and m.start < span.end_char and span.start_char < m.end for m in existing):
            yield match, span


@cache
def _headed_group_pattern(pack: LanguagePack) -> re.Pattern | None:
    """A capitalised `group_head` and the capitalised words after it ('Baz Lakou Saintard')."""
    heads = pack.words("group_head")
    if not heads:
        return None
    head = alternation([accent_pattern(w.capitalize()) for w in heads])
    name = rf"(?:{NAME_WORD}{_SPACE}(?:{NAME_JOINERS}{_SPACE})?){{0,3}}{NAME_WORD}"
    return re.compile(rf"(?<![\w'’-])({head}){_SPACE}{name}")


def _headed_group_mentions(doc: Doc, context: ArticleContext, pack: LanguagePack,
                           existing: list[Mention], sentence_of: dict[int, int]
                           ) -> list[Mention]:
    """'Baz Lakou Saintard', 'Bann Kabrit': Haitian armed groups name themselves with a Creole
    group word first, and the press of every language keeps that name whole ('a group residents
    call Bann Kabrit', 'le gang Baz Pilate'). A capitalised group head (the pack's `group_head`,
    value the category) followed by capitalised words is such a group, the whole its name
    (the place it ends with: `_places_inside_headed_groups`)."""
    found: list[Mention] = []
    for match, span in _unnamed_spans(doc, _headed_group_pattern(pack), existing):
        category = pack.words("group_head")[fold(match.group(1))] or "political_militia"
        entry = Entry("actors", f"actor:{fold(span.text)}", span.text, "armed_group", category,
                      context.main_country, source="pattern")
        found.append(_mention(span, entry, sentence_of, "group_head"))
    return _superseding(found, existing)


def _places_inside_headed_groups(mentions: list[Mention], sentence_of: dict[int, int]
                                 ) -> list[Mention]:
    """The locality a headed group's name ends with, when the article names it as a place
    elsewhere ('in Saintard'), is also named there: a base is named after the yard or locality
    it holds ('Baz Lakou Saintard'), where what it does is told."""
    groups = [m for m in mentions if m.via == "group_head"]
    places = {m.text: m.entry for m in mentions
              if m.entry.entity_table == "places" and m.via != "dateline"} if groups else {}
    found = []
    for group in groups:
        for name, entry in places.items():
            if group.text.endswith(f" {name}"):
                found.append(Mention(group.end - len(name), group.end, name, group.sentence_index,
                                     entry, "repeated"))
                break
    return found


# An ordinal in figures, as English, French and Spanish write them: '6th', '601st', '31e',
# '3ème', '5.ª', '30º'.
ORDINAL = r"\d{1,4}(?:st|nd|rd|th|e|er|re|ère|ème|eme|\.?º|\.?ª)"


@cache
def _military_unit_pattern(pack: LanguagePack) -> re.Pattern | None:
    """An ordinal, up to three capitalised words and a unit word ('6th Infantry Division')."""
    units = pack.words("unit_word")
    if not units:
        return None
    unit = alternation([accent_pattern(w) for w in units])
    return re.compile(rf"(?<![\w-]){ORDINAL}(?:{_SPACE}[A-Z][\w-]*){{0,3}}{_SPACE}(?i:{unit})"
                      rf"(?![\w-])")


def _military_unit_mentions(doc: Doc, context: ArticleContext, pack: LanguagePack,
                            existing: list[Mention], sentence_of: dict[int, int]
                            ) -> list[Mention]:
    """'the Army's 6th Infantry Division', 'the 601st Infantry Brigade', 'le 31e bataillon': a
    unit numbered by an ordinal is a unit of the country's armed forces (state forces), not a
    militia named like a group ('brigade'); the registry's units ('444th Brigade') stay its."""
    found: list[Mention] = []
    for _, span in _unnamed_spans(doc, _military_unit_pattern(pack), existing):
        entry = Entry("institutions", f"institution:{fold(span.text)}", span.text, "military",
                      "state_forces", context.main_country, source="pattern")
        found.append(_mention(span, entry, sentence_of, "pattern"))
    return _superseding(found, existing)


def _numbered_group(words: list[str], noun_text: str, name_first: bool) -> bool:
    """'el Frente 33', 'la Pandilla 18': a capitalised group noun followed by a number alone is
    a group's name (a front's, a gang's), the number its name; written in lower case or before
    the noun ('30 gang members') the number counts members."""
    return not name_first and noun_text[:1].isupper() and len(words) == 1 \
        and words[0].isdigit()


def _named_institution_mentions(doc: Doc, context: ArticleContext, pack: LanguagePack,
                                existing: list[Mention], sentence_of: dict[int, int]
                                ) -> list[Mention]:
    """'la Guardia Costera de Trinidad y Tobago', 'el Ministerio del Interior': a word that
    opens an institution's name (the pack's `institution_head`, for languages the model does
    not read) followed by capitalised words names that institution. A place inside the name
    ('Trinidad y Tobago') is part of it, not a place of the text."""
    pattern = _named_institution_pattern(pack)
    found: list[Mention] = []
    for match in pattern.finditer(text_of(doc)) if pattern is not None else ():
        if not match.group(0)[:1].isupper():
            continue  # 'la policía nacional' written in lower case is a descriptor's
        span = doc.char_span(match.start(), match.end(), alignment_mode="expand")
        if span is None or any(m.entry.entity_table != "places" for m in existing
                               if m.start < span.end_char and span.start_char < m.end):
            continue  # the registry or the model already named it
        if _station_of_a_town(span, existing, pack):
            continue
        entry = _institution_from_name(match.group(0), context.main_country, pack)
        if entry is not None and entry.entity_table == "institutions":
            found.append(_mention(span, entry, sentence_of, "pattern"))
    found += _institutions_named_by_their_last_word(doc, context, pack, existing, sentence_of)
    return _superseding(found, existing)


def _station_of_a_town(span: Span, existing: list[Mention], pack: LanguagePack) -> bool:
    """'la estación de Policía de Caloto', 'la subestación de Policía de X': a station named
    by its force and its town is in that town; the town is a place of the text and the force
    its descriptor's (the national police), not an institution named after the town."""
    pattern = _station_of_pattern(pack)
    return pattern is not None and \
        pattern.search(text_of(span.doc), max(0, span.start_char - 30), span.start_char) \
        is not None and \
        any(m.entry.entity_table == "places" and m.entry.kind in SETTLEMENT_KINDS
            and span.start_char < m.start and m.end <= span.end_char for m in existing)


@cache
def _station_of_pattern(pack: LanguagePack) -> re.Pattern | None:
    """A station word and 'of' right before a name ('la estación de ')."""
    if not pack.words("station_word"):
        return None
    of = alternation([accent_pattern(w) for w in pack.words("settlement_of")] or ["of"])
    stations = alternation([accent_pattern(w) for w in pack.words("station_word")])
    return re.compile(rf"\b(?i:{stations})\s+(?i:{of})\s+$")


def _institutions_named_by_their_last_word(doc: Doc, context: ArticleContext,
                                           pack: LanguagePack, existing: list[Mention],
                                           sentence_of: dict[int, int]) -> list[Mention]:
    """'the Central African Republic's Special Criminal Court', 'the Independent Policing
    Oversight Authority': capitalised words ending with a capitalised word that ends
    institutions' names (the pack's `institution_tail`, for languages that put it last) name
    an institution, whatever the model makes of them (it reads the first one as a place).
    Only names the gazetteer and the model left alone: a known place inside ('Kenya Police')
    keeps its own reading."""
    pattern = _institution_tail_pattern(pack)
    if pattern is None:
        return []
    calendar_words = set(pack.months) | set(pack.weekdays)
    found: list[Mention] = []
    for match in pattern.finditer(text_of(doc)):
        span = doc.char_span(match.start(), match.end(), alignment_mode="expand")
        while span is not None and len(span) and span[0].is_stop:
            span = span[1:]  # 'The Independent ... Authority', 'After Police ...'
        if span is None or len(span) < 2 or _overlaps(span.start_char, span.end_char, existing) \
                or any(fold(t.text) in calendar_words for t in span) or _a_venue(span, pack):
            continue  # 'On Monday Police arrested ...'
        entry = _institution_from_name(span.text, context.main_country, pack)
        tail_kind = pack.words("institution_tail").get(fold(span[-1].text))
        if entry is None and tail_kind:  # 'Authority' ends names only (the word alone is none)
            entry = Entry("institutions", f"institution:{fold(span.text)}", span.text, tail_kind,
                          "other", context.main_country, source="ner")
        if entry is not None and entry.entity_table == "institutions":
            found.append(_mention(span, entry, sentence_of, "pattern"))
    return found


def _a_venue(span: Span, pack: LanguagePack) -> bool:
    """'shots were heard near the National Ferry Authority': after a place preposition (and an
    article) the institution's name says where, not who; it is no participant."""
    before = text_of(span.doc)[max(0, span.start_char - 30):span.start_char]
    words = before.split()
    if words and fold(words[-1]) in pack.words("determiner"):
        before = before[:before.rstrip().rfind(words[-1])]
    return _preposition_before(pack).search(before) is not None


@cache
def _institution_tail_pattern(pack: LanguagePack) -> re.Pattern | None:
    tails = pack.words("institution_tail")
    if not tails:
        return None
    tail = alternation([" ".join(w.capitalize() for w in t.split()) for t in tails])
    word = r"[A-Z][\w-]*"
    # The name must end there: 'Traditional Authority Mbela' is a place, 'Capital City
    # Police Department' a longer name.
    return re.compile(rf"(?<![\w'’-])(?:{word}{_SPACE}(?:(?:of|for|and){_SPACE})?){{1,5}}"
                      rf"{tail}(?![\w'’-])(?!{_SPACE}[A-Z])")


@cache
def _named_institution_pattern(pack: LanguagePack) -> re.Pattern | None:
    heads = pack.words("institution_head")
    if not heads:
        return None
    head = alternation([accent_pattern(w) for w in heads])
    joiner = r"(?:de|del|de la|de los|de las|y|e)"
    capitalised = r"(?-i:[A-ZÁÉÍÓÚÑÀ-Ý][\w'’-]*)"
    return re.compile(rf"(?<![\w'’-])(?i:{head})(?:(?:{_SPACE}{joiner})?{_SPACE}{capitalised})+")


def _ner_mentions(doc: Doc, gazetteer: Gazetteer, pack: LanguagePack, context: ArticleContext,
                  existing: list[Mention], sentence_of: dict[int, int]) -> list[Mention]:
    titles = _quoted_titles(text_of(doc))
    # Surnames of the people the model names in full ('President Gustavo Petro'): the same
    # word alone is that person, even where the model calls it a place ('..., Petro said').
    ents = doc.ents  # a new Span per entity on each access
    surnames = {fold(ent[-1].text) for ent in ents
                if NER_LABELS.get(ent.label_) == "PERSON" and len(ent) >= 2}
    model_places = tuple(ent.start_char for ent in ents
                         if NER_LABELS.get(ent.label_) in NER_PLACE_LABELS)
    found: list[Mention] = []
    for ent in ents:
        label = NER_LABELS.get(ent.label_)
        span = _strip_article(ent, pack)
        if span is not None and len(span) > 1 and span[0].is_sent_start and \
                fold(span[0].text) in pack.words("place_preposition") and \
                not gazetteer.lookup(span.text):
            span = span[1:]  # 'In Bè, a district near the lagoon': the preposition opens it
        if span is not None and label in NER_PLACE_LABELS:
            span = _without_settlement_word(_whole_qualified_name(span, pack), pack)
        if label is None or span is None or _overlaps(span.start_char, span.end_char,
                                                      existing + found):
            continue
        if any(s <= span.start_char and span.end_char <= e for s, e in titles):
            continue
        if label in NER_PLACE_LABELS and \
                MODIFIER_AFTER.match(text_of(doc), span.end_char) is not None:
            continue  # 'the US-trained Danab forces', 'Saudi-led': who, not where
        if label == "PERSON" and len(span) <= 3 and _after_place_preposition(span, pack) and \
                _anchored(text_of(doc), span.end_char, existing + found, pack, model_places):
            continue  # 'near Tin Zaouatine, in the province of In Guezzam': a village (below)
        entry = _entry_for_ner(span, label, gazetteer, pack, context)
        if entry is not None and entry.entity_table == "places" and entry.source == "ner":
            if len(span) == 1 and fold(span.text) in surnames:
                continue
            if ORGANISATION_AFTER.match(text_of(doc), span.end_char):
                continue  # 'la Dynamique des femmes juristes signale ...': a body, not a place
            if (_division_word_after(span, pack) or _ends_with_division_word(span, pack)) \
                    and entry.kind in SETTLEMENT_KINDS:
                # 'the Madibeng municipality said ...': a district, larger than the town
                # named with it, never a place inside that town.
                entry = entry._replace(kind="admin2")
            division = _division_word_before(span, pack)
            if division is not None and entry.kind in SETTLEMENT_KINDS:
                # 'dans la province du Namentenga', 'el municipio Páez': a division named as
                # one, larger than the town named with it ('le poste de Yalgo, dans ...').
                entry = entry._replace(kind="admin2" if division == "admin2" else "region")
            if entry.kind in SETTLEMENT_KINDS and _opens_with_compass_word(span, pack):
                # 'West Gojjam', 'South Wollo', 'Lower Juba': a name the gazetteer lacks that
                # opens with a compass word names a zone or a district, not a village.
                entry = entry._replace(kind="admin2")
            if entry.kind in SETTLEMENT_KINDS and _where_a_town_lies(span, existing + found, pack):
                entry = entry._replace(kind="admin2")
            if entry.kind == "region" and _feature_named_place_of_a_commune(span, existing + found,
                                                                            pack):
                entry = entry._replace(kind="locality")
            entry = _anchor_unknown_place(entry, span, existing + found)
        if entry is not None:
            found.append(_mention(span, entry, sentence_of, "ner"))
    # 'à Kelbo, dans la commune de X': the model may find the town after the village, so
    # the villages left hanging from the country are anchored again once all are known (those
    # the text called villages too: 'X, section communale de Y').
    for mention in found + [m for m in existing if m.via == "settlement"]:
        span = doc.char_span(mention.start, mention.end)
        if mention.entry.entity_table == "places" and mention.entry.source == "ner" \
                and span is not None:
            mention.entry = _anchored_again(mention.entry, span, existing + found)
    return found


# A name the gazetteer lacks followed by 'des', 'du', 'de la' ('of the') and a word in lower
# case is a body's name ('la Dynamique des femmes juristes', 'el Colectivo de las madres'),
# never a place. (Not English 'of the': 'the Oromia Special Zone of the region' is a place.)
ORGANISATION_AFTER = re.compile(r"\s+(?:des|du|de la|de l['’]|de los|de las|del)"
                                r"\s+(?-i:[a-zà-ÿ])")


# A participle glued to a name by a hyphen makes it a modifier ('US-trained', 'Saudi-led',
# 'Kenya-based', 'Hamas-run', 'Iranian-made', 'rebel-held'): the name says who, not where.
# Used here for the model's names and by the article reader for every place of a sentence.
MODIFIER_AFTER = re.compile(r"[-‐‑](?:[a-z]+ed|run|made|born|held)\b")


def _feature_named_place_of_a_commune(span: Span, mentions: list[Mention],
                                      pack: LanguagePack) -> bool:
    """'Montagne X, dans la commune de Y', 'Mount X, in the commune of Y': a name opening with a
    natural-feature word (a mountain, a hill) that the text places right away in a
    commune or a district is a settlement named after the height, as many villages are, not
    a natural region (which no commune could hold: it hung from the country and lost to the
    commune)."""
    features = pack.words("natural_feature")
    if not span[0].text[:1].isupper() or fold(span[0].text) not in features:
        return False
    text = text_of(span.doc)
    after = [m for m in mentions if m.entry.entity_table == "places"
             and 0 < m.start - span.end_char < 40]
    if not after:
        return False
    town = min(after, key=lambda m: m.start)
    gap = text[span.end_char:town.start]
    divisions = {w for w, kind in pack.words("place_qualifier").items() if kind == "admin2"}
    named_division = any(w in divisions for w in fold(gap).split() +
                         fold(text[town.end:town.end + 20]).split()[:1])
    return town.entry.kind in {"city", "admin2"} and named_division and \
        _anchor_pattern(pack).fullmatch(gap) is not None


def _whole_qualified_name(span: Span, pack: LanguagePack) -> Span:
    """'outside Kouk Mon village': the model tags 'Kouk' alone; the name runs to the
    settlement word that ends it."""
    if pack.settings.get("place_qualifier_order", "after") != "after":
        return span
    match = _qualified_place_pattern(pack).match(text_of(span.doc), span.start_char)
    if match is None or match.end("name") <= span.end_char:
        return span
    return span.doc.char_span(span.start_char, match.end("name")) or span


def _without_settlement_word(span: Span, pack: LanguagePack) -> Span:
    """'near Tesgaon village': the model tags the settlement word with the name; written in
    lower case it describes the place and is no part of its name ('Cape Town' keeps its
    capitalised one)."""
    last = span[-1]
    if len(span) > 1 and last.is_lower and \
            pack.words("place_qualifier").get(fold(last.text)) in SETTLEMENT_QUALIFIER_KINDS:
        return span[:-1]
    return span


SETTLEMENT_QUALIFIER_KINDS = {"locality", "city", "neighbourhood"}


def _anchor_unknown_place(entry: Entry, span: Span, mentions: list[Mention],
                          look_back_after: int | None = None) -> Entry:
    """A place the gazetteer lacks hangs from the most specific known place the text anchors
    it to: the place written next to it ('Cite Soleil - Drouillard', 'Drouillard, Cite
    Soleil'), else a known place later in its sentence ('Khuafo village, just north of
    Thantlang, in Chin state'), else, for a village the text calls one ('the village of X',
    'X, a village in', 'X village'), the nearest town named before it in its sentence, after
    `look_back_after` (the dateline's end: 'leaders in Dibaya said ... the nearby village of
    Bena Kabamba'). It inherits that place's position as a fallback, with a coarser
    geo_precision."""
    text = text_of(span.doc)
    places = [m for m in mentions if m.entry.entity_table == "places"
              and m.entry.kind != "country" and m.via != "dateline"
              and _may_contain(m.entry, entry)]
    if _compass_only(span):
        # 'In the North West, police fired at residents of Marikana': a part of the country,
        # larger than any town named with it, never a place inside that town.
        return entry._replace(kind="region")
    parent = None
    for mention in places:
        gap_before = text[mention.end:span.start_char]
        gap_after = text[span.end_char:mention.start]
        # 'Cite Soleil - Drouillard', 'Drouillard, Cite Soleil': the part, then its town. A
        # name after a town and a comma is where the town lies ('in Rotherham, South
        # Yorkshire'), not a part of it.
        if (0 <= span.start_char - mention.end <= 4 and gap_before.strip() in {"-", "–"}) or \
                (0 <= mention.start - span.end_char <= 3 and gap_after.strip() == ","):
            parent = mention.entry
            break
    if parent is None:
        sentence = span.sent
        later = [m for m in places if span.end_char <= m.start < sentence.end_char]
        parent = finest_place([m.entry for m in later])
    if parent is None and look_back_after is not None and entry.kind == "locality":
        # Villages only: a neighbourhood named after its city ('in the city of Baniyas ...
        # the al-Qusour neighbourhood') stays unplaced, and the city is the event's place
        # (hung from it, a quarter named in an announcement opened an event of its own:
        # rules54, news-dev19). Only a town of the village's country: 'la subregión del San
        # Juan ... el corregimiento de Noanamá' is no village of San Juan, Puerto Rico.
        parent = _known_town_before(span, [m for m in places if m.start >= look_back_after
                                           and m.entry.country_iso3 in {None, entry.country_iso3}])
    if parent is None:
        parent = _setting_town(span, places)
    return entry if parent is None else _hung_from(entry, parent)


def _hung_from(entry: Entry, parent: Entry) -> Entry:
    """A place the gazetteer lacks, placed inside a known one (whose position it inherits)."""
    kind = "neighbourhood" if parent.kind == "city" and entry.kind == "other" else entry.kind
    return entry._replace(key=f"{entry.key}:{parent.key}", parent_key=parent.key,
                          country_iso3=parent.country_iso3, admin1=parent.admin1, kind=kind)


def _setting_town(span: Span, places: list[Mention]) -> Entry | None:
    """'In Gonaïves, police fired tear gas at pupils marching in X', 'Nan Gonayiv, ... nan X':
    the known town that opens the sentence as its setting (a preposition, the town, a comma)
    holds the place the gazetteer lacks named after it in that sentence."""
    sentence = span.sent
    text = text_of(span.doc)
    for mention in places:
        if not sentence.start_char <= mention.start < span.start_char or \
                mention.entry.kind not in {"city", "admin2"}:
            continue
        opening = text[sentence.start_char:mention.start].split()
        if len(opening) == 1 and opening[0][:1].isupper() and \
                text[mention.end:mention.end + 2].startswith(","):
            return mention.entry
    return None


def _compass_only(span: Span) -> bool:
    """'North West', 'the South East': a name made of compass points alone (in English,
    French, Spanish or Creole) names a part of the country."""
    words = [fold(t.text) for t in span if t.is_alpha and not t.is_stop]
    return bool(words) and all(w in COMPASS_POINTS for w in words)


# Compass points in the four packs' languages ('the North West', 'le Nord-Ouest', 'el Sur').
COMPASS_POINTS = {"north", "south", "east", "west", "northeast", "northwest", "southeast",
                  "southwest", "nord", "sud", "est", "ouest", "norte", "sur", "este", "oeste",
                  "noreste", "noroeste", "sureste", "suroeste", "nordest", "nordouest",
                  "sudest", "sudouest", "centre", "center", "centro", "central"}


def _known_town_before(span: Span, places: list[Mention]) -> Entry | None:
    """The nearest gazetteer town named before `span` in its sentence. Not a division: a
    village hung from a province's centroid is placed worse than at the town beside it."""
    before = [m for m in places if span.sent.start_char <= m.end <= span.start_char
              and m.entry.source != "ner" and m.entry.kind == "city"]
    return max(before, key=lambda m: m.end).entry if before else None


FINEST_FIRST = ("neighbourhood", "facility", "locality", "city", "road", "admin2", "other",
                "region", "admin1", "country")


def _fineness(entry: Entry) -> int:
    return FINEST_FIRST.index(entry.kind) if entry.kind in FINEST_FIRST else 6


def _may_contain(parent: Entry, child: Entry) -> bool:
    """Whether a place the gazetteer lacks may hang from another: only from one as large as
    it or larger ('Kigulube, in Shabunda territory': the territory never hangs from the
    village), that something locates (hanging from a name nothing locates would make the
    child look located: it would then beat the towns named beside it)."""
    located = parent.latitude is not None or (
        parent.parent_key is not None and not parent.parent_key.startswith("place:country:"))
    return located and _fineness(parent) >= _fineness(child)


def finest_place(entries: list[Entry]) -> Entry | None:
    """The most specific of some places (a village before its district before its state)."""
    ranked = sorted(entries, key=_fineness)
    return ranked[0] if ranked else None


def _settlement_mentions(doc: Doc, pack: LanguagePack, context: ArticleContext,
                         existing: list[Mention], sentence_of: dict[int, int]) -> list[Mention]:
    """'the village of Kigulube', 'Rubaya, a town in North Kivu', 'Mashema, a farming village
    in the Dansadau district': the text says the name is a place, whatever the model thinks
    (the small models often call an unknown village a person)."""
    if not pack.words("settlement_word"):
        return []
    found: list[Mention] = []
    text = text_of(doc)
    titles = pack.words("person_title")
    calendar_words = set(pack.months) | set(pack.weekdays)
    for match in _settlement_patterns(pack).finditer(text):
        start, end = match.span("name") if match.group("name") else match.span("name2")
        first = text[start:end].split(" ", 1)
        if len(first) > 1 and fold(first[0]) in pack.words("place_preposition"):
            start += len(first[0]) + 1  # 'In Bè, a district near the lagoon'
        if _overlaps(start, end, existing + found) and not (
                match.group("name2") and _ends_group_names(existing + found, start, end)):
            named = _group_named_as_settlement(existing, start, end) if match.group("name") \
                else None
            parts = _foreign_parts_of_name(existing, start, end, context)
            if named is None and not parts or _overlaps(start, end, found):
                continue
            for replaced in [named] if named is not None else parts:
                existing.remove(replaced)
        after = text[match.end():match.end() + 30].split()
        if match.group("name2") and after and fold(after[0]) in titles:
            continue  # 'Husseini Dankali, a community leader': the word names the person's role
        span = doc.char_span(start, end, alignment_mode="expand")
        words = _name_words(span) if span is not None else []
        # 'On Friday, a week after the village burned': a day or a month is never the village.
        if span is None or not words or any(w in pack.words("not_group_name")
                                            or w in pack.group_nouns or w in calendar_words
                                            for w in words):
            continue
        found.append(_mention(span, _unknown_locality(span, context, existing + found,
                              called_a_village=True), sentence_of, "settlement"))
    return found



def _facility_place_mentions(doc: Doc, gazetteer: Gazetteer, pack: LanguagePack,
                             context: ArticleContext, existing: list[Mention],
                             sentence_of: dict[int, int]) -> list[Mention]:
    """'the Barkoti police station in Bannu district', 'the public market of Datu Lumenda,
    Maguindanao del Sur': a facility named after the village it stands in. The name is that
    village when the text also anchors it to a known place (then it has that place's position
    and a coarser geo_precision); without an anchor it is left alone, as a village with no
    position would draw its event away from the towns named beside it."""
    if not pack.words("facility_word"):
        return []
    found: list[Mention] = []
    for match in _facility_pattern(pack).finditer(text_of(doc)):
        start, end = match.span("name") if match.group("name") else match.span("name2")
        if _overlaps(start, end, existing + found):
            continue
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None or not _plausible_village_name(span, gazetteer, pack):
            continue
        entry = _unknown_locality(span, context, existing + found, called_a_village=True)
        if entry.parent_key is None or entry.parent_key.startswith("place:country:"):
            continue
        found.append(_mention(span, entry, sentence_of, "facility"))
    return found


def _plausible_village_name(span: Span, gazetteer: Gazetteer, pack: LanguagePack) -> bool:
    """Not an acronym ('the UN base'), a compass point, a calendar word ('the Sunday market'),
    a common word, nor a name holding a group or institution word ('the Army checkpoint')."""
    words = [fold(t.text) for t in span if t.is_alpha]
    calendar_words = set(pack.months) | set(pack.weekdays)
    return bool(words) and not span.text.isupper() and not _compass_only(span) \
        and not _common_word(span, gazetteer) and not any(
            w in calendar_words or w in pack.words("not_group_name") or w in pack.group_nouns
            or w in pack.words("institution_keyword") or w in pack.words("person_title")
            for w in words)


@cache
def _facility_pattern(pack: LanguagePack) -> re.Pattern:
    facilities = alternation([accent_pattern(w) for w in pack.words("facility_word")])
    determiners = alternation([accent_pattern(w) for w in pack.words("determiner")])
    name = PLACE_NAME
    of = alternation([accent_pattern(w) for w in pack.words("settlement_of")] or ["of"])
    # 'the X police station' | 'the (public) market of X'
    return re.compile(rf"(?<![\w'’])(?i:{determiners})\s+(?P<name>{name})\s+(?i:{facilities})\b"
                      rf"|\b(?i:{facilities})\s+(?i:{of})\s+(?P<name2>{name})(?![\w'’-])")


def _foreign_parts_of_name(mentions: list[Mention], start: int, end: int,
                           context: ArticleContext) -> list[Mention]:
    """'Tungan Mairo, a farming town in Rijau': the text calls the whole name a town, so a
    gazetteer town abroad matching only its first word ('Tungan', China) is no reading of it.
    Empty unless every mention overlapping the name lies inside it, is shorter, and is a
    gazetteer place outside the article's main country."""
    overlapping = [m for m in mentions if m.start < end and start < m.end]
    foreign = [m for m in overlapping if start <= m.start and m.end <= end
               and m.end - m.start < end - start and m.via == "gazetteer"
               and m.entry.entity_table == "places"
               and m.entry.country_iso3 != context.main_country]
    return foreign if foreign and len(foreign) == len(overlapping) else []


def _group_named_as_settlement(mentions: list[Mention], start: int, end: int) -> Mention | None:
    """'the coastal town of Ras Kamboni': a group the registry knows by the name of a town
    ('Ras Kamboni' for the Ras Kamboni Movement), named right after 'the town of', is the
    town."""
    return next((m for m in mentions if (m.start, m.end) == (start, end)
                 and m.entry.entity_table == "actors" and m.via == "gazetteer"), None)


def _ends_group_names(mentions: list[Mention], start: int, end: int) -> bool:
    """'the self-defence brigade of X, a rural section of Y': the name the text calls a place
    ends the name of a group named after that place. Both are meant: the group stays,
    and the place is where it is (every mention over the name is such a group's)."""
    overlapping = [m for m in mentions if m.start < end and start < m.end]
    return bool(overlapping) and all(m.entry.entity_table == "actors" and m.start < start
                                     and m.end == end for m in overlapping)


def _repeated_places(doc: Doc, mentions: list[Mention], sentence_of: dict[int, int],
                     pack: LanguagePack) -> list[Mention]:
    """A place the gazetteer lacks, recognised once by what the text says of it ('captured
    Adan Yabaal, a strategic town'), is that place wherever the article names it again
    ('drones struck vehicles on the outskirts of Adan Yabaal'), where no cue says so."""
    unknown = {m.text: m.entry for m in mentions if m.entry.entity_table == "places"
               and m.entry.source == "ner" and m.text[:1].isupper() and len(m.text) > 2}
    if not unknown:
        return []
    text = text_of(doc)
    # A match overlapping a mention is skipped, and most articles name no such place
    # anywhere else: then the pattern of their names (never the same twice, so compiled
    # each time) would find nothing.
    if not _named_outside(text, unknown, mentions):
        return []
    names = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(name) for name in sorted(
        unknown, key=len, reverse=True)) + r")(?!\w)")
    found: list[Mention] = []
    for match in names.finditer(text):
        parts = _parts_of_name(match.start(), match.end(), unknown[match.group(0)], mentions)
        if _overlaps(match.start(), match.end(), [m for m in mentions if m not in parts] + found):
            continue
        span = doc.char_span(match.start(), match.end())
        if span is not None:
            for part in parts:
                mentions.remove(part)
            entry = _anchored_where_told(unknown[match.group(0)], span, mentions, pack)
            found.append(_mention(span, entry, sentence_of, "repeated"))
    return found


def _named_outside(text: str, names: dict[str, Entry], mentions: list[Mention]) -> bool:
    """Whether one of `names` occurs in `text` where no mention is (word bounds aside), or
    only the parts of it `_parts_of_name` gives up."""
    for name, entry in names.items():
        at = text.find(name)
        while at >= 0:
            parts = _parts_of_name(at, at + len(name), entry, mentions)
            if not _overlaps(at, at + len(name), [m for m in mentions if m not in parts]):
                return True
            at = text.find(name, at + 1)
    return False


def _parts_of_name(start: int, end: int, entry: Entry, mentions: list[Mention]
                   ) -> list[Mention]:
    """'Nan Gens de Nantes, ...': once the text has named a place the gazetteer lacks whole
    ('bò larivyè Masak, nan zòn Gens de Nantes'), a shorter place read inside that name
    elsewhere (a town abroad, Nantes; a word of it, 'Gens', read after a preposition) is a
    part of the name, not a place of its own."""
    return [m for m in mentions if start <= m.start and m.end <= end and (m.start, m.end) !=
            (start, end) and m.entry.entity_table == "places" and (
                m.entry.source == "ner" or m.entry.country_iso3 != entry.country_iso3)]


def _anchored_where_told(entry: Entry, span: Span, mentions: list[Mention],
                         pack: LanguagePack) -> Entry:
    """A place named again where the text says where it lies ('X, in the commune of Y', 'X,
    nan komin Y'), after a mention that nothing anchored, hangs there from that place. Only
    with such an anchor right after the name: re-anchored by any place of its sentence, a
    repeated name hung from the wrong town (docs/failure-causes.md, rules31). The anchor
    follows a comma, as an apposition does: 'the prosecutor of the Republic of Y' anchors
    nothing."""
    text = text_of(span.doc)
    if text[span.end_char:span.end_char + 1] != "," or \
            not _anchored(text, span.end_char, mentions, pack):
        return entry
    return _anchored_again(entry, span, mentions)


def _anchored_again(entry: Entry, span: Span, mentions: list[Mention]) -> Entry:
    """A place first named where nothing anchors it (a headline: 'Drone strike on Kelbo')
    and named again where the text says where it lies ('in Kelbo, in the commune of X'):
    that mention hangs from the place its own sentence gives it."""
    if entry.parent_key is not None and not entry.parent_key.startswith("place:country:"):
        return entry
    return _anchor_unknown_place(entry, span, mentions)


def _unknown_locality(span: Span, context: ArticleContext, mentions: list[Mention],
                      called_a_village: bool = False) -> Entry:
    """A village or neighbourhood the gazetteer lacks, in the article's country, anchored to
    the most specific known place the text ties it to."""
    country = context.main_country
    entry = Entry("places", f"place:ner:{country or ''}:{fold(span.text)}", span.text,
                  "locality", country_iso3=country,
                  parent_key=country_key(country) if country else None, source="ner")
    return _anchor_unknown_place(entry, span, mentions, look_back_after=context.dateline_end
                                 if called_a_village else None)

# The Arabic article, written in lower case and joined by a hyphen in transliterated names
# ('the al-Dhabab area', 'the village of el-Baqqar'): part of the name.
ARABIC_ARTICLE = r"(?:(?:al|el|an|ar|as|ash|ad|at|az)-)?"
# A capital opening a name, accented ones included: 'Ça-Ira', 'Écija', 'Île-à-Vache', 'Ñuñoa'.
CAPITAL = "[A-ZÀ-ÖØ-Þ]"
# What joins two capitalised words of one place name: a space or a hyphen, or a short word
# in lower case between hyphens, as French and Creole names have them ('Ravine-à-Couleuvres',
# 'Anse-à-Veau', 'Trou-d'Eau', 'Petite-Rivière-de-l'Artibonite'): without it the name was
# read from its last capitalised word, or not at all.
NAME_JOINER = r"(?:[- ]|-[a-zà-ÿ]{1,3}-(?:[dl]['’])?|-[dl]['’])"
# A place name of up to three words joined by spaces, hyphens or particles ('Um al-Keif').
PLACE_NAME = rf"{ARABIC_ARTICLE}{CAPITAL}[\w'’]+(?:{NAME_JOINER}{ARABIC_ARTICLE}{CAPITAL}[\w'’]+){{0,2}}"


def _name_words(span: Span, letters_only: bool = False) -> list[str]:
    """The words of a place name that tell what it is (`letters_only`: not those with an
    apostrophe, 'O'Smach'). The short lower-case words joining a French or Creole name
    ('Anse-à-Veau', 'Trou-d'Eau') are none of them: folded, 'à' is the English article 'a'
    and 'd' a French elision, both words that name no place."""
    return [fold(t.text) for t in span if not t.is_lower and any(c.isalpha() for c in t.text)
            and (t.is_alpha or not letters_only)]


@cache
def _settlement_patterns(pack: LanguagePack) -> re.Pattern:
    words = alternation([accent_pattern(w) for w in pack.words("settlement_word")])
    # 'the village of Um al-Keif', 'Ras al-Ain, a town': the article may open any word of it
    name = PLACE_NAME
    of = alternation([accent_pattern(w) for w in pack.words("settlement_of")] or ["of"])
    # 'X, a (small) town', 'X, un village situé', 'X, una aldea': the pack's articles
    articles = alternation([accent_pattern(w) for w in pack.words("settlement_article")]
                           or ["an?", "the"])
    # 'the village of X' | 'X, a (small) town ...' | 'X, section communale de Y' (no article
    # when the word is at once followed by the place it belongs to)
    return re.compile(rf"(?i:\b(?:the )?{words} {of})\s+(?P<name>{name})(?![\w'’-])"
                      rf"|(?<![\w'’])(?P<name2>{name}),\s+(?:(?i:{articles})\s+(?:[\w-]+\s+){{0,3}}?"
                      rf"(?i:{words})\b|(?i:{words})\s+(?i:{of})\s)")


def _qualified_place_mentions(doc: Doc, gazetteer: Gazetteer, pack: LanguagePack,
                              context: ArticleContext,
                              existing: list[Mention], sentence_of: dict[int, int]
                              ) -> list[Mention]:
    """Capitalised names with a settlement word ('Khuafo village', 'Kachia local government
    area', 'la localité de Fonds-Parisien') that neither the gazetteer nor the model knew."""
    qualifiers = pack.words("place_qualifier")
    if not qualifiers:
        return []
    found: list[Mention] = []
    for match in _qualified_place_pattern(pack).finditer(text_of(doc)):
        start, end = match.span("name")
        # 'el corregimiento de Puerto Jordán': the text calls the whole name a place, so a
        # country or town abroad matching a word of it (Jordan) is no reading of it
        foreign = _foreign_parts_of_name(existing, start, end, context)
        if _overlaps(start, end, found) or (_overlaps(start, end, existing) and not foreign):
            continue
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is not None and len(span) > 1 and fold(span[0].text) in \
                pack.words("place_preposition"):
            span = span[1:]  # 'In Puncak regency, ...': the preposition opens the sentence
        if span is None or (len(span) == 1 and span[0].is_sent_start) or \
                fold(span.text) in pack.words("not_group_name") or _common_word(span, gazetteer):
            continue
        kind = qualifiers.get(fold(match.group("qualifier")), "locality")
        if kind == "city" and _town_named_after(text_of(doc), match.end(), pack):
            continue  # 'the Bedouin town of Rahat': a word describing the town named next
        kind = kind if kind in {"locality", "neighbourhood", "city", "admin2"} else "region"
        if kind == "admin2" and _part_of_town_after(text_of(doc), end, existing):
            # 'el cantón Isla de Méndez, de Jiquilisco': a unit the text makes part of the
            # town named right after it (El Salvador's and Honduras' cantones are rural parts
            # of a municipality) is a village of that town, not a district around it
            kind = "locality"
        country = context.main_country
        entry = Entry("places", f"place:ner:{country or ''}:{fold(span.text)}", span.text, kind,
                      country_iso3=country, parent_key=country_key(country) if country else None,
                      source="ner")
        entry = _anchor_unknown_place(entry, span, [m for m in existing if m not in foreign]
                                      + found, look_back_after=context.dateline_end)
        if foreign and (entry.parent_key is None or entry.parent_key.startswith("place:country:")):
            continue  # nothing places the whole name: the reading abroad stays, to be left out
        for part in foreign:
            existing.remove(part)
        found.append(_mention(span, entry, sentence_of, "qualifier"))
    return found


# What joins a place to the town it is part of, in apposition: ', de Jiquilisco'.
PART_OF_TOWN_GAP = re.compile(r",\s+(?:de|del|of)\s+")


def _part_of_town_after(text: str, end: int, mentions: list[Mention]) -> bool:
    """Whether a known town follows the name as what it is part of (', de Sonsonate')."""
    return any(m.entry.entity_table == "places" and m.entry.kind == "city"
               and PART_OF_TOWN_GAP.fullmatch(text, end, m.start) for m in mentions)


def _town_named_after(text: str, end: int, pack: LanguagePack) -> bool:
    """'the Bedouin town of Rahat', 'the Kurdish city of Kobani': a town word followed by
    'of' and a name is the town's description; the capitalised word before it is no town."""
    if pack.settings.get("place_qualifier_order", "after") != "after":
        return False
    of = alternation([accent_pattern(w) for w in pack.words("settlement_of")] or ["of"])
    return re.match(rf"\s+(?i:{of})\s+[A-Z]", text[end:end + 40]) is not None


@cache
def _qualified_place_pattern(pack: LanguagePack) -> re.Pattern:
    qualifiers = alternation([accent_pattern(q) for q in pack.words("place_qualifier")])
    name = rf"(?P<name>{ARABIC_ARTICLE}(?:{CAPITAL}[\w'’-]+\s+){{0,2}}{CAPITAL}[\w'’-]+)"
    if pack.settings.get("place_qualifier_order", "after") == "before":
        # 'la localité de X', 'la comunidad mayangna de Yakalwás' (one adjective before 'de')
        # the name may go on with 'de' ('la vereda Banco de Arena', 'el distrito de Vizcatán
        # del Ene')
        # A number may end it before a comma ('el sector Kilómetro 88, del municipio
        # Sifontes'): the kilometre post, not a place called 'Kilómetro'.
        name = (rf"(?P<name>{ARABIC_ARTICLE}{CAPITAL}[\w'’-]+(?:\s+(?:(?i:de|del|de la|de los|"
                rf"de las)\s+)?{CAPITAL}[\w'’-]+){{0,2}}(?:\s+\d{{1,4}}(?=[,;:)]))?)")
        # An article in lower case after 'de' is not the name's ('le département de la Manyu',
        # 'la région de l'Extrême-Nord'); one in capitals is ('la commune de La Vallée').
        return re.compile(rf"\b(?P<qualifier>(?i:{qualifiers}))\s+"
                          rf"(?:(?-i:[a-zà-ÿ]+)\s+(?=(?i:de|du|d')\b))?"
                          rf"(?:(?i:de|du|d')\s*(?:la\s+|les\s+|l['’])?)?{name}")
    return re.compile(rf"{name}\s+(?P<qualifier>(?i:{qualifiers}))\b")


# Model labels that say a capitalised name is not a place.
NOT_PLACE_LABELS = {"PERSON", "PER", "ORG", "NORP", "DATE", "TIME", "EVENT", "LANGUAGE", "LAW",
                    "WORK_OF_ART", "PRODUCT", "MONEY", "MISC"}


def _prepositional_place_mentions(doc: Doc, gazetteer: Gazetteer, pack: LanguagePack,
                                  context: ArticleContext,
                                  existing: list[Mention], sentence_of: dict[int, int]
                                  ) -> list[Mention]:
    """'in Dablo', 'near Garba Chede', 'nan Matisan': a capitalised name right after a place
    preposition, that the gazetteer does not know and the model does not call a person or an
    organisation, is a village or neighbourhood the gazetteer lacks."""
    if not pack.words("place_preposition"):
        return []
    calendar_words = set(pack.months) | set(pack.weekdays)
    found: list[Mention] = []
    for match in _prepositional_pattern(pack).finditer(text_of(doc)):
        start, end = match.span("name")
        if _overlaps(start, end, existing + found):
            continue
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None or any(token_facts(doc).ent_types[i] in NOT_PLACE_LABELS
                               for i in range(span.start, span.end)) and not (
                len(span) <= 3 and (_anchored(text_of(doc), end, existing, pack)
                                    or _distance_before(pack).search(text_of(doc), max(
                                        0, match.start() - 30), match.start()))):
            continue
        if _told_or_cited(span, pack):
            continue
        words = _name_words(span, letters_only=True)
        if len(words) > 1 and words[0] in pack.words("determiner"):
            words = words[1:]  # 'a las afueras de El Amparo': the article is part of the name
        if not words or _common_word(span, gazetteer) or any(w in calendar_words for w in words) or any(
                w in pack.words("not_group_name") or w in pack.group_nouns
                or w in pack.words("institution_keyword") for w in words):
            continue
        found.append(_mention(span, _unknown_locality(span, context, existing + found),
                              sentence_of, "preposition"))
    return found


@cache
def link_pattern(pack: LanguagePack) -> re.Pattern | None:
    """The two ends of a route, a crossing or a journey ('a ferry plying between X and Y',
    'l'axe reliant X à Y': `link_between` and `link_joiner` cues)."""
    phrases = pack.cue_phrases.get("link_between")
    joiners = pack.cue_phrases.get("link_joiner")
    if not phrases or not joiners:
        return None
    name = r"(?-i:[A-ZÀ-Ý][\w'’-]*)(?:[ -](?-i:[A-ZÀ-Ý][\w'’-]*)){0,2}"
    # lower-case words may come before the second end ('ak zile Lagonav', 'et l'île de X')
    return re.compile(rf"(?<![\w'])(?i:{'|'.join(phrases)})\s+(?P<ends>(?P<first>{name})\s+"
                      rf"(?i:{'|'.join(joiners)})\s+(?:[a-zà-ÿ'’]+\s+){{0,3}}?(?P<second>{name}))")


def _journey_end_mentions(doc: Doc, gazetteer: Gazetteer, pack: LanguagePack,
                          context: ArticleContext, existing: list[Mention],
                          sentence_of: dict[int, int]) -> list[Mention]:
    """'abducted six people travelling by motorbike between Bambouti and Obo': the ends of a
    journey or a road are places, whatever the model calls them; one the gazetteer lacks beside
    a known one is a village of the article's country (hanging from what the text anchors it
    to), not a name nobody reads as a place (the event then took the known end)."""
    pattern = link_pattern(pack)
    if pattern is None:
        return []
    found: list[Mention] = []
    for match in pattern.finditer(text_of(doc)):
        for group, other in (("first", "second"), ("second", "first")):
            start, end = match.span(group)
            known = [m for m in existing if m.entry.entity_table == "places"
                     and m.start >= match.start(other) and m.end <= match.end(other)]
            if not known or _overlaps(start, end, existing + found):
                continue
            span = doc.char_span(start, end, alignment_mode="contract")
            following = doc[span.end] if span is not None and span.end < len(doc) else None
            if following is not None and following.is_alpha and following.is_lower and \
                    not following.is_stop:
                continue  # 'the road linking Khasham to the Conoco gas field': a site's name
            if span is None or _common_word(span, gazetteer) or any(
                    w in pack.words("not_group_name") or w in pack.group_nouns
                    for w in _name_words(span)):
                continue
            # near the known end: the ends of a journey told in one breath lie close together
            entry = _unknown_locality(span, context, [])
            if _may_contain(known[0].entry, entry):
                entry = _hung_from(entry, known[0].entry)
            found.append(_mention(span, entry, sentence_of, "preposition"))
    return found


@cache
def _distance_before(pack: LanguagePack) -> re.Pattern:
    """A distance right before a place preposition ('à environ trois kilomètres de Ponio',
    'about 40 km from X'): what follows is a place, whatever the model calls the name."""
    units = alternation([accent_pattern(u) for u in pack.words("distance_unit")]) or "km"
    return re.compile(rf"(?<![\w'])(?i:{units})\s+$")


def _anchored(text: str, end: int, mentions: list[Mention], pack: LanguagePack,
              model_places: tuple[int, ...] = ()) -> bool:
    """'at Tarkhelai in Lakki Marwat district', 'near Dankurmi, in neighbouring Tsafe', 'near
    Tin Zaouatine, in the province of In Guezzam': a name of up to three words right after a
    place preposition and right before another place preposition and a known place is a
    village, whatever the small model calls it (it tags unknown names as people or
    organisations). `model_places`: where the model's places start, for those not read yet
    ('near Gerba Guracha, in North Shewa zone')."""
    after = [m.start for m in mentions if m.entry.entity_table == "places"
             and 0 < m.start - end < 40] + [start for start in model_places if 0 < start - end < 40]
    if any(m.start - end in {2, 3} and text[end:m.start].strip() == ","
           and m.entry.entity_table == "places" and m.entry.kind in {"city", "admin2"}
           for m in mentions):
        return True  # 'in Kwazakhele, Gqeberha': the part, then the town it lies in
    return bool(after) and _anchor_pattern(pack).fullmatch(text[end:min(after)]) is not None


def _told_or_cited(span: Span, pack: LanguagePack) -> bool:
    """'residents told Lakeside Standard', 'contó a La Voz del Valle', 'according to Radio X': a
    name right after a telling verb or a citation is the outlet or person told or cited, never
    a place, unless a common noun follows it ('according to Kutari residents': a village)."""
    pattern = _addressee_before(pack)
    if pattern is None:
        return False
    following = span.doc[span.end] if span.end < len(span.doc) else None
    if following is not None and following.is_alpha and following.text.islower() and \
            not following.is_stop:
        return False
    before = text_of(span.doc)[max(0, span.start_char - 60):span.start_char]
    return pattern.search(before) is not None


@cache
def _addressee_before(pack: LanguagePack) -> re.Pattern | None:
    phrases = pack.cue_phrases.get("addressee")
    if not phrases:
        return None
    determiners = alternation([accent_pattern(d) for d in pack.words("determiner")])
    return re.compile(rf"(?<![\w'])(?i:{alternation(phrases)})\s+(?:(?i:{determiners})\s*)?$")


def _after_place_preposition(span: Span, pack: LanguagePack) -> bool:
    before = text_of(span.doc)[max(0, span.start_char - 25):span.start_char]
    return _preposition_before(pack).search(before) is not None


@cache
def site_preposition_before(pack: LanguagePack) -> re.Pattern:
    """A place preposition that says where something happened ('in', 'near', 'à', 'cerca
    de'), not where people came from or went to (value `away`: 'from', 'vers', 'desde'),
    ending the text before a place."""
    prepositions = alternation([accent_pattern(p) for p, value in
                                pack.words("place_preposition").items() if value != "away"])
    return re.compile(rf"(?<![\w'])(?i:{prepositions})\s+$")


@cache
def _preposition_before(pack: LanguagePack) -> re.Pattern:
    prepositions = alternation([accent_pattern(p) for p in pack.words("place_preposition")])
    return re.compile(rf"(?<![\w'])(?i:{prepositions})\s+$")


@cache
def _anchor_pattern(pack: LanguagePack) -> re.Pattern:
    prepositions = alternation([accent_pattern(p) for p in pack.words("place_preposition")])
    # A distance may come first ('at Lomuke, about ten kilometres from Isiolo').
    units = alternation([accent_pattern(u) for u in pack.words("distance_unit")])
    distance = rf"(?:(?:[\w'’]+\s+){{0,3}}?(?i:{units})\s+)?"
    # lower-case words may come between ('in neighbouring Tsafe', 'in the province of In
    # Guezzam')
    # Or what the place is of the next one, in apposition: ', un autre quartier de Carrefour',
    # ', a village of Y' (a place word, not 'a resident of': a person's).
    qualifiers = alternation([accent_pattern(q) for q in pack.words("place_qualifier")])
    part_of = rf",\s+(?:[^\W\d_]+\s+){{0,2}}(?i:{qualifiers})\s+(?:(?i:of|de|du|del|nan)\s+|d['’])"
    return re.compile(rf"(?:,?\s+{distance}(?i:{prepositions})\s+(?:[a-z]+\s+){{0,3}}|{part_of})")


@cache
def _prepositional_pattern(pack: LanguagePack) -> re.Pattern:
    prepositions = alternation([accent_pattern(p) for p in pack.words("place_preposition")])
    name = rf"(?P<name>{PLACE_NAME})"
    return re.compile(rf"(?<![\w'])(?i:{prepositions})\s+{name}(?![\w'’-])")


def _strip_article(ent: Span, pack: LanguagePack) -> Span | None:
    facts = token_facts(ent.doc)
    texts = facts.texts
    start, end = ent.start, ent.end
    determiners = pack.words("determiner")
    while start < end and (facts.folds[start] in determiners or not texts[start].strip()):
        start += 1
    while start < end and (texts[end - 1] in {"'s", "’s", "'"} or facts.punct[end - 1]):
        end -= 1
    if start == end:
        return None
    span = ent if (start, end) == (ent.start, ent.end) else ent.doc[start:end]
    return span if any(ch.isalpha() for ch in span_text(span)) else None


def _entry_for_ner(span: Span, label: str, gazetteer: Gazetteer, pack: LanguagePack,
                   context: ArticleContext) -> Entry | None:
    candidates = gazetteer.lookup(span_text(span))
    places = [c for c in candidates if c.entity_table == "places"]
    if label in NER_PLACE_LABELS | {"PERSON", "ORG"} and places:
        # The small model calls towns people or products; a known place in the article's
        # country is a place whatever the label says.
        entry = _resolve(_Match(span, places), context, ner_says_place=label in NER_PLACE_LABELS)
        if entry is not None and (label in NER_PLACE_LABELS or entry.country_iso3 in context.countries):
            return entry
    country = context.main_country
    name = span_text(span).strip()
    if label == "PERSON" and _settlement_word_after(span, pack):
        return None  # 'Datu Hoffer Ampatuan town': a town named after a person (read below)
    if label == "PERSON":
        span = _strip_titles(span, pack)
        # A first mention of a person in news has a first and a last name; single words the
        # small model calls people are mostly capitalised nouns ("Gang", "Schools").
        if span is None or len(span) < 2 or not all(t.text[:1].isupper() for t in span
                                                    if t.is_alpha and not t.is_stop):
            return None
        name = span.text.strip()
        return Entry("actors", f"actor:{fold(name)}", name, "person", "other", country, source="ner")
    if label == "ORG":
        return _institution_from_name(name, country, pack)
    if label in NER_PLACE_LABELS and _names_group(name, pack):
        return _institution_from_name(name, country, pack)  # "Caravane Gang" is a group
    if label in NER_PLACE_LABELS and _media_name(name, pack):
        return _institution_from_name(name, country, pack)
    last_word = fold(name).rsplit(" ", 1)[-1]
    if label in NER_PLACE_LABELS and last_word in pack.words("organisation_head"):
        # 'the Great Lakes Rights Monitor', 'the Sahel Security Observatory': a name the model
        # calls a place but that ends as organisations' names end is an organisation.
        return _institution_from_name(name, country, pack)
    if label in NER_PLACE_LABELS and _names_a_day(name, pack):
        return None  # 'on Palm Sunday', 'le lundi de Pâques': a day, whatever the model says
    if label in NER_PLACE_LABELS and span.text[:1].isupper() and not (
            len(span) == 1 and span[0].is_sent_start) and not _common_word(span, gazetteer) \
            and not _told_or_cited(span, pack):
        parent = country_key(country) if country else None
        kind = "facility" if label == "FAC" else "locality"
        before = fold(span.doc[span.start - 1].text) if span.start > 0 else ""
        if any(w in pack.words("natural_feature") for w in [*fold(name).split(), before]):
            kind = "region"  # 'the Black Sea port city of Odesa', 'la mer Rouge': not a town
        key = f"place:ner:{country or ''}:{fold(name)}"
        return Entry("places", key, name, kind, country_iso3=country, parent_key=parent, source="ner")
    return None


SETTLEMENT_KINDS = {"locality", "city"}


def _media_name(name: str, pack: LanguagePack) -> bool:
    """'Radio Télé Métropole', 'Télé Caraïbes': a name of two words or more that opens with a
    media word is a station the model took for a place ('a déclaré à Radio Télé Métropole')."""
    words = fold(name).split()
    return len(words) > 1 and pack.words("institution_keyword").get(words[0]) == "media"


def _names_a_day(name: str, pack: LanguagePack) -> bool:
    """A name with a weekday in it ('Palm Sunday', 'Easter Monday') is a day. (Not months:
    they name places too, 'Champ de Mars', 'May Pen'.)"""
    return any(word in pack.weekdays for word in fold(name).split())


def _division_word_after(span: Span, pack: LanguagePack) -> bool:
    """'Madibeng municipality', 'Tengnoupal district': a district qualifier follows the name."""
    if pack.settings.get("place_qualifier_order", "after") != "after":
        return False
    after = fold(text_of(span.doc)[span.end_char:span.end_char + 30]).split()[:1]
    return bool(after) and pack.words("place_qualifier").get(after[0]) in {"admin1", "admin2"}


def _division_word_before(span: Span, pack: LanguagePack) -> str | None:
    """'la province du Namentenga', 'la préfecture de Kpendjal', 'el estado Zulia': the kind
    (admin1, admin2) of the division qualifier right before the name, in languages that put
    it first; None when there is none or it names a settlement ('la localité de X')."""
    kind = pack.words("place_qualifier").get(
        _preceding_qualifier(token_facts(span.doc).folds, span.start,
                             pack.words("place_qualifier"), pack) or "")
    return kind if kind in {"admin1", "admin2"} else None


def _opens_with_compass_word(span: Span, pack: LanguagePack) -> bool:
    """'West Gojjam', 'South Wollo', 'North Darfur': a compass word, then a name."""
    return len(span) > 1 and span[1].text[:1].isupper() and \
        fold(span[0].text) in pack.words("compass_word")


def _ends_with_division_word(span: Span, pack: LanguagePack) -> bool:
    """'Lomara County', 'the Pelko District': a name the model tags with its district word
    names the district, not a town, even when a town of its name lies in it."""
    if pack.settings.get("place_qualifier_order", "after") != "after" or len(span) < 2:
        return False
    return pack.words("place_qualifier").get(fold(span[-1].text)) in {"admin1", "admin2"}


def _where_a_town_lies(span: Span, mentions: list[Mention], pack: LanguagePack) -> bool:
    """'in Dessie town, South Wollo Zone of the Amhara region': a name ending in a place
    word, written right after a known town and a comma, says where the town lies (a zone, an
    area, a division): it is larger than the town, never a place inside it (alone, 'the
    Gatakazi zone of Rugombo commune' stays a place inside its commune)."""
    if pack.settings.get("place_qualifier_order", "after") != "after" or \
            fold(span[-1].text) not in pack.words("place_qualifier"):
        return False
    text = text_of(span.doc)
    qualifiers = alternation([re.escape(w) for w in pack.words("place_qualifier")])
    gap = re.compile(rf"\s*(?:{qualifiers}\s*)?,\s*", re.I)
    return any(m.entry.entity_table == "places" and m.entry.source != "ner"
               and m.entry.kind in SETTLEMENT_KINDS and m.end <= span.start_char
               and gap.fullmatch(text[m.end:span.start_char]) for m in mentions)


def _settlement_word_after(span: Span, pack: LanguagePack) -> bool:
    """A name the model calls a person, followed by a settlement word ('Datu Hoffer Ampatuan
    town', 'Kasimu village'), is a place (many towns are named after people), unless a
    person's title follows ('Dankali community leader', 'Kaduna district commissioner')."""
    if pack.settings.get("place_qualifier_order", "after") != "after":
        return False
    # `text_of`, not `Doc.text`, which joins every token of the article on each access.
    after = fold(text_of(span.doc)[span.end_char:span.end_char + 40]).split()[:2]
    qualifiers = pack.words("place_qualifier")
    return bool(after) and qualifiers.get(after[0]) in SETTLEMENT_KINDS and not (
        len(after) > 1 and after[1] in pack.words("person_title"))


def _common_word(span: Span, gazetteer: Gazetteer) -> bool:
    """A capitalised name that is no place name: a nationality ('Mexican', 'Colombian'), one
    followed by common nouns only ('a Kyrgyz village', 'South African waters') or a single
    word the article also writes in lower case ('Gunmen' opening a sentence, 'gunmen'
    elsewhere)."""
    words = span.text.split()
    for n in range(1, min(len(words), DEMONYM_WORDS) + 1):
        if fold(" ".join(words[:n])) in gazetteer.demonyms and \
                not any(w[:1].isupper() for w in words[n:]):
            return True
    if len(span) != 1:
        return False
    word = span.text.lower()
    text = text_of(span.doc)
    # Most names never occur in lower case: a substring test spares compiling the pattern.
    return word in text and \
        re.search(rf"(?<![\w'’-]){re.escape(word)}(?![\w'’-])", text) is not None


def _names_group(name: str, pack: LanguagePack) -> bool:
    """Whether a name has a group noun among its words: 'Red Hill Boys Gang'. Not the noun
    alone ('the Army's 6th Infantry Division', 'Militia'): that names no group of its own."""
    words = fold(name).split()
    return len(words) > 1 and any(word in pack.group_nouns for word in words)


def _strip_titles(span: Span, pack: LanguagePack) -> Span | None:
    titles = pack.words("person_title")
    while len(span) and (fold(span[0].text) in titles or span[0].is_punct):
        span = span[1:]
    return span if len(span) else None


def _institution_from_name(name: str, country: str | None, pack: LanguagePack,
                           acronym: str | None = None) -> Entry | None:
    folded = f" {fold(name)} "
    if folded.strip() in pack.group_nouns:
        return None  # 'the Army's ...': the country's force, a descriptor's to resolve
    if _names_group(name, pack) and not any(f" {w} " in folded
                                            for w in pack.words("state_adjective")):
        return Entry("actors", f"actor:{fold(name)}", name, "armed_group", "political_militia",
                     country, source="ner")
    keywords = pack.words("institution_keyword")
    kind = next((k for word, k in keywords.items() if f" {word} " in folded), None)
    if kind is None:
        return None
    category = "state_forces" if kind in {"police", "military"} else "other"
    return Entry("institutions", f"institution:{fold(name)}", name, kind, category, country,
                 acronym=acronym, source="ner")


def _regional_bodies(doc: Doc, pack: LanguagePack, mentions: list[Mention],
                     sentence_of: dict[int, int]) -> list[Mention]:
    """'the Guanajuato state prosecutor's office', 'Oromia regional government': a known
    state or province, a level word and a body word name that region's institution (it
    takes the place mention's span: the office is not where the event happened)."""
    pattern = _regional_body_pattern(pack)
    if pattern is None:
        return mentions
    text = text_of(doc)
    replaced: dict[tuple[int, int], Mention] = {}
    for place in mentions:
        if place.entry.entity_table != "places" or place.entry.kind in {"road", "facility"}:
            continue
        match = pattern.match(text, place.end)
        span = doc.char_span(place.start, match.end(), alignment_mode="expand") if match else None
        if span is None:
            continue
        body = fold(match.group("body"))
        kind = pack.words("regional_body").get(body, "government")
        name = " ".join(w[:1].upper() + w[1:] for w in
                        f"{place.entry.name} {match.group('level')} {match.group('body')}".split())
        entry = Entry("institutions", f"institution:{fold(name)}", name, kind,
                      "state_forces" if kind in {"police", "military"} else "other",
                      place.entry.country_iso3, source="ner")
        replaced[(place.start, place.end)] = _mention(span, entry, sentence_of, "regional_body")
    if not replaced:
        return mentions
    return [replaced.get((m.start, m.end), m) for m in mentions]


@cache
def _regional_body_pattern(pack: LanguagePack) -> re.Pattern | None:
    levels, bodies = pack.words("regional_level"), pack.words("regional_body")
    if not levels or not bodies:
        return None
    level = alternation([accent_pattern(w) for w in levels])
    body = alternation([accent_pattern(w) for w in bodies])
    return re.compile(rf"{_SPACE}(?P<level>{level}){_SPACE}(?P<body>{body})\b", re.I)


def _acronym_mentions(doc: Doc, gazetteer: Gazetteer, pack: LanguagePack,
                      existing: list[Mention], sentence_of: dict[int, int]) -> list[Mention]:
    """Acronyms defined in the text, then every bare use of a known acronym.

    A definition whose long form is an armed group ('Coalition of Patriots for Change (CPC)')
    names a group; an unknown long form with an institution word names an institution."""
    defined: dict[str, Entry] = {}
    for definition in ACRONYM_DEFINITION.finditer(text_of(doc)):
        acronym = definition.group(1)
        before = [m for m in existing if 0 <= definition.start() - m.end <= 2]
        if before and before[-1].entry.entity_table != "places":
            entry = before[-1].entry
            if entry.entity_table == "institutions" and not entry.acronym:
                entry = entry._replace(acronym=acronym)
                before[-1].entry = entry
            defined[_acronym_key(acronym)] = entry
            continue
        long_form = _long_form_before(text_of(doc), definition.start(), len(acronym))
        if not long_form and not gazetteer.acronyms.get(acronym.upper()) \
                and not gazetteer.names.get(fold(acronym)):  # 'la police nationale (PNH)'
            long_form = _keyword_long_form_before(text_of(doc), definition.start(), acronym,
                                                  pack)
        if long_form:
            entry = _institution_from_name(long_form, None, pack, acronym)
            if entry is not None:
                defined[_acronym_key(acronym)] = entry
                span = doc.char_span(definition.start() - len(long_form) - 1,
                                     definition.start(), alignment_mode="contract")
                if span is not None and not _overlaps(span.start_char, span.end_char, existing):
                    existing.append(_mention(span, entry, sentence_of, "acronym"))
    found: list[Mention] = []
    # 'Umach', 'Cicpc': an acronym the text defines may be written as a word.
    written = [a for a in defined if not a.isupper()]
    uses = list(ACRONYM_TOKEN.finditer(text_of(doc)))
    if written:
        uses += re.finditer(rf"(?<![\w])({alternation([re.escape(a) for a in written])})(?![\w])",
                            text_of(doc))
    for match in uses:
        acronym = match.group(1)
        entry = defined.get(acronym) or _unique(gazetteer.acronyms.get(acronym, []))
        if entry is None or _overlaps(match.start(), match.end(), existing + found):
            continue
        span = doc.char_span(match.start(), match.end(), alignment_mode="expand")
        if span is None:
            continue
        found.append(Mention(match.start(), match.end(), acronym, sentence_of[span.start],
                             entry, "acronym"))
    return found


def _acronym_key(acronym: str) -> str:
    """How a defined acronym is looked up: in capitals ('MSS' for 'Mss'), unless written as a
    word of more than three letters, which the text keeps so ('Umach', 'Cicpc')."""
    return acronym if len(acronym) > 3 and acronym[1:].islower() else acronym.upper()


@cache
def _keyword_pattern(pack: LanguagePack) -> re.Pattern:
    words = alternation([accent_pattern(w) for w in pack.words("institution_keyword")])
    return re.compile(rf"(?<![\w-])(?i:{words})(?![\w'’-])")  # after "l'" too


def _keyword_long_form_before(text: str, paren: int, acronym: str, pack: LanguagePack
                              ) -> str | None:
    """'l'état-major général des armées (EMGA)', 'la Unión de Maestros del Chocó (Umach)': an
    institution's name in lower case, or shortened to a word: the words from an institution
    keyword of the same clause, spelling the acronym's first letter, to the parenthesis."""
    window = text[max(0, paren - 80):paren]
    clause = re.split(r"[,.;:()–—\n]", window)[-1]
    offset = len(window) - len(clause)
    keywords = [m for m in _keyword_pattern(pack).finditer(clause)
                if fold(m.group(0))[:1] == fold(acronym)[:1]]
    if not keywords:
        return None
    return window[offset + keywords[-1].start():].strip() or None


def _unique(entries: list[Entry]) -> Entry | None:
    return entries[0] if len({e.key for e in entries}) == 1 else None


def _long_form_before(text: str, paren: int, letters: int) -> str | None:
    """The capitalised words before '(ACR)' whose initials spell the acronym: one run of
    them, joined by at most three lower-case words and no punctuation ('Dirección Policial Anti
    Maras y Pandillas contra el Crimen Organizado (DIPAMPCO)' after 'Por otra parte, agentes
    de la', whose first word is no part of the name)."""
    window = text[max(0, paren - 120):paren]
    words = list(re.finditer(r"[A-Za-z][\w'’-]*", window))
    capitals = [w for w in words if w.group(0)[:1].isupper()]
    if len(capitals) < letters:
        return None
    tail = capitals[-letters:]
    for index in range(len(tail) - 1, 0, -1):
        gap = window[tail[index - 1].end():tail[index].start()]
        if re.search(r"[,.;:()]", gap) or len(gap.split()) > 3:
            tail = tail[index:]
            break
    if len(tail) < 2 and letters > 1:
        return None
    start = max(0, paren - 120) + tail[0].start()
    return text[start:paren].strip()


def _short_form_mentions(doc: Doc, tokens: _Tokens, existing: list[Mention],
                         sentence_of: dict[int, int]) -> list[Mention]:
    """Surnames and quoted nicknames of people already named in the article."""
    forms: dict[str, Entry] = {}
    for mention in existing:
        if mention.entry.kind != "person":
            continue
        words = re.findall(r"[\w’'-]+", mention.text)
        quoted = re.findall(r"['\"]([^'\"]{2,30})['\"]", mention.text)
        for form in [words[-1] if len(words) > 1 else None, *quoted]:
            if form and len(fold(form)) > 2:
                forms.setdefault(fold(form), mention.entry)
    found: list[Mention] = []
    if not forms:
        return found
    for i, folded in enumerate(tokens.folds):
        entry = forms.get(folded)
        if entry is None or not tokens.texts[i][:1].isupper():
            continue
        token = doc[i]
        start, end = token.idx, token.idx + len(token.text)
        if not _overlaps(start, end, existing + found):
            found.append(Mention(start, end, token.text, sentence_of[token.i], entry, "short_form"))
    return found


def _descriptor_mentions(doc: Doc, tokens: _Tokens, gazetteer: Gazetteer, pack: LanguagePack,
                         context: ArticleContext, existing: list[Mention],
                         sentence_of: dict[int, int]) -> list[Mention]:
    """Generic phrases ('gang members', 'police', 'residents') resolved to an entity."""
    descriptors = pack.descriptors
    if not descriptors:
        return []
    folds = tokens.folds
    longest, first_words = _descriptor_shape(pack)
    found: list[Mention] = []
    i = 0
    while i < len(doc):
        if folds[i] not in first_words:
            i += 1
            continue
        hit = None
        for n, key, _ in reversed(_ngram_keys(tokens.texts, folds, i, min(longest, len(doc) - i))):
            if key in descriptors and folds[i] and folds[i + n - 1]:
                hit = (n, descriptors[key])
                break
        if hit is None:
            i += 1
            continue
        n, descriptor = hit
        span = doc[i:i + n]
        if not _overlaps(span.start_char, span.end_char, existing + found):
            demonym = _demonym_near(folds, i, n, gazetteer) or _possessive_country(
                text_of(doc), span.start_char, existing)
            entry = _descriptor_entry(descriptor, demonym, gazetteer, context,
                                      existing + found, span.start_char)
            if entry is not None:
                # 'la Policía', 'the army': the body is named without its article; with the
                # nationality written after it, 'l'armée libanaise', 'la policía colombiana',
                # named with it (the whole name of that country's force).
                named = _strip_article(span, pack) or span
                if demonym and i + n < len(doc) and gazetteer.demonyms.get(folds[i + n]) \
                        == demonym and not _overlaps(named.end_char, doc[i + n].idx + 1,
                                                     existing):
                    named = doc[named.start:i + n + 1]
                found.append(_mention(named, entry, sentence_of, "descriptor"))
        i += n
    return found


@cache
def _descriptor_shape(pack: LanguagePack) -> tuple[int, set[str]]:
    """The most words of a descriptor of the pack, and the words descriptors start with."""
    descriptors = pack.descriptors
    return (max(p.count(" ") + 1 for p in descriptors),
            {p.split(" ", 1)[0] for p in descriptors})


def _demonym_near(folds: list[str], start: int, length: int, gazetteer: Gazetteer) -> str | None:
    """'Kenyan police' (English order) or 'policiers kényans' (French order)."""
    before = gazetteer.demonyms.get(folds[start - 1]) if start > 0 else None
    after_index = start + length
    after = gazetteer.demonyms.get(folds[after_index]) if after_index < len(folds) else None
    return before or after


POSSESSIVE = re.compile(r"['’]s?")


def _possessive_country(text: str, start: int, mentions: list[Mention]) -> str | None:
    """'Sudan's army', 'Congo's police': the forces of the country named just before."""
    for m in mentions:
        if m.entry.entity_table == "places" and m.entry.kind == "country" and m.end < start \
                and POSSESSIVE.fullmatch(text[m.end:start].rstrip()):
            return m.entry.country_iso3
    return None


def _descriptor_entry(descriptor: Descriptor, demonym: str | None, gazetteer: Gazetteer,
                      context: ArticleContext, earlier: list[Mention], position: int
                      ) -> Entry | None:
    country = demonym or context.main_country
    if descriptor.category in {"state_forces", "external_forces"} and \
            descriptor.entity_table == "institutions":
        if descriptor.actor_kind == "government":
            return _generic_institution("government", country, gazetteer)
        military = descriptor.actor_kind == "military"
        registry = gazetteer.national_army if military else gazetteer.national_police
        if country in registry:
            return registry[country]
        return _generic_institution("military" if military else "police", country, gazetteer)
    if descriptor.actor_kind == "armed_group":
        named = [m.entry for m in earlier if m.start < position
                 and m.entry.entity_table == "actors" and m.entry.kind == "armed_group"
                 and m.entry.source != "generic" and position - m.start < 600]
        if named:
            return named[-1]
    return generic_actor(descriptor, country, gazetteer)


def country_label(iso3: str | None, gazetteer: Gazetteer) -> str:
    if iso3 and iso3 in gazetteer.countries:
        return gazetteer.countries[iso3].name
    return "unknown country"


GENERIC_ACTOR_NAMES = {
    "civilians": "Civilians", "protesters": "Protesters", "rioters": "Rioters",
    "identity_militia": "Vigilante group", "rebel_group": "Unidentified rebel group",
}


def generic_actor(descriptor: Descriptor, country: str | None, gazetteer: Gazetteer) -> Entry:
    label = country_label(country, gazetteer)
    if descriptor.actor_kind == "armed_group" and descriptor.category == "political_militia":
        stem = "Unidentified gang" if "gang" in fold(descriptor.phrase) or \
            "bandi" in fold(descriptor.phrase) else "Unidentified armed group"
    else:
        stem = GENERIC_ACTOR_NAMES.get(descriptor.category) or GENERIC_ACTOR_NAMES.get(
            descriptor.actor_kind, "Unidentified group")
    name = f"{stem} ({label})"
    kind = descriptor.actor_kind if descriptor.actor_kind in {
        "person", "armed_group", "civilians", "protesters", "rioters"} else "other"
    if kind == "person":
        kind = "civilians" if descriptor.category == "civilians" else "other"
    return Entry("actors", f"actor:generic:{fold(name)}", name, kind, descriptor.category, country,
                 source="generic")


def _generic_institution(kind: str, country: str | None, gazetteer: Gazetteer) -> Entry:
    body = {"police": "Police Forces", "government": "Government"}.get(kind, "Military Forces")
    name = f"{body} of {country_label(country, gazetteer)}"
    return Entry("institutions", f"institution:generic:{fold(name)}", name, kind, "state_forces",
                 country, source="generic")
