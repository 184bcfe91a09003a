import COIProto
import COIWire
import Foundation
import NIOCore
import SwiftProtobuf
import Testing

/// The optional `[server.tls]` listener, against the real daemon, with certificates made by the openssl CLI.
@Suite(.serialized) struct TLSListenerTests {
    @Test func echoOverTLSWhileBadClientsAreTurnedAway() async throws {
        let dir = try DaemonProcess.makeDirectory()
        let certs = try await TestCertificates.make(in: dir)
        let config = try writeConfig(in: dir, listen: "127.0.0.1:0", certificate: certs.certificate, key: certs.key)
        let daemon = try await DaemonProcess(directory: dir, extraArguments: ["--config", config])

        // Port 0: the bound port is what Introspection/Server reports.
        let unix = try await daemon.connect()
        let server = try await unix.call(Coi_Core_V1_Introspection.Method.server, Coi_Core_V1_ServerRequest())
        #expect(server.listeners.first == "unix:\(daemon.socketPath)")
        let listener = try #require(server.listeners.first { $0.hasPrefix("tls:127.0.0.1:") }, "\(server.listeners)")
        let port = try #require(Int(listener.dropFirst("tls:127.0.0.1:".count)))
        #expect(port > 0)
        #expect(daemon.log.contains(listener))

        let trusted = ClientConnection.TLS(trustRoots: .pemFile(certs.ca), serverHostname: "localhost")
        let client = try await ClientConnection.connect(host: "127.0.0.1", port: port, tls: trusted)
        // TCP has no peer credentials: even an open method needs a token here.
        await #expect { _ = try await echo(client, "anonymous", token: nil) } throws: { ($0 as? RPCError)?.code == .unauthenticated }
        let token = try await issueToken(unix)
        #expect(try await echo(client, "hej fra Aarhus", token: token) == "hej fra Aarhus")
        // Without a hostname the certificate is checked against the IP address connected to.
        let byAddress = try await ClientConnection.connect(host: "127.0.0.1", port: port, tls: .init(trustRoots: .pemFile(certs.ca)))
        #expect(try await echo(byAddress, "by address", token: token) == "by address")
        await byAddress.close()

        // A ttrpc frame in plaintext is a failed handshake: closed, never answered.
        let plain = try PlainTCPConnection(port: port)
        plain.write(try echoFrame("plain"))
        let (bytes, closed) = await plain.readUntilClosed(timeout: .seconds(10))
        #expect(closed, "the daemon closes a connection that does not speak TLS")
        #expect(!(bytes.count >= Frame.headerSize && bytes[8] == MessageType.response.rawValue), "no ttrpc Response in plaintext")
        try await expectHandshakeFailuresLogged(1, daemon)

        // A client that does not trust the server's CA fails its handshake (and the daemon logs it once).
        await #expect(throws: (any Error).self) {
            _ = try await ClientConnection.connect(host: "127.0.0.1", port: port,
                                                   tls: .init(trustRoots: .pemFile(certs.otherCA), serverHostname: "localhost"))
        }
        try await expectHandshakeFailuresLogged(2, daemon)

