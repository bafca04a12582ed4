-- staging.sentences with the facts its suite asserts: the article exists and the span is its text.
SELECT
    s.*,
    a.article_id IS NOT NULL AS article_found,
    coalesce(s.char_start >= 0 AND s.char_end <= length(a.body) AND s.char_start < s.char_end, false)
        AS span_inside_body,
    coalesce(substring(a.body, s.char_start + 1, s.char_end - s.char_start) = s.text, false)
        AS span_matches_text
FROM staging.sentences AS s
LEFT JOIN main.articles AS a USING (article_id)
