#!/usr/bin/env bash
# PostgreSQL 15 (Debian package) on 127.0.0.1:$RETAILAREA_PG_PORT with its data in .data/pg.
# Usage: bin/postgres.sh start|stop|status|psql [ARGS...]
set -euo pipefail
SERVICE=postgres
source "$(dirname "$0")/lib.sh"

PG_BIN="${RETAILAREA_PG_BIN:-/usr/lib/postgresql/15/bin}"
PGDATA="$DATA/pg"
SOCKET="$DATA/pg-socket"
READY="$PGDATA/retailarea.ready"
DEV_PASSWORD="retailarea"   # loopback-only development stack; production sets its own

superuser_psql() {
    as_service_user "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$SOCKET" -p "$PG_PORT" -U postgres "$@"
}

running_pid() {
    [ -f "$PGDATA/postmaster.pid" ] || return 0
    local pid
    pid="$(head -1 "$PGDATA/postmaster.pid")"
    kill -0 "$pid" 2>/dev/null && echo "$pid" || true
}

prepare_dirs() {
    mkdir -p "$SOCKET"
    chmod 700 "$SOCKET"
    if [ "$(id -u)" = 0 ]; then
        # the postgres OS user must reach the data folder inside the checkout
        local d="$DATA"
        while [ "$d" != "/" ]; do chmod o+x "$d" 2>/dev/null || true; d="$(dirname "$d")"; done
        chown postgres:postgres "$SOCKET"
    fi
}

init_cluster() {
    if [ -d "$PGDATA" ] && [ ! -f "$PGDATA/PG_VERSION" -o ! -f "$PGDATA/retailarea.initdb" ]; then
        info "removing a half-initialised cluster in $PGDATA"
        rm -rf "$PGDATA"
    fi
    [ -d "$PGDATA" ] && return 0
    info "initialising a new cluster in $PGDATA"
    mkdir -p "$PGDATA"
    [ "$(id -u)" = 0 ] && chown postgres:postgres "$PGDATA"
    as_service_user "$PG_BIN/initdb" -D "$PGDATA" -U postgres -E UTF8 --locale=C.UTF-8 \
        --auth-local=trust --auth-host=scram-sha-256 >"$LOGS/initdb.log" 2>&1 \
        || die "initdb failed, see $LOGS/initdb.log"
    as_service_user touch "$PGDATA/retailarea.initdb"
}

ensure_databases() {
    [ -f "$READY" ] && return 0
    info "creating roles and databases"
    superuser_psql -d postgres <<SQL
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'retailarea') THEN
    CREATE ROLE retailarea LOGIN PASSWORD '$DEV_PASSWORD';
  END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'retailarea_ro') THEN
    CREATE ROLE retailarea_ro LOGIN PASSWORD '$DEV_PASSWORD';
  END IF;
END \$\$;
SQL
    local db
    for db in retailarea retailarea_datastore retailarea_test retailarea_datastore_test; do
        if ! superuser_psql -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname='$db'" | grep -q 1; then
            superuser_psql -d postgres -c "CREATE DATABASE $db OWNER retailarea ENCODING 'UTF8'"
        fi
    done
    as_service_user touch "$READY"
}

start() {
    command -v "$PG_BIN/initdb" >/dev/null 2>&1 || [ -x "$PG_BIN/initdb" ] \
        || die "PostgreSQL 15 not found in $PG_BIN. Install it: apt-get install postgresql-15"
    if [ -z "$(running_pid)" ]; then
        require_free_port "$PG_PORT" PostgreSQL RETAILAREA_PG_PORT
        prepare_dirs
        init_cluster
        info "starting on 127.0.0.1:$PG_PORT"
        [ "$(id -u)" = 0 ] && touch "$LOGS/postgres.log" && chown postgres "$LOGS/postgres.log"
        as_service_user "$PG_BIN/pg_ctl" -D "$PGDATA" -l "$LOGS/postgres.log" -w -t 60 start \
            -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $SOCKET -c unix_socket_permissions=0700 -c synchronous_commit=off" \
            >/dev/null || die "PostgreSQL did not start, see $LOGS/postgres.log"
    fi
    wait_until 30 "PostgreSQL on port $PG_PORT" superuser_psql -d postgres -c "SELECT 1" \
        || die "PostgreSQL does not answer on port $PG_PORT, see $LOGS/postgres.log"
    ensure_databases
}

stop() {
    if [ -z "$(running_pid)" ]; then
        info "postgres not running"
        return 0
    fi
    as_service_user "$PG_BIN/pg_ctl" -D "$PGDATA" -m fast -w stop >/dev/null
    info "postgres stopped"
}

# createdb NAME: an extra database owned by retailarea (test slots), made once.
createdb() {
    [[ "$1" =~ ^[a-z0-9_]+$ ]] || die "bad database name: $1"
    if ! superuser_psql -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname='$1'" | grep -q 1; then
        superuser_psql -d postgres -c "CREATE DATABASE $1 OWNER retailarea ENCODING 'UTF8'" >/dev/null
        info "created database $1"
    fi
}

case "${1:-}" in
    start) start ;;
    createdb) createdb "$2" ;;
    stop) stop ;;
    status) [ -n "$(running_pid)" ] && info "running (pid $(running_pid))" || { info "stopped"; exit 1; } ;;
    psql) shift; superuser_psql "$@" ;;
    *) echo "usage: $0 start|stop|status|psql|createdb NAME" >&2; exit 2 ;;
esac
