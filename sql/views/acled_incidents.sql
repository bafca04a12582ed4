-- One row per article-level incident with ACLED's export column names: what each article
-- says, before fusion (acled_events has one row per event). The scorers of pipelines/evaluation
-- read it, and it keeps the shape acled_events had before events were fused.
CREATE OR REPLACE VIEW main.acled_incidents AS
WITH participants AS (
    SELECT ia.incident_id, ia.role, a.name
    FROM main.incident_actors AS ia
    JOIN main.actors AS a USING (actor_id)
    UNION ALL
    SELECT ii.incident_id, ii.role, i.name
    FROM main.incident_institutions AS ii
    JOIN main.institutions AS i USING (institution_id)
),
by_role AS (
    SELECT
        incident_id,
        string_agg(name, '; ' ORDER BY name) FILTER (WHERE role = 'actor1') AS actor1,
        string_agg(name, '; ' ORDER BY name) FILTER (WHERE role = 'actor2') AS actor2,
        string_agg(name, '; ' ORDER BY name) FILTER (WHERE role = 'associated') AS associated
    FROM participants
    GROUP BY incident_id
)
SELECT
    i.incident_id AS event_id,
    i.event_date,
    CASE i.date_precision WHEN 'day' THEN 1 WHEN 'week' THEN 2 ELSE 3 END AS time_precision,
    i.event_type,
    i.sub_event_type,
    r.actor1,
    r.associated AS assoc_actor_1,
    r.actor2,
    CAST(NULL AS VARCHAR) AS assoc_actor_2,
    c.name AS country,
    p.country_iso3 AS iso3,
    coalesce(p.admin1, pos.admin1) AS admin1,
    p.admin2,
    p.name AS location,
    pos.latitude,
    pos.longitude,
    i.geo_precision,
    a.source_uri AS source,
    a.external_id,
    i.summary AS notes,
    coalesce(i.fatalities, 0) AS fatalities,
    i.incident_id
FROM main.incidents AS i
JOIN main.articles AS a USING (article_id)
LEFT JOIN main.places AS p USING (place_id)
LEFT JOIN main.place_positions AS pos USING (place_id)
LEFT JOIN main.places AS c ON c.place_kind = 'country' AND c.country_iso3 = p.country_iso3
LEFT JOIN by_role AS r USING (incident_id)
