"""Extraction over a batch of articles: spaCy once per batch, then the per-article rules."""

from datetime import date

import polars as pl
from spacy.language import Language

from pipelines.extract.article import ArticleRows, extract_article
from pipelines.extract.nlp import parse
from pipelines.extract.reference import Gazetteer

# Bump when the extraction rules change in a way that should redo every article.
RULES_VERSION = "1"

CACHE_SCHEMAS: dict[str, dict[str, pl.DataType]] = {
    "sentences": {"article_id": pl.String, "sentence_index": pl.Int64, "char_start": pl.Int64,
                  "char_end": pl.Int64, "text": pl.String},
    "mentions": {"mention_id": pl.String, "article_id": pl.String, "sentence_index": pl.Int64,
                 "char_start": pl.Int64, "char_end": pl.Int64, "text": pl.String,
                 "entity_table": pl.String, "entity_id": pl.String, "via": pl.String},
    "entities": {"article_id": pl.String, "entity_table": pl.String, "entity_id": pl.String,
                 "entity_key": pl.String, "name": pl.String, "kind": pl.String,
                 "category": pl.String, "country_iso3": pl.String, "acronym": pl.String,
                 "admin1": pl.String, "admin2": pl.String, "latitude": pl.Float64,
                 "longitude": pl.Float64, "geonames_id": pl.Int64, "parent_id": pl.String,
                 "alias": pl.String, "source": pl.String},
    "incidents": {"incident_id": pl.String, "article_id": pl.String, "event_date": pl.Date,
                  "date_precision": pl.String, "date_source": pl.String,
                  "event_type": pl.String, "sub_event_type": pl.String, "place_id": pl.String,
                  "geo_precision": pl.Int64, "fatalities": pl.Int64, "injuries": pl.Int64,
                  "summary": pl.String, "char_start": pl.Int64, "char_end": pl.Int64,
                  "confidence": pl.Float64},
    "participants": {"article_id": pl.String, "incident_id": pl.String,
                     "entity_table": pl.String, "entity_id": pl.String, "role": pl.String},
}


def extract_articles(articles: pl.DataFrame, nlp: Language, gazetteer: Gazetteer,
                     processes: int = 1) -> dict[str, pl.DataFrame]:
    """Rows of every cache table for `articles` (columns article_id, body, published_*)."""
    collected = {name: [] for name in CACHE_SCHEMAS}
    records = articles.select(
        "article_id", "body", "published_date", "published_precision", "ingested_at"
    ).to_dicts()
    docs = parse(nlp, (r["body"] for r in records), processes=processes)
    for record, doc in zip(records, docs, strict=True):
        fallback: date = record["ingested_at"].date() if record["ingested_at"] else date.today()
        rows = extract_article(doc, record["article_id"], record["published_date"],
                               record["published_precision"] or "unknown", gazetteer, fallback)
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


def current_extractor_version(model_name: str, reference_dir) -> str:
    """What an article's cached extraction depends on: rules, model and reference lists.

    Computed without loading the model or the gazetteer, so a run with nothing new is cheap."""
    from pipelines.extract.nlp import installed_model_version
    from pipelines.extract.reference import reference_version

    return (f"rules-{RULES_VERSION}/{installed_model_version(model_name)}"
            f"/ref-{reference_version(reference_dir)}")
