SELECT m.mention_id, m.article_id, m.sentence_index, m.char_start, m.char_end, m.text,
       m.entity_table, m.entity_id
FROM cache.mentions AS m
JOIN current_articles USING (article_id)
ORDER BY m.article_id, m.char_start, m.mention_id
