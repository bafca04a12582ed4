"""Finding and resolving the actors, institutions and places an article names.

Order of trust: the gazetteer (reference lists, pycountry, GeoNames) leads; spaCy's NER fills
in names the lists lack; then in-article linking resolves acronyms defined in the text
("Multinational Security Support (MSS)"), short forms ("Cherizier", "Barbecue") and
descriptive references ("the gang", "police forces", "Kenyan agents").
"""

import math
import re
from collections import Counter
from dataclasses import dataclass, replace

from spacy.tokens import Doc, Span

from pipelines.extract.reference import Descriptor, Entry, Gazetteer, country_key
from pipelines.extract.text import fold

NER_PLACE_LABELS = {"GPE", "LOC", "FAC"}
# Longest name looked up, in tokens ("Organization of American States' Permanent Council").
MAX_NAME_TOKENS = 8
# NER organisations become institutions only when their name says what kind they are.
INSTITUTION_KEYWORDS = {
    "police": "police", "gendarmerie": "police", "army": "military", "military": "military",
    "armed forces": "military", "navy": "military", "ministry": "government",
    "government": "government", "council": "government", "senate": "government",
    "parliament": "government", "office": "government", "department": "government",
    "agency": "government", "bank": "financial", "fund": "financial", "court": "judiciary",
    "tribunal": "judiciary", "prosecutor": "judiciary", "party": "political_party",
    "radio": "media", "television": "media", "news": "media", "times": "media",
    "newspaper": "media", "foundation": "ngo", "association": "ngo", "network": "ngo",
    "committee": "ngo", "centre": "ngo", "center": "ngo", "organization": "other",
    "organisation": "other", "union": "other", "commission": "government", "mission": "other",
}
ARMED_GROUP_WORDS = {"gang", "militia", "brigade", "cartel", "rebels", "movement", "front"}
ACRONYM_DEFINITION = re.compile(r"\(\s*([A-Z][A-Za-z]{1,9})\s*\)")
ACRONYM_TOKEN = re.compile(r"(?<![A-Za-z])([A-Z]{2,8})(?![a-z])")
QUOTED = re.compile(r'"[^"]{3,400}"')
TITLE_CUES = ("titled", "entitled", "called", "named", "headlined", "slogan")


@dataclass
class Mention:
    start: int  # character offsets in the article body
    end: int
    text: str
    sentence_index: int
    entry: Entry
    via: str  # gazetteer, ner, acronym, short_form, descriptor


@dataclass
class ArticleContext:
    """What the whole article tells about where it is: used to disambiguate names."""

    countries: Counter
    admin1s: set[str]

    @property
    def main_country(self) -> str | None:
        return self.countries.most_common(1)[0][0] if self.countries else None


@dataclass
class _Match:
    span: Span
    candidates: list[Entry]
    sentence_text: str = ""  # folded text of the match's sentence


def find_mentions(doc: Doc, gazetteer: Gazetteer, default_country: str | None = None,
                  sentences: list[Span] | None = None) -> tuple[list[Mention], ArticleContext]:
    """All resolved mentions of `doc`, in text order, and the article's geographic context."""
    sentences = sentences if sentences is not None else list(doc.sents)
    sentence_of = {i: index for index, sentence in enumerate(sentences)
                   for i in range(sentence.start, sentence.end)}
    tokens = _Tokens.of(doc, sentences)
    matches = _gazetteer_matches(doc, tokens, gazetteer)
    context = _context(doc, tokens, matches, gazetteer, default_country)
    mentions: list[Mention] = []
    for match in matches:
        entry = _resolve(match, context)
        if entry is not None:
            mentions.append(_mention(match.span, entry, sentence_of, "gazetteer"))
    mentions += _named_group_mentions(doc, context, mentions, sentence_of)
    mentions += _ner_mentions(doc, gazetteer, context, mentions, sentence_of)
    mentions += _acronym_mentions(doc, gazetteer, mentions, sentence_of)
    mentions += _short_form_mentions(doc, mentions, sentence_of)
    mentions += _descriptor_mentions(doc, tokens, gazetteer, context, mentions, sentence_of)
    mentions.sort(key=lambda m: (m.start, -m.end))
    return mentions, context


