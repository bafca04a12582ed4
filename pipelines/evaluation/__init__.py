"""Evaluation: build a warehouse from the evaluation articles and score it against gold.

- `scoring`: the metrics, as plain functions over values and Polars frames (no Dagster, no I/O
  except reading an open DuckDB connection in the `load_*` helpers);
- `report`: the printed tables and the `misses.md` files;
- `__main__`: the command line (`python -m pipelines.evaluation`, `make eval`).

The evaluation data is read by path (`../shared/eval/...`) and never copied into the repository;
everything the command writes goes under the output folder (default `warehouse/eval/`).
"""
