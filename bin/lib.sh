# Shared helpers for the service scripts in bin/ and config/solr/. Source, don't run.
# Every service keeps its data under $DATA (git-ignored), its PID file in $RUN and
# its log in $LOGS, and listens on loopback only.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DATA="${RETAILAREA_DATA:-$ROOT/.data}"
RUN="$DATA/run"
LOGS="$DATA/logs"
# The CKAN line: 2.12 (the default) or 2.11. Each line has its own virtualenv, installed
# with its constraints file (constraints/ckan-$CKAN_VERSION.txt); see docs/development.md.
CKAN_VERSION="${CKAN_VERSION:-2.12}"
case "$CKAN_VERSION" in
    2.12) VENV="$ROOT/.venv" ;;
    2.11) VENV="$ROOT/.venv-2.11" ;;
    *) printf 'CKAN_VERSION must be 2.12 or 2.11, not %s\n' "$CKAN_VERSION" >&2; exit 2 ;;
esac
CONSTRAINTS="$ROOT/constraints/ckan-$CKAN_VERSION.txt"

PG_PORT="${RETAILAREA_PG_PORT:-5433}"
REDIS_PORT="${RETAILAREA_REDIS_PORT:-6380}"
SOLR_PORT="${RETAILAREA_SOLR_PORT:-8983}"
WEB_PORT="${RETAILAREA_WEB_PORT:-5000}"
# the demo's SPDP 2.0 fake (ckanext/retailarea/demo/spdp_fake.py)
SPDP_PORT="${RETAILAREA_SPDP_PORT:-8766}"

mkdir -p "$RUN" "$LOGS"

info() { printf '\033[1m[%s]\033[0m %s\n' "${SERVICE:-stack}" "$*"; }
die() { printf '\033[31m[%s] error:\033[0m %s\n' "${SERVICE:-stack}" "$*" >&2; exit 1; }

# pid_of NAME: the PID recorded for NAME if that process still runs, else nothing.
pid_of() {
    local file="$RUN/$1.pid" pid
    [ -f "$file" ] || return 0
    pid="$(cat "$file")"
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
        echo "$pid"
    else
        rm -f "$file"
    fi
}

# port_busy PORT: true when something accepts TCP connections on 127.0.0.1:PORT.
port_busy() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# require_free_port PORT WHAT ENVVAR: fail clearly when a foreign program holds PORT.
require_free_port() {
    if port_busy "$1"; then
        die "port $1 (for $2) is in use by another program. Stop it, or pick another port with $3=NNNN."
    fi
}

# wait_until SECONDS DESCRIPTION COMMAND...: poll COMMAND until it succeeds.
wait_until() {
    local limit="$1" what="$2" i=0
    shift 2
    until "$@" >/dev/null 2>&1; do
        i=$((i + 1))
        if [ "$i" -ge $((limit * 4)) ]; then
            return 1
        fi
        sleep 0.25
    done
    info "$what answers"
}

# stop_service NAME: stop the process in NAME's PID file, politely then firmly.
stop_service() {
    local name="$1" pid i
    pid="$(pid_of "$name")"
    if [ -z "$pid" ]; then
        info "$name not running"
        return 0
    fi
    kill "$pid" 2>/dev/null || true
    for i in $(seq 1 80); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.25
    done
    if kill -0 "$pid" 2>/dev/null; then
        kill -9 "$pid" 2>/dev/null || true
    fi
    rm -f "$RUN/$name.pid"
    info "$name stopped (pid $pid)"
}

# as_service_user CMD...: run CMD as the postgres OS user when we are root.
as_service_user() {
    if [ "$(id -u)" = 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}
