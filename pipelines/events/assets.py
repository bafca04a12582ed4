"""Events stage: the incidents of every article fused into real-world events, gated."""

import hashlib
from datetime import UTC, datetime
from pathlib import Path
from typing import NamedTuple

import dagster as dg

from pipelines import warehouse as wh
from pipelines.events.build import run_events
from pipelines.extract import cache
from pipelines.quality.dagster_gate import (
    check_specs,
    gate_and_publish,
    markdown_preview,
    unchanged_results,
)
from pipelines.resources import ReferenceResource, WarehouseResource
from pipelines.settings import PROJECT_ROOT, SQL_DIR

DESCRIPTIONS = {
    "events": "One row per real-world event, fused from every article (in any language) that "
    "reports it: date and place from the most precise report, ACLED's fatalities (lowest "
    "credible figure, or the latest update) with the reports' spread, sources, their scale, "
    "and a confidence that grows with independent reports.",
    "event_incidents": "Which article-level incidents were fused into each event (every incident "
    "in exactly one), with its article, its group of wire copies and the score that linked it.",
    "event_id_history": "Event ids retired when a new report showed two events were one, and "
    "the id that holds their reports now.",
    "countries": "ISO codes, ACLED's country names and regions, for the ACLED-shaped view.",
}
TABLES = list(DESCRIPTIONS)
NORMALIZED = ["articles", "incidents", "incident_actors", "incident_institutions", "actors",
              "institutions", "places", "mentions"]
PREVIEW_COLUMNS = ["event_date", "sub_event_type", "fatalities", "n_sources", "source"]
# What the events are built from besides the tables: the lists only this stage reads (the
# others are in the extractor version) and its code.
EVENT_LISTS = ("outlets.csv", "acled_regions.csv")
EVENT_CODE = [*sorted((PROJECT_ROOT / "pipelines" / "events").glob("*.py")),
              *sorted((SQL_DIR / "events").glob("*.sql"))]


@dg.multi_asset(
    specs=[
        dg.AssetSpec(table, group_name="events", deps=NORMALIZED, kinds={"polars", "duckdb"},
                     owners=["team:data-eng"], description=description)
        for table, description in DESCRIPTIONS.items()
    ],
    check_specs=check_specs(TABLES),
)
def fuse_events(warehouse: WarehouseResource, reference: ReferenceResource):
    """Fuse incidents across articles into events (pipelines/events/), keeping the ids of the
    previous publication, and publish the event tables all or nothing."""
    with warehouse.connect() as conn:
        # Read once: this stage writes none of it (the normalized tables' fingerprints hash
        # every row, 0.3 s at 20,000 articles); only the event tables change.
        inputs = built_from_inputs(conn, Path(reference.path))
        built_from = built_from_key(conn, Path(reference.path), inputs)
        if built_from == cache.recorded_state(conn, "events_built_from"):
            # Same incidents, articles, lists and code as the published events were built
            # from, and those events are still what main holds: fusing again gives them back.
            yield from unchanged_results(conn, TABLES)
            return
        # Fused from what the last fuse computed when it can be: only what involves new or
        # changed reports is redone (pipelines/events/state.py); the new state is stored.
        tables = run_events(conn, Path(reference.path), datetime.now(UTC).replace(tzinfo=None))
        incidents_fused = tables.event_incidents.height  # every incident is in one event
        events = tables.events.sort("event_date", descending=True, nulls_last=True)
        yield from gate_and_publish(
            conn,
            tables.frames(),
            extra_metadata={"events": {
                "preview": markdown_preview(events, PREVIEW_COLUMNS),
                "incidents_fused": incidents_fused,
                # Incidents new or changed since the stored state; everything when none was.
                "incidents_fused_again": incidents_fused if tables.changed is None
                else tables.changed,
                "events_with_several_reports": int((events["n_sources"] > 1).sum()),
                "fatalities": int(events["fatalities"].fill_null(0).sum()),
            }},
        )
        cache.record_state(conn, "events_built_from",
                           built_from_key(conn, Path(reference.path), inputs))


class Inputs(NamedTuple):
    """What the events are built from besides the event tables (parts of `built_from_key`)."""

    tables: list[str]  # the normalized tables' fingerprints
    others: list[str]  # the extractor version, the hash of the lists and the code


def built_from_inputs(conn, reference_dir: Path) -> Inputs:
    return Inputs(
        tables=[_table_part(conn, table) for table in NORMALIZED],
        others=[cache.recorded_version(conn) or "",
                cache.file_hash(*(reference_dir / name for name in EVENT_LISTS), *EVENT_CODE)])


def built_from_key(conn, reference_dir: Path, inputs: Inputs | None = None) -> str:
    """Fingerprint of what `main`'s events stand on: the normalized tables, the event tables
    themselves (a private copy reset to an older snapshot has other events), the extractor
    version, the lists only this stage reads and its code. `inputs` (`built_from_inputs`),
    when given, stands for all but the event tables."""
    inputs = inputs or built_from_inputs(conn, reference_dir)
    digest = hashlib.sha256()
    for part in [*inputs.tables, *(_table_part(conn, table) for table in TABLES),
                 *inputs.others]:
        digest.update(part.encode())
    return digest.hexdigest()


def _table_part(conn, table: str) -> str:
    return f"{table}={wh.fingerprint(conn, 'main', table)};"
