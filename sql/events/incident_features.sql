-- One row per published incident with what fusion compares: its article (outlet, when it was
-- first reported), its place with the places containing it, its named participants and the
-- specific entities named in its evidence span. Read by pipelines/events/assets.py.
WITH RECURSIVE ancestry(place_id, ancestor_id, depth) AS (
    -- Only the places of incidents: the lineage is joined to nothing else (at 20,000
    -- articles, 10,252 of the 27,985 places).
    SELECT place_id, place_id, 0 FROM main.places
    WHERE place_id IN (SELECT place_id FROM main.incidents)
    UNION ALL
    SELECT a.place_id, p.parent_place_id, a.depth + 1
    FROM ancestry AS a JOIN main.places AS p ON p.place_id = a.ancestor_id
    WHERE p.parent_place_id IS NOT NULL AND a.depth < 8
),
lineage AS (
    -- A place without coordinates takes those of its nearest ancestor that has them.
    SELECT place_id,
           list_transform(ancestors, lambda x: x.id) AS place_lineage_ids,
           list_transform(ancestors, lambda x: x.name) AS place_lineage,
           list_transform(ancestors, lambda x: x.kind) AS place_lineage_kinds,
           latitude, longitude, admin1
    FROM (
        -- The ancestors in order of depth: a place has one ancestor at each depth, so the
        -- list of (depth, ...) sorted once gives the three lists an aggregate ordered by
        -- depth would sort three times (that was a third of this query's CPU).
        SELECT a.place_id,
               list_sort(list({'depth': a.depth, 'id': p.place_id, 'name': p.name,
                               'kind': p.place_kind})) AS ancestors,
               arg_min(p.latitude, a.depth) FILTER (WHERE p.latitude IS NOT NULL) AS latitude,
               arg_min(p.longitude, a.depth) FILTER (WHERE p.latitude IS NOT NULL) AS longitude,
               arg_min(p.admin1, a.depth) FILTER (WHERE p.admin1 IS NOT NULL) AS admin1
        FROM ancestry AS a JOIN main.places AS p ON p.place_id = a.ancestor_id
        GROUP BY a.place_id
    )
),
participants AS (
    SELECT ia.incident_id, ia.role, ia.actor_id AS entity_id, a.category,
           -- Generic participants ("Civilians (Haiti)", "Unidentified gang (Haiti)") name nobody.
           a.actor_kind NOT IN ('civilians', 'protesters', 'rioters')
               AND a.name NOT ILIKE 'Unidentified %' AS named,
           a.actor_kind = 'armed_group' AND a.name NOT ILIKE 'Unidentified %' AS named_group
    FROM main.incident_actors AS ia JOIN main.actors AS a USING (actor_id)
    UNION ALL
    SELECT ii.incident_id, ii.role, ii.institution_id, n.category, true, false
    FROM main.incident_institutions AS ii JOIN main.institutions AS n USING (institution_id)
),
by_incident AS (
    SELECT incident_id,
           coalesce(list(DISTINCT entity_id ORDER BY entity_id) FILTER (WHERE named), [])
               AS named_participants,
           coalesce(list(DISTINCT entity_id ORDER BY entity_id) FILTER (WHERE named_group), [])
               AS named_groups,
           coalesce(list(DISTINCT category ORDER BY category) FILTER (WHERE role = 'actor1'), [])
               AS actor1_categories,
           coalesce(list(DISTINCT category ORDER BY category) FILTER (WHERE role = 'actor2'), [])
               AS actor2_categories
    FROM participants
    GROUP BY incident_id
),
span_entities AS (
    -- Specific entities named inside the evidence span: countries, first-level divisions and
    -- generic participants are left out, every report from a country shares them.
    SELECT i.incident_id, list(DISTINCT m.entity_id ORDER BY m.entity_id) AS span_entities
    FROM main.incidents AS i
    JOIN main.mentions AS m
      ON m.article_id = i.article_id AND m.char_start >= i.char_start AND m.char_end <= i.char_end
    LEFT JOIN main.places AS p ON m.entity_table = 'places' AND p.place_id = m.entity_id
    LEFT JOIN main.actors AS a ON m.entity_table = 'actors' AND a.actor_id = m.entity_id
    WHERE coalesce(p.place_kind, '') NOT IN ('country', 'admin1', 'region')
      AND NOT coalesce(a.actor_kind IN ('civilians', 'protesters', 'rioters')
                       OR a.name ILIKE 'Unidentified %', false)
    GROUP BY i.incident_id
)
SELECT
    i.incident_id,
    i.article_id,
    a.outlet,
    coalesce(a.canonical_url, a.url) AS url,
    a.source_uri,
    a.external_id,
    a.title,
    a.language,
    a.published_date,
    coalesce(CAST(a.published_date AS TIMESTAMP), a.fetched_at, a.ingested_at) AS first_reported_at,
    i.event_date,
    i.date_precision,
    i.date_source,
    i.event_type,
    i.sub_event_type,
    i.place_id,
    p.name AS place_name,
    p.place_kind,
    p.country_iso3,
    coalesce(p.admin1, l.admin1) AS admin1,
    l.latitude,
    l.longitude,
    coalesce(l.place_lineage_ids, []) AS place_lineage_ids,
    coalesce(l.place_lineage, []) AS place_lineage,
    coalesce(l.place_lineage_kinds, []) AS place_lineage_kinds,
    i.geo_precision,
    i.fatalities,
    i.injuries,
    i.confidence,
    i.summary,
    i.char_start,
    i.char_end,
    coalesce(b.named_participants, []) AS named_participants,
    coalesce(b.named_groups, []) AS named_groups,
    coalesce(b.actor1_categories, []) AS actor1_categories,
    coalesce(b.actor2_categories, []) AS actor2_categories,
    coalesce(s.span_entities, []) AS span_entities
FROM main.incidents AS i
JOIN main.articles AS a USING (article_id)
LEFT JOIN main.places AS p USING (place_id)
LEFT JOIN lineage AS l USING (place_id)
LEFT JOIN by_incident AS b USING (incident_id)
LEFT JOIN span_entities AS s USING (incident_id)
ORDER BY i.incident_id
