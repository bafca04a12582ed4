SELECT s.article_id, s.sentence_index, s.char_start, s.char_end, s.text
FROM cache.sentences AS s
JOIN current_articles USING (article_id)
ORDER BY s.article_id, s.sentence_index
