#!/usr/bin/env python3
"""Stress coid while it is out of file descriptors (issue 10, docs/reliability.md): many
connections at once, calls of every kind, connections dropped abruptly, in a loop.

  scripts/stress-descriptors.py COID LIMIT SECONDS [WORKERS] [HOLD]

Starts COID under `ulimit -n LIMIT` (soft and hard, so coid cannot raise it) with core dumps on
(`ulimit -c unlimited`, SWIFT_BACKTRACE=enable=no so the kernel writes the core: see
/proc/sys/kernel/core_pattern), then for SECONDS runs WORKERS threads (24) that each open a
connection, make a random call and drop the connection (often mid-call, with replies unread), while
HOLD idle connections (LIMIT) are held and cycled so that the daemon keeps running into its limit.
Calls: Echo (pipelined), EchoStream, EchoChat, EchoCollect, Sleep, Health/Check and Health/Watch,
wiki RecentChanges with follow, WriteCanary, wiki Pages/Save, Discovery/Search, Backup/Create,
token-authenticated WhoAmI, Reflection, Introspection, Metrics, Audit/Verify, broken frames, a
close during the first frame. Prints a line every 10 s and, if coid dies, its signal and the log
tail. Exit status 0 if coid survived and answered `Health/Check` at the end, 1 if not.
"""
import os, sys, socket, struct, subprocess, time, resource, tempfile, threading, random, shutil

# --- protobuf and ttrpc frames by hand, so any coid can be driven (scripts/ttrpc_frames.py) --------
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ttrpc_frames import fb, fv, frame, request, data, read_frame, fields, REMOTE_CLOSED, REMOTE_OPEN, NO_DATA

# --- the daemon -----------------------------------------------------------------------------------
def start(coid, limit, d):
    sock = d + "/coid.sock"
    config = d + "/coid.toml"
    open(config, "w").write("[server]\nmax_connections_per_uid = 100000\nmax_anonymous_connections = 100000\n")
    log = open(d + "/coid.log", "w")
    env = dict(os.environ, SWIFT_BACKTRACE="enable=no")
    def limits():
        resource.setrlimit(resource.RLIMIT_NOFILE, (limit, limit))
        resource.setrlimit(resource.RLIMIT_CORE, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))
    p = subprocess.Popen([coid, "--state-dir", d + "/state", "--socket", sock, "--config", config],
                         stdout=log, stderr=log, env=env, preexec_fn=limits, cwd=d)
    for _ in range(3000):
        try:
            s = socket.socket(socket.AF_UNIX); s.connect(sock); s.close(); return p, sock
        except OSError:
            if p.poll() is not None: break
            time.sleep(0.02)
    raise SystemExit(f"coid did not start: {open(d + '/coid.log').read()[-2000:]}")

def connect(sock, timeout=3.0):
    s = socket.socket(socket.AF_UNIX)
    s.settimeout(timeout)
    s.connect(sock)
    return s

def call(sock, service, method, payload=b"", metadata=(), timeout=10.0):
    """A unary call on a fresh connection: (code, body) or None."""
    s = connect(sock, timeout)
    try:
        s.sendall(request(1, service, method, payload, 0, metadata=metadata))
        f = read_frame(s)
        if not f: return None
        r = fields(f[3])
        status = fields(r.get(1, [b""])[0])
        return status.get(1, [0])[0], r.get(2, [b""])[0]
    finally:
        s.close()

# --- the load -------------------------------------------------------------------------------------
DIAG, HEALTH = "coi.core.v1.Diagnostics", "grpc.health.v1.Health"
counts, counts_lock = {}, threading.Lock()
def note(kind):
    with counts_lock: counts[kind] = counts.get(kind, 0) + 1

def drop(s):
    """Closes abruptly: sometimes a half-close first, sometimes with replies unread (ECONNRESET on the daemon's side)."""
    try:
        r = random.random()
        if r < 0.2: s.shutdown(socket.SHUT_WR); time.sleep(random.random() * 0.05)
        elif r < 0.3: s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    except OSError: pass
    s.close()

