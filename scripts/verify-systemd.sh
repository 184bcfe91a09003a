#!/usr/bin/env bash
# Checks the files in systemd/ without installing them and without a running systemd:
#   1. `systemd-analyze verify` on coid.socket + coid.service, copied to a temp dir with ExecStart=
#      pointing at an existing binary (so the check works before coid is installed). Any output
#      fails the check: verify prints warnings but may still exit 0.
#   2. sysusers.d/coid.conf and tmpfiles.d/coid.conf applied to an empty temp root.
#   3. `systemd-analyze security --offline=true` on the service: prints the overall exposure and
#      fails if it is above $MAX_EXPOSURE (default 2.0).
#
#   scripts/verify-systemd.sh [BINARY]      BINARY defaults to /bin/true, e.g. .build/release/coid
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${1:-/bin/true}"
max_exposure="${MAX_EXPOSURE:-2.0}"
[ -x "$bin" ] || { echo "verify-systemd: $bin is not an executable file" >&2; exit 2; }
bin="$(realpath "$bin")"
command -v systemd-analyze >/dev/null || { echo "verify-systemd: systemd-analyze not found (scripts/ensure-deps.sh)" >&2; exit 2; }

tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
units="$tmp/units"; mkdir -p "$units"
cp systemd/coid.socket systemd/coid.service "$units/"
sed -i "s|^ExecStart=/usr/bin/coid\\b|ExecStart=$bin|" "$units/coid.service"
grep -q "^ExecStart=$bin " "$units/coid.service" || { echo "verify-systemd: could not rewrite ExecStart=" >&2; exit 1; }

fail=0

echo "== systemd-analyze verify"
# --man=no: Documentation= is a file: URL, not a man page to look up.
out="$(cd "$units" && SYSTEMD_LOG_COLOR=0 systemd-analyze verify --man=no coid.socket coid.service 2>&1)" && rc=0 || rc=$?
if [ -n "$out" ] || [ "$rc" -ne 0 ]; then
  printf '%s\n' "$out"
  echo "verify-systemd: FAIL: systemd-analyze verify exited $rc with the output above" >&2
  fail=1
else
  echo "clean (no warnings)"
fi

echo "== sysusers.d and tmpfiles.d"
# Installed where a package puts them; with --root both tools read configuration inside the root.
root="$tmp/root"; mkdir -p "$root/etc" "$root/run" "$root/var/lib" "$root/usr/lib/sysusers.d" "$root/usr/lib/tmpfiles.d"
cp systemd/sysusers.d/coid.conf "$root/usr/lib/sysusers.d/coid.conf"
cp systemd/tmpfiles.d/coid.conf "$root/usr/lib/tmpfiles.d/coid.conf"
if out="$(systemd-sysusers --root="$root" 2>&1)" \
   && grep -q '^coi:' "$root/etc/passwd" && grep -q '^coi:' "$root/etc/group"; then
  echo "sysusers: $(grep '^coi:' "$root/etc/passwd")"
else
  printf '%s\n' "$out"; echo "verify-systemd: FAIL: sysusers.d/coid.conf did not create user and group coi" >&2; fail=1
fi
if out="$(systemd-tmpfiles --root="$root" --create 2>&1)" && [ -z "$out" ]; then
  # Owners as numbers: the names belong to the temp root's /etc/passwd, not the host's.
  uid="$(awk -F: '$1 == "coi" { print $3 }' "$root/etc/passwd")"
  gid="$(awk -F: '$1 == "coi" { print $3 }' "$root/etc/group")"
  for want in "etc/coid 750 0:$gid" "var/lib/coid 750 $uid:$gid" "run/coid 750 $uid:$gid"; do
    set -- $want
    got="$(stat -c '%a %u:%g' "$root/$1" 2>/dev/null || echo missing)"
    if [ "$got" = "$2 $3" ]; then echo "tmpfiles: /$1 $got"; else
      echo "verify-systemd: FAIL: /$1 is '$got', wanted '$2 $3' (coi = $uid:$gid)" >&2; fail=1; fi
  done
else
  printf '%s\n' "$out"; echo "verify-systemd: FAIL: systemd-tmpfiles reported the output above" >&2; fail=1
fi

echo "== systemd-analyze security --offline=true"
# The offline mode arrived in systemd 250; Debian 12 has 252.
if out="$(cd "$units" && SYSTEMD_LOG_COLOR=0 systemd-analyze security --offline=true --no-pager coid.service 2>&1)"; then
  line="$(printf '%s\n' "$out" | grep 'Overall exposure level' || true)"
  if [ -z "$line" ]; then
    printf '%s\n' "$out"; echo "verify-systemd: FAIL: no overall exposure level in the output" >&2; fail=1
  else
    printf '%s\n' "$out" | grep -E '^✗' || true
    echo "$line"
    score="$(printf '%s\n' "$line" | grep -oE '[0-9]+\.[0-9]+' | head -1)"
    if awk -v s="$score" -v m="$max_exposure" 'BEGIN { exit !(s > m) }'; then
      echo "verify-systemd: FAIL: exposure $score is above $max_exposure" >&2; fail=1
    fi
  fi
else
  printf '%s\n' "$out"
  echo "verify-systemd: FAIL: systemd-analyze security --offline=true failed (needs systemd >= 250)" >&2
  fail=1
fi

[ "$fail" -eq 0 ] && echo "verify-systemd: OK"
exit "$fail"
