-- Published articles with no cached extraction at the current extractor version.
SELECT a.article_id, a.body, a.title, a.published_date, a.published_precision, a.ingested_at,
       a.language
FROM main.articles AS a
WHERE a.article_id NOT IN (
    SELECT article_id FROM cache.extracted WHERE extractor_version = $version
)
ORDER BY a.article_id
