#!/usr/bin/env bash
# The to-do badges (`todoCounts`, one statement) and the first page of `todo` for an approver
# over a 10,000-project year, at one connection (a person loading a page), against the release
# binary on PostgreSQL: as generated (a quarter of the year waits for the bureau) and with every
# project waiting (the worst case). Prints wrk's latency lines and the statement's plan time.
#
#   bench/todo_counts.sh
#
# Needs PostgreSQL on JIXIAO_TEST_DATABASE_URL (as the tests do) and wrk (installed from
# Debian's packages when missing). The data set jixiao_bench_todo is kept between runs.
DATA=jixiao_bench_todo
PORT=18091
source "$(dirname "$0")/one_screen.sh"

if ! kept; then
  say "generating 10,000 projects"
  psql "$ADMIN_URL" -qc "CREATE DATABASE $DATA"
  "$BIN" generate --database-url "$DB_URL" --departments 50 --projects-per-department 200 --fiscal-year 2024 >&2
  echo "$PASSWORD" | "$BIN" user add --database-url "$DB_URL" --username bench-approver --role APPROVER --password-stdin >&2
  psql "$DB_URL" -qc "INSERT INTO deadlines (fiscal_year, stage, department_id, due_on, set_by, set_at)
    SELECT 2024, s, NULL, '2023-11-30', (SELECT min(id) FROM users), now() FROM unnest(ARRAY['DECLARATION','BUREAU_REVIEW']) s"
  psql "$DB_URL" -qc "CREATE TABLE bench_statuses AS SELECT id, status FROM projects"
fi

start
TOKEN=$(token bench-approver)
echo '{"query":"{ todoCounts { total overdue byKind { kind count overdue } } }"}' >"$WORK/counts.json"
echo '{"query":"{ todo(first: 20) { edges { node { id kind deadline overdue since project { name } department { name } } } pageInfo { hasNextPage endCursor } } }"}' >"$WORK/page.json"

measure() { # measure LABEL
  for q in counts page; do
    local answer
    answer=$(curl -s "http://127.0.0.1:$PORT/graphql" -H 'content-type: application/json' -H "authorization: Bearer $TOKEN" -d @"$WORK/$q.json")
    case "$answer" in *'"errors"'*) say "$q answered with errors: $answer"; exit 1 ;; esac
    printf '%s, %s: %s' "$1" "$q" "$(one_connection "$WORK/$q.json")"
    echo
  done
  psql "$DB_URL" -Atc "SELECT count(*) FROM projects WHERE status IN ('SUBMITTED', 'ADJUSTMENT_SUBMITTED')" | sed "s/^/$1: waiting for the bureau: /"
}

# Each state is vacuumed, as autovacuum would have done by the time anyone reads it.
psql "$DB_URL" -qc "UPDATE projects p SET status = b.status FROM bench_statuses b WHERE b.id = p.id" -c "VACUUM ANALYZE projects"
measure "as generated"
psql "$DB_URL" -qc "UPDATE projects SET status = 'SUBMITTED'" -c "VACUUM ANALYZE projects"
measure "every project waiting"
psql "$DB_URL" -qc "UPDATE projects p SET status = b.status FROM bench_statuses b WHERE b.id = p.id" -c "VACUUM ANALYZE projects"
