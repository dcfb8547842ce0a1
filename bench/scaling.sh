#!/usr/bin/env bash
# The measurements behind docs/scaling.md, on this machine: a private primary and a streaming
# replica of it (pg_basebackup -R), PgBouncer in transaction mode in front of the primary, the
# 10k data set (50 departments × 200 projects × 10 indicators), the release build.
#
#   bench/scaling.sh            # about 5 minutes after the release build; prints a Markdown table
#
# 1. the list screen (bench/run.sh's q1) at 32 connections: directly on the primary, with a
#    replica taking the reads, and through PgBouncer; req/s, p99, and the transactions each
#    server ran per second (pg_stat_database.xact_commit);
# 2. server connections held by 4 instances (JIXIAO_DB_POOL=16) under load, directly and through
#    PgBouncer (default_pool_size 20);
# 3. the mutation mix (tests/src/bin/mutation_mix.rs) at 8 connections: writes per second and the
#    change notices one instance hears per write (jixiao_events_heard_total).
set -euo pipefail
cd "$(dirname "$0")/.."

SECONDS_PER_RUN=${BENCH_SECONDS:-10}
SECRET=benchmark-secret-0123456789abcdef0123456789
PASSWORD="benchmark password"
WORK=$(mktemp -d); chmod 755 "$WORK"
PIDS=()
say() { printf '\033[1m[scaling]\033[0m %s\n' "$*" >&2; }
as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  scripts/pgbouncer.sh stop "$WORK/pgbouncer" 2>/dev/null || true
  scripts/pgbouncer.sh stop "$WORK/pgbouncer2" 2>/dev/null || true
  for d in replica primary; do [ -d "$WORK/$d" ] && as_postgres "$PGBIN/pg_ctl" -D "$WORK/$d" -m immediate stop >/dev/null 2>&1 || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT

command -v wrk >/dev/null || { say "installing wrk"; apt-get install -y -qq wrk >/dev/null; }
command -v pgbouncer >/dev/null || { say "installing pgbouncer"; apt-get install -y -qq pgbouncer >/dev/null; }
say "release build"
cargo build --release -q -p jixiao-gateway -p jixiao-tests --bin jixiao --bin mutation_mix
BIN=target/release/jixiao; MIX=target/release/mutation_mix

[ "$(id -u)" = 0 ] && chown postgres "$WORK"
PRIMARY_PORT=$(free_port); REPLICA_PORT=$(free_port)
as_postgres "$PGBIN/initdb" -D "$WORK/primary" -A trust -U postgres -E UTF8 >/dev/null
as_postgres "$PGBIN/pg_ctl" -D "$WORK/primary" -o "-p $PRIMARY_PORT -k $WORK -c listen_addresses=127.0.0.1 -c max_connections=200" -l "$WORK/primary.log" -w start >/dev/null
PRIMARY=postgres://postgres@127.0.0.1:$PRIMARY_PORT/postgres
say "generating the 10k data set on the primary"
DATABASE_URL=$PRIMARY "$BIN" generate --departments 50 --projects-per-department 200 --indicators-per-project 10 --fiscal-year 2024 >&2
for who in "bench-admin ADMIN" "bench-submitter SUBMITTER --department GEN-D0001"; do
  set -- $who
  printf '%s\n' "$PASSWORD" | DATABASE_URL=$PRIMARY "$BIN" user add --username "$1" --role "$2" ${3:+$3 $4} --password-stdin >&2
done
psql "$PRIMARY" -qc "vacuum analyze"
say "making the replica with pg_basebackup"
as_postgres "$PGBIN/pg_basebackup" -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres -D "$WORK/replica" -R -X stream --checkpoint=fast
as_postgres "$PGBIN/pg_ctl" -D "$WORK/replica" -o "-p $REPLICA_PORT -k $WORK -c listen_addresses=127.0.0.1 -c max_connections=200" -l "$WORK/replica.log" -w start >/dev/null
REPLICA=postgres://postgres@127.0.0.1:$REPLICA_PORT/postgres
POOLER=$(scripts/pgbouncer.sh start "$WORK/pgbouncer" "$PRIMARY")
POOLED=postgres://postgres@$POOLER/postgres

serve() { # serve PORT ENV... → starts an instance, waits until it answers
  local port=$1; shift
  env DATABASE_URL=$PRIMARY JIXIAO_JWT_SECRET=$SECRET JIXIAO_DB_POOL=${POOL:-32} JIXIAO_MAX_CREATES_PER_HOUR=0 RUST_LOG=warn "$@" "$BIN" serve --bind 127.0.0.1:$port &
  PIDS+=($!)
  for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && return 0; sleep 0.1; done
  say "instance on $port did not start"; exit 1
}
stop_all() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done; PIDS=(); }
gql() { curl -s "http://127.0.0.1:$1/graphql" -H 'content-type: application/json' ${2:+-H "authorization: Bearer $2"} -d "$3"; }
field() { python3 -c "import json,sys; d=json.load(sys.stdin); print(eval('d'+sys.argv[1]))" "$1"; }
login() { gql "$1" "" "{\"query\":\"mutation { login(username: \\\"$2\\\", password: \\\"$PASSWORD\\\") { token } }\"}" | field '["data"]["login"]["token"]'; }
commits() { psql "$1" -tAc "select xact_commit from pg_stat_database where datname = 'postgres'"; }
metric() { curl -s "http://127.0.0.1:$1/metrics" | awk -v m="$2" '$1==m {print $2}'; }

