-- One row per event (fused across articles) with ACLED's export columns in ACLED's order,
-- then our own (see warehouse-contract.md, "The ACLED-shaped view").
CREATE OR REPLACE VIEW main.acled_events AS
WITH participants AS (
    SELECT ei.event_id, ei.incident_id, ia.role, a.name, a.category
    FROM main.event_incidents AS ei
    JOIN main.incident_actors AS ia USING (incident_id)
    JOIN main.actors AS a USING (actor_id)
    UNION ALL
    SELECT ei.event_id, ei.incident_id, ii.role, i.name, i.category
    FROM main.event_incidents AS ei
    JOIN main.incident_institutions AS ii USING (incident_id)
    JOIN main.institutions AS i USING (institution_id)
),
-- Each participant takes the role most of the event's reports give it (actor1, then actor2,
-- then associated on a tie).
roles AS (
    SELECT event_id, name, category, role, count(DISTINCT incident_id) AS reports
    FROM participants
    GROUP BY event_id, name, category, role
    QUALIFY row_number() OVER (
        PARTITION BY event_id, name
        ORDER BY reports DESC, CASE role WHEN 'actor1' THEN 0 WHEN 'actor2' THEN 1 ELSE 2 END
    ) = 1
),
-- ACLED's interaction codes of the actor categories.
coded AS (
    SELECT *, CASE category
        WHEN 'state_forces' THEN 1 WHEN 'rebel_group' THEN 2 WHEN 'political_militia' THEN 3
        WHEN 'identity_militia' THEN 4 WHEN 'rioters' THEN 5 WHEN 'protesters' THEN 6
        WHEN 'civilians' THEN 7 ELSE 8 END AS inter
    FROM roles
),
by_role AS (
    SELECT
        event_id,
        string_agg(name, '; ' ORDER BY name) FILTER (WHERE role = 'actor1') AS actor1,
        string_agg(name, '; ' ORDER BY name) FILTER (WHERE role = 'actor2') AS actor2,
        string_agg(name, '; ' ORDER BY name) FILTER (WHERE role = 'associated') AS associated,
        coalesce(min(inter) FILTER (WHERE role = 'actor1'), 0) AS inter1,
        coalesce(min(inter) FILTER (WHERE role = 'actor2'), 0) AS inter2,
        bool_or(category = 'civilians') FILTER (WHERE role = 'actor2') AS civilians_targeted
    FROM coded
    GROUP BY event_id
),
articles AS (
    SELECT ei.event_id, string_agg(DISTINCT a.external_id, '; ' ORDER BY a.external_id) AS external_id
    FROM main.event_incidents AS ei JOIN main.articles AS a USING (article_id)
    GROUP BY ei.event_id
)
SELECT
    e.event_id_cnty,
    e.event_date,
    year(e.event_date) AS year,
    CASE e.date_precision WHEN 'day' THEN 1 WHEN 'week' THEN 2 ELSE 3 END AS time_precision,
    CASE
        WHEN e.event_type IN ('Battles', 'Explosions/Remote violence', 'Violence against civilians')
            THEN 'Political violence'
        WHEN e.sub_event_type = 'Excessive force against protesters'
            THEN 'Political violence; Demonstrations'
        WHEN e.sub_event_type = 'Mob violence' THEN 'Political violence'
        WHEN e.event_type IN ('Protests', 'Riots') THEN 'Demonstrations'
        ELSE 'Strategic developments'
    END AS disorder_type,
    e.event_type,
    e.sub_event_type,
    r.actor1,
    r.associated AS assoc_actor_1,
    coalesce(r.inter1, 0) AS inter1,
    r.actor2,
    CAST(NULL AS VARCHAR) AS assoc_actor_2,
    coalesce(r.inter2, 0) AS inter2,
    -- ACLED's interaction: the two codes, lower first (13, 37); a sole actor's code then 0 (60).
    CASE
        WHEN coalesce(r.inter1, 0) = 0 OR coalesce(r.inter2, 0) = 0
            THEN 10 * greatest(coalesce(r.inter1, 0), coalesce(r.inter2, 0))
        ELSE 10 * least(r.inter1, r.inter2) + greatest(r.inter1, r.inter2)
    END AS interaction,
    CASE WHEN e.event_type IN ('Violence against civilians', 'Explosions/Remote violence')
              AND r.civilians_targeted THEN 'Civilian targeting' END AS civilian_targeting,
    k.iso,
    k.region,
    coalesce(k.country, c.name) AS country,
    coalesce(p.admin1, pos.admin1) AS admin1,
    p.admin2,
    CAST(NULL AS VARCHAR) AS admin3,
    p.name AS location,
    pos.latitude,
    pos.longitude,
    e.geo_precision,
    e.source,
    e.source_scale,
    e.summary AS notes,
    coalesce(e.fatalities, 0) AS fatalities,
    -- ACLED tags demonstrations whose crowd size no report gives; we never read one.
    CASE WHEN e.event_type IN ('Protests', 'Riots') THEN 'crowd size=no report' END AS tags,
    CAST(epoch(e.updated_at) AS BIGINT) AS timestamp,
    e.event_id,
    e.n_sources,
    e.country_iso3 AS iso3,
    e.n_independent_sources,
    e.fatalities_min,
    e.fatalities_max,
    e.confidence,
    e.first_reported_at,
    ar.external_id
FROM main.events AS e
LEFT JOIN main.places AS p USING (place_id)
LEFT JOIN main.place_positions AS pos USING (place_id)
LEFT JOIN main.countries AS k ON k.iso3 = e.country_iso3
LEFT JOIN (SELECT country_iso3, min(name) AS name FROM main.places
           WHERE place_kind = 'country' GROUP BY country_iso3) AS c ON c.country_iso3 = e.country_iso3
LEFT JOIN by_role AS r USING (event_id)
LEFT JOIN articles AS ar USING (event_id)
