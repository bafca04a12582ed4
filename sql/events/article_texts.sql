-- Every published article's text and when it was first reported, for wire-copy detection.
SELECT
    article_id,
    body,
    coalesce(CAST(published_date AS TIMESTAMP), fetched_at, ingested_at) AS first_reported_at
FROM main.articles
ORDER BY article_id
