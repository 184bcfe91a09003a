#!/usr/bin/env bash
# Installs coid_….deb into a debootstrapped Debian 12 root that has no Swift toolchain and uses it
# there as an operator would: `apt install ./coid_….deb`, `coid --version`, `coid config check`,
# coid started as user coi on /run/coid/coid.sock, and coictl calling it (status, health, a backup)
# from inside the root. Prints each step; exits non-zero at the first failure.
#
#   scripts/deb-chroot-check.sh DEB [BASE]
#     BASE  a bookworm minbase root, made once with debootstrap and reused (default /var/tmp/coid-bookworm-base);
#           each run installs into a fresh copy of it. Needs root, debootstrap and Debian's package mirror.
set -euo pipefail
deb="$(realpath "${1:?usage: scripts/deb-chroot-check.sh DEB [BASE]}")"
base="${2:-/var/tmp/coid-bookworm-base}"
[ "$(id -u)" -eq 0 ] || { echo "deb-chroot-check: needs root (chroot, mounts)" >&2; exit 2; }
command -v debootstrap >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null; }
mirror="$(sed -n 's/^URIs: *//p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -1)"
mirror="${mirror:-$(awk '$1 == "deb" { print $2; exit }' /etc/apt/sources.list 2>/dev/null)}"

if [ ! -e "$base/.coid-base-complete" ]; then
  echo "== debootstrap --variant=minbase bookworm $base"
  rm -rf "$base"
  debootstrap --variant=minbase bookworm "$base" "$mirror" >/dev/null
  touch "$base/.coid-base-complete"
fi

root="$(mktemp -d /var/tmp/coid-chroot.XXXXXX)"
daemon_pid=""
cleanup() {
  [ -n "$daemon_pid" ] && kill "$daemon_pid" 2>/dev/null && wait "$daemon_pid" 2>/dev/null || true
  for mount in dev/pts dev proc; do umount "$root/$mount" 2>/dev/null || true; done
  rm -rf "$root"
}
trap cleanup EXIT
cp -a "$base/." "$root/"
mount -t proc proc "$root/proc"
mount --bind /dev "$root/dev"
mount --bind /dev/pts "$root/dev/pts"
cp /etc/resolv.conf "$root/etc/resolv.conf"
in_root() { chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 "$@"; }
step() { echo; echo "== $*"; }

step "no Swift in the root"
if in_root sh -c 'command -v swift swiftc' || find "$root" -xdev -name 'libswiftCore*' -print -quit | grep -q .; then
  echo "deb-chroot-check: the root has a Swift toolchain or runtime" >&2; exit 1
fi
echo "none: no swift, no libswiftCore.so"

step "apt install ./$(basename "$deb")"
cp "$deb" "$root/tmp/"
in_root apt-get update -qq
in_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "/tmp/$(basename "$deb")" | tail -n 8

step "what the package set up"
in_root getent passwd coi
in_root getent group coi coi-admin
in_root stat -c '%A %U:%G %n' /etc/coid /etc/coid/coid.toml /var/lib/coid /run/coid
enabled="$root/etc/systemd/system/sockets.target.wants/coid.socket"
[ -L "$enabled" ] || { echo "deb-chroot-check: coid.socket is not enabled" >&2; exit 1; }
echo "coid.socket enabled: $(readlink "$enabled")"
[ ! -e "$root/etc/systemd/system/multi-user.target.wants/coid.service" ] || { echo "deb-chroot-check: coid.service was enabled" >&2; exit 1; }

step "coid --version"
in_root coid --version
step "coid config check"
in_root coid config check

step "coid running as coi on /run/coid/coid.sock"
chroot --userspec=coi:coi "$root" /usr/bin/env -i PATH=/usr/bin:/bin LANG=C.UTF-8 \
  /usr/bin/coid --config /etc/coid/coid.toml >"$root/tmp/coid.log" 2>&1 &
daemon_pid=$!
for _ in $(seq 1 300); do
  [ -S "$root/run/coid/coid.sock" ] && break
  kill -0 "$daemon_pid" 2>/dev/null || { cat "$root/tmp/coid.log"; echo "deb-chroot-check: coid exited" >&2; exit 1; }
  sleep 0.1
done
step "coictl status (root: an admin)"
in_root coictl status
step "coictl health"
in_root coictl health
step "coictl backup --out /root/coid-backup.db"
in_root coictl backup --out /root/coid-backup.db
in_root stat -c '%a %U:%G %s bytes %n' /root/coid-backup.db
step "stop: SIGTERM, exit status"
kill -TERM "$daemon_pid"; status=0; wait "$daemon_pid" || status=$?; daemon_pid=""
echo "coid exited $status"
[ "$status" -eq 0 ] || { cat "$root/tmp/coid.log"; exit 1; }
step "coid restore (stopped daemon)"
in_root coid restore /root/coid-backup.db
echo
echo "deb-chroot-check: OK ($(basename "$deb") installed and used in a Debian 12 root without Swift)"
