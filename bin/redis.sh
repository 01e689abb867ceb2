#!/usr/bin/env bash
# Redis (Debian package) on 127.0.0.1:$RETAILAREA_REDIS_PORT with its data in .data/redis.
# Usage: bin/redis.sh start|stop|status
set -euo pipefail
SERVICE=redis
source "$(dirname "$0")/lib.sh"

ping() { redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping | grep -q PONG; }

start() {
    command -v redis-server >/dev/null || die "redis-server not found. Install it: apt-get install redis-server"
    mkdir -p "$DATA/redis"
    if [ -z "$(pid_of redis)" ]; then
        require_free_port "$REDIS_PORT" Redis RETAILAREA_REDIS_PORT
        info "starting on 127.0.0.1:$REDIS_PORT"
        redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --dir "$DATA/redis" \
            --appendonly yes --daemonize yes --pidfile "$RUN/redis.pid" \
            --logfile "$LOGS/redis.log" --save 60 1 >/dev/null
        wait_until 10 "pid file" test -s "$RUN/redis.pid" || die "Redis did not start, see $LOGS/redis.log"
    fi
    wait_until 30 "Redis on port $REDIS_PORT" ping || die "Redis does not answer, see $LOGS/redis.log"
}

case "${1:-}" in
    start) start ;;
    stop) stop_service redis ;;
    status) [ -n "$(pid_of redis)" ] && info "running (pid $(pid_of redis))" || { info "stopped"; exit 1; } ;;
    *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