        // None of that touched the connection already open, new ones, or the Unix socket.
        #expect(try await echo(client, "still here", token: token) == "still here")
        let again = try await ClientConnection.connect(host: "localhost", port: port, tls: .init(trustRoots: .pemFile(certs.ca)))
        #expect(try await echo(again, "again", token: token) == "again")
        #expect(try await echo(unix, "unix", token: nil) == "unix")
        await again.close()
        await client.close()
        await unix.close()
        #expect(await daemon.stop() == 0)
    }

    /// A client built on OpenSSL (Python's ssl module) with the framing done by hand, as docs/protocol.md gives it.
    @Test func pythonClientOverTLS() async throws {
        let dir = try DaemonProcess.makeDirectory()
        let certs = try await TestCertificates.make(in: dir)
        let config = try writeConfig(in: dir, listen: "127.0.0.1:0", certificate: certs.certificate, key: certs.key)
        let daemon = try await DaemonProcess(directory: dir, extraArguments: ["--config", config])
        let unix = try await daemon.connect()
        let server = try await unix.call(Coi_Core_V1_Introspection.Method.server, Coi_Core_V1_ServerRequest())
        let listener = try #require(server.listeners.first { $0.hasPrefix("tls:127.0.0.1:") })
        let port = String(listener.dropFirst("tls:127.0.0.1:".count))
        let token = try await issueToken(unix)
        let script = """
        import socket, ssl, struct, sys
        context = ssl.create_default_context(cafile=sys.argv[2])
        with socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=10) as raw:
            with context.wrap_socket(raw, server_hostname="localhost") as tls:
                request = b"\\x0a\\x17coi.core.v1.Diagnostics\\x12\\x04Echo\\x1a\\x04\\x0a\\x02hi"
                key, value = b"authorization", b"Bearer " + sys.argv[3].encode()
                entry = b"\\x0a" + bytes([len(key)]) + key + b"\\x12" + bytes([len(value)]) + value
                request += b"\\x2a" + bytes([len(entry)]) + entry   # metadata (field 5), each length < 128
                tls.sendall(struct.pack(">IIBB", len(request), 1, 1, 0) + request)
                def read(n):
                    data = b""
                    while len(data) < n:
                        chunk = tls.recv(n - len(data))
                        if not chunk:
                            sys.exit("closed")
                        data += chunk
                    return data
                length, stream, kind, flags = struct.unpack(">IIBB", read(10))
                print(stream, kind, flags, read(length).hex())
        """
        let result = try await runCommand("/usr/bin/env", ["python3", "-c", script, port, certs.ca, token])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "1 2 0 0a0012040a026869\n", "Response on stream 1: OK status, EchoReply{message: \"hi\"}")
        await unix.close()
        #expect(await daemon.stop() == 0)
    }

    @Test func badSettingsOrFilesStopStartUp() async throws {
        let dir = try DaemonProcess.makeDirectory()
        let certs = try await TestCertificates.make(in: dir)
        let missing = dir.appendingPathComponent("nowhere/cert.pem").path
        let cases: [(name: String, listen: String, certificate: String, key: String, expected: [String])] = [
            ("missing", "127.0.0.1:0", missing, certs.key, ["server.tls.certificate", missing]),
            ("mismatch", "127.0.0.1:0", certs.certificate, certs.otherKey, ["server.tls.private_key", certs.otherKey, "does not match"]),
            ("notpem", "127.0.0.1:0", certs.path("openssl.cnf"), certs.key, ["server.tls.certificate", "PEM"]),
            ("noport", "127.0.0.1", certs.certificate, certs.key, ["server.tls.listen"]),
            ("badport", "127.0.0.1:70000", certs.certificate, certs.key, ["server.tls.listen", "70000"]),
        ]
        for item in cases {
            let caseDir = dir.appendingPathComponent(item.name)
            try FileManager.default.createDirectory(at: caseDir, withIntermediateDirectories: true)
            let file = try writeConfig(in: caseDir, listen: item.listen, certificate: item.certificate, key: item.key)
            let daemon = try await DaemonProcess(directory: caseDir, extraArguments: ["--config", file], waitForSocket: false)
            #expect(await daemon.waitForExit() == 78, "\(item.name): \(daemon.log)")
            for text in [file] + item.expected {
                #expect(daemon.log.contains(text), "\(item.name): the log names \(text): \(daemon.log)")
            }
            let check = try await runCommand(DaemonProcess.coid, ["config", "check", file])
            #expect(check.status == 78 && check.stderr.contains(item.expected[0]), "\(item.name): \(check.stderr)")
        }
        let good = try writeConfig(in: dir, listen: "127.0.0.1:7443", certificate: certs.certificate, key: certs.key)
        let check = try await runCommand(DaemonProcess.coid, ["config", "check", good])
        #expect(check.status == 0, "\(check.stderr)")
    }

    private func config(in dir: URL) -> String { dir.appendingPathComponent("coid.toml").path }

    private func writeConfig(in dir: URL, listen: String, certificate: String, key: String) throws -> String {
        let path = config(in: dir)
        try """
        [server.tls]
        listen = "\(listen)"
        certificate = "\(certificate)"
        private_key = "\(key)"

        """.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    private func echo(_ client: ClientConnection, _ message: String, token: String?) async throws -> String {
        try await client.call(Coi_Core_V1_Diagnostics.Method.echo, Coi_Core_V1_EchoRequest.with { $0.message = message }, metadata: token.map { [("authorization", "Bearer \($0)")] } ?? []).message
    }

    /// A service account and a token for it, made over the Unix socket (the tests run as root: an admin).
    private func issueToken(_ unix: ClientConnection) async throws -> String {
        let account = try await unix.call(Coi_Identity_V1_Accounts.Method.create, Coi_Identity_V1_CreateAccountRequest.with { $0.kind = .service; $0.fullName = "TLS integration" })
        return try await unix.call(Coi_Identity_V1_Tokens.Method.issue, Coi_Identity_V1_IssueTokenRequest.with { $0.accountID = account.id }).secret
    }

    private func echoFrame(_ message: String) throws -> [UInt8] {
        var request = Ttrpc_Request()
        request.service = "coi.core.v1.Diagnostics"
        request.method = "Echo"
        request.payload = try Coi_Core_V1_EchoRequest.with { $0.message = message }.serializedData()
        var out = ByteBuffer()
        Frame(streamID: 1, type: .request, payload: ByteBuffer(bytes: try request.serializedBytes() as [UInt8])).encode(into: &out)
        return Array(buffer: out)
    }

    /// One log line per failed handshake: waits for `count`, then checks no more follow.
    private func expectHandshakeFailuresLogged(_ count: Int, _ daemon: DaemonProcess) async throws {
        func logged() -> Int { daemon.log.components(separatedBy: "TLS handshake failed").count - 1 }
        for _ in 0..<250 where logged() < count { try await Task.sleep(for: .milliseconds(20)) }
        try await Task.sleep(for: .milliseconds(200))
        #expect(logged() == count, "\(daemon.log)")
    }
}

