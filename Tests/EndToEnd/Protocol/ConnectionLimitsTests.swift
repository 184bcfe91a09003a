import COIProto
import COIWire
import Foundation
import Testing

/// Issue 10 item 6: one local user cannot take every connection slot, no principal can hold more
/// than its share of long-lived streams, and refusals are logged as one line per interval with a
/// count instead of a line per attempt.
@Suite(.serialized) struct ConnectionLimitsTests {

    /// The `refused=` counts of the refusal lines in a log.
    static func refusalCounts(_ log: String) -> [Int] {
        log.split(separator: "\n").filter { $0.contains("refusing connections: limit reached") }.compactMap { line in
            line.split(separator: " ").first { $0.hasPrefix("refused=") }.flatMap { Int($0.dropFirst("refused=".count)) }
        }
    }

    /// A connection that has answered an Echo, retried with fresh connections while slots are still taken.
    static func servedConnection(_ daemon: DaemonProcess) async throws -> ClientConnection {
        for _ in 0..<200 {
            let connection = try await daemon.connect()
            if (try? await connection.call(Coi_Core_V1_Diagnostics.Method.echo, .with { $0.message = "æøå" })) != nil { return connection }
            await connection.close()
            try await Task.sleep(for: .milliseconds(50))
        }
        throw DaemonError("no connection was served")
    }

    @Test func perUserConnectionCapRefusesTheRestAndLogsThemTogether() async throws {
        let daemon = try await DaemonProcess(config: "[server]\nmax_connections_per_uid = 3\n")
        // waitUntilServing's probe connection may still hold a slot for a moment: retry with a fresh connection.
        var held: [ClientConnection] = []
        for _ in 0..<3 { held.append(try await Self.servedConnection(daemon)) }
        // Every further connection of this user is closed unanswered.
        let refused = 40
        for _ in 0..<refused {
            let extra = try RawConnection(path: daemon.socketPath)
            try extra.sendRequest(1, service: Coi_Core_V1_Diagnostics.service.name, method: Coi_Core_V1_Diagnostics.Method.echo.method,
                                  payload: Coi_Core_V1_EchoRequest())
            #expect(extra.readFrame() == nil, "a connection over the per-uid cap is closed")
        }
        // The ones admitted still work.
        let reply = try await held[0].call(Coi_Core_V1_Diagnostics.Method.echo, .with { $0.message = "ø" })
        #expect(reply.message == "ø")
        // A slot given back is a slot a new connection gets.
        await held.removeLast().close()
        held.append(try await Self.servedConnection(daemon))
        for connection in held { await connection.close() }
        #expect(await daemon.stop() == 0)
        // 40 refusals, logged as a line or two with their count (the rest is flushed at stop), not 40 lines.
        let counts = Self.refusalCounts(daemon.log)
        #expect(counts.reduce(0, +) >= refused && counts.count <= 3, "\(counts)")
        #expect(daemon.log.contains("server.max_connections_per_uid"))
    }

