"""Measuring event fusion.

    python -m pipelines.evaluation.fusion [--set seeds/eval/fusion] [--threshold 4.0] [--verbose]
    python -m pipelines.evaluation.fusion --incremental ARTICLES [--share 0.01] [--out DIR]

Gold-like input (the first form, also printed by `make eval EVAL_ARGS="--only fusion"`):
fusion measured apart from extraction, on the fusion set's gold incidents. Each gold incident
of each article becomes one synthetic incident, as extraction would emit it if it were right:
the gold's type, date (its precision from the article's own reading: several acceptable days
make a week-precise date), fatalities, participants, the evidence quotes as summary, and the
place resolved through the gazetteer like extraction resolves it. The articles themselves are
read by ingest (outlet, publication date, body for wire copy). Fusion then runs on those
incidents, and pairwise precision and recall are counted over incidents of different articles,
as `devset.fusion_metrics` does on a built warehouse.

`merged_reports`: on a set where every report is its own event (ACLED's), the share of reports
fused with another (printed by `make eval EVAL_ARGS="--only acled"`).

`--incremental`: the nightly case. A warehouse is built from the articles without a share of
them (every 1/share-th file, or line of a .jsonl), then built again with them: every event id of
the first build must still name an event (or be retired into one when a new report bridged two).
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from collections import Counter
from collections.abc import Sequence
from datetime import date, datetime
from itertools import combinations
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

from pipelines.evaluation.scoring import Metric, Target
from pipelines.events.features import load_update_cues, prepare
from pipelines.events.fusion import THRESHOLD, Fused, fuse
from pipelines.events.wire import wire_groups
from pipelines.settings import PROJECT_ROOT, reference_dir

FUSION_SET = PROJECT_ROOT / "seeds" / "eval" / "fusion"
GENERIC_PREFIXES = ("civilians", "unidentified", "protesters", "rioters")
PLACE_KIND_ORDER = {"neighbourhood": 0, "locality": 0, "facility": 0, "road": 0, "city": 1,
                    "admin2": 2, "region": 3, "admin1": 3, "country": 4}


def _resolve_place(gazetteer, name: str, iso3: str, admin1: str | None):
    """The gazetteer's place of that name in the country; a place it lacks is kept by name
    under its first-level division, as extraction keeps unknown villages."""
    from pipelines.extract.reference import admin1_key

    candidates = [e for surface in (name, name.replace("-", "").replace(" ", ""))
                  for e in gazetteer.lookup(surface) if e.entity_table == "places"]
    home = [e for e in candidates if e.country_iso3 == iso3]
    if home:
        return min(home, key=lambda e: (e.source != "reference", -(e.population or 0), e.key))
    parent = (gazetteer.by_key.get(admin1_key(iso3, admin1)) if admin1 else None) \
        or gazetteer.countries.get(iso3)
    if parent is None:
        return None
    return parent._replace(key=f"place:unknown:{iso3}:{name}", name=name, kind="locality",
                           latitude=None, longitude=None, geonames_id=None,
                           parent_key=parent.key, population=0, source="ner")


def _lineage(gazetteer, entry) -> list:
    chain, current = [], entry
    while current is not None and len(chain) < 9:
        chain.append(current)
        current = gazetteer.by_key.get(current.parent_key) if current.parent_key else None
    return chain


def _participant(gazetteer, name: str, role: str) -> dict[str, Any]:
    folded = name.lower()
    found = [e for e in gazetteer.lookup(name) if e.entity_table in ("actors", "institutions")]
    if found:
        entry = found[0]
        return {"id": entry.key, "role": role, "category": entry.category or "other",
                "named": True, "group": entry.entity_table == "actors" and entry.kind == "armed_group"}
    if folded.startswith(GENERIC_PREFIXES):
        category = {"civilians": "civilians", "protesters": "protesters",
                    "rioters": "rioters"}.get(folded.split()[0], "political_militia")
        return {"id": folded, "role": role, "category": category, "named": False, "group": False}
    if folded.startswith(("police forces", "military forces")):
        return {"id": folded, "role": role, "category": "state_forces", "named": True,
                "group": False}
    return {"id": folded, "role": role, "category": "political_militia", "named": True,
            "group": True}


def _date_reading(incident: dict[str, Any]) -> tuple[date, str]:
    accepted = sorted(incident.get("accept_dates") or [incident["event_date"]])
    days = [d for d in accepted if len(d) == 10]
    if len(accepted) == 1 and days:
        return date.fromisoformat(days[0]), "day"
    if len(days) == 2:  # "overnight", "la nuit de dimanche à lundi": one of the two days
        return date.fromisoformat(days[0]), "day"
    if days:
        return date.fromisoformat(days[0]), "week"
    return date.fromisoformat(accepted[0] + "-01"), "month"


def gold_incidents(set_dir: Path = FUSION_SET, reference: Path | None = None
                   ) -> tuple[pl.DataFrame, dict[str, str]]:
    """(incident features as `sql/events/incident_features.sql` returns them, incident_id ->
    gold event_key)."""
    from pipelines.extract.reference import load_gazetteer
    from pipelines.ingest.readers import read_articles

    reference = reference or reference_dir()
    gazetteer = load_gazetteer(reference)
    articles = read_articles(set_dir / "articles", now=datetime(2027, 1, 1)).articles
    by_file = {row["source_uri"]: row for row in articles.iter_rows(named=True)}
    rows, keys = [], {}
    for gold_path in sorted((set_dir / "gold").glob("*.json")):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        article = by_file[gold["file"]]
        for number, incident in enumerate(gold["incidents"]):
            incident_id = f"{gold['id']}#{number}"
            keys[incident_id] = incident["event_key"]
            iso3 = incident.get("country_iso3") or gold["country_iso3"]
            place = _resolve_place(gazetteer, incident["location"], iso3, incident.get("admin1"))
            lineage = _lineage(gazetteer, place) if place else []
            event_date, precision = _date_reading(incident)
            people = [_participant(gazetteer, n, role) for role in ("actor1", "actor2")
                      for n in incident.get(role) or []]
            located = next((p for p in lineage if p.latitude is not None), None)
            rows.append({
                "incident_id": incident_id, "article_id": article["article_id"],
                "outlet": article["outlet"], "url": article["url"],
                "source_uri": article["source_uri"], "external_id": article["external_id"],
                "title": article["title"], "language": article["language"],
                "published_date": article["published_date"],
                "first_reported_at": datetime.combine(article["published_date"], datetime.min.time()),
                "event_date": event_date, "date_precision": precision, "date_source": "text",
                "event_type": incident["event_type"], "sub_event_type": incident["sub_event_type"],
                "place_id": place.key if place else None, "place_name": place.name if place else None,
                "place_kind": place.kind if place else None,
                "country_iso3": place.country_iso3 if place else iso3,
                "admin1": place.admin1 if place else None,
                "latitude": located.latitude if located else None,
                "longitude": located.longitude if located else None,
                "place_lineage_ids": [p.key for p in lineage],
                "place_lineage": [p.name for p in lineage],
                "place_lineage_kinds": [p.kind for p in lineage],
                "geo_precision": 1 if place and PLACE_KIND_ORDER.get(place.kind, 1) <= 1 else 2,
                "fatalities": incident.get("fatalities"), "injuries": None, "confidence": 0.8,
                "summary": " ".join(incident.get("evidence") or []),
                "char_start": 0, "char_end": 1,
                "named_participants": sorted({p["id"] for p in people if p["named"]}),
                "named_groups": sorted({p["id"] for p in people if p["group"]}),
                "actor1_categories": sorted({p["category"] for p in people if p["role"] == "actor1"}),
                "actor2_categories": sorted({p["category"] for p in people if p["role"] == "actor2"}),
                "span_entities": [],
            })
    frame = pl.DataFrame(rows, infer_schema_length=None)
    groups = wire_groups(articles.select(
        "article_id", "body", first_reported_at=pl.col("published_date").cast(pl.Datetime("us"))))
    return frame.join(groups, on="article_id", how="left"), keys


def pair_metrics(incidents: pl.DataFrame, membership: pl.DataFrame, keys: dict[str, str]
                 ) -> dict[str, Any]:
    """Pairwise precision and recall over incidents of different articles."""
    cluster_of = dict(membership.select("incident_id", "cluster").iter_rows())
    article_of = dict(incidents.select("incident_id", "article_id").iter_rows())
    true_positive = predicted = gold = 0
    false_pairs, missed_pairs = [], []
    for a, b in combinations(sorted(keys), 2):
        if article_of[a] == article_of[b]:
            continue
        same_gold = keys[a] == keys[b]
        same_predicted = cluster_of[a] == cluster_of[b]
        gold += same_gold
        predicted += same_predicted
        true_positive += same_gold and same_predicted
        if same_predicted and not same_gold:
            false_pairs.append((a, b))
        elif same_gold and not same_predicted:
            missed_pairs.append((a, b))
    return {"precision": true_positive / predicted if predicted else None,
            "recall": true_positive / gold if gold else None,
            "true_positive": true_positive, "predicted_pairs": predicted, "gold_pairs": gold,
            "false_pairs": false_pairs, "missed_pairs": missed_pairs}


def event_figures(fused: Fused, keys: dict[str, str], set_dir: Path = FUSION_SET
                  ) -> dict[str, Any]:
    """Of the gold events, how many came out as exactly one event with ACLED's fatalities."""
    gold_events = {e["event_key"]: e for e in
                   json.loads((set_dir / "events.json").read_text(encoding="utf-8"))}
    clusters = Counter()
    by_key: dict[str, set[str]] = {}
    for incident_id, cluster in fused.membership.select("incident_id", "cluster").iter_rows():
        by_key.setdefault(keys[incident_id], set()).add(cluster)
        clusters[cluster] += 1
    events = {row["cluster"]: row for row in fused.events.iter_rows(named=True)}
    whole, fatalities_right, wrong = 0, 0, []
    for key, found in by_key.items():
        if len(found) != 1:
            continue
        whole += 1
        event = events[next(iter(found))]
        if (event["fatalities"] or 0) == (gold_events[key]["fatalities"] or 0):
            fatalities_right += 1
        else:
            wrong.append((key, event["fatalities"], gold_events[key]["fatalities"],
                          event["fatalities_min"], event["fatalities_max"]))
    return {"gold_events": len(gold_events), "events": fused.events.height,
            "gold_events_in_one_event": whole, "fatalities_right": fatalities_right,
            "fatalities_wrong": wrong}


