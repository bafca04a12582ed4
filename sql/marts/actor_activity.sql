-- Per actor and per institution: incidents taken part in, fatalities, first and last seen.
CREATE OR REPLACE TABLE main.actor_activity AS
WITH participation AS (
    SELECT 'actors' AS entity_table, ia.actor_id AS entity_id, a.name, a.category,
           ia.incident_id, ia.role
    FROM main.incident_actors AS ia JOIN main.actors AS a USING (actor_id)
    UNION ALL
    SELECT 'institutions', ii.institution_id, n.name, n.category, ii.incident_id, ii.role
    FROM main.incident_institutions AS ii JOIN main.institutions AS n USING (institution_id)
)
SELECT
    p.entity_table,
    p.entity_id,
    p.name,
    p.category,
    count(DISTINCT p.incident_id) AS incidents,
    count(DISTINCT p.incident_id) FILTER (WHERE p.role = 'actor1') AS incidents_as_actor1,
    sum(coalesce(i.fatalities, 0)) AS fatalities,
    min(i.event_date) AS first_seen,
    max(i.event_date) AS last_seen
FROM participation AS p
JOIN main.incidents AS i USING (incident_id)
GROUP BY ALL
ORDER BY incidents DESC, name
