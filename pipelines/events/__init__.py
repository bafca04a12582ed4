"""Events stage: article-level incidents fused into real-world events.

`features` turns the incidents (with their article, place lineage and participants) into the
columns fusion compares; `wire` finds near-identical wire copy with datasketch MinHash;
`linkage` scores candidate pairs with Splink (blocking rules, comparison levels, fixed
weights) on DuckDB; `fusion` clusters the pairs under cannot-link constraints and reconciles
each event (date, place, type, fatalities, sources, confidence); `identity` keeps event ids
stable from one run to the next; `state` keeps what a fuse computed (signatures, pair
evidence, block sizes, reconciled events) so that the next run redoes only what involves a
new or changed report, with the same result. No Dagster here except in `assets`.
"""
