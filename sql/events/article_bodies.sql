-- The bodies of the articles whose ids are in $ids, for finding wire copy among them.
SELECT article_id, body
FROM main.articles
WHERE article_id IN (SELECT unnest($ids::VARCHAR[]))
