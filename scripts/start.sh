#!/usr/bin/env bash
# `npm start`: set up, build the app and serve it on localhost.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
echo "==> Building"
npx vite build --logLevel warn
port=${PORT:-4173}
echo "==> webdisc is at http://127.0.0.1:$port/  (virtual recorder by default; Ctrl+C to stop)"
exec npx vite preview --host 127.0.0.1 --port "$port" --strictPort
