#!/usr/bin/env bash
# Generates config/ckan.ini (git-ignored): CKAN's own template on the first run (with fresh
# secrets), then config/site.ini and the service URLs merged in on every run.
set -euo pipefail
SERVICE=config
source "$(dirname "$0")/lib.sh"

INI="$ROOT/config/ckan.ini"
CKAN="$VENV/bin/ckan"

if [ ! -f "$INI" ]; then
    info "generating $INI"
    "$CKAN" generate config "$INI.tmp" >/dev/null
    mv "$INI.tmp" "$INI"
fi
"$CKAN" config-tool "$INI" -f "$ROOT/config/site.ini" >/dev/null
"$CKAN" config-tool "$INI" \
    "sqlalchemy.url=postgresql://retailarea:retailarea@127.0.0.1:$PG_PORT/retailarea" \
    "ckan.datastore.write_url=postgresql://retailarea:retailarea@127.0.0.1:$PG_PORT/retailarea_datastore" \
    "ckan.datastore.read_url=postgresql://retailarea_ro:retailarea@127.0.0.1:$PG_PORT/retailarea_datastore" \
    "solr_url=http://127.0.0.1:$SOLR_PORT/solr/ckan" \
    "ckan.redis.url=redis://127.0.0.1:$REDIS_PORT/0" \
    "ckan.harvest.mq.port=$REDIS_PORT" \
    "ckan.site_url=http://127.0.0.1:$WEB_PORT" \
    "ckanext.retailarea.demo.spdp_url=http://127.0.0.1:$SPDP_PORT/parkingdata/v2/" >/dev/null
mkdir -p "$DATA/storage"
