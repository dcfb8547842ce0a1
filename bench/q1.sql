-- Query (1)'s equivalent: the first 20 projects of a department and year with their funds,
-- fund items and indicators, as one JSON document.
SELECT json_agg(p) FROM (
  SELECT pr.id, pr.name, pr.status, pr.total_fen, pr.annual_request_fen,
    (SELECT json_agg(json_build_object('name', f.name, 'amount', f.amount_fen) ORDER BY f.position)
       FROM fund_items f WHERE f.project_id = pr.id) AS fund_items,
    (SELECT json_agg(json_build_object('level1', i.level1, 'level2', i.level2, 'name', i.name, 'target', i.target_text) ORDER BY i.position)
       FROM indicators i WHERE i.project_id = pr.id) AS indicators
  FROM projects pr
  WHERE pr.department_id = :dept AND pr.fiscal_year = 2024 AND pr.deleted_at IS NULL
  ORDER BY pr.id LIMIT 20
) p;
