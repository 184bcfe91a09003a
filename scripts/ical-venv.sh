#!/usr/bin/env bash
# A Python virtualenv with PyPI's `icalendar`, the independent parser the network plugin's test
# checks its RFC 5545 calendar export with. Idempotent; prints the venv's python on stdout.
#   export COI_ICAL_PYTHON="$(scripts/ical-venv.sh)"
set -euo pipefail
cd "$(dirname "$0")/.."
venv=.build/venv-ical
if ! "$venv/bin/python3" -c 'import icalendar' 2>/dev/null; then
  # Debian splits venv support into python3-venv; install it if `python3 -m venv` cannot work.
  if ! python3 -m venv --help >/dev/null 2>&1 || ! python3 -c 'import ensurepip' 2>/dev/null; then
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq python3-venv >/dev/null
  fi
  rm -rf "$venv"
  python3 -m venv "$venv" >&2
  "$venv/bin/pip" install --quiet --disable-pip-version-check icalendar >&2
fi
echo "$PWD/$venv/bin/python3"
