#!/usr/bin/env bash
# Creates (or reuses) a Python venv with PyPI's `matching`, the outside reference the placements
# engine's stable matching is checked against, and prints the venv's python path, so:
#
#   export COI_MATCHING_PYTHON="$(scripts/setup-matching-venv.sh)"
#   swift test
#
# Usage: scripts/setup-matching-venv.sh [VENV_DIR]   (default: .build/venv-matching, a cache next to the build)
# Idempotent: an existing venv that already imports `matching` is left alone. Progress goes to
# stderr so stdout is only the path.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="${1:-$root/.build/venv-matching}"
python="$venv/bin/python"
host_python="${PYTHON:-python3}"

if [ ! -x "$python" ]; then
    echo "creating venv at $venv" >&2
    "$host_python" -m venv "$venv" >&2
fi
if ! "$python" -c 'from matching.games import HospitalResident' 2>/dev/null; then
    echo "installing matching into $venv" >&2
    "$python" -m pip install --quiet --disable-pip-version-check matching >&2
fi
"$python" -c 'from matching.games import HospitalResident' >&2
echo "$python"
