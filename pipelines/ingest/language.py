"""Which language an article (and each of its paragraphs) is written in.

py3langid (a maintained fork of langid.py, bundled model) tells Haitian Creole from French,
which stop-word counts cannot. It is restricted to the languages news in this domain comes in:
left open, it calls short English reports about Nigeria Nigerian Pidgin. An article mixing
languages (a French report quoting a Creole radio message) gets the language that covers most
of its text; extraction reads each paragraph with the rules of its own language.
"""

from __future__ import annotations

import hashlib
import lzma
import os
import re
import zipfile
from contextlib import suppress
from dataclasses import dataclass
from functools import cache

from pipelines import settings

# ISO 639-1 codes the identifier chooses among.
NEWS_LANGUAGES = ("en", "fr", "ht", "es", "pt", "de", "it", "nl", "ru", "uk", "ar", "sw", "tr",
                  "fa", "ur", "hi", "bn", "id", "ms", "tl", "vi", "th", "zh", "ja", "ko", "pl",
                  "ro", "am", "so", "ha", "my", "he", "ps", "ln")
# Paragraphs shorter than this (datelines, bylines, captions) do not vote.
MIN_PARAGRAPH_CHARS = 40
# Below this many letters in the whole text, the language is undetermined.
MIN_TEXT_CHARS = 20
UNDETERMINED = "und"


@dataclass(frozen=True)
class Paragraph:
    start: int  # character offsets in the text
    end: int
    language: str


@cache
def _identifier():
    import numpy as np
    from py3langid.langid import LanguageIdentifier

    ptc, pc, classes, nextmove, row, output = _model()
    identifier = LanguageIdentifier(np.asarray(ptc), np.asarray(pc), classes, nextmove, output,
                                    norm_probs=True, tk_row=row)
    identifier.set_languages(list(NEWS_LANGUAGES))
    return identifier


def _model() -> tuple:
    """py3langid's bundled model, as its `modelio.load_model` returns it, read from an
    uncompressed copy kept in NEWS_INCIDENTS_CACHE.

    The bundled file is an npz inside LZMA: decompressing its 68 MB costs 0.5 s of CPU, most
    of loading the identifier, paid by every run that ingests or extracts a paragraph that is
    not plainly English. The copy is named after a hash of the bundled file, so another
    version of the model is decompressed again; a copy that cannot be read or written is no
    worse than none."""
    import numpy as np
    from py3langid import modelio
    from py3langid.langid import MODEL_DIR, MODEL_FILE

    bundled = MODEL_DIR / MODEL_FILE
    packed = bundled.read_bytes()
    copy = settings.cache_dir() / f"langid-{hashlib.sha256(packed).hexdigest()[:16]}.npz"
    if not copy.exists():
        with suppress(OSError):
            copy.parent.mkdir(parents=True, exist_ok=True)
            partial = copy.with_suffix(f".{os.getpid()}.tmp")
            partial.write_bytes(lzma.decompress(packed))
            partial.replace(copy)
    try:
        with np.load(copy, allow_pickle=False) as data:
            return (data["ptc"], data["pc"], data["classes"].tolist(),
                    modelio._to_array(data["nextmove"]), modelio._to_array(data["nextmove_row"]),
                    data["out_feat"].tolist())
    except (OSError, EOFError, ValueError, KeyError, zipfile.BadZipFile):
        return modelio.load_model(bundled)


# English words no other language of the news writes often ('a', 'on', 'an', 'he', 'or' are
# French, Spanish or Creole words too): where they are a fifth of a paragraph's words, it is
# English, and the identifier (a Python loop over every byte) need not read it. Checked on
# every paragraph of the development sets in four languages: the identifier said English of
# every paragraph this said English of (2,892 of 3,446 English ones; none of 2,178 others).
ENGLISH_WORDS = frozenset({
    "the", "of", "and", "to", "in", "is", "was", "were", "that", "for", "with", "by", "at",
    "from", "as", "it", "his", "her", "their", "they", "she", "has", "have", "had", "been",
    "are", "this", "which", "said", "after", "who", "not", "but", "be", "will"})
ENGLISH_SHARE = 0.2
MIN_WORDS_FOR_SHARE = 8
_WORD = re.compile(r"[^\W\d_]+")


def plainly_english(text: str) -> bool:
    words = _WORD.findall(text)
    return len(words) >= MIN_WORDS_FOR_SHARE and \
        sum(w.lower() in ENGLISH_WORDS for w in words) >= ENGLISH_SHARE * len(words)


def classify(text: str) -> str:
    """Language of one piece of text ('und' when it is too short to tell)."""
    if not _has_letters(text, MIN_TEXT_CHARS):
        return UNDETERMINED
    if plainly_english(text):
        return "en"
    return _identifier().classify(text)[0]


def _has_letters(text: str, count: int) -> bool:
    """Whether `text` has at least `count` letters: counts up to `count` only (extraction asks
    it of every paragraph of every article)."""
    found = 0
    for ch in text:
        if ch.isalpha():
            found += 1
            if found >= count:
                return True
    return False


def paragraph_languages(text: str) -> list[Paragraph]:
    """Each line of `text` (a paragraph of a cleaned body) with its language.

    Short lines take the language of the paragraph before them (or after, at the start)."""
    paragraphs: list[Paragraph] = []
    position = 0
    for line in text.split("\n"):
        start, end = position, position + len(line)
        position = end + 1
        if not line.strip():
            continue
        language = classify(line) if len(line) >= MIN_PARAGRAPH_CHARS else UNDETERMINED
        paragraphs.append(Paragraph(start, end, language))
    known = [p.language for p in paragraphs if p.language != UNDETERMINED]
    fill = known[0] if known else UNDETERMINED
    resolved = []
    for paragraph in paragraphs:
        if paragraph.language == UNDETERMINED:
            paragraph = Paragraph(paragraph.start, paragraph.end, fill)
        fill = paragraph.language
        resolved.append(paragraph)
    return resolved


def detect_language(text: str) -> str:
    """ISO 639-1 code of the language covering most of the text's paragraphs, or 'und'."""
    covered: dict[str, int] = {}
    for paragraph in paragraph_languages(text):
        if paragraph.end - paragraph.start >= MIN_PARAGRAPH_CHARS:
            covered[paragraph.language] = covered.get(paragraph.language, 0) + \
                paragraph.end - paragraph.start
    if not covered:
        return classify(text)
    return max(covered, key=lambda code: (covered[code], code))
