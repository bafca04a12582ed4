-- staging.mentions with its foreign keys and evidence spans resolved.
SELECT
    m.*,
    a.article_id IS NOT NULL AS article_found,
    coalesce(m.char_start >= 0 AND m.char_end <= length(a.body) AND m.char_start < m.char_end, false)
        AS span_inside_body,
    coalesce(substring(a.body, m.char_start + 1, m.char_end - m.char_start) = m.text, false)
        AS span_matches_text,
    CASE m.entity_table
        WHEN 'actors' THEN m.entity_id IN (SELECT actor_id FROM staging.actors)
        WHEN 'institutions' THEN m.entity_id IN (SELECT institution_id FROM staging.institutions)
        WHEN 'places' THEN m.entity_id IN (SELECT place_id FROM staging.places)
        ELSE false
    END AS entity_found
FROM staging.mentions AS m
LEFT JOIN main.articles AS a USING (article_id)
