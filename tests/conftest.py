"""Shared fixtures: a warehouse built once per session from the project's sample articles."""

import shutil
from pathlib import Path

import pytest

from pipelines.settings import PROJECT_ROOT

SEEDS = PROJECT_ROOT / "seeds" / "articles"


@pytest.fixture(scope="session", autouse=True)
def _models_kept_between_builds() -> None:
    """The session builds dozens of warehouses: the models load once, in this process, and
    each build's extraction forks from it (pipelines/extract/pool.py)."""
    from pipelines.extract import pool

    pool.keep_models_loaded()


@pytest.fixture(scope="session")
def seed_articles(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("articles")
    shutil.copytree(SEEDS, folder, dirs_exist_ok=True)
    return folder


@pytest.fixture(scope="session")
def built_warehouse(seed_articles, tmp_path_factory) -> Path:
    """The whole graph materialized with dg.materialize into a temporary DuckDB file."""
    from pipelines.build import build_warehouse

    path = tmp_path_factory.mktemp("warehouse") / "incidents.duckdb"
    result = build_warehouse(seed_articles, path)
    assert result.success
    return path
