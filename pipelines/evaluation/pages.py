"""Body extraction from saved news pages, scored as the public article-extraction benchmarks do.

The development pages live in `seeds/eval/pages/` (see its README): `articles/<id>.html` as a
user would save them, `gold/<id>.json` with the body a reader would call the article (paragraphs
in order) and the publication date. The pages are read by the real ingest path
(`read_articles`), so what is scored is exactly what `articles.body` would hold.

Body similarity is token-shingle overlap, as in the ScrapingHub article-extraction benchmark:
tokens are `\\w+` runs, shingles are 4 consecutive tokens counted as a multiset, and each page
gets precision = shared / extracted shingles, recall = shared / expected shingles and their
F1. Reported figures are means over pages; a page the reader rejected scores 0.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import polars as pl

from pipelines.evaluation.scoring import Metric, Target

SHINGLE_TOKENS = 4
PAGE_TARGETS: dict[str, Target] = {
    "body_f1": Target(">=", 0.95),
    "body_precision": Target(">=", 0.93),
    "date": Target(">=", 0.90),
}
_TOKEN = re.compile(r"\w+")


@dataclass(frozen=True)
class PageScore:
    """One page: shingle precision/recall/F1 of its body, and its date against gold."""

    page_id: str
    shape: str
    language: str
    precision: float
    recall: float
    f1: float
    gold_date: str | None
    predicted_date: str | None
    rejected: str | None = None

    @property
    def date_right(self) -> bool | None:
        return None if self.gold_date is None else self.predicted_date == self.gold_date


def shingles(text: str | None, size: int = SHINGLE_TOKENS) -> Counter[str]:
    """Multiset of the `size`-token shingles of `text` (one shingle for a shorter text)."""
    tokens = _TOKEN.findall(text or "")
    return Counter(" ".join(tokens[i:i + size]) for i in range(max(1, len(tokens) - size + 1))
                   if tokens[i:i + size])


def shingle_scores(expected: str, extracted: str | None) -> tuple[float, float, float]:
    """(precision, recall, F1) of `extracted` against `expected`."""
    gold, found = shingles(expected), shingles(extracted)
    shared = sum((gold & found).values())
    precision = shared / sum(found.values()) if found else 0.0
    recall = shared / sum(gold.values()) if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def load_gold(pages_dir: Path) -> list[dict]:
    """Every `gold/<id>.json` of the set, sorted by id."""
    return [json.loads(path.read_text(encoding="utf-8"))
            for path in sorted((pages_dir / "gold").glob("*.json"))]


def score_pages(gold: Sequence[Mapping], articles: pl.DataFrame, rejected: pl.DataFrame
                ) -> list[PageScore]:
    """Score each gold page against the article the reader made of its file (by source_uri)."""
    bodies = {row["source_uri"]: row for row in articles.iter_rows(named=True)}
    reasons = {row["source_uri"]: row["reason"] for row in rejected.iter_rows(named=True)}
    scores = []
    for page in gold:
        row = bodies.get(page["file"])
        precision, recall, f1 = shingle_scores("\n".join(page["body"]),
                                               row["body"] if row else None)
        published = row["published_date"] if row else None
        scores.append(PageScore(
            page_id=page["id"], shape=page.get("shape", ""), language=page.get("language", ""),
            precision=precision, recall=recall, f1=f1, gold_date=page.get("published"),
            predicted_date=published.isoformat() if isinstance(published, date) else None,
            rejected=None if row else reasons.get(page["file"], "missing"),
        ))
    return scores


def summarise(scores: Sequence[PageScore]) -> list[Metric]:
    """Mean body F1, precision and recall over pages; date accuracy over pages with a date."""
    dated = [s for s in scores if s.gold_date is not None]
    return [
        Metric("body_f1", sum(s.f1 for s in scores), len(scores), PAGE_TARGETS["body_f1"],
               "token-shingle F1 of articles.body against the gold body (mean over pages)"),
        Metric("body_precision", sum(s.precision for s in scores), len(scores),
               PAGE_TARGETS["body_precision"], "shingle precision (mean over pages)"),
        Metric("body_recall", sum(s.recall for s in scores), len(scores), None,
               "shingle recall (mean over pages)"),
        Metric("date", sum(bool(s.date_right) for s in dated), len(dated), PAGE_TARGETS["date"],
               "published_date equals the gold date (pages that carry one)"),
        Metric("rejected", sum(s.rejected is not None for s in scores), len(scores), None,
               "pages the reader rejected (no article row)"),
    ]