def _mention(span: Span, entry: Entry, sentence_of: dict[int, int], via: str) -> Mention:
    return Mention(span.start_char, span.end_char, span.text, sentence_of[span.start], entry, via)


@dataclass
class _Tokens:
    """Per-token facts computed once per article: the matching loops only index lists."""

    texts: list[str]
    folds: list[str]
    sentence_end: list[int]  # index one past the last token of the token's sentence
    sentence_text: list[str]  # folded text of the token's sentence

    @classmethod
    def of(cls, doc: Doc, sentences: list[Span]) -> "_Tokens":
        texts = [token.text for token in doc]
        sentence_end = [0] * len(texts)
        sentence_text = [""] * len(texts)
        for sentence in sentences:
            folded = fold(sentence.text)
            for i in range(sentence.start, sentence.end):
                sentence_end[i] = sentence.end
                sentence_text[i] = folded
        return cls(texts, [fold(t) for t in texts], sentence_end, sentence_text)


def _gazetteer_matches(doc: Doc, tokens: _Tokens, gazetteer: Gazetteer) -> list[_Match]:
    """Longest capitalised n-grams whose folded text names something in the gazetteer."""
    folds, texts = tokens.folds, tokens.texts
    matches: list[_Match] = []
    i = 0
    while i < len(texts):
        capitalised = texts[i][:1].isupper() or texts[i][:1].isdigit()
        # Skip words no name starts with, unless a capitalised word follows: "Petion Ville"
        # may still be a name written joined in the gazetteer ("Petionville").
        next_capitalised = i + 1 < len(texts) and texts[i + 1][:1].isupper()
        if not folds[i] or not capitalised or (folds[i] not in gazetteer.first_words
                                               and not next_capitalised):
            i += 1
            continue
        found = None
        for n in range(min(MAX_NAME_TOKENS, tokens.sentence_end[i] - i), 0, -1):
            if not texts[i + n - 1][:1].isalnum():
                continue
            key = " ".join(f for f in folds[i:i + n] if f)
            entries = gazetteer.names.get(key) or gazetteer.names.get(key.replace(" ", ""))
            if not entries:
                continue
            span = doc[i:i + n]
            candidates = [c for c in entries if _plausible(span, c)]
            if candidates:
                found = _Match(span, candidates, tokens.sentence_text[i])
                break
        if found:
            matches.append(found)
            i = found.span.end
        else:
            i += 1
    return matches


def _plausible(span: Span, entry: Entry) -> bool:
    text = span.text
    if len(span) == 1 and len(text) <= 5 and entry.acronym and fold(entry.acronym) == fold(text):
        return text.isupper()  # 'US' the country, not 'us'; 'MSS' not 'Mss'
    # A stop word opening a sentence ("Of", "As") is not a town even if GeoNames has one.
    return not (entry.source == "geonames" and len(span) == 1 and span[0].is_sent_start
                and span[0].is_stop)


