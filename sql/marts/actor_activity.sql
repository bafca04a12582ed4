-- Per actor and per institution: incidents taken part in, fatalities, first and last seen.
-- One table for both, told apart by entity_table ('actors' or 'institutions', as in mentions),
-- because an incident's actor1 may be either and analysts rank them together.
CREATE OR REPLACE TABLE main.actor_activity AS
WITH participation AS (
    SELECT 'actors' AS entity_table, ia.actor_id AS entity_id, a.name, a.category,
           ia.incident_id, ia.role
    FROM main.incident_actors AS ia JOIN main.actors AS a USING (actor_id)
    UNION ALL
    SELECT 'institutions', ii.institution_id, n.name, n.category, ii.incident_id, ii.role
    FROM main.incident_institutions AS ii JOIN main.institutions AS n USING (institution_id)
),
-- An entity listed twice on one incident (two roles) counts that incident's dead once.
per_incident AS (
    SELECT entity_table, entity_id, name, category, incident_id,
           bool_or(role = 'actor1') AS is_actor1
    FROM participation
    GROUP BY ALL
)
SELECT
    p.entity_table,
    p.entity_id,
    p.name,
    p.category,
    count(*) AS incidents,
    count(*) FILTER (WHERE p.is_actor1) AS incidents_as_actor1,
    sum(coalesce(i.fatalities, 0))::BIGINT AS fatalities,
    min(i.event_date) AS first_seen,
    max(i.event_date) AS last_seen
FROM per_incident AS p
JOIN main.incidents AS i USING (incident_id)
GROUP BY ALL
ORDER BY incidents DESC, fatalities DESC, name
