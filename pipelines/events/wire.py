"""Near-identical wire copy: the same agency story reprinted by several outlets.

A reprint changes the headline, trims paragraphs and adds a line or two, so copies are found on
word shingles: datasketch's MinHash LSH proposes candidate pairs, and a pair is a copy when
nearly all shingles of the shorter text are in the longer one (containment, checked exactly on
the candidates), its lede too, and its numbers and names (a credit line aside). Copies form a
`wire_group`, named after its earliest article: a story reprinted by a dozen sites is one
independent report, not twelve.

Texts that share much but not their lede, numbers or names are the opposite: one template
filled in for different events ("On 7 February 2024, in Fogas, people held a
demonstration..." and the same for the next town), listed in `templated_with`; fusion keeps
their incidents apart.
"""

from __future__ import annotations

import re
from collections import defaultdict, deque
from collections.abc import Iterable
from datetime import timedelta
from functools import lru_cache

import polars as pl

from pipelines.extract.text import ascii_text

SHINGLE_WORDS = 5
NUM_PERM = 128
# LSH recall threshold (Jaccard) for candidates; a trimmed reprint can share well under half
# of the shingles of the whole story, so candidates are generous and containment decides.
LSH_THRESHOLD = 0.3
MIN_CONTAINMENT = 0.8
# Texts sharing this much but not their lede, numbers or names fill one template.
TEMPLATE_CONTAINMENT = 0.6
MIN_SHINGLES = 8
MAX_NEW_NAMES = 4
# A reprint keeps the lede: the first words of the shorter text are in the longer one.
LEDE_WORDS = 30
MIN_LEDE_CONTAINMENT = 0.9
# Articles whose signatures are computed together, and shingle sets kept for comparisons.
SIGNATURE_CHUNK = 500
SHINGLE_CACHE = 2000
# How far apart two articles may be published and still be copies of one story.
WIRE_WINDOW = timedelta(days=31)

_WORD = re.compile(r"[a-z0-9]+")
# Numbers and capitalised words: what tells templated reports of different events apart.
_SPECIFIC = re.compile(r"\d+|\b[A-Z][\w'-]*")


def shingles(text: str, size: int = SHINGLE_WORDS) -> set[str]:
    words = _WORD.findall(ascii_text(text or "").lower())
    return {" ".join(words[i:i + size]) for i in range(max(0, len(words) - size + 1))}


def specifics(text: str) -> set[str]:
    """Numbers and capitalised words, accents folded."""
    return {ascii_text(token) for token in _SPECIFIC.findall(text or "")}


def lede(text: str) -> set[str]:
    """Shingles of the first LEDE_WORDS words."""
    return shingles(" ".join(_WORD.findall(ascii_text(text or "").lower())[:LEDE_WORDS]))


def relation(text_a: str, text_b: str, a: set[str], b: set[str]) -> str | None:
    """'copy', 'template' or None for two texts and their shingle sets.

    A copy: the shorter text is (nearly) inside the longer, its lede too, and so are its
    numbers and its names (but for a credit line). A template: much of the text is shared but
    the lede, a number or several names differ: the same writer's mould filled in for
    another event (an NGO's daily bulletin, a wire's list of attacks by town)."""
    shared = containment(a, b)
    if shared < TEMPLATE_CONTAINMENT:
        return None
    shorter, other, longer = (text_a, text_b, b) if len(a) <= len(b) else (text_b, text_a, a)
    opening = lede(shorter)
    same_lede = len(opening & longer) >= MIN_LEDE_CONTAINMENT * len(opening)
    new = specifics(shorter) - specifics(other)
    same_specifics = not any(token.isdigit() for token in new) and len(new) <= MAX_NEW_NAMES
    if shared >= MIN_CONTAINMENT and same_lede and same_specifics:
        return "copy"
    if not (same_lede and same_specifics):
        return "template"
    return None


def containment(a: set[str], b: set[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def wire_groups(articles: pl.DataFrame) -> pl.DataFrame:
    """For every article of `articles` (`article_id`, `body`, `first_reported_at`): its
    `wire_group` (itself when it has no copy) and `templated_with`, the articles that fill
    the same mould for other events."""
    from datasketch import MinHash, MinHashLSH

    ordered = articles.sort("first_reported_at", "article_id", nulls_last=True)
    ids = ordered["article_id"].to_list()
    bodies = dict(zip(ids, ordered["body"].to_list(), strict=True))
    reported = dict(zip(ids, ordered["first_reported_at"].to_list(), strict=True))
    window: deque[str] = deque()  # articles in the index, oldest first
    shingles_of = lru_cache(maxsize=SHINGLE_CACHE)(lambda article_id: shingles(bodies[article_id]))
    lsh = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM)
    copies, templated = set(), defaultdict(set)
    # Each article is compared with those inserted before it, then inserted: every pair is
    # met once, and no article's shingles or signature are kept beyond its chunk (memory
    # would otherwise grow by tens of kilobytes per article).
    for chunk_start in range(0, len(ids), SIGNATURE_CHUNK):
        chunk = [article_id for article_id in ids[chunk_start:chunk_start + SIGNATURE_CHUNK]
                 if len(shingles_of(article_id)) >= MIN_SHINGLES]
        # bulk: one set of permutations for every signature, not one drawn per article.
        signatures = MinHash.bulk([[s.encode("utf-8") for s in shingles_of(article_id)]
                                   for article_id in chunk], num_perm=NUM_PERM, seed=1)
        for article_id, signature in zip(chunk, signatures, strict=True):
            # Reprints run within days of the story: the index holds the last WIRE_WINDOW
            # only, so its size follows the news of a month, not the archive's.
            while window and reported[article_id] is not None and \
                    reported[window[0]] < reported[article_id] - WIRE_WINDOW:
                lsh.remove(window.popleft())
            for other in lsh.query(signature):
                a, b = sorted((article_id, other))
                kind = relation(bodies[a], bodies[b], shingles_of(a), shingles_of(b))
                if kind == "copy":
                    copies.add((a, b))
                elif kind == "template":
                    templated[a].add(b)
                    templated[b].add(a)
            lsh.insert(article_id, signature)
            window.append(article_id)
    root = _components(ids, copies)
    return pl.DataFrame({"article_id": ids, "wire_group": [root[i] for i in ids],
                         "templated_with": [sorted(templated[i]) for i in ids]},
                        schema={"article_id": pl.String, "wire_group": pl.String,
                                "templated_with": pl.List(pl.String)})


def _components(ordered_ids: list[str], pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Each id -> the first id (in `ordered_ids` order) of its connected component."""
    rank = {article_id: index for index, article_id in enumerate(ordered_ids)}
    parent = {article_id: article_id for article_id in ordered_ids}

    def find(node: str) -> str:
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for a, b in pairs:
        ra, rb = find(a), find(b)
        if ra != rb:
            first, second = sorted((ra, rb), key=rank.__getitem__)
            parent[second] = first
    return {article_id: find(article_id) for article_id in ordered_ids}
