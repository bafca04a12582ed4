"""Datelines: where and by whom a report was filed, at the start of its first paragraph.

"KANO, Nigeria, March 14 (Reuters) -", "MOGADISHU (AP) —", "KYIV:", "Lagos:",
"Port-au-Prince, le 14 mars 2025 – (AlterPresse) –", "PÒTOPRENS, 14 MAS 2025 (Rezo Nòdwès) —".
The dateline says where the correspondent was, not where the events happened: it is kept as
article metadata and its place is never an event location on its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_UPPER = "A-ZÀ-ÖØ-Þ"
_CAPS_PLACE = rf"[{_UPPER}][{_UPPER}'’.\- ]{{1,40}}?"
_TITLE_PLACE = rf"[{_UPPER}][\w'’.\-]+(?: (?:[{_UPPER}][\w'’.\-]+|de|du|des|of|al|el)){{0,3}}"
# "14 mars 2025", "March 14, 2025", and the Spanish and Portuguese "11 de marzo de 2025".
_DATE = (r"(?:le |the )?(?:\w+\.? )?(?:\d{1,2}(?:er|st|nd|rd|th)?\.? (?:de )?\w+\.?"
         r"(?:,? (?:de )?\d{4})?"
         r"|\w+\.? \d{1,2}(?:st|nd|rd|th)?(?:,? \d{4})?)")
_AGENCY = r"\((?P<agency>[^()\n]{1,40})\)"
# A plain hyphen separates only after a space: "PORT-AU-PRINCE -" is one place, then the dash.
# ".-": "Pòtoprens, 22 avril 2025.-"; a full stop alone after a place in capitals: "SAN PEDRO
# SULA. El candidato..." (`_match_line` refuses it after a title-case start).
_SEPARATOR = r"(?:\s+-+|\s*[–—]+|\s*:|\s+/|\.-+|\.(?=\s+[A-ZÀ-Ý¿¡«\"]))\s*"
DATELINE = re.compile(
    # "Bukavu / Geneva, 12 March 2024 —": a release filed from two offices.
    rf"^(?P<place>{_CAPS_PLACE}|{_TITLE_PLACE}(?:\s*/\s*{_TITLE_PLACE})?)"
    rf"(?:,\s*(?P<region>(?!{_DATE}[\s(,–—-])[{_UPPER}][\w'’.\- ]{{1,45}}?))?"
    rf"(?:,\s*(?P<date>{_DATE}))?"
    rf"(?:\s*{_AGENCY})?"
    rf"(?P<separator>{_SEPARATOR})"
    rf"(?:\((?P<agency2>[^()\n]{{1,40}})\){_SEPARATOR})?"
)
# How many non-empty lines may come before the dateline's (a title line in plain-text files).
MAX_LINES_BEFORE = 1


@dataclass(frozen=True)
class Dateline:
    start: int  # character offsets of the whole dateline in the body
    end: int
    place: str
    region: str | None
    date_text: str | None
    agency: str | None


def find_dateline(body: str) -> Dateline | None:
    """The dateline at the start of the body's first paragraph (or second, after a title).
    A dateline in capitals, with an agency ("NIAMEY (AFP) -") or a date ("Pòtoprens, 19
    desanm 2024.-") beats a title-case one with a colon, which is more often a headline
    ("Niger: 44 civilians killed...")."""
    position, found, seen = 0, [], 0
    for line in body.split("\n"):
        if line.strip() and not is_byline(line):
            candidate = _match_line(line, position)
            if candidate is not None and (seen <= MAX_LINES_BEFORE or _dated(candidate)):
                found.append(candidate)
            seen += 1
            if seen > MAX_LINES_BEFORE + 1:
                break
        position += len(line) + 1
    # 'CORRECTION - An earlier version...' then 'Lakeside, 9 March 2024 - Four...': a
    # dateline with a date or an agency beats a word in capitals opening an editor's note.
    dated = [d for d in found if _dated(d)]
    strong = [d for d in found if d.place.upper() == d.place]
    return (dated or strong or found or [None])[0]


def _dated(dateline: Dateline) -> bool:
    """A dateline with its date or its agency: a correction notice or an editor's note may
    come before it, in the paragraph after the title."""
    return bool(dateline.agency or dateline.date_text)


# A short line holding a URL under a plain-text article's title ("AFP — 28 octobre 2025 —
# https://..."): the outlet, date and address a scraper kept, not the dateline.
_URL = re.compile(r"https?://\S+")
BYLINE_CHARS = 250


def is_byline(line: str) -> bool:
    return len(line) <= BYLINE_CHARS and (_URL.search(line) is not None
                                          or _OUTLET_AND_DATE.fullmatch(line.strip()) is not None
                                          or _piped_byline(line))


# A byline line pasted without its address: only an outlet (or author) and a full date with
# its year ('The Valley Courier, 9 March 2024', 'Le Courrier du Lac - 9 mars 2024', 'Valley
# Courier | March 9, 2024', 'Valley Courier | 2024-03-09'). A dateline goes on with the report after
# its date ('Lakeside, 9 mars 2024 - Deux commerçants...'), a headline rarely ends in a year.
_FULL_DATE = (r"(?:\d{1,2}(?:er|st|nd|rd|th)?\.?\s+(?:de\s+)?[^\W\d_]{3,}\.?,?\s+(?:de\s+)?"
              r"\d{4}|[^\W\d_]{3,}\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}|\d{4}-\d{2}-\d{2})")
_OUTLET_AND_DATE = re.compile(
    rf"[^\W\d_][^|\n]{{0,60}}?\s*(?:,|\||\s-|–|—)\s*(?:[^\W\d_]+,?\s+)?{_FULL_DATE}"
    # and what kind of piece it is, in lower case and with no sentence of its own ('Radio Moto
    # - November 26, 2026 - transcript translated from Swahili'); a dateline's report starts
    # with a capital ('GOMA, 9 March 2024 - Gunmen killed...')
    rf"(?:\s+(?:-|–|—)\s+[a-zà-ÿ][^.!?|\n]{{0,50}})?")


def _piped_byline(line: str) -> bool:
    """'The Sahel Brief | Weekly roundup | November 9, 2026', 'Prensa Libre | 3 de noviembre de
    2026 | Entrevista': three to five short parts between bars, the first a name and one of them
    a full date (with its town, perhaps): an outlet's line with a section or a kind of article
    beside its date. A sentence of the report has no bars."""
    parts = [part.strip() for part in line.split("|")]
    return 3 <= len(parts) <= 5 and all(0 < len(part) <= 60 for part in parts) \
        and parts[0][:1].isalpha() \
        and any(_PLACE_AND_DATE.fullmatch(part) for part in parts[1:])


_PLACE_AND_DATE = re.compile(rf"(?:[^\W\d_][^\W\d_ -]*,?\s+)?{_FULL_DATE}")


def byline_text(body: str) -> str | None:
    """The byline line among the first lines of the body, without its URL (its date is the
    publication date when the metadata gave none)."""
    for line in [line for line in body.split("\n") if line.strip()][:MAX_LINES_BEFORE + 2]:
        if is_byline(line):
            return _URL.sub(" ", line)
    return None


# Lower-case words inside a town's name ('Port-au-Prince', 'Bandar Seri Begawan' has none).
_NAME_LINKS = {"au", "aux", "de", "du", "des", "la", "le", "les", "el", "al", "of", "da", "do"}


def _named_before_a_dash(place: str, separator: str) -> bool:
    """'Addis Abeba – ...', 'Port-au-Prince - ...': a town of two words or more, every word
    capitalised but the links of a name, then a dash, is a dateline even in title case (the
    local spelling the press of the country writes); 'Police said - ...' has a lower-case
    word, and one word ('Update -') is too weak alone."""
    words = [w for w in re.split(r"[\s\-]+", place) if w]
    return any(dash in separator for dash in "-–—") and len(words) >= 2 \
        and words[0][:1].isupper() and words[-1][:1].isupper() \
        and all(w[:1].isupper() or w.lower() in _NAME_LINKS for w in words)


def _match_line(line: str, offset: int) -> Dateline | None:
    match = DATELINE.match(line)
    if match is None:
        return None
    place = match.group("place").strip(" ,.")
    rest = line[match.end():]
    all_caps = place.upper() == place and any(ch.isalpha() for ch in place)
    extra = match.group("agency") or match.group("agency2") or match.group("date") or \
        match.group("region")
    separator = match.group("separator").strip()
    colon = ":" in separator
    if separator == "." and not all_caps:
        return None  # 'Police said. Then...': a sentence, not a dateline
    # A Title-case start is a dateline only with more evidence ("Lagos:", "Goma (AFP) -"):
    # "Police said - ..." must stay a sentence.
    if not all_caps and not (extra or colon or _named_before_a_dash(place, separator)):
        return None
    if len(place.split()) > 4 or not rest[:1].strip() or len(rest) < 20:
        return None
    if all_caps and len(place) < 3:
        return None
    return Dateline(
        start=offset, end=offset + match.end(), place=place,
        region=(match.group("region") or "").strip() or None,
        date_text=(match.group("date") or "").strip() or None,
        agency=(match.group("agency") or match.group("agency2") or "").strip() or None,
    )
