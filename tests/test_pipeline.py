"""The whole graph, materialized with dg.materialize into a temporary warehouse."""

from datetime import date

import duckdb
import pytest

from pipelines.contract import TABLES

pytestmark = pytest.mark.slow


def query(path, sql, *params):
    with duckdb.connect(str(path), read_only=True) as conn:
        return conn.execute(sql, list(params)).fetchall()


def test_every_contract_table_is_published_with_its_columns(built_warehouse):
    for table, columns in TABLES.items():
        found = [r[0] for r in query(
            built_warehouse,
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_schema = 'main' AND table_name = ? ORDER BY ordinal_position", table)]
        assert found == list(columns), table
    from pipelines.marts.export import ACLED_COLUMNS

    def view_columns(name):
        return [r[0] for r in query(
            built_warehouse, "SELECT column_name FROM information_schema.columns "
            "WHERE table_name = ? ORDER BY ordinal_position", name)]

    events = view_columns("acled_events")
    assert events[:len(ACLED_COLUMNS)] == ACLED_COLUMNS
    assert events[len(ACLED_COLUMNS):len(ACLED_COLUMNS) + 2] == ["event_id", "n_sources"]
    # Every column the view had before fusion is still there (migration note in the README).
    before = view_columns("acled_incidents")
    assert before[:6] == ["event_id", "event_date", "time_precision", "event_type",
                          "sub_event_type", "actor1"]
    assert set(before) - {"incident_id"} <= set(events)


def test_every_incident_is_in_exactly_one_event(built_warehouse):
    assert query(built_warehouse, """
        SELECT count(*) FROM incidents AS i
        WHERE (SELECT count(*) FROM event_incidents AS e WHERE e.incident_id = i.incident_id) <> 1
    """)[0][0] == 0
    events, rows = query(built_warehouse,
                         "SELECT (SELECT count(*) FROM events), (SELECT count(*) FROM acled_events)")[0]
    assert events == rows > 0
    assert not query(built_warehouse, """
        SELECT e.event_id FROM events AS e JOIN event_incidents USING (event_id)
        GROUP BY e.event_id, e.n_sources HAVING count(DISTINCT article_id) <> e.n_sources""")


def test_seed_article_yields_the_delmas_armed_clash(built_warehouse):
    rows = query(
        built_warehouse,
        "SELECT actor1, actor2, admin1, iso3, latitude, longitude, event_date "
        "FROM acled_events WHERE event_type = 'Battles' AND sub_event_type = 'Armed clash' "
        "AND location IN ('Delmas', 'Delmas 2')")  # "targeting Delmas two and six"
    assert rows, "no armed clash in Delmas"
    actor1, actor2, admin1, iso3, latitude, longitude, event_date = rows[0]
    assert admin1 == "Ouest" and iso3 == "HTI"
    assert abs(latitude - 18.54) < 0.1 and abs(longitude + 72.30) < 0.1
    assert "Multinational Security Support" in actor1 and "Haitian National Police" in actor1
    assert "Cherizier" in actor2
    assert (event_date.year, event_date.month) == (2024, 11)


def test_seed_institutions_have_full_names(built_warehouse):
    names = {r[0]: r[1] for r in query(built_warehouse,
                                       "SELECT acronym, name FROM institutions")}
    assert names["MSS"].startswith("Multinational Security Support")
    assert names["HNP"] == "Haitian National Police"
    assert names["OAS"] == "Organization of American States"
    assert names["IDB"] == "Inter-American Development Bank"


def test_places_are_never_null_island_and_carrefour_paye_is_not_carrefour(built_warehouse):
    assert not query(built_warehouse,
                     "SELECT * FROM places WHERE latitude = 0 AND longitude = 0")
    carrefour = query(built_warehouse,
                      "SELECT admin1 FROM places WHERE name ILIKE 'Carrefour%Pay%'")
    assert carrefour and carrefour[0][0] == "Artibonite"
    assert not query(built_warehouse, "SELECT name FROM actors WHERE name IN ('Delmas', 'Gonaives')")


def test_every_foreign_key_resolves(built_warehouse):
    orphans = query(built_warehouse, """
        SELECT 'incident place', count(*) FROM incidents
          WHERE place_id IS NOT NULL AND place_id NOT IN (SELECT place_id FROM places)
        UNION ALL SELECT 'incident article', count(*) FROM incidents
          WHERE article_id NOT IN (SELECT article_id FROM articles)
        UNION ALL SELECT 'actor bridge', count(*) FROM incident_actors
          WHERE actor_id NOT IN (SELECT actor_id FROM actors)
        UNION ALL SELECT 'place parent', count(*) FROM places
          WHERE parent_place_id IS NOT NULL
            AND parent_place_id NOT IN (SELECT place_id FROM places)""")
    assert all(count == 0 for _, count in orphans), orphans


def test_a_second_run_is_incremental_and_idempotent(built_warehouse, seed_articles):
    from pipelines.build import build_warehouse

    tables = ["articles", "sentences", "mentions", "incidents", "actors", "places"]
    before = {t: query(built_warehouse, f"SELECT count(*) FROM {t}")[0][0] for t in tables}
    result = build_warehouse(seed_articles, built_warehouse)
    after = {t: query(built_warehouse, f"SELECT count(*) FROM {t}")[0][0] for t in tables}
    assert after == before
    sentences = result.asset_materializations_for_node("extract_sentences")[0]
    assert sentences.metadata["articles_extracted"].value == 0


FOLLOW_UP = """---
title: "Toll from Solino clash rises to five after officer dies"
date: 2024-10-17
outlet: Haiti Standard
url: https://www.example-haiti-standard.ht/2024/10/17/solino-toll-rises/
---
PORT-AU-PRINCE, Haiti — The death toll from the clash between Haitian National Police officers \
and Viv Ansanm gang members in the Solino neighbourhood of Port-au-Prince on October 15 rose to \
five after a wounded police officer died in hospital, police said on Thursday.
"""
NEW_EVENT = """---
title: "Traders protest border closure"
date: 2024-11-05
outlet: Haiti Standard
---
OUANAMINTHE, Haiti — Hundreds of traders marched peacefully through Ouanaminthe on Monday to \
protest the closure of the border market, local officials said.
"""


def test_a_nightly_run_with_new_articles_keeps_every_event_id(built_warehouse, seed_articles,
                                                              tmp_path):
    """New reports join existing events or start new ones; no existing event is renumbered."""
    import shutil

    from pipelines.build import build_warehouse

    # Only the published file, without the pipeline's private state: the run starts from it.
    warehouse = tmp_path / "incidents.duckdb"
    shutil.copy(built_warehouse, warehouse)
    articles = tmp_path / "articles"
    shutil.copytree(seed_articles, articles)
    solino = """SELECT e.event_id, e.event_id_cnty, e.n_sources FROM events AS e
                JOIN event_incidents USING (event_id) JOIN articles AS a USING (article_id)
                JOIN incidents AS i USING (incident_id) JOIN places AS p ON p.place_id = i.place_id
                WHERE a.source_uri = ? AND p.name = 'Solino'"""
    before = dict(query(warehouse, "SELECT event_id, event_id_cnty FROM events"))
    (solino_id, solino_code, solino_sources), = query(warehouse, solino, "haiti-solino-clash.html")

    (articles / "solino-toll-rises.md").write_text(FOLLOW_UP, encoding="utf-8")
    (articles / "ouanaminthe-protest.md").write_text(NEW_EVENT, encoding="utf-8")
    assert build_warehouse(articles, warehouse).success

    after = dict(query(warehouse, "SELECT event_id, event_id_cnty FROM events"))
    retired = dict(query(warehouse, "SELECT retired_event_id, event_id FROM event_id_history"))
    changed = {e: (c, after.get(e), retired.get(e)) for e, c in before.items()
               if not (after.get(e) == c or retired.get(e) in after)}
    assert not changed
    assert not retired and len(after) > len(before)
    # The follow-up joined the Solino clash: same id and ACLED id, one more source.
    assert query(warehouse, solino, "solino-toll-rises.md") == \
        [(solino_id, solino_code, solino_sources + 1)]


def test_a_corrected_publication_date_extracts_the_article_again(built_warehouse, seed_articles,
                                                                 tmp_path):
    """The extraction cache is keyed by the body's hash; the date an article was published
    is read too ('on Monday'), so a feed that corrects it makes the article extracted again."""
    import shutil

    from pipelines.build import build_warehouse
    from pipelines.settings import pipeline_db

    warehouse = tmp_path / "incidents.duckdb"
    shutil.copy(built_warehouse, warehouse)
    pipeline_db(warehouse).parent.mkdir(parents=True)
    shutil.copy(pipeline_db(built_warehouse), pipeline_db(warehouse))
    articles = tmp_path / "articles"
    shutil.copytree(seed_articles, articles)
    protest = """SELECT i.event_date FROM incidents AS i JOIN articles AS a USING (article_id)
                 WHERE a.source_uri = 'ouanaminthe-protest.md'"""

    (articles / "ouanaminthe-protest.md").write_text(NEW_EVENT, encoding="utf-8")
    assert build_warehouse(articles, warehouse).success
    assert query(warehouse, protest) == [(date(2024, 11, 4),)]  # the Monday before Tuesday 5th

    corrected = NEW_EVENT.replace("date: 2024-11-05", "date: 2024-12-10")
    (articles / "ouanaminthe-protest.md").write_text(corrected, encoding="utf-8")
    result = build_warehouse(articles, warehouse)
    sentences = result.asset_materializations_for_node("extract_sentences")[0]
    assert sentences.metadata["articles_extracted"].value == 1
    assert query(warehouse, protest) == [(date(2024, 12, 9),)]
