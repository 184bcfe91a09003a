#!/usr/bin/env python3
"""A tiny ttrpc server on a Unix socket, for testing coi-client without the daemon.

Serves grpc.health.v1.Health/Check and coi.core.v1.Diagnostics/Echo as docs/protocol.md describes,
answers pipelined calls in a shuffled order, and checks the client's framing (odd, strictly
increasing stream ids; unary Request flags 0). A few magic inputs trigger misbehaviour on purpose:

  Echo "!invalid"      INVALID_ARGUMENT with a coi.core.v1.ErrorDetail field violation
  Echo "!big:N"        a reply whose message is N bytes of "x" (tests large frames)
  Echo "!dribble:TEXT" the reply written one byte at a time (tests short reads)
  Echo "!badframe"     a frame header claiming 5 MiB (the client must reject it)
  Echo "!close"        closes the connection without answering
  Echo "!wrongtype"    answers with a Data frame instead of a Response
  Health "sick"        NOT_SERVING;  Health "" or "coi.core.v1.Diagnostics": SERVING
  Health other         NOT_FOUND, as coid answers unknown names

Usage: fake_server.py --socket PATH --pb DIR
DIR holds modules from `protoc --python_out=DIR -I protos <the four protos>`; the server needs
python3-protobuf (Debian) for google.protobuf.
"""
import argparse
import os
import random
import select
import socket
import socketserver
import struct
import sys
import threading
import time

HEADER = struct.Struct(">IIBB")
MAX_DATA = 4 * 1024 * 1024
REQUEST, RESPONSE, DATA = 1, 2, 3
OK, INVALID_ARGUMENT, NOT_FOUND, RESOURCE_EXHAUSTED, UNIMPLEMENTED = 0, 3, 5, 8, 12
MAX_STREAMS = 128

pb = None  # namespace of generated modules, filled in main()


class Close(Exception):
    """Ends the connection without answering."""


def recv_exact(sock, n):
    buf = bytearray()
    while len(buf) < n:
        chunk = sock.recv(n - len(buf))
        if not chunk:
            if buf:
                raise Close("client closed mid-frame")
            return None
        buf += chunk
    return bytes(buf)


def frame(stream_id, mtype, flags, data):
    return HEADER.pack(len(data), stream_id, mtype, flags) + data


def response(stream_id, code=OK, message="", payload=b"", reason=None, violations=()):
    status = pb.ttrpc.Status(code=code, message=message)
    if reason is not None:
        detail = pb.errors.ErrorDetail(reason=reason)
        for field, description in violations:
            detail.field_violations.add(field=field, description=description)
        status.details.add().Pack(detail)  # type URL type.googleapis.com/coi.core.v1.ErrorDetail
    resp = pb.ttrpc.Response(status=status, payload=payload)
    return frame(stream_id, RESPONSE, 0, resp.SerializeToString())


def handle_echo(sid, payload):
    req = pb.diagnostics.EchoRequest()
    req.ParseFromString(payload)
    msg = req.message
    if msg == "!invalid":
        return [response(sid, INVALID_ARGUMENT, "message must not start with '!'",
                         reason="FIELD_INVALID",
                         violations=[("message", "starts with '!'")])]
    if msg.startswith("!big:"):
        msg = "x" * int(msg[5:])
    elif msg == "!badframe":
        return [HEADER.pack(5 * 1024 * 1024, sid, RESPONSE, 0) + b"\0" * 64]
    elif msg == "!close":
        raise Close("asked to close")
    elif msg == "!wrongtype":
        reply = pb.diagnostics.EchoReply(message="wrong").SerializeToString()
        return [frame(sid, DATA, 0, reply)]
    elif msg.startswith("!dribble:"):
        reply = pb.diagnostics.EchoReply(message=msg[9:]).SerializeToString()
        return [bytes([b]) for b in response(sid, payload=reply)]
    reply = pb.diagnostics.EchoReply(message=msg).SerializeToString()
    return [response(sid, payload=reply)]


