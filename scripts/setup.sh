# Shared set-up for `npm start` and `npm test`: install what is missing.
# Sourced by scripts/start.sh and scripts/test.sh; idempotent and quiet when
# there is nothing to do.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

node_major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$node_major" -lt 20 ]; then
  echo "webdisc needs Node 20 or newer (found $(node --version))." >&2
  exit 1
fi

# npm dependencies: reinstall when package-lock.json changed since the last install.
lock_hash=$(node -e 'const c=require("crypto"),f=require("fs");process.stdout.write(c.createHash("sha256").update(f.readFileSync("package-lock.json")).digest("hex"))')
if [ ! -f node_modules/.webdisc-lock ] || [ "$(cat node_modules/.webdisc-lock)" != "$lock_hash" ]; then
  echo "==> Installing npm dependencies (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$lock_hash" > node_modules/.webdisc-lock
fi

# The CLI as one JavaScript file (dist-cli/), built when a source changed:
# bin/webdisc.mjs would build it on first use too, but not inside a test's
# time limit or a guest's (devices/).
node scripts/build-cli.mjs --if-stale
