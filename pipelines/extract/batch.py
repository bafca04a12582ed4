"""Extraction over a batch of articles: spaCy once per language, then the per-article rules."""

from datetime import date
from pathlib import Path

import polars as pl

from pipelines.extract.article import (
    ArticleInput,
    ArticleRows,
    event_text,
    finish_article,
    read_article,
)
from pipelines.extract.cache import CACHE_SCHEMAS
from pipelines.extract.classifier import classify
from pipelines.extract.language import load_pack
from pipelines.extract.nlp import load_model, model_for, parse
from pipelines.extract.reference import Gazetteer

ARTICLE_COLUMNS = ("article_id", "body", "title", "published_date", "published_precision",
                   "ingested_at", "language")


def extract_articles(articles: pl.DataFrame, models: dict[str, str], gazetteer: Gazetteer,
                     reference_dir: Path, processes: int = 1) -> dict[str, pl.DataFrame]:
    """Rows of every cache table for `articles` (columns ARTICLE_COLUMNS)."""
    collected = {name: [] for name in CACHE_SCHEMAS}
    records = articles.select(
        *(pl.col(c) if c in articles.columns else pl.lit(None).alias(c) for c in ARTICLE_COLUMNS)
    ).to_dicts()
    by_model: dict[str, list[dict]] = {}
    for record in records:
        by_model.setdefault(model_for(record["language"] or "en", models), []).append(record)

    def pack_for(language: str):
        return load_pack(reference_dir, language)

    for model_name, group in sorted(by_model.items()):
        nlp = load_model(model_name)
        docs = parse(nlp, (r["body"] for r in group), processes=processes)
        readings = [read_article(doc, _article_input(record), gazetteer, pack_for)
                    for record, doc in zip(group, docs, strict=True)]
        # One classifier call for the whole batch: its fixed cost per call is milliseconds.
        texts = [event_text(e) for reading in readings for e in reading.events]
        predictions = iter(classify(texts) or [None] * len(texts))
        for record, reading in zip(group, readings, strict=True):
            mine = [next(predictions) for _ in reading.events]
            rows = finish_article(reading, mine, gazetteer)
            _collect(collected, rows, record["article_id"])
    return {name: pl.DataFrame(collected[name], schema=schema)
            if collected[name] else pl.DataFrame(schema=schema)
            for name, schema in CACHE_SCHEMAS.items()}


def _article_input(record: dict) -> ArticleInput:
    fallback: date = record["ingested_at"].date() if record["ingested_at"] else date.today()
    return ArticleInput(
        article_id=record["article_id"], body=record["body"], published=record["published_date"],
        published_precision=record["published_precision"] or "unknown",
        language=record["language"] or "en", fallback_date=fallback, title=record["title"],
    )


def _collect(collected: dict[str, list], rows: ArticleRows, article_id: str) -> None:
    collected["sentences"] += rows.sentences
    collected["mentions"] += rows.mentions
    collected["entities"] += [{**e, "article_id": article_id} for e in rows.entities]
    collected["incidents"] += rows.incidents
    collected["participants"] += [{**p, "article_id": article_id} for p in rows.participants]
