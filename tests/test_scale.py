"""Throughput and scale: worker processes, bounded batches, progress, partitions to Parquet,
and the fixed costs of a run with nothing (or little) new."""

import json
import shutil
from pathlib import Path

import dagster as dg
import duckdb
import polars as pl
import pytest

from pipelines.progress import Progress
from pipelines.publish.compare import differences
from pipelines.settings import PROJECT_ROOT
from pipelines.synthetic import write_corpus

REFERENCE = PROJECT_ROOT / "seeds" / "reference"


def test_progress_says_how_far_how_fast_and_how_long():
    line = Progress(1000).advance(250)
    assert line.startswith("250 of 1,000 articles (25%), ")
    assert "articles/s" in line and "left" in line


def test_benchmark_reports_the_run_of_median_time():
    from pipelines.benchmark import median_run

    runs = [{"seconds": s} for s in (31.0, 24.5, 27.2)]
    assert median_run(runs)["seconds"] == 27.2
    assert median_run(runs[:2])["seconds"] == 24.5  # the lower middle of an even number
    assert median_run(runs[:1])["seconds"] == 31.0


def test_a_gazetteer_entry_is_a_named_tuple_copied_with_replace():
    import pickle

    from pipelines.extract.reference import Entry

    town = Entry("places", "place:geonames:1", "Kiwanja", "city", country_iso3="COD")
    copy = town._replace(key="place:unknown:COD:Kiwanja", source="ner")
    assert (copy.name, copy.country_iso3, copy.source) == ("Kiwanja", "COD", "ner")
    assert pickle.loads(pickle.dumps(town)) == town and town.population == 0


def test_a_nights_few_articles_go_out_in_several_batches_per_worker():
    from pipelines.extract.pool import batch_plan

    # (batch size, batches, processes): 200 new articles make 8 batches for 2 workers, so
    # one can load a rare language's model while the other goes on; a big run keeps 250.
    assert batch_plan(200, 2, 250) == (25, 8, 2)
    assert batch_plan(20_000, 2, 250) == (250, 80, 2)
    assert batch_plan(3, 2, 250) == (1, 3, 2)
    assert batch_plan(12, 1, 5) == (5, 3, 1)


def test_a_load_is_frozen_out_of_later_full_collections():
    import gc

    from pipelines.loading import collector_paused

    gc.unfreeze()
    try:
        with collector_paused():
            loaded = [[n] for n in range(1000)]
        assert gc.isenabled() and gc.get_freeze_count() >= len(loaded)
    finally:
        gc.unfreeze()


def test_a_long_pattern_is_compiled_once_and_read_back_the_same(tmp_path, monkeypatch):
    import re
    from re import _compiler

    from pipelines.loading import long_patterns_kept

    # An invented pattern shaped like a tokenizer's exceptions: many anchored alternatives,
    # ignoring case, with a class of accented letters.
    pattern = "(?iu)" + "|".join(f"(?:^w{n}[-][a-zéèêàç]+$)" for n in range(200))
    words = ["W17-crème", "w199-ÉTÉ", "w3-", "x5-abc", "w42-abc\n", "w7-aç-b"]
    expected = [bool(re.compile(pattern).match(word)) for word in words]
    re.purge()
    with long_patterns_kept(tmp_path, min_length=100):
        written = re.compile(pattern)
    assert len(list(tmp_path.glob("pattern-*.pickle"))) == 1
    re.purge()
    # Read back: the compiler never runs, and the pattern is the same.
    monkeypatch.setattr(_compiler, "_code", lambda *a: (_ for _ in ()).throw(AssertionError))
    with long_patterns_kept(tmp_path, min_length=100):
        read = re.compile(pattern)
    assert (read.pattern, read.flags, read.groups) == (written.pattern, written.flags,
                                                       written.groups)
    assert [bool(read.match(word)) for word in words] == expected
    re.purge()


