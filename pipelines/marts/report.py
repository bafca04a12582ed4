"""The incident report: one self-contained HTML page (inline CSS and SVG, no network).

`render_report` takes frames and returns HTML; the `incident_report` asset writes it. Every
text that came from an article is escaped.
"""

from collections import defaultdict
from datetime import date
from html import escape

import polars as pl

EVENT_COLOURS = {
    "Battles": "#c0392b",
    "Explosions/Remote violence": "#8e44ad",
    "Violence against civilians": "#d35400",
    "Protests": "#2980b9",
    "Riots": "#16a085",
    "Strategic developments": "#7f8c8d",
}
CSS = """
body{font-family:system-ui,sans-serif;margin:2rem;max-width:1100px;color:#222}
h1{margin-bottom:.2rem} .muted{color:#666} table{border-collapse:collapse;width:100%;font-size:.9rem}
th,td{border-bottom:1px solid #ddd;padding:.3rem .4rem;text-align:left;vertical-align:top}
.legend span{display:inline-block;margin-right:1rem}
.swatch{display:inline-block;width:.8rem;height:.8rem;margin-right:.3rem}
blockquote{margin:.3rem 0 1rem;padding:.4rem .8rem;border-left:4px solid #ccc;background:#f7f7f7}
section{margin-top:2rem}
"""


def _colour(event_type: str) -> str:
    return EVENT_COLOURS.get(event_type, "#555")


def _legend() -> str:
    items = "".join(f'<span><i class="swatch" style="background:{c}"></i>{escape(t)}</span>'
                    for t, c in EVENT_COLOURS.items())
    return f'<p class="legend">{items}</p>'


