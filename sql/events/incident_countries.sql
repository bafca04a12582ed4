-- How many incidents of sql/events/incident_features.sql each country has ('' for none): what
-- pipelines/events/build.py puts together into blocks fused one at a time.
SELECT coalesce(p.country_iso3, '') AS country, count(*) AS incidents
FROM main.incidents AS i
JOIN main.articles AS a USING (article_id)
LEFT JOIN main.places AS p USING (place_id)
GROUP BY ALL
ORDER BY country