def run(set_dir: Path = FUSION_SET, threshold: float = THRESHOLD) -> dict[str, Any]:
    incidents, keys = gold_incidents(set_dir)
    features = prepare(incidents, load_update_cues(reference_dir()))
    fused = fuse(features, threshold)
    return {"pairs": pair_metrics(features, fused.membership, keys),
            "events": event_figures(fused, keys, set_dir), "fused": fused, "features": features,
            "keys": keys}


MERGED_TARGET = Target("<=", 0.03)


def merged_reports(conn: duckdb.DuckDBPyConnection, reports: int) -> Metric:
    """Reports whose incidents share an event with another report's incidents, out of
    `reports` (each article is one report; reports with the same text are one article)."""
    merged = conn.execute("""
        WITH shared AS (
            SELECT event_id FROM main.event_incidents
            GROUP BY event_id HAVING count(DISTINCT article_id) > 1
        )
        SELECT count(DISTINCT ei.article_id) FROM main.event_incidents AS ei
        JOIN shared USING (event_id)
    """).fetchone()[0]
    return Metric("reports_merged", merged, reports, MERGED_TARGET,
                  "reports fused with another report (every report is its own event)")


def _units(source: Path) -> list[tuple[str, str]]:
    """(name, text) of each article unit: every file of a folder, or every line of a .jsonl."""
    if source.is_file():
        lines = [line for line in source.read_text(encoding="utf-8").splitlines() if line.strip()]
        return [(f"{source.stem}-{i:06d}", line) for i, line in enumerate(lines)]
    return [(str(p.relative_to(source)), p.read_text(encoding="utf-8"))
            for p in sorted(source.rglob("*")) if p.is_file() and not p.name.startswith(".")]


