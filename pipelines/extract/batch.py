"""Extraction of one bounded batch of articles: spaCy once per language, then the per-article
rules and one classifier call per language.

`extract_records` is plain Python in, plain Python out (no Polars, DuckDB or Arrow), so the
same function runs in the pipeline's process, in a worker of `pipelines.extract.pool`, or in a
celery worker; `to_frames` turns its rows into the cache tables' frames.
"""

from datetime import date
from pathlib import Path

import polars as pl

from pipelines.extract.article import (
    ArticleInput,
    ArticleRows,
    event_text,
    finish_article,
    read_article,
    type_short_report,
)
from pipelines.extract.cache import CACHE_SCHEMAS
from pipelines.extract.classifier import classify
from pipelines.extract.language import load_pack
from pipelines.extract.nlp import load_model, model_for, parse
from pipelines.extract.reference import Gazetteer

ARTICLE_COLUMNS = ("article_id", "body", "title", "published_date", "published_precision",
                   "ingested_at", "language")

Columns = dict[str, dict[str, list]]  # cache table -> column -> values


def extract_records(records: list[dict], models: dict[str, str], gazetteer: Gazetteer,
                    reference_dir: Path) -> Columns:
    """The cache tables' rows for `records` (dicts with ARTICLE_COLUMNS), column by column."""
    collected = {name: {column: [] for column in schema} for name, schema in CACHE_SCHEMAS.items()}
    by_model: dict[str, list[dict]] = {}
    for record in records:
        by_model.setdefault(model_for(record.get("language") or "en", models), []).append(record)

    def pack_for(language: str):
        return load_pack(reference_dir, language)

    for model_name, group in sorted(by_model.items()):
        docs = parse(load_model(model_name), (r["body"] for r in group))
        readings = [read_article(doc, _article_input(record), gazetteer, pack_for)
                    for record, doc in zip(group, docs, strict=True)]
        short = [reading for reading in readings if reading.short_report is not None]
        for reading, prediction in zip(short, classify([r.article.body for r in short]) or [],
                                       strict=True):
            type_short_report(reading, prediction)
        # One classifier call per batch and language: its fixed cost per call is milliseconds.
        texts = [event_text(e) for reading in readings for e in reading.events]
        predictions = iter(classify(texts) or [None] * len(texts))
        for record, reading in zip(group, readings, strict=True):
            mine = [next(predictions) for _ in reading.events]
            _collect(collected, finish_article(reading, mine, gazetteer), record["article_id"])
    return collected


def to_frames(columns: Columns) -> dict[str, pl.DataFrame]:
    """Frames of the cache tables from `extract_records`' columns."""
    return {name: pl.DataFrame(columns[name], schema=schema)
            for name, schema in CACHE_SCHEMAS.items()}


def extract_articles(articles: pl.DataFrame, models: dict[str, str], gazetteer: Gazetteer,
                     reference_dir: Path) -> dict[str, pl.DataFrame]:
    """Frames of every cache table for `articles` (columns ARTICLE_COLUMNS), in this process."""
    return to_frames(extract_records(records_of(articles), models, gazetteer, reference_dir))


def records_of(articles: pl.DataFrame) -> list[dict]:
    return articles.select(
        *(pl.col(c) if c in articles.columns else pl.lit(None).alias(c) for c in ARTICLE_COLUMNS)
    ).to_dicts()


def _article_input(record: dict) -> ArticleInput:
    ingested = record.get("ingested_at")
    fallback: date = ingested.date() if ingested else date.today()
    return ArticleInput(
        article_id=record["article_id"], body=record["body"],
        published=record.get("published_date"),
        published_precision=record.get("published_precision") or "unknown",
        language=record.get("language") or "en", fallback_date=fallback,
        title=record.get("title"),
    )


def _collect(collected: Columns, rows: ArticleRows, article_id: str) -> None:
    for name, found in (("sentences", rows.sentences), ("mentions", rows.mentions),
                        ("entities", rows.entities), ("incidents", rows.incidents),
                        ("participants", rows.participants)):
        # Column by column (a list per column, extended once per article), not row by row.
        for column, values in collected[name].items():
            if column == "article_id":
                values.extend([article_id] * len(found))
            else:
                values.extend([row.get(column) for row in found])
