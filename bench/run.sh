#!/usr/bin/env bash
# Reruns the whole benchmark on this machine and writes bench/results.md:
#   release build → data sets (10k and 100k projects, generated deterministically) →
#   the API under wrk (queries 1–3) and the mutation-mix driver (query 4) at 1, 8 and 32
#   connections → pgbench running the equivalent SQL at the same concurrency → peak memory.
#
#   bench/run.sh                       # everything (about 15 minutes on 2 cores)
#   BENCH_SIZES=10k BENCH_SECONDS=5 bench/run.sh   # a quicker look
#
# Needs PostgreSQL on JIXIAO_TEST_DATABASE_URL (as the tests do), wrk and pgbench (installed
# from Debian's packages when missing). Data sets are kept between runs (jixiao_bench_10k,
# jixiao_bench_100k); drop them to regenerate.
set -euo pipefail
cd "$(dirname "$0")/.."

RUN_SECONDS=${BENCH_SECONDS:-10}
CONNECTIONS=${BENCH_CONNECTIONS:-"1 8 32"}
SIZES=${BENCH_SIZES:-"10k 100k"}
ADMIN_URL=${JIXIAO_TEST_DATABASE_URL:-postgres://postgres:postgres@127.0.0.1:5432/postgres}
BASE_URL=${ADMIN_URL%/*}
PORT=18090
SECRET=benchmark-secret-0123456789abcdef0123456789
PASSWORD="benchmark password"
OUT=bench/results.md
WORK=$(mktemp -d)
trap 'kill $SERVER 2>/dev/null || true; rm -rf "$WORK"' EXIT
SERVER=

say() { printf '\033[1m[bench]\033[0m %s\n' "$*" >&2; }

command -v wrk >/dev/null || { say "installing wrk"; apt-get install -y -qq wrk >/dev/null; }
PGBENCH=$(command -v pgbench || ls /usr/lib/postgresql/*/bin/pgbench 2>/dev/null | tail -n 1)
[ -x "$PGBENCH" ] || { say "installing pgbench"; apt-get install -y -qq postgresql-contrib >/dev/null; PGBENCH=$(ls /usr/lib/postgresql/*/bin/pgbench | tail -n 1); }

say "release build"
cargo build --release -q -p jixiao-gateway -p jixiao-tests --bin jixiao --bin mutation_mix
BIN=target/release/jixiao
MIX=target/release/mutation_mix

gql() { # gql TOKEN JSON-BODY → response
  curl -s "http://127.0.0.1:$PORT/graphql" -H 'content-type: application/json' ${1:+-H "authorization: Bearer $1"} -d "$2"
}
json_field() { python3 -c "import json,sys; d=json.load(sys.stdin); print(eval('d'+sys.argv[1]))" "$1"; }
statements() { curl -s "http://127.0.0.1:$PORT/metrics" | awk '/^jixiao_sql_statements_total /{print $2}'; }
to_ms() { awk '{v=$1; if (v ~ /us$/) {sub(/us/,"",v); v/=1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v*=1000}; printf "%.2f", v}'; }

{
  echo "# Benchmark results"
  echo
  echo "Run $(date -u '+%Y-%m-%d %H:%M UTC') on $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(psql "$ADMIN_URL" -tAc 'show server_version' | cut -d' ' -f1) PostgreSQL on the same machine; ${RUN_SECONDS} s per cell."
  echo
  echo "| data set | query | conns | API req/s | API p50 ms | API p99 ms | SQL stmts/req | pgbench tps | pgbench p50 ms | pgbench p99 ms | API / pgbench |"
  echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
} > "$OUT"

for size in $SIZES; do
  case $size in
    10k) DEPTS=50; PER=200 ;;
    100k) DEPTS=100; PER=1000 ;;
    *) say "unknown size $size"; exit 1 ;;
  esac
  DB=jixiao_bench_$size
  URL=$BASE_URL/$DB
  if ! psql "$ADMIN_URL" -tAc "select 1 from pg_database where datname = '$DB'" | grep -q 1; then
    say "generating $size ($DEPTS departments × $PER projects × 10 indicators)"
    psql "$ADMIN_URL" -qc "create database $DB"
    DATABASE_URL=$URL "$BIN" generate --departments $DEPTS --projects-per-department $PER --indicators-per-project 10 --fiscal-year 2024 >&2
    printf '%s\n' "$PASSWORD" | DATABASE_URL=$URL "$BIN" user add --username bench-admin --role ADMIN --password-stdin >&2
    printf '%s\n' "$PASSWORD" | DATABASE_URL=$URL "$BIN" user add --username bench-submitter --role SUBMITTER --department GEN-D0001 --password-stdin >&2
    psql "$URL" -qc "vacuum analyze"
  fi

  say "serving $size"
  DATABASE_URL=$URL JIXIAO_JWT_SECRET=$SECRET JIXIAO_DB_POOL=32 JIXIAO_MAX_CREATES_PER_HOUR=0 RUST_LOG=warn "$BIN" serve --bind 127.0.0.1:$PORT &
  SERVER=$!
  for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.1; done
  login() { gql "" "{\"query\":\"mutation { login(username: \\\"$1\\\", password: \\\"$PASSWORD\\\") { token } }\"}" | json_field '["data"]["login"]["token"]'; }
  TOKEN=$(login bench-admin)
  SUBMITTER_TOKEN=$(login bench-submitter)
  DEPT_CODE=GEN-D0025
  DEPT_ID=$(gql "$TOKEN" "{\"query\":\"{ department(code: \\\"$DEPT_CODE\\\") { id } }\"}" | json_field '["data"]["department"]["id"]')
  UNIT_ID=$(gql "$TOKEN" '{"query":"{ department(code: \"GEN-D0001\") { budgetUnits { id } } }"}' | json_field '["data"]["department"]["budgetUnits"][0]["id"]')
  DEPT_ROW=$(psql "$URL" -tAc "select id from departments where code = '$DEPT_CODE'")
  PROJECT_ROW=$(psql "$URL" -tAc "select id from projects where department_id = $DEPT_ROW order by id limit 1 offset 7")
  PROJECT_ID=$(printf 'Project:%s' "$PROJECT_ROW" | base64 | tr '+/' '-_' | tr -d '=\n')

  cat > "$WORK/q1.json" <<JSON
{"query":"query Q1(\$d: ID!) { projects(filter: { departmentId: \$d, fiscalYear: 2024 }, first: 20) { nodes { id name status funds { total annualRequest } fundItems { name amount } indicators { level1 level2 name target { text } } } } }","variables":{"d":"$DEPT_ID"}}
JSON
  cat > "$WORK/q2.json" <<JSON
{"query":"query Q2(\$id: ID!) { project(id: \$id) { id name fiscalYear category status version plannedStart plannedEnd createdAt updatedAt submittedAt department { id code name } implementingUnit { id code name } sections { overview basis implementingBody plan cycle budgetArrangement } overallGoal annualGoal funds { total fiscal other annualRequest currentYearAppropriation carryover annualOther } fundItems { name amount } indicators { position level1 level2 name note target { text kind comparator value unit } } reviews { action fromStatus toStatus comment at actor { username } } } }","variables":{"id":"$PROJECT_ID"}}
JSON
  cat > "$WORK/q3.json" <<JSON
{"query":"query Q3 { declarationSummary(fiscalYear: 2024) { budgetUnitCount projectCount totalFunds totalFundsWanYuan } }"}
JSON
  for q in q1 q2 q3; do
    if gql "$TOKEN" "$(cat "$WORK/$q.json")" | grep -q '"errors"'; then say "$q answers with errors"; gql "$TOKEN" "$(cat "$WORK/$q.json")" >&2; exit 1; fi
  done

  declare -A PGB_TPS PGB_P50 PGB_P99
  for q in q1 q2 q3; do
    for c in $CONNECTIONS; do
      rm -f "$WORK"/pgbench_log*
      tps=$(cd "$WORK" && "$PGBENCH" -n -f "$OLDPWD/bench/$q.sql" -D dept="$DEPT_ROW" -D project="$PROJECT_ROW" -c "$c" -j $(( c < 2 ? c : 2 )) -T "$RUN_SECONDS" -l "$URL" 2>/dev/null | awk '/^tps/{print int($3)}')
      read -r p50 p99 < <(cat "$WORK"/pgbench_log* | awk '{print $3}' | sort -n | awk '{a[NR]=$1} END {printf "%.2f %.2f\n", a[int(NR*0.5)]/1000, a[int(NR*0.99)]/1000}')
      PGB_TPS[$q-$c]=$tps; PGB_P50[$q-$c]=$p50; PGB_P99[$q-$c]=$p99
    done
  done

  for q in q1 q2 q3; do
    for c in $CONNECTIONS; do
      before=$(statements)
      report=$(BODY_FILE="$WORK/$q.json" TOKEN=$TOKEN wrk -t $(( c < 2 ? c : 2 )) -c "$c" -d "${RUN_SECONDS}s" --latency -s bench/post.lua "http://127.0.0.1:$PORT/graphql" 2>&1)
      after=$(statements)
      requests=$(echo "$report" | awk '/requests in/{print $1}')
      rps=$(echo "$report" | awk '/Requests\/sec/{print int($2)}')
      p50=$(echo "$report" | awk '$1=="50%"{print $2}' | to_ms)
      p99=$(echo "$report" | awk '$1=="99%"{print $2}' | to_ms)
      errors=$(echo "$report" | awk '/graphql_errors/{print $2}')
      [ "${errors:-0}" = 0 ] || { say "$q at $c connections: $errors error responses"; echo "$report" >&2; exit 1; }
      per=$(awk -v a="$after" -v b="$before" -v n="$requests" 'BEGIN{printf "%.1f", (a-b)/n}')
      ratio=$(awk -v a="$rps" -v b="${PGB_TPS[$q-$c]}" 'BEGIN{ if (b>0) printf "%.0f%%", 100*a/b; else print "-" }')
      echo "| $size | $q | $c | $rps | $p50 | $p99 | $per | ${PGB_TPS[$q-$c]} | ${PGB_P50[$q-$c]} | ${PGB_P99[$q-$c]} | $ratio |" >> "$OUT"
      say "$size $q c=$c: $rps req/s, p99 $p99 ms (pgbench ${PGB_TPS[$q-$c]} tps, p99 ${PGB_P99[$q-$c]} ms)"
    done
  done
  for c in $CONNECTIONS; do
    before=$(statements)
    line=$("$MIX" "http://127.0.0.1:$PORT" "$SUBMITTER_TOKEN" "$UNIT_ID" "$c" "$RUN_SECONDS")
    after=$(statements)
    read -r _ requests _ _ _ rps _ p50 _ p99 _ errors <<<"$line"
    per=$(awk -v a="$after" -v b="$before" -v n="$requests" 'BEGIN{printf "%.1f", (a-b)/n}')
    echo "| $size | q4 mix | $c | $rps | $p50 | $p99 | $per | - | - | - | - |" >> "$OUT"
    say "$size mutation mix c=$c: $line"
  done
  peak=$(awk '/VmHWM/{printf "%.0f", $2/1024}' /proc/$SERVER/status)
  echo "| $size | peak RSS of the server | | $peak MB | | | | | | | |" >> "$OUT"
  kill $SERVER; wait $SERVER 2>/dev/null || true; SERVER=
  psql "$URL" -qc "delete from indicators where project_id in (select id from projects where name like '压测项目%'); delete from fund_items where project_id in (select id from projects where name like '压测项目%'); delete from reviews where project_id in (select id from projects where name like '压测项目%'); delete from projects where name like '压测项目%';"
done
say "results in $OUT"
cat "$OUT"