def handle_health(sid, payload):
    req = pb.health.HealthCheckRequest()
    req.ParseFromString(payload)
    St = pb.health.HealthCheckResponse
    if req.service in ("", "coi.core.v1.Diagnostics"):
        status = St.SERVING
    elif req.service == "sick":
        status = St.NOT_SERVING
    else:
        return [response(sid, NOT_FOUND, f"no service or plugin named {req.service!r}",
                         reason="UNKNOWN_SERVICE")]
    return [response(sid, payload=St(status=status).SerializeToString())]


METHODS = {
    ("coi.core.v1.Diagnostics", "Echo"): handle_echo,
    ("grpc.health.v1.Health", "Check"): handle_health,
}


class Handler(socketserver.BaseRequestHandler):
    def handle(self):
        sock = self.request
        last_id = 0
        pending = []  # lists of byte chunks, one list per answer
        try:
            while True:
                # Answer in a shuffled order once the client has nothing more to say right now.
                if pending:
                    readable, _, _ = select.select([sock], [], [], 0)
                    if not readable or len(pending) >= MAX_STREAMS:
                        random.shuffle(pending)
                        for chunks in pending:
                            for chunk in chunks:
                                sock.sendall(chunk)
                        pending = []
                        continue
                header = recv_exact(sock, HEADER.size)
                if header is None:
                    return
                length, sid, mtype, flags = HEADER.unpack(header)
                if length >= 16 * 1024 * 1024:
                    raise Close("not ttrpc")
                data = recv_exact(sock, length) if length else b""
                if data is None:
                    raise Close("client closed mid-frame")
                pending.append(self.answer(sid, mtype, flags, data, last_id, len(pending)))
                if sid % 2 == 1 and sid > last_id:
                    last_id = sid
        except (Close, ConnectionError):
            pass
        finally:
            for chunks in pending:  # whatever was answered before a Close still goes out
                try:
                    for chunk in chunks:
                        sock.sendall(chunk)
                except OSError:
                    break

    def answer(self, sid, mtype, flags, data, last_id, in_flight):
        if len(data) > MAX_DATA:
            return [response(sid, RESOURCE_EXHAUSTED, "payload too large", reason="PAYLOAD_TOO_LARGE")]
        if sid % 2 == 0:
            return [response(sid, INVALID_ARGUMENT, f"stream id {sid} is even")]
        if sid <= last_id:
            return [response(sid, INVALID_ARGUMENT, f"stream id {sid} is not greater than {last_id}")]
        if mtype != REQUEST:
            return [response(sid, INVALID_ARGUMENT, f"unexpected message type {mtype}")]
        if flags != 0:
            return [response(sid, INVALID_ARGUMENT, f"unary calls take Request flags 0, not {flags}",
                             reason="WRONG_STREAM_FLAGS")]
        if in_flight >= MAX_STREAMS:
            return [response(sid, RESOURCE_EXHAUSTED, "too many open streams", reason="TOO_MANY_STREAMS")]
        req = pb.ttrpc.Request()
        try:
            req.ParseFromString(data)
        except Exception:
            return [response(sid, INVALID_ARGUMENT, "not a ttrpc.Request", reason="REQUEST_UNDECODABLE")]
        handler = METHODS.get((req.service, req.method))
        if handler is None:
            return [response(sid, UNIMPLEMENTED, f"method {req.method} is not part of service {req.service}",
                             reason="UNKNOWN_METHOD")]
        try:
            return handler(sid, req.payload)
        except Close:
            raise
        except Exception as e:  # a payload that does not decode
            return [response(sid, INVALID_ARGUMENT, f"bad payload: {e}", reason="PAYLOAD_UNDECODABLE")]


class Server(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    daemon_threads = True


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--socket", required=True)
    ap.add_argument("--pb", required=True, help="directory of protoc --python_out modules")
    args = ap.parse_args()

    sys.path.insert(0, args.pb)
    global pb
    from coi.core.v1 import diagnostics_pb2, errors_pb2
    from grpc.health.v1 import health_pb2
    from ttrpc import ttrpc_pb2

    class Modules:
        ttrpc, health, diagnostics, errors = ttrpc_pb2, health_pb2, diagnostics_pb2, errors_pb2

    pb = Modules

    try:
        os.unlink(args.socket)
    except FileNotFoundError:
        pass
    with Server(args.socket, Handler) as srv:
        threading.Thread(target=srv.serve_forever, daemon=True).start()
        print("fake_server: listening on", args.socket, flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
