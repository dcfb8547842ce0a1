#!/usr/bin/env bash
# One write a second to one department's year, for as long as it runs: what a screen's kept
# answers (README, "Answers kept between requests") must survive during a load run. The write is
# made in the database (as another instance, the command line or an operator would): it renames
# a project of the department, which every server in the run shows on its list screen, so each
# write changes every server's answer and drops every kept one.
#
#   bench/write_every_second.sh                      # beside ../shared/bench/side_by_side.sh
#   PGPORT=55434 DB=sbs DEPT_OFFSET=6 bench/write_every_second.sh
#
# The department is the side-by-side script's (the 7th by id). It waits for the timed rounds to
# begin (the first round's output under target/side-by-side/, made after this started; the
# script first checks that PostGraphile 5 answers what PostGraphile 4 does, which a rename in
# between would upset), then writes until stopped, printing a line every 60 writes.
set -euo pipefail
cd "$(dirname "$0")/.."
PGPORT=${PGPORT:-55434}; DB=${DB:-sbs}; DEPT_OFFSET=${DEPT_OFFSET:-6}
psql_() { psql -qAt -h 127.0.0.1 -p "$PGPORT" -U postgres "$DB" "$@"; }
stamp=$(mktemp); trap 'rm -f "$stamp"' EXIT
mkdir -p target/side-by-side
until [[ -n "$(find target/side-by-side -name 'wrk-jx-list-1.txt' -newer "$stamp" 2>/dev/null)" ]]; do sleep 0.5; done
project=
until [[ -n "$project" ]]; do
  project=$(psql_ -c "SELECT p.id FROM projects p WHERE p.department_id =
      (SELECT id FROM departments ORDER BY id OFFSET $DEPT_OFFSET LIMIT 1) AND p.fiscal_year = 2024
      ORDER BY p.id LIMIT 1" 2>/dev/null || true)
  [[ -n "$project" ]] || sleep 1
done
name=$(psql_ -c "SELECT name FROM projects WHERE id = $project")
echo "[writer] renaming project $project once a second" >&2
n=0
while true; do
  n=$((n + 1))
  psql_ -c "UPDATE projects SET name = '$name（第 $n 次）', updated_at = now() WHERE id = $project" || true
  (( n % 60 == 0 )) && echo "[writer] $n writes" >&2
  sleep 1
done
