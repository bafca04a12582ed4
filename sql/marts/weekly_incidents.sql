-- Incidents and fatalities per ISO week, event type and first-level division.
CREATE OR REPLACE TABLE main.weekly_incidents AS
SELECT
    date_trunc('week', i.event_date)::DATE AS week_start,
    i.event_type,
    coalesce(p.admin1, 'unknown') AS admin1,
    p.country_iso3,
    count(*) AS incidents,
    sum(coalesce(i.fatalities, 0)) AS fatalities
FROM main.incidents AS i
LEFT JOIN main.places AS p USING (place_id)
GROUP BY ALL
ORDER BY week_start, event_type, admin1
