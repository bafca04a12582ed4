-- staging.places with the coordinate and parent facts its suite asserts.
SELECT
    p.*,
    coalesce(p.latitude = 0 AND p.longitude = 0, false) AS null_island,
    p.parent_place_id IS NULL
        OR p.parent_place_id IN (SELECT place_id FROM staging.places) AS parent_found
FROM staging.places AS p