def read_some(s, n):
    for _ in range(n):
        if read_frame(s) is None: return

def action(sock, token, rnd):
    kind = rnd.choice(KINDS)
    s = connect(sock)
    try:
        kind(s, token, rnd)
        note(kind.__name__)
    finally:
        drop(s)

def a_echo(s, token, rnd):
    n = rnd.randint(1, 40)
    s.sendall(b"".join(request(2 * i + 1, DIAG, "Echo", fb(1, "æøå" * rnd.randint(1, 200)), 0) for i in range(n)))
    read_some(s, rnd.randint(0, n))
def a_echo_stream(s, token, rnd):
    s.sendall(request(1, DIAG, "EchoStream", fb(1, "x" * rnd.choice([10, 1000, 60000])) + fv(2, 10000)))
    read_some(s, rnd.randint(0, 50))
def a_echo_chat(s, token, rnd):
    s.sendall(request(1, DIAG, "EchoChat", b"", REMOTE_OPEN))
    for _ in range(rnd.randint(0, 20)): s.sendall(data(1, fb(1, "hej")))
    if rnd.random() < 0.5: s.sendall(data(1, b"", REMOTE_CLOSED | NO_DATA))
    read_some(s, rnd.randint(0, 5))
def a_echo_collect(s, token, rnd):
    s.sendall(request(1, DIAG, "EchoCollect", b"", REMOTE_OPEN))
    for _ in range(rnd.randint(0, 20)): s.sendall(data(1, fb(1, "y" * 1000)))
    if rnd.random() < 0.5:
        s.sendall(data(1, b"", REMOTE_CLOSED | NO_DATA)); read_some(s, 1)
def a_sleep(s, token, rnd):
    s.sendall(request(1, DIAG, "Sleep", fv(1, rnd.randint(0, 3000)), 0, timeout_ns=rnd.choice([0, 50_000_000, 2_000_000_000])))
    if rnd.random() < 0.5: read_some(s, 1)
def a_health(s, token, rnd):
    s.sendall(request(1, HEALTH, "Check", b"", 0)); read_some(s, 1)
def a_watch(s, token, rnd):
    for i in range(rnd.randint(1, 4)): s.sendall(request(2 * i + 1, HEALTH, "Watch"))
    read_some(s, 1); time.sleep(rnd.random())
def a_feed(s, token, rnd):
    s.sendall(request(1, "coi.wiki.v1.Feeds", "RecentChanges", fv(2, 20) + fv(5, 1)))
    read_some(s, rnd.randint(0, 3)); time.sleep(rnd.random())
def a_canary(s, token, rnd):
    s.sendall(request(1, DIAG, "WriteCanary", fb(1, f"c{rnd.randint(0, 50)}"), 0)); read_some(s, rnd.randint(0, 1))
def a_wiki_save(s, token, rnd):
    title = f"Stress side {rnd.randint(0, 30)}"
    s.sendall(request(1, "coi.wiki.v1.Pages", "Save", fb(1, title) + fb(2, f"Tekst med æøå {rnd.random()} [[Side {rnd.randint(0, 9)}]]") + fb(4, "stress"), 0))
    read_some(s, rnd.randint(0, 1))
def a_search(s, token, rnd):
    s.sendall(request(1, "coi.wiki.v1.Discovery", "Search", fb(1, rnd.choice(["tekst", "side*", "æøå tekst", "stress"])), 0))
    s.sendall(request(3, "coi.wiki.v1.Pages", "Get", fb(1, f"Stress side {rnd.randint(0, 30)}"), 0))
    read_some(s, rnd.randint(0, 2))
def a_backup(s, token, rnd):
    s.sendall(request(1, "coi.core.v1.Backup", "Create", b""))
    read_some(s, rnd.choice([0, 1, 100]))