def _timeline(incidents: pl.DataFrame, width: int = 1000, height: int = 220) -> str:
    """Stacked bars of incidents per month, coloured by event type."""
    counts: dict[date, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in incidents.select("event_date", "event_type").iter_rows():
        if row[0] is not None:
            counts[row[0].replace(day=1)][row[1]] += 1
    if not counts:
        return "<p>No dated incidents.</p>"
    months = sorted(counts)
    tallest = max(sum(c.values()) for c in counts.values())
    bar = max(4, (width - 60) // max(len(months), 1) - 4)
    parts = []
    for index, month in enumerate(months):
        x = 50 + index * (bar + 4)
        y = height - 30
        for event_type, count in sorted(counts[month].items()):
            h = (height - 50) * count / tallest
            y -= h
            parts.append(f'<rect x="{x}" y="{y:.1f}" width="{bar}" height="{h:.1f}" '
                         f'fill="{_colour(event_type)}"><title>{month:%Y-%m} '
                         f'{escape(event_type)}: {count}</title></rect>')
        parts.append(f'<text x="{x}" y="{height - 12}" font-size="10">{month:%Y-%m}</text>')
    parts.append(f'<text x="5" y="20" font-size="11">{tallest}</text>')
    return (f'<svg role="img" aria-label="Incidents per month by event type" width="{width}" '
            f'height="{height}" viewBox="0 0 {width} {height}">{"".join(parts)}</svg>')


def _map(points: pl.DataFrame, width: int = 1000, height: int = 500) -> str:
    """Incident locations on a plain longitude/latitude grid, zoomed to the data."""
    if points.is_empty():
        return "<p>No incident has coordinates.</p>"
    lats, lons = points["latitude"], points["longitude"]
    pad = 0.5
    south, north = lats.min() - pad, lats.max() + pad
    west, east = lons.min() - pad, lons.max() + pad

    def project(lat: float, lon: float) -> tuple[float, float]:
        return ((lon - west) / (east - west) * width, (north - lat) / (north - south) * height)

    grid = []
    step = 1 if max(east - west, north - south) < 20 else 10
    for lon in range(int(west) - 1, int(east) + 2, step):
        x, _ = project(south, lon)
        grid.append(f'<line x1="{x:.1f}" y1="0" x2="{x:.1f}" y2="{height}" stroke="#eee"/>'
                    f'<text x="{x + 2:.1f}" y="{height - 4}" font-size="9" fill="#999">{lon}°</text>')
    for lat in range(int(south) - 1, int(north) + 2, step):
        _, y = project(lat, west)
        grid.append(f'<line x1="0" y1="{y:.1f}" x2="{width}" y2="{y:.1f}" stroke="#eee"/>'
                    f'<text x="2" y="{y - 2:.1f}" font-size="9" fill="#999">{lat}°</text>')
    dots = []
    for row in points.iter_rows(named=True):
        x, y = project(row["latitude"], row["longitude"])
        label = f'{row["event_date"]} {row["event_type"]}: {row["location"]}'
        dots.append(f'<a href="#incident-{escape(row["event_id"])}"><circle cx="{x:.1f}" '
                    f'cy="{y:.1f}" r="6" fill="{_colour(row["event_type"])}" fill-opacity=".7">'
                    f'<title>{escape(label)}</title></circle></a>')
    return (f'<svg role="img" aria-label="Map of incident locations" width="{width}" '
            f'height="{height}" viewBox="0 0 {width} {height}" style="border:1px solid #ddd">'
            f'{"".join(grid)}{"".join(dots)}</svg>')


def _table(frame: pl.DataFrame, columns: list[str]) -> str:
    head = "".join(f"<th>{escape(c)}</th>" for c in columns)
    rows = "".join(
        "<tr>" + "".join(f"<td>{escape('' if v is None else str(v))}</td>" for v in row) + "</tr>"
        for row in frame.select(columns).iter_rows())
    return f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"


def render_report(incidents: pl.DataFrame, points: pl.DataFrame, activity: pl.DataFrame,
                  generated: str) -> str:
    """The whole page. `incidents` has the columns of sql/marts/report_incidents.sql."""
    rows = []
    evidence = []
    for row in incidents.iter_rows(named=True):
        anchor = escape(row["event_id"])
        rows.append(
            f'<tr id="incident-{anchor}"><td>{escape(str(row["event_date"]))}</td>'
            f'<td>{escape(row["event_type"])}<br><span class="muted">'
            f'{escape(row["sub_event_type"])}</span></td>'
            f'<td>{escape(row["actor1"] or "")}</td><td>{escape(row["actor2"] or "")}</td>'
            f'<td>{escape(row["location"] or "")}</td><td>{row["fatalities"]}</td>'
            f'<td><a href="#evidence-{anchor}">evidence</a></td></tr>')
        evidence.append(
            f'<div id="evidence-{anchor}"><strong>{escape(str(row["event_date"]))} · '
            f'{escape(row["sub_event_type"])}</strong> <span class="muted">'
            f'{escape(row["source"] or "")}</span> <a href="#incident-{anchor}">back</a>'
            f'<blockquote>{escape(row["evidence"] or "")}</blockquote></div>')
    top = activity.head(15)
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Incident report</title>
<style>{CSS}</style></head><body>
<h1>Incident report</h1>
<p class="muted">{incidents.height} incidents · generated {escape(generated)} ·
ACLED event types; every row links to the sentence it was read from.</p>
{_legend()}
<section><h2>Timeline</h2>{_timeline(incidents)}</section>
<section><h2>Map</h2>{_map(points)}</section>
<section><h2>Most active actors and institutions</h2>
{_table(top, ["name", "entity_table", "category", "incidents", "fatalities", "first_seen", "last_seen"])}
</section>
<section><h2>Incidents</h2><table><thead><tr><th>date</th><th>type</th><th>actor 1</th>
<th>actor 2</th><th>location</th><th>fatalities</th><th></th></tr></thead>
<tbody>{"".join(rows)}</tbody></table></section>
<section><h2>Evidence</h2>{"".join(evidence)}</section>
</body></html>
"""