def _context(doc: Doc, tokens: _Tokens, matches: list[_Match], gazetteer: Gazetteer,
             default_country: str | None
             ) -> ArticleContext:
    countries: Counter = Counter()
    admin1s: set[str] = set()
    for match in matches:
        definite = {c.country_iso3 for c in match.candidates
                    if c.source != "geonames" and c.country_iso3}
        for iso3 in definite:
            countries[iso3] += 2 if any(c.kind == "country" for c in match.candidates) else 1
        for candidate in match.candidates:
            if candidate.kind == "admin1" and candidate.source != "geonames":
                admin1s.add(fold(candidate.name))
    inside_names = {i for m in matches if m.candidates[0].entity_table != "places"
                    for i in range(m.span.start, m.span.end)}
    for i, folded in enumerate(tokens.folds):
        iso3 = gazetteer.demonyms.get(folded) if tokens.texts[i][:1].isupper() else None
        if iso3 and i not in inside_names:
            countries[iso3] += 1
    if not countries:
        # No country named: the places themselves vote, each name splitting its vote among
        # its candidates' countries, weighted by population (Gonaives and Cap-Haitien agree on
        # Haiti; a lone "Victoria" decides nothing).
        votes: Counter = Counter()
        for match in matches:
            places = [c for c in match.candidates if c.entity_table == "places"]
            weights = {c.country_iso3: math.log10(c.population + 10) for c in places}
            total = sum(weights.values())
            for iso3, weight in weights.items():
                votes[iso3] += weight / total if total else 0
        if votes:
            iso3, score = votes.most_common(1)[0]
            if score >= 1.0:
                countries[iso3] += 1
        if not countries and default_country:
            countries[default_country] += 1
    return ArticleContext(countries=countries, admin1s=admin1s)


def _resolve(match: _Match, context: ArticleContext, ner_says_place: bool = False
             ) -> Entry | None:
    """Pick the candidate the context supports; None when a GeoNames-only guess is too weak."""
    scored = sorted(((_score(c, match, context), c) for c in match.candidates),
                    key=lambda pair: (-pair[0], pair[1].key))
    _, best = scored[0]
    if best.source == "geonames" and best.country_iso3 not in context.countries \
            and best.population < 15_000:
        return None  # a village abroad is a namesake far more often than the place meant
    if best.source == "geonames" and not (ner_says_place or _ner_place(match.span)):
        # A town name the model does not call a place: trust it only in the article's own
        # country, or when the town is big enough to be what the word usually means.
        home = best.country_iso3 == context.main_country
        if not (home and (best.population >= 1_000 or len(match.span) > 1)) \
                and best.population < 100_000:
            return None
    return best


def _ner_place(span: Span) -> bool:
    return any(t.ent_type_ in NER_PLACE_LABELS for t in span)


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
    score += {"reference": 2.0, "pycountry": 3.0}.get(entry.source, 0.0)
    score += 0.4 * math.log10(entry.population + 1)
    return score


def _overlaps(start: int, end: int, mentions: list[Mention]) -> bool:
    return any(m.start < end and start < m.end for m in mentions)


def _quoted_titles(text: str) -> list[tuple[int, int]]:
    """Spans of quoted titles ('a resolution titled "..."'): names inside are not organisations."""
    spans = []
    for quote in QUOTED.finditer(text):
        before = text[max(0, quote.start() - 30):quote.start()].lower()
        if any(cue in before for cue in TITLE_CUES):
            spans.append((quote.start(), quote.end()))
    return spans


# "the Kokorat San Ras gang", "members of the 400 Mawozo Gang", "the Bwa Kale militia":
# capitalised words right before a group noun name a group, whatever NER thinks of them.
NAMED_GROUP = re.compile(
    r"(?<![\w'])((?:(?:[A-Z0-9][\w'’.-]*|de|la|le|du|des|di|nan|san)\s+){0,4}[A-Z0-9][\w'’.-]*)"
    r"\s+((?i:gang|militia|brigade|cartel|coalition|alliance|movement))\b")
GROUP_NOUN_NAMES = {"gang": "Gang", "militia": "Militia", "brigade": "Brigade",
                    "cartel": "Cartel", "coalition": "Coalition", "alliance": "Alliance",
                    "movement": "Movement"}
NOT_GROUP_NAMES = {"the", "a", "an", "rival", "armed", "local", "this", "that", "his", "their",
                   "same", "other", "another", "one", "two", "three", "several", "criminal",
                   "members", "member", "unidentified", "unknown", "powerful", "main", "new"}


