"""Publish stage: the private copy of the warehouse -> an atomic snapshot at WAREHOUSE_PATH.

`snapshots` holds the logic (no Dagster): writing, publishing, listing, retention, rollback,
and the run journal that resets the private copy after an interrupted or failed run.
`assets` is the thin Dagster side: the `warehouse_snapshot` asset, the publish job, and the
sensor that publishes after a successful run that did not include it.
`python -m pipelines.publish` lists snapshots and rolls back.
"""
