-- Incidents and fatalities per ISO week, event type and first-level division.
-- A table rather than a view: analysts and the report read it often, and it is tiny.
-- Incidents without a date keep NULL week columns instead of being dropped.
CREATE OR REPLACE TABLE main.weekly_incidents AS
SELECT
    printf('%d-W%02d', isoyear(i.event_date), week(i.event_date)) AS iso_week,
    date_trunc('week', i.event_date)::DATE AS week_start,
    i.event_type,
    coalesce(p.admin1, 'unknown') AS admin1,
    p.country_iso3,
    count(*) AS incidents,
    sum(coalesce(i.fatalities, 0))::BIGINT AS fatalities
FROM main.incidents AS i
LEFT JOIN main.places AS p USING (place_id)
GROUP BY ALL
ORDER BY week_start, event_type, admin1
