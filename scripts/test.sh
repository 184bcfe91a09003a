#!/usr/bin/env bash
# The whole test suite, as CI runs it (.ci/run) and the README gives it: installs what the tests
# need, proves the generated protobuf code is current, builds without warnings, runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/ensure-deps.sh

echo "== generated code is current"
scripts/generate-protos.sh --check

echo "== build (warnings are errors in our code)"
log="$(mktemp)"; trap 'rm -f "$log"' EXIT
if ! swift build --build-tests >"$log" 2>&1; then
  cat "$log" >&2
  echo "test.sh: the build failed" >&2
  exit 1
fi
tail -1 "$log"
if grep -E "^$PWD/(Sources|Tests)/.*: (warning|error):" "$log" | sort -u | grep .; then
  echo "test.sh: the build printed warnings or errors in project code (above)" >&2
  exit 1
fi

echo "== C client against a fake server"
bash clients/c/test/run.sh

echo "== Python icalendar for the network plugin's calendar test"
COI_ICAL_PYTHON="$(scripts/ical-venv.sh)"
export COI_ICAL_PYTHON
echo "== PyPI matching for the placements reference test"
# The placements engine is compared with PyPI's `matching` (MatchingReferenceTests); the venv is a
# cache under .build, created once and reused.
COI_MATCHING_PYTHON="$(scripts/setup-matching-venv.sh)"
export COI_MATCHING_PYTHON

echo "== swift test"
# A hung test must fail the run, not eat CI's 90 minutes; the suite takes well under a minute.
timeout --signal=KILL 1200 swift test --skip-build
