#!/usr/bin/env bash
# Builds coid_<version>_amd64.deb from this checkout: release binaries with the Swift runtime linked
# statically (they run on a Debian 12 server with no Swift toolchain), the systemd units, sysusers
# and tmpfiles snippets, the example config as a conffile, coictl's completions, man pages and the
# docs. Maintainer scripts create the users and enable (not start) coid.socket, as Debian services do.
#
#   scripts/build-deb.sh [--bin-dir DIR] [--out DIR]
#     --bin-dir DIR  take coid and coictl from DIR instead of building them (they must have been built
#                    with `-c release --static-swift-stdlib`; the script checks that they need no Swift library)
#     --out DIR      where the .deb goes (default: .build-deb/)
# Builds, when it builds, with `nice -n 10` into .build-release/ (the release build takes long on a
# small machine). Then runs lintian and fails on any error. Installs dpkg-dev, lintian, binutils, patchelf if missing.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(pwd)"
bin_dir=""
out="$root/.build-deb"
while [ $# -gt 0 ]; do
  case "$1" in
    --bin-dir) bin_dir="$(realpath "$2")"; shift 2 ;;
    --out) mkdir -p "$2"; out="$(realpath "$2")"; shift 2 ;;
    *) echo "build-deb: unknown argument $1 (see the comment at the top)" >&2; exit 64 ;;
  esac
done
# Only this script needs them, so it installs them rather than scripts/ensure-deps.sh for every run.
need=()
for pkg in dpkg-dev lintian binutils patchelf; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  echo "build-deb: installing ${need[*]}" >&2
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi

version="$(sed -n 's/.*public static let version = "\(.*\)".*/\1/p' Sources/Daemon/Host/Daemon.swift)"
[ -n "$version" ] || { echo "build-deb: no version in Sources/Daemon/Host/Daemon.swift" >&2; exit 1; }
arch="$(dpkg --print-architecture)"

# --- binaries ---------------------------------------------------------------------------------------
if [ -z "$bin_dir" ]; then
  for product in coid coictl; do
    echo "build-deb: swift build -c release --static-swift-stdlib --product $product (slow)" >&2
    nice -n 10 swift build -c release --static-swift-stdlib --scratch-path .build-release --product "$product" >&2
  done
  bin_dir="$(swift build -c release --static-swift-stdlib --scratch-path .build-release --show-bin-path)"
fi
for binary in coid coictl; do
  [ -x "$bin_dir/$binary" ] || { echo "build-deb: $bin_dir/$binary is missing" >&2; exit 1; }
  # A Swift library or a RUNPATH into a toolchain means the binary would not start on a plain server
  # (the static build's only RUNPATH is $ORIGIN, which the package drops below).
  if readelf -d "$bin_dir/$binary" | grep -E 'NEEDED.*(libswift|libFoundation|libdispatch|libBlocksRuntime|lib_Foundation)|R(UN)?PATH.*\[/'; then
    echo "build-deb: $bin_dir/$binary needs the Swift runtime (build with --static-swift-stdlib)" >&2; exit 1
  fi
done

# --- the tree ----------------------------------------------------------------------------------------
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
pkg="$work/coid_${version}_${arch}"
doc="$pkg/usr/share/doc/coid"
install -d -m 0755 "$pkg/DEBIAN" "$pkg/usr/bin" "$pkg/lib/systemd/system" "$pkg/usr/lib/sysusers.d" "$pkg/usr/lib/tmpfiles.d" \
  "$pkg/etc/coid" "$doc/examples" "$pkg/usr/share/man/man1" "$pkg/usr/share/man/man8" \
  "$pkg/usr/share/bash-completion/completions" "$pkg/usr/share/zsh/vendor-completions" "$pkg/usr/share/fish/vendor_completions.d"
for binary in coid coictl; do
  install -m 0755 "$bin_dir/$binary" "$pkg/usr/bin/$binary"
  strip --strip-unneeded --remove-section=.comment --remove-section=.note "$pkg/usr/bin/$binary"
  # SwiftPM links with RUNPATH $ORIGIN; nothing is looked up there in /usr/bin (lintian: custom-library-search-path).
  patchelf --remove-rpath "$pkg/usr/bin/$binary"
