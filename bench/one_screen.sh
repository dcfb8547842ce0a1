# Sourced by the benchmarks of one screen at one connection (bench/todo_counts.sh,
# bench/suggest_indicators.sh) after they set DATA (their kept database's name) and PORT: the
# database URLs, the release binary, wrk, a scratch folder, and a server started and stopped.
set -euo pipefail
cd "$(dirname "$0")/.."

ADMIN_URL=${JIXIAO_TEST_DATABASE_URL:-postgres://postgres:postgres@127.0.0.1:5432/postgres}
DB_URL=${ADMIN_URL%/*}/$DATA
SECRET=benchmark-secret-0123456789abcdef0123456789
PASSWORD="benchmark password"
SECONDS_EACH=${BENCH_SECONDS:-10}
WORK=$(mktemp -d)
SERVER=
trap 'kill $SERVER 2>/dev/null || true; rm -rf "$WORK"' EXIT
say() { printf '\033[1m[bench]\033[0m %s\n' "$*" >&2; }

command -v wrk >/dev/null || { say "installing wrk"; apt-get install -y -qq wrk >/dev/null; }
cargo build --release -q -p jixiao-gateway --bin jixiao
BIN=target/release/jixiao

# Whether the kept data set exists already.
kept() { psql "$ADMIN_URL" -Atc "SELECT 1 FROM pg_database WHERE datname = '$DATA'" | grep -q 1; }

# Starts the server on the data set, and waits until it answers.
start() {
  JIXIAO_JWT_SECRET=$SECRET JIXIAO_BIND=127.0.0.1:$PORT DATABASE_URL=$DB_URL "$BIN" serve >"$WORK/server.log" 2>&1 &
  SERVER=$!
  for _ in $(seq 50); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.2; done
}

# A token of USERNAME (whose password is $PASSWORD).
token() {
  curl -s "http://127.0.0.1:$PORT/graphql" -H 'content-type: application/json' \
    -d "{\"query\":\"mutation { login(username: \\\"$1\\\", password: \\\"$PASSWORD\\\") { token } }\"}" \
    | sed 's/.*"token":"\([^"]*\)".*/\1/'
}

# wrk at one connection on the request in FILE with $TOKEN: "N req/s; latency p50 …, p99 …".
one_connection() {
  local report
  report=$(BODY_FILE="$1" TOKEN=$TOKEN wrk -t 1 -c 1 -d "${SECONDS_EACH}s" --latency -s bench/post.lua "http://127.0.0.1:$PORT/graphql" 2>&1)
  printf '%s req/s; latency %s\n' "$(awk '/Requests\/sec/ {print $2}' <<<"$report")" \
    "$(awk '/^ +50%/ {p50=$2} /^ +99%/ {p99=$2} END {print "p50 " p50 ", p99 " p99}' <<<"$report")"
}
