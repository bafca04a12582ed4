-- One row per place across all current articles, with its parent (ancestors are extracted too).
SELECT
    e.entity_id AS place_id,
    min(e.name) AS name,
    min(e.kind) AS place_kind,
    min(e.country_iso3) AS country_iso3,
    min(e.admin1) AS admin1,
    min(e.admin2) AS admin2,
    min(e.latitude) AS latitude,
    min(e.longitude) AS longitude,
    min(e.geonames_id) AS geonames_id,
    min(e.parent_id) AS parent_place_id
FROM cache.entities AS e
JOIN current_articles USING (article_id)
WHERE e.entity_table = 'places'
GROUP BY e.entity_id
ORDER BY place_id
