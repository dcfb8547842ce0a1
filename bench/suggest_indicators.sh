#!/usr/bin/env bash
# `suggestIndicators` as a person types (one connection, the release binary on PostgreSQL) over a
# large library: a 10,000-project year approved and seeded (every row linked to its entry), plus
# 2,000 entries of the typing department and 2,000 common ones whose names end in 满意度 (the
# worst case: thousands match, each ranked by its uses). Prints wrk's latency lines per text typed.
#
#   bench/suggest_indicators.sh
#
# Needs PostgreSQL on JIXIAO_TEST_DATABASE_URL (as the tests do) and wrk (installed from
# Debian's packages when missing). The data set jixiao_bench_library is kept between runs.
DATA=jixiao_bench_library
PORT=18092
source "$(dirname "$0")/one_screen.sh"

if ! kept; then
  say "generating 10,000 projects, approving and seeding them"
  psql "$ADMIN_URL" -qc "CREATE DATABASE $DATA"
  "$BIN" generate --database-url "$DB_URL" --departments 50 --projects-per-department 200 --fiscal-year 2024 >&2
  # As autovacuum would have by then: without statistics the seeding's plans are blind (15 s and
  # more instead of 2 s on the freshly generated tables).
  psql "$DB_URL" -qc "UPDATE projects SET status = 'APPROVED'" -c "VACUUM ANALYZE"
  DEPT=$(psql "$DB_URL" -Atc "SELECT code FROM departments ORDER BY id LIMIT 1")
  echo "$PASSWORD" | "$BIN" user add --database-url "$DB_URL" --username bench-admin --role ADMIN --password-stdin >&2
  echo "$PASSWORD" | "$BIN" user add --database-url "$DB_URL" --username bench-submitter --role SUBMITTER \
    --department "$DEPT" --password-stdin >&2
  start
  curl -s "http://127.0.0.1:$PORT/graphql" -H 'content-type: application/json' -H "authorization: Bearer $(token bench-admin)" \
    -d '{"query":"mutation { seedIndicatorLibrary(fiscalYear: 2024) { entriesCreated proposalsCreated rowsLinked } }"}' >&2
  echo >&2
  kill $SERVER; wait $SERVER 2>/dev/null || true
  psql "$DB_URL" -qc "INSERT INTO library_entries (scope, department_id, level1, level2, name, unit, direction,
      definition, formula, value_basis, status, aliases, version, created_by, created_at, updated_at)
    SELECT CASE WHEN d IS NULL THEN 'COMMON' ELSE 'DEPARTMENT' END, d, 'SATISFACTION', 'SERVICE_SATISFACTION',
      '指标' || n || '号对象满意度', '%', 'HIGHER_IS_BETTER', '', '', 'HISTORY', 'CONFIRMED', '[\"别名' || n || '\"]', 1,
      (SELECT min(id) FROM users), now(), now()
    FROM generate_series(1, 2000) n,
         (SELECT (SELECT min(id) FROM departments) AS d UNION ALL SELECT NULL) ds" -c "VACUUM ANALYZE"
fi

start
TOKEN=$(token bench-submitter)
psql "$DB_URL" -Atc "SELECT count(*) FROM library_entries" | sed 's/^/entries in the library: /' >&2
psql "$DB_URL" -Atc "SELECT count(*) FROM indicators WHERE library_entry_id IS NOT NULL" | sed 's/^/rows linked: /' >&2
for text in 服务对象 满意度 指标19; do
  printf '{"query":"{ suggestIndicators(level2: SERVICE_SATISFACTION, text: \\"%s\\") { entry { id name unit } uses } }"}' "$text" >"$WORK/q.json"
  answer=$(curl -s "http://127.0.0.1:$PORT/graphql" -H 'content-type: application/json' -H "authorization: Bearer $TOKEN" -d @"$WORK/q.json")
  case "$answer" in *'"errors"'*) say "$text answered with errors: $answer"; exit 1 ;; esac
  printf 'text "%s" (%s suggestions): %s\n' "$text" "$(grep -o '"uses"' <<<"$answer" | wc -l)" "$(one_connection "$WORK/q.json")"
done
