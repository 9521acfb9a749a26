#!/usr/bin/env bash
# What the whole suite needs beyond Python, installed where it is missing.
# Called by `make test` (and so by CI's .ci/run); a machine that has them all
# installs nothing. Debian or Ubuntu packages:
#   chromium              the browser tests (Playwright drives /usr/bin/chromium;
#                         it never downloads a browser of its own)
#   default-jre-headless  the Nu Html Checker (vnu.jar) runs on Java
#   npm                   installs vnu.jar (package.json, package-lock.json)
set -euo pipefail

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v java >/dev/null 2>&1 || missing+=(default-jre-headless)
command -v npm >/dev/null 2>&1 || missing+=(npm)
[ "${#missing[@]}" -eq 0 ] && exit 0

echo "make test: installing ${missing[*]} (Debian packages)"
if [ "$(id -u)" -eq 0 ]; then
  sudo=()
elif command -v sudo >/dev/null 2>&1; then
  sudo=(sudo)
else
  echo "Install them first, as root: apt-get install ${missing[*]}" >&2
  exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "No apt-get here: install ${missing[*]} with this system's package manager." >&2
  exit 1
fi
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
