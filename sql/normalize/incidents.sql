SELECT i.*
FROM cache.incidents AS i
JOIN current_articles USING (article_id)
ORDER BY i.article_id, i.incident_id
