-- staging.events beside its reports: how many incidents and articles were fused into it and
-- the lowest and highest toll they give, so the suite checks n_sources and the fatalities rule.
WITH reports AS (
    SELECT ei.event_id, count(*) AS member_incidents, count(DISTINCT i.article_id) AS articles,
           min(i.fatalities) AS lowest, max(i.fatalities) AS highest
    FROM staging.event_incidents AS ei
    JOIN main.incidents AS i USING (incident_id)
    GROUP BY ei.event_id
)
SELECT
    e.*,
    coalesce(r.member_incidents, 0) AS member_incidents,
    e.n_sources = coalesce(r.articles, 0) AS n_sources_matches_articles,
    CASE WHEN r.lowest IS NULL THEN e.fatalities IS NULL
         ELSE coalesce(e.fatalities BETWEEN r.lowest AND r.highest, false) END
        AS fatalities_within_reports,
    e.fatalities_min IS NOT DISTINCT FROM r.lowest AND e.fatalities_max IS NOT DISTINCT FROM r.highest
        AS spread_matches_reports,
    e.place_id IS NULL OR e.place_id IN (SELECT place_id FROM main.places) AS place_found,
    (e.event_type, e.sub_event_type) IN (
        SELECT (event_type, sub_event_type) FROM main.event_taxonomy
    ) AS in_taxonomy
FROM staging.events AS e
LEFT JOIN reports AS r USING (event_id)
