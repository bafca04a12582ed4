-- Articles published in main whose extraction at the current extractor version is cached,
-- from the same publication date, title and language (the complement of articles_to_extract).
CREATE OR REPLACE TEMP TABLE current_articles AS
SELECT a.article_id
FROM main.articles AS a
WHERE EXISTS (
    SELECT 1 FROM cache.extracted AS e
    WHERE e.article_id = a.article_id AND e.extractor_version = $version
      AND e.title IS NOT DISTINCT FROM a.title
      AND e.published_date IS NOT DISTINCT FROM a.published_date
      AND e.published_precision IS NOT DISTINCT FROM a.published_precision
      AND e.language IS NOT DISTINCT FROM a.language
)
