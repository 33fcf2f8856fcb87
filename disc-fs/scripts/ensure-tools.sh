#!/usr/bin/env bash
# The independent disc readers disc-fs's tests check images with: xorriso,
# isoinfo (genisoimage), 7-Zip (7zip), udfinfo (udftools) and udfclient. Installs the
# missing ones through apt; quiet and quick when all are present. Idempotent.
set -euo pipefail

missing=()
command -v xorriso >/dev/null || missing+=(xorriso)
command -v isoinfo >/dev/null || missing+=(genisoimage)
command -v 7zz >/dev/null || command -v 7z >/dev/null || missing+=(7zip)
command -v udfinfo >/dev/null || missing+=(udftools)
command -v udfclient >/dev/null || missing+=(udfclient)
[ ${#missing[@]} -eq 0 ] && exit 0

echo "==> Installing disc readers for disc-fs tests: ${missing[*]}"
sudo=()
[ "$(id -u)" -ne 0 ] && sudo=(sudo)
export DEBIAN_FRONTEND=noninteractive
if ! "${sudo[@]}" apt-get install -y --no-install-recommends "${missing[@]}"; then
  "${sudo[@]}" apt-get update
  "${sudo[@]}" apt-get install -y --no-install-recommends "${missing[@]}"
fi