def _named_group_mentions(doc: Doc, context: ArticleContext, existing: list[Mention],
                          sentence_of: dict[int, int]) -> list[Mention]:
    found: list[Mention] = []
    for match in NAMED_GROUP.finditer(doc.text):
        words = match.group(1).split()
        while words and (words[0].lower() in NOT_GROUP_NAMES or not words[0][:1].isupper()
                         and not words[0][:1].isdigit()):
            words = words[1:]
        if not any(w[:1].isupper() and w.lower() not in NOT_GROUP_NAMES for w in words):
            continue  # "30 gang members" counts members; it names no group
        start = match.start(1) + match.group(1).find(words[0])
        end = match.end()
        known = [m for m in existing if m.start < end and start < m.end]
        if any(m.entry.entity_table == "actors" and m.entry.kind == "armed_group" for m in known):
            continue  # the registry already knows this group
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None or any(m.start < span.end_char and span.start_char < m.end for m in found):
            continue
        noun = GROUP_NOUN_NAMES[match.group(2).lower()]
        name = f"{' '.join(words)} {noun}"
        entry = Entry("actors", f"actor:{fold(name)}", name, "armed_group",
                      "identity_militia" if noun in {"Brigade", "Movement"} and
                      "bwa kale" not in fold(name) else "political_militia",
                      context.main_country, source="pattern")
        found.append(Mention(span.start_char, span.end_char, span.text,
                             sentence_of[span.start], entry, "pattern"))
    # The group name supersedes any place or person read inside it ("400 Mawozo").
    for mention in found:
        existing[:] = [m for m in existing if not (mention.start <= m.start and m.end <= mention.end)]
    return found


def _ner_mentions(doc: Doc, gazetteer: Gazetteer, context: ArticleContext,
                  existing: list[Mention], sentence_of: dict[int, int]) -> list[Mention]:
    titles = _quoted_titles(doc.text)
    found: list[Mention] = []
    for ent in doc.ents:
        span = _strip_article(ent)
        if span is None or _overlaps(span.start_char, span.end_char, existing + found):
            continue
        if any(s <= span.start_char and span.end_char <= e for s, e in titles):
            continue
        entry = _entry_for_ner(span, ent.label_, gazetteer, context)
        if entry is not None and entry.entity_table == "places" and entry.source == "ner":
            entry = _attach_to_preceding_place(entry, span, existing + found)
        if entry is not None:
            found.append(_mention(span, entry, sentence_of, "ner"))
    return found


def _attach_to_preceding_place(entry: Entry, span: Span, mentions: list[Mention]) -> Entry:
    """'Cite Soleil - Drouillard', 'Drouillard, Cite Soleil': an unknown place written next
    to a known one is inside it, so it inherits that place as parent (and its coordinates
    as a fallback)."""
    text = span.doc.text
    for mention in mentions:
        if mention.entry.entity_table != "places" or mention.entry.kind == "country":
            continue
        gap_before = text[mention.end:span.start_char]
        gap_after = text[span.end_char:mention.start]
        if (0 <= span.start_char - mention.end <= 4 and gap_before.strip() in {"-", "–", ","}) or \
                (0 <= mention.start - span.end_char <= 3 and gap_after.strip() == ","):
            parent = mention.entry
            return replace(entry, key=f"{entry.key}:{parent.key}", parent_key=parent.key,
                           country_iso3=parent.country_iso3, admin1=parent.admin1,
                           kind="neighbourhood" if parent.kind == "city" else entry.kind)
    return entry


def _strip_article(ent: Span) -> Span | None:
    span = ent
    while len(span) and (span[0].lower_ in {"the", "a", "an"} or not span[0].text.strip()):
        span = span[1:]
    while len(span) and (span[-1].text in {"'s", "’s", "'"} or span[-1].is_punct):
        span = span[:-1]
    return span if len(span) and any(ch.isalpha() for ch in span.text) else None


