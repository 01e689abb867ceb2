#!/usr/bin/env bash
# Apache Solr 9 from Maven Central jars, served by Solr's own embedded JettySolrRunner on
# 127.0.0.1:$RETAILAREA_SOLR_PORT. Cores `ckan` (site) and `ckan_test` (tests) share the
# configset built from CKAN's schema.xml (inside the installed ckan package of the CKAN
# line, CKAN_VERSION) and the solrconfig.xml beside this script. Index data lives in .data/solr and survives restarts.
# Usage: config/solr/solr.sh fetch|start|stop|status
set -euo pipefail
SERVICE=solr
source "$(dirname "$0")/../../bin/lib.sh"

HERE="$ROOT/config/solr"
LIB="$DATA/solr-lib"
HOME_DIR="$DATA/solr"
CORES="ckan ckan_test"

fetch() {
    if [ -f "$LIB/.complete" ]; then return 0; fi
    command -v mvn >/dev/null || die "Maven not found. Install it: apt-get install maven"
    info "fetching Solr 9.10.1 jars from Maven Central (first run only)"
    rm -rf "$LIB"
    mvn -q -B -f "$HERE/pom.xml" dependency:copy-dependencies \
        -DoutputDirectory="$LIB" -DincludeScope=runtime >"$LOGS/maven.log" 2>&1 \
        || die "Maven could not fetch the Solr jars, see $LOGS/maven.log"
    touch "$LIB/.complete"
    info "$(ls "$LIB"/*.jar | wc -l) jars in $LIB"
}

ckan_schema() {
    "$VENV/bin/python" -c 'import ckan, os; print(os.path.join(os.path.dirname(ckan.__file__), "config/solr/schema.xml"))'
}

# The configset of this CKAN line: `ckan` for 2.12 (2.12 also accepts 2.11's schema, so
# the site and test cores may come from either), `ckan_211` for 2.11's own cores (2.11
# refuses a schema named ckan-2.12).
CONFIGSET=ckan
[ "$CKAN_VERSION" = 2.12 ] || CONFIGSET="ckan_${CKAN_VERSION//./}"

# configset NAME: lay out configset NAME from this line's schema.xml and our solrconfig.xml.
configset() {
    local conf="$HOME_DIR/configsets/$1/conf" schema
    schema="$(ckan_schema)" || die "ckan is not installed in $VENV; run 'make venv' first"
    mkdir -p "$conf"
    cp "$HERE/solrconfig.xml" "$HERE/synonyms.txt" "$HERE/protwords.txt" "$conf/"
    cp "$schema" "$conf/schema.xml"
}

# Lay out solr home: the configsets are refreshed on each start, core data is kept.
layout_home() {
    local core
    mkdir -p "$HOME_DIR"
    cp "$HERE/solr.xml" "$HOME_DIR/solr.xml"
    configset ckan
    [ "$CONFIGSET" = ckan ] || configset "$CONFIGSET"
    for core in $CORES; do
        mkdir -p "$HOME_DIR/$core"
        printf 'name=%s\nconfigSet=ckan\n' "$core" > "$HOME_DIR/$core/core.properties"
    done
}

# answers: every core under solr home (ours and the test slots' ones) has loaded.
answers() {
    [ -n "$(pid_of solr)" ] || die "Solr exited while starting, see $LOGS/solr.log"
    local props core
    for props in "$HOME_DIR"/*/core.properties; do
        core="$(basename "$(dirname "$props")")"
        curl -fsS "http://127.0.0.1:$SOLR_PORT/solr/$core/admin/ping?wt=json" | grep -q '"OK"' \
            || return 1
    done
}

start() {
    command -v java >/dev/null || die "Java not found. Install it: apt-get install openjdk-17-jre-headless"
    if [ -z "$(pid_of solr)" ]; then
        require_free_port "$SOLR_PORT" Solr RETAILAREA_SOLR_PORT
        fetch
        layout_home
        info "starting on 127.0.0.1:$SOLR_PORT"
        # its own session: a test or a terminal whose process group is killed (Ctrl-C,
        # a CI step's timeout) must not take the shared Solr with it
        setsid nohup java -Xms256m -Xmx1g -Djava.net.preferIPv4Stack=true \
            -Dsolr.solr.home="$HOME_DIR" -Djetty.host=127.0.0.1 -Dhost=127.0.0.1 -Dsolr.log.dir="$LOGS" \
            -Dlog4j2.configurationFile="$HERE/log4j2.xml" \
            -cp "$LIB/*" "$HERE/SolrLauncher.java" "$HOME_DIR" "$SOLR_PORT" \
            >"$LOGS/solr.log" 2>&1 &
        echo $! > "$RUN/solr.pid"
    fi
    wait_until 120 "Solr on port $SOLR_PORT" answers \
        || { stop_service solr; die "Solr did not answer within 120 s, see $LOGS/solr.log"; }
}

# core NAME: create a core from this line's configset in the running Solr (test slots), once.
core() {
    [[ "$1" =~ ^[a-z0-9_]+$ ]] || die "bad core name: $1"
    local base="http://127.0.0.1:$SOLR_PORT/solr"
    curl -fsS "$base/$1/admin/ping?wt=json" 2>/dev/null | grep -q '"OK"' && return 0
    configset "$CONFIGSET"
    curl -fsS "$base/admin/cores?action=CREATE&name=$1&instanceDir=$1&configSet=$CONFIGSET&wt=json" >/dev/null \
        || die "Solr could not create core $1, see $LOGS/solr.log"
    info "created core $1"
}

case "${1:-}" in
    fetch) fetch ;;
    start) start ;;
    stop) stop_service solr ;;
    status) [ -n "$(pid_of solr)" ] && info "running (pid $(pid_of solr))" || { info "stopped"; exit 1; } ;;
    core) core "$2" ;;
    *) echo "usage: $0 fetch|start|stop|status|core NAME" >&2; exit 2 ;;
esac
