"""Run a stored Great Expectations suite on a frame and summarise what failed.

GE 1.x has no Polars engine, so frames go through a pandas data source (see
../shared/docs/stack-notes.md). No Dagster here: `pipelines.quality.dagster_gate` turns a
`SuiteReport` into asset-check results.

Each expectation in a suite file may carry `"meta": {"severity": "warn"}`; anything else is an
error. Errors break the contract and block publication; warnings flag drift worth a look.
"""

import json
import os
import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import polars as pl

from pipelines.loading import collector_paused
from pipelines.settings import EXPECTATIONS_DIR

SAMPLE_ROWS = 5


@dataclass(frozen=True)
class ExpectationOutcome:
    expectation: str
    column: str | None
    severity: str
    success: bool
    observed: str
    sample_rows: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class SuiteReport:
    suite: str
    rows: int
    outcomes: list[ExpectationOutcome]

    @property
    def errors(self) -> list[ExpectationOutcome]:
        return [o for o in self.outcomes if not o.success and o.severity == "error"]

    @property
    def warnings(self) -> list[ExpectationOutcome]:
        return [o for o in self.outcomes if not o.success and o.severity == "warn"]

    @property
    def passed(self) -> bool:
        return not self.errors


def suite_path(name: str) -> Path:
    return EXPECTATIONS_DIR / f"{name}.json"


def load_suite_file(name: str) -> dict[str, Any]:
    return json.loads(suite_path(name).read_text(encoding="utf-8"))


_context_lock = threading.Lock()


def _context():
    # One thread builds it; another asking meanwhile (the stage that started `imported_meanwhile`)
    # waits for it rather than importing GE a second time.
    with _context_lock:
        return _new_context()


@contextmanager
def imported_meanwhile() -> Iterator[None]:
    """Import Great Expectations in a background thread while the block runs: a stage that is
    going to validate (ingest, when a file is new) imports it (2.4 s) while its own reading
    and DuckDB's work go on. Joined before the block ends, so no thread is left importing when
    extraction forks its workers."""
    thread = threading.Thread(target=_context, name="import-great-expectations", daemon=True)
    thread.start()
    try:
        yield
    finally:
        thread.join()


@cache
def _new_context():
    # Imported here, not at module level: GE costs seconds to import and the Dagster
    # definitions must load fast.
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
    with collector_paused():  # its import builds many objects and frees none: 3.0 -> 2.4 s
        import great_expectations as gx

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = {"globally": False}
    context.data_sources.add_pandas("warehouse")
    return context


def validate(frame: pl.DataFrame, suite_name: str, parameters: dict[str, Any] | None = None,
             skip: Callable[[dict[str, Any]], bool] | None = None) -> SuiteReport:
    """Validate `frame` against `expectations/<suite_name>.json`, leaving out the expectations
    `skip` is true of (the caller checks those another way)."""

    spec = load_suite_file(suite_name)
    if skip is not None:
        spec = {**spec, "expectations": [e for e in spec["expectations"] if not skip(e)]}
    key_columns = [c for c in spec.get("meta", {}).get("key_columns", []) if c in frame.columns]
    # Dates travel as ISO strings: suites bound them with ISO strings ("1900-01-01", $today),
    # which compare correctly as text and avoid pandas' datetime/date mismatches.
    as_text = frame.with_columns(pl.col(pl.Date).dt.to_string("%Y-%m-%d"))
    # Columns no expectation reads travel empty (the column set is checked by name): the text
    # of 200,000 sentences need not become 200,000 Python strings for GE to ignore them.
    read = _columns_read(spec) | set(key_columns)
    as_text = as_text.with_columns(pl.lit(None, dtype=pl.String).alias(c)
                                   for c in frame.columns if c not in read)
    pandas_frame = as_text.to_pandas(use_pyarrow_extension_array=False)
    batch = _batch_definition(suite_name).get_batch(batch_parameters={"dataframe": pandas_frame})
    suite = _suite(spec["name"], json.dumps(spec["expectations"], sort_keys=True))
    # Pass or fail first, which skips the metrics that only describe failures (unexpected
    # values, their rows): 40% of the suites' time on a nightly run's few hundred new rows,
    # where everything passes. Only when something failed is the suite run again for them.
    result = batch.validate(suite, result_format={"result_format": "BOOLEAN_ONLY"},
                            expectation_parameters=parameters or {})
    if not result.success:
        complete: dict[str, Any] = {"result_format": "COMPLETE"}
        if key_columns:
            complete["unexpected_index_column_names"] = key_columns
        result = batch.validate(suite, result_format=complete,
                                expectation_parameters=parameters or {})
    outcomes = [_outcome(r, frame, key_columns) for r in result.results]
    return SuiteReport(suite=suite_name, rows=frame.height, outcomes=outcomes)


_UNEXPECTED = re.compile(r"(\d+) unexpected of (\d+)")


