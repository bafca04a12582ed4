"""Extraction over a batch of articles: spaCy once per batch, then the per-article rules."""

from datetime import date

import polars as pl
from spacy.language import Language

from pipelines.extract.article import ArticleRows, extract_article
from pipelines.extract.cache import CACHE_SCHEMAS
from pipelines.extract.nlp import parse
from pipelines.extract.reference import Gazetteer


def extract_articles(articles: pl.DataFrame, nlp: Language, gazetteer: Gazetteer,
                     processes: int = 1) -> dict[str, pl.DataFrame]:
    """Rows of every cache table for `articles` (columns article_id, body, published_*)."""
    collected = {name: [] for name in CACHE_SCHEMAS}
    records = articles.select(
        "article_id", "body", "published_date", "published_precision", "ingested_at", "language"
    ).to_dicts()
    docs = parse(nlp, (r["body"] for r in records), processes=processes)
    for record, doc in zip(records, docs, strict=True):
        fallback: date = record["ingested_at"].date() if record["ingested_at"] else date.today()
        rows = extract_article(doc, record["article_id"], record["published_date"],
                               record["published_precision"] or "unknown", gazetteer, fallback,
                               record["language"] or "en")
        _collect(collected, rows, record["article_id"])
    return {name: pl.DataFrame(collected[name], schema=schema)
            if collected[name] else pl.DataFrame(schema=schema)
            for name, schema in CACHE_SCHEMAS.items()}


def _collect(collected: dict[str, list], rows: ArticleRows, article_id: str) -> None:
    collected["sentences"] += rows.sentences
    collected["mentions"] += rows.mentions
    collected["entities"] += [{**e, "article_id": article_id} for e in rows.entities]
    collected["incidents"] += rows.incidents
    collected["participants"] += [{**p, "article_id": article_id} for p in rows.participants]