    @Test func longLivedStreamsAreCappedPerPrincipal() async throws {
        let daemon = try await DaemonProcess(config: "[server]\nmax_long_lived_streams_per_principal = 2\n")
        let first = try await daemon.connect()
        let second = try await daemon.connect()
        // Two watches on two connections: the cap is per principal, not per connection.
        let a = try first.stream(Grpc_Health_V1_Health.Method.watch)
        let b = try second.stream(Grpc_Health_V1_Health.Method.watch)
        var aUpdates = a.replies.makeAsyncIterator()
        var bUpdates = b.replies.makeAsyncIterator()
        #expect(try await aUpdates.next()?.status == .serving)
        #expect(try await bUpdates.next()?.status == .serving)
        // A third long-lived stream of the same caller (a feed this time) is refused.
        let third = try first.stream(Coi_Wiki_V1_Feeds.Method.recentChanges, .with { $0.follow = true })
        await #expect {
            for try await _ in third.replies {}
        } throws: { error in
            let e = error as? RPCError
            return e?.code == .resourceExhausted && e?.reason == "TOO_MANY_LONG_LIVED_STREAMS"
                && e?.message.contains("max_long_lived_streams_per_principal") == true
        }
        // Ordinary calls are not counted.
        #expect(try await first.call(Coi_Core_V1_Diagnostics.Method.echo, .with { $0.message = "æ" }).message == "æ")
        // Once a watch ends (its connection closes), the caller may open another. The daemon
        // ends the closed connection in its own time: wait for that, not for a number of tries.
        await second.close()
        let open = try await Self.waitUntilOnlyOneConnectionIsOpen(first)
        #expect(open == 1, "the closed connection is still open in the daemon")
        let again = try first.stream(Grpc_Health_V1_Health.Method.watch)
        var updates = again.replies.makeAsyncIterator()
        #expect(try await updates.next()?.status == .serving)
        await first.close()
        await daemon.stop()
    }

    /// Asks the daemon (Introspection/Server) until `connection` is the only one it has open, for
    /// up to a minute: a closed connection's calls, and so its stream slots, have ended by then.
    /// - Returns: The connections open at the last answer.
    static func waitUntilOnlyOneConnectionIsOpen(_ connection: ClientConnection) async throws -> Int64 {
        var open: Int64 = -1
        for _ in 0..<600 {
            open = try await connection.call(Coi_Core_V1_Introspection.Method.server, Coi_Core_V1_ServerRequest()).openConnections
            if open == 1 { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        return open
    }

    /// Ends one connection holding long-lived streams in one of the ways a client can: a clean close
    /// after a reply, a close with replies unread (the daemon's next write fails with ECONNRESET or
    /// EPIPE: what a TCP reset is to a Unix socket), a half-close first, a close right after the
    /// Request (before the daemon has opened the stream), a close inside the first frame, a close
    /// before sending anything (racing the accept).
    static func openAndDrop(_ socket: String, way: Int) {
        guard let connection = try? RawConnection(path: socket) else { return }
        let watch = Grpc_Health_V1_Health.Method.watch
        let feed = Coi_Wiki_V1_Feeds.Method.recentChanges
        func openStreams(_ count: Int) {
            for index in 0..<count {
                if index % 2 == 0 {
                    try? connection.sendRequest(UInt32(2 * index + 1), service: Grpc_Health_V1_Health.service.name, method: watch.method,
                                                payload: Grpc_Health_V1_HealthCheckRequest(), flags: .remoteClosed)
                } else {
                    try? connection.sendRequest(UInt32(2 * index + 1), service: Coi_Wiki_V1_Feeds.service.name, method: feed.method,
                                                payload: Coi_Wiki_V1_FeedRequest.with { $0.follow = true; $0.limit = 1 }, flags: .remoteClosed)
                }
            }
        }
        switch way % 6 {
        case 0:
            openStreams(2)
            _ = connection.readFrame()
        case 1:
            openStreams(3)
            usleep(10_000)
        case 2:
            openStreams(1)
            _ = connection.readFrame()
            shutdown(connection.fd, Int32(SHUT_WR))
            usleep(5_000)
        case 3:
            openStreams(2)
        case 4:
            connection.write([0, 0, 0, 40, 0, 0, 0, 1, 1, 1, 10, 3])
        default:
            break
        }
        // RawConnection's deinit closes the socket.
    }

    @Test func longLivedSlotsComeBackHoweverConnectionsEnd() async throws {
        let cap = 4
        let daemon = try await DaemonProcess(config: "[server]\nmax_long_lived_streams_per_principal = \(cap)\n")
        let socket = daemon.socketPath
        // 40 clients in parallel, 20 connections each, all of the same principal (this uid), far
        // over the cap: most streams are refused, the rest end with their connection in every way.
        // Blocking sockets, so on threads of their own rather than the test's cooperative pool.
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            DispatchQueue.global().async {
                DispatchQueue.concurrentPerform(iterations: 40) { client in
                    for round in 0..<20 { Self.openAndDrop(socket, way: client + round) }
                }
                done.resume()
            }
        }
        // Once the daemon has ended every dropped connection (only the probe's is left), the
        // principal holds no slot: exactly `cap` long-lived streams open again, and no more.
        let probe = try await daemon.connect()
        let open = try await Self.waitUntilOnlyOneConnectionIsOpen(probe)
        #expect(open == 1, "connections still open after their clients left: \(open - 1)")
        var watches: [TypedClientStream<Grpc_Health_V1_HealthCheckRequest, Grpc_Health_V1_HealthCheckResponse>] = []
        for _ in 0..<cap {
            let watch = try probe.stream(Grpc_Health_V1_Health.Method.watch)
            var updates = watch.replies.makeAsyncIterator()
            #expect(try await updates.next()?.status == .serving)
            watches.append(watch)
        }
        let extra = try probe.stream(Grpc_Health_V1_Health.Method.watch)
        await #expect {
            for try await _ in extra.replies {}
        } throws: { error in
            (error as? RPCError)?.reason == "TOO_MANY_LONG_LIVED_STREAMS"
        }
        await probe.close()
        #expect(await daemon.stop() == 0)
    }
}
