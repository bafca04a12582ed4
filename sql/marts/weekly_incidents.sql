-- Events and fatalities per ISO week, event type and first-level division. An event told by
-- five articles counts once, with its reconciled toll; `reports` counts the article-level
-- incidents behind them. `incidents` is kept for older queries and equals `events`.
-- A table rather than a view: analysts and the report read it often, and it is tiny.
-- Events without a date keep NULL week columns instead of being dropped.
CREATE OR REPLACE TABLE main.weekly_incidents AS
WITH reports AS (
    SELECT event_id, count(*) AS reports FROM main.event_incidents GROUP BY event_id
)
SELECT
    printf('%d-W%02d', isoyear(e.event_date), week(e.event_date)) AS iso_week,
    date_trunc('week', e.event_date)::DATE AS week_start,
    e.event_type,
    coalesce(p.admin1, 'unknown') AS admin1,
    e.country_iso3,
    count(*) AS incidents,
    sum(coalesce(e.fatalities, 0))::BIGINT AS fatalities,
    count(*) AS events,
    sum(r.reports)::BIGINT AS reports
FROM main.events AS e
LEFT JOIN main.places AS p USING (place_id)
LEFT JOIN reports AS r USING (event_id)
GROUP BY ALL
ORDER BY week_start, event_type, admin1
