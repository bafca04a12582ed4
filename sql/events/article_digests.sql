-- Every published article's body digest (SHA-1 of its UTF-8 text, an empty text for none: what
-- `wire._BodyReader.digests` computes) and when it was first reported: what finding wire copy
-- reads on a night fused from the stored state, where only new and changed bodies are read
-- (sql/events/article_bodies.sql).
SELECT
    article_id,
    sha1(coalesce(body, '')) AS digest,
    coalesce(CAST(published_date AS TIMESTAMP), fetched_at, ingested_at) AS first_reported_at
FROM main.articles
ORDER BY article_id
