-- Query (2)'s equivalent: one project by id with everything, as one JSON document.
SELECT json_build_object(
  'project', row_to_json(pr),
  'department', (SELECT row_to_json(d) FROM departments d WHERE d.id = pr.department_id),
  'unit', (SELECT row_to_json(u) FROM budget_units u WHERE u.id = pr.implementing_unit_id),
  'fund_items', (SELECT json_agg(f ORDER BY f.position) FROM fund_items f WHERE f.project_id = pr.id),
  'indicators', (SELECT json_agg(i ORDER BY i.position) FROM indicators i WHERE i.project_id = pr.id),
  'reviews', (SELECT json_agg(r ORDER BY r.id) FROM reviews r WHERE r.project_id = pr.id))
FROM projects pr WHERE pr.id = :project AND pr.deleted_at IS NULL;
