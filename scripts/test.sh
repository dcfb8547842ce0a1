#!/usr/bin/env bash
# The test command: makes sure PostgreSQL answers (starting or installing one when none does),
# builds the `jixiao` binary, and runs every test of the workspace.
#
#   scripts/test.sh            # everything
#   scripts/test.sh -p jixiao-domain   # extra arguments go to `cargo test`
#
# The tests create one database each on JIXIAO_TEST_DATABASE_URL (default: the docker-compose
# PostgreSQL, postgres:postgres@127.0.0.1:5432) and drop it afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."

export JIXIAO_TEST_DATABASE_URL="${JIXIAO_TEST_DATABASE_URL:-postgres://postgres:postgres@127.0.0.1:5432/postgres}"
hostport="${JIXIAO_TEST_DATABASE_URL#*@}"; hostport="${hostport%%/*}"
PGHOST_="${hostport%%:*}"; PGPORT_="${hostport##*:}"; [ "$PGPORT_" = "$hostport" ] && PGPORT_=5432

say() { printf '\033[1m[test.sh]\033[0m %s\n' "$*" >&2; }
die() { say "ERROR: $*"; exit 1; }

answers() { (exec 3<>"/dev/tcp/$PGHOST_/$PGPORT_") 2>/dev/null; }

wait_for_postgres() {
  for _ in $(seq 1 60); do answers && return 0; sleep 0.5; done
  return 1
}

as_postgres() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# Make the superuser accept the password the tests use (the docker-compose credentials).
set_test_password() {
  as_postgres psql -p "$PGPORT_" -h /var/run/postgresql -qAtc "ALTER USER postgres PASSWORD 'postgres'" >/dev/null 2>&1 || true
}

start_existing_cluster() {
  command -v pg_ctlcluster >/dev/null 2>&1 || return 1
  local version
  for version in $(ls /etc/postgresql 2>/dev/null | sort -rn); do
    [ -d "/etc/postgresql/$version/main" ] || continue
    say "starting PostgreSQL $version (cluster main)"
    pg_ctlcluster --skip-systemctl-redirect "$version" main start 2>&1 | sed 's/^/  /' >&2 || true
    if wait_for_postgres; then set_test_password; return 0; fi
  done
  return 1
}

