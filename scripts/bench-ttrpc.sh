#!/usr/bin/env bash
# coid's call path against containerd's Go ttrpc server, both driven by the same unmodified Go ttrpc
# client from Debian (issue 15). Builds the Go echo server and load client in GOPATH mode from
# Debian's packages (no network), starts both servers pinned to CPU 0, runs the load on CPU 1,
# alternates 4-second rounds, and prints calls/s, p50/p99 and server CPU per call (from
# /proc/PID/stat) for both, with their ratio.
#   scripts/bench-ttrpc.sh [--coid PATH] [--rounds N] [--seconds S] [--scenarios 64x4,64x1,1x1] [--awake] [--phases]
# --awake  keeps CPU 0 out of its idle state with a SCHED_IDLE busy loop (a control: it removes the
#          cost of waking an idle CPU for both servers, and spends that CPU);
# --phases then traces one caller's calls (perf, raw syscalls) and prints, per server, the median of
#          each phase of a call and the idle entries (cpuidle) of both CPUs per call.
# Without --coid it uses (and if missing builds) the release coid. Not part of the test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
coid=""; rounds=3; seconds=4; scenarios="64x4,64x1,1x1"; awake=0; phases=0
while [ $# -gt 0 ]; do
  case "$1" in
    --coid) coid="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    --seconds) seconds="$2"; shift 2 ;;
    --scenarios) scenarios="$2"; shift 2 ;;
    --awake) awake=1; shift ;;
    --phases) phases=1; shift ;;
    -h|--help) sed -n 2,12p "$0" | cut -c3-; exit 0 ;;
    *) echo "bench-ttrpc: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done

need=()
packages=(golang-go golang-github-containerd-ttrpc-dev util-linux)
[ "$phases" = 1 ] && packages+=(linux-perf)
for pkg in "${packages[@]}"; do
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
if [ "$awake" = 1 ]; then
  chrt -i 0 taskset -c 0 sh -c 'while :; do :; done' & pids+=($!)
fi

exec 3>&1
python3 - "$work" "$coid_pid" "$go_pid" "$rounds" "$seconds" "$scenarios" "$coid" "$awake" <<'PY'
import json, os, statistics, subprocess, sys
work, coid_pid, go_pid, rounds, seconds, scenarios, coid, awake = sys.argv[1:]
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
      f"{rounds} alternated rounds of {seconds:g} s; coid = {coid}"
      + ("; CPU 0 kept awake by a SCHED_IDLE busy loop" if awake == "1" else ""))
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

[ "$phases" = 1 ] || exit 0
# One caller's calls, phase by phase: the client's write of a Request to the server's epoll return
# (waking the server), to its read, to its write of the Response, to the client's read (waking the
# client); and from the server's write to its next epoll wait (work after the reply). perf traces
# every syscall of the machine for half a second in the middle of a run.
idle_entries() { cat /sys/devices/system/cpu/cpu"$1"/cpuidle/state*/usage 2>/dev/null | awk '{ n += $1 } END { print n + 0 }'; }
echo
echo "# one caller, per call: phases (median µs, perf raw_syscalls) and idle entries per CPU (cpuidle usage)"
echo "| server | client write → server epoll return | → server read | → server write | server write → client read | server write → next epoll wait | idle entries per call CPU 0 / CPU 1 |"
echo "|---|---:|---:|---:|---:|---:|---|"
for server in coid go; do
  if [ "$server" = coid ]; then pid=$coid_pid; sock=coid.sock; else pid=$go_pid; sock=go.sock; fi
  i0=$(idle_entries 0); i1=$(idle_entries 1)
  taskset -c 1 "$work/ttrpc-load" --socket "$work/$sock" --callers 1 --conns 1 --seconds 3 > "$work/phase.json" & load=$!
  sleep 1.2
  perf record -q -a -e raw_syscalls:sys_enter,raw_syscalls:sys_exit -o "$work/phase.data" -- sleep 0.5 2>/dev/null
  wait "$load"
  j0=$(idle_entries 0); j1=$(idle_entries 1)
  perf script -i "$work/phase.data" -F pid,time,event,trace > "$work/phase.txt" 2>/dev/null
  python3 - "$server" "$pid" "$work/phase.json" "$((j0 - i0))" "$((j1 - i1))" "$load" "$work/phase.txt" <<'PY'
import json, re, statistics, sys
server, pid, load, idle0, idle1, client, trace = (sys.argv[1], int(sys.argv[2]), json.load(open(sys.argv[3])),
                                                 int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6]), sys.argv[7])
READ, WRITE, POLLS = 0, 1, (232, 281)   # x86_64: read, write, epoll_wait, epoll_pwait
line = re.compile(r"\s*(\d+)\s+([\d.]+):\s+raw_syscalls:sys_(enter|exit):\s+NR (\d+)(?:.*= (-?\d+))?")
phases = {k: [] for k in ("wake", "read", "handle", "reply", "after")}
client_write = poll_exit = read_exit = write_enter = None
write_exit = False
for text in open(trace):
    m = line.match(text)
    if not m:
        continue
    p, t, kind, nr, ret = int(m[1]), float(m[2]) * 1e6, m[3], int(m[4]), m[5]
    is_server, is_client, done = p == pid, p == client, kind == "exit"
    if is_client and not done and nr == WRITE:
        client_write, poll_exit = t, None
    elif is_server and done and nr in POLLS and client_write is not None and poll_exit is None:
        poll_exit = t
        phases["wake"].append(t - client_write)
    elif is_server and done and nr == READ and ret and int(ret) > 0 and client_write is not None:
        if poll_exit is not None:
            phases["read"].append(t - poll_exit)
        read_exit, client_write, poll_exit = t, None, None
    elif is_server and not done and nr == WRITE and read_exit is not None:
        phases["handle"].append(t - read_exit)
        write_enter, read_exit, write_exit = t, None, None
    elif is_server and done and nr == WRITE and write_exit is None:
        write_exit = t
    elif is_server and not done and nr in POLLS and write_exit:
        phases["after"].append(t - write_exit)
        write_exit = False
    elif is_client and done and nr == READ and ret and int(ret) > 0 and write_enter is not None:
        phases["reply"].append(t - write_enter)
        write_enter = None
med = lambda k: f"{statistics.median(phases[k]):.0f}" if phases[k] else "–"
calls = max(load["total_calls"], 1)
print(f"| {server} (p50 {load['p50_us']:.0f} µs) | {med('wake')} | {med('read')} | {med('handle')} | {med('reply')} | {med('after')} | "
      f"{idle0 / calls:.2f} / {idle1 / calls:.2f} |")
PY
done
