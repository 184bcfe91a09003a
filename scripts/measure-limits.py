#!/usr/bin/env python3
"""Measurements for issue 10 items 5 and 6 against a coid binary (docs/reliability.md), with its own
raw ttrpc frames so that any coid (old or new) can be measured.

  scripts/measure-limits.py COID rss [N]                 N connections (8) each with an unread EchoStream
                                                         of 10,000 x 1 MiB; prints idle and peak VmRSS
  scripts/measure-limits.py COID emfile LIMIT COUNT      coid under `ulimit -n LIMIT`, COUNT connections
                                                         held; prints CPU time over 5 s, descriptors, log
                                                         lines, then whether `coictl health` (next to
                                                         COID) answers after they close
  CONFIG='[server]\\nmax_connections_per_uid = 100000\\n' ...   runs coid with that config file
  SAMPLES=80                                             RSS samples, 250 ms apart
"""
import os, sys, socket, struct, subprocess, time, resource, tempfile, shutil

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ttrpc_frames import field_bytes, field_varint, frame, request

def start(coid, limit=None):
    d = tempfile.mkdtemp(prefix="coid-m-", dir="/tmp")
    sock = d + "/coid.sock"; log = open(d + "/coid.log", "w")
    cmd = [coid, "--state-dir", d + "/state", "--socket", sock]
    if os.environ.get("CONFIG"):
        open(d + "/coid.toml", "w").write(os.environ["CONFIG"].replace("\\n", "\n"))
        cmd += ["--config", d + "/coid.toml"]
    if limit: cmd = ["/bin/sh", "-c", f"ulimit -n {limit} && exec \"$0\" \"$@\""] + cmd
    p = subprocess.Popen(cmd, stdout=log, stderr=log)
    for _ in range(1500):
        try:
            s = socket.socket(socket.AF_UNIX); s.connect(sock); s.close(); break
        except OSError: time.sleep(0.02)
    return p, d, sock

def rss(pid):
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS:"): return int(line.split()[1])
def ticks(pid):
    rest = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return int(rest[11]) + int(rest[12])

def measure_rss(coid, n):
    p, d, sock = start(coid)
    time.sleep(1)
    idle = rss(p.pid)
    conns = []
    msg = b"x" * (1024 * 1024 - 64)
    for i in range(n):
        s = socket.socket(socket.AF_UNIX); s.connect(sock)
        s.sendall(request(1, "coi.core.v1.Diagnostics", "EchoStream", field_bytes(1, msg) + field_varint(2, 10000), 1))
        conns.append(s)
    samples = []
    for _ in range(int(os.environ.get("SAMPLES", "80"))):
        time.sleep(0.25); samples.append(rss(p.pid))
        pass
    peak = max(samples)
    print(f"rss n={n} idle={idle//1024} MiB peak={peak//1024} MiB per_conn={(peak-idle)/n/1024:.1f} MiB samples={[x//1024 for x in samples]}")
    for s in conns: s.close()
    p.terminate(); p.wait()
    shutil.rmtree(d, ignore_errors=True)

def measure_emfile(coid, limit, count, seconds):
    h = resource.getrlimit(resource.RLIMIT_NOFILE)[1]; resource.setrlimit(resource.RLIMIT_NOFILE, (h, h))
    p, d, sock = start(coid, limit)
    time.sleep(1)
    conns = []
    for i in range(count):
        s = socket.socket(socket.AF_UNIX)
        s.setblocking(False)
        deadline = time.time() + 5
        while True:
            try: s.connect(sock); break
            except BlockingIOError:
                if time.time() > deadline: break
                time.sleep(0.01)
        else: pass
        if time.time() > deadline: print("connect", i, "stopped: backlog full for 5 s"); s.close(); break
        conns.append(s)
    time.sleep(2)
    t0 = ticks(p.pid); time.sleep(seconds); used = ticks(p.pid) - t0
    hz = os.sysconf("SC_CLK_TCK")
    logtext = open(d + "/coid.log").read()
    lines = logtext.count("\n")
    fds = len(os.listdir(f"/proc/{p.pid}/fd"))
    print(f"emfile limit={limit} conns={len(conns)} cpu={used/hz:.2f}s in {seconds}s ({100*used/hz/seconds:.0f}%) fds={fds} loglines={lines} "
          f"cannot_accept={logtext.count('cannot accept connections')} refusing={logtext.count('refusing connection')}")
    for s in conns: s.close()
    time.sleep(3)
    ok = subprocess.run([os.path.dirname(coid) + "/coictl", "--socket", sock, "health"], capture_output=True, text=True, timeout=30)
    print("after closing: coictl health ->", ok.returncode, ok.stdout.strip()[:80], ok.stderr.strip()[:200])
    logtext = open(d + "/coid.log").read()
    print("log tail:", "\n".join(logtext.splitlines()[-4:]))
    p.terminate(); p.wait()
    shutil.rmtree(d, ignore_errors=True)

coid = sys.argv[1]
if sys.argv[2] == "rss": measure_rss(coid, int(sys.argv[3]) if len(sys.argv) > 3 else 8)
else: measure_emfile(coid, int(sys.argv[3]), int(sys.argv[4]), 5)
