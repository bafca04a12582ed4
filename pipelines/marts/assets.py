"""Marts stage: the ACLED-shaped view over the published tables."""

import dagster as dg

from pipelines import warehouse as wh
from pipelines.quality.dagster_gate import table_metadata
from pipelines.resources import WarehouseResource

@dg.asset(
    group_name="marts",
    deps=["incidents", "incident_actors", "incident_institutions", "actors", "institutions",
          "places", "articles"],
    kinds={"duckdb", "sql"},
    owners=["team:data-eng"],
)
def acled_events(warehouse: WarehouseResource) -> dg.MaterializeResult:
    """View with one row per incident and ACLED's export column names (sql/views/acled_events.sql)."""
    with warehouse.connect() as conn:
        wh.create_views(conn, ["acled_events"])
        frame = wh.frame(conn, "SELECT * FROM main.acled_events")
    return dg.MaterializeResult(metadata=table_metadata(frame))
