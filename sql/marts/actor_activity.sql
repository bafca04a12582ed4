-- Per actor and per institution: events taken part in, fatalities, first and last seen.
-- One table for both, told apart by entity_table ('actors' or 'institutions', as in mentions),
-- because an event's actor1 may be either and analysts rank them together. An event told by
-- several articles counts once, with its reconciled toll; `reports` counts the article-level
-- incidents that name the entity. `incidents` and `incidents_as_actor1` are kept for older
-- queries and equal `events` and `events_as_actor1`.
CREATE OR REPLACE TABLE main.actor_activity AS
WITH participation AS (
    SELECT 'actors' AS entity_table, ia.actor_id AS entity_id, a.name, a.category,
           ia.incident_id, ia.role
    FROM main.incident_actors AS ia JOIN main.actors AS a USING (actor_id)
    UNION ALL
    SELECT 'institutions', ii.institution_id, n.name, n.category, ii.incident_id, ii.role
    FROM main.incident_institutions AS ii JOIN main.institutions AS n USING (institution_id)
),
-- An entity listed twice on one event (two roles, several reports) counts that event's dead once.
per_event AS (
    SELECT p.entity_table, p.entity_id, p.name, p.category, ei.event_id,
           bool_or(p.role = 'actor1') AS is_actor1,
           count(DISTINCT p.incident_id) AS reports
    FROM participation AS p
    JOIN main.event_incidents AS ei USING (incident_id)
    GROUP BY ALL
)
SELECT
    p.entity_table,
    p.entity_id,
    p.name,
    p.category,
    count(*) AS incidents,
    count(*) FILTER (WHERE p.is_actor1) AS incidents_as_actor1,
    sum(coalesce(e.fatalities, 0))::BIGINT AS fatalities,
    min(e.event_date) AS first_seen,
    max(e.event_date) AS last_seen,
    count(*) AS events,
    count(*) FILTER (WHERE p.is_actor1) AS events_as_actor1,
    sum(p.reports)::BIGINT AS reports
FROM per_event AS p
JOIN main.events AS e USING (event_id)
GROUP BY ALL
ORDER BY events DESC, fatalities DESC, name