/// A CA, a server certificate it signed for `localhost` and 127.0.0.1, and an unrelated second CA.
struct TestCertificates {
    let directory: URL
    var ca: String { path("ca.pem") }
    var certificate: String { path("cert.pem") }
    var key: String { path("key.pem") }
    var otherCA: String { path("other-ca.pem") }
    var otherKey: String { path("other-ca.key") }

    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    static func make(in directory: URL) async throws -> TestCertificates {
        let certs = TestCertificates(directory: directory)
        // Our own openssl config, so that the system's openssl.cnf cannot change the extensions.
        let config = certs.path("openssl.cnf")
        try """
        [req]
        distinguished_name = dn
        prompt = no
        [dn]
        CN = coid test CA
        [ca]
        basicConstraints = critical,CA:TRUE
        keyUsage = critical,keyCertSign,cRLSign
        subjectKeyIdentifier = hash

        """.write(toFile: config, atomically: true, encoding: .utf8)
        let extensions = certs.path("server.ext")
        try """
        basicConstraints = CA:FALSE
        keyUsage = critical,digitalSignature
        extendedKeyUsage = serverAuth
        subjectAltName = DNS:localhost,IP:127.0.0.1

        """.write(toFile: extensions, atomically: true, encoding: .utf8)
        let newKey = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        for (key, cert) in [(certs.path("ca.key"), certs.ca), (certs.otherKey, certs.otherCA)] {
            try await openssl(["req", "-x509", "-config", config, "-extensions", "ca"] + newKey + ["-keyout", key, "-out", cert, "-days", "2"])
        }
        let request = certs.path("server.csr")
        try await openssl(["req", "-new", "-config", config] + newKey + ["-keyout", certs.key, "-out", request, "-subj", "/CN=localhost"])
        try await openssl(["x509", "-req", "-in", request, "-CA", certs.ca, "-CAkey", certs.path("ca.key"), "-set_serial", "2",
                           "-days", "2", "-extfile", extensions, "-out", certs.certificate])
        return certs
    }

    private static func openssl(_ arguments: [String]) async throws {
        let result = try await runCommand("/usr/bin/env", ["openssl"] + arguments)
        guard result.status == 0 else {
            throw DaemonError("openssl \(arguments.joined(separator: " ")) failed (\(result.status)): \(result.stderr)")
        }
    }
}

/// A plain TCP connection, no TLS: sends bytes, then waits for the server to close it.
private final class PlainTCPConnection {
    let fd: Int32

    init(port: Int) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let rc = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Foundation.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        if rc != 0 {
            close(fd)
            throw DaemonError("connect to 127.0.0.1:\(port) failed: errno \(errno)")
        }
    }

    deinit { close(fd) }

    func write(_ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Foundation.write(fd, $0.baseAddress, $0.count) }
            if n <= 0 { return }
            offset += n
        }
    }

    /// What the server sent, and whether it closed the connection within `timeout`. Polls without
    /// blocking a thread of the shared pool.
    func readUntilClosed(timeout: Duration) async -> (bytes: [UInt8], closed: Bool) {
        var received: [UInt8] = []
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&pfd, 1, 0) > 0 else {
                try? await Task.sleep(for: .milliseconds(10))
                continue
            }
            var chunk = [UInt8](repeating: 0, count: 4096)
            let n = chunk.withUnsafeMutableBytes { Foundation.read(fd, $0.baseAddress, $0.count) }
            if n <= 0 { return (received, true) }
            received += chunk[0..<n]
        }
        return (received, false)
    }
}
