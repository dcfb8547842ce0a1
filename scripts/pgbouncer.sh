#!/usr/bin/env bash
# A PgBouncer in transaction mode in front of the tests' PostgreSQL, configured as
# docs/scaling.md tells operators to configure theirs. The test command runs the workflow,
# two-instance and subscription tests through it.
#
#   scripts/pgbouncer.sh start DIR DATABASE_URL   # prints the address it listens on (host:port)
#   scripts/pgbouncer.sh stop DIR
set -euo pipefail

action="${1:?start or stop}"; dir="${2:?a directory for its configuration, log and pid}"

as_postgres() {
  # PgBouncer refuses to run as root.
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "$action" in
  stop)
    [ -f "$dir/pgbouncer.pid" ] && kill "$(cat "$dir/pgbouncer.pid")" 2>/dev/null || true
    exit 0
    ;;
  start) ;;
  *) echo "usage: $0 start DIR DATABASE_URL | stop DIR" >&2; exit 2 ;;
esac

url="${3:?the URL of the tests PostgreSQL}"
credentials="${url#*://}"; credentials="${credentials%@*}"
user="${credentials%%:*}"; password=""; [ "$credentials" != "$user" ] && password="${credentials#*:}"
hostport="${url#*@}"; hostport="${hostport%%/*}"
host="${hostport%%:*}"; port="${hostport##*:}"; [ "$port" = "$hostport" ] && port=5432
listen_port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"

mkdir -p "$dir"
cat > "$dir/pgbouncer.ini" <<INI
[databases]
* = host=$host port=$port user=$user${password:+ password=$password}

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $listen_port
unix_socket_dir =
auth_type = trust
auth_file = $dir/users.txt
pool_mode = transaction
; What sqlx prepared in a transaction is cleared before the server serves another client
; (Jixiao's JIXIAO_DB_POOLER=transaction relies on it: crates/store/src/pool.rs).
server_reset_query = DEALLOCATE ALL
server_reset_query_always = 1
; sqlx sends these at start-up; PgBouncer 1.18 passes on only the parameters it knows.
ignore_startup_parameters = extra_float_digits,options
max_client_conn = 2000
default_pool_size = 40
logfile = $dir/pgbouncer.log
pidfile = $dir/pgbouncer.pid
INI
printf '"%s" "%s"\n' "$user" "$password" > "$dir/users.txt"
[ "$(id -u)" = 0 ] && chown -R postgres "$dir"
as_postgres pgbouncer -d "$dir/pgbouncer.ini"
for _ in $(seq 1 50); do
  (exec 3<>"/dev/tcp/127.0.0.1/$listen_port") 2>/dev/null && { echo "127.0.0.1:$listen_port"; exit 0; }
  sleep 0.1
done
echo "PgBouncer did not start (its log: $dir/pgbouncer.log)" >&2
exit 1
