#!/usr/bin/env bash
# `npm test`: set up a fresh machine, then run every check (scripts/verify.mjs).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
source scripts/ensure-chromium.sh
bash disc-fs/scripts/ensure-tools.sh
exec node scripts/verify.mjs "$@"
