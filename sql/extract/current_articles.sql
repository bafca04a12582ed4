-- Articles published in main whose extraction at the current extractor version is cached from
-- what they say now: every article that articles_to_extract (filled in by
-- cache.select_current) does not return.
CREATE OR REPLACE TEMP TABLE current_articles AS
SELECT a.article_id
FROM main.articles AS a
WHERE a.article_id NOT IN (SELECT article_id FROM (
{articles_to_extract}
))
