-- One row per actor across all current articles; every surface form becomes an alias.
SELECT
    e.entity_id AS actor_id,
    min(e.name) AS name,
    min(e.kind) AS actor_kind,
    coalesce(min(e.category), 'other') AS category,
    min(e.country_iso3) AS country_iso3,
    list_sort(list_distinct(list(e.alias) FILTER (WHERE e.alias <> e.name))) AS aliases
FROM cache.entities AS e
JOIN current_articles USING (article_id)
WHERE e.entity_table = 'actors'
GROUP BY e.entity_id
ORDER BY actor_id
