# Finds the system Chromium for the browser tests, or installs Debian's
# `chromium` package. Never downloads a browser build of its own.
# Sourced by scripts/test.sh; exports CHROME_PATH.
if [ -n "${CHROME_PATH:-}" ]; then
  if [ ! -x "$CHROME_PATH" ]; then
    echo "CHROME_PATH=$CHROME_PATH is not an executable." >&2
    exit 1
  fi
else
  for c in chromium chromium-browser google-chrome google-chrome-stable; do
    if command -v "$c" >/dev/null 2>&1; then CHROME_PATH=$(command -v "$c"); break; fi
  done
  if [ -z "${CHROME_PATH:-}" ]; then
    if command -v apt-get >/dev/null 2>&1; then
      sudo=""
      [ "$(id -u)" -ne 0 ] && sudo="sudo"
      echo "==> Installing Debian's chromium package (no Chromium found)"
      $sudo apt-get update -qq
      DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null
      CHROME_PATH=$(command -v chromium)
    else
      echo "No Chromium found and apt-get is unavailable: install Chromium and set CHROME_PATH." >&2
      exit 1
    fi
  fi
fi
export CHROME_PATH
