-- One GeoJSON Feature (as JSON text) per event with coordinates, for incidents.geojson.
-- GeoJSON orders coordinates longitude first.
SELECT json_object(
    'type', 'Feature',
    'id', e.event_id,
    'geometry', json_object('type', 'Point', 'coordinates', json_array(e.longitude, e.latitude)),
    'properties', json_object(
        'event_id', e.event_id, 'event_id_cnty', e.event_id_cnty, 'event_date', e.event_date,
        'time_precision', e.time_precision, 'event_type', e.event_type,
        'sub_event_type', e.sub_event_type, 'actor1', e.actor1, 'actor2', e.actor2,
        'location', e.location, 'admin1', e.admin1, 'iso3', e.iso3,
        'geo_precision', e.geo_precision, 'fatalities', e.fatalities,
        'fatalities_min', e.fatalities_min, 'fatalities_max', e.fatalities_max,
        'n_sources', e.n_sources, 'notes', e.notes, 'source', e.source
    )
)::VARCHAR AS feature
FROM main.acled_events AS e
WHERE e.latitude IS NOT NULL AND e.longitude IS NOT NULL
ORDER BY e.event_date, e.event_id
