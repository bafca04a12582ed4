-- Articles published in main whose extraction at the current extractor version is cached.
CREATE OR REPLACE TEMP TABLE current_articles AS
SELECT a.article_id
FROM main.articles AS a
JOIN cache.extracted AS e USING (article_id)
WHERE e.extractor_version = $version