def a_token(s, token, rnd):
    md = [("authorization", f"Bearer {token}")] if token else []
    if rnd.random() < 0.2: md = [("authorization", "Bearer coi_" + "A" * 43)]
    s.sendall(request(1, "coi.identity.v1.Accounts", "WhoAmI", b"", 0, metadata=md))
    s.sendall(request(3, DIAG, "Echo", fb(1, "t"), 0, metadata=md))
    read_some(s, rnd.randint(0, 2))
def a_introspect(s, token, rnd):
    s.sendall(request(1, "coi.core.v1.Reflection", "ListServices", b"", 0))
    s.sendall(request(3, "coi.core.v1.Introspection", "Server", b"", 0))
    s.sendall(request(5, "coi.core.v1.Metrics", "Get", b"", 0))
    s.sendall(request(7, "coi.core.v1.Introspection", "Plugins", b"", 0))
    read_some(s, rnd.randint(0, 4))
def a_audit(s, token, rnd):
    s.sendall(request(1, "coi.identity.v1.Audit", "Verify", b"", 0)); read_some(s, rnd.randint(0, 1))
def a_garbage(s, token, rnd):
    r = rnd.random()
    if r < 0.3: s.sendall(b"\x00\x00")                       # half a frame header, then gone
    elif r < 0.6: s.sendall(struct.pack(">IIBB", 50, 1, 1, 1) + b"abc")  # a frame cut short
    else: s.sendall(bytes(rnd.getrandbits(8) for _ in range(rnd.randint(1, 300))))
def a_nothing(s, token, rnd):
    pass                                                      # connect and close at once
KINDS = [a_echo, a_echo_stream, a_echo_chat, a_echo_collect, a_sleep, a_health, a_watch, a_feed, a_canary,
         a_wiki_save, a_search, a_backup, a_token, a_introspect, a_audit, a_garbage, a_nothing]

def worker(sock, token, stop, seed):
    rnd = random.Random(seed)
    while not stop.is_set():
        try: action(sock, token, rnd)
        except (OSError, socket.timeout) as e: note("error " + type(e).__name__)

