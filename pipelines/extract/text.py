"""Small text helpers shared by the extractors."""

import hashlib
import re
from functools import lru_cache

from unidecode import unidecode

_NON_WORD = re.compile(r"[^a-z0-9]+")


class _Transliterations(dict):
    """Code point -> unidecode's ASCII for it, filled as characters are met."""

    def __missing__(self, code: int) -> str:
        value = self[code] = unidecode(chr(code))
        return value


_TRANSLITERATIONS = _Transliterations()


def ascii_text(text: str) -> str:
    """unidecode(text), character by character as unidecode does, but through str.translate:
    unidecode's own loop costs about a microsecond per character of a non-ASCII text."""
    return text if text.isascii() else text.translate(_TRANSLITERATIONS)


@lru_cache(maxsize=200_000)  # called for every token of every article; words repeat
def fold(text: str) -> str:
    """Lower-case ASCII key for matching names: 'Gonaïves' -> 'gonaives', "Grand'Anse" -> 'grand anse'."""
    return _NON_WORD.sub(" ", ascii_text(text).lower()).strip()


def stable_id(prefix: str, *parts: object) -> str:
    """Short id that depends only on its parts, so every run on every machine agrees."""
    digest = hashlib.sha256("\x1f".join(str(p) for p in parts).encode("utf-8")).hexdigest()
    return f"{prefix}_{digest[:16]}"


def _accent_variants() -> dict[str, str]:
    """'e' -> '[eéèêë...]': every Latin letter an accent-free letter stands for."""
    variants: dict[str, set[str]] = {}
    for code in range(0xC0, 0x250):
        char = chr(code).lower()
        base = unidecode(char).lower()
        if len(base) == 1 and base.isalpha() and char != base:
            variants.setdefault(base, {base}).add(char)
    return {base: "[" + "".join(sorted(chars)) + "]" for base, chars in variants.items()}


_VARIANTS = _accent_variants()


def accent_pattern(folded: str) -> str:
    """A regex for a folded word as the text may write it: 'localite' matches 'localité',
    'pres de' matches 'près de', 'd operation' matches "d'opération"."""
    return "".join(r"[\s'’-]+" if char == " " else _VARIANTS.get(char, re.escape(char))
                   for char in folded)
