-- One row per institution across all current articles; surface forms become aliases.
SELECT
    e.entity_id AS institution_id,
    min(e.name) AS name,
    min(e.acronym) AS acronym,
    min(e.kind) AS institution_kind,
    coalesce(min(e.category), 'other') AS category,
    min(e.country_iso3) AS country_iso3,
    list_sort(list_distinct(list(e.alias) FILTER (WHERE e.alias <> e.name))) AS aliases
FROM cache.entities AS e
JOIN current_articles USING (article_id)
WHERE e.entity_table = 'institutions'
GROUP BY e.entity_id
ORDER BY institution_id
