-- Every event once per report of it: the event's reconciled columns, then the report's outlet,
-- link, publication date, its own toll and its evidence text (the span of the article body
-- the incident was read from). The report groups the rows by event.
SELECT
    e.event_id, e.event_id_cnty, e.event_date, e.time_precision, e.event_type,
    e.sub_event_type, e.actor1, e.actor2, e.location, e.admin1, e.latitude, e.longitude,
    e.fatalities, e.fatalities_min, e.fatalities_max, e.n_sources, e.n_independent_sources,
    e.source, e.source_scale,
    i.incident_id,
    coalesce(a.outlet, a.external_id, a.source_uri) AS outlet,
    coalesce(a.canonical_url, a.url) AS url,
    a.title,
    a.published_date,
    a.language,
    ei.wire_group,
    i.fatalities AS report_fatalities,
    substring(a.body, i.char_start + 1, i.char_end - i.char_start) AS evidence
FROM main.acled_events AS e
JOIN main.event_incidents AS ei USING (event_id)
JOIN main.incidents AS i USING (incident_id)
JOIN main.articles AS a ON a.article_id = i.article_id
ORDER BY e.event_date DESC, e.event_id, a.published_date, i.incident_id
