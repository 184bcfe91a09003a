#!/usr/bin/env bash
# Installs the Debian packages the build, the generators and the tests need, if any is missing.
# Idempotent and quiet when everything is present; needs root (or sudo) only when it installs.
set -euo pipefail
need=()
for pkg in protobuf-compiler protobuf-c-compiler libprotobuf-c-dev libprotobuf-dev python3-protobuf python3-venv libsqlite3-dev systemd openssl r-cran-survey librsvg2-bin; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || need+=("$pkg")
done
# Metrics: promtool checks the exposition and a real Prometheus scrapes coid; curl for /metrics.
# clients/go and clients/python: Debian's Go with containerd's ttrpc client, and python3-protobuf.
for pkg in prometheus curl golang-go golang-github-containerd-ttrpc-dev; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || need+=("$pkg")
done
command -v systemd-socket-activate >/dev/null || need+=(systemd)
[ ${#need[@]} -eq 0 ] && exit 0
echo "ensure-deps: installing ${need[*]}" >&2
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
