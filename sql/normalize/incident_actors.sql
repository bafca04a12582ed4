SELECT DISTINCT p.incident_id, p.entity_id AS actor_id, p.role
FROM cache.participants AS p
JOIN current_articles USING (article_id)
WHERE p.entity_table = 'actors'
ORDER BY ALL
