"""Marts stage: the ACLED-shaped view over the published tables."""

import dagster as dg

from pipelines import warehouse as wh
from pipelines.resources import WarehouseResource

ACLED_COLUMNS_DOC = "https://acleddata.com/ (export column names)"


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
        frame = conn.execute("SELECT * FROM main.acled_events LIMIT 0").pl()
        rows = conn.execute("SELECT count(*) FROM main.acled_events").fetchone()[0]
    return dg.MaterializeResult(metadata=dict(dg.TableMetadataSet(
        row_count=rows,
        column_schema=dg.TableSchema(
            columns=[dg.TableColumn(name, str(dtype)) for name, dtype in frame.schema.items()]),
    )))