done
# Debian 12 keeps units in /lib/systemd/system (lintian flags /usr/lib/systemd/system there).
install -m 0644 systemd/coid.service systemd/coid.socket systemd/coid-backup.service systemd/coid-backup.timer "$pkg/lib/systemd/system/"
install -m 0644 systemd/sysusers.d/coid.conf "$pkg/usr/lib/sysusers.d/coid.conf"
install -m 0644 systemd/tmpfiles.d/coid.conf "$pkg/usr/lib/tmpfiles.d/coid.conf"
install -m 0644 systemd/coid.toml.example "$pkg/etc/coid/coid.toml"
install -m 0644 systemd/tls.conf "$doc/examples/tls.conf"
install -m 0644 systemd/coid.toml.example "$doc/examples/coid.toml"
install -m 0644 README.md "$doc/README.md"
for file in docs/*.md; do install -m 0644 "$file" "$doc/$(basename "$file")"; done

# Man pages and completions from the binaries themselves (swift-argument-parser), as
# scripts/generate-cli-docs.sh makes them.
scripts/generate-cli-docs.sh --bin-dir "$bin_dir" "$work/cli-docs" >&2
install -m 0644 "$work/cli-docs/man/man1/"*.1 "$pkg/usr/share/man/man1/"
install -m 0644 "$work/cli-docs/man/man8/"*.8 "$pkg/usr/share/man/man8/"
gzip -9n "$pkg/usr/share/man/man1/"*.1 "$pkg/usr/share/man/man8/"*.8
install -m 0644 "$work/cli-docs/completions/coictl.bash" "$pkg/usr/share/bash-completion/completions/coictl"
install -m 0644 "$work/cli-docs/completions/_coictl" "$pkg/usr/share/zsh/vendor-completions/_coictl"
install -m 0644 "$work/cli-docs/completions/coictl.fish" "$pkg/usr/share/fish/vendor_completions.d/coictl.fish"

cat > "$doc/copyright" <<COPYRIGHT
Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: coid
Source: the coid repository of Center for Offentlig Innovation

Files: *
Copyright: $(date -u +%Y) Center for Offentlig Innovation
License: proprietary
 Internal software of Center for Offentlig Innovation; all rights reserved.
 The binaries contain the Swift runtime and Swift packages (Apache-2.0, MIT),
 statically linked.
COPYRIGHT
date_rfc2822="$(date -u -R -d "@$(git log -1 --format=%ct 2>/dev/null || date +%s)")"
cat > "$work/changelog" <<CHANGELOG
coid ($version) bookworm; urgency=medium

  * Release $version, built from commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown).

 -- Center for Offentlig Innovation <drift@coi.dk>  $date_rfc2822
CHANGELOG
gzip -9n -c "$work/changelog" > "$doc/changelog.gz"
chmod 0644 "$doc/copyright" "$doc/changelog.gz"

# --- control ----------------------------------------------------------------------------------------
# Depends from the libraries the binaries link (libc6, libsqlite3-0, libstdc++6 …), as debhelper does.
mkdir -p "$work/shlibs/debian"
printf 'Source: coid\n\nPackage: coid\nArchitecture: any\n' > "$work/shlibs/debian/control"
depends="$(cd "$work/shlibs" && dpkg-shlibdeps -O "$pkg/usr/bin/coid" "$pkg/usr/bin/coictl" 2>/dev/null | sed -n 's/^shlibs:Depends=//p')"
[ -n "$depends" ] || { echo "build-deb: dpkg-shlibdeps found no dependencies" >&2; exit 1; }
size_kb="$(du -sk --exclude=DEBIAN "$pkg" | cut -f1)"
cat > "$pkg/DEBIAN/control" <<CONTROL
Package: coid
Version: $version
Architecture: $arch
Maintainer: Center for Offentlig Innovation <drift@coi.dk>
Installed-Size: $size_kb
Depends: $depends, adduser | passwd
Recommends: systemd
Section: net
Priority: optional
Homepage: https://coi.dk
Description: Center for Public Innovation server and its admin CLI
 coid hosts the programmes of Center for Offentlig Innovation (nominations,
 innovation placements, the innovation wiki, the innovation barometer and the
 politician network) behind one protobuf-framed socket API; coictl manages it.
 .
 Installing enables coid.socket; coid starts on the first connection to
 /run/coid/coid.sock. Members of group coi may connect, members of coi-admin
 are admins. The configuration is /etc/coid/coid.toml.
CONTROL
echo "/etc/coid/coid.toml" > "$pkg/DEBIAN/conffiles"
install -m 0755 packaging/postinst packaging/prerm packaging/postrm "$pkg/DEBIAN/"
(cd "$pkg" && find . -path ./DEBIAN -prune -o -type f -print | sed 's|^\./||' | LC_ALL=C sort | xargs md5sum > DEBIAN/md5sums)
chmod 0644 "$pkg/DEBIAN/control" "$pkg/DEBIAN/conffiles" "$pkg/DEBIAN/md5sums"

mkdir -p "$out"
deb="$out/coid_${version}_${arch}.deb"
dpkg-deb --root-owner-group -Zxz --build "$pkg" "$deb" >&2
echo "build-deb: $deb ($(du -h "$deb" | cut -f1), installed $((size_kb / 1024)) MiB)" >&2

# --- lintian ----------------------------------------------------------------------------------------
echo "build-deb: lintian" >&2
lintian --fail-on error --no-tag-display-limit "$deb" >&2 || { echo "build-deb: lintian reported errors" >&2; exit 1; }
echo "$deb"
