#!/usr/bin/env bash
# Rebuild static/ from package.json's pinned GOV.UK Frontend and htmx (make assets).
# The outputs are committed so that running the portal needs no Node.js.
set -euo pipefail
cd "$(dirname "$0")/.."
npm ci --no-audit --no-fund --ignore-scripts
node_modules/.bin/sass --load-path=node_modules --style=compressed --no-source-map \
  assets/scss/portal.scss static/css/portal.min.css
cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js static/vendor/govuk-frontend/
cp node_modules/htmx.org/dist/htmx.min.js static/vendor/htmx/
cp node_modules/htmx.org/LICENSE static/vendor/htmx/LICENSE
echo "built: $(wc -c < static/css/portal.min.css) bytes of CSS"
