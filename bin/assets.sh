#!/usr/bin/env bash
# Refresh the vendored front-end libraries from npm (versions pinned in package.json and
# package-lock.json). The copies are committed, so running the catalog needs no Node.js;
# tests/test_assets.py checks that each copy matches its locked version.
set -euo pipefail
SERVICE=assets
source "$(dirname "$0")/lib.sh"

command -v npm >/dev/null || die "npm not found. Install it: apt-get install npm"
cd "$ROOT"
npm ci --ignore-scripts --no-audit --no-fund >"$LOGS/npm.log" 2>&1 || die "npm ci failed, see $LOGS/npm.log"

VENDOR="$ROOT/ckanext/retailarea/assets/vendor"
rm -rf "$VENDOR" && mkdir -p "$VENDOR/leaflet/images" "$ROOT/tests/browser/vendor"
cp node_modules/chart.js/dist/chart.umd.min.js node_modules/chart.js/LICENSE.md "$VENDOR/" 
mv "$VENDOR/LICENSE.md" "$VENDOR/chart.js.LICENSE.md"
cp node_modules/leaflet/dist/leaflet.js node_modules/leaflet/dist/leaflet.css "$VENDOR/leaflet/"
cp node_modules/leaflet/dist/images/*.png "$VENDOR/leaflet/images/"
cp node_modules/leaflet/LICENSE "$VENDOR/leaflet/LICENSE"
cp node_modules/axe-core/axe.min.js node_modules/axe-core/LICENSE "$ROOT/tests/browser/vendor/"
node -e 'const l=require("./package-lock.json").packages;
for (const n of ["chart.js","leaflet","axe-core"]) console.log(n, l["node_modules/"+n].version)' \
    > "$VENDOR/VERSIONS"
info "vendored: $(tr '\n' ' ' < "$VENDOR/VERSIONS")"
