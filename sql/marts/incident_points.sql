-- Events with coordinates: the report's map, and the properties of the GeoJSON features.
SELECT
    e.event_id, e.event_id_cnty, e.event_date, e.time_precision, e.event_type,
    e.sub_event_type, e.actor1, e.actor2, e.location, e.admin1, e.iso3, e.latitude, e.longitude,
    e.geo_precision, e.fatalities, e.fatalities_min, e.fatalities_max, e.n_sources, e.notes,
    e.source
FROM main.acled_events AS e
WHERE e.latitude IS NOT NULL AND e.longitude IS NOT NULL
ORDER BY e.event_date, e.event_id
