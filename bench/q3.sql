-- Query (3)'s equivalent: the declaration summary of a year.
SELECT COUNT(DISTINCT implementing_unit_id), COUNT(*), COALESCE(SUM(annual_request_fen), 0)
FROM projects WHERE fiscal_year = 2024 AND deleted_at IS NULL;