def test_articles_to_extract_come_rarest_language_first_each_language_together(tmp_path):
    from pipelines.extract import cache

    conn = duckdb.connect(str(tmp_path / "p.duckdb"))
    conn.execute("CREATE SCHEMA cache")
    cache.ensure_cache_tables(conn)
    conn.execute("CREATE TABLE main.articles AS SELECT *, NULL AS title, NULL::DATE AS "
                 "published_date, 'unknown' AS published_precision FROM (VALUES ('a1', 'en'), "
                 "('a2', 'fr'), ('a3', 'en'), ('a4', 'ht'), ('a5', 'fr'), ('a6', 'en'), "
                 "('a7', NULL), ('a8', 'en')) AS t(article_id, language)")
    conn.execute("INSERT INTO cache.extracted BY NAME SELECT article_id, language, title, "
                 "published_date, published_precision, now() AS extracted_at, "
                 "CASE article_id WHEN 'a8' THEN 'v1' ELSE 'v0' END AS extractor_version "
                 "FROM main.articles WHERE article_id IN ('a8', 'a6')")
    assert cache.articles_to_extract(conn, "v1") == ["a4", "a7", "a2", "a5", "a1", "a3", "a6"]


def test_storing_a_batch_replaces_what_its_articles_had_and_keeps_the_others(tmp_path):
    from pipelines.extract import cache

    conn = duckdb.connect(str(tmp_path / "p.duckdb"))
    conn.execute("CREATE SCHEMA cache")
    cache.ensure_cache_tables(conn)

    def batch(*ids: str) -> list[dict]:
        return [{"article_id": i, "title": f"title {i}", "language": "en"} for i in ids]

    def sentences(*pairs: tuple[str, str]) -> dict[str, pl.DataFrame]:
        return {"sentences": pl.DataFrame(
            [{"article_id": a, "sentence_index": i, "char_start": 0, "char_end": len(t), "text": t}
             for i, (a, t) in enumerate(pairs)], schema=cache.CACHE_SCHEMAS["sentences"])}

    def cached() -> list[tuple]:
        return conn.execute("SELECT article_id, text FROM cache.sentences ORDER BY ALL").fetchall()

    cache.store(conn, "v1", sentences(("a1", "old one"), ("a1", "old two")), batch("a1"))
    cache.store(conn, "v1", sentences(("a2", "new")), batch("a2"))  # nothing of it cached yet
    assert cached() == [("a1", "old one"), ("a1", "old two"), ("a2", "new")]
    cache.store(conn, "v2", sentences(("a1", "again"), ("a3", "fresh")), batch("a1", "a3"))
    assert cached() == [("a1", "again"), ("a2", "new"), ("a3", "fresh")]
    assert conn.execute("SELECT article_id, extractor_version FROM cache.extracted "
                        "ORDER BY ALL").fetchall() == [("a1", "v2"), ("a2", "v1"), ("a3", "v2")]


def test_synthetic_corpus_is_deterministic(tmp_path):
    first = write_corpus(tmp_path / "a", 30, files=3)
    second = write_corpus(tmp_path / "b", 30, files=3)
    assert [p.name for p in first] == ["day-01.jsonl", "day-02.jsonl", "day-03.jsonl"]
    assert [p.read_text() for p in first] == [p.read_text() for p in second]
    records = [json.loads(line) for p in first for line in p.read_text().splitlines()]
    assert len(records) == 30 and len({r["text"] for r in records}) == 30
    assert 120 <= sum(len(r["text"].split()) for r in records) / 30 <= 260



def test_synthetic_sources_are_a_fixed_list_without_the_held_out_sets():
    # a set added to seeds/eval must not change the benchmark's corpus, and the sets nobody
    # reads are not read to make it either
    from pipelines.evaluation.__main__ import HELD_OUT_SETS
    from pipelines.synthetic import SOURCE_SETS, SOURCES
    assert not set(HELD_OUT_SETS) & set(SOURCE_SETS)
    assert all(folder.is_dir() for folder in SOURCES)

@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("corpus")
    write_corpus(folder, 12, files=3)
    return folder


@pytest.fixture(scope="module")
def records(corpus):
    from datetime import datetime

    from pipelines.extract.batch import records_of
    from pipelines.ingest.readers import read_articles

    return records_of(read_articles(corpus, datetime(2025, 8, 1)).articles)


def _sorted(columns) -> dict[str, list]:
    from pipelines.extract.batch import to_frames

    return {name: sorted(frame.rows(), key=repr) for name, frame in to_frames(columns).items()}


@pytest.mark.slow
def test_worker_processes_give_the_rows_of_the_in_process_path(records):
    from pipelines.extract.pool import extract_batches
    from pipelines.settings import nlp_models

    batches = [records[i:i + 4] for i in range(0, len(records), 4)]
    alone = list(extract_batches(batches, nlp_models(), REFERENCE, workers=1))
    pooled = list(extract_batches(batches, nlp_models(), REFERENCE, workers=2))
    assert sorted(len(b) for b, _ in pooled) == [4, 4, 4]

    def merged(results):
        total = {}
        for _, columns in results:
            for name, rows in _sorted(columns).items():
                total.setdefault(name, []).extend(rows)
        return {name: sorted(rows, key=repr) for name, rows in total.items()}

    assert merged(pooled) == merged(alone)
    assert merged(alone)["sentences"]