def merge_reports(reports: list[SuiteReport]) -> SuiteReport:
    """One report for a suite run slice by slice over a table's rows (the same expectations,
    in the same order, in every slice): an expectation passes when it passed on every slice;
    its unexpected rows are counted over all of them and sampled from the first that failed."""
    first = reports[0]
    outcomes = []
    for index, outcome in enumerate(first.outcomes):
        slices = [report.outcomes[index] for report in reports]
        failed = [o for o in slices if not o.success]
        if not failed:
            outcomes.append(outcome)
            continue
        counts = [_UNEXPECTED.fullmatch(o.observed) for o in failed]
        observed = (f"{sum(int(c[1]) for c in counts)} unexpected of "
                    f"{sum(report.rows for report in reports)}" if all(counts)
                    else failed[0].observed)
        samples = [row for o in failed for row in o.sample_rows][:SAMPLE_ROWS]
        outcomes.append(ExpectationOutcome(outcome.expectation, outcome.column, outcome.severity,
                                           False, observed, samples))
    return SuiteReport(suite=first.suite, rows=sum(report.rows for report in reports),
                       outcomes=outcomes)


@cache  # one data asset per suite, made once per process
def _batch_definition(suite_name: str):
    datasource = _context().data_sources.get("warehouse")
    return datasource.add_dataframe_asset(suite_name).add_batch_definition_whole_dataframe("whole")


@cache  # a run validates a dozen tables, some several times
def _suite(name: str, expectations: str):
    """The suite, validated against the batch directly: registering it and a validation
    definition in the context (what `ValidationDefinition.run` needs) cost a third of a
    second per table in a run that validates a few new rows, and the context is ephemeral."""
    import great_expectations as gx

    return gx.ExpectationSuite(name=name, expectations=json.loads(expectations))


def _columns_read(spec: dict[str, Any]) -> set[str]:
    """Every column an expectation of the suite reads, row conditions included."""
    read: set[str] = set()
    for expectation in spec["expectations"]:
        kwargs = expectation.get("kwargs", {})
        read.update(c for c in [kwargs.get("column"), *kwargs.get("column_list", [])] if c)
        condition = kwargs.get("row_condition")
        if condition:
            read.update(word for word in re.findall(r"[A-Za-z_]\w*", str(condition)))
    return read


def _outcome(result, frame: pl.DataFrame, key_columns: list[str]) -> ExpectationOutcome:
    config = result.expectation_config
    details = result.result or {}
    exception = _exception_message(result.exception_info or {})
    if exception:
        observed = "exception: " + exception[:300]
    elif "observed_value" in details:
        observed = str(details["observed_value"])
    elif not details:
        observed = "-"  # passed: validated pass-or-fail only (see `validate`)
    else:
        unexpected = details.get("unexpected_count", 0)
        observed = f"{unexpected} unexpected of {details.get('element_count', frame.height)}"
    samples: list[dict[str, Any]] = []
    if not result.success:
        samples = _sample_rows(details, frame, key_columns)
    return ExpectationOutcome(
        expectation=config.type,
        column=config.kwargs.get("column"),
        severity=(config.meta or {}).get("severity", "error"),
        success=bool(result.success),
        observed=observed,
        sample_rows=samples,
    )


def _exception_message(info: dict[str, Any]) -> str | None:
    """GE reports exceptions flat or keyed by metric; find the message either way."""
    if info.get("raised_exception"):
        return str(info.get("exception_message"))
    nested = [v for v in info.values() if isinstance(v, dict) and v.get("raised_exception")]
    return str(nested[0].get("exception_message")) if nested else None


def _sample_rows(details: dict[str, Any], frame: pl.DataFrame, key_columns: list[str]
                 ) -> list[dict[str, Any]]:
    """The offending rows themselves (looked up by key), else GE's sample of bad values."""
    indexes = details.get("unexpected_index_list") or []
    if key_columns and indexes and isinstance(indexes[0], dict):
        keys = pl.DataFrame([{k: _plain(i.get(k)) for k in key_columns} for i in indexes[:SAMPLE_ROWS]],
                            schema={k: frame.schema[k] for k in key_columns})
        rows = frame.join(keys, on=key_columns, how="semi", nulls_equal=True).head(SAMPLE_ROWS)
        return [_shorten(r) for r in rows.to_dicts()]
    values = details.get("partial_unexpected_list") or []
    return [{"value": _plain(v)} for v in values[:SAMPLE_ROWS]]


def _plain(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, float) and value != value:
        return None
    return value.item() if hasattr(value, "item") else value


def _shorten(row: dict[str, Any]) -> dict[str, Any]:
    return {k: (v[:200] + "…" if isinstance(v, str) and len(v) > 200 else v) for k, v in row.items()}


def report_markdown(report: SuiteReport) -> str:
    """A table a person can read in the Dagster UI: every expectation and how it went."""
    lines = [
        f"**Suite `{report.suite}`** on {report.rows} rows: "
        f"{len(report.errors)} error(s), {len(report.warnings)} warning(s)",
        "",
        "| expectation | column | severity | result | observed |",
        "|---|---|---|---|---|",
    ]
    for o in report.outcomes:
        status = "pass" if o.success else "**FAIL**"
        observed = o.observed.replace("|", "/")[:120]
        lines.append(f"| {o.expectation} | {o.column or ''} | {o.severity} | {status} | {observed} |")
    for o in report.errors + report.warnings:
        if o.sample_rows:
            lines += ["", f"Sample rows failing `{o.expectation}` on `{o.column}`:", "```",
                      *(json.dumps(r, default=str, ensure_ascii=False) for r in o.sample_rows), "```"]
    return "\n".join(lines)
