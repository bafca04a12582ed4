-- staging.incident_actors with both foreign keys resolved.
SELECT
    b.*,
    b.incident_id IN (SELECT incident_id FROM staging.incidents) AS incident_found,
    b.actor_id IN (SELECT actor_id FROM staging.actors) AS actor_found
FROM staging.incident_actors AS b
