-- staging.articles with the date fact its suite asserts (not before 1900, not in the future).
SELECT
    a.*,
    a.published_date IS NULL
        OR a.published_date BETWEEN DATE '1900-01-01' AND current_date AS published_date_in_range
FROM staging.articles AS a
