#!/usr/bin/env bash
# Makes sure the Debian packages the tests need are installed. The list lives in one place,
# .ci/apt-packages. Missing ones are installed when this user can (root, or sudo without a password);
# otherwise it stops at once, printing the exact apt-get line to run. FLOWPROOF_SKIP_SYSTEM_PACKAGES=1
# skips the check (the tests that need a missing package then fail and name it).
set -euo pipefail
cd "$(dirname "$0")/.."
[ "${FLOWPROOF_SKIP_SYSTEM_PACKAGES:-0}" = 1 ] && exit 0

wanted=()
while read -r line; do
  pkg=${line%%#*}
  pkg=${pkg//[[:space:]]/}
  [ -n "$pkg" ] && wanted+=("$pkg")
done < .ci/apt-packages

if ! command -v dpkg-query >/dev/null 2>&1; then
  echo "npm test: no dpkg-query here, so this is not a Debian-based system; the tests need these Debian" >&2
  echo "packages (or their equivalents): ${wanted[*]}" >&2
  echo "Install them, then run again with FLOWPROOF_SKIP_SYSTEM_PACKAGES=1 npm test" >&2
  exit 1
fi

missing=()
for pkg in "${wanted[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
  [ "$status" = "install ok installed" ] || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
  as_root=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  as_root=(sudo -n)
else
  echo "npm test: missing Debian packages: ${missing[*]}" >&2
  echo "This user cannot install them (not root, no sudo without a password). Run:" >&2
  echo "  sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
  echo "then npm test again." >&2
  exit 1
fi
echo "npm test: installing missing Debian packages: ${missing[*]}"
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