def _entry_for_ner(span: Span, label: str, gazetteer: Gazetteer, context: ArticleContext
                   ) -> Entry | None:
    candidates = gazetteer.lookup(span.text)
    places = [c for c in candidates if c.entity_table == "places"]
    if label in NER_PLACE_LABELS | {"PERSON", "ORG"} and places:
        # The small model calls towns people or products; a known place in the article's
        # country is a place whatever the label says.
        entry = _resolve(_Match(span, places), context, ner_says_place=label in NER_PLACE_LABELS)
        if entry is not None and (label in NER_PLACE_LABELS or entry.country_iso3 in context.countries):
            return entry
    country = context.main_country
    name = span.text.strip()
    if label == "PERSON":
        span = _strip_titles(span)
        # A first mention of a person in news has a first and a last name; single words the
        # small model calls people are mostly capitalised nouns ("Gang", "Schools").
        if span is None or len(span) < 2 or not all(t.text[:1].isupper() for t in span
                                                    if t.is_alpha and not t.is_stop):
            return None
        name = span.text.strip()
        return Entry("actors", f"actor:{fold(name)}", name, "person", "other", country, source="ner")
    if label == "ORG":
        return _institution_from_name(name, country)
    if label in NER_PLACE_LABELS and any(f" {w} " in f" {fold(name)} " for w in ARMED_GROUP_WORDS):
        return _institution_from_name(name, country)  # "Caravane Gang" is a group, not a place
    if label in NER_PLACE_LABELS and span.text[:1].isupper() and not (
            len(span) == 1 and span[0].is_sent_start):
        parent = country_key(country) if country else None
        kind = "facility" if label == "FAC" else "other"
        key = f"place:ner:{country or ''}:{fold(name)}"
        return Entry("places", key, name, kind, country_iso3=country, parent_key=parent, source="ner")
    return None


PERSON_TITLES = {
    "mr", "mrs", "ms", "dr", "president", "prime", "minister", "commissioner", "superintendent",
    "inspector", "chief", "general", "gen", "colonel", "col", "captain", "capt", "major",
    "lieutenant", "sergeant", "senator", "governor", "mayor", "judge", "police", "deputy",
    "spokesperson", "spokesman", "spokeswoman", "director", "secretary", "ambassador", "pastor",
    "father", "bishop", "sheikh", "former", "interim", "acting", "gang", "leader", "boss",
}


def _strip_titles(span: Span) -> Span | None:
    while len(span) and (fold(span[0].text) in PERSON_TITLES or span[0].is_punct):
        span = span[1:]
    return span if len(span) else None


def _institution_from_name(name: str, country: str | None, acronym: str | None = None
                           ) -> Entry | None:
    folded = f" {fold(name)} "
    if any(f" {word} " in folded for word in ARMED_GROUP_WORDS):
        return Entry("actors", f"actor:{fold(name)}", name, "armed_group", "political_militia",
                     country, source="ner")
    kind = next((k for word, k in INSTITUTION_KEYWORDS.items() if f" {word} " in folded), None)
    if kind is None:
        return None
    category = "state_forces" if kind in {"police", "military"} else "other"
    return Entry("institutions", f"institution:{fold(name)}", name, kind, category, country,
                 acronym=acronym, source="ner")


def _acronym_mentions(doc: Doc, gazetteer: Gazetteer, existing: list[Mention],
                      sentence_of: dict[int, int]) -> list[Mention]:
    """Acronyms defined in the text, then every bare use of a known acronym."""
    defined: dict[str, Entry] = {}
    for definition in ACRONYM_DEFINITION.finditer(doc.text):
        acronym = definition.group(1)
        before = [m for m in existing if 0 <= definition.start() - m.end <= 2]
        if before and before[-1].entry.entity_table != "places":
            entry = before[-1].entry
            if entry.entity_table == "institutions" and not entry.acronym:
                entry = replace(entry, acronym=acronym)
                before[-1].entry = entry
            defined[acronym.upper()] = entry
            continue
        long_form = _long_form_before(doc.text, definition.start(), len(acronym))
        if long_form:
            entry = _institution_from_name(long_form, None, acronym)
            if entry is not None:
                defined[acronym.upper()] = entry
    found: list[Mention] = []
    for match in ACRONYM_TOKEN.finditer(doc.text):
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


