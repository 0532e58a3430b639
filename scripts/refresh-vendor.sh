#!/usr/bin/env bash
# Refresh the vendored front-end assets from the npm registry, at the pinned versions below.
# Usage: scripts/refresh-vendor.sh     (needs node/npm; run it, review the diff, commit)
# No CDN is used at run time: the files live in src/regie/web/static/vendor/ with their licences.
set -euo pipefail

# name@version  -> files copied (relative to the package root) into vendor/<dir>/
PACKAGES=(
  "@utrecht/component-library-css@9.0.4|utrecht-component-library-css|dist/index.css LICENSE.md"
  "@nl-design-system-unstable/voorbeeld-design-tokens@7.4.1|voorbeeld-design-tokens|dist/theme.css LICENSE.md"
  "htmx.org@2.0.11|htmx|dist/htmx.min.js LICENSE"
  # the map of the area picture (regie.areas); images/ holds the marker and layer icons
  "leaflet@1.9.4|leaflet|dist/leaflet.js dist/leaflet.css dist/images LICENSE"
  # the analyst's link chart (regie.network)
  "cytoscape@3.34.4|cytoscape|dist/cytoscape.min.js LICENSE"
)

root=$(cd "$(dirname "$0")/.." && pwd)
dest="$root/src/regie/web/static/vendor"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

: > "$work/VERSIONS"
for entry in "${PACKAGES[@]}"; do
  IFS='|' read -r spec dir files <<<"$entry"
  (cd "$work" && npm pack --silent "$spec" >"$work/name")
  tgz="$work/$(tail -n1 "$work/name")"
  mkdir -p "$work/$dir"
  tar xzf "$tgz" -C "$work/$dir"
  rm -rf "${dest:?}/$dir"
  mkdir -p "$dest/$dir"
  for f in $files; do
    cp -r "$work/$dir/package/$f" "$dest/$dir/$(basename "$f")"
  done
  integrity=$(cd "$work" && npm view "$spec" dist.integrity)
  echo "$spec $integrity" >>"$work/VERSIONS"
done
cp "$work/VERSIONS" "$dest/VERSIONS"
echo "vendored into $dest:"
cat "$dest/VERSIONS"
