"""The incident report: one self-contained HTML page (inline CSS and SVG, no network).

`render_report` takes frames and returns HTML; the `incident_report` asset writes it. It counts
events (one per real-world event, however many articles told it); each event lists its
sources, each with its evidence sentence on the page and, when the article has an address, a
link that opens the article at that sentence (a text fragment). Every text that came from an
article is escaped.
"""

import math
from collections import Counter, defaultdict
from collections.abc import Callable
from datetime import date, timedelta
from html import escape
from urllib.parse import quote

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
h3{font-size:1rem;margin:1.2rem 0 .3rem}
blockquote{margin:.3rem 0 1rem;padding:.4rem .8rem;border-left:4px solid #ccc;background:#f7f7f7}
section{margin-top:2rem}
"""


def _colour(event_type: str) -> str:
    return EVENT_COLOURS.get(event_type, "#555")


def _legend() -> str:
    items = "".join(f'<span><i class="swatch" style="background:{c}"></i>{escape(t)}</span>'
                    for t, c in EVENT_COLOURS.items())
    return f'<p class="legend">{items}</p>'


def _months(first: date, last: date) -> list[date]:
    """Every first-of-month from `first` to `last`, so quiet months show as gaps."""
    months, month = [], first.replace(day=1)
    while month <= last:
        months.append(month)
        month = (month.replace(day=28) + timedelta(days=4)).replace(day=1)
    return months


def _timeline(events: pl.DataFrame, width: int = 1000, height: int = 220) -> str:
    """Stacked bars of events per month, coloured by event type."""
    counts: dict[date, Counter[str]] = defaultdict(Counter)
    undated = 0
    for event_date, event_type in events.select("event_date", "event_type").iter_rows():
        if event_date is None:
            undated += 1
        else:
            counts[event_date.replace(day=1)][event_type] += 1
    if not counts:
        return "<p>No dated events.</p>"
    months = _months(min(counts), max(counts))
    tallest = max(sum(c.values()) for c in counts.values())
    left, bottom, top = 40, 30, 10
    slot = (width - left) / len(months)
    bar = max(1.0, slot - 2)
    label_every = math.ceil(len(months) / 16)
    scale = (height - bottom - top) / tallest
    parts = [f'<line x1="{left}" y1="{top}" x2="{width}" y2="{top}" stroke="#eee"/>',
             f'<line x1="{left}" y1="{height - bottom}" x2="{width}" y2="{height - bottom}" stroke="#999"/>',
             f'<text x="{left - 6}" y="{top + 4}" font-size="10" text-anchor="end">{tallest}</text>',
             f'<text x="{left - 6}" y="{height - bottom}" font-size="10" text-anchor="end">0</text>']
    for index, month in enumerate(months):
        x = left + index * slot
        y = height - bottom
        for event_type, count in sorted(counts[month].items()):
            y -= count * scale
            parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{count * scale:.1f}" '
                         f'fill="{_colour(event_type)}"><title>{month:%Y-%m} '
                         f'{escape(event_type)}: {count}</title></rect>')
        if index % label_every == 0:
            parts.append(f'<text x="{x:.1f}" y="{height - 12}" font-size="10">{month:%Y-%m}</text>')
    note = f'<p class="muted">{undated} events without a date are not shown.</p>' if undated else ""
    return (f'<svg role="img" aria-label="Events per month by event type" width="{width}" '
            f'height="{height}" viewBox="0 0 {width} {height}">{"".join(parts)}</svg>{note}')


def _degrees(value: float, positive: str, negative: str) -> str:
    return f"{abs(value):g}°{positive if value > 0 else negative if value < 0 else ''}"


def _map(points: pl.DataFrame, width: int = 1000, min_height: int = 240, max_height: int = 600
         ) -> str:
    """Event locations on a longitude/latitude graticule (equal scale on both axes), framed
    on the data. Events closer than a few pixels share one marker, sized by their number."""
    if points.is_empty():
        return "<p>No event has coordinates.</p>"
    lats, lons = points["latitude"], points["longitude"]
    lat_pad = max(1.0, 0.1 * (lats.max() - lats.min()))
    lon_pad = max(1.0, 0.1 * (lons.max() - lons.min()))
    south, north = lats.min() - lat_pad, lats.max() + lat_pad
    west, east = lons.min() - lon_pad, lons.max() + lon_pad
    # One scale for both axes, so distances are not stretched; widen the short side to fit.
    height = min(max((north - south) * width / (east - west), min_height), max_height)
    degrees_per_px = max((east - west) / width, (north - south) / height)
    middle_lat, middle_lon = (north + south) / 2, (east + west) / 2
    north, south = middle_lat + height * degrees_per_px / 2, middle_lat - height * degrees_per_px / 2
    west, east = middle_lon - width * degrees_per_px / 2, middle_lon + width * degrees_per_px / 2

    def project(lat: float, lon: float) -> tuple[float, float]:
        return (lon - west) / degrees_per_px, (north - lat) / degrees_per_px

    span = max(east - west, north - south)
    step = next((s for s in (1, 2, 5, 10, 15, 30, 45) if span / s <= 12), 90)
    grid = []
    for lon in range(math.ceil(west / step) * step, math.floor(east / step) * step + 1, step):
        if -180 <= lon <= 180:
            x, _ = project(0, lon)
            grid.append(f'<line x1="{x:.1f}" y1="0" x2="{x:.1f}" y2="{height:.0f}" stroke="#e4e4e4"/>'
                        f'<text x="{x + 2:.1f}" y="{height - 4:.0f}" font-size="9" fill="#999">'
                        f'{_degrees(lon, "E", "W")}</text>')
    for lat in range(math.ceil(south / step) * step, math.floor(north / step) * step + 1, step):
        if -90 <= lat <= 90:
            _, y = project(lat, 0)
            grid.append(f'<line x1="0" y1="{y:.1f}" x2="{width}" y2="{y:.1f}" stroke="#e4e4e4"/>'
                        f'<text x="2" y="{y - 2:.1f}" font-size="9" fill="#999">'
                        f'{_degrees(lat, "N", "S")}</text>')
    markers = []
    for cluster in _clusters(points, project):
        x, y = cluster["x"], cluster["y"]
        rows = cluster["rows"]
        event_type = Counter(row["event_type"] for row in rows).most_common(1)[0][0]
        names = list(dict.fromkeys(row["location"] or "?" for row in rows))
        label = names[0] + (f" +{len(names) - 1}" if len(names) > 1 else "")
        title = "\n".join(f'{row["event_date"]} {row["event_type"]} ({row["location"]})' for row in rows)
        radius = 4 + 3 * math.sqrt(len(rows))
        # Labels near the right edge go left of their marker so they stay inside the map.
        anchor, label_x = ("end", x - radius - 3) if x > width - 160 else ("start", x + radius + 3)
        markers.append(
            f'<a href="#incident-{escape(rows[0]["event_id"])}"><circle cx="{x:.1f}" cy="{y:.1f}" '
            f'r="{radius:.1f}" fill="{_colour(event_type)}" fill-opacity=".7" stroke="#fff">'
            f'<title>{escape(title)}</title></circle></a>'
            f'<text x="{label_x:.1f}" y="{y + 4:.1f}" font-size="11" text-anchor="{anchor}">'
            f'{escape(label)} ({len(rows)})</text>')
    return (f'<svg role="img" aria-label="Map of incident locations" width="{width}" '
            f'height="{height:.0f}" viewBox="0 0 {width} {height:.0f}" style="border:1px solid #ddd">'
            f'{"".join(grid)}{"".join(markers)}</svg>')


def _clusters(points: pl.DataFrame, project: Callable[[float, float], tuple[float, float]],
              distance: float = 12) -> list[dict]:
    """Group incidents whose markers would overlap, the busiest location first."""
    by_place: dict[tuple[float, float], list[dict]] = defaultdict(list)
    for row in points.iter_rows(named=True):
        by_place[(row["latitude"], row["longitude"])].append(row)
    clusters: list[dict] = []
    for (lat, lon), rows in sorted(by_place.items(), key=lambda item: -len(item[1])):
        x, y = project(lat, lon)
        near = next((c for c in clusters if math.hypot(c["x"] - x, c["y"] - y) < distance), None)
        if near:
            near["rows"].extend(rows)
        else:
            clusters.append({"x": x, "y": y, "rows": list(rows)})
    return clusters


def _table(frame: pl.DataFrame, columns: list[str]) -> str:
    head = "".join(f"<th>{escape(c)}</th>" for c in columns)
    rows = "".join(
        "<tr>" + "".join(f"<td>{escape('' if v is None else str(v))}</td>" for v in row) + "</tr>"
        for row in frame.select(columns).iter_rows())
    return f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"


def _evidence_link(url: str | None, evidence: str | None) -> str | None:
    """The article's address with a text fragment, so a browser scrolls to and highlights the
    sentence the incident was read from."""
    if not url or not url.startswith(("http://", "https://")):
        return None
    words = (evidence or "").split()
    if not words:
        return url
    fragment = quote(" ".join(words[:8]), safe="").replace("-", "%2D")
    if len(words) > 16:
        fragment += "," + quote(" ".join(words[-6:]), safe="").replace("-", "%2D")
    return f"{url.split('#', 1)[0]}#:~:text={fragment}"


def _sources_cell(reports: list[dict]) -> str:
    links = []
    for row in reports:
        anchor = escape(row["incident_id"])
        label = escape(row["outlet"] or "source")
        if row.get("language"):
            label += f' <span class="muted">({escape(row["language"])})</span>'
        links.append(f'<a href="#evidence-{anchor}">{label}</a>')
    return "<br>".join(links)


def render_report(reports: pl.DataFrame, points: pl.DataFrame, activity: pl.DataFrame,
                  generated: str) -> str:
    """The whole page. `reports` has the columns of sql/marts/report_incidents.sql: one row
    per event and report of it."""
    by_event: dict[str, list[dict]] = defaultdict(list)
    for row in reports.iter_rows(named=True):
        by_event[row["event_id"]].append(row)
    events = reports.unique("event_id", keep="first", maintain_order=True)
    rows, evidence = [], []
    for event_id, sources in by_event.items():
        first = sources[0]
        anchor = escape(event_id)
        spread = ""
        if first["fatalities_min"] is not None and first["fatalities_min"] != first["fatalities_max"]:
            spread = (f' <span class="muted">(reports: {first["fatalities_min"]}'
                      f'–{first["fatalities_max"]})</span>')
        rows.append(
            f'<tr id="incident-{anchor}"><td>{escape(str(first["event_date"]))}</td>'
            f'<td>{escape(first["event_type"])}<br><span class="muted">'
            f'{escape(first["sub_event_type"])}</span></td>'
            f'<td>{escape(first["actor1"] or "")}</td><td>{escape(first["actor2"] or "")}</td>'
            f'<td>{escape(first["location"] or "")}</td><td>{first["fatalities"]}{spread}</td>'
            f'<td>{_sources_cell(sources)}</td></tr>')
        quotes = []
        for source in sources:
            link = _evidence_link(source.get("url"), source["evidence"])
            title = escape(source.get("title") or source["outlet"] or "")
            opened = (f'<a href="{escape(link)}" rel="noreferrer">{title}</a>' if link else title)
            toll = "" if source["report_fatalities"] is None else \
                f' · {source["report_fatalities"]} killed'
            quotes.append(
                f'<div id="evidence-{escape(source["incident_id"])}"><span class="muted">'
                f'{escape(source["outlet"] or "")}, {escape(str(source.get("published_date") or ""))}'
                f'{toll}</span> {opened}<blockquote>{escape(source["evidence"] or "")}'
                f'</blockquote></div>')
        evidence.append(
            f'<div id="evidence-{anchor}"><h3>{escape(str(first["event_date"]))} · '
            f'{escape(first["sub_event_type"])} · {escape(first["location"] or "")} '
            f'<span class="muted">{first["n_sources"]} report(s), '
            f'{escape(first["event_id_cnty"] or "")}</span> <a href="#incident-{anchor}">back</a>'
            f'</h3>{"".join(quotes)}</div>')
    top = activity.head(15)
    several = sum(len(s) > 1 for s in by_event.values())
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Incident report</title>
<style>{CSS}</style></head><body>
<h1>Incident report</h1>
<p class="muted">{len(by_event)} events from {reports.height} reports ({several} events told by
several articles) · generated {escape(generated)} · ACLED event types; every event lists its
sources, each linked to the sentence it was read from.</p>
{_legend()}
<section id="timeline"><h2>Timeline</h2>{_timeline(events)}</section>
<section id="map"><h2>Map</h2>{_map(points)}</section>
<section id="actors"><h2>Most active actors and institutions</h2>
{_table(top, ["name", "entity_table", "category", "events", "fatalities", "first_seen", "last_seen"])}
</section>
<section id="incidents"><h2>Events</h2><table><thead><tr><th>date</th><th>type</th><th>actor 1</th>
<th>actor 2</th><th>location</th><th>fatalities</th><th>sources</th></tr></thead>
<tbody>{"".join(rows)}</tbody></table></section>
<section id="evidence"><h2>Evidence</h2>{"".join(evidence)}</section>
</body></html>
"""
