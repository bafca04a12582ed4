-- staging.incident_institutions with both foreign keys resolved.
SELECT
    b.*,
    b.incident_id IN (SELECT incident_id FROM staging.incidents) AS incident_found,
    b.institution_id IN (SELECT institution_id FROM staging.institutions) AS institution_found
FROM staging.incident_institutions AS b
