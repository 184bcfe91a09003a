#!/usr/bin/env bash
# coid's call path against containerd's Go ttrpc server, both driven by the same unmodified Go ttrpc
# client from Debian (issue 15). Builds the Go echo server and load client in GOPATH mode from
# Debian's packages (no network), starts both servers pinned to CPU 0, runs the load on CPU 1,
# alternates 4-second rounds, and prints calls/s, p50/p99 and server CPU per call (from
# /proc/PID/stat) for both, with their ratio.
#   scripts/bench-ttrpc.sh [--coid PATH] [--rounds N] [--seconds S] [--scenarios 64x4,64x1,1x1]
# Without --coid it uses (and if missing builds) the release coid. Not part of the test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
coid=""; rounds=3; seconds=4; scenarios="64x4,64x1,1x1"
while [ $# -gt 0 ]; do
  case "$1" in
    --coid) coid="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    --seconds) seconds="$2"; shift 2 ;;
    --scenarios) scenarios="$2"; shift 2 ;;
    -h|--help) sed -n 2,9p "$0"; exit 0 ;;
    *) echo "bench-ttrpc: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done

need=()
for pkg in golang-go golang-github-containerd-ttrpc-dev util-linux; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi
[ "$(nproc)" -ge 2 ] || { echo "bench-ttrpc: needs 2 CPUs (server on one, load on the other)" >&2; exit 1; }

work="$(mktemp -d /tmp/bench-ttrpc.XXXXXX)"
cleanup() { kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"; }
pids=(); trap cleanup EXIT

export GOPATH="$PWD/bench/ttrpc-go:/usr/share/gocode" GO111MODULE=off GOCACHE="$work/gocache" GOFLAGS=""
go build -o "$work/ttrpc-server" coibench/server
go build -o "$work/ttrpc-load" coibench/load
if [ -z "$coid" ]; then
  coid=".build/release/coid"
  [ -x "$coid" ] || swift build -c release --product coid >&2
fi

taskset -c 0 "$coid" --state-dir "$work/coid" --socket "$work/coid.sock" --log-level warning & pids+=($!); coid_pid=$!
taskset -c 0 "$work/ttrpc-server" --socket "$work/go.sock" & pids+=($!); go_pid=$!
for _ in $(seq 100); do [ -S "$work/coid.sock" ] && [ -S "$work/go.sock" ] && break; sleep 0.1; done

exec 3>&1
python3 - "$work" "$coid_pid" "$go_pid" "$rounds" "$seconds" "$scenarios" "$coid" <<'PY'
import json, os, statistics, subprocess, sys
work, coid_pid, go_pid, rounds, seconds, scenarios, coid = sys.argv[1:]
rounds, seconds = int(rounds), float(seconds)
tick = os.sysconf("SC_CLK_TCK")

def cpu(pid):
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / tick   # utime + stime, seconds

def run(server, callers, conns):
    pid, sock = (coid_pid, "coid.sock") if server == "coid" else (go_pid, "go.sock")
    before = cpu(pid)
    out = subprocess.run(["taskset", "-c", "1", f"{work}/ttrpc-load", "--socket", f"{work}/{sock}",
                          "--callers", str(callers), "--conns", str(conns), "--seconds", str(seconds)],
                         check=True, capture_output=True, text=True).stdout
    used = cpu(pid) - before
    result = json.loads(out)
    result["cpu_us_per_call"] = used / max(result["total_calls"], 1) * 1e6
    return result

print(f"# coid vs Go ttrpc 1.1.1 server: unary Echo, servers on CPU 0, Go ttrpc load client on CPU 1, "
      f"{rounds} alternated rounds of {seconds:g} s; coid = {coid}")
print("| callers × conns | coid calls/s | Go calls/s | coid / Go | p50 µs coid / Go | p99 µs coid / Go | server CPU µs per call coid / Go |")
print("|---|---:|---:|---:|---|---|---|")
for scenario in scenarios.split(","):
    callers, conns = (int(x) for x in scenario.split("x"))
    results = {"coid": [], "go": []}
    for r in range(rounds):
        order = ["coid", "go"] if r % 2 == 0 else ["go", "coid"]
        for server in order:
            results[server].append(run(server, callers, conns))
    med = lambda s, k: statistics.median(x[k] for x in results[s])
    errors = sum(x["errors"] for s in results for x in results[s])
    rng = lambda s, k: f"{min(x[k] for x in results[s]):,.0f}–{max(x[k] for x in results[s]):,.0f}"
    print(f"| {callers} × {conns} | {rng('coid', 'calls_per_s')} | {rng('go', 'calls_per_s')} | "
          f"{med('coid', 'calls_per_s') / med('go', 'calls_per_s'):.2f} | "
          f"{med('coid', 'p50_us'):.0f} / {med('go', 'p50_us'):.0f} | {med('coid', 'p99_us'):.0f} / {med('go', 'p99_us'):.0f} | "
          f"{med('coid', 'cpu_us_per_call'):.1f} / {med('go', 'cpu_us_per_call'):.1f} |"
          + (f" ({errors} errors)" if errors else ""), flush=True)
PY