install_postgres() {
  [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 || return 1
  say "PostgreSQL is not installed: installing it from Debian's packages"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2 && apt-get install -y -qq postgresql >&2 || return 1
  start_existing_cluster
}

ensure_postgres() {
  if answers; then return 0; fi
  if [ "$PGHOST_" != 127.0.0.1 ] && [ "$PGHOST_" != localhost ]; then
    die "PostgreSQL does not answer at $PGHOST_:$PGPORT_ (JIXIAO_TEST_DATABASE_URL); start it, or unset the variable to use a local one"
  fi
  say "PostgreSQL does not answer at $PGHOST_:$PGPORT_"
  start_existing_cluster || install_postgres || die "could not start or install PostgreSQL on $PGHOST_:$PGPORT_. \
Start one yourself (e.g. \`docker compose up -d db\`) or set JIXIAO_TEST_DATABASE_URL to a server where the user may create databases."
  answers || die "PostgreSQL was started but does not answer at $PGHOST_:$PGPORT_"
  say "PostgreSQL answers at $PGHOST_:$PGPORT_"
}

apt_install() {
  [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 || return 1
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -qq "$@" >&2 || { apt-get update -qq >&2 && apt-get install -y -qq "$@" >&2; }
}

# Whether a Chromium really runs: Ubuntu's chromium packages are stubs that ask for a snap.
chromium_runs() {
  timeout 20 "$1" --headless --no-sandbox --disable-gpu --version >/dev/null 2>&1
}

# The front-end tests run what front-end teams run (tests/client/package.json): the
# GraphQL-over-HTTP audit suite, the GraphQL Code Generator, tsc, Apollo Client and graphql-ws.
ensure_node() {
  if ! command -v node >/dev/null 2>&1; then
    say "Node.js is not installed: installing it from the distribution's packages (it runs the front-end and browser tests)"
    apt_install nodejs npm || die "Node.js is missing and could not be installed: install Node.js 20 or later"
  fi
  if [ ! -f tests/client/node_modules/.package-lock.json ] || [ tests/client/package-lock.json -nt tests/client/node_modules/.package-lock.json ]; then
    say "installing the front-end tests' packages (tests/client, from npm)"
    (cd tests/client && npm ci --no-audit --no-fund --loglevel=error >&2) || die "npm ci in tests/client failed"
  fi
}

# The GraphiQL test drives a real browser: the distribution's Chromium (never a downloaded one)
# through playwright-core from npm (tests/browser/package.json). Where no Chromium can be had
# (Ubuntu ships a snap stub), that one test is skipped, loudly; everything else still runs.
ensure_browser() {
  local chromium="${CHROMIUM:-/usr/bin/chromium}"
  if [ ! -x "$chromium" ]; then
    say "Chromium is not installed: installing it from the distribution's packages"
    apt_install chromium || apt_install chromium-browser || true
    [ -x "$chromium" ] || chromium="$(command -v chromium || command -v chromium-browser || echo "$chromium")"
  fi
  if [ ! -x "$chromium" ] || ! chromium_runs "$chromium"; then
    say "WARNING: no working Chromium ($chromium): the GraphiQL browser test will be SKIPPED (set CHROMIUM to a browser to run it)"
    export JIXIAO_BROWSER_TEST=skip
    return 0
  fi
  export CHROMIUM="$chromium"
  if [ ! -d tests/browser/node_modules/playwright-core ]; then
    say "installing the browser test's driver (playwright-core, from npm)"
    (cd tests/browser && npm install --no-audit --no-fund --loglevel=error >&2) || die "npm install in tests/browser failed"
  fi
}

# PgBouncer, from the distribution's packages, for the tests run again through it in
# transaction mode (scripts/pgbouncer.sh).
ensure_pgbouncer() {
  command -v pgbouncer >/dev/null 2>&1 && return 0
  say "PgBouncer is not installed: installing it from the distribution's packages"
  apt_install pgbouncer && command -v pgbouncer >/dev/null 2>&1
}

# The load test holds 1,000 WebSockets (and the server as many): more than a default of 1,024
# open files allows for both.
raise_open_files() {
  local soft hard want=8192
  soft="$(ulimit -Sn)"; hard="$(ulimit -Hn)"
  [ "$soft" = unlimited ] && return 0
  [ "$soft" -ge "$want" ] && return 0
  if [ "$hard" = unlimited ] || [ "$hard" -ge "$want" ]; then
    ulimit -Sn "$want"
  else
    ulimit -Sn "$hard"
    say "WARNING: at most $hard open files here (ulimit -Hn): the 1,000-WebSocket load test may fail"
  fi
}

started=$SECONDS
command -v cargo >/dev/null 2>&1 || die "cargo is missing: install Rust with rustup (https://rustup.rs)"
ensure_postgres
ensure_node
ensure_browser
raise_open_files

say "checking that no file imports one that imports it back"
if command -v python3 >/dev/null 2>&1; then
  python3 scripts/import_circles.py >&2 || die "import circles (listed above): break them before testing"
else
  say "python3 is missing: the import-circle check is skipped"
fi

say "building the jixiao binary (debug, and release for the tests of the process itself)"
cargo build -p jixiao-gateway --locked 2>&1 | tail -n 3 >&2
cargo build --release -p jixiao-gateway --locked 2>&1 | tail -n 3 >&2
say "running the tests"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
status=0
cargo test --workspace --locked --no-fail-fast "$@" 2>&1 | tee "$log" || status=$?
# The same service behind PgBouncer in transaction mode (docs/scaling.md): the workflow, two
# instances and subscriptions, with the pool in JIXIAO_DB_POOLER=transaction and LISTEN direct.
if [ $# -eq 0 ]; then
  if ensure_pgbouncer; then
    pooler_dir="$(mktemp -d)"
    if address="$(scripts/pgbouncer.sh start "$pooler_dir" "$JIXIAO_TEST_DATABASE_URL")"; then
      say "running the workflow, two-instance and subscription tests again through PgBouncer ($address, transaction mode)"
      # --workspace, as above: the same features, so nothing is built again.
      JIXIAO_TEST_POOLER_ADDRESS="$address" cargo test --workspace --locked --no-fail-fast \
        --test workflow --test two_instances --test subscriptions 2>&1 | tee -a "$log" || status=$?
      scripts/pgbouncer.sh stop "$pooler_dir"
    else
      say "ERROR: PgBouncer did not start"; status=1
    fi
  else
    say "ERROR: PgBouncer is missing and could not be installed (apt-get install pgbouncer)"; status=1
  fi
fi
# How long each test binary took (cargo prints its name, then its result line), slowest first,
# and the whole run.
say "time per test binary (seconds), slowest first:"
awk '/^ *Running /{ name=$2; if (name == "unittests") { n=$NF; gsub(/[()]/, "", n); sub(/.*\//, "", n); sub(/-[0-9a-f]+$/, "", n); name="unittests of " n } } /^test result:/{ t=$NF; sub(/s$/, "", t); if (name != "") printf "  %8.1f  %s\n", t, name; name="" }' "$log" \
  | sort -rn | head -n 60 >&2
elapsed=$((SECONDS - started))
say "the whole run took $((elapsed / 60)) min $((elapsed % 60)) s"
exit "$status"