@pytest.mark.slow
def test_the_runs_own_process_loads_no_model_and_keeps_nothing_of_extraction():
    """A run's process hands extraction to a lead process that loads the models and exits
    when extraction ends, so the stages after it run beside none of that memory."""
    import subprocess
    import sys

    script = (
        "from pipelines.extract import pool\n"
        "from pipelines.extract.nlp import load_model\n"
        "from pipelines.extract.reference import load_gazetteer\n"
        "from pipelines.settings import nlp_models, reference_dir\n"
        "records = [dict(pool.WARM_UP, article_id=f'a{i}') for i in range(6)]\n"
        "out = list(pool.extract_batches([records[:3], records[3:]], nlp_models(),\n"
        "                                reference_dir(), workers=2))\n"
        "import multiprocessing\n"
        "print(sorted(len(b) for b, _ in out), out[0][1]['incidents']['sub_event_type'][0],\n"
        "      load_model.cache_info().currsize, load_gazetteer.cache_info().currsize,\n"
        "      len(multiprocessing.active_children()))\n")
    done = subprocess.run([sys.executable, "-c", script], cwd=PROJECT_ROOT, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["[3,", "3]", "Attack", "0", "0", "0"]


@pytest.mark.slow
def test_an_error_in_a_worker_stops_extraction_with_the_workers_traceback(monkeypatch):
    from pipelines.extract import pool
    from pipelines.settings import nlp_models

    extract = pool._extract

    def unreadable(batch):
        if batch[0]["article_id"] == "a2":
            raise ValueError("cannot read a2")
        return extract(batch)

    monkeypatch.setattr(pool, "_extract", unreadable)  # the lead and workers fork with it
    monkeypatch.setattr(pool, "_keep_loaded", False)  # through a lead, as a run's process
    records = [dict(pool.WARM_UP, article_id=f"a{i}") for i in range(4)]
    with pytest.raises(RuntimeError, match=r"(?s)extraction failed.*ValueError: cannot read a2"):
        list(pool.extract_batches([records[:2], records[2:]], nlp_models(), REFERENCE,
                                  workers=2))


@pytest.mark.slow
def test_a_lead_process_that_dies_stops_extraction_instead_of_hanging(monkeypatch):
    import os

    from pipelines.extract import pool
    from pipelines.settings import nlp_models

    monkeypatch.setattr(pool, "_load", lambda *_: os._exit(9))  # dies as it starts
    monkeypatch.setattr(pool, "_keep_loaded", False)
    monkeypatch.setattr(pool, "LEAD_CHECK_SECONDS", 0.2)
    records = [dict(pool.WARM_UP, article_id=f"a{i}") for i in range(4)]
    with pytest.raises(RuntimeError, match="exit code 9"):
        list(pool.extract_batches([records[:2], records[2:]], nlp_models(), REFERENCE,
                                  workers=2))


@pytest.mark.slow
def test_what_the_rules_build_on_a_first_article_is_built_before_the_fork():
    """The parent reads an invented report before forking (the workers share what that
    built): it is read as an attack, and the paragraph language identifier is loaded."""
    from pipelines.extract import pool
    from pipelines.ingest.language import _identifier
    from pipelines.settings import nlp_models

    try:
        pool._start_worker(nlp_models(), str(REFERENCE))
        _identifier.cache_clear()
        pool._warm_up()
        assert _identifier.cache_info().currsize == 1
        assert pool._extract([pool.WARM_UP])["incidents"]["sub_event_type"] == ["Attack"]
    finally:
        pool._worker.clear()


@pytest.mark.slow
def test_batches_are_stored_as_they_finish_with_a_progress_line_each(records, tmp_path):
    from pipelines.extract import cache
    from pipelines.extract.pool import extract_into_cache
    from pipelines.settings import duckdb_memory_limit, nlp_models

    conn = duckdb.connect(str(tmp_path / "p.duckdb"))
    conn.execute("CREATE SCHEMA cache")
    frame = pl.DataFrame(records)
    conn.register("a", frame.to_arrow())
    conn.execute("CREATE TABLE main.articles AS SELECT * FROM a")
    cache.ensure_cache_tables(conn)
    ids = cache.articles_to_extract(conn, "v1")
    assert [len(batch) for batch in cache.article_batches(conn, ids, 5)] == [5, 5, 2]

    lines: list[str] = []
    limit = "SELECT current_setting('memory_limit')"
    conn.execute(f"SET memory_limit = '{duckdb_memory_limit()}'")  # as `warehouse.connect` sets it
    run_limit, limits = conn.execute(limit).fetchall()[0][0], set()

    def log(line: str) -> None:
        lines.append(line)
        if line.startswith("extract:"):  # logged as each batch is written
            limits.add(conn.execute(limit).fetchall()[0][0])
        if line.startswith("extract: 10 of"):
            raise KeyboardInterrupt  # the run dies after its second batch

    with pytest.raises(KeyboardInterrupt):
        extract_into_cache(conn, ids, "v1", nlp_models(), REFERENCE, workers=1, batch_size=5,
                           log=log)
    assert lines[0] == "extracting 12 articles in 3 batches of up to 5 on 1 process"
    assert [line.split(" (")[0] for line in lines[1:]] == ["extract: 5 of 12 articles",
                                                            "extract: 10 of 12 articles"]
    # What finished is kept: the next run extracts only the last batch.
    assert len(cache.articles_to_extract(conn, "v1")) == 2
    # DuckDB's memory was held low while batches were written, and is the run's again after.
    [during] = limits
    assert during != run_limit and conn.execute(limit).fetchall()[0][0] == run_limit


@pytest.mark.slow
def test_partition_writes_parquet_that_the_nightly_run_imports(corpus, tmp_path, monkeypatch):
    from pipelines.build import build_warehouse
    from pipelines.build import resources as run_resources
    from pipelines.extract.partitions import extracted_partition, input_file_keys, input_files
    from pipelines.resources import ExtractStoreResource

    store = tmp_path / "store"
    monkeypatch.setenv("EXTRACT_STORE", str(store))
    keys = input_file_keys(corpus)
    assert keys == ["day-01.jsonl", "day-02.jsonl", "day-03.jsonl"]
    wanted = run_resources(corpus, tmp_path / "unused" / "w.duckdb")
    partition_resources = {name: wanted[name] for name in ("articles_folder", "nlp", "reference")}
    partition_resources["extract_store"] = ExtractStoreResource(url=str(store))
    with dg.instance_for_test() as instance:
        instance.add_dynamic_partitions(input_files.name, keys)
        for key in keys:
            result = dg.materialize([extracted_partition], partition_key=key, instance=instance,
                                    resources=partition_resources)
            assert result.success
    written = sorted(p.relative_to(store).as_posix().split("/", 1)[1] for p in store.rglob("*.*"))
    assert "day-01.jsonl/incidents.parquet" in written
    assert "day-03.jsonl/manifest.json" in written

    from_partitions = tmp_path / "partitioned" / "incidents.duckdb"
    result = build_warehouse(corpus, from_partitions)
    metadata = {e.event_specific_data.materialization.asset_key.to_user_string():
                e.event_specific_data.materialization.metadata
                for e in result.get_asset_materialization_events()}
    assert metadata["sentences"]["articles_imported_from_partitions"].value == 12
    assert metadata["sentences"]["articles_extracted"].value == 0

    monkeypatch.setenv("EXTRACT_STORE", str(tmp_path / "empty-store"))
    local = tmp_path / "local" / "incidents.duckdb"
    assert build_warehouse(corpus, local).success
    assert all(differing == 0 for *_, differing in differences(local, from_partitions))


@pytest.mark.slow
def test_nothing_new_changes_nothing_and_a_new_file_is_read_alone(corpus, tmp_path):
    import gc

    from pipelines.build import build_warehouse

    folder = tmp_path / "articles"
    shutil.copytree(corpus, folder)
    path = tmp_path / "w" / "incidents.duckdb"
    assert build_warehouse(folder, path).success

    def run() -> dict:
        result = build_warehouse(folder, path)
        return {e.event_specific_data.materialization.asset_key.to_user_string():
                {k: v.value for k, v in e.event_specific_data.materialization.metadata.items()
                 if k in ("unchanged", "files_read", "articles_extracted")}
                for e in result.get_asset_materialization_events()}

    noop = run()
    assert noop["articles"] == {"unchanged": True, "files_read": 0}
    assert all(m.get("unchanged", True) for m in noop.values())
    assert len(list((tmp_path / "w" / "snapshots" / "incidents").glob("*.duckdb"))) == 1

    write_corpus(tmp_path / "new", 3, files=1, seed=7)
    (tmp_path / "new" / "day-01.jsonl").rename(folder / "day-04.jsonl")
    more = run()
    # The run froze what it loaded (models, gazetteer, GE) and unfroze it at its end.
    assert gc.get_freeze_count() == 0
    assert more["articles"] == {"unchanged": False, "files_read": 1}
    assert more["sentences"]["articles_extracted"] == 3
    assert more["warehouse_snapshot"]["unchanged"] is False

    fresh = tmp_path / "fresh" / "incidents.duckdb"
    assert build_warehouse(folder, fresh).success
    # ACLED's event_id_cnty numbers events in the order runs first published them (stable
    # across runs, as ACLED's are), so a one-shot build may number the new ones differently.
    assert all(differing == 0 for *_, differing in
               differences(fresh, path, ignore=frozenset({"event_id_cnty"})))


def test_every_suite_read_once_by_its_check_is_validated_on_changed_rows():
    # A suite with one expectation the gate does not know as row-by-row or whole-table is
    # validated over every row on every run (the event suite's pair check once cost a
    # nightly run a second in Great Expectations, twice when an old row had a warning).
    import re

    from pipelines.quality.dagster_gate import _row_by_row, _whole_table
    from pipelines.quality.gates import load_suite_file
    from pipelines.settings import EXPECTATIONS_DIR, SQL_DIR

    for path in sorted(EXPECTATIONS_DIR.glob("*.json")):
        table = path.stem
        check = SQL_DIR / "checks" / f"{table}.sql"
        query = check.read_text() if check.exists() else f"SELECT * FROM staging.{table} AS t"
        if len(re.findall(rf"\bFROM staging\.{table} AS\b", query)) != 1:
            continue  # read otherwise (a full join): validated whole by design
        left = [e["type"] for e in load_suite_file(table)["expectations"]
                if not (_row_by_row(e) or _whole_table(e))]
        # About the whole column, with no SQL counterpart in the gate: validated whole.
        assert set(left) <= {"expect_column_distinct_values_to_equal_set"}, (table, left)


def test_a_later_run_validates_new_rows_and_the_whole_table_in_sql(tmp_path):
    from pipelines import warehouse as wh
    from pipelines.quality.dagster_gate import gate_and_publish
    from pipelines.quality.gates import load_suite_file

    sets = {e["kwargs"]["column"]: e["kwargs"]["value_set"]
            for e in load_suite_file("actors")["expectations"]
            if e["type"] == "expect_column_values_to_be_in_set"}
    kind, category = sets["actor_kind"][0], sets["category"][0]
    actors = pl.DataFrame({"actor_id": [f"act_{n}" for n in range(50)],
                           "name": [f"Group {n}" for n in range(50)],
                           "actor_kind": [kind] * 50, "category": [category] * 50,
                           "country_iso3": ["HTI"] * 50, "aliases": [[]] * 50})
    conn = wh.connect(tmp_path / "p.duckdb")

    def checks(frame):
        results = list(gate_and_publish(conn, {"actors": frame}))
        return [r for r in results if isinstance(r, dg.AssetCheckResult)][0]

    assert checks(actors).metadata["rows_validated"].value == 50
    grown = pl.concat([actors, actors.head(1).with_columns(actor_id=pl.lit("act_new"))])
    assert checks(grown).metadata["rows_validated"].value == 1  # only the new row
    # A new row that repeats a published id fails the whole-table uniqueness check.
    repeated = pl.concat([grown, actors.head(1).with_columns(name=pl.lit("Other name"))])
    with pytest.raises(dg.Failure, match="actors"):
        checks(repeated)
    # An exact copy of a published row is no new row to check alone, but the whole table
    # holds its id twice.
    with pytest.raises(dg.Failure, match="actors"):
        checks(pl.concat([grown, grown.head(1)]))
    # A new row with a null name fails its row check; main keeps the previous table.
    nameless = pl.concat([grown, actors.head(1).with_columns(actor_id=pl.lit("act_x"),
                                                             name=pl.lit(None, pl.String))])
    with pytest.raises(dg.Failure, match="actors"):
        checks(nameless)
    assert wh.row_count(conn, "main", "actors") == 51
