"""Language packs: what the prose readers know about one language, read from data files.

Everything language-specific lives in `seeds/reference/<lang>/` (see its README): trigger
phrases per event kind, cues (negation, hedging, aggregates, reactions...), date words,
number words, casualty phrases, descriptors of participants and group nouns. Adding a
language is adding that folder (and tests), not changing code. What a trigger kind means in
ACLED's vocabulary is language-neutral and lives in `seeds/reference/trigger_kinds.csv`.

Phrases are regular-expression fragments matched case-insensitively on word boundaries; a
phrase starting with `(?-i:` is case-sensitive ("march" the verb, not "March" the month).
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from pipelines.extract.reference import Descriptor
from pipelines.extract.text import fold

LANGUAGE_FILES = ("triggers", "cues", "dates", "numbers", "casualties", "descriptors",
                  "group_nouns", "entities", "settings")


@dataclass(frozen=True)
class TriggerKind:
    """What a kind of trigger suggests on its own (language-neutral)."""

    kind: str
    event_type: str
    sub_event_type: str
    strength: float
    violent: bool


@dataclass(eq=False)
class LanguagePack:
    code: str
    trigger_kinds: dict[str, TriggerKind]
    triggers: dict[str, re.Pattern]
    cues: dict[str, re.Pattern]
    cue_phrases: dict[str, list[str]]
    months: dict[str, int]
    weekdays: dict[str, int]
    date_words: dict[str, list[str]]
    # days of a month written in words ('le mardi dix-sept novembre'): folded word -> day
    day_words: dict[str, int]
    numbers: dict[str, int]  # folded number word -> value
    number_words: list[str]  # the words as written, for matching
    casualty_phrases: dict[str, list[str]]
    descriptors: dict[str, Descriptor]
    group_nouns: dict[str, tuple[str, str]]  # folded noun -> (canonical noun, category)
    entity_words: dict[str, dict[str, str]]  # role -> folded word -> value (entities.csv)
    settings: dict[str, str] = field(default_factory=dict)

    def cue(self, name: str) -> re.Pattern | None:
        return self.cues.get(name)

    def date_alternation(self, kind: str) -> str:
        return alternation(self.date_words.get(kind, []))

    def words(self, role: str) -> dict[str, str]:
        """Folded words of one role of entities.csv (institution keywords, titles...)."""
        return self.entity_words.get(role, {})


def alternation(phrases: list[str]) -> str:
    """One non-capturing group matching any phrase, longest first; never matches when empty."""
    if not phrases:
        return r"(?!x)x"
    ordered = sorted(set(phrases), key=len, reverse=True)
    return "(?:" + "|".join(ordered) + ")"


# An escape or a group's name (kept as written), or a run of anything else (lowered).
_KEEP_CASE = re.compile(r"(\\.|\(\?P[<=]\w+[>)]?)|([^\\(]+|\()")


def lower_matcher(pattern: re.Pattern) -> re.Pattern | None:
    """`pattern` (case-insensitive) for text that is already lower case, compiled without
    re.I; None when that would change what it matches (a case-sensitive part, `(?-i:`).

    Why: Python's engine tries every alternative of a long alternation at each word start
    when it ignores case, but skips those whose first letter differs when it does not; the
    trigger lists run about twice as fast on the lowered sentence. Escapes (\\W, \\S, \\B) and
    group names keep their case."""
    if not pattern.flags & re.I or "(?-i" in pattern.pattern or re.search(
            r"\\[xuUN]", pattern.pattern):
        return None
    source = _KEEP_CASE.sub(lambda m: m.group(1) or m.group(2).lower(), pattern.pattern)
    return re.compile(source, pattern.flags & ~re.I)


def lowered(text: str) -> str | None:
    """`text` in lower case, when lowering keeps every offset ('İ' lowers to two characters:
    then None, and the case-insensitive pattern reads the text as written)."""
    low = text.lower()
    return low if len(low) == len(text) else None


@dataclass(frozen=True)
class CaseFree:
    """A case-insensitive pattern, run on the lowered text when `lower_matcher` allows."""

    pattern: re.Pattern
    lower: re.Pattern | None

    @classmethod
    def of(cls, pattern: re.Pattern) -> CaseFree:
        return cls(pattern, lower_matcher(pattern))

    def search(self, text: str, low: str | None) -> tuple[int, int] | None:
        """The span of the first match in `text`; `low` is `lowered(text)`."""
        match = self.lower.search(low) if self.lower is not None and low is not None \
            else self.pattern.search(text)
        return match.span() if match else None


def matches_at(pattern: re.Pattern, text: str, candidates: tuple[int, ...]) -> Iterator[re.Match]:
    """What `pattern.finditer(text)` finds, trying only the positions where a match can start
    (the pattern still sees the text before each, for its look-behind)."""
    reached = 0
    for position in candidates:
        if position >= reached and (match := pattern.match(text, position)):
            reached = match.end()
            yield match


def words_pattern(phrases: list[str]) -> re.Pattern:
    """Case-insensitive pattern for any phrase, on word boundaries."""
    return re.compile(r"(?<!\w)" + alternation(phrases) + r"(?!\w)", re.I)


def _rows(path: Path) -> list[dict[str, str]]:
    if not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as handle:
        return [{k.strip(): (v or "").strip() for k, v in row.items() if k}
                for row in csv.DictReader(handle) if any((v or "").strip() for v in row.values())]


def available_languages(reference_dir: Path) -> list[str]:
    """Codes of the languages that have a pack (a folder with triggers.csv)."""
    return sorted(p.parent.name for p in reference_dir.glob("*/triggers.csv"))


def load_trigger_kinds(reference_dir: Path) -> dict[str, TriggerKind]:
    return {
        row["kind"]: TriggerKind(row["kind"], row["event_type"], row["sub_event_type"],
                                 float(row["strength"]), row["violent"].lower() == "true")
        for row in _rows(reference_dir / "trigger_kinds.csv")
    }


@cache
def load_pack(reference_dir: Path, code: str) -> LanguagePack | None:
    """The pack of language `code`, or None when `seeds/reference/<code>/` has none."""
    folder = reference_dir / code
    if not (folder / "triggers.csv").exists():
        return None
    kinds = load_trigger_kinds(reference_dir)
    phrases: dict[str, list[str]] = defaultdict(list)
    for row in _rows(folder / "triggers.csv"):
        if row["kind"] not in kinds:
            raise ValueError(f"{folder / 'triggers.csv'}: unknown trigger kind {row['kind']!r}")
        phrases[row["kind"]].append(row["phrase"])
    cue_phrases: dict[str, list[str]] = defaultdict(list)
    for row in _rows(folder / "cues.csv"):
        cue_phrases[row["cue"]].append(row["phrase"])
    months: dict[str, int] = {}
    weekdays: dict[str, int] = {}
    date_words: dict[str, list[str]] = defaultdict(list)
    day_words: dict[str, int] = {}
    for row in _rows(folder / "dates.csv"):
        if row["kind"] == "day_word":
            day_words[fold(row["word"])] = int(row["value"])
            date_words["day_word"].append(row["word"])
        elif row["kind"] == "month":
            months[row["word"].lower()] = int(row["value"])
        elif row["kind"] == "weekday":
            weekdays[row["word"].lower()] = int(row["value"])
        else:
            date_words[row["kind"]].append(row["word"])
    casualty_phrases: dict[str, list[str]] = defaultdict(list)
    for row in _rows(folder / "casualties.csv"):
        casualty_phrases[row["role"]].append(row["phrase"])
    descriptors = {
        fold(row["phrase"]): Descriptor(row["phrase"], row.get("actor_kind") or "other",
                                        row.get("category") or "other",
                                        row.get("entity_table") or "actors")
        for row in _rows(folder / "descriptors.csv")
    }
    group_nouns = {fold(row["noun"]): (row["canonical"], row["category"])
                   for row in _rows(folder / "group_nouns.csv")}
    settings = {row["key"]: row["value"] for row in _rows(folder / "settings.csv")}
    entity_words: dict[str, dict[str, str]] = defaultdict(dict)
    for row in _rows(folder / "entities.csv"):
        entity_words[row["role"]][fold(row["word"])] = row.get("value", "")
    number_rows = _rows(folder / "numbers.csv")
    return LanguagePack(
        code=code,
        trigger_kinds=kinds,
        triggers={kind: re.compile(r"(?<!\w)" + alternation(p) + r"(?!\w)", re.I)
                  for kind, p in phrases.items()},
        cues={name: words_pattern(p) for name, p in cue_phrases.items()},
        cue_phrases=dict(cue_phrases),
        months=months,
        weekdays=weekdays,
        date_words=dict(date_words),
        day_words=day_words,
        numbers={fold(row["word"]): int(row["value"]) for row in number_rows},
        number_words=[row["word"].lower() for row in number_rows],
        casualty_phrases=dict(casualty_phrases),
        descriptors=descriptors,
        group_nouns=group_nouns,
        entity_words=dict(entity_words),
        settings=settings,
    )


def language_files(reference_dir: Path) -> list[Path]:
    """Every data file of every pack (their contents are part of the extractor version)."""
    return sorted(reference_dir.glob("*/*.csv"))
