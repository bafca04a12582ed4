-- Where each place is: its own coordinates, or those of its nearest located ancestor (a village
-- the gazetteer lacks takes its town's position; geo_precision says so), with that admin1.
-- Read by the acled_events and acled_incidents views.
CREATE OR REPLACE VIEW main.place_positions AS
WITH RECURSIVE located(place_id, ancestor_id, depth) AS (
    SELECT place_id, place_id, 0 FROM main.places
    UNION ALL
    SELECT l.place_id, p.parent_place_id, l.depth + 1
    FROM located AS l JOIN main.places AS p ON p.place_id = l.ancestor_id
    WHERE p.latitude IS NULL AND p.parent_place_id IS NOT NULL AND l.depth < 8
)
SELECT l.place_id, arg_min(a.latitude, l.depth) AS latitude,
       arg_min(a.longitude, l.depth) AS longitude, arg_min(a.admin1, l.depth) AS admin1
FROM located AS l JOIN main.places AS a ON a.place_id = l.ancestor_id
WHERE a.latitude IS NOT NULL
GROUP BY l.place_id