def holder(sock, hold, stop, seed):
    """Holds `hold` idle connections, closing and reopening some all the time."""
    rnd = random.Random(seed)
    held = []
    while not stop.is_set():
        while len(held) < hold and not stop.is_set():
            try: held.append(connect(sock, 1.0))
            except OSError: break
        rnd.shuffle(held)
        for s in held[:max(1, len(held) // 5)]: drop(s)
        held = held[max(1, len(held) // 5):]
        time.sleep(rnd.random() * 0.5)
    for s in held: s.close()

def issue_token(sock):
    """An account and a token for it, through the API as the local admin (uid 0)."""
    try:
        r = call(sock, "coi.identity.v1.Accounts", "Create", fv(1, 1) + fb(2, "Stress Æblegrød") + fb(3, f"s{os.getpid()}@example.dk"))
        if not r or r[0] != 0: return None
        account = fields(r[1])[1][0].decode()
        r = call(sock, "coi.identity.v1.Tokens", "Issue", fb(1, account) + fb(2, "stress"))
        if not r or r[0] != 0: return None
        reply = fields(r[1])
        for v in reply.values():
            for item in v:
                if isinstance(item, bytes) and item.startswith(b"coi_"): return item.decode()
    except OSError: pass
    return None

def fd_kinds(pid):
    """The daemon's open descriptors by kind (socket, database file, ...)."""
    kinds = {}
    try: names = os.listdir(f"/proc/{pid}/fd")
    except OSError: return kinds
    for name in names:
        try: target = os.readlink(f"/proc/{pid}/fd/{name}")
        except OSError: continue
        if target.startswith("socket:"): kind = "socket"
        elif target.startswith("anon_inode:"): kind = target[len("anon_inode:"):].strip("[]")
        elif "/.backup-" in target: kind = "backup copy"
        elif target.endswith(".db-wal"): kind = "db-wal"
        elif target.endswith(".db-shm"): kind = "db-shm"
        elif target.endswith(".db"): kind = "db"
        elif target.startswith("/proc/"): kind = "/proc"
        else: kind = "other"
        kinds[kind] = kinds.get(kind, 0) + 1
    return kinds

def main():
    coid, limit, seconds = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
    # coid runs in its temporary directory: a relative path (.build/debug/coid) must not break that.
    if os.sep in coid: coid = os.path.abspath(coid)
    workers = int(sys.argv[4]) if len(sys.argv) > 4 else 24
    hold = int(sys.argv[5]) if len(sys.argv) > 5 else limit
    h = resource.getrlimit(resource.RLIMIT_NOFILE)[1]; resource.setrlimit(resource.RLIMIT_NOFILE, (h, h))
    d = tempfile.mkdtemp(prefix="coid-stress-", dir="/tmp")
    p, sock = start(coid, limit, d)
    token = issue_token(sock)
    print(f"coid pid {p.pid}, limit {limit}, {workers} workers, {hold} held, token {'yes' if token else 'no'}, dir {d}", flush=True)
    stop = threading.Event()
    threads = [threading.Thread(target=worker, args=(sock, token, stop, i), daemon=True) for i in range(workers)]
    threads.append(threading.Thread(target=holder, args=(sock, hold, stop, 1000), daemon=True))
    for t in threads: t.start()
    t0 = time.time(); last = t0
    peak, peak_kinds = 0, {}
    while time.time() - t0 < seconds and p.poll() is None:
        time.sleep(0.5)
        kinds = fd_kinds(p.pid)
        if sum(kinds.values()) > peak: peak, peak_kinds = sum(kinds.values()), kinds
        if time.time() - last >= 10:
            last = time.time()
            try: fds = len(os.listdir(f"/proc/{p.pid}/fd"))
            except OSError: fds = -1
            with counts_lock: total = sum(v for k, v in counts.items() if not k.startswith("error"))
            errors = {k: v for k, v in counts.items() if k.startswith("error")}
            log = open(d + "/coid.log", errors="replace").read()
            print(f"{time.time() - t0:6.0f} s: {total} calls, fds {fds}/{limit}, errors {errors}, "
                  f"cannot_accept {log.count('cannot accept connections')}, again {log.count('accepting connections again')}, "
                  f"log lines {log.count(chr(10))}", flush=True)
    stop.set()
    for t in threads: t.join(timeout=15)
    alive = p.poll() is None
    log = open(d + "/coid.log", errors="replace").read()
    print("calls:", dict(sorted(counts.items())), flush=True)
    print(f"most descriptors seen open: {peak} of {limit}: {dict(sorted(peak_kinds.items()))}", flush=True)
    if not alive:
        print(f"coid DIED: returncode {p.returncode} (negative = signal) after {time.time() - t0:.0f} s; dir {d}")
        print("log tail:\n" + "\n".join(log.splitlines()[-30:]))
        sys.exit(1)
    ok = False
    for _ in range(100):
        try:
            r = call(sock, HEALTH, "Check", b"", timeout=5)
            if r and r[0] == 0: ok = True; break
        except OSError: pass
        time.sleep(0.1)
    kinds = sorted({l.split(" ")[0] for l in log.splitlines() if l.startswith("<3>") or l.startswith("<2>")})
    errs = [l for l in log.splitlines() if l.startswith("<3>") or l.startswith("<2>")]
    print(f"survived; Health/Check after: {'ok' if ok else 'NO ANSWER'}; error lines {len(errs)}; distinct:")
    seen = set()
    for l in errs:
        key = l.split(" ")[0:4].__str__()
        if key not in seen: seen.add(key); print("  ", l[:300])
    p.terminate(); p.wait(timeout=60)
    if ok: shutil.rmtree(d, ignore_errors=True)
    sys.exit(0 if ok else 1)

if __name__ == "__main__":
    main()
