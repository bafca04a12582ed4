-- Ids of published articles with no cached extraction at the current extractor version.
-- The rarest languages first, each language together: with batches handed to workers in this
-- order, a language's model (French takes seconds to load) is loaded by the one worker that
-- takes its batch while the others go on with the common language, loaded before the fork.
SELECT a.article_id
FROM main.articles AS a
WHERE a.article_id NOT IN (
    SELECT article_id FROM cache.extracted WHERE extractor_version = $version
)
ORDER BY count(*) OVER (PARTITION BY a.language), a.language NULLS LAST, a.article_id