def _unique(entries: list[Entry]) -> Entry | None:
    return entries[0] if len({e.key for e in entries}) == 1 else None


def _long_form_before(text: str, paren: int, letters: int) -> str | None:
    """The capitalised words before '(ACR)' whose initials spell the acronym."""
    words = re.findall(r"[A-Za-z][\w'’-]*", text[max(0, paren - 120):paren])
    capitals = [w for w in words if w[:1].isupper()]
    if len(capitals) < letters:
        return None
    tail = capitals[-letters:]
    start = text.rfind(tail[0], 0, paren)
    return text[start:paren].strip() if start >= 0 else None


def _short_form_mentions(doc: Doc, existing: list[Mention], sentence_of: dict[int, int]
                         ) -> list[Mention]:
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
    for token in doc:
        entry = forms.get(fold(token.text))
        if entry is None or not token.text[:1].isupper():
            continue
        start, end = token.idx, token.idx + len(token.text)
        if not _overlaps(start, end, existing + found):
            found.append(Mention(start, end, token.text, sentence_of[token.i], entry, "short_form"))
    return found


def _descriptor_mentions(doc: Doc, tokens: _Tokens, gazetteer: Gazetteer, context: ArticleContext,
                         existing: list[Mention], sentence_of: dict[int, int]) -> list[Mention]:
    """Generic phrases ('gang members', 'police', 'residents') resolved to an entity."""
    if not gazetteer.descriptors:
        return []
    folds = tokens.folds
    longest = max(p.count(" ") + 1 for p in gazetteer.descriptors)
    first_words = {p.split(" ", 1)[0] for p in gazetteer.descriptors}
    found: list[Mention] = []
    i = 0
    while i < len(doc):
        if folds[i] not in first_words:
            i += 1
            continue
        hit = None
        for n in range(min(longest, len(doc) - i), 0, -1):
            key = " ".join(f for f in folds[i:i + n] if f)
            if key in gazetteer.descriptors and folds[i] and folds[i + n - 1]:
                hit = (n, gazetteer.descriptors[key])
                break
        if hit is None:
            i += 1
            continue
        n, descriptor = hit
        span = doc[i:i + n]
        if not _overlaps(span.start_char, span.end_char, existing + found):
            demonym = gazetteer.demonyms.get(folds[i - 1]) if i > 0 else None
            entry = _descriptor_entry(descriptor, demonym, gazetteer, context,
                                      existing + found, span.start_char)
            if entry is not None:
                found.append(_mention(span, entry, sentence_of, "descriptor"))
        i += n
    return found


def _descriptor_entry(descriptor: Descriptor, demonym: str | None, gazetteer: Gazetteer,
                      context: ArticleContext, earlier: list[Mention], position: int
                      ) -> Entry | None:
    country = demonym or context.main_country
    if descriptor.category in {"state_forces", "external_forces"} and \
            descriptor.entity_table == "institutions":
        military = descriptor.actor_kind == "military" or any(
            w in descriptor.phrase for w in ("army", "soldier", "troop", "military"))
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
        stem = "Unidentified gang" if "gang" in descriptor.phrase else "Unidentified armed group"
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
    forces = "Police Forces" if kind == "police" else "Military Forces"
    name = f"{forces} of {country_label(country, gazetteer)}"
    return Entry("institutions", f"institution:generic:{fold(name)}", name, kind, "state_forces",
                 country, source="generic")
