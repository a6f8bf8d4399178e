#!/usr/bin/env bash
# Install the pinned front-end toolchain (from package-lock.json) and build
# the assets into scheduler/static/.
set -euo pipefail
cd "$(dirname "$0")/.."
npm ci --no-audit --no-fund
npm run build
