"""Text output of the evaluation: the printed metrics tables and the `misses.md` files.

Plain functions from scores to strings; the command line writes them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pipelines.evaluation.pages import PageScore
from pipelines.evaluation.scoring import (
    ACLED_CHECKS,
    METRIC_DESCRIPTIONS,
    AcledScore,
    Metric,
    ReportScore,
    SeedItem,
    SeedScore,
    coarse_class,
    gold_actor_category,
    haversine_km,
)

BODY_PREVIEW_CHARS = 600


# --------------------------------------------------------------------------------------------
# Tables
# --------------------------------------------------------------------------------------------


def format_table(
    header: Sequence[str], rows: Sequence[Sequence[Any]], right: Sequence[int] = ()
) -> str:
    """Fixed-width text table; columns whose index is in `right` are right-aligned."""
    cells = [[str(c) for c in header], *[[_cell(c) for c in row] for row in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]

    def line(row: Sequence[str]) -> str:
        parts = [
            cell.rjust(width) if i in right else cell.ljust(width)
            for i, (cell, width) in enumerate(zip(row, widths, strict=True))
        ]
        return "  ".join(parts).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(cells[0]), rule, *(line(row) for row in cells[1:])])


def _cell(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


def _status(metric: Metric) -> str:
    return {True: "PASS", False: "FAIL", None: ""}[metric.passed]


def metrics_table(metrics: Sequence[Metric]) -> str:
    """Metric, value, numerator/denominator, target and PASS/FAIL."""
    rows = [
        (
            m.name,
            m.value,
            f"{m.numerator:g}/{m.denominator}",
            "" if m.target is None else str(m.target),
            _status(m),
        )
        for m in metrics
    ]
    return format_table(("metric", "value", "n/d", "target", "result"), rows, right=(1, 2))


def acled_summary(score: AcledScore, seconds: Mapping[str, float]) -> str:
    """The ACLED block printed to stdout."""
    stats = score.stats
    lines = [
        metrics_table(score.metrics),
        "",
        f"reports processed:            {stats['reports']}",
        f"reports with >= 1 incident:   {stats['reports_with_incident']} "
        f"({_cell(stats['share_with_incident'])})",
        f"predicted incidents:          {stats['predicted_incidents']}",
        f"reports sharing an article:   {stats['reports_sharing_an_article']}",
        "time: " + ", ".join(f"{k} {v:.1f}s" for k, v in seconds.items()),
    ]
    return "\n".join(lines)


def seed_summary(score: SeedScore, seconds: Mapping[str, float]) -> str:
    """The seed block printed to stdout: one line per gold item, then the metrics."""
    rows = []
    for item in score.items:
        if item.kind == "must_not":
            status = "ERROR: present" if item.found else "ok: absent"
        else:
            status = "found" if item.found else "NOT FOUND"
        rows.append((item.kind, item.label, "required" if item.required else "optional",
                     status, item.detail))
    lines = [
        format_table(("kind", "gold item", "need", "status", "detail"), rows),
        "",
        metrics_table(score.metrics),
        "",
        f"seed overall: {'PASS' if score.passed else 'FAIL'}",
        "time: " + ", ".join(f"{k} {v:.1f}s" for k, v in seconds.items()),
    ]
    return "\n".join(lines)


# --------------------------------------------------------------------------------------------
# ACLED misses.md
# --------------------------------------------------------------------------------------------


def _md(value: Any) -> str:
    """A value for a Markdown table cell."""
    if value is None or value == "":
        return "–"
    if isinstance(value, float):
        value = f"{value:.4f}".rstrip("0").rstrip(".")
    if isinstance(value, list | tuple):
        if not value:
            return "–"
        value = "; ".join(str(v) for v in value)
    return str(value).replace("|", "\\|").replace("\n", " ")


def _quote(text: str | None) -> str:
    if not text:
        return "> (no evidence text)"
    return "\n".join("> " + line for line in text.strip().splitlines() if line.strip())


def _fatalities(value: int | None) -> str:
    return "NULL (not reported)" if value is None else str(value)


def _participants(report: ReportScore, role: str | None = None) -> str:
    chosen = [p for p in report.participants if role is None or p.get("role") == role]
    return "; ".join(f"{p['name']} [{p.get('category') or '?'}]" for p in chosen) or "–"


def _fields(metric: str, report: ReportScore) -> list[tuple[str, Any, Any]]:
    """(field, gold, extracted) rows shown for a miss of `metric`."""
    g, p = report.gold, report.predicted or {}
    if metric in {"event_type", "sub_event_type"}:
        return [
            ("event_type", g["event_type"], p.get("event_type")),
            ("sub_event_type", g["sub_event_type"], p.get("sub_event_type")),
            ("actor1", g.get("actor1"), _participants(report, "actor1")),
            ("actor2", g.get("actor2"), _participants(report, "actor2")),
            ("fatalities", g.get("fatalities"), _fatalities(p.get("fatalities"))),
        ]
    if metric == "date":
        return [
            ("event_date", g["event_date"], p.get("event_date")),
            ("precision", "day", p.get("date_precision")),
        ]
    if metric in {"loc25", "loc5", "admin1"}:
        distance = haversine_km(p.get("latitude"), p.get("longitude"),
                                g.get("latitude"), g.get("longitude"))
        return [
            ("location", g.get("location"), p.get("location")),
            ("admin1", g.get("admin1"), p.get("admin1")),
            ("admin2", g.get("admin2"), p.get("admin2")),
            ("lat, lon", f"{g.get('latitude')}, {g.get('longitude')}",
             f"{p.get('latitude')}, {p.get('longitude')}"),
            ("distance km", None, None if distance is None else round(distance, 1)),
        ]
    if metric in {"killed_or_not", "fatalities_exact"}:
        return [
            ("fatalities", g.get("fatalities"), _fatalities(p.get("fatalities"))),
            ("event", f"{g['event_type']} / {g['sub_event_type']}",
             f"{p.get('event_type')} / {p.get('sub_event_type')}"),
        ]
    if metric == "actor1_category":
        category = gold_actor_category(g.get("actor1"))
        return [
            ("actor1", g.get("actor1"), _participants(report, "actor1")),
            ("class", coarse_class(category),
             "; ".join(sorted({str(coarse_class(x.get("category")))
                               for x in report.participants if x.get("role") == "actor1"}))),
            ("actor2", g.get("actor2"), _participants(report, "actor2")),
        ]
    if metric == "named_groups":
        missed = [name for name, found in report.groups if not found]
        return [
            ("named group(s) missed", missed, None),
            ("participants", None, _participants(report)),
        ]
    raise ValueError(f"unknown metric {metric!r}")


def _miss_block(metric: str, report: ReportScore) -> str:
    rows = [f"| {_md(f)} | {_md(g)} | {_md(e)} |" for f, g, e in _fields(metric, report)]
    p = report.predicted or {}
    head = f"### {report.report_id}"
    if report.n_predictions > 1:
        head += f" ({report.n_predictions} incidents extracted; best match shown)"
    shared = report.gold.get("article_ref")
    if shared and shared != report.report_id:
        head += f" (same text as {shared}: scored on that article)"
    return "\n".join([
        head,
        "",
        "| field | gold | extracted |",
        "|---|---|---|",
        *rows,
        "",
        f"Evidence ({p.get('incident_id')}, chars {p.get('char_start')}–{p.get('char_end')}):",
        "",
        _quote(p.get("evidence")),
        "",
    ])


def _no_prediction_block(report: ReportScore, bodies: Mapping[str, str]) -> str:
    g = report.gold
    body = bodies.get(g.get("article_ref") or report.report_id)
    if body is None:
        text = "(article not in the warehouse: rejected at ingest?)"
    else:
        text = body if len(body) <= BODY_PREVIEW_CHARS else body[:BODY_PREVIEW_CHARS] + " …"
    return "\n".join([
        f"### {report.report_id}",
        "",
        f"Gold: {g['event_date']} · {g['event_type']} / {g['sub_event_type']} · "
        f"{g.get('location')} ({g.get('admin1')}) · actor1 {g.get('actor1')} · "
        f"actor2 {g.get('actor2')} · fatalities {g.get('fatalities')}",
        "",
        _quote(text),
        "",
    ])


def _anchor(title: str) -> str:
    return "".join(c for c in title.lower().replace(" ", "-") if c.isalnum() or c in "-_")


def acled_misses(score: AcledScore, bodies: Mapping[str, str], title: str = "acled") -> str:
    """misses.md for an ACLED run: reports without an incident, then misses grouped by metric."""
    missing = [r for r in score.reports if r.predicted is None]
    predicted = [r for r in score.reports if r.predicted is not None]
    sections: list[tuple[str, str, list[str]]] = [
        ("No incident extracted",
         f"{len(missing)} of {len(score.reports)} reports: every metric counts these as misses; "
         "they are listed only here. The article text is shown.",
         [_no_prediction_block(r, bodies) for r in missing]),
    ]
    for metric in (*ACLED_CHECKS, "named_groups"):
        if metric == "named_groups":
            misses = [r for r in predicted if any(not found for _, found in r.groups)]
        else:
            misses = [r for r in predicted if not r.checks[metric]]
        sections.append((
            metric,
            f"{METRIC_DESCRIPTIONS[metric]}: {len(misses)} miss(es) among the "
            f"{len(predicted)} reports with an extracted incident.",
            [_miss_block(metric, r) for r in misses],
        ))

    lines = [
        f"# Evaluation misses: {title}",
        "",
        "Every gold incident that was missed or mis-coded, grouped by metric: gold values beside "
        "the values of the best-matching extracted incident, and the evidence sentence(s) of "
        "that incident. Generated by `python -m pipelines.evaluation`; do not commit.",
        "",
    ]
    for name, _, blocks in sections:
        heading = f"{name} ({len(blocks)})"
        lines.append(f"- [{heading}](#{_anchor(heading)})")
    lines.append("")
    for name, intro, blocks in sections:
        lines.extend([f"## {name} ({len(blocks)})", "", intro, "", *blocks])
    return "\n".join(lines).rstrip() + "\n"


# --------------------------------------------------------------------------------------------
# Seed misses.md
# --------------------------------------------------------------------------------------------


def _gold_line(item: SeedItem) -> str:
    keys = ("event_type", "sub_event_type", "event_date", "accept_dates", "location", "admin1",
            "country_iso3", "latitude", "longitude", "actor1", "actor2", "fatalities", "name",
            "acronym", "aliases", "surface", "kind", "table", "why", "note")
    return " · ".join(f"{k}: {_md(item.gold[k])}" for k in keys if item.gold.get(k) is not None)


def _candidate_table(item: SeedItem) -> list[str]:
    if not item.candidates:
        return ["No close candidate in the warehouse.", ""]
    if item.kind == "incident":
        columns = ("incident_id", "event_type", "sub_event_type", "event_date", "date_precision",
                   "location", "distance_km", "actor1", "actor2", "fatalities")
    elif item.kind == "place" or item.gold.get("table") == "places":
        columns = ("place_id", "name", "place_kind", "country_iso3", "admin1", "latitude",
                   "longitude", "distance_km", "mention_texts")
    else:
        columns = tuple(k for k in ("name", "acronym", "aliases", "actor_kind",
                                    "institution_kind", "category")
                        if k in item.candidates[0])
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    for row in item.candidates:
        lines.append("| " + " | ".join(_md(row.get(c)) for c in columns) + " |")
    lines.append("")
    if item.kind == "incident":
        for row in item.candidates:
            evidence = _quote(row.get("evidence"))
            lines.extend([f"Evidence of {row['incident_id']}:", "", evidence, ""])
    return lines


def seed_misses(score: SeedScore, title: str = "seed") -> str:
    """misses.md for the seed: items not found, and must_not items that are present."""
    lines = [
        f"# Evaluation misses: {title}",
        "",
        "Gold items not found (required first) and `must_not` items present in the warehouse, "
        "with the closest extracted rows. Generated by `python -m pipelines.evaluation`.",
        "",
    ]
    kinds = ("incident", "place", "actor", "institution")
    for kind in kinds:
        missed = [i for i in score.items if i.kind == kind and not i.found]
        missed.sort(key=lambda i: not i.required)
        lines.extend([f"## {kind}s not found ({len(missed)})", ""])
        for item in missed:
            lines.extend([
                f"### {item.label} ({'required' if item.required else 'optional'})",
                "",
                f"Gold: {_gold_line(item)}",
                "",
                f"Result: {item.detail}",
                "",
                *_candidate_table(item),
            ])
    present = [i for i in score.items if i.kind == "must_not" and i.found]
    lines.extend([f"## must_not items present ({len(present)})", ""])
    for item in present:
        lines.extend([f"### {item.label}", "", f"Gold: {_gold_line(item)}", "",
                      *_candidate_table(item)])
    return "\n".join(lines).rstrip() + "\n"


# --------------------------------------------------------------------------------------------
# Saved pages: body extraction
# --------------------------------------------------------------------------------------------


def pages_summary(scores: Sequence[PageScore], metrics: Sequence[Metric],
                  compared: Mapping[str, Sequence[Metric]], seconds: Mapping[str, float]) -> str:
    """The pages block printed to stdout: per page, then the metrics, then other readers."""
    rows = [(s.page_id, s.shape, s.language, s.precision, s.recall, s.f1,
             s.gold_date or "-", s.predicted_date or "-", s.rejected or "")
            for s in scores]
    lines = [
        format_table(("page", "shape", "lang", "P", "R", "F1", "gold date", "date", "rejected"),
                     rows, right=(3, 4, 5)),
        "",
        metrics_table(metrics),
    ]
    if compared:
        lines += ["", format_table(
            ("reader", "body_f1", "body_precision", "body_recall"),
            [(name, *(m.value for m in found[:3])) for name, found in compared.items()],
            right=(1, 2, 3))]
    lines.append("time: " + ", ".join(f"{k} {v:.1f}s" for k, v in seconds.items()))
    return "\n".join(lines)


def pages_misses(scores: Sequence[PageScore], gold: Mapping[str, Sequence[str]],
                 bodies: Mapping[str, str], below: float = 0.95) -> str:
    """misses.md for the pages: for each page under `below` F1, the lines extracted that gold
    does not have (+) and the gold lines that were not extracted (-)."""
    lines = ["# Evaluation misses: saved pages", "",
             f"Pages with body F1 under {below}: `+` extracted but not in gold, `-` in gold but "
             "not extracted (whole lines). Generated by `python -m pipelines.evaluation`.", ""]
    for score in sorted(scores, key=lambda s: s.f1):
        if score.f1 >= below:
            continue
        expected, got = list(gold[score.page_id]), bodies.get(score.page_id, "").split("\n")
        lines += [f"## {score.page_id} ({score.shape}): F1 {score.f1:.3f}, "
                  f"P {score.precision:.3f}, R {score.recall:.3f}"
                  + (f", rejected: {score.rejected}" if score.rejected else ""), "", "```diff"]
        lines += [f"+ {line}" for line in got if line and line not in expected]
        lines += [f"- {line}" for line in expected if line not in got]
        lines += ["```", ""]
    return "\n".join(lines).rstrip() + "\n"
