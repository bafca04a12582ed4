"""Small text helpers shared by the extractors."""

import hashlib
import re

from unidecode import unidecode

_NON_WORD = re.compile(r"[^a-z0-9]+")


def fold(text: str) -> str:
    """Lower-case ASCII key for matching names: 'Gonaïves' -> 'gonaives', "Grand'Anse" -> 'grand anse'."""
    return _NON_WORD.sub(" ", unidecode(text).lower()).strip()


def stable_id(prefix: str, *parts: object) -> str:
    """Short id that depends only on its parts, so every run on every machine agrees."""
    digest = hashlib.sha256("\x1f".join(str(p) for p in parts).encode("utf-8")).hexdigest()
    return f"{prefix}_{digest[:16]}"
