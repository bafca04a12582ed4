-- staging.event_id_history: every retired id points at a published event and is not one.
SELECT
    h.*,
    h.event_id IN (SELECT event_id FROM staging.events) AS target_found,
    h.retired_event_id NOT IN (SELECT event_id FROM staging.events) AS retired_is_not_live
FROM staging.event_id_history AS h
