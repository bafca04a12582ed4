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
from collections import defaultdict
from collections.abc import Iterable

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
    sets = {article_id: shingles(body) for article_id, body in bodies.items()}
    lsh = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM)
    signed = [article_id for article_id in ids if len(sets[article_id]) >= MIN_SHINGLES]
    # bulk: one set of permutations for every signature, not one drawn per article.
    signatures = dict(zip(signed, MinHash.bulk(
        [[s.encode("utf-8") for s in sets[article_id]] for article_id in signed],
        num_perm=NUM_PERM, seed=1), strict=True))
    for article_id, signature in signatures.items():
        lsh.insert(article_id, signature)
    copies, templated = set(), defaultdict(set)
    for article_id, signature in signatures.items():
        for other in lsh.query(signature):
            if other <= article_id:
                continue
            kind = relation(bodies[article_id], bodies[other], sets[article_id], sets[other])
            if kind == "copy":
                copies.add((article_id, other))
            elif kind == "template":
                templated[article_id].add(other)
                templated[other].add(article_id)
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
