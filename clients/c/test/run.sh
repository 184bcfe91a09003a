#!/usr/bin/env bash
# Builds coi-client and checks it against test/fake_server.py on a temporary socket (no daemon
# needed). Exits 0 only if every case passes. Needs protoc, protoc-c, libprotobuf-c-dev and a
# Python 3 with google.protobuf (Debian's python3-protobuf); valgrind, if present, checks leaks.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(cd ../.. && pwd)"

make -s coi-client

# Debian's python3-protobuf lives in /usr/bin/python3's path; a pyenv python3 first in PATH
# would not see it.
PYTHON="${PYTHON:-}"
if [ -z "$PYTHON" ]; then
  for p in /usr/bin/python3 python3; do
    if "$p" -c 'import google.protobuf' 2>/dev/null; then PYTHON="$p"; break; fi
  done
fi
[ -n "$PYTHON" ] || { echo "run.sh: no python3 with google.protobuf (apt-get install python3-protobuf)" >&2; exit 1; }

tmp="$(mktemp -d)"
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT

mkdir -p "$tmp/pb"
protos=(ttrpc/ttrpc.proto grpc/health/v1/health.proto coi/core/v1/diagnostics.proto coi/core/v1/errors.proto)
protoc --python_out="$tmp/pb" -I "$root/protos" "${protos[@]}"
# Regular packages, so an installed package of the same name (grpc) cannot shadow them.
find "$tmp/pb" -type d -exec touch {}/__init__.py \;

sock="$tmp/coid.sock"
"$PYTHON" test/fake_server.py --socket "$sock" --pb "$tmp/pb" >"$tmp/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 100); do [ -S "$sock" ] && break; sleep 0.1; done
[ -S "$sock" ] || { echo "run.sh: fake server did not start" >&2; cat "$tmp/server.log" >&2; exit 1; }

client=(./coi-client --socket "$sock" --timeout 20)
pass=0; fail=0

# check NAME WANT_RC STDOUT_REGEX STDERR_REGEX -- COMMAND...   (an empty regex matches anything)
# With $want_bytes set, stdout must also be exactly that many bytes long.
check() {
  local name="$1" want_rc="$2" out_re="$3" err_re="$4"; shift 5
  local rc=0
  "$@" >"$tmp/out" 2>"$tmp/err" || rc=$?
  local ok=1
  [ "$rc" -eq "$want_rc" ] || ok=0
  if [ -n "${want_bytes:-}" ] && [ "$(wc -c <"$tmp/out")" -ne "$want_bytes" ]; then ok=0; fi
  if [ -n "$out_re" ] && ! grep -Eq -- "$out_re" "$tmp/out"; then ok=0; fi
  if [ -n "$err_re" ] && ! grep -Eq -- "$err_re" "$tmp/err"; then ok=0; fi
  if [ "$ok" -eq 1 ]; then
    pass=$((pass + 1)); echo "ok   $name"
  else
    fail=$((fail + 1)); echo "FAIL $name (exit $rc, wanted $want_rc)"
    head -c 1000 "$tmp/out" | sed 's/^/     stdout: /' || true; echo
    head -c 2000 "$tmp/err" | sed 's/^/     stderr: /' || true
  fi
}

check "echo"                     0 '^hello$' '' -- "${client[@]}" echo hello
check "echo spaces and UTF-8"    0 '^hej med dig, Ærø$' '' -- "${client[@]}" echo 'hej med dig, Ærø'
check "echo empty"               0 '^$' '' -- "${client[@]}" echo ''
check "socket from COI_SOCKET"   0 '^via env$' '' -- env COI_SOCKET="$sock" ./coi-client echo 'via env'
check "health"                   0 '^SERVING$' '' -- "${client[@]}" health
check "health of a service"      0 '^SERVING$' '' -- "${client[@]}" health coi.core.v1.Diagnostics
check "health NOT_SERVING"       1 '^NOT_SERVING$' '' -- "${client[@]}" health sick
check "health unknown service"   2 '' '^error: NOT_FOUND \(5\): no service' -- "${client[@]}" health nope
check "status with details"      2 '' '^error: INVALID_ARGUMENT \(3\): message must' -- "${client[@]}" echo '!invalid'
check "field violation printed"  2 '' 'field message: starts with' -- "${client[@]}" echo '!invalid'
want_bytes=3000001 \
check "reply of 3 MB"            0 '^x+$' '' -- "${client[@]}" echo '!big:3000000'
check "reply over 4 MiB"         4 '' 'bad frame' -- "${client[@]}" echo '!big:5000000'
check "reply in 1-byte writes"   0 '^trickle$' '' -- "${client[@]}" echo '!dribble:trickle'
check "bad frame header"         4 '' 'exceeds the 4 MiB limit' -- "${client[@]}" echo '!badframe'
check "connection closed"        4 '' 'closed the connection' -- "${client[@]}" echo '!close'
check "Data instead of Response" 4 '' 'bad frame: message type 0x03' -- "${client[@]}" echo '!wrongtype'
check "stress 1000"              0 '^1000 ok$' '' -- "${client[@]}" stress 1000
check "stress 5000, window 128"  0 '^5000 ok$' '' -- "${client[@]}" stress 5000 128
check "stress 300, window 1"     0 '^300 ok$' '' -- "${client[@]}" stress 300 1
check "stress 0"                 0 '^0 ok$' '' -- "${client[@]}" stress 0
# One argument can be at most 128 KiB (MAX_ARG_STRLEN), so argv cannot reach the 4 MiB limit.
want_bytes=120001 \
check "request of 120 kB"        0 '^y+$' '' -- "${client[@]}" echo "$(head -c 120000 /dev/zero | tr '\0' y)"
check "no server"                3 '' 'cannot connect' -- ./coi-client --socket "$tmp/absent.sock" echo hi
check "usage"                   64 '' 'usage' -- ./coi-client
check "bad stress count"        64 '' 'stress takes' -- "${client[@]}" stress lots

if command -v valgrind >/dev/null; then
  vg=(valgrind -q --leak-check=full --show-leak-kinds=all --errors-for-leak-kinds=all --error-exitcode=99)
  check "valgrind echo"          0 '^hello$' '' -- "${vg[@]}" "${client[@]}" echo hello
  check "valgrind health"        1 '^NOT_SERVING$' '' -- "${vg[@]}" "${client[@]}" health sick
  check "valgrind error status"  2 '' 'field message' -- "${vg[@]}" "${client[@]}" echo '!invalid'
    want_bytes=100001 \
  check "valgrind big reply"     0 '^x+$' '' -- "${vg[@]}" "${client[@]}" echo '!big:100000'
  check "valgrind bad frame"     4 '' 'bad frame' -- "${vg[@]}" "${client[@]}" echo '!badframe'
  check "valgrind stress"        0 '^500 ok$' '' -- "${vg[@]}" "${client[@]}" stress 500
else
  echo "skip valgrind checks (valgrind not installed)"
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
