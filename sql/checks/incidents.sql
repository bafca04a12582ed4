-- staging.incidents with its foreign keys, evidence span and taxonomy membership resolved.
SELECT
    i.*,
    a.article_id IS NOT NULL AS article_found,
    i.place_id IS NULL OR i.place_id IN (SELECT place_id FROM staging.places) AS place_found,
    coalesce(i.event_date BETWEEN DATE '1900-01-01' AND current_date, false) AS event_date_in_range,
    coalesce(i.char_start >= 0 AND i.char_end <= length(a.body) AND i.char_start < i.char_end, false)
        AS span_inside_body,
    (i.event_type, i.sub_event_type) IN (
        SELECT (event_type, sub_event_type) FROM staging.event_taxonomy
    ) AS in_taxonomy
FROM staging.incidents AS i
LEFT JOIN main.articles AS a USING (article_id)