def _write(units: list[tuple[str, str]], folder: Path, jsonl: bool, name: str) -> None:
    if jsonl:
        with (folder / f"{name}.jsonl").open("w", encoding="utf-8") as out:
            out.writelines(text + "\n" for _, text in units)
        return
    for unit, text in units:
        (folder / unit).parent.mkdir(parents=True, exist_ok=True)
        (folder / unit).write_text(text, encoding="utf-8")


def incremental(source: Path, out: Path, share: float = 0.01) -> dict[str, Any]:
    """Build without every 1/share-th article, then with them; compare the event ids."""
    from pipelines.build import build_warehouse

    units = _units(source)
    step = max(1, round(1 / share))
    held = set(range(step // 2, len(units), step))
    base = [u for i, u in enumerate(units) if i not in held]
    new = [u for i, u in enumerate(units) if i in held]
    folder, warehouse = out / "input", out / "warehouse.duckdb"
    for path in (folder, warehouse, out / "fetched"):
        if path.is_dir():
            shutil.rmtree(path)
        elif path.exists():
            path.unlink()
    folder.mkdir(parents=True)
    jsonl = source.is_file()
    _write(base, folder, jsonl, "base")
    build_warehouse(folder, warehouse)
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        before = dict(conn.execute("SELECT event_id, n_sources FROM main.events").fetchall())
    _write(new, folder, jsonl, "new")
    build_warehouse(folder, warehouse)
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        after = dict(conn.execute("SELECT event_id, n_sources FROM main.events").fetchall())
        retired = dict(conn.execute(
            "SELECT retired_event_id, event_id FROM main.event_id_history").fetchall())
    kept = [e for e in before if e in after]
    return {"articles_before": len(base), "articles_added": len(new),
            "events_before": len(before), "events_after": len(after),
            "ids_kept": len(kept), "ids_retired_into_another": sum(e in retired for e in before),
            "ids_lost": [e for e in before if e not in after and e not in retired],
            "events_gaining_reports": sum(after[e] > before[e] for e in kept),
            "new_events": sum(e not in before for e in after)}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipelines.evaluation.fusion")
    parser.add_argument("--set", type=Path, default=FUSION_SET)
    parser.add_argument("--threshold", type=float, default=THRESHOLD)
    parser.add_argument("--verbose", action="store_true", help="list wrong and missed pairs")
    parser.add_argument("--incremental", type=Path, metavar="ARTICLES",
                        help="folder or .jsonl of articles: build without a share, then with it")
    parser.add_argument("--share", type=float, default=0.01)
    parser.add_argument("--out", type=Path, default=PROJECT_ROOT / "warehouse" / "eval" / "incremental")
    args = parser.parse_args(argv)
    if args.incremental:
        result = incremental(args.incremental.resolve(), args.out.resolve(), args.share)
        print(json.dumps(result, indent=2))
        return 0 if not result["ids_lost"] else 1
    result = run(args.set, args.threshold)
    pairs, events = result["pairs"], result["events"]
    print(f"pairwise precision {pairs['precision']:.3f} ({pairs['true_positive']}/"
          f"{pairs['predicted_pairs']}), recall {pairs['recall']:.3f} ({pairs['true_positive']}/"
          f"{pairs['gold_pairs']})")
    print(f"events {events['events']} for {events['gold_events']} gold events; "
          f"{events['gold_events_in_one_event']} gold events fused whole, fatalities right for "
          f"{events['fatalities_right']} of them")
    if args.verbose:
        scored = result["fused"].pairs
        for label, listed in (("WRONG", pairs["false_pairs"]), ("MISSED", pairs["missed_pairs"])):
            for a, b in listed:
                row = scored.filter((pl.col("incident_id_l") == min(a, b))
                                    & (pl.col("incident_id_r") == max(a, b)))
                detail = row.drop("incident_id_l", "incident_id_r").to_dicts() if row.height \
                    else "not a candidate pair"
                print(f"{label} {a} ~ {b}: {detail}")
        for item in events["fatalities_wrong"]:
            print("FATALITIES", item)
    return 0


if __name__ == "__main__":
    sys.exit(main())
