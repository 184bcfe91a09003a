"""Protobuf fields and ttrpc frames built and read by hand, for the manual measurement scripts
(stress-descriptors.py, measure-limits.py): they drive any coid binary, old or new, without the
generated code or a ttrpc library."""
import struct

def varint(n):
    out = b""
    while True:
        b = n & 0x7f; n >>= 7
        if n: out += bytes([b | 0x80])
        else: return out + bytes([b])
def fb(num, data):
    if isinstance(data, str): data = data.encode()
    return varint(num << 3 | 2) + varint(len(data)) + data
def fv(num, v): return varint(num << 3) + varint(v)
field_bytes, field_varint = fb, fv
def frame(stream, typ, flags, payload): return struct.pack(">IIBB", len(payload), stream, typ, flags) + payload
REMOTE_CLOSED, REMOTE_OPEN, NO_DATA = 1, 2, 4
def request(stream, service, method, payload=b"", flags=REMOTE_CLOSED, timeout_ns=0, metadata=()):
    req = fb(1, service) + fb(2, method) + fb(3, payload)
    if timeout_ns: req += fv(4, timeout_ns)
    for k, v in metadata: req += fb(5, fb(1, k) + fb(2, v))
    return frame(stream, 1, flags, req)
def data(stream, payload, flags=0): return frame(stream, 3, flags, payload)

def read_frame(s):
    head = b""
    while len(head) < 10:
        chunk = s.recv(10 - len(head))
        if not chunk: return None
        head += chunk
    length, stream, typ, flags = struct.unpack(">IIBB", head)
    body = b""
    while len(body) < length:
        chunk = s.recv(min(65536, length - len(body)))
        if not chunk: return None
        body += chunk
    return stream, typ, flags, body

def fields(buf):
    """Top-level fields of a protobuf message: {number: [value, ...]} (bytes or int)."""
    out, i = {}, 0
    while i < len(buf):
        key, i = _varint(buf, i)
        num, wire = key >> 3, key & 7
        if wire == 0: v, i = _varint(buf, i)
        elif wire == 2:
            n, i = _varint(buf, i); v = buf[i:i + n]; i += n
        elif wire == 1: v = buf[i:i + 8]; i += 8
        elif wire == 5: v = buf[i:i + 4]; i += 4
        else: break
        out.setdefault(num, []).append(v)
    return out
def _varint(buf, i):
    shift = result = 0
    while True:
        b = buf[i]; i += 1
        result |= (b & 0x7f) << shift; shift += 7
        if not b & 0x80: return result, i
