#!/usr/bin/env bash
# Checks the files in systemd/ without installing them and without a running systemd:
#   1. `systemd-analyze verify` on coid.socket + coid.service, copied to a temp dir with ExecStart=
#      pointing at an existing binary (so the check works before coid is installed). Any output
#      fails the check: verify prints warnings but may still exit 0.
#   2. sysusers.d/coid.conf and tmpfiles.d/coid.conf applied to an empty temp root.
#   3. `systemd-analyze security --offline=true` on the service as shipped (Unix socket only) and with
#      the TLS drop-in (systemd/tls.conf) applied: prints both overall exposures and fails if one is
#      above $MAX_EXPOSURE (default 2.0).
#   4. The settings that keep a bad config from doing harm: RestartPreventExitStatus=78 (coid's exit
#      code for an invalid config), ExecReload= checking the config before the HUP, no IP by default.
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
cp systemd/coid.socket systemd/coid.service systemd/coid-backup.service systemd/coid-backup.timer "$units/"
sed -i -E "s#^(ExecStart|ExecReload)=/usr/bin/coid\\b#\\1=$bin#" "$units/coid.service"
grep -q "^ExecStart=$bin " "$units/coid.service" || { echo "verify-systemd: could not rewrite ExecStart=" >&2; exit 1; }
grep -q "^ExecReload=$bin config check " "$units/coid.service" || { echo "verify-systemd: could not rewrite ExecReload=" >&2; exit 1; }
# The TLS variant: the drop-in's lines after the unit's, which is how systemd merges a drop-in.
{ cat "$units/coid.service"; echo; cat systemd/tls.conf; } > "$units/coid-tls.service"

fail=0

echo "== systemd-analyze verify"
# --man=no: Documentation= is a file: URL, not a man page to look up.
out="$(cd "$units" && SYSTEMD_LOG_COLOR=0 systemd-analyze verify --man=no coid.socket coid.service coid-backup.service coid-backup.timer 2>&1)" && rc=0 || rc=$?
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
   && grep -q '^coi:' "$root/etc/passwd" && grep -q '^coi:' "$root/etc/group" && grep -q '^coi-admin:' "$root/etc/group"; then
  echo "sysusers: $(grep '^coi:' "$root/etc/passwd"); group $(grep '^coi-admin:' "$root/etc/group")"
else
  printf '%s\n' "$out"; echo "verify-systemd: FAIL: sysusers.d/coid.conf did not create user and group coi and group coi-admin" >&2; fail=1
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

echo "== settings"
service=systemd/coid.service
want_line() { # PATTERN WHY
  if grep -qE "$1" "$service"; then echo "ok: $2"; else echo "verify-systemd: FAIL: $service: $2 (no line matching $1)" >&2; fail=1; fi
}
want_line '^RestartPreventExitStatus=78$' "an invalid config (exit 78) is not restarted"
want_line '^ExecReload=/usr/bin/coid config check /etc/coid/coid.toml$' "reload checks the config first"
want_line '^RestrictAddressFamilies=AF_UNIX$' "Unix sockets only by default"
want_line '^IPAddressDeny=any$' "no IP traffic by default"
reload_lines="$(grep -n '^ExecReload=' "$service" | cut -d: -f1 | tr '\n' ' ')"
if [ "$(grep -c '^ExecReload=' "$service")" -eq 2 ] && grep -A1 '^ExecReload=/usr/bin/coid config check' "$service" | grep -q '^ExecReload=/bin/kill -HUP'; then
  echo "ok: the HUP follows the check (ExecReload= lines $reload_lines)"
else
  echo "verify-systemd: FAIL: $service: ExecReload= must be the config check, then the HUP" >&2; fail=1
fi
doc="$(sed -n 's/^Documentation=//p' "$service")"
case "$doc" in
  *file:/usr/share/doc/coid/operations.md*) echo "ok: Documentation= names /usr/share/doc/coid/operations.md (installed by the package)" ;;
  *) echo "verify-systemd: FAIL: Documentation= ($doc) does not name the installed operations.md" >&2; fail=1 ;;
esac

# The offline mode arrived in systemd 250; Debian 12 has 252.
for unit in coid.service coid-tls.service; do
  echo "== systemd-analyze security --offline=true $unit"
  if out="$(cd "$units" && SYSTEMD_LOG_COLOR=0 systemd-analyze security --offline=true --no-pager "$unit" 2>&1)"; then
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
done

[ "$fail" -eq 0 ] && echo "verify-systemd: OK"
exit "$fail"