list_screen() { # list_screen PORT LABEL → one table row
  local port=$1 label=$2 token dept
  token=$(login "$port" bench-admin)
  dept=$(gql "$port" "$token" '{"query":"{ department(code: \"GEN-D0025\") { id } }"}' | field '["data"]["department"]["id"]')
  cat > "$WORK/q1.json" <<JSON
{"query":"query Q1(\$d: ID!) { projects(filter: { departmentId: \$d, fiscalYear: 2024 }, first: 20) { nodes { id name status funds { total annualRequest } fundItems { name amount } indicators { level1 level2 name target { text } } } } }","variables":{"d":"$dept"}}
JSON
  sleep 1
  local p0 r0 p1 r1 report
  p0=$(commits "$PRIMARY"); r0=$(commits "$REPLICA")
  report=$(BODY_FILE="$WORK/q1.json" TOKEN=$token wrk -t 2 -c 32 -d "${SECONDS_PER_RUN}s" --latency -s bench/post.lua "http://127.0.0.1:$port/graphql" 2>&1)
  p1=$(commits "$PRIMARY"); r1=$(commits "$REPLICA")
  local errors rps p99
  errors=$(echo "$report" | awk '/graphql_errors/{print $2}')
  [ "${errors:-0}" = 0 ] || { say "$label: $errors error responses"; echo "$report" >&2; exit 1; }
  rps=$(echo "$report" | awk '/Requests\/sec/{print int($2)}')
  p99=$(echo "$report" | awk '$1=="99%"{print $2}')
  echo "| $label | $rps | $p99 | $(( (p1 - p0) / SECONDS_PER_RUN )) | $(( (r1 - r0) / SECONDS_PER_RUN )) |"
}

echo "Run $(date -u '+%Y-%m-%d %H:%M UTC') on $(nproc) cores, PostgreSQL $(psql "$PRIMARY" -tAc 'show server_version' | cut -d' ' -f1), PgBouncer $(pgbouncer --version | awk 'NR==1{print $2}'), ${SECONDS_PER_RUN} s per run."
echo
echo "| list screen, 32 connections | req/s | p99 | primary xact/s | replica xact/s |"
echo "| --- | --- | --- | --- | --- |"
PORT=$(free_port)
serve "$PORT"; list_screen "$PORT" "primary only"; stop_all
serve "$PORT" JIXIAO_REPLICA_URLS=$REPLICA; sleep 1; list_screen "$PORT" "reads on one replica"; stop_all
serve "$PORT" DATABASE_URL=$POOLED JIXIAO_DB_POOLER=transaction JIXIAO_LISTEN_DATABASE_URL=$PRIMARY; list_screen "$PORT" "through PgBouncer (transaction mode)"; stop_all

echo
echo "| 4 instances × JIXIAO_DB_POOL=16 under load | client backends on the primary (pg_stat_activity) |"
echo "| --- | --- |"
# PgBouncer keeps its server connections open after the list run: stopped for the direct count,
# started afresh for its own.
scripts/pgbouncer.sh stop "$WORK/pgbouncer"; sleep 1
for mode in direct pgbouncer; do
  if [ "$mode" = pgbouncer ]; then
    POOLER=$(scripts/pgbouncer.sh start "$WORK/pgbouncer2" "$PRIMARY"); POOLED=postgres://postgres@$POOLER/postgres
  fi
  ports=()
  for _ in 1 2 3 4; do
    p=$(free_port); ports+=("$p")
    if [ "$mode" = direct ]; then POOL=16 serve "$p"; else POOL=16 serve "$p" DATABASE_URL=$POOLED JIXIAO_DB_POOLER=transaction JIXIAO_LISTEN_DATABASE_URL=$PRIMARY; fi
  done
  token=$(login "${ports[0]}" bench-admin)
  echo '{"query":"{ projects(first: 20) { nodes { id name indicators { name } } } }"}' > "$WORK/list.json"
  loads=()
  for p in "${ports[@]}"; do
    BODY_FILE="$WORK/list.json" TOKEN=$token wrk -t 1 -c 32 -d 6s -s bench/post.lua "http://127.0.0.1:$p/graphql" >/dev/null 2>&1 &
    loads+=($!)
  done
  sleep 4
  held=$(psql "$PRIMARY" -tAc "select count(*) from pg_stat_activity where backend_type = 'client backend' and pid <> pg_backend_pid()")
  wait "${loads[@]}" 2>/dev/null || true
  echo "| $mode | $held |"
  stop_all
done

echo
echo "| mutation mix, 8 connections | writes/s | p99 | jixiao_events notices heard per write |"
echo "| --- | --- | --- | --- |"
serve "$PORT"
token=$(login "$PORT" bench-submitter)
unit=$(gql "$PORT" "$token" '{"query":"{ department(code: \"GEN-D0001\") { budgetUnits { id } } }"}' | field '["data"]["department"]["budgetUnits"][0]["id"]')
before=$(metric "$PORT" jixiao_events_heard_total)
line=$("$MIX" "http://127.0.0.1:$PORT" "$token" "$unit" 8 "$SECONDS_PER_RUN")
sleep 1
after=$(metric "$PORT" jixiao_events_heard_total)
read -r _ requests _ _ _ rps _ p50 _ p99 _ errors <<<"$line"
echo "| one instance | $rps | $p99 ms | $(awk -v a="$after" -v b="$before" -v n="$requests" 'BEGIN{printf "%.2f", (a-b)/n}') |"
stop_all
