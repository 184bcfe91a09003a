#!/usr/bin/python3
"""coi_client: a minimal coid client in Python, written from docs/protocol.md alone.

The framing of ttrpc (a 10-byte header, then a protobuf message) over a Unix socket, unary and
server-streaming calls, errors with their reason. Messages come from protoc-generated modules in
gen/ (run `make`); Debian's python3-protobuf is the only dependency.

    ./coi_client.py [--socket PATH] [--token TOKEN] echo MESSAGE
    ./coi_client.py ... echo-stream MESSAGE COUNT       # server streaming: COUNT replies
    ./coi_client.py ... health [SERVICE]                # SERVING, NOT_SERVING …; exit 2 unless SERVING
    ./coi_client.py ... wiki-get TITLE                  # the page's latest text
"""
import os
import signal
import socket
import struct
import sys

# gen/ first: its grpc.health.v1 must win over grpcio's `grpc` package if that is installed (see
# docs/protocol.md, "Python and grpc.health.v1").
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "gen"))

from coi.core.v1 import diagnostics_pb2, errors_pb2  # noqa: E402
from coi.wiki.v1 import wiki_pb2  # noqa: E402
from grpc.health.v1 import health_pb2  # noqa: E402
from ttrpc import ttrpc_pb2  # noqa: E402

REQUEST, RESPONSE, DATA = 1, 2, 3
FLAG_REMOTE_CLOSED = 0x1
HEADER = struct.Struct(">IIBB")  # length, stream id, message type, flags
MAX_LENGTH = 4 << 20

CODES = {0: "OK", 1: "CANCELLED", 2: "UNKNOWN", 3: "INVALID_ARGUMENT", 4: "DEADLINE_EXCEEDED", 5: "NOT_FOUND",
         6: "ALREADY_EXISTS", 7: "PERMISSION_DENIED", 8: "RESOURCE_EXHAUSTED", 9: "FAILED_PRECONDITION",
         10: "ABORTED", 11: "OUT_OF_RANGE", 12: "UNIMPLEMENTED", 13: "INTERNAL", 14: "UNAVAILABLE",
         15: "DATA_LOSS", 16: "UNAUTHENTICATED"}


class CallError(Exception):
    """A call ended with a status other than OK."""

    def __init__(self, status):
        self.code = status.code
        self.reason = ""
        for detail in status.details:
            info = errors_pb2.ErrorDetail()
            if detail.Unpack(info):
                self.reason = info.reason
        super().__init__(f"{CODES.get(status.code, status.code)}: {status.message}"
                         + (f" ({self.reason})" if self.reason else ""))


class Client:
    """One connection; calls are made one after another, each on the next odd stream id."""

    def __init__(self, path, token=None):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.connect(path)
        self.token = token
        self.next_id = 1

    def close(self):
        self.sock.close()

    def _read_exactly(self, n):
        data = bytearray()
        while len(data) < n:
            chunk = self.sock.recv(n - len(data))
            if not chunk:
                raise ConnectionError("coid closed the connection")
            data += chunk
        return bytes(data)

    def _read_frame(self):
        length, stream_id, kind, flags = HEADER.unpack(self._read_exactly(HEADER.size))
        if length > MAX_LENGTH:
            raise ConnectionError(f"frame of {length} bytes is over the 4 MiB limit")
        return stream_id, kind, flags, self._read_exactly(length)

    def _open(self, service, method, request, flags):
        envelope = ttrpc_pb2.Request(service=service, method=method, payload=request.SerializeToString())
        if self.token:
            envelope.metadata.add(key="authorization", value=f"Bearer {self.token}")
        stream_id, self.next_id = self.next_id, self.next_id + 2
        data = envelope.SerializeToString()
        self.sock.sendall(HEADER.pack(len(data), stream_id, REQUEST, flags) + data)
        return stream_id

    def _frames(self, stream_id):
        """Data payloads of the stream until its Response, whose status ends the call."""
        while True:
            got_id, kind, _flags, data = self._read_frame()
            if got_id != stream_id:
                continue  # not ours: one call at a time, so nothing else is open
            if kind == DATA:
                yield data
            elif kind == RESPONSE:
                response = ttrpc_pb2.Response.FromString(data)
                if response.status.code != 0:
                    raise CallError(response.status)
                if response.payload:
                    yield response.payload
                return

    def call(self, service, method, request, reply_type):
        """A unary call: the reply, or CallError."""
        stream_id = self._open(service, method, request, 0)
        replies = list(self._frames(stream_id))
        return reply_type.FromString(replies[-1] if replies else b"")

    def stream(self, service, method, request, reply_type):
        """A server-streaming call: yields each reply; raises CallError if it ends with an error."""
        stream_id = self._open(service, method, request, FLAG_REMOTE_CLOSED)
        for data in self._frames(stream_id):
            yield reply_type.FromString(data)


def main(argv):
    # `| head -1` ends the output quietly, as it does for coictl.
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    path = os.environ.get("COI_SOCKET", ".state/coid.sock")
    token = os.environ.get("COI_TOKEN") or None
    args = list(argv)
    while args and args[0].startswith("--"):
        option = args.pop(0)
        if option in ("--socket", "--token") and args:
            value = args.pop(0)
            path, token = (value, token) if option == "--socket" else (path, value)
        else:
            print(f"coi_client: unknown option {option}", file=sys.stderr)
            return 64
    if not args:
        print(__doc__.strip().split("\n\n")[-1], file=sys.stderr)
        return 64
    command, rest = args[0], args[1:]
    try:
        client = Client(path, token)
    except OSError as error:
        print(f"coi_client: cannot connect to {path}: {error}", file=sys.stderr)
        return 69
    try:
        if command == "echo" and len(rest) == 1:
            reply = client.call("coi.core.v1.Diagnostics", "Echo", diagnostics_pb2.EchoRequest(message=rest[0]),
                                diagnostics_pb2.EchoReply)
            print(reply.message)
        elif command == "echo-stream" and len(rest) == 2 and rest[1].isdigit():
            request = diagnostics_pb2.EchoRequest(message=rest[0], repeat=int(rest[1]))
            for reply in client.stream("coi.core.v1.Diagnostics", "EchoStream", request, diagnostics_pb2.EchoReply):
                print(f"{reply.index} {reply.message}")
        elif command == "health" and len(rest) <= 1:
            reply = client.call("grpc.health.v1.Health", "Check", health_pb2.HealthCheckRequest(service=rest[0] if rest else ""),
                                health_pb2.HealthCheckResponse)
            name = health_pb2.HealthCheckResponse.ServingStatus.Name(reply.status)
            print(name)
            return 0 if name == "SERVING" else 2
        elif command == "wiki-get" and len(rest) == 1:
            page = client.call("coi.wiki.v1.Pages", "Get", wiki_pb2.GetPageRequest(title=rest[0]), wiki_pb2.Page)
            sys.stdout.write(page.text if page.text.endswith("\n") else page.text + "\n")
        else:
            print(f"coi_client: bad command line: {' '.join(args)}", file=sys.stderr)
            return 64
    except CallError as error:
        print(f"coi_client: {error}", file=sys.stderr)
        return 1
    except ConnectionError as error:
        print(f"coi_client: {error}", file=sys.stderr)
        return 69
    finally:
        client.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
