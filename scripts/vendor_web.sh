#!/usr/bin/env bash
# Copy the dashboard's third-party assets from npm into the package (src/displacement_monitor/web/vendor).
# The result is committed, so users never need npm; run this only to upgrade a pinned version.
set -euo pipefail

LEAFLET_VERSION="1.9.4"
WORLD_ATLAS_VERSION="2.0.2"
TOPOJSON_CLIENT_VERSION="3.1.0"

root="$(cd "$(dirname "$0")/.." && pwd)"
vendor="$root/src/displacement_monitor/web/vendor"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cd "$work"
for spec in "leaflet@$LEAFLET_VERSION" "world-atlas@$WORLD_ATLAS_VERSION" \
  "topojson-client@$TOPOJSON_CLIENT_VERSION"; do
  npm pack --silent "$spec" >/dev/null
done
for tarball in *.tgz; do
  name="${tarball%-*.tgz}"
  mkdir -p "$name"
  tar -xzf "$tarball" -C "$name" --strip-components=1
done

rm -rf "$vendor"
mkdir -p "$vendor/leaflet/images" "$vendor/world-atlas" "$vendor/topojson-client"
cp leaflet/dist/leaflet.js leaflet/dist/leaflet.css leaflet/LICENSE "$vendor/leaflet/"
cp leaflet/dist/images/*.png "$vendor/leaflet/images/"
cp world-atlas/countries-50m.json world-atlas/countries-110m.json world-atlas/LICENSE "$vendor/world-atlas/"
cp topojson-client/dist/topojson-client.min.js topojson-client/LICENSE "$vendor/topojson-client/"
cat >"$vendor/VERSIONS" <<VERSIONS
leaflet $LEAFLET_VERSION (BSD-2-Clause)
world-atlas $WORLD_ATLAS_VERSION (ISC; data: Natural Earth, public domain)
topojson-client $TOPOJSON_CLIENT_VERSION (ISC)
VERSIONS
echo "vendored into $vendor:"
find "$vendor" -type f | sort
