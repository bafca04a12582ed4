-- Every published incident beside its rows in staging.event_incidents (a full join, so an
-- incident left out shows as a row without an event): each must be in exactly one event.
SELECT
    coalesce(ei.incident_id, i.incident_id) AS incident_id,
    ei.event_id,
    ei.article_id,
    ei.wire_group,
    ei.link_score,
    count(ei.event_id) OVER (PARTITION BY coalesce(ei.incident_id, i.incident_id)) AS times_listed,
    i.incident_id IS NOT NULL AS incident_found,
    ei.event_id IS NULL OR ei.event_id IN (SELECT event_id FROM staging.events) AS event_found,
    ei.article_id IS NOT DISTINCT FROM i.article_id AS article_matches
FROM main.incidents AS i
FULL OUTER JOIN staging.event_incidents AS ei ON ei.incident_id = i.incident_id
