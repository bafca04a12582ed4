-- Every incident with its evidence text (the span of the article body it was read from).
SELECT
    e.event_id, e.event_date, e.time_precision, e.event_type, e.sub_event_type, e.actor1,
    e.actor2, e.location, e.admin1, e.latitude, e.longitude, e.fatalities, e.source,
    substring(a.body, i.char_start + 1, i.char_end - i.char_start) AS evidence
FROM main.acled_events AS e
JOIN main.incidents AS i ON i.incident_id = e.event_id
JOIN main.articles AS a USING (article_id)
ORDER BY e.event_date DESC, e.event_id
