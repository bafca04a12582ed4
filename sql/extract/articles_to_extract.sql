-- Ids of published articles with no cached extraction at the current extractor version from
-- the same publication date, title and language (cache.READ_COLUMNS).
-- The rarest languages first, each language together: with batches handed to workers in this
-- order, a language's model (French takes seconds to load) is loaded by the one worker that
-- takes its batch while the others go on with the common language, loaded before the fork.
SELECT a.article_id
FROM main.articles AS a
WHERE NOT EXISTS (
    SELECT 1 FROM cache.extracted AS e
    WHERE e.article_id = a.article_id AND e.extractor_version = $version
      AND e.title IS NOT DISTINCT FROM a.title
      AND e.published_date IS NOT DISTINCT FROM a.published_date
      AND e.published_precision IS NOT DISTINCT FROM a.published_precision
      AND e.language IS NOT DISTINCT FROM a.language
)
ORDER BY count(*) OVER (PARTITION BY a.language), a.language NULLS LAST, a.article_id
