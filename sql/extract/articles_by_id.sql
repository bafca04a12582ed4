-- What extraction reads of the articles whose ids are in $ids (one batch).
SELECT a.article_id, a.body, a.title, a.published_date, a.published_precision, a.ingested_at,
       a.language
FROM main.articles AS a
WHERE a.article_id IN (SELECT unnest($ids::VARCHAR[]))
ORDER BY a.article_id
