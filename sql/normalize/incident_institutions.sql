SELECT DISTINCT p.incident_id, p.entity_id AS institution_id, p.role
FROM cache.participants AS p
JOIN current_articles USING (article_id)
WHERE p.entity_table = 'institutions'
ORDER BY ALL
