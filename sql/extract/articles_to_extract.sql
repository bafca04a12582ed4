-- Ids of published articles with no cached extraction at the current extractor version.
SELECT a.article_id
FROM main.articles AS a
WHERE a.article_id NOT IN (
    SELECT article_id FROM cache.extracted WHERE extractor_version = $version
)
ORDER BY a.article_id
